"""Bounded feed parsing: feedparser, kept on a short leash.

feedparser is the most forgiving feed parser there is, which is also its danger: when expat refuses
a billion-laughs or quadratic-blowup document, feedparser falls back to a pure-Python loose parser
that expands the "safe" entities again (a 107 KB feed became a 200-million-character title), and a
crafted author string can send a regex into the weeds. So ``parse_feed`` caps the input size,
removes DOCTYPE internal subsets and neutralises ``<!ENTITY`` declarations before feedparser sees
the bytes, and runs feedparser in a forked child with an address-space limit and a wall-clock
timeout. What comes back is plain frozen records with text fields reduced to text, links vetted by
``digest.sanitize.safe_url`` and dates in UTC; one unreadable entry is skipped rather than the feed,
and a not-well-formed feed that still yielded entries is kept with a warning. A JSON Feed
(jsonfeed.org 1.0/1.1) takes the same path: ``digest.sources.jsonfeed`` maps it to feedparser's
shape inside the same limited child.
"""

from __future__ import annotations

import calendar
import io
import logging
import multiprocessing
import os
import re
import resource
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from typing import Any

import feedparser
from dateutil import parser as dateutil_parser

from digest.clean.encoding import normalize_text
from digest.errors import ParseError
from digest.logs import captured_warnings
from digest.sanitize import html_to_text, safe_url, strip_control_chars
from digest.sources import jsonfeed

__all__ = ["FeedEntry", "ParsedFeed", "neutralise_dtd", "parse_feed"]

logger = logging.getLogger(__name__)

MAX_TITLE_CHARS = 300
MAX_AUTHOR_CHARS = 200
MAX_GUID_CHARS = 2048
MAX_ENTRY_HTML_CHARS = 500_000
#: Dates before this year are treated as unknown (misparsed epochs, ``0001-01-01`` placeholders).
MIN_YEAR = 1990
#: Not-well-formed warnings that do not make a feed's content suspect.
_SURVIVABLE_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


