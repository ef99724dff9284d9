"""JSON Feed 1.0 and 1.1 (jsonfeed.org): read into the shape feedparser gives an XML feed.

``digest.sources.feedparse`` sniffs a document that starts with ``{`` and hands the decoded object
here; ``as_parsed`` maps it to feedparser's keys (``feed.title``, ``entries[].id``, ``link``,
``content``, ``published`` and ``published_parsed``, ...), so the entries then go through exactly
the same extraction as RSS and Atom: the same size, time and memory bounds (the document is parsed
in the same limited child process), the same text clean-up, link vetting and date checks.
``content_html`` is sanitised here with ``digest.sanitize.sanitize_html``, as feedparser sanitises
XML entry content. Nothing here trusts the document: wrong types are ignored field by field.
"""

from __future__ import annotations

import json
import re
from datetime import UTC
from html import unescape
from typing import Any
from urllib.parse import urljoin

from dateutil import parser as dateutil_parser

from digest.errors import ParseError
from digest.sanitize import sanitize_html

__all__ = ["VERSION_PREFIX", "as_parsed", "is_json", "load"]

VERSION_PREFIX = re.compile(r"^https?://jsonfeed\.org/version/1(?:\.\d+)?/?$")
_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*\{")
#: ``&lt;p&gt;`` in an HTML field with no tag at all: the markup was entity-escaped twice.
_ESCAPED_TAG = re.compile(r"&lt;/?[a-zA-Z][a-zA-Z0-9]*(?:\s|&gt;|/)")


def is_json(data: bytes) -> bool:
    """True when the document is a JSON object (a JSON Feed, or JSON that is not a feed)."""
    return bool(_START.match(data[:1024]))


def load(data: bytes) -> dict[str, Any]:
    """The decoded JSON Feed object; ParseError for bad JSON or JSON that is not a JSON Feed."""
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ParseError(f"not a feed (JSON that is not UTF-8: {exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise ParseError(f"not a feed (invalid JSON at line {exc.lineno}: {exc.msg})") from exc
    except (ValueError, RecursionError) as exc:  # 10,000-deep nesting, 5,000-digit numbers
        raise ParseError(f"not a feed (unreadable JSON: {type(exc).__name__})") from exc
    version = obj.get("version") if isinstance(obj, dict) else None
    if not isinstance(version, str) or not VERSION_PREFIX.match(version.strip()):
        raise ParseError("not a feed (JSON without a jsonfeed.org version)")
    if not isinstance(obj.get("items"), list):
        raise ParseError("not a feed (a JSON Feed without an items list)")
    return obj


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _author(item: dict[str, Any], feed: dict[str, Any]) -> str | None:
    for holder in (item, feed):
        authors = holder.get("authors")
        candidates = authors if isinstance(authors, list) else [holder.get("author")]
        for author in candidates:
            if isinstance(author, dict) and _str(author.get("name")):
                return str(author["name"])
    return None


def _when(value: Any) -> dict[str, Any]:
    text = _str(value)
    if text is None or len(text) > 100:
        return {}
    try:
        when = dateutil_parser.isoparse(text.strip())
    except (ValueError, OverflowError):
        return {}
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        parsed = when.astimezone(UTC).timetuple()
    except (ValueError, OverflowError):
        return {}
    return {"published": text, "published_parsed": parsed}


def _entry(item: dict[str, Any], feed: dict[str, Any], base: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    ident = item.get("id")
    if isinstance(ident, (str, int)) and not isinstance(ident, bool):
        entry["id"] = str(ident)
    link = _str(item.get("url")) or _str(item.get("external_url"))
    if link:
        entry["link"] = urljoin(base, link) if base else link
    if _str(item.get("title")):
        entry["title"] = item["title"]
        entry["title_detail"] = {"type": "text/plain"}
    html, text, summary = (_str(item.get(k)) for k in ("content_html", "content_text", "summary"))
    if html is not None:
        if "<" not in html and _ESCAPED_TAG.search(html):  # escaped twice by its publisher
            html = unescape(html)
        entry["content"] = [{"value": str(sanitize_html(html, base_url=base)), "type": "text/html"}]
    elif text is not None:
        entry["content"] = [{"value": text, "type": "text/plain"}]
    elif summary is not None:
        entry["summary"] = summary
        entry["summary_detail"] = {"type": "text/plain"}
    author = _author(item, feed)
    if author:
        entry["author"] = author
    entry.update(_when(item.get("date_published")) or _when(item.get("date_modified")))
    return entry


def as_parsed(obj: dict[str, Any], base_url: str | None) -> dict[str, Any]:
    """The feedparser-shaped result for a loaded JSON Feed (see ``load``)."""
    home = _str(obj.get("home_page_url"))
    base = home or base_url
    items = obj["items"]
    feed: dict[str, Any] = {"link": home} if home else {}
    if _str(obj.get("title")):
        feed["title"] = obj["title"]
        feed["title_detail"] = {"type": "text/plain"}
    entries = [_entry(item, obj, base) if isinstance(item, dict) else {} for item in items]
    return {"version": "json1", "bozo": False, "feed": feed, "entries": entries}
