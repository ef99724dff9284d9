"""Archive snapshots and the e-mail outbox: what the index, timelines, feed and mail read back.

A published day keeps a small JSON summary (``briefing_archive``) and one JSON entry per story it
showed (``story_days``), so the archive, the story timelines and the feed are rebuilt from the
store, not from earlier output files. ``email_outbox`` remembers which briefing still has to be
mailed, so a failed delivery is retried on the next run. ``briefing_snapshots`` keeps each day's
whole briefing view model (zlib-compressed JSON), so a briefing can be rendered again (its
neighbours' day links, a retried mail) without reading any output file back.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

MIGRATIONS = [
    (
        "001-archive-outbox",
        """
        CREATE TABLE briefing_archive (
            day TEXT PRIMARY KEY,
            summary TEXT NOT NULL
        );
        CREATE TABLE story_days (
            story_id TEXT NOT NULL,
            day TEXT NOT NULL,
            entry TEXT NOT NULL,
            PRIMARY KEY (story_id, day)
        );
        CREATE INDEX story_days_day ON story_days(day);
        CREATE TABLE email_outbox (
            day TEXT PRIMARY KEY,
            attempts INTEGER NOT NULL DEFAULT 0,
            sent INTEGER NOT NULL DEFAULT 0,
            last_error TEXT
        )
        """,
    ),
    (
        "002-briefing-snapshots",
        """
        CREATE TABLE briefing_snapshots (
            day TEXT PRIMARY KEY,
            data BLOB NOT NULL
        )
        """,
    ),
]


@dataclass(frozen=True)
class PendingMail:
    day: date
    attempts: int
    last_error: str | None


class DeliveryStore:
    """Archive snapshots and the mail outbox. Mixed into ``digest.store.Store``."""

    conn: sqlite3.Connection

    # ----- archive -----------------------------------------------------------------------------

    def save_archive_day(
        self, day: date, summary: Mapping[str, Any], stories: Mapping[str, Any]
    ) -> None:
        """Replace the snapshot of ``day`` (a re-render replaces it whole, so dropped stories
        go)."""
        key = day.isoformat()
        self.conn.execute(
            "INSERT INTO briefing_archive(day, summary) VALUES (?, ?)"
            " ON CONFLICT(day) DO UPDATE SET summary = excluded.summary",
            (key, _dump(summary)),
        )
        self.conn.execute("DELETE FROM story_days WHERE day = ?", (key,))
        self.conn.executemany(
            "INSERT INTO story_days(story_id, day, entry) VALUES (?, ?, ?)",
            [(sid, key, _dump(entry)) for sid, entry in stories.items()],
        )

    def archive_days(self) -> list[tuple[date, dict[str, Any]]]:
        """Every archived briefing, newest first."""
        rows = self.conn.execute("SELECT day, summary FROM briefing_archive ORDER BY day DESC")
        return [(date.fromisoformat(r[0]), json.loads(r[1])) for r in rows]

    def story_timeline(self, story_id: str) -> list[tuple[date, dict[str, Any]]]:
        """One story's entries across briefings, oldest first."""
        rows = self.conn.execute(
            "SELECT day, entry FROM story_days WHERE story_id = ? ORDER BY day", (story_id,)
        )
        return [(date.fromisoformat(r[0]), json.loads(r[1])) for r in rows]

    def save_briefing_snapshot(self, day: date, data: Mapping[str, Any]) -> None:
        """Replace the stored view model of ``day``."""
        blob = zlib.compress(_dump(data).encode("utf-8"), 6)
        self.conn.execute(
            "INSERT INTO briefing_snapshots(day, data) VALUES (?, ?)"
            " ON CONFLICT(day) DO UPDATE SET data = excluded.data",
            (day.isoformat(), blob),
        )

    def briefing_snapshot(self, day: date) -> Any:
        """The stored view model of ``day`` as plain data, or None (never stored, or unreadable)."""
        row = self.conn.execute(
            "SELECT data FROM briefing_snapshots WHERE day = ?", (day.isoformat(),)
        ).fetchone()
        if row is None:
            return None
        try:
            return json.loads(zlib.decompress(row[0]).decode("utf-8"))
        except (zlib.error, UnicodeDecodeError, ValueError):
            return None

    # ----- e-mail outbox -----------------------------------------------------------------------

    def queue_mail(self, day: date) -> None:
        """Queue ``day`` for mailing unless it was already sent (a re-render does not mail
        again)."""
        self.conn.execute(
            "INSERT INTO email_outbox(day) VALUES (?) ON CONFLICT(day) DO NOTHING",
            (day.isoformat(),),
        )

    def pending_mail(self, max_attempts: int) -> list[PendingMail]:
        rows = self.conn.execute(
            "SELECT day, attempts, last_error FROM email_outbox WHERE sent = 0 AND attempts < ? "
            "ORDER BY day",
            (max_attempts,),
        )
        return [PendingMail(date.fromisoformat(r[0]), r[1], r[2]) for r in rows]

    def mail_result(self, day: date, error: str | None) -> None:
        """Record one delivery attempt: sent when ``error`` is None, else counted for a retry."""
        if error is None:
            self.conn.execute(
                "UPDATE email_outbox SET sent = 1, attempts = attempts + 1, last_error = NULL "
                "WHERE day = ?",
                (day.isoformat(),),
            )
        else:
            self.conn.execute(
                "UPDATE email_outbox SET attempts = attempts + 1, last_error = ? WHERE day = ?",
                (error, day.isoformat()),
            )

    def mail_state(self, day: date) -> tuple[int, bool, str | None] | None:
        """``(attempts, sent, last_error)`` of ``day``'s mail, or None when it was never queued."""
        r = self.conn.execute(
            "SELECT attempts, sent, last_error FROM email_outbox WHERE day = ?", (day.isoformat(),)
        ).fetchone()
        return (r[0], bool(r[1]), r[2]) if r else None


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
