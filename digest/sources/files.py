"""The ``files`` source: a folder of article files, read recursively.

Formats: ``.txt`` (a page copied as text), ``.md`` (optional YAML front matter), ``.html``/``.htm``
(a saved page), ``.json``/``.jsonl`` (news-please style objects). Anything else is skipped with a
debug line. Anyone can drop files into the inbox, so every file is untrusted:

* only regular files are read (FIFOs, devices and sockets would block or never end); a symlink is
  followed only when its real target stays inside the folder, and the file actually opened must be
  the inode that was checked (a swapped-in symlink is refused);
* temp/editor files (``.swp``, ``~``, ``.#x``, ``.part``...) and hidden files are ignored;
* empty, binary and oversized files are skipped with a warning; binary and oversized ones are
  recorded in the file index (they stay skipped until they change), empty ones are not (an empty
  file is almost always a writer that has not written yet);
* a file that is still being written (a text, Markdown or HTML file modified within
  ``SETTLE_SECONDS`` before the run's ``now``, or any file whose size/mtime/inode changed while it
  was read) is skipped, NOT recorded, and read next run. JSON and JSON lines need no settle window:
  a torn document or last line does not parse, and the file is read again once it has changed;
* names are keyed by an escaped, NFC-normalised form, so undecodable bytes, newlines and NFD/NFC
  twins never reach logs, SQLite or the briefing raw;
* at most ``max_files`` files are read per run, in path order, so a huge folder is worked through
  over several runs deterministically;
* a JSON or JSON-lines file yields at most ``max_items_per_file`` items (the rest are reported as
  skipped), and every body is cut to ``MAX_BODY_CHARS`` characters (a whole saved page to the
  file cap), so one file cannot flood a briefing or feed a parser unbounded input;
* every string decoded from JSON or YAML goes through ``digest.sanitize`` after decoding (a
  ``"\\u001b"`` escape is a control character only once decoded); front matter is read with the
  bounded YAML loader (``digest.config.load_yaml``), so an alias bomb is refused, not expanded.

The result is grouped per file (``FileRecord``): the orchestrator cleans each file in a bounded
worker and stores it in a transaction of its own, so one file that cannot be cleaned is recorded
as failed (with its reason; retried only when it changes) while its neighbours are kept.

Unchanged files (same size and mtime as in the file index) are not read again.
"""

from __future__ import annotations

import errno
import itertools
import json
import logging
import os
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from dateutil import parser as dateparser

from digest.clean import decode_bytes
from digest.config import SourceConfig, load_yaml
from digest.errors import ConfigError, SourceError
from digest.models import RawItem
from digest.sanitize import clean_text, one_line

log = logging.getLogger(__name__)

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl"}
IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
IGNORED_SUFFIXES = (
    ".swp",
    ".swo",
    ".swx",
    ".tmp",
    ".temp",
    ".part",
    ".crdownload",
    ".partial",
    ".download",
    "~",
)
#: A file modified less than this many seconds before the run's ``now`` may still be being written.
SETTLE_SECONDS = 10.0
#: Formats whose torn prefix does not parse (an unfinished JSON document or line is invalid and is
#: read again once the file changes), so a freshly written file is read at once. A cut text,
#: Markdown or HTML file still reads as a shorter article, so those wait out the settle window.
SELF_CHECKING = frozenset({".json", ".jsonl"})
#: Longer date strings are not dates (and are not handed to dateutil).
MAX_DATE_CHARS = 100
#: Text, Markdown and JSON bodies are cut to this many characters (a long read is ~60,000); whole
#: saved pages are bounded by the file cap instead, since most of their bytes are markup.
MAX_BODY_CHARS = 200_000
#: Bytes looked at for NUL bytes and magic numbers.
SNIFF_BYTES = 8192
# File signatures of common binary formats that may carry a text extension.
_MAGIC = (
    b"\x89PNG",
    b"%PDF-",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",
    b"\x1f\x8b",
    b"\xfd7zXZ\x00",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"SQLite format 3\x00",
    b"\x7fELF",
    b"\xd0\xcf\x11\xe0",  # OLE (old .doc/.xls)
    b"\x00\x00\x01\x00",  # .ico
)

TITLE_KEYS = ("title", "headline")
TEXT_KEYS = ("text", "maintext", "body", "content", "description")
DATE_KEYS = ("date", "date_publish", "published", "pubDate", "date_published", "datePublished")
URL_KEYS = ("url", "link")
OUTLET_KEYS = ("source", "source_domain", "publisher", "outlet")
ID_KEYS = ("id", "guid", "doc_id")
AUTHOR_KEYS = ("author", "authors", "byline")


