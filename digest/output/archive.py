"""The archive: ``out/index.html`` / ``out/index.md`` listing every briefing, newest first.

``summary`` turns a briefing into the small snapshot the store keeps per day; ``build_archive``
turns the stored snapshots (handed over by the pipeline) into the index's view model, which the
index pages and the Atom feed render. Nothing here reads the store or an earlier output file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from digest.briefing.model import Briefing
from digest.output import paths
from digest.output.files import write_atomic
from digest.output.pages import render_page

__all__ = [
    "TOP_STORIES",
    "Archive",
    "ArchiveEntry",
    "ArchiveStory",
    "build_archive",
    "is_newest",
    "neighbours",
    "summary",
    "write_index",
]

TOP_STORIES = 5  # stories listed per briefing in the index and the feed


@dataclass(frozen=True)
class ArchiveStory:
    id: str  # the story id (its anchor in that day's briefing)
    title: str  # the story's title that day
    sources: int  # how many sources reported it that day
    watched: bool  # it matched the watchlist


@dataclass(frozen=True)
class ArchiveEntry:
    """One briefing in the index."""

    day: date  # the briefing's date
    title: str  # the briefing's title
    story_count: int  # stories in that briefing
    item_count: int  # items in that briefing
    stories: tuple[ArchiveStory, ...]  # the top stories, most important first


@dataclass(frozen=True)
class Archive:
    """The view model of ``index.html`` / ``index.md``."""

    title: str  # the briefing title
    entries: tuple[ArchiveEntry, ...]  # newest first
    timelines: bool  # story titles link to their timeline pages
    has_feed: bool  # the Atom feed exists


def summary(b: Briefing) -> dict[str, Any]:
    """The snapshot of a briefing kept in the store for the index and the feed."""
    watched = b.watched_ids
    return {
        "title": b.title,
        "story_count": len(b.stories),
        "item_count": b.item_count,
        "stories": [
            {"id": s.id, "title": s.title, "sources": len(s.sources), "watched": s.id in watched}
            for s in b.by_rank[:TOP_STORIES]
        ],
    }


def build_archive(
    title: str, days: Iterable[tuple[date, Mapping[str, Any]]], formats: tuple[str, ...]
) -> Archive:
    """The index view model from the stored summaries (newest first)."""
    return Archive(
        title=title,
        entries=tuple(_entry(day, data) for day, data in days),
        timelines="html" in formats,
        has_feed=True,
    )


def _entry(day: date, data: Mapping[str, Any]) -> ArchiveEntry:
    return ArchiveEntry(
        day=day,
        title=str(data.get("title", "")),
        story_count=int(data.get("story_count", 0)),
        item_count=int(data.get("item_count", 0)),
        stories=tuple(
            ArchiveStory(
                str(s["id"]), str(s["title"]), int(s.get("sources", 0)), bool(s.get("watched"))
            )
            for s in data.get("stories", ())
        ),
    )


def write_index(out_dir: Path, archive: Archive, formats: tuple[str, ...]) -> list[Path]:
    written = []
    for fmt, kind in (("html", "html"), ("markdown", "markdown")):
        if fmt in formats:
            path = paths.index_path(out_dir, fmt)
            page = render_page(f"index.{paths.EXTENSIONS[fmt]}.j2", kind=kind, a=archive)
            write_atomic(path, page)
            written.append(path)
    return written


def neighbours(day: date, days: Iterable[date]) -> list[tuple[date, date | None, date | None]]:
    """The briefings just before and after ``day``, each with its own previous and next day.

    A briefing is written before the next one exists, so when ``day`` is published its
    neighbours are rendered again (from their stored snapshots) with these links.
    """
    ordered = sorted(set(days) | {day})
    i = ordered.index(day)
    out = []
    for j in (i - 1, i + 1):
        if 0 <= j < len(ordered):
            prev = ordered[j - 1] if j > 0 else None
            nxt = ordered[j + 1] if j + 1 < len(ordered) else None
            out.append((ordered[j], prev, nxt))
    return out


def is_newest(b: Briefing, later_days_with_items: bool) -> bool:
    """Only the newest briefing is mailed: no later briefing and no later day with items.

    A backfill publishes its days oldest first with every item already stored, so this mails its
    last day only; re-rendering an old day mails nothing.
    """
    return b.next_day is None and not later_days_with_items
