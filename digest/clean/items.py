"""Clean stage: a ``RawItem`` becomes an ``Article`` with a stable id, clean text, title and date.

Pure: the per-source line memory and the time are arguments. The id is derived from the source and
the item's guid, else its canonical URL, else a hash of its normalised text, so the same article
read again (a touched file, a re-fetched feed) is recognised as known.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
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
