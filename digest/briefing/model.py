"""The briefing view model: the one documented object the templates receive.

Every field the templates may use is a dataclass field (or property) with help text, here or on
the record it wraps; ``tests/output/test_template_fields.py`` checks that templates use nothing
else. ``build`` ranks the stories (``rank.py``), summarises them (``summary.py``), shows the first
``briefing.max_stories`` in full and lists the rest under More stories, groups them into sections
(``sections.py``) and numbers them in the order they appear. Ordering is deterministic (stable
sort keys only), so the same state renders byte-identical files.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from digest.actors.rank import ActorsResult
from digest.briefing.rank import Rank
from digest.briefing.rank import score as rank_story
from digest.briefing.sections import OTHER, section_of
from digest.briefing.summary import summarise
from digest.briefing.titles import current_title
from digest.briefing.watch import WatchHit, pin_watched
from digest.config import Config
from digest.models import BriefingActor, Development, SourceStatus, StoredItem, StoryView


@dataclass(frozen=True)
class DevelopmentEntry:
    """A development listed in the briefing's New developments section."""

    story_id: str  # the story it belongs to
    story_title: str  # that story's title
    development: Development  # the development itself (text, kind, previous, source, url, date)


#: Reports listed under a story before the rest fold away ("and 24 more reports").
ITEMS_SHOWN = 5
#: The one section of a briefing without ``sections:`` in the config.
UNSECTIONED = "Stories"


@dataclass(frozen=True)
class BriefingStory(StoryView):
    """A story as one briefing places it: its number, summary, importance and section."""

    number: int = 0  # its number on the page: contents, headings and Key actors use it
    summary: str | None = None  # its most informative lead sentence (digest/briefing/summary.py)
    rank: int = 0  # its place by importance, 1 being the most important (watched stories first)
    rank_score: float = 0.0  # the importance score (digest/briefing/rank.py)
    rank_why: tuple[str, ...] = ()  # the signals behind the score, in words
    section: str | None = None  # the title of its section (None: the briefing has no sections)
    in_full: bool = True  # shown in full; False: listed briefly under More stories

    @property
    def shown_items(self) -> tuple[StoredItem, ...]:
        """The reports listed under the story (originals first)."""
        return self.items[:ITEMS_SHOWN]

    @property
    def more_items(self) -> tuple[StoredItem, ...]:
        """The reports beyond ``ITEMS_SHOWN``, folded away."""
        return self.items[ITEMS_SHOWN:]

    @property
    def link(self) -> str | None:
        """The URL of the story's first report that has one (for the More stories list)."""
        return next((it.article.url for it in self.items if it.article.url), None)


@dataclass(frozen=True)
class Section:
    """A group of stories on the page, in number order."""

    title: str  # the section's title ("Stories" when the briefing has no sections)
    anchor: str  # the id of its heading
    stories: tuple[BriefingStory, ...]  # the section's stories shown in full
    more: tuple[BriefingStory, ...]  # the section's stories listed briefly under More stories


