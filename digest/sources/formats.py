"""The formats of the files source: one file's decoded text -> raw items.

``.txt`` and ``.html``/``.htm`` are one whole page each; ``.md`` may start with YAML front matter
(read with the bounded loader, so an alias bomb is refused); ``.json`` (one object or a list) and
``.jsonl`` hold news-please style objects. Every string decoded from JSON or YAML goes through
``digest.sanitize`` after decoding, since decoding is what turns ``"\\u001b"`` into a control
character, and every body is cut to ``MAX_BODY_CHARS``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import yaml
from dateutil import parser as dateparser

from digest.clean import decode_bytes
from digest.config import load_yaml
from digest.errors import ConfigError
from digest.models import RawItem
from digest.sanitize import clean_text, one_line

log = logging.getLogger(__name__)

__all__ = ["MAX_BODY_CHARS", "BadFile", "parse_file"]

#: Longer date strings are not dates (and are not handed to dateutil).
MAX_DATE_CHARS = 100
#: Text, Markdown and JSON bodies are cut to this many characters (a long read is ~60,000); whole
#: saved pages are bounded by the file cap instead, since most of their bytes are markup.
MAX_BODY_CHARS = 200_000

TITLE_KEYS = ("title", "headline")
TEXT_KEYS = ("text", "maintext", "body", "content", "description")
DATE_KEYS = ("date", "date_publish", "published", "pubDate", "date_published", "datePublished")
URL_KEYS = ("url", "link")
OUTLET_KEYS = ("source", "source_domain", "publisher", "outlet")
ID_KEYS = ("id", "guid", "doc_id")
AUTHOR_KEYS = ("author", "authors", "byline")


class BadFile(Exception):
    """The file as a whole cannot be read (invalid JSON): indexed as skipped with this reason."""


def parse_file(
    source: str, rel: str, suffix: str, data: bytes, mtime: datetime
) -> Iterator[RawItem]:
    """Turn one file's bytes into raw items."""
    text = decode_bytes(data)
    if suffix in (".txt", ".html", ".htm"):  # a whole page, as copied text or saved HTML
        yield RawItem(
            source=source,
            origin=rel,
            body=text if suffix != ".txt" else _body(text),
            body_format="text" if suffix == ".txt" else "html",
            is_whole_page=True,
            reference_time=mtime,
        )
    elif suffix in (".md", ".markdown"):
        yield _markdown_item(source, rel, text, mtime)
    elif suffix == ".json":
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BadFile(f"invalid JSON at line {exc.lineno}: {exc.msg}") from exc
        except (ValueError, RecursionError) as exc:  # 5000-digit numbers, 100k-deep nesting
            raise BadFile(f"unreadable JSON ({type(exc).__name__})") from exc
        objs = obj if isinstance(obj, list) else [obj]
        for i, o in enumerate(objs, 1):
            origin = rel if len(objs) == 1 else f"{rel}:{i}"
            item = _json_item(source, origin, o, mtime)
            if item is not None:
                yield item
    elif suffix == ".jsonl":
        for lineno, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                o = json.loads(line)
            except (ValueError, RecursionError):
                log.warning("source=%s file=%s line=%d invalid JSON, skipped", source, rel, lineno)
                continue
            item = _json_item(source, f"{rel}:{lineno}", o, mtime)
            if item is not None:
                yield item


def _markdown_item(source: str, rel: str, text: str, mtime: datetime) -> RawItem:
    meta: dict[str, Any] = {}
    body = text
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            try:
                loaded = load_yaml(text[4:end])
            except (ConfigError, yaml.YAMLError, RecursionError, ValueError):
                loaded = None
            if isinstance(loaded, dict):
                meta = loaded
                body = text[end + 4 :].lstrip("-").lstrip("\n")
    published = _parse_date(meta.get("date"))
    return RawItem(
        source=source,
        origin=rel,
        body=_body(body),
        body_format="markdown",
        title=_text(meta.get("title")),
        url=_text(meta.get("url")),
        author=_text(meta.get("author")),
        outlet=_text(meta.get("source")),
        guid=_text(meta.get("id")),
        published=published,
        date_source="content" if published else None,
        reference_time=mtime,
    )


def _json_item(source: str, origin: str, obj: Any, mtime: datetime) -> RawItem | None:
    if not isinstance(obj, dict):
        log.warning("source=%s origin=%s not a JSON object, skipped", source, origin)
        return None
    body = _first(obj, TEXT_KEYS, one=False) or ""
    title = _first(obj, TITLE_KEYS)
    if not body.strip() and not (title or "").strip():
        log.warning("source=%s origin=%s has neither title nor text, skipped", source, origin)
        return None
    published = _parse_date(_first_raw(obj, DATE_KEYS))
    author = _first_raw(obj, AUTHOR_KEYS)
    if isinstance(author, list):
        author = ", ".join(str(a) for a in author if a)
    return RawItem(
        source=source,
        origin=origin,
        body=body,
        body_format="html" if _looks_like_html(body) else "text",
        title=title,
        url=_first(obj, URL_KEYS),
        author=_text(author),
        outlet=_first(obj, OUTLET_KEYS),
        guid=_first(obj, ID_KEYS),
        published=published,
        date_source="content" if published else None,
        reference_time=mtime,
    )


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<p>" in head or "<p " in head or "<div" in head or "<br" in head


def _first_raw(obj: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for k in keys:
        if obj.get(k) not in (None, "", []):
            return obj[k]
    return None


def _first(obj: dict[str, Any], keys: tuple[str, ...], *, one: bool = True) -> str | None:
    return _text(_first_raw(obj, keys), one=one)


def _body(text: str) -> str:
    """A body decoded from JSON/YAML or read as text: sanitised, at most ``MAX_BODY_CHARS``."""
    return clean_text(text[:MAX_BODY_CHARS])


def _text(value: Any, *, one: bool = True) -> str | None:
    """A JSON/YAML scalar as clean text (one line unless ``one`` is False).

    Decoding is what turns ``"\\u001b"`` or ``"\\u202e"`` into a control character, so the
    sanitiser runs here, after it; escaped lone surrogates (``"\\ud800"``) become U+FFFD (SQLite
    and every UTF-8 output refuse them, so one would fail the whole ingest)."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        value = value[:MAX_BODY_CHARS]
        return (one_line(value) if one else clean_text(value).strip()) or None
    return None


def _parse_date(value: Any) -> datetime | None:
    """A date from front matter or JSON: ISO text, a YAML date, or epoch seconds/milliseconds.

    A value without a zone stays naive: it is local time in the configured timezone, which the
    article stage applies."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    elif hasattr(value, "year") and hasattr(value, "month"):
        dt = datetime(value.year, value.month, value.day)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        try:
            dt = datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    elif isinstance(value, str):
        if len(value) > MAX_DATE_CHARS:
            return None
        try:
            dt = dateparser.parse(value.strip("[] "))
        except (ValueError, OverflowError):
            return None
    else:
        return None
    if not 1900 <= dt.year <= 2200:
        return None
    return dt
