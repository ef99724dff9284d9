"""Story timelines: ``out/stories/<story-id>.html``, a story's developments day by day.

The data is the store's archive entries (one per story per published day), handed over by the
pipeline, so a timeline is complete whichever day is re-rendered. File names and links come from
``digest.output.paths`` (every path is checked to stay inside ``out/``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from digest.output import paths
from digest.output.files import write_atomic
from digest.output.pages import render_page

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TimelineItem:
    title: str  # the report's headline
    url: str | None  # its link (untrusted: pages vet it)
    source: str  # the outlet
    published: str | None  # ISO date
    same_article: bool  # a copy of another report that day


@dataclass(frozen=True)
class TimelineDevelopment:
    text: str  # what was new
    kind: str  # first | new | changed
    previous: str | None  # for a changed figure: what it was before, and when
    source: str  # the outlet that reported it
    url: str | None  # the report's link (untrusted: pages vet it)
    published: str | None  # ISO date


@dataclass(frozen=True)
class TimelineDay:
    """What one briefing showed of the story."""

    day: date  # the briefing's date
    title: str  # the story's title that day
    developments: tuple[TimelineDevelopment, ...]  # what was new that day
    items: tuple[TimelineItem, ...]  # the reports that day
    briefing_href: str  # the story in that day's briefing, relative to stories/


@dataclass(frozen=True)
class TimelineActor:
    name: str  # the actor's best name
    kind: str  # person | organization | place | group
    role: str | None  # the role the text gives, if any
    days: int  # in how many briefings the actor appeared with this story


@dataclass(frozen=True)
class Timeline:
    """The view model of one story page."""

    story_id: str  # the story's id
    title: str  # the title it carried most recently
    briefing_title: str  # the title of the briefings (for the way back to the index)
    days: tuple[TimelineDay, ...]  # oldest first
    sources: tuple[str, ...]  # every outlet that reported it
    actors: tuple[TimelineActor, ...]  # most persistent first

    @property
    def first_day(self) -> date:
        """The first briefing that showed the story."""
        return self.days[0].day

    @property
    def last_day(self) -> date:
        """The latest briefing that showed the story."""
        return self.days[-1].day


def story_entry(view: Any) -> dict[str, Any]:
    """The snapshot of one ``StoryView`` kept in the store for its timeline."""
    return {
        "title": view.title,
        "sources": list(view.sources),
        "actors": [{"name": a.name, "kind": a.kind, "role": a.role} for a in view.actors],
        "developments": [
            {
                "text": d.text,
                "kind": d.kind,
                "previous": d.previous,
                "source": d.source,
                "url": d.url,
                "published": d.published.date().isoformat() if d.published else None,
            }
            for d in view.developments
        ],
        "items": [
            {
                "title": it.article.title,
                "url": it.article.url,
                "source": it.article.source,
                "published": it.article.published.date().isoformat()
                if it.article.published
                else None,
                "same_article": it.duplicate_of is not None,
            }
            for it in view.items
        ],
    }


def build_timeline(
    story_id: str,
    entries: Sequence[tuple[date, Mapping[str, Any]]],
    briefing_title: str,
    html_briefings: bool,
) -> Timeline:
    """Fold the per-day snapshots (oldest first) into one page model."""
    days: list[TimelineDay] = []
    sources: set[str] = set()
    actor_days: dict[str, int] = {}
    actor_info: dict[str, TimelineActor] = {}
    for day, entry in entries:
        sources.update(str(s) for s in entry.get("sources", ()))
        for a in entry.get("actors", ()):
            name = str(a.get("name", ""))
            if not name:
                continue
            actor_days[name] = actor_days.get(name, 0) + 1
            actor_info[name] = TimelineActor(name, str(a.get("kind", "")), a.get("role"), 0)
        days.append(
            TimelineDay(
                day=day,
                title=str(entry.get("title", "")),
                developments=tuple(
                    TimelineDevelopment(**_pick(d, TimelineDevelopment))
                    for d in entry.get("developments", ())
                ),
                items=tuple(TimelineItem(**_pick(i, TimelineItem)) for i in entry.get("items", ())),
                briefing_href=paths.story_in_briefing_href(day, story_id, prefix="../")
                if html_briefings
                else "",
            )
        )
    actors = sorted(
        (TimelineActor(a.name, a.kind, a.role, actor_days[a.name]) for a in actor_info.values()),
        key=lambda a: (-a.days, a.name.casefold(), a.name),
    )
    return Timeline(
        story_id=story_id,
        title=days[-1].title if days else story_id,
        briefing_title=briefing_title,
        days=tuple(days),
        sources=tuple(sorted(sources, key=lambda s: (s.casefold(), s))),
        actors=tuple(actors),
    )


def _pick(data: Mapping[str, Any], cls: type) -> dict[str, Any]:
    names = cls.__dataclass_fields__  # type: ignore[attr-defined]
    out = {n: data.get(n) for n in names}
    for n, f in names.items():
        if f.type in ("str",) and out[n] is None:
            out[n] = ""
        if f.type == "bool":
            out[n] = bool(out[n])
    return out


def write_timelines(
    out_dir: Path,
    timelines: Mapping[str, Sequence[tuple[date, Mapping[str, Any]]]],
    briefing_title: str,
    html_briefings: bool,
) -> list[Path]:
    """Render and write the timeline of each story from its entries (oldest first)."""
    written = []
    for sid, entries in timelines.items():
        if not entries:
            continue
        timeline = build_timeline(sid, entries, briefing_title, html_briefings)
        path = paths.timeline_path(out_dir, sid)
        write_atomic(path, render_page("story.html.j2", t=timeline))
        written.append(path)
    log.debug("timelines=%d", len(written))
    return written