@dataclass(frozen=True)
class FeedEntry:
    """One entry as the feed gave it; ``html`` is untrusted and must go through sanitize_html."""

    guid: str | None
    link: str | None
    title: str | None
    author: str | None
    published: datetime | None
    html: str
    is_html: bool


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed; ``warning`` names a survivable problem (not well-formed, skipped entries)."""

    title: str | None
    link: str | None
    entries: tuple[FeedEntry, ...]
    warning: str | None
    notes: tuple[str, ...] = ()  # library warnings met while parsing, summarised (logged at INFO)


# --- DOCTYPE / ENTITY neutralisation -------------------------------------------------------------

_DOCTYPE_RE = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_ENTITY_RE = re.compile(r"<!ENTITY", re.IGNORECASE)
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\xfe\xff", "utf-16"),
    (b"\xff\xfe", "utf-16"),
)
_BOMLESS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)


def _wide_codec(data: bytes) -> str | None:
    """The codec of a UTF-16/32 document (by BOM or XML's first-bytes rule); None if ASCII-based."""
    for prefix, codec in _BOMS + _BOMLESS:
        if data.startswith(prefix):
            return codec
    return None


def _skip_quoted_or_comment(text: str, index: int) -> int:
    """If ``text[index]`` opens a quoted literal or a comment, the index just past its end."""
    char = text[index]
    if char in "\"'":
        end = text.find(char, index + 1)
    elif text.startswith("<!--", index):
        end = text.find("-->", index + 4)
        end = end + 2 if end >= 0 else end
    else:
        return index
    if end < 0:
        raise ParseError("unterminated literal or comment in the DOCTYPE")
    return end + 1


def _doctype_without_subset(text: str, start: int) -> tuple[str, int]:
    """The DOCTYPE at ``start`` without its internal subset, and the index just after it."""
    index = start + len("<!DOCTYPE")
    kept_start = start
    kept: list[str] = []
    while True:
        if index >= len(text):
            raise ParseError("unterminated DOCTYPE declaration")
        char = text[index]
        if char == ">":
            kept.append(text[kept_start : index + 1])
            return "".join(kept), index + 1
        if char == "[":
            kept.append(text[kept_start:index])
            index += 1
            while True:
                if index >= len(text):
                    raise ParseError("unterminated DOCTYPE internal subset")
                skipped = _skip_quoted_or_comment(text, index)
                if skipped != index:
                    index = skipped
                elif text[index] == "]":
                    index += 1
                    break
                else:
                    index += 1
            kept_start = index
            continue
        skipped = _skip_quoted_or_comment(text, index)
        index = skipped if skipped != index else index + 1


def _strip_prolog_doctype(text: str) -> str:
    """Remove the internal subset ``[...]`` of the DOCTYPE in the prolog, keeping its name and ids.

    Only the prolog (before the root element) can hold a DOCTYPE that parsers honour; the same
    letters later on are text, such as a CDATA section quoting markup, and are left alone.
    """
    index = 0
    while index < len(text):
        if text[index].isspace() or text[index] == "\ufeff":
            index += 1
        elif text.startswith("<?", index):
            end = text.find("?>", index + 2)
            if end < 0:
                raise ParseError("unterminated processing instruction before the root element")
            index = end + 2
        elif text.startswith("<!--", index):
            end = text.find("-->", index + 4)
            if end < 0:
                raise ParseError("unterminated comment before the root element")
            index = end + 3
        elif _DOCTYPE_RE.match(text, index):
            kept, after = _doctype_without_subset(text, index)
            return text[:index] + kept + text[after:]
        else:
            break
    return text


def neutralise_dtd(data: bytes) -> bytes:
    """Strip the DOCTYPE internal subset and defang every ``<!ENTITY``, in the document's encoding.

    Without an internal subset and with every ``<!ENTITY`` turned into the text ``&lt;!ENTITY``, no
    entity can be declared anywhere, so nothing expands however feedparser falls back.
    """
    codec = _wide_codec(data)
    try:
        text = data.decode(codec) if codec else data.decode("latin-1")
    except UnicodeDecodeError as exc:
        raise ParseError(f"cannot decode the document as {codec}: {exc.reason}") from exc
    if not _DOCTYPE_RE.search(text) and not _ENTITY_RE.search(text):
        return data
    cleaned = _ENTITY_RE.sub("&lt;!ENTITY", _strip_prolog_doctype(text))
    return cleaned.encode(codec) if codec else cleaned.encode("latin-1")


# --- extraction (runs in the child) --------------------------------------------------------------


def _field(mapping: Mapping[str, Any], key: str, default: Any = None) -> Any:
    """Read a FeedParserDict key directly: its ``get`` maps some keys and warns (issue 310)."""
    if isinstance(mapping, dict):
        return dict.get(mapping, key, default)
    return mapping.get(key, default)


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(strip_control_chars(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(text: str) -> str:
    """Feed text as files get it: no lone surrogates (from ``&#xD800;``), no control, zero-width
    or bidi characters (the ``U+202E`` file-name trick), NFC."""
    return normalize_text(_SURROGATE.sub("\ufffd", text))


def _text(value: Any, detail: Mapping[str, Any] | None, limit: int) -> str | None:
    """A title-like field as plain one-line text (tags removed when the feed marked it HTML)."""
    if not isinstance(value, str):
        return None
    kind = _field(detail or {}, "type", "text/plain")
    text = html_to_text(value) if kind in _HTML_TYPES else value
    text = " ".join(_clean(text).split())
    return _truncate(text, limit) or None


def _published(entry: Mapping[str, Any]) -> datetime | None:
    """The entry's date, when its text is a real date: feedparser rolls month 13 into the next
    year and keeps offsets like +99:00, so the raw string must also parse strictly, with an
    offset inside -12:00..+14:00. A date that fails is no date (the item is dated first-seen)."""
    for key in ("published", "updated", "created"):
        value = _field(entry, f"{key}_parsed")
        if value is None:
            continue
        if not _plausible_date_text(_field(entry, key)):
            return None
        try:
            when = datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
        except (OverflowError, ValueError, OSError, TypeError):
            continue
        return when if when.year >= MIN_YEAR else None
    return None


def _plausible_date_text(raw: Any) -> bool:
    if not isinstance(raw, str) or not raw.strip():
        return True  # nothing to check it against: trust feedparser
    try:
        parsed = dateutil_parser.parse(raw.strip())
        offset = parsed.utcoffset()
    except (ValueError, OverflowError, TypeError):
        return False
    return offset is None or timedelta(hours=-12) <= offset <= timedelta(hours=14)


def _body(entry: Mapping[str, Any]) -> tuple[str, bool]:
    contents = _field(entry, "content") or []
    if contents and not _caption_as_content(entry, contents[0]):
        first = contents[0]
        value, kind = _field(first, "value", ""), _field(first, "type", "text/html")
    else:
        value = _field(entry, "summary", "") or ""
        kind = _field(_field(entry, "summary_detail") or {}, "type", "text/html")
    text = _truncate(_clean(str(value)), MAX_ENTRY_HTML_CHARS)
    return text, kind != "text/plain"


def _caption_as_content(entry: Mapping[str, Any], first: Mapping[str, Any]) -> bool:
    """feedparser files an item's ``<media:description>`` (its photo's caption) as a plain-text
    ``content`` when a ``<description>`` came first: the summary is then the article's text."""
    return (
        _field(first, "type") == "text/plain"
        and bool(str(_field(entry, "summary", "") or "").strip())
        and any(str(k).startswith("media_") for k in entry)
    )


def _entry(raw: Mapping[str, Any], base_url: str | None) -> FeedEntry | None:
    guid = _field(raw, "id")
    guid = (
        _truncate(strip_control_chars(guid).strip(), MAX_GUID_CHARS)
        if isinstance(guid, str)
        else None
    )
    link = safe_url(_field(raw, "link"), base=base_url, allow_mailto=False)
    title = _text(_field(raw, "title"), _field(raw, "title_detail"), MAX_TITLE_CHARS)
    html, is_html = _body(raw)
    if not (guid or link or title or html.strip()):
        return None  # nothing to identify it by, not even content to hash
    author = _field(raw, "author")
    return FeedEntry(
        guid=guid or None,
        link=link,
        title=title,
        author=_text(author, None, MAX_AUTHOR_CHARS),
        published=_published(raw),
        html=html,
        is_html=is_html,
    )


def _ended_early(problem: Any) -> bool:
    """Expat's words for a document that stops before its elements close."""
    text = str(problem or "").lower()
    return "no element found" in text or "unclosed token" in text


def _extract(
    parsed: Mapping[str, Any], base_url: str | None, max_entries: int, content_type: str | None
) -> ParsedFeed:
    bozo = bool(_field(parsed, "bozo"))
    problem = _field(parsed, "bozo_exception")
    if bozo and content_type is None and isinstance(problem, feedparser.NonXMLContentType):
        bozo = False  # we gave no Content-Type (a local file, a test): nothing to warn about
    raw_entries = list(_field(parsed, "entries") or [])
    feed = _field(parsed, "feed") or {}
    if not _field(parsed, "version") and not raw_entries:
        detail = f" ({_one_line(str(problem))})" if bozo and problem else ""
        raise ParseError(f"not a feed{detail}")
    entries: list[FeedEntry] = []
    skipped = 0
    for raw in raw_entries[:max_entries]:
        try:
            entry = _entry(raw, base_url)
        except Exception:  # one odd entry must not cost the feed
            entry = None
        if entry is None:
            skipped += 1
        else:
            entries.append(entry)
    if bozo and entries and _ended_early(problem) and len(raw_entries) <= max_entries:
        entries.pop()  # the document stops inside its last entry (a dropped connection)
        warnings_early = ["document ended early; its last entry was cut off and dropped"]
    else:
        warnings_early = []
    if raw_entries and not entries and not warnings_early:
        raise ParseError(f"none of the {len(raw_entries)} entries could be read")
    if bozo and not entries and not isinstance(problem, _SURVIVABLE_BOZO):
        raise ParseError(f"not well-formed and no entries: {_one_line(str(problem))}")
    warnings: list[str] = []
    if bozo:
        warnings.append(f"not well-formed: {_one_line(str(problem))}")
    warnings += warnings_early
    if skipped:
        warnings.append(f"skipped {skipped} unreadable entries")
    if len(raw_entries) > max_entries:
        warnings.append(f"kept the first {max_entries} of {len(raw_entries)} entries")
    feed_link = safe_url(_field(feed, "link"), base=base_url, allow_mailto=False)
    return ParsedFeed(
        title=_text(_field(feed, "title"), _field(feed, "title_detail"), MAX_TITLE_CHARS),
        link=feed_link,
        entries=tuple(entries),
        warning="; ".join(warnings) or None,
    )


def _parse_here(
    data: bytes, base_url: str | None, content_type: str | None, max_entries: int
) -> ParsedFeed:
    if jsonfeed.is_json(data):  # JSON Feed 1.x: mapped to feedparser's shape, then as below
        return _extract(
            jsonfeed.as_parsed(jsonfeed.load(data), base_url), base_url, max_entries, None
        )
    headers: dict[str, str] = {}
    if base_url and safe_url(base_url, allow_mailto=False):
        headers["content-location"] = base_url
    if content_type:
        headers["content-type"] = content_type
    # A file-like object, never bytes or str: feedparser treats those as a URL or a file *path*.
    parsed = feedparser.parse(
        io.BytesIO(data), response_headers=headers, sanitize_html=True, resolve_relative_uris=True
    )
    return _extract(parsed, base_url, max_entries, content_type)


def _address_space_bytes() -> int | None:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _limit_memory(extra: int) -> None:
    """Let the child grow by at most ``extra`` bytes of address space beyond what fork gave it."""
    current = _address_space_bytes()
    if current is None:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = current + extra
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _child(
    conn: Connection,
    data: bytes,
    base_url: str | None,
    content_type: str | None,
    max_entries: int,
    memory_limit: int,
) -> None:
    try:
        _limit_memory(memory_limit)
        with captured_warnings() as notes:  # never printed raw: the parent logs them once
            parsed = _parse_here(data, base_url, content_type, max_entries)
        result: tuple[str, Any] = ("ok", replace(parsed, notes=tuple(notes)))
    except MemoryError:
        result = ("error", f"parser exceeded its memory limit ({memory_limit} bytes)")
    except ParseError as exc:
        result = ("error", str(exc))
    except Exception as exc:  # reported to the parent as a ParseError
        result = ("error", f"parser failed: {type(exc).__name__}: {_one_line(str(exc))}")
    try:
        conn.send(result)
    except MemoryError:
        conn.send(("error", f"parser exceeded its memory limit ({memory_limit} bytes)"))
    finally:
        conn.close()


_NUMERIC_REF = re.compile(rb"&#([xX][0-9a-fA-F]{1,8}|[0-9]{1,10});")


def _no_surrogate_ref(m: re.Match[bytes]) -> bytes:
    """``&#xD800;`` names half of a UTF-16 pair, not a character: feedparser would build a string
    that cannot be encoded and lose the whole feed. It becomes U+FFFD."""
    digits = m.group(1)
    value = int(digits[1:], 16) if digits[:1] in (b"x", b"X") else int(digits)
    return b"&#xFFFD;" if 0xD800 <= value <= 0xDFFF else m.group(0)


def parse_feed(
    data: bytes,
    *,
    base_url: str | None = None,
    max_bytes: int = 10 * 2**20,
    timeout: float = 20,
    memory_limit: int = 512 * 2**20,
    content_type: str | None = None,
    max_entries: int = 500,
) -> ParsedFeed:
    """Parse feed bytes in a time- and memory-limited child; raise ParseError if nothing usable.

    ``base_url`` (the final fetch URL) resolves relative links; ``content_type`` is the HTTP header,
    whose charset feedparser honours. ``memory_limit`` is the address space the child may add.
    Only the first ``max_entries`` entries are kept (feeds list newest first).
    """
    where = f"{base_url}: " if base_url else ""
    if len(data) > max_bytes:
        raise ParseError(f"{where}feed is {len(data)} bytes, over the {max_bytes}-byte cap")
    if not data.strip():
        raise ParseError(f"{where}empty document, not a feed")
    if not jsonfeed.is_json(data):  # XML: no entity can be declared, no surrogate referenced
        try:
            data = neutralise_dtd(data)
        except ParseError as exc:
            raise ParseError(f"{where}{exc}") from exc
        data = _NUMERIC_REF.sub(_no_surrogate_ref, data)

    started = time.monotonic()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child,
        args=(sender, data, base_url, content_type, max_entries, memory_limit),
        name="digest-feedparse",
        daemon=True,
    )
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise ParseError(f"{where}parsing took longer than {timeout:g} s")
        try:
            kind, payload = receiver.recv()
        except (EOFError, OSError) as exc:
            process.join(1)
            raise ParseError(f"{where}parser process died (exit code {process.exitcode})") from exc
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    if kind != "ok":
        raise ParseError(f"{where}{payload}")
    assert isinstance(payload, ParsedFeed)
    logger.debug(
        "parsed feed=%s entries=%d warning=%s seconds=%.2f",
        base_url, len(payload.entries), payload.warning, time.monotonic() - started,
    )  # fmt: skip
    return payload
