"""Clean stage: a ``RawItem`` becomes an ``Article`` with a stable id, clean text, title and date.

Pure: the per-source line memory and the time are arguments. The id is derived from the source and
the item's guid, else its canonical URL, else a hash of its normalised text, so the same article
read again (a touched file, a re-fetched feed) is recognised as known; ``resolve_id`` decides what
a taken id means (the same entry, an edit, or another article under a reused id).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from digest.clean.dates import find_date
from digest.clean.html import extract_html, html_fragment_to_text, markdown_to_text
from digest.clean.memory import LineMemory
from digest.clean.prose import tidy_text
from digest.clean.textdump import clean_text_dump
from digest.clean.titles import clean_title
from digest.models import Article, DateSource, RawItem
from digest.net import canonical_url
from digest.text import split_sentences

_SPACE = re.compile(r"\s+")
MAX_TITLE = 300
FUTURE_SLACK = timedelta(days=1)  # a date later than this after the run is not believed


@dataclass(frozen=True)
class CleanResult:
    article: Article
    line_keys: tuple[str, ...] = ()


def clean_item(
    raw: RawItem, *, tz: ZoneInfo, now: datetime, memory: LineMemory | None = None
) -> CleanResult:
    """Turn one raw item into an article."""
    title = raw.title
    published = raw.published
    date_source: DateSource | None = raw.date_source if raw.published else None
    line_keys: tuple[str, ...] = ()
    if raw.body_format == "text" and raw.is_whole_page:
        cleaned = clean_text_dump(
            raw.body, memory=memory, reference_time=raw.reference_time, title_hint=title
        )
        text, title = cleaned.body, title or cleaned.title
        line_keys = cleaned.line_keys
        if published is None and cleaned.published is not None:
            published, date_source = cleaned.published, "content"
    elif raw.body_format == "html" and raw.is_whole_page:
        cleaned = extract_html(raw.body, url=raw.url, reference_time=raw.reference_time)
        text, title = cleaned.body, title or cleaned.title
        if published is None and cleaned.published is not None:
            published, date_source = cleaned.published, "content"
    elif raw.body_format == "html":
        text = html_fragment_to_text(raw.body)
    elif raw.body_format == "markdown":
        text = markdown_to_text(raw.body)
    else:
        text = _normalise_paragraphs(raw.body)
    if published is None and not raw.is_whole_page and text:
        found = find_date(text[:600], reference_time=raw.reference_time)
        if found is not None:
            published, date_source = found, "content"
    text = tidy_text(text)  # after dating: a dateline is a date
    if published is not None and published.tzinfo is not None and published > now + FUTURE_SLACK:
        published, date_source = None, None  # year 9999 would pin an item to the top forever
    if (
        published is None
        and raw.reference_time is not None
        and raw.date_source != "feed"
        and _is_file(raw)
    ):
        published, date_source = raw.reference_time, "file-time"
    if published is None:
        date_source = "first-seen"
    elif published.tzinfo is None:
        published = published.replace(tzinfo=tz)
    title = _title(title, text)
    url = raw.url.strip() if raw.url else None
    curl = canonical_url(url)
    content_hash = hashlib.sha256(_normalise_for_hash(text or title).encode()).hexdigest()
    article = Article(
        id=item_id(raw.source, raw.guid, curl, content_hash),
        source=(raw.outlet or raw.source).strip()[:200],
        origin=raw.origin,
        title=title,
        text=text,
        url=url,
        canonical_url=curl,
        published=published,
        date_source=date_source or "first-seen",
        content_hash=content_hash,
        author=raw.author.strip()[:200] if raw.author and raw.author.strip() else None,
        html=raw.body if raw.body_format == "html" and not raw.is_whole_page else None,
        collector=raw.source,
    )
    return CleanResult(article, line_keys)


def item_id(source: str, guid: str | None, curl: str | None, content_hash: str) -> str:
    """Stable identity: source + guid, else canonical URL, else content hash."""
    if guid and guid.strip():
        key = f"guid\0{source}\0{guid.strip()}"
    elif curl:
        key = f"url\0{curl}"
    else:
        key = f"hash\0{content_hash}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _is_file(raw: RawItem) -> bool:
    return raw.origin != raw.source


def _title(title: str | None, text: str) -> str:
    if title:
        title = _SPACE.sub(" ", clean_title(title)).strip()
    if not title:
        first = split_sentences(text[:1000])
        title = first[0] if first else ""
    if not title:
        title = "(untitled)"
    if len(title) > MAX_TITLE:
        title = title[: MAX_TITLE - 1].rstrip() + "…"
    return title


def _normalise_paragraphs(text: str) -> str:
    paras = [_SPACE.sub(" ", p).strip() for p in re.split(r"\n\s*\n|\n", text)]
    return "\n\n".join(p for p in paras if p)


def _normalise_for_hash(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE.sub(" ", re.sub(r"[^\w\s]", "", text)).strip()


def raw_item_id(raw: RawItem) -> str | None:
    """The id a raw item will get, when it does not depend on the cleaned text (guid or URL)."""
    if raw.guid and raw.guid.strip():
        return item_id(raw.source, raw.guid, None, "")
    curl = canonical_url(raw.url.strip() if raw.url else None)
    return item_id(raw.source, None, curl, "") if curl else None


# --- identity when an id is reused --------------------------------------------------------------
#
# The id above is what an item is called the first time. A guid can be reused for another article,
# a page at one URL can change, and an inbox file can claim a URL first; so the orchestrator also
# keeps each item's ``raw_fingerprint`` and, for a raw item whose id is taken, asks ``resolve_id``.

IdAction = Literal["insert", "update", "refresh", "skip"]


@dataclass(frozen=True)
class StoredIdentity:
    """What the store knows about an item id: the fingerprint it was stored with (None for
    items stored before fingerprints existed), its cleaned content hash, whether a briefing
    reported it, and the configured source that collected it."""

    fingerprint: str | None
    content_hash: str
    reported: bool
    collector: str


def raw_fingerprint(raw: RawItem) -> str:
    """What the source handed over (source, title, body, link; whitespace folded), hashed.

    Equal fingerprints mean the same entry seen again: it need not even be cleaned."""
    parts = (raw.source, raw.title or "", raw.body, raw.url or "", raw.guid or "")
    text = "\0".join(" ".join(part.split()) for part in parts)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def variant_id(base_id: str, content_hash: str) -> str:
    """The id of another article (or a later version) under an id that is already taken."""
    return hashlib.sha256(f"variant\0{base_id}\0{content_hash}".encode()).hexdigest()[:16]


def resolve_id(
    article: Article,
    base_id: str | None,
    known: StoredIdentity | None,
    earlier_in_batch: str | None,
) -> tuple[str, IdAction]:
    """The id to store a freshly cleaned ``article`` under, and what to do with it.

    ``base_id`` is ``raw_item_id`` of its raw item (None: the id comes from the content, so it
    cannot collide); ``known`` is the stored item under ``base_id``; ``earlier_in_batch`` the
    content hash of an item stored under ``base_id`` earlier in this run. Then:

    * a free id is taken (``insert``);
    * the same content again is not stored again (``skip``, or ``refresh`` to record the new
      fingerprint when only markup changed);
    * changed content of an item no briefing reported yet replaces it (``update``);
    * different content under an id that a briefing already reported, that another source
      collected, or that an earlier entry of this run took, is a new item under
      ``variant_id``: a reused guid's second article, or a later version of a page, which the
      stories stage then places (as an update of its story when it is the same article). So no
      article is silently dropped because its id was claimed first.
    """
    if base_id is None:
        return article.id, "insert"
    if earlier_in_batch is not None:
        if earlier_in_batch == article.content_hash:
            return base_id, "skip"
        return variant_id(base_id, article.content_hash), "insert"
    if known is None:
        return base_id, "insert"
    same_source = known.collector == article.collector
    if same_source and known.content_hash == article.content_hash:
        return base_id, "refresh"
    if same_source and not known.reported:
        return base_id, "update"
    return variant_id(base_id, article.content_hash), "insert"
