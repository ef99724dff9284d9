"""The orchestrator: the one place that calls the stages in order and talks to the store.

``render``, ``backfill`` and the daemon's job all call ``run_day``/``run_range``. A run has two
phases: **ingest** (collect from every source outside any transaction, then clean and store the new
items together with each source's fetch state in one transaction) and **publish** (for one day:
fold duplicates, group stories, find actors and developments, render, write the files atomically,
then mark the items reported; all in one transaction committed only after the files are in place).
A failing source is recorded and shown in the footer; it never stops the run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from digest.config import Config
from digest.pipeline.ingest import ingest
from digest.pipeline.publish import RunResult, publish_day
from digest.store import Store


def open_store(config: Config) -> Store:
    return Store.open(config.state.path)


def run_day(config: Config, day: date, now: datetime) -> RunResult:
    """``digest render``: ingest every source, then publish ``day``."""
    store = open_store(config)
    try:
        statuses = ingest(config, store, now)
        return publish_day(config, store, day, statuses, now)
    finally:
        store.close()


def run_range(
    config: Config,
    since: date,
    until: date,
    now: datetime,
    progress: Callable[[int, int, date], None] | None = None,
) -> list[RunResult]:
    """``digest backfill``: ingest once, then publish every day in the range that has items."""
    store = open_store(config)
    try:
        statuses = ingest(config, store, now)
        days = store.days_with_items(since, until)
        results = []
        for i, day in enumerate(days):
            results.append(publish_day(config, store, day, statuses, now))
            if progress:
                progress(i + 1, len(days), day)
        return results
    finally:
        store.close()
