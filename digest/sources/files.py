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
  a torn document or last line does not parse, and the file is read again once it has changed.
  A one-shot ``digest render`` first waits (``unsettled``) until such files have settled; the
  daemon keeps skipping them;
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
import logging
import os
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from digest.config import SourceConfig
from digest.errors import SourceError
from digest.models import RawItem
from digest.sources.formats import BadFile, parse_file

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
        except BadFile as exc:
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


def unsettled(src: SourceConfig, now: datetime) -> tuple[float, list[str]]:
    """How long until every file of ``src`` that may still be being written has settled.

    For a one-shot run: the files ``collect_files`` would skip at ``now`` because they were
    modified within ``SETTLE_SECONDS`` (text, Markdown and HTML; JSON needs no window). Returns the
    seconds to wait (at most ``SETTLE_SECONDS``; 0 when nothing is settling) and their names.
    """
    if src.path is None or not src.path.is_dir():
        return 0.0, []
    now_ns = int(now.timestamp() * 1e9)
    settle_ns = int(SETTLE_SECONDS * 1e9)
    wait_ns, names = 0, []
    for path in _walk(src.path):
        suffix = path.suffix.lower()
        if suffix not in SUFFIXES or suffix in SELF_CHECKING:
            continue
        try:
            mtime_ns = os.stat(path).st_mtime_ns
        except OSError:
            continue
        if now_ns - settle_ns < mtime_ns <= now_ns:
            wait_ns = max(wait_ns, mtime_ns + settle_ns - now_ns)
            names.append(display_name(path.relative_to(src.path).as_posix()))
    return wait_ns / 1e9, names
