"""The ``files`` source: a folder of article files, read recursively.

Formats: ``.txt`` (a page copied as text), ``.md`` (optional YAML front matter), ``.html``/``.htm``
(a saved page), ``.json``/``.jsonl`` (news-please style objects). Anything else is skipped with a
debug line. Only regular files inside the folder are read: symlinks that leave it, FIFOs, devices,
temp/editor files, empty, binary and oversized files are skipped with a reason, and a file that
changes while it is read is left for the next run. Unchanged files (same size and mtime as in the
file index) are not read again.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml
from dateutil import parser as dateparser

from digest.clean import decode_bytes
from digest.config import SourceConfig
from digest.errors import SourceError
from digest.models import RawItem

log = logging.getLogger(__name__)

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl"}
IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
IGNORED_SUFFIXES = (".swp", ".swo", ".tmp", ".part", ".crdownload", ".partial", "~")

TITLE_KEYS = ("title", "headline")
TEXT_KEYS = ("text", "maintext", "body", "content", "description")
DATE_KEYS = ("date", "date_publish", "published", "pubDate", "date_published", "datePublished")
URL_KEYS = ("url", "link")
OUTLET_KEYS = ("source", "source_domain", "publisher", "outlet")
ID_KEYS = ("id", "guid", "doc_id")
AUTHOR_KEYS = ("author", "authors", "byline")


@dataclass
class FileBatch:
    """What one pass over the folder found: items, the new file index entries, skip warnings."""

    items: list[RawItem] = field(default_factory=list)
    stamps: list[tuple[str, int, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def collect_files(src: SourceConfig, known: dict[str, tuple[int, int]]) -> FileBatch:
    """Read every new or changed file under ``src.path``.

    ``known`` maps relative paths to ``(size, mtime_ns)`` from the previous run. Raises
    ``SourceError`` only when the folder itself is unusable.
    """
    assert src.path is not None
    root = src.path
    if not root.exists():
        raise SourceError(f"source {src.name}: folder {root} does not exist")
    if not root.is_dir():
        raise SourceError(f"source {src.name}: {root} is not a folder")
    root_real = root.resolve()
    batch = FileBatch()
    count = 0
    for path in _walk(root):
        rel = path.relative_to(root).as_posix()
        if path.suffix.lower() not in SUFFIXES:
            log.debug("source=%s skipped=%s reason=unsupported-type", src.name, rel)
            continue
        try:
            st = os.stat(path)  # follows symlinks: we check where they lead below
        except OSError as exc:
            batch.warnings.append(f"{rel}: cannot stat ({exc.strerror})")
            continue
        if not stat.S_ISREG(st.st_mode):
            batch.warnings.append(f"{rel}: not a regular file, skipped")
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(root_real):
            batch.warnings.append(f"{rel}: symlink leaves the source folder, skipped")
            continue
        stamp = (st.st_size, st.st_mtime_ns)
        if known.get(rel) == stamp:
            continue
        count += 1
        if count > src.max_files:
            batch.warnings.append(f"more than {src.max_files} new files; the rest wait for the next run")
            break
        if st.st_size == 0:
            batch.warnings.append(f"{rel}: empty file, skipped")
            batch.stamps.append((rel, *stamp))
            continue
        if st.st_size > src.max_file_bytes:
            batch.warnings.append(f"{rel}: {st.st_size} bytes is over the {src.max_file_bytes} limit, skipped")
            batch.stamps.append((rel, *stamp))
            continue
        try:
            data = _read_stable(path, stamp)
        except _Unstable:
            batch.warnings.append(f"{rel}: changed while being read; retried next run")
            continue
        except OSError as exc:
            batch.warnings.append(f"{rel}: cannot read ({exc.strerror or exc})")
            continue
        if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            batch.warnings.append(f"{rel}: binary file, skipped")
            batch.stamps.append((rel, *stamp))
            continue
        mtime = datetime.fromtimestamp(st.st_mtime, tz=timezone.utc)
        try:
            items = list(parse_file(src.name, rel, path.suffix.lower(), data, mtime))
        except _BadFile as exc:
            batch.warnings.append(f"{rel}: {exc}")
            batch.stamps.append((rel, *stamp))
            continue
        batch.items.extend(items)
        batch.stamps.append((rel, *stamp))
    return batch


def _walk(root: Path) -> Iterator[Path]:
    """Files below ``root`` in a deterministic order, hidden and temp files left out."""
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            log.warning("cannot list %s: %s", folder, exc.strerror)
            continue
        subdirs = []
        for entry in entries:
            name = entry.name
            if name.startswith((".", "#")) or name in IGNORED_NAMES or name.endswith(IGNORED_SUFFIXES):
                continue
            if entry.is_dir(follow_symlinks=False):
                subdirs.append(Path(entry.path))
            else:
                yield Path(entry.path)
        stack.extend(reversed(subdirs))


class _Unstable(Exception):
    pass


class _BadFile(Exception):
    pass


def _read_stable(path: Path, stamp: tuple[int, int]) -> bytes:
    """Read a file and make sure it did not change meanwhile (a writer still at work)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # never block on a FIFO swapped in
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _Unstable()
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(stamp[0] + 1)
        after = os.fstat(fd)
    finally:
        os.close(fd)
    if (after.st_size, after.st_mtime_ns) != stamp or len(data) != stamp[0]:
        raise _Unstable()
    return data


def parse_file(source: str, rel: str, suffix: str, data: bytes, mtime: datetime) -> Iterator[RawItem]:
    """Turn one file's bytes into raw items."""
    text = decode_bytes(data)
    if suffix == ".txt":
        yield RawItem(
            source=source,
            origin=rel,
            body=text,
            body_format="text",
            is_whole_page=True,
            reference_time=mtime,
        )
    elif suffix in (".md", ".markdown"):
        yield _markdown_item(source, rel, text, mtime)
    elif suffix in (".html", ".htm"):
        yield RawItem(
            source=source,
            origin=rel,
            body=text,
            body_format="html",
            is_whole_page=True,
            reference_time=mtime,
        )
    elif suffix == ".json":
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _BadFile(f"invalid JSON at line {exc.lineno}: {exc.msg}")
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
            except json.JSONDecodeError:
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
                loaded = yaml.safe_load(text[4:end])
            except yaml.YAMLError:
                loaded = None
            if isinstance(loaded, dict):
                meta = loaded
                body = text[end + 4 :].lstrip("-").lstrip("\n")
    published = _parse_date(meta.get("date"))
    return RawItem(
        source=source,
        origin=rel,
        body=body,
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
    body = _first(obj, TEXT_KEYS) or ""
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


def _first(obj: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    return _text(_first_raw(obj, keys))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
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
            dt = datetime.fromtimestamp(seconds, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    elif isinstance(value, str):
        try:
            dt = dateparser.parse(value.strip("[] "))
        except (ValueError, OverflowError):
            return None
    else:
        return None
    if not 1900 <= dt.year <= 2200:
        return None
    return dt
