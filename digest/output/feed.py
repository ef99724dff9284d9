"""``out/feed.xml``: an Atom feed with one entry per briefing, so a reader can subscribe to it.

Built with feedgen from the archive snapshots. Deterministic: every timestamp is a briefing date
(midnight in the configured time zone), ids are name-based UUIDs, entries are newest first, so a
re-run writes the same bytes. Links are absolute when ``delivery.base_url`` is set, else relative
to the feed (which lives next to the briefings).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator

from digest.config import Config
from digest.output import paths
from digest.output.archive import Archive, ArchiveEntry
from digest.output.files import write_atomic
from digest.output.pages import render_page
from digest.sanitize import safe_url

FEED_NAME = paths.FEED_NAME


def _base(config: Config) -> str:
    base = safe_url(config.delivery.base_url) if config.delivery.base_url else None
    return (base.rstrip("/") + "/") if base else ""


def _stamp(day: date, tz: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=tz)


def _feed_id(config: Config, base: str) -> str:
    if base:
        return base + FEED_NAME
    key = f"digest:{config.briefing.title}:{config.output.dir.resolve()}"
    return uuid.uuid5(uuid.NAMESPACE_URL, key).urn


def _entry_html(entry: ArchiveEntry, href: str) -> str:
    return render_page("_feed_entry.html.j2", e=entry, href=href).strip()


def render_feed(archive: Archive, config: Config) -> bytes:
    """The Atom document for ``archive`` (newest ``delivery.feed_entries`` briefings)."""
    base = _base(config)
    fmt = next(f for f in ("html", "markdown", "json") if f in config.output.formats)
    tz = config.tz
    fg = FeedGenerator()
    feed_id = _feed_id(config, base)
    fg.id(feed_id)
    fg.title(archive.title)
    fg.subtitle("All briefings, newest first")
    fg.language("en")
    fg.link(href=base + FEED_NAME if base else FEED_NAME, rel="self", type="application/atom+xml")
    fg.link(href=base + paths.index_href(), rel="alternate", type="text/html")
    fg.generator("digest")
    entries = (
        archive.entries[: config.delivery.feed_entries]
        if config.delivery.feed_entries
        else archive.entries
    )
    newest = entries[0].day if entries else date(1970, 1, 1)
    fg.updated(_stamp(newest, tz))
    for e in entries:
        href = base + paths.briefing_href(e.day, fmt)
        fe = fg.add_entry(order="append")
        fe.id(href if base else uuid.uuid5(uuid.UUID(_uuid_of(feed_id)), e.day.isoformat()).urn)
        fe.title(f"{e.title}: {e.day.isoformat()}")
        fe.link(href=href, rel="alternate", type="text/html" if fmt == "html" else "text/plain")
        fe.published(_stamp(e.day, tz))
        fe.updated(_stamp(e.day, tz))
        fe.summary(
            f"{e.story_count} {_plural(e.story_count, 'story', 'stories')} from {e.item_count} "
            f"{_plural(e.item_count, 'item', 'items')}"
        )
        fe.content(_entry_html(e, href), type="html")
    return fg.atom_str(pretty=True)


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def _uuid_of(feed_id: str) -> str:
    return (
        feed_id.removeprefix("urn:uuid:")
        if feed_id.startswith("urn:uuid:")
        else str(uuid.uuid5(uuid.NAMESPACE_URL, feed_id))
    )


def write_feed(out_dir: Path, archive: Archive, config: Config) -> Path:
    path = paths.feed_path(out_dir)
    write_atomic(path, render_feed(archive, config))
    return path
