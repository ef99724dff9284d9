"""The single-instance lock: a kernel ``flock`` on ``digest.lock`` beside the state database.

One digest process at a time may write the state and ``out/``: the daemon holds the lock for its
whole lifetime, ``digest render`` and ``digest backfill`` for their run. A second process fails at
once with a ``LockError`` naming the lock file and the holder's pid. The kernel releases a flock
when its holder exits or crashes, so a stale lock file never blocks anyone (unlike lock files that
rely on pid checks or age, e.g. filelock's SoftFileLock). The lock file must be on a local disk.

The file holds ``<pid> <command>`` of the current holder, for the message and ``digest status``.

A flock belongs to the open file, which a forked child shares: a worker process (a bounded file
cleaner, an NER worker, a feed parser) that outlived a killed run would keep the lock and refuse
the next run. So every child forked while the lock is held closes its copy of the descriptor at
once (``os.register_at_fork``); only the process that took the lock holds it.
"""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path
from types import TracebackType

from digest.config import Config
from digest.errors import LockError

log = logging.getLogger(__name__)

LOCK_NAME = "digest.lock"

# Descriptors of the locks this process holds; a forked child closes its copies of them.
_HELD: set[int] = set()


def _close_in_child() -> None:
    for fd in _HELD:
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


os.register_at_fork(after_in_child=_close_in_child)


def lock_path(config: Config) -> Path:
    """``<state dir>/digest.lock``: beside the database, so one lock guards one state."""
    return config.state.path.parent / LOCK_NAME


def read_holder(path: Path) -> tuple[int | None, str]:
    """``(pid, command)`` written by the current or last holder; ``(None, "")`` if unknown."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None, ""
    pid_text, _, command = text.partition(" ")
    return (int(pid_text), command.strip()) if pid_text.isdigit() else (None, "")


def holder_if_locked(path: Path) -> tuple[int | None, str] | None:
    """Who holds the lock right now, or ``None`` when nobody does. Never creates the file.

    Probes with a shared non-blocking flock released at once (a process starting in that instant
    could be refused; ``digest status`` accepts that tiny window to give a kernel-true answer).
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise LockError(f"cannot open lock file {path}: {exc.strerror or exc}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return read_holder(path)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


class InstanceLock:
    """Hold ``LOCK_EX`` on ``path`` from ``acquire()`` (or ``with``) until ``release()``."""

    def __init__(self, path: Path, command: str) -> None:
        self.path = path
        self.command = command
        self._fd: int | None = None

    def acquire(self) -> InstanceLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise LockError(f"cannot open lock file {self.path}: {exc.strerror or exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            pid, command = read_holder(self.path)
            who = f"pid {pid}" if pid is not None else "pid unknown"
            what = f", digest {command}" if command else ""
            hint = (
                "; the daemon holds it while it runs: stop it first, or let it write the briefing"
                if command == "daemon"
                else "; wait for it to finish"
            )
            raise LockError(
                f"another digest process holds {self.path} ({who}{what}){hint}"
            ) from None
        except OSError as exc:
            os.close(fd)
            raise LockError(f"cannot lock {self.path}: {exc.strerror or exc}") from exc
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {self.command}\n".encode(), 0)
        self._fd = fd
        _HELD.add(fd)
        log.debug("lock=%s acquired pid=%d command=%s", self.path, os.getpid(), self.command)
        return self

    def release(self) -> None:
        """Clear the holder line and drop the lock. The file stays: unlinking it would race."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        _HELD.discard(fd)
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def instance_lock(config: Config, command: str) -> InstanceLock:
    """The lock for ``config``'s state, labelled with the digest sub-command taking it."""
    return InstanceLock(lock_path(config), command)
