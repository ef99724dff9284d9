"""The orchestrator: the one place that calls the stages in order and talks to the store.

``render``, ``backfill`` and the daemon's job all call ``run_day``/``run_range``. A run has two
phases: **ingest** (collect from every source outside any transaction, then clean and store the new
items together with each source's fetch state in one transaction) and **publish** (for one day:
fold duplicates, group stories, find actors and developments, render, write the files atomically,
then mark the items reported; all in one transaction committed only after the files are in place).
A failing source is recorded and shown in the footer; it never stops the run.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from digest import actors as actors_stage
from digest import archive, dedupe, developments, entities, mail, render, stories
from digest import briefing as briefing_stage
from digest.articles import clean_item, raw_item_id
from digest.config import Config
from digest.errors import SourceError
from digest.models import RawItem, SourceStatus, StoredItem
from digest.sources import collect_all
from digest.sources.opml import expand_sources
from digest.stageclock import StageClock
from digest.store import BriefingRecord, Store

log = logging.getLogger(__name__)


@dataclass
class RunResult:
    """What one published day produced."""

    day: date
    paths: list[Path]
    items: int
    stories: int
    sources: list[SourceStatus] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed_sources(self) -> list[SourceStatus]:
        return [s for s in self.sources if not s.ok]


def open_store(config: Config) -> Store:
    return Store.open(config.state.path)


def ingest(config: Config, store: Store, now: datetime) -> list[SourceStatus]:
    """Collect every source and store the new items. Returns one status per source."""
    sources, statuses = expand_sources(config.sources)  # opml lists become feeds; unreadable ones fail
    clock = StageClock()
    jobs = [(src, store.file_index(src.name), store.source_state(src.name)) for src in sources if src.enabled]
    for (src, _, state), outcome in zip(jobs, collect_all(jobs, config, now)):
        clock.lap("collect")
        if isinstance(outcome, SourceError):
            message = str(outcome)
            log.warning("source=%s failed: %s", src.name, message)
            retry_after = getattr(outcome, "retry_after", None)
            with store.transaction():
                store.save_source_state(
                    replace(
                        state,
                        last_attempt=now,
                        last_error=message,
                        last_error_at=now,
                        consecutive_failures=state.consecutive_failures + 1,
                        not_before=retry_after or state.not_before,
                    )
                )
            statuses.append(SourceStatus(src.name, ok=False, error=message))
            clock.lap("clean+store")
            continue
        batch = outcome
        for warning in batch.warnings:
            log.warning("source=%s %s", src.name, warning)
        new = 0
        with store.transaction():
            new = _store_items(store, batch.items, config, now)
            clock.lap("clean+store")
            if batch.stamps:
                store.save_file_index(src.name, batch.stamps)
            store.save_source_state(
                replace(
                    state,
                    etag=batch.etag,
                    last_modified=batch.last_modified,
                    not_before=None,
                    last_attempt=now,
                    last_success=now,
                    consecutive_failures=0,
                    last_items=new,
                )
            )
        log.info("source=%s items=%d new=%d", src.name, len(batch.items), new)
        statuses.append(SourceStatus(src.name, ok=True, items=new))
    clock.log("ingest")
    return statuses


def _store_items(store: Store, raws: Sequence[RawItem], config: Config, now: datetime) -> int:
    tz = config.tz
    new = 0
    memories: dict[str, object] = {}
    # Entries seen before (a feed fetched again) are not cleaned again once they were reported.
    ids = [raw_item_id(r) for r in raws]
    known = store.reported_ids({i for i in ids if i})
    for raw, raw_id in zip(raws, ids):
        if raw_id in known:
            continue
        memory_key = raw.outlet or raw.source
        memory = memories.get(memory_key)
        if memory is None:
            memory = memories[memory_key] = store.line_memory(memory_key)
        try:
            result = clean_item(raw, tz=tz, now=now, memory=memory)  # type: ignore[arg-type]
        except Exception as exc:  # one bad item never stops its source
            log.warning("source=%s origin=%s could not be cleaned: %s", raw.source, raw.origin, exc)
            continue
        article = result.article
        if not article.text.strip() and article.title == "(untitled)":
            continue
        day = (article.published.astimezone(tz) if article.published else now.astimezone(tz)).date()
        if store.insert_item(article, day, now):
            new += 1
            if result.line_keys:
                store.remember_lines(memory_key, result.line_keys)
        else:
            store.update_unreported_item(article, day)
    return new


def publish_day(
    config: Config, store: Store, day: date, statuses: Sequence[SourceStatus], now: datetime
) -> RunResult:
    """Build, render and write the briefing of ``day``; mark its items reported."""
    started = time.monotonic()
    oldest = day - timedelta(days=config.items.max_age_days)
    clock = StageClock()
    with store.transaction():
        items = store.items_for_briefing(day, oldest)
        clock.lap("select")
        mentions = entities.analyse(items, store, config.nlp)
        clock.lap("entities")
        unassigned = [it for it in items if it.story_id is None]
        dupes = dedupe.find_duplicates(unassigned, store, config.stories)
        originals = [it for it in unassigned if it.article.id not in dupes]
        clock.lap("dedupe")
        for a in stories.assign_stories(originals, store, day, config.stories, mentions):
            store.set_story(a.item_id, a.story_id, None, a.score, a.shared)
        by_id = store.items_by_ids([it.article.id for it in items])
        for dup_id, original_id in dupes.items():
            original = by_id.get(original_id) or store.items_by_ids([original_id]).get(original_id)
            story_id = original.story_id if original else None
            if story_id is None:  # original not stored under a story yet: it starts one
                story_id = "s-" + original_id[:12]
                store.create_story(story_id, by_id[dup_id].article.title, day)
            if original is not None and dedupe.is_later_version(by_id[dup_id], original, day):
                store.set_story(dup_id, story_id, None, 1.0, ("later version of a reported item",))
            else:
                store.set_story(dup_id, story_id, original_id, 1.0, ("duplicate",))
        items = store.items_for_briefing(day, oldest)
        clock.lap("stories")
        grouped: dict[str, list[StoredItem]] = {}
        for it in items:
            assert it.story_id is not None
            grouped.setdefault(it.story_id, []).append(it)
        registry = store.actor_registry(actors_stage.registry_keys(grouped, mentions))
        actor_result = actors_stage.extract_actors(grouped, config, mentions, registry, day)
        store.save_actor_registry(actor_result.learned)
        clock.lap("actors")
        story_devs = {
            sid: developments.story_developments(
                its,
                store.items_of_story_before(sid, day),
                config.developments,
                actors=[a.name for a in actor_result.per_story.get(sid, ())],
            )
            for sid, its in grouped.items()
        }
        clock.lap("developments")
        model = briefing_stage.build(
            config=config,
            store=store,
            day=day,
            grouped=grouped,
            actors=actor_result,
            developments=story_devs,
            sources=statuses,
        )
        clock.lap("briefing")
        paths = render.write_briefing(model, config)
        clock.lap("render")
        archive.publish(model, config, store)  # index, neighbours' links, timelines, feed, mail queue
        clock.lap("archive")
        store.mark_reported([it.article.id for it in items], day)
        seconds = time.monotonic() - started
        store.record_briefing(
            BriefingRecord(
                day=day,
                completed_at=now,
                items=len(items),
                stories=len(grouped),
                sources_failed=sum(1 for s in statuses if not s.ok),
                seconds=round(seconds, 3),
            )
        )
        store.record_run(now, day, "ok", len(items), len(grouped), sum(1 for s in statuses if not s.ok), seconds)
    mail.deliver_pending(config, store)  # after the commit: a rolled-back run never mails
    clock.log(f"day={day}")
    log.info(
        "day=%s items=%d stories=%d sources_failed=%d seconds=%.2f",
        day,
        len(items),
        len(grouped),
        sum(1 for s in statuses if not s.ok),
        seconds,
    )
    return RunResult(day, paths, len(items), len(grouped), list(statuses), seconds)


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