@dataclass
class FileRecord:
    """One file read this run: its file-index key and stamp, its items, or why it has none.

    ``skipped`` is the reason a file that is indexed yields nothing (binary, over the size cap,
    unreadable content): it stays skipped until its size or mtime changes.
    """

    path: str
    size: int
    mtime_ns: int
    items: list[RawItem] = field(default_factory=list)
    skipped: str | None = None

    @property
    def stamp(self) -> tuple[str, int, int]:
        return (self.path, self.size, self.mtime_ns)


@dataclass
class FileBatch:
    """What one pass over the folder found: one record per file to index, and skip warnings."""

    files: list[FileRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def items(self) -> list[RawItem]:
        return [item for record in self.files for item in record.items]

    @property
    def stamps(self) -> list[tuple[str, int, int]]:
        return [record.stamp for record in self.files]

    def add(self, rel: str, stamp: tuple[int, int], items: list[RawItem]) -> None:
        self.files.append(FileRecord(rel, *stamp, items=items))

    def skip(self, rel: str, stamp: tuple[int, int], reason: str) -> None:
        """Index ``rel`` as skipped (until it changes) and warn with ``reason``."""
        self.warnings.append(f"{rel}: {reason}")
        self.files.append(FileRecord(rel, *stamp, skipped=reason))


def collect_files(
    src: SourceConfig, known: dict[str, tuple[int, int]], now: datetime | None = None
) -> FileBatch:
    """Read every new or changed file under ``src.path``.

    ``known`` maps relative paths to ``(size, mtime_ns)`` from the previous run. ``now`` is the
    run's time: files modified within ``SETTLE_SECONDS`` before it are left for the next run
    (without ``now`` that check is off). Raises ``SourceError`` only when the folder itself is
    unusable.
    """
    assert src.path is not None
    root = src.path
    if not root.exists():
        raise SourceError(f"source {src.name}: folder {root} does not exist")
    if not root.is_dir():
        raise SourceError(f"source {src.name}: {root} is not a folder")
    root_real = root.resolve()
    settle_ns = int(now.timestamp() * 1e9) - int(SETTLE_SECONDS * 1e9) if now is not None else None
    now_ns = int(now.timestamp() * 1e9) if now is not None else None
    batch = FileBatch()
    count = 0
    for path in _walk(root):
        rel = display_name(path.relative_to(root).as_posix())
        if path.suffix.lower() not in SUFFIXES:
            log.debug("source=%s skipped=%s reason=unsupported-type", src.name, rel)
            continue
        try:
            st = os.stat(path)  # follows symlinks: we check where they lead below
            real = path.resolve(strict=True) if path.is_symlink() else path
        except (OSError, RuntimeError) as exc:
            batch.warnings.append(f"{rel}: cannot stat ({getattr(exc, 'strerror', None) or exc})")
            continue
        if not stat.S_ISREG(st.st_mode):
            batch.warnings.append(f"{rel}: not a regular file, skipped")
            continue
        if real is not path and not real.is_relative_to(root_real):
            batch.warnings.append(f"{rel}: symlink leaves the source folder, skipped")
            continue
        stamp = (st.st_size, st.st_mtime_ns)
        if known.get(rel) == stamp:
            continue
        suffix = path.suffix.lower()
        recent = (
            settle_ns is not None and now_ns is not None and settle_ns < st.st_mtime_ns <= now_ns
        )
        if recent and suffix not in SELF_CHECKING:
            batch.warnings.append(
                f"{rel}: modified less than {SETTLE_SECONDS:g} s ago (still being written?); "
                "retried next run"
            )
            continue
        if st.st_size == 0:
            batch.warnings.append(f"{rel}: empty file, skipped (retried next run)")
            continue
        if st.st_size > src.max_file_bytes:
            batch.skip(
                rel, stamp, f"{st.st_size} bytes is over the {src.max_file_bytes} limit, skipped"
            )
            continue
        count += 1
        if count > src.max_files:
            batch.warnings.append(
                f"more than {src.max_files} new files; the rest wait for the next run"
            )
            break
        try:
            data = _read_stable(real, st)
        except _Unstable:
            batch.warnings.append(f"{rel}: changed while being read; retried next run")
            continue
        except OSError as exc:
            batch.warnings.append(f"{rel}: cannot read ({exc.strerror or exc})")
            continue
        kind = _binary_kind(data)
        if kind == "utf-16":
            data = _utf16_to_utf8(data)
        elif kind is not None:
            batch.skip(rel, stamp, f"binary file ({kind}), skipped")
            continue
        if not data.strip():
            batch.warnings.append(
                f"{rel}: empty file (whitespace only), skipped (retried next run)"
            )
            continue
        mtime = datetime.fromtimestamp(st.st_mtime, tz=UTC)
        try:
            cap = src.max_items_per_file
            items = list(itertools.islice(parse_file(src.name, rel, suffix, data, mtime), cap + 1))
        except _BadFile as exc:
            batch.skip(rel, stamp, str(exc))
            continue
        except Exception as exc:  # one hostile file never fails the source; retried next run
            log.debug("source=%s file=%s parse failure", src.name, rel, exc_info=True)
            batch.warnings.append(
                f"{rel}: could not be read ({type(exc).__name__}); retried next run"
            )
            continue
        if len(items) > cap:
            batch.warnings.append(
                f"{rel}: kept the first {cap} items (max_items_per_file); the rest are skipped"
            )
            items = items[:cap]
        batch.add(rel, stamp, items)
    return batch


def display_name(name: str) -> str:
    """The key and shown form of a file name: NFC, undecodable bytes and controls escaped.

    ``os.scandir`` hands back undecodable bytes as lone surrogates, which SQLite and UTF-8 output
    refuse; they become ``\\xNN``. Control characters (a newline in a name would forge log lines)
    become ``\\xNN`` too. NFC makes a macOS NFD name and its NFC twin one key.
    """
    raw = os.fsencode(name).decode("utf-8", "backslashreplace")
    escaped = "".join(
        f"\\x{ord(c):02x}" if (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c in "\u2028\u2029") else c
        for c in raw
    )
    return unicodedata.normalize("NFC", escaped)


def _walk(root: Path) -> Iterator[Path]:
    """Files below ``root`` in a deterministic order, hidden and temp files left out."""
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            log.warning("cannot list %s: %s", display_name(str(folder)), exc.strerror)
            continue
        subdirs = []
        for entry in entries:
            name = entry.name
            if (
                name.startswith((".", "#"))
                or name in IGNORED_NAMES
                or name.endswith(IGNORED_SUFFIXES)
            ):
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                subdirs.append(Path(entry.path))
            else:
                yield Path(entry.path)
        stack.extend(reversed(subdirs))


class _Unstable(Exception):
    pass


class _BadFile(Exception):
    pass


def _read_stable(path: Path, checked: os.stat_result) -> bytes:
    """Read the file that was checked, and make sure it did not change meanwhile.

    ``O_NOFOLLOW`` plus the inode comparison refuse a path swapped for a symlink or another file
    after the checks; the size/mtime comparison catches a writer still at work.
    """
    flags = (
        os.O_RDONLY
        | getattr(os, "O_NONBLOCK", 0)
        | getattr(os, "O_NOFOLLOW", 0)
        | getattr(os, "O_NOCTTY", 0)
    )
    try:
        fd = os.open(path, flags)  # O_NONBLOCK: never block on a FIFO swapped in
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # the checked file was replaced by a symlink
            raise _Unstable() from exc
        raise
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode) or (before.st_dev, before.st_ino) != (
            checked.st_dev,
            checked.st_ino,
        ):
            raise _Unstable()
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(checked.st_size + 1)
        after = os.fstat(fd)
    finally:
        os.close(fd)
    stamp = (checked.st_size, checked.st_mtime_ns)
    if (after.st_size, after.st_mtime_ns) != stamp or len(data) != checked.st_size:
        raise _Unstable()
    return data


