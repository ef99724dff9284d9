"""Publish one day: fold duplicates, group stories, find actors and developments, render, write
the files atomically, then mark the items reported; all in one transaction committed only after
the files are in place."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from digest import actors as actors_stage
from digest import briefing as briefing_stage
from digest import developments, stories
from digest.config import Config
from digest.models import SourceStatus, StoredItem
from digest.output import archive, mail, render
from digest.pipeline.stageclock import StageClock
from digest.store import BriefingRecord, Store
from digest.stories import DedupeResult, StoriesResult
from digest.text import entities

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
        dedupe = stories.find_duplicates(unassigned, store, config.stories)
        _apply_dedupe(store, dedupe)
        originals = [it for it in unassigned if it.article.id not in dedupe.duplicates]
        clock.lap("dedupe")
        result = stories.assign_stories(originals, store, day, config.stories, mentions)
        _apply_stories(store, result)
        by_id = {it.article.id: it for it in items}
        missing = [o for o in dedupe.duplicates.values() if o not in by_id]
        placed, created = stories.place_duplicates(
            dedupe.duplicates,
            by_id,
            {**store.items_by_ids(missing), **by_id},
            {a.item_id: a.story_id for a in result.assignments},
            day,
        )
        for story in created:
            store.create_story(story.story_id, story.title, story.day)
        for a in placed:
            store.set_story(a.item_id, a.story_id, a.duplicate_of, a.score, a.shared)
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
        archive.publish(
            model, config, store
        )  # index, neighbours' links, timelines, feed, mail queue
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
        store.record_run(
            now, day, "ok", len(items), len(grouped), sum(1 for s in statuses if not s.ok), seconds
        )
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


def _apply_dedupe(store: Store, result: DedupeResult) -> None:
    """Store the MinHash signatures of the day's new originals."""
    for sig in result.signatures:
        store.save_minhash(sig.item_id, sig.day, sig.blob, sig.bands)


def _apply_stories(store: Store, result: StoriesResult) -> None:
    """Write what the stories stage decided: frequencies, new and touched stories, profiles and
    where each item went."""
    if result.documents:
        store.add_documents(result.df_delta, result.documents)
    for story in result.new_stories:
        store.create_story(story.story_id, story.title, story.day)
    if result.day is not None:
        for story_id in result.touched:
            store.touch_story(story_id, result.day)
    for update in result.profiles:
        store.save_story_profile(update.profile, update.index_keys)
    for a in result.assignments:
        store.set_story(a.item_id, a.story_id, a.duplicate_of, a.score, a.shared)
