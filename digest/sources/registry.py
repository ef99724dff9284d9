"""The source registry, keyed by the config's ``type:``, and collecting many sources at once.

Each kind returns a ``SourceBatch``: the raw items it found plus what the store must remember
(file index entries, conditional-GET validators). Collecting neither reads nor writes the store:
what a source needs from earlier runs (its file index, its ``SourceState``) is handed in as plain
arguments, and the orchestrator stores the batch.

A whole run's fetching is bounded too (``fetch.run_budget``): a network feed not started before
the budget is used up is not fetched but returned as ``SourceDeferred`` (reported, collected next
run), and one started near the end gets only what is left of the budget as its deadline.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from digest.config import Config, SourceConfig
from digest.errors import SourceDeferred, SourceError
from digest.logs import captured_warnings
from digest.models import RawItem, SourceState
from digest.sources.files import FileRecord

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from digest.net.http import FetchResult


@dataclass
class SourceBatch:
    """What one source found: its raw items and the file-index entries to store. A files source
    also groups them by file in ``files``, so each file can be cleaned and stored on its own.
    ``not_modified``: the feed had not changed since the last run (304 or same file)."""

    items: list[RawItem] = field(default_factory=list)
    stamps: list[tuple[str, int, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    files: list[FileRecord] = field(default_factory=list)
    not_modified: bool = False


Known = dict[str, tuple[int, int]]  # the file index: relative path -> (size, mtime_ns)
Collector = Callable[..., SourceBatch]  # (src, config, known, state, now, fetched=None)

# Below this many sources, collecting in worker processes costs more than it saves.
PARALLEL_MIN_SOURCES = 4
# Feed downloads at once: waiting on servers costs no CPU, so many overlap; each one keeps the
# bounds of ``fetch`` (connect/read timeouts, overall deadline, size cap).
FETCH_THREADS = 8


def _files(
    src: SourceConfig, config: Config, known: Known, state: SourceState, now: datetime
) -> SourceBatch:
    from digest.sources.files import collect_files

    found = collect_files(src, known, now)
    records = found.files
    if src.title:  # shown for items that do not name their own outlet
        records = [
            replace(r, items=[it if it.outlet else replace(it, outlet=src.title) for it in r.items])
            for r in records
        ]
    items = [it for r in records for it in r.items]
    return SourceBatch(items=items, stamps=found.stamps, warnings=found.warnings, files=records)


def _feed(
    src: SourceConfig,
    config: Config,
    known: Known,
    state: SourceState,
    now: datetime,
    fetched: FetchResult | None = None,
) -> SourceBatch:
    from digest.sources.feed import collect_feed

    found = collect_feed(src, state, config.fetch, now, known=known, fetched=fetched)
    return SourceBatch(
        items=found.items,
        stamps=found.stamps,
        warnings=found.warnings,
        etag=found.etag,
        last_modified=found.last_modified,
        not_modified=found.not_modified,
    )


REGISTRY: dict[str, Collector] = {"files": _files, "feed": _feed}


def _collect(
    src: SourceConfig,
    config: Config,
    known: Known,
    state: SourceState,
    now: datetime,
    fetched: FetchResult | None = None,
) -> SourceBatch:
    collector = REGISTRY.get(src.type)
    if collector is None:
        raise SourceError(f"source {src.name}: type {src.type!r} is not supported yet")
    try:
        with captured_warnings(log, f"source={src.name}"):
            if fetched is not None:
                return collector(src, config, known, state, now, fetched=fetched)
            return collector(src, config, known, state, now)
    except SourceError:
        raise
    except Exception as exc:  # a bug or an unexpected library error must not stop the run
        raise SourceError(f"source {src.name}: unexpected {type(exc).__name__}: {exc}") from exc


def collect(
    src: SourceConfig, config: Config, known: Known, state: SourceState, now: datetime
) -> SourceBatch:
    """Collect one source. Raises ``SourceError`` (never anything else) when it fails as a whole.

    ``known`` is the source's file index and ``state`` what was remembered about it (validators,
    Retry-After), both from the previous run."""
    return _collect(src, config, known, state, now)


def _within_budget(src: SourceConfig, config: Config, budget_end: float | None) -> Config | None:
    """``config`` with the fetch deadline cut to what is left of the run's fetch budget (a
    ``time.monotonic`` instant, system-wide, so it holds in a worker process too), or None when
    a network feed must not start any more."""
    if budget_end is None or src.url is None:
        return config
    left = budget_end - time.monotonic()
    if left <= 0:
        return None
    if left < config.fetch.deadline:
        return replace(config, fetch=replace(config.fetch, deadline=left))
    return config


def _deferred(src: SourceConfig, config: Config) -> SourceDeferred:
    return SourceDeferred(
        f"source {src.name}: deferred to the next run (the run's fetch budget of "
        f"{config.fetch.run_budget:g} s was used up)"
    )


def _collect_outcome(
    src: SourceConfig,
    config: Config,
    known: Known,
    state: SourceState,
    now: datetime,
    budget_end: float | None = None,
    fetched: FetchResult | None = None,
) -> SourceBatch | SourceError:
    """One source, never raising, within the run's fetch budget."""
    bounded = config if fetched is not None else _within_budget(src, config, budget_end)
    if bounded is None:
        return _deferred(src, config)
    try:
        return _collect(src, bounded, known, state, now, fetched)
    except SourceError as exc:
        return exc


