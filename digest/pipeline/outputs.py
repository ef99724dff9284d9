"""The output steps of publishing one day, in order, and the mail sent after the commit.

Each step writes files from a view model: the briefing files, the briefing's snapshot and archive
entries in the store, the story timelines, the neighbouring briefings (rendered again from their
stored snapshots with their new day links), the index and the Atom feed; then the mail queue. No
step reads an earlier output file. ``deliver_mail`` runs after the publish transaction commits (a
rolled-back run never mails): it hands the pending briefings to ``digest.output.mail`` and records
the outcomes it returns.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from digest.briefing import Briefing
from digest.briefing.snapshot import SnapshotError, from_snapshot, to_snapshot
from digest.config import Config
from digest.output import archive, feed, mail, render, timelines
from digest.store import Store

log = logging.getLogger(__name__)

MAIL_FORMATS = ("markdown", "html")


@dataclass(frozen=True)
class Written:
    """What publishing one day wrote: the briefing files and their rendered text per format."""

    paths: list[Path]
    rendered: Mapping[str, str]


def write_outputs(config: Config, store: Store, b: Briefing) -> Written:
    """Every output step for the briefing ``b``, inside the publish transaction."""
    out, formats = config.output.dir, config.output.formats
    rendered = render.render_all(b, formats)
    paths = render.write_briefing(out, b.day, rendered)
    store.save_briefing_snapshot(b.day, to_snapshot(b))
    entries = {s.id: timelines.story_entry(s) for s in b.stories}
    store.save_archive_day(b.day, archive.summary(b), entries)
    count = 0
    if "html" in formats:
        count = len(
            timelines.write_timelines(
                out,
                {s.id: store.story_timeline(s.id) for s in b.stories},
                config.briefing.title,
                html_briefings=True,
            )
        )
    for day, previous, following in archive.neighbours(b.day, store.briefing_days()):
        _render_again(config, store, day, previous, following)
    index = archive.build_archive(config.briefing.title, store.archive_days(), formats)
    archive.write_index(out, index, formats)
    feed.write_feed(out, index, config)
    later = bool(store.days_with_items(b.day + timedelta(days=1), date.max))
    if config.delivery.email is not None and archive.is_newest(b, later):
        store.queue_mail(b.day)  # sent by deliver_mail once this run's state is committed
    log.info("day=%s archive=%d timelines=%d", b.day, len(index.entries), count)
    return Written(paths, rendered)


def _stored(store: Store, day: date) -> Briefing | None:
    data = store.briefing_snapshot(day)
    if data is None:
        return None
    try:
        return from_snapshot(data)
    except SnapshotError as exc:
        log.info("day=%s stored briefing not usable (%s)", day, exc)
        return None


def _render_again(
    config: Config, store: Store, day: date, previous: date | None, following: date | None
) -> None:
    """Give an already published day its current previous/next links, from its snapshot."""
    stored = _stored(store, day)
    if stored is None:
        log.info("day=%s has no stored briefing: its day links change when it is rendered", day)
        return
    if (stored.previous_day, stored.next_day) == (previous, following):
        return
    b = replace(stored, previous_day=previous, next_day=following)
    render.write_briefing(config.output.dir, day, render.render_all(b, config.output.formats))
    store.save_briefing_snapshot(day, to_snapshot(b))


def deliver_mail(
    config: Config, store: Store, rendered: Mapping[date, Mapping[str, str]], now: datetime
) -> int:
    """Mail every queued briefing not sent yet; record each outcome. Returns how many were sent.

    ``rendered`` holds the text of briefings written in this run; any other pending day (a
    delivery that failed earlier), or a format not written to ``out/``, is rendered again from
    the stored snapshot.
    """
    email = config.delivery.email
    if email is None:
        return 0
    pending = store.pending_mail(email.max_attempts)
    if not pending:
        return 0
    outgoing = []
    for p in pending:
        parts = dict(rendered.get(p.day, {}))
        missing = tuple(f for f in MAIL_FORMATS if f not in parts)
        stored = _stored(store, p.day) if missing else None
        if stored is not None:
            parts.update(render.render_all(stored, missing))
        outgoing.append(
            mail.Outgoing(
                day=p.day,
                subject=f"{config.briefing.title}: {p.day.isoformat()}",
                text=parts.get("markdown"),
                html=parts.get("html"),
                attempts=p.attempts,
            )
        )
    outcomes = mail.deliver(outgoing, email, config.delivery.base_url, now)
    with store.transaction():
        for outcome in outcomes:
            store.mail_result(outcome.day, outcome.error)
    return sum(1 for o in outcomes if o.error is None)
