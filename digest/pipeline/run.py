"""The orchestrator: the one place that calls the stages in order and talks to the store.

``render``, ``backfill`` and the daemon's job all call ``run_day``/``run_range``. A run has two
phases: **ingest** (collect from every source outside any transaction, then clean and store the new
items together with each source's fetch state in one transaction) and **publish** (for one day:
fold duplicates, group stories, find actors and developments, render, write the files atomically,
then mark the items reported; all in one transaction committed only after the files are in place).
A failing source is recorded and shown in the footer; it never stops the run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from digest.config import Config
from digest.errors import NothingToReport
from digest.models import SourceStatus
from digest.pipeline.ingest import ingest
from digest.pipeline.publish import RunResult, publish_day
from digest.store import Store


def open_store(config: Config) -> Store:
    return Store.open(config.state.path)


def run_day(config: Config, day: date, now: datetime) -> RunResult:
    """``digest render``: ingest every source, then publish ``day``.

    Raises ``NothingToReport`` (and writes nothing) when every enabled source failed and no
    unreported item is left for ``day``: an empty briefing would hide the outage.
    """
    store = open_store(config)
    try:
        statuses = ingest(config, store, now)
        oldest = day - timedelta(days=config.items.max_age_days)
        if all_failed(statuses) and not store.items_for_briefing(day, oldest):
            raise NothingToReport(_nothing_message(statuses, f"no briefing written for {day}"))
        return publish_day(config, store, day, statuses, now)
    finally:
        store.close()


def all_failed(statuses: Sequence[SourceStatus]) -> bool:
    """True when there was at least one source and every one of them failed."""
    return bool(statuses) and not any(s.ok for s in statuses)


def _nothing_message(statuses: Sequence[SourceStatus], outcome: str) -> str:
    names = ", ".join(s.name for s in statuses)
    return f"every enabled source failed ({names}) and nothing new is left to report; {outcome}"


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
        if all_failed(statuses) and not days:
            raise NothingToReport(_nothing_message(statuses, "no briefing written"))
        results = []
        for i, day in enumerate(days):
            results.append(publish_day(config, store, day, statuses, now))
            if progress:
                progress(i + 1, len(days), day)
        return results
    finally:
        store.close()
