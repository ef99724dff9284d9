"""The briefing view model: the one documented object the templates receive.

Every field the templates may use is a dataclass field here with a short description; a test
checks that templates use nothing else. Ordering is deterministic (stable sort keys only), so the
same state renders byte-identical files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from digest.actors.rank import ActorsResult
from digest.briefing.watch import WatchHit, pin_watched
from digest.config import Config
from digest.models import BriefingActor, Development, SourceStatus, StoredItem, StoryView
from digest.store import Store
from digest.stories import current_title


@dataclass(frozen=True)
class DevelopmentEntry:
    """A development listed in the briefing's New developments section."""

    story_id: str  # the story it belongs to
    story_title: str  # that story's title
    development: Development  # the development itself (text, kind, previous, source, url, date)


@dataclass(frozen=True)
class Briefing:
    """Everything one dated briefing shows."""

    day: date  # the briefing's date
    title: str  # e.g. "Daily briefing"
    stories: tuple[StoryView, ...]  # stories, most important first
    actors: tuple[BriefingActor, ...]  # Key actors of the day across stories
    developments: tuple[DevelopmentEntry, ...]  # New developments across stories
    sources: tuple[SourceStatus, ...]  # every source of this run
    item_count: int  # items reported, duplicates included
    previous_day: date | None = None  # the briefing before this one, if any
    next_day: date | None = None  # the briefing after this one, if any
    extra: Mapping[str, object] = field(default_factory=dict)  # room for later sections
    watched: tuple[
        WatchHit, ...
    ] = ()  # stories matching the watchlist (pinned first), with reasons
    timelines: bool = False  # each story links to its timeline page stories/<id>.html

    @property
    def failed_sources(self) -> tuple[SourceStatus, ...]:
        return tuple(s for s in self.sources if not s.ok)

    @property
    def watched_ids(self) -> frozenset[str]:
        return frozenset(h.story_id for h in self.watched)


def _story_rank(view: StoryView) -> tuple[int, int, str]:
    originals = sum(1 for it in view.items if not it.duplicate_of)
    return (-len(view.sources), -originals, view.id)


def build(
    *,
    config: Config,
    store: Store,
    day: date,
    grouped: Mapping[str, Sequence[StoredItem]],
    actors: ActorsResult,
    developments: Mapping[str, Sequence[Development]],
    sources: Sequence[SourceStatus],
) -> Briefing:
    """Assemble the briefing for ``day`` from the stage results."""
    views = []
    for sid, items in grouped.items():
        ordered = sorted(
            items, key=lambda it: (it.duplicate_of is not None, _published_key(it), it.article.id)
        )
        srcs = tuple(sorted({it.article.source for it in ordered}))
        views.append(
            StoryView(
                id=sid,
                title=current_title(ordered) or ordered[0].article.title,
                first_title=store.story_title(sid) or ordered[0].article.title,
                first_seen=store.story_first_seen(sid) or day,
                items=tuple(ordered),
                actors=actors.per_story.get(sid, ()),
                developments=tuple(developments.get(sid, ())),
                sources=srcs,
            )
        )
    views.sort(key=_story_rank)
    per_source: dict[str, int] = {}
    for items in grouped.values():
        for it in items:
            per_source[it.article.collector] = per_source.get(it.article.collector, 0) + 1
    # The count shown per source is what it contributed to this briefing (deterministic on
    # re-render).
    sources = [replace(s, items=per_source.get(s.name, 0)) for s in sources]
    views, watched = pin_watched(views, config.watch)
    if config.briefing.max_stories:
        views = views[: config.briefing.max_stories]
        kept = {v.id for v in views}
        watched = tuple(h for h in watched if h.story_id in kept)
    entries = tuple(
        DevelopmentEntry(story_id=v.id, story_title=v.title, development=d)
        for v in views
        for d in v.developments
    )
    days = store.briefing_days()
    earlier = [d for d in days if d < day]
    later = [d for d in days if d > day]
    return Briefing(
        day=day,
        title=config.briefing.title,
        stories=tuple(views),
        actors=actors.briefing,
        developments=entries,
        sources=tuple(sorted(sources, key=lambda s: s.name)),
        item_count=sum(len(v.items) for v in views),
        previous_day=earlier[-1] if earlier else None,
        next_day=later[0] if later else None,
        watched=watched,
        timelines="html" in config.output.formats,
    )


def _published_key(it: StoredItem) -> str:
    return it.article.published.isoformat() if it.article.published else ""
