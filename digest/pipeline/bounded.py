"""Cleaning inbox files under a time and memory bound: one forked worker, one file at a time.

Anyone who can write to the inbox can hand the cleaners a file that costs minutes or gigabytes
(htmldate is quadratic in one element's attributes; Python-Markdown and trafilatura blow up on
runs of emphasis or unclosed links), and an unbounded run both stalls every later run and loses
the file's innocent neighbours when it is killed. So files are cleaned in a worker process:

* the worker is forked once and reused file after file (a fork per file would cost more than the
  cleaning); it is replaced when it has grown by half its memory allowance, when it fails, and at
  the end of the run;
* each file gets ``timeout`` seconds of wall time: past that the worker is killed and the file is
  reported as failed ("took longer than 15 s to clean");
* the worker's address space may grow by ``memory_limit`` bytes beyond what fork gave it
  (``RLIMIT_AS``): past that allocation fails, and the file is reported as failed. A failure in a
  worker that had already cleaned other files is retried once in a fresh one, so memory another
  file left behind is never blamed on this one;
* the line memory the text cleaner consults (which lines recur across a source's documents) stays
  in the parent, which owns the store: the worker asks for each count over its pipe.

Only the orchestrator uses this, before it stores each file in a transaction of its own.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection
from typing import Any
from zoneinfo import ZoneInfo

from digest.clean import CleanResult, LineMemory, clean_item
from digest.logs import summarise
from digest.models import RawItem
from digest.sanitize import one_line

log = logging.getLogger(__name__)

__all__ = ["CleanFailure", "CleanWorker"]

#: A worker that has grown by this share of its memory allowance is replaced before the next file.
RECYCLE_SHARE = 0.5


@dataclass(frozen=True)
class CleanFailure:
    """Why a file could not be cleaned (its items are skipped; the file is indexed as failed)."""

    reason: str


ItemOutcome = CleanResult | str  # a result, or why that one item could not be cleaned


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


class _RemoteMemory:
    """A ``LineMemory`` whose answers come from the parent over the worker's pipe."""

    def __init__(self, conn: Connection, key: str) -> None:
        self._conn, self._key = conn, key
        self._documents: int | None = None

    def documents(self) -> int:
        if self._documents is None:
            self._documents = int(self._ask("documents", ""))
        return self._documents

    def count(self, key: str) -> int:
        return int(self._ask("count", key))

    def _ask(self, what: str, key: str) -> int:
        self._conn.send(("memory", self._key, what, key))
        return int(self._conn.recv())


def _serve(
    conn: Connection, other_end: Connection, tz: ZoneInfo, now: datetime, memory_limit: int
) -> None:
    """The worker: clean each batch of raw items it is sent, until told to stop or the parent is
    gone (the parent's end is closed here, so the parent's death reads as end of file and the
    worker never outlives it holding inherited descriptors, such as the instance lock)."""
    other_end.close()
    start = _address_space()
    if start is not None:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = start + memory_limit
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message[0] != "clean":
            return
        outcomes: list[ItemOutcome] = []
        try:
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")  # library warnings go back as one line
                    for raw in message[1]:
                        outcomes.append(_clean_one(conn, raw, tz, now))
            except MemoryError:
                outcomes = []  # frees what the failed item held, so the report can be sent
                conn.send(("failed", f"needed more than {memory_limit // 2**20} MB to clean"))
                return
            grown = (_address_space() or 0) - (start or 0)
            notes = summarise(caught or [])
            conn.send(("done", outcomes, grown > memory_limit * RECYCLE_SHARE, notes))
        except (EOFError, OSError):  # the parent is gone
            return


def _clean_one(conn: Connection, raw: RawItem, tz: ZoneInfo, now: datetime) -> ItemOutcome:
    memory = _RemoteMemory(conn, raw.outlet or raw.source)
    try:
        return clean_item(raw, tz=tz, now=now, memory=memory)
    except MemoryError:
        raise
    except Exception as exc:  # one bad item never stops its file
        return f"could not be cleaned ({type(exc).__name__}: {one_line(str(exc), limit=200)})"


class CleanWorker:
    """The parent's handle on the worker. Use as a context manager; ``clean`` one file at a time.

    ``memories(key)`` gives the parent's ``LineMemory`` of a source (or outlet) for the worker's
    questions. ``now`` and ``tz`` are the run's, as for ``clean_item``.
    """

    def __init__(
        self,
        *,
        tz: ZoneInfo,
        now: datetime,
        timeout: float,
        memory_limit: int,
        memories: Callable[[str], LineMemory],
    ) -> None:
        self.tz, self.now = tz, now
        self.timeout, self.memory_limit = timeout, memory_limit
        self.memories = memories
        self._process: Any = None
        self._conn: Connection | None = None
        self._used = False  # has the current worker cleaned anything yet?
        self._was_used = False  # had it, when the file now being cleaned was sent?

    def __enter__(self) -> CleanWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.send(("stop",))
            except OSError:
                pass
        self._stop(kill=False)

    def clean(self, raws: Sequence[RawItem]) -> list[ItemOutcome] | CleanFailure:
        """Clean the items of one file within the bounds; a ``CleanFailure`` says why not."""
        if not raws:
            return []
        outcome = self._attempt(raws)
        if isinstance(outcome, CleanFailure) and outcome.reason.startswith("needed more"):
            if self._was_used:  # another file's leftovers may be to blame: one fresh try
                outcome = self._attempt(raws)
        return outcome

    def _attempt(self, raws: Sequence[RawItem]) -> list[ItemOutcome] | CleanFailure:
        conn = self._ensure()
        self._was_used = self._used
        self._used = True
        try:
            conn.send(("clean", list(raws)))
        except OSError:
            self._stop(kill=True)
            return CleanFailure("the cleaning worker could not be reached")
        deadline = time.monotonic() + self.timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not conn.poll(left):
                self._stop(kill=True)
                return CleanFailure(f"took longer than {self.timeout:g} s to clean")
            try:
                message = conn.recv()
            except (EOFError, OSError):
                code = self._stop(kill=True)
                return CleanFailure(f"the cleaning worker died (exit code {code})")
            if message[0] == "memory":
                _, key, what, line = message
                memory = self.memories(key)
                conn.send(memory.documents() if what == "documents" else memory.count(line))
            elif message[0] == "failed":
                self._stop(kill=True)
                return CleanFailure(message[1])
            else:
                _, outcomes, recycle, notes = message
                if notes:
                    log.info("cleaning in the worker: %s", notes)
                if recycle:
                    self.close()
                return list(outcomes)

    def _ensure(self) -> Connection:
        if self._conn is None:
            context = multiprocessing.get_context("fork")
            parent, child = context.Pipe(duplex=True)
            process = context.Process(
                target=_serve,
                args=(child, parent, self.tz, self.now, self.memory_limit),
                name="digest-clean",
                daemon=True,
            )
            process.start()
            child.close()
            self._process, self._conn, self._used = process, parent, False
        return self._conn

    def _stop(self, *, kill: bool) -> int | None:
        process, conn = self._process, self._conn
        self._process, self._conn = None, None
        if conn is not None:
            conn.close()
        if process is None:
            return None
        if kill and process.is_alive():
            process.kill()
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join(5)
        return process.exitcode