@dataclass(frozen=True)
class Briefing:
    """Everything one dated briefing shows."""

    day: date  # the briefing's date
    title: str  # e.g. "Daily briefing"
    stories: tuple[BriefingStory, ...]  # every story, in the order of their numbers
    actors: tuple[BriefingActor, ...]  # Key actors of the day across stories
    developments: tuple[DevelopmentEntry, ...]  # New developments of the stories shown in full
    sources: tuple[SourceStatus, ...]  # every source of this run
    item_count: int  # items reported, duplicates included
    previous_day: date | None = None  # the briefing before this one, if any
    next_day: date | None = None  # the briefing after this one, if any
    # stories matching the watchlist (pinned first), with reasons
    watched: tuple[WatchHit, ...] = ()
    timelines: bool = False  # each story links to its timeline page stories/<id>.html
    sections: tuple[Section, ...] = ()  # the stories grouped for display, in number order
    has_sections: bool = False  # sections are configured (else one section, "Stories")

    @property
    def failed_sources(self) -> tuple[SourceStatus, ...]:
        """The sources of this run that failed, for the footer."""
        return tuple(s for s in self.sources if not s.ok)

    @property
    def watched_ids(self) -> frozenset[str]:
        """Ids of the watched stories."""
        return frozenset(h.story_id for h in self.watched)

    @property
    def numbers(self) -> dict[str, int]:
        """Story id -> its number on the page."""
        return {s.id: s.number for s in self.stories}

    @property
    def titles(self) -> dict[str, str]:
        """Story id -> its title on the page."""
        return {s.id: s.title for s in self.stories}

    @property
    def more_stories(self) -> tuple[BriefingStory, ...]:
        """The stories beyond ``briefing.max_stories``, listed briefly."""
        return tuple(s for s in self.stories if not s.in_full)

    @property
    def developments_by_story(self) -> tuple[tuple[DevelopmentEntry, ...], ...]:
        """New developments grouped per story, in story order."""
        groups: list[list[DevelopmentEntry]] = []
        for e in self.developments:
            if groups and groups[-1][0].story_id == e.story_id:
                groups[-1].append(e)
            else:
                groups.append([e])
        return tuple(tuple(g) for g in groups)

    @property
    def by_rank(self) -> tuple[BriefingStory, ...]:
        """Every story, most important first."""
        return tuple(sorted(self.stories, key=lambda s: s.rank))


def build(
    *,
    config: Config,
    day: date,
    grouped: Mapping[str, Sequence[StoredItem]],
    actors: ActorsResult,
    developments: Mapping[str, Sequence[Development]],
    sources: Sequence[SourceStatus],
    titles: Mapping[str, str],
    first_days: Mapping[str, date],
    briefing_days: Sequence[date],
) -> Briefing:
    """Assemble the briefing for ``day`` from the stage results.

    The store's answers come as plain data: ``titles`` (each story's stored title, the headline
    it started with; the briefing shows the headline of the day's most central item),
    ``first_days`` (the day of each story's earliest item) and ``briefing_days`` (every day that
    has a briefing, for the day links).
    """
    views = [
        _view(sid, items, titles, first_days, day, actors, developments)
        for sid, items in grouped.items()
    ]
    key_actors = {a.name for a in actors.briefing}
    ranks = {v.id: rank_story(v, key_actors, day) for v in views}
    views.sort(key=lambda v: (-ranks[v.id].score, -_originals(v), v.id))
    views, watched = pin_watched(views, config.watch)
    stories = _place(views, ranks, config)
    sections = _sections(stories, config)
    numbered = {s.id: s for sec in sections for s in (*sec.stories, *sec.more)}
    ordered = tuple(sorted(numbered.values(), key=lambda s: s.number))
    entries = tuple(
        DevelopmentEntry(story_id=s.id, story_title=s.title, development=d)
        for s in ordered
        if s.in_full
        for d in s.developments
    )
    earlier = [d for d in briefing_days if d < day]
    later = [d for d in briefing_days if d > day]
    return Briefing(
        day=day,
        title=config.briefing.title,
        stories=ordered,
        actors=actors.briefing,
        developments=entries,
        sources=_source_counts(sources, grouped),
        item_count=sum(len(s.items) for s in ordered),
        previous_day=earlier[-1] if earlier else None,
        next_day=later[0] if later else None,
        watched=watched,
        timelines="html" in config.output.formats,
        sections=sections,
        has_sections=bool(config.sections),
    )


