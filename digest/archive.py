"""The archive: ``out/index.html`` / ``out/index.md`` listing every briefing, newest first.

``publish`` is the one step the pipeline calls after a briefing's files are written (inside the
publish transaction): it snapshots the briefing into the store, rewrites the index, refreshes the
day links of the neighbouring briefings, writes the timelines of the day's stories and the Atom
feed, and finally hands the newest briefing to e-mail delivery (whose failures never fail a run).

Why the neighbours are refreshed: a briefing is rendered before the next day exists, so its "next"
link would stay empty forever. The day navigation is one line rendered by one macro, so it is
swapped in place in the older file (and ``next``/``previous`` in its JSON); the result is exactly
what re-rendering that day now would produce. Every page also links to the index.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from digest import atomfeed, mail, timelines
from digest.briefing import Briefing
from digest.config import Config
from digest.outfiles import write_atomic
from digest.store import Store

log = logging.getLogger(__name__)

TOP_STORIES = 5  # stories listed per briefing in the index and the feed


@dataclass(frozen=True)
class ArchiveStory:
    id: str
    title: str
    sources: int
    watched: bool


@dataclass(frozen=True)
class ArchiveEntry:
    """One briefing in the index."""

    day: date
    title: str
    story_count: int
    item_count: int
    stories: tuple[ArchiveStory, ...]  # the top stories, most important first


@dataclass(frozen=True)
class Archive:
    """The view model of ``index.html`` / ``index.md``."""

    title: str
    entries: tuple[ArchiveEntry, ...]  # newest first
    timelines: bool  # story titles link to their timeline pages
    has_feed: bool


def summary(b: Briefing) -> dict[str, Any]:
    """The snapshot of a briefing kept in the store for the index and the feed."""
    watched = b.watched_ids
    return {
        "title": b.title,
        "story_count": len(b.stories),
        "item_count": b.item_count,
        "stories": [
            {"id": s.id, "title": s.title, "sources": len(s.sources), "watched": s.id in watched}
            for s in b.stories[:TOP_STORIES]
        ],
    }


def entries_from_store(store: Store) -> tuple[ArchiveEntry, ...]:
    return tuple(_entry(day, data) for day, data in store.archive_days())


def _entry(day: date, data: dict[str, Any]) -> ArchiveEntry:
    return ArchiveEntry(
        day=day,
        title=str(data.get("title", "")),
        story_count=int(data.get("story_count", 0)),
        item_count=int(data.get("item_count", 0)),
        stories=tuple(
            ArchiveStory(str(s["id"]), str(s["title"]), int(s.get("sources", 0)), bool(s.get("watched")))
            for s in data.get("stories", ())
        ),
    )


def write_index(out_dir: Path, archive: Archive, formats: tuple[str, ...]) -> list[Path]:
    from digest.render import render_page

    paths = []
    if "html" in formats:
        write_atomic(out_dir / "index.html", render_page("index.html.j2", a=archive))
        paths.append(out_dir / "index.html")
    if "markdown" in formats:
        write_atomic(out_dir / "index.md", render_page("index.md.j2", kind="markdown", a=archive))
        paths.append(out_dir / "index.md")
    return paths


def refresh_neighbours(out_dir: Path, day: date, days: list[date], formats: tuple[str, ...]) -> None:
    """Give the briefings before and after ``day`` their current previous/next links."""
    from digest.render import refresh_day_links

    ordered = sorted(set(days) | {day})
    i = ordered.index(day)
    for j in (i - 1, i + 1):
        if 0 <= j < len(ordered):
            other = ordered[j]
            prev = ordered[j - 1] if j > 0 else None
            nxt = ordered[j + 1] if j + 1 < len(ordered) else None
            refresh_day_links(out_dir, other, prev, nxt, formats)


def is_newest(b: Briefing, store: Store) -> bool:
    """Only the newest briefing is mailed: no later briefing and no later day with items.

    A backfill publishes its days oldest first with every item already stored, so this mails its
    last day only; re-rendering an old day mails nothing.
    """
    return b.next_day is None and not store.days_with_items(b.day + timedelta(days=1), date.max)


def publish(b: Briefing, config: Config, store: Store) -> list[Path]:
    """Everything around a written briefing: snapshot, index, neighbours, timelines, feed, mail."""
    out = config.output.dir
    formats = config.output.formats
    store.save_archive_day(b.day, summary(b), {s.id: timelines.story_entry(s) for s in b.stories})
    paths: list[Path] = []
    if "html" in formats:
        paths += timelines.write_timelines(
            out, [s.id for s in b.stories], store.story_timeline, config.briefing.title, html_briefings=True
        )
    archive = Archive(
        title=config.briefing.title,
        entries=entries_from_store(store),
        timelines="html" in formats,
        has_feed=True,
    )
    paths += write_index(out, archive, formats)
    refresh_neighbours(out, b.day, store.briefing_days(), formats)
    paths.append(atomfeed.write_feed(out, archive, config))
    if config.delivery.email is not None:
        if is_newest(b, store):
            store.queue_mail(b.day)
        mail.deliver_pending(config, store)
    log.info("day=%s archive=%d timelines=%d", b.day, len(archive.entries), len(paths) - 1)
    return paths
