"""Atomic file output: a reader (or a crash) never sees a half-written briefing.

Write to a temporary file in the target directory, flush and fsync it, ``os.replace`` it over the
target, then fsync the directory so the rename itself is durable. On any error the temporary file
is removed and the previous file stays whole. A process killed between ``mkstemp`` and the rename
cannot remove its temporary file, so each temporary name carries the writer's pid and the next
write of the same target removes the ones whose writer is gone (digest runs one process at a time
under its instance lock, so a dead pid's file is always garbage).
"""

from __future__ import annotations

import errno
import logging
import os
import tempfile
from pathlib import Path

from digest.errors import OutputError

log = logging.getLogger(__name__)

__all__ = ["ensure_dir", "write_atomic"]


def ensure_dir(path: Path) -> None:
    """Create ``path`` (and parents) durably; refuse a folder we cannot write into."""
    try:
        existed = path.is_dir()
        path.mkdir(parents=True, exist_ok=True)
        if not existed:
            _fsync_dir(path.parent)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {path}: {exc.strerror or exc}") from exc
    if not os.access(path, os.W_OK):
        raise OutputError(f"output folder {path} is not writable")


def write_atomic(path: Path, content: str | bytes) -> None:
    """Replace ``path`` with ``content`` atomically and durably. Unchanged files are not
    rewritten."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    ensure_dir(path.parent)
    _remove_stale_temps(path)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=_temp_prefix(path), suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
        tmp_name = None
        _fsync_dir(path.parent)
    except OSError as exc:
        hint = " (disk full)" if exc.errno == errno.ENOSPC else ""
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}{hint}") from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def _temp_prefix(path: Path, pid: int | None = None) -> str:
    return f".{path.name}.{os.getpid() if pid is None else pid}."


def _remove_stale_temps(path: Path) -> None:
    """Delete temporary files of ``path`` left by writers that were killed mid-write."""
    prefix = f".{path.name}."
    try:
        names = [n for n in os.listdir(path.parent) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return
    for name in names:
        pid_text = name[len(prefix) :].split(".", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        try:
            os.unlink(path.parent / name)
            log.info("file=%s removed a temporary file left by a killed run", path.parent / name)
        except OSError:
            pass


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _fsync_dir(folder: Path) -> None:
    """Make a rename or a new entry in ``folder`` durable (not supported everywhere: best
    effort)."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(dir_fd)