def _view(
    sid: str,
    items: Sequence[StoredItem],
    titles: Mapping[str, str],
    first_days: Mapping[str, date],
    day: date,
    actors: ActorsResult,
    developments: Mapping[str, Sequence[Development]],
) -> StoryView:
    ordered = sorted(
        items, key=lambda it: (it.duplicate_of is not None, _published_key(it), it.article.id)
    )
    first_title = titles.get(sid) or ordered[0].article.title
    return StoryView(
        id=sid,
        title=current_title(ordered) or first_title,
        first_title=first_title,
        first_seen=_first_seen(sid, ordered, first_days, day),
        items=tuple(ordered),
        actors=actors.per_story.get(sid, ()),
        places=actors.places.get(sid, ()),
        developments=tuple(developments.get(sid, ())),
        sources=tuple(sorted({it.article.source for it in ordered})),
    )


def _originals(view: StoryView) -> int:
    return sum(1 for it in view.items if not it.duplicate_of)


def _place(
    views: Sequence[StoryView], ranks: Mapping[str, Rank], config: Config
) -> list[BriefingStory]:
    """Each story with its rank, summary, section and whether it is shown in full."""
    cap = config.briefing.max_stories
    sectioned = bool(config.sections)
    out = []
    for i, v in enumerate(views):
        fields = {f.name: getattr(v, f.name) for f in dataclasses.fields(StoryView)}
        out.append(
            BriefingStory(
                **fields,
                summary=summarise(v.title, v.items),
                rank=i + 1,
                rank_score=ranks[v.id].score,
                rank_why=ranks[v.id].why,
                section=section_of(v, config.sections, config.sources) if sectioned else None,
                in_full=not cap or i < cap,
            )
        )
    return out


def _sections(stories: Sequence[BriefingStory], config: Config) -> tuple[Section, ...]:
    """Group the stories (in rank order) by section and number them: the stories shown in full,
    section by section, then the rest, section by section."""
    titles = [s.title for s in config.sections] + [OTHER] if config.sections else [UNSECTIONED]
    titles = list(dict.fromkeys(titles))
    groups: dict[str, tuple[list[BriefingStory], list[BriefingStory]]] = {
        t: ([], []) for t in titles
    }
    for s in stories:
        groups[s.section or UNSECTIONED][0 if s.in_full else 1].append(s)
    number = 0
    numbered: dict[str, tuple[list[BriefingStory], list[BriefingStory]]] = {
        t: ([], []) for t in titles
    }
    for part in (0, 1):
        for t in titles:
            for s in groups[t][part]:
                number += 1
                numbered[t][part].append(replace(s, number=number))
    out: list[Section] = []
    for i, (t, (full, more)) in enumerate(numbered.items()):
        anchor = _section_anchor(t, i, bool(config.sections))
        if any(sec.anchor == anchor for sec in out):
            anchor = f"{anchor}-{i + 1}"
        if full or more:
            out.append(Section(t, anchor, tuple(full), tuple(more)))
    return tuple(out)


def _section_anchor(title: str, index: int, sectioned: bool) -> str:
    """``stories`` without sections; else ``section-<words of the title>`` (its place if the
    title has no ASCII letters or digits), stable as long as the title is."""
    if not sectioned:
        return "stories"
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-")
    return f"section-{words or index + 1}"


def _source_counts(
    sources: Sequence[SourceStatus], grouped: Mapping[str, Sequence[StoredItem]]
) -> tuple[SourceStatus, ...]:
    """The count shown per source is what it contributed to this briefing (deterministic on
    re-render)."""
    per_source: dict[str, int] = {}
    for items in grouped.values():
        for it in items:
            per_source[it.article.collector] = per_source.get(it.article.collector, 0) + 1
    counted = [replace(s, items=per_source.get(s.name, 0)) for s in sources]
    return tuple(sorted(counted, key=lambda s: s.name))


def _first_seen(
    sid: str, items: Sequence[StoredItem], first_days: Mapping[str, date], day: date
) -> date:
    """The date of the story's first item: stored earlier items or today's, whichever is older."""
    days = [it.day for it in items]
    if sid in first_days:
        days.append(first_days[sid])
    return min(days, default=day)


def _published_key(it: StoredItem) -> str:
    return it.article.published.isoformat() if it.article.published else ""