def _fetch_outcome(
    src: SourceConfig, config: Config, state: SourceState, now: datetime, budget_end: float
) -> FetchResult | SourceError:
    from digest.sources.feed import fetch_feed

    bounded = _within_budget(src, config, budget_end)
    if bounded is None:
        return _deferred(src, config)
    try:
        return fetch_feed(src, state, bounded.fetch, now)
    except SourceError as exc:
        return exc
    except Exception as exc:  # a bug or an unexpected library error must not stop the run
        return SourceError(f"source {src.name}: unexpected {type(exc).__name__}: {exc}")


def collect_all(
    jobs: Sequence[tuple[SourceConfig, Known, SourceState]], config: Config, now: datetime
) -> Iterator[SourceBatch | SourceError]:
    """Collect many sources, in order of ``jobs``, across the machine's cores.

    Feeds from ``url:`` are downloaded by ``FETCH_THREADS`` threads at once (waiting on the
    network costs no CPU); parsing is CPU-bound, so every source is parsed or read by a small pool
    of worker processes, forked before any thread exists so that each worker can fork its own
    bounded parser children safely. A feed is parsed as soon as its download is done. Results come
    back in the order of ``jobs``; a failed source yields its ``SourceError``, a feed left over
    when ``fetch.run_budget`` is used up its ``SourceDeferred``.
    """
    budget_end = time.monotonic() + config.fetch.run_budget
    workers = min(os.cpu_count() or 1, 4, len(jobs))
    if len(jobs) < PARALLEL_MIN_SOURCES or workers < 2 or threading.active_count() > 1:
        for src, known, state in jobs:
            yield _collect_outcome(src, config, known, state, now, budget_end)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pool.submit(os.getpid).result()  # every worker is forked now, before the fetch threads
        with ThreadPoolExecutor(FETCH_THREADS, thread_name_prefix="digest-fetch") as fetchers:
            outcomes: list[Future[SourceBatch | SourceError]] = []
            for src, known, state in jobs:
                if src.type == "feed" and src.url is not None and src.path is None:
                    download = fetchers.submit(_fetch_outcome, src, config, state, now, budget_end)
                    outcomes.append(_after_fetch(download, pool, (src, known, state), config, now))
                else:
                    outcomes.append(
                        pool.submit(_collect_outcome, src, config, known, state, now, budget_end)
                    )
            for (src, _, _), outcome in zip(jobs, outcomes):
                try:
                    yield outcome.result()
                except Exception as exc:  # a worker that died (killed, out of memory)
                    yield SourceError(
                        f"source {src.name}: collector process failed: {type(exc).__name__}: {exc}"
                    )


def _after_fetch(
    download: Future[FetchResult | SourceError],
    pool: ProcessPoolExecutor,
    job: tuple[SourceConfig, Known, SourceState],
    config: Config,
    now: datetime,
) -> Future[SourceBatch | SourceError]:
    """The outcome of a feed: its download, then its parsing in the pool once the bytes are in."""
    src, known, state = job
    outcome: Future[SourceBatch | SourceError] = Future()

    def parse(done: Future[FetchResult | SourceError]) -> None:
        fetched = done.result()
        if isinstance(fetched, SourceError):
            outcome.set_result(fetched)
            return
        if fetched.body is None:  # 304 Not Modified: nothing to parse
            outcome.set_result(_collect_outcome(src, config, known, state, now, None, fetched))
            return
        try:
            parsing = pool.submit(_collect_outcome, src, config, known, state, now, None, fetched)
        except Exception as exc:  # the pool broke (a worker was killed)
            outcome.set_exception(exc)
            return
        parsing.add_done_callback(lambda p: _settle(outcome, p))

    download.add_done_callback(parse)
    return outcome


def _settle(
    target: Future[SourceBatch | SourceError], source: Future[SourceBatch | SourceError]
) -> None:
    exc = source.exception()
    if exc is not None:
        target.set_exception(exc)
    else:
        target.set_result(source.result())
