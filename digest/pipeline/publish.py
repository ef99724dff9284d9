"""Publish one day: fold duplicates, group stories, find actors and developments, render, write
the files atomically, then mark the items reported; all in one transaction committed only after
the files are in place."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import TYPE_CHECKING

from digest import actors as actors_stage
from digest import briefing as briefing_stage
from digest import developments
from digest.config import Config
from digest.models import Mention, SourceStatus, StoredItem
from digest.pipeline.outputs import deliver_mail, write_outputs
from digest.pipeline.stageclock import StageClock
from digest.store import BriefingRecord, Store
from digest.text import entities

if TYPE_CHECKING:
    from digest.stories import DedupeResult, StoriesResult

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


def _window(oldest: date, day: date, config: Config) -> tuple[datetime, datetime]:
    """The instants where ``oldest`` starts and ``day`` ends, in the configured zone: an item first
    seen in between belongs in this briefing even when its own date is older (issue #18, item 11),
    so no item is ever left out of every briefing."""
    start = datetime.combine(oldest, dtime.min, tzinfo=config.tz)
    return start, datetime.combine(day + timedelta(days=1), dtime.min, tzinfo=config.tz)


def publish_day(
    config: Config, store: Store, day: date, statuses: Sequence[SourceStatus], now: datetime
) -> RunResult:
    """Build, render and write the briefing of ``day``; mark its items reported."""
    started = time.monotonic()
    oldest = day - timedelta(days=config.items.max_age_days)
    seen = _window(oldest, day, config)
    clock = StageClock()
    with store.transaction():
        items = store.items_for_briefing(day, oldest, seen)
        clock.lap("select")
        mentions = _assign_stories(config, store, day, items, clock)
        items = store.items_for_briefing(day, oldest, seen)
        later = [it for it in items if not it.duplicate_of and it.article.id not in mentions]
        if later:  # later versions of reported items: not folded, so their actors count
            mentions.update(_mentions(store, later, config))
            clock.lap("entities")
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
            day=day,
            grouped=grouped,
            actors=actor_result,
            developments=story_devs,
            sources=statuses,
            titles={sid: store.story_title(sid) or "" for sid in grouped},
            first_days=store.story_first_days(list(grouped)),
            briefing_days=store.briefing_days(),
        )
        clock.lap("briefing")
        written = write_outputs(config, store, model)  # files, snapshot, timelines, index, feed
        clock.lap("output")
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
    deliver_mail(config, store, {day: written.rendered}, now)  # a rolled-back run never mails
    clock.log(f"day={day}")
    log.info(
        "day=%s items=%d stories=%d sources_failed=%d seconds=%.2f",
        day,
        len(items),
        len(grouped),
        sum(1 for s in statuses if not s.ok),
        seconds,
    )
    return RunResult(day, written.paths, len(items), len(grouped), list(statuses), seconds)


def _assign_stories(
    config: Config, store: Store, day: date, items: Sequence[StoredItem], clock: StageClock
) -> dict[str, tuple[Mention, ...]]:
    """Fold the new items' duplicates, then group the rest into stories, applying what the two
    stages decided; return the mentions of every item that is not a folded duplicate (only those
    are analysed: a duplicate costs nothing)."""
    unassigned = [it for it in items if it.story_id is None]
    if not unassigned:  # a re-render: every story is known
        mentions = _mentions(store, [it for it in items if not it.duplicate_of], config)
        clock.lap("entities")
        return mentions
    from digest import stories  # numpy and scipy: only a day with new items pays for them

    dedupe = stories.find_duplicates(unassigned, store, config.stories)
    _apply_dedupe(store, dedupe)
    originals = [it for it in unassigned if it.article.id not in dedupe.duplicates]
    clock.lap("dedupe")
    needed = [it for it in items if it.article.id not in dedupe.duplicates and not it.duplicate_of]
    mentions = _mentions(store, needed, config)
    clock.lap("entities")
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
    clock.lap("stories")
    return mentions


def _mentions(
    store: Store, items: Sequence[StoredItem], config: Config
) -> dict[str, tuple[Mention, ...]]:
    """Every item's entity mentions; the texts analysed now are cached for later runs."""
    if not items:
        return {}
    analysis = entities.analyse(items, store, config.nlp)
    store.save_mentions(analysis.fresh)
    return analysis.mentions


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