def _binary_kind(data: bytes) -> str | None:
    """``None`` for text, ``"utf-16"`` for BOM-less UTF-16 text, else what kind of binary it is."""
    head = data[:SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 with BOM: the decoder handles it
    for magic in _MAGIC:
        if head.startswith(magic):
            return "signature " + magic[:4].decode("latin-1").encode("unicode_escape").decode(
                "ascii"
            )
    if b"\x00" not in head:
        return None
    even, odd = head[0::2], head[1::2]
    if len(data) % 2 == 0 and len(head) >= 4:
        # ASCII-range UTF-16 puts NUL in every other byte and nowhere else.
        if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
            return "utf-16" if _decodes(data, "utf-16-le") else "NUL bytes"
        if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
            return "utf-16" if _decodes(data, "utf-16-be") else "NUL bytes"
    return "NUL bytes"


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _utf16_to_utf8(data: bytes) -> bytes:
    """Re-encode BOM-less UTF-16 as UTF-8 so the one decoder reads it."""
    head = data[:SNIFF_BYTES]
    encoding = "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
    return data.decode(encoding).encode("utf-8")


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
            raise _BadFile(f"invalid JSON at line {exc.lineno}: {exc.msg}") from exc
        except (ValueError, RecursionError) as exc:  # 5000-digit numbers, 100k-deep nesting
            raise _BadFile(f"unreadable JSON ({type(exc).__name__})") from exc
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
