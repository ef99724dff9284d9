"""Atomic file output: a reader (or a crash) never sees a half-written briefing.

Write to a temporary file in the target directory, flush and fsync it, ``os.replace`` it over the
target, then fsync the directory so the rename itself is durable. On any error the temporary file
is removed and the previous file stays whole.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from digest.errors import OutputError


def ensure_dir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {path}: {exc.strerror or exc}")
    if not os.access(path, os.W_OK):
        raise OutputError(f"output folder {path} is not writable")


def write_atomic(path: Path, content: str | bytes) -> None:
    """Replace ``path`` with ``content`` atomically and durably. Unchanged files are not rewritten."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    ensure_dir(path.parent)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
        tmp_name = None
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}")
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
