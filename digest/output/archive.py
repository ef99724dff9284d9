"""The archive: ``out/index.html`` / ``out/index.md`` listing every briefing, newest first.

``publish`` is the one step the pipeline calls after a briefing's files are written (inside the
publish transaction): it snapshots the briefing into the store, rewrites the index, refreshes the
day links of the neighbouring briefings, writes the timelines of the day's stories and the Atom
feed, and queues the newest briefing for e-mail (sent by the pipeline after the commit; a failed
send never fails a run).

Why the neighbours are refreshed: a briefing is rendered before the next day exists, so its "next"
link would stay empty forever. The day navigation is one line rendered by one macro, so it is
swapped in place in the older file (and ``next``/``previous`` in its JSON); the result is exactly
what re-rendering that day now would produce. Every page also links to the index.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from digest.briefing.model import Briefing
from digest.config import Config
from digest.output import feed as atomfeed
from digest.output import timelines
from digest.output.files import write_atomic
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
            ArchiveStory(
                str(s["id"]), str(s["title"]), int(s.get("sources", 0)), bool(s.get("watched"))
            )
            for s in data.get("stories", ())
        ),
    )


def write_index(out_dir: Path, archive: Archive, formats: tuple[str, ...]) -> list[Path]:
    from digest.output.render import render_page

    paths = []
    if "html" in formats:
        write_atomic(out_dir / "index.html", render_page("index.html.j2", a=archive))
        paths.append(out_dir / "index.html")
    if "markdown" in formats:
        write_atomic(out_dir / "index.md", render_page("index.md.j2", kind="markdown", a=archive))
        paths.append(out_dir / "index.md")
    return paths


def refresh_neighbours(
    out_dir: Path, day: date, days: list[date], formats: tuple[str, ...]
) -> None:
    """Give the briefings before and after ``day`` their current previous/next links."""
    from digest.output.render import refresh_day_links

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


def import_earlier_json(store: Store, out_dir: Path, exclude: date) -> int:
    """Snapshot briefings published before the archive existed, from their ``out/<day>.json``.

    Days whose JSON is missing or unreadable are left out of the index (logged once per run);
    they join it when they are rendered again.
    """
    known = {d for d, _ in store.archive_days()}
    imported = 0
    for day in store.briefing_days():
        if day in known or day == exclude:
            continue
        path = out_dir / f"{day.isoformat()}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            stories = [s for s in data["stories"] if isinstance(s, dict)]
            entries = {str(s["id"]): _story_entry_from_json(s) for s in stories}
            top = [
                {
                    "id": str(s["id"]),
                    "title": str(s["title"]),
                    "sources": len(s.get("sources", ())),
                    "watched": False,
                }
                for s in stories[:TOP_STORIES]
            ]
            item_count = sum(len(s.get("items", ())) for s in stories)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("day=%s not in the archive: cannot read %s (%s)", day, path, exc)
            continue
        head = {
            "title": str(data.get("title", "")),
            "story_count": len(stories),
            "item_count": item_count,
            "stories": top,
        }
        store.save_archive_day(day, head, entries)
        imported += 1
    return imported


def _story_entry_from_json(s: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": str(s["title"]),
        "sources": [str(x) for x in s.get("sources", ())],
        "actors": [
            {"name": a.get("name"), "kind": a.get("kind"), "role": a.get("role")}
            for a in s.get("actors", ())
        ],
        "developments": [
            {k: d.get(k) for k in ("text", "kind", "previous", "source", "url")}
            | {"published": (d.get("published") or "")[:10] or None}
            for d in s.get("developments", ())
        ],
        "items": [
            {
                "title": i.get("title"),
                "url": i.get("url"),
                "source": i.get("source"),
                "published": (i.get("published") or "")[:10] or None,
                "same_article": bool(i.get("duplicate_of")),
            }
            for i in s.get("items", ())
        ],
    }


def publish(b: Briefing, config: Config, store: Store) -> list[Path]:
    """Everything around a written briefing: snapshot, index, neighbours, timelines, feed, mail
    queue."""
    out = config.output.dir
    formats = config.output.formats
    if "json" in formats:
        import_earlier_json(store, out, exclude=b.day)
    store.save_archive_day(b.day, summary(b), {s.id: timelines.story_entry(s) for s in b.stories})
    paths: list[Path] = []
    if "html" in formats:
        paths += timelines.write_timelines(
            out,
            [s.id for s in b.stories],
            store.story_timeline,
            config.briefing.title,
            html_briefings=True,
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
    if config.delivery.email is not None and is_newest(b, store):
        store.queue_mail(b.day)  # sent by the pipeline once this run's state is committed
    log.info("day=%s archive=%d timelines=%d", b.day, len(archive.entries), len(paths) - 1)
    return paths
