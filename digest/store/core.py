"""Core state: items, stories, briefings and runs (and the migrations of the source tables,
whose statements live in ``digest.store.sources``).

All SQL for these tables lives here. Times are stored as ISO 8601 text (UTC for instants, plain
``YYYY-MM-DD`` for briefing days) so that the database stays readable with the sqlite3 shell.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from digest.models import Article, StoredItem
from digest.store.db import chunks, iso, parse_iso

MIGRATIONS: list[tuple[str, str]] = [
    (
        "001-items",
        """
        CREATE TABLE items (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            origin TEXT NOT NULL,
            guid TEXT,
            url TEXT,
            canonical_url TEXT,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            html TEXT,
            author TEXT,
            published TEXT,
            date_source TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            day TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            story_id TEXT,
            duplicate_of TEXT,
            why_score REAL,
            why_shared TEXT,
            reported_on TEXT,
            collector TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX items_day ON items(day);
        CREATE INDEX items_story ON items(story_id);
        CREATE INDEX items_hash ON items(content_hash);
        CREATE INDEX items_curl ON items(canonical_url);
        CREATE INDEX items_reported ON items(reported_on);
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL
        );
        CREATE TABLE briefings (
            day TEXT PRIMARY KEY,
            completed_at TEXT NOT NULL,
            items INTEGER NOT NULL,
            stories INTEGER NOT NULL,
            sources_failed INTEGER NOT NULL,
            seconds REAL NOT NULL
        );
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started_at TEXT NOT NULL,
            day TEXT NOT NULL,
            outcome TEXT NOT NULL,
            items INTEGER NOT NULL DEFAULT 0,
            stories INTEGER NOT NULL DEFAULT 0,
            sources_failed INTEGER NOT NULL DEFAULT 0,
            seconds REAL NOT NULL DEFAULT 0,
            message TEXT
        );
        CREATE TABLE source_state (
            name TEXT PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            not_before TEXT,
            last_attempt TEXT,
            last_success TEXT,
            last_error TEXT,
            last_error_at TEXT,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            last_items INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE file_index (
            source TEXT NOT NULL,
            path TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            PRIMARY KEY (source, path)
        );
        CREATE TABLE source_docs (source TEXT PRIMARY KEY, docs INTEGER NOT NULL);
        CREATE TABLE source_lines (
            source TEXT NOT NULL,
            key TEXT NOT NULL,
            docs INTEGER NOT NULL,
            PRIMARY KEY (source, key)
        );
        CREATE TABLE item_entities (item_id TEXT PRIMARY KEY, mentions TEXT NOT NULL)
        """,
    ),
    (
        # fingerprint: what the source handed over for an item (see clean.items.raw_fingerprint),
        # to tell an unchanged entry from a reused guid; skipped: why an indexed file gave nothing.
        "002-fingerprints-and-skipped-files",
        """
        ALTER TABLE items ADD COLUMN fingerprint TEXT;
        CREATE INDEX items_fingerprint ON items(fingerprint);
        ALTER TABLE file_index ADD COLUMN skipped TEXT
        """,
    ),
]


@dataclass(frozen=True)
class BriefingRecord:
    day: date
    completed_at: datetime
    items: int
    stories: int
    sources_failed: int
    seconds: float


class CoreStore:
    """Items, stories, briefings and per-source bookkeeping. Mixed into ``digest.store.Store``."""

    conn: sqlite3.Connection

    # ----- items -------------------------------------------------------------------------------

    def item_identities(self, ids: Iterable[str]) -> dict[str, tuple[str | None, str, bool, str]]:
        """For those of ``ids`` that are stored: (fingerprint, content hash, reported?,
        collector)."""
        found: dict[str, tuple[str | None, str, bool, str]] = {}
        for chunk in chunks(sorted(set(ids)), 500):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                "SELECT id, fingerprint, content_hash, reported_on IS NOT NULL, collector"
                f" FROM items WHERE id IN ({marks})",
                chunk,
            )
            found.update({r[0]: (r[1], r[2], bool(r[3]), r[4]) for r in rows})
        return found

    def known_fingerprints(self, fingerprints: Iterable[str]) -> set[str]:
        """Those of ``fingerprints`` some stored item carries."""
        found: set[str] = set()
        for chunk in chunks(sorted(set(fingerprints)), 500):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT fingerprint FROM items WHERE fingerprint IN ({marks})", chunk
            )
            found.update(r[0] for r in rows)
        return found

    def set_fingerprint(self, item_id: str, fingerprint: str) -> None:
        self.conn.execute("UPDATE items SET fingerprint=? WHERE id=?", (fingerprint, item_id))

    def insert_item(
        self, article: Article, day: date, first_seen: datetime, fingerprint: str | None = None
    ) -> bool:
        """Store a new article. Returns False (and changes nothing) when the id is already known."""
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO items (id, source, origin, guid, url, canonical_url, title, "
            "text,"
            " html, author, published, date_source, content_hash, day, first_seen, collector,"
            " fingerprint) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                article.id,
                article.source,
                article.origin,
                None,
                article.url,
                article.canonical_url,
                article.title,
                article.text,
                article.html,
                article.author,
                iso(article.published),
                article.date_source,
                article.content_hash,
                day.isoformat(),
                iso(first_seen),
                article.collector,
                fingerprint,
            ),
        )
        return cur.rowcount > 0

    def update_unreported_item(
        self, article: Article, day: date, fingerprint: str | None = None
    ) -> None:
        """Refresh an item that changed at its source but was not reported yet."""
        self.conn.execute(
            "UPDATE items SET title=?, text=?, html=?, author=?, url=?, canonical_url=?, "
            "published=?,"
            " date_source=?, content_hash=?, day=?, fingerprint=COALESCE(?, fingerprint)"
            " WHERE id=? AND reported_on IS NULL AND story_id IS NULL",
            (
                article.title,
                article.text,
                article.html,
                article.author,
                article.url,
                article.canonical_url,
                iso(article.published),
                article.date_source,
                article.content_hash,
                day.isoformat(),
                fingerprint,
                article.id,
            ),
        )

    def items_for_briefing(
        self, day: date, oldest: date, seen: tuple[datetime, datetime] | None = None
    ) -> list[StoredItem]:
        """Items a briefing for ``day`` reports: unreported ones dated ``oldest``..``day``, plus
        those already reported on ``day`` (so a re-render reproduces the same briefing).

        With ``seen`` (the instants where ``oldest`` starts and ``day`` ends), also the unreported
        items dated before ``oldest`` but first seen within ``seen`` by a source other than a feed:
        an older report dropped in now must still be reported once, not fall between briefings.
        """
        query = (
            "SELECT * FROM items WHERE (reported_on IS NULL AND day BETWEEN ? AND ?)"
            " OR reported_on = ?"
        )
        args: list[str] = [oldest.isoformat(), day.isoformat(), day.isoformat()]
        if seen is not None:
            query += (
                " OR (reported_on IS NULL AND day < ? AND date_source != 'feed'"
                " AND first_seen >= ? AND first_seen < ?)"
            )
            args += [oldest.isoformat(), iso(seen[0]) or "", iso(seen[1]) or ""]
        rows = self.conn.execute(query + " ORDER BY COALESCE(published, first_seen), id", args)
        return [_item(r) for r in rows]

    def items_of_story_before(self, story_id: str, day: date) -> list[StoredItem]:
        """What a story had already reported before ``day`` (its history)."""
        rows = self.conn.execute(
            "SELECT * FROM items WHERE story_id = ? AND reported_on IS NOT NULL AND reported_on < ?"
            " ORDER BY reported_on, COALESCE(published, first_seen), id",
            (story_id, day.isoformat()),
        )
        return [_item(r) for r in rows]

    def latest_story_texts(self, story_id: str, limit: int) -> list[tuple[str, str]]:
        """Title and body of a story's ``limit`` latest original items (duplicates left out)."""
        rows = self.conn.execute(
            "SELECT title, text FROM items WHERE story_id = ? AND duplicate_of IS NULL"
            " ORDER BY day DESC, COALESCE(published, first_seen) DESC, id DESC LIMIT ?",
            (story_id, limit),
        )
        return [(r["title"], r["text"]) for r in rows]

    def items_by_ids(self, ids: Sequence[str]) -> dict[str, StoredItem]:
        out: dict[str, StoredItem] = {}
        for chunk in chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(f"SELECT * FROM items WHERE id IN ({marks})", chunk):
                out[r["id"]] = _item(r)
        return out

    def items_with_hash(self, content_hash: str) -> list[StoredItem]:
        rows = self.conn.execute(
            "SELECT * FROM items WHERE content_hash = ? ORDER BY first_seen, id", (content_hash,)
        )
        return [_item(r) for r in rows]

    def items_with_canonical_url(self, url: str) -> list[StoredItem]:
        rows = self.conn.execute(
            "SELECT * FROM items WHERE canonical_url = ? ORDER BY first_seen, id", (url,)
        )
        return [_item(r) for r in rows]

    def set_story(
        self,
        item_id: str,
        story_id: str,
        duplicate_of: str | None,
        why_score: float | None,
        why_shared: Sequence[str],
    ) -> None:
        self.conn.execute(
            "UPDATE items SET story_id=?, duplicate_of=?, why_score=?, why_shared=? WHERE id=?",
            (story_id, duplicate_of, why_score, json.dumps(list(why_shared)), item_id),
        )

    def mark_reported(self, item_ids: Iterable[str], day: date) -> None:
        self.conn.executemany(
            "UPDATE items SET reported_on=? WHERE id=? AND reported_on IS NULL",
            [(day.isoformat(), i) for i in item_ids],
        )

    def days_with_items(self, since: date, until: date) -> list[date]:
        rows = self.conn.execute(
            "SELECT DISTINCT day FROM items WHERE day BETWEEN ? AND ? ORDER BY day",
            (since.isoformat(), until.isoformat()),
        )
        return [date.fromisoformat(r[0]) for r in rows]

    def count_items(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM items").fetchone()[0])

    # ----- stories -----------------------------------------------------------------------------

    def create_story(self, story_id: str, title: str, day: date) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO stories (id, title, first_seen, last_seen) VALUES (?,?,?,?)",
            (story_id, title, day.isoformat(), day.isoformat()),
        )

    def touch_story(self, story_id: str, day: date) -> None:
        self.conn.execute(
            "UPDATE stories SET last_seen = MAX(last_seen, ?) WHERE id = ?",
            (day.isoformat(), story_id),
        )

    def story_first_seen(self, story_id: str) -> date | None:
        row = self.conn.execute("SELECT first_seen FROM stories WHERE id=?", (story_id,)).fetchone()
        return date.fromisoformat(row[0]) if row else None

    def story_first_days(self, story_ids: Sequence[str]) -> dict[str, date]:
        """The day of each story's earliest item (its publication date, else when it was seen)."""
        out: dict[str, date] = {}
        for chunk in chunks(list(story_ids), 500):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT story_id, MIN(day) FROM items WHERE story_id IN ({marks})"
                " GROUP BY story_id",
                chunk,
            )
            out.update({r[0]: date.fromisoformat(r[1]) for r in rows})
        return out

    def story_title(self, story_id: str) -> str | None:
        row = self.conn.execute("SELECT title FROM stories WHERE id=?", (story_id,)).fetchone()
        return row[0] if row else None

    def record_briefing(self, rec: BriefingRecord) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO briefings (day, completed_at, items, stories, sources_failed, "
            "seconds)"
            " VALUES (?,?,?,?,?,?)",
            (
                rec.day.isoformat(),
                iso(rec.completed_at),
                rec.items,
                rec.stories,
                rec.sources_failed,
                rec.seconds,
            ),
        )

    def briefing(self, day: date) -> BriefingRecord | None:
        row = self.conn.execute(
            "SELECT * FROM briefings WHERE day=?", (day.isoformat(),)
        ).fetchone()
        return _briefing(row) if row else None

    def last_briefing(self) -> BriefingRecord | None:
        row = self.conn.execute("SELECT * FROM briefings ORDER BY day DESC LIMIT 1").fetchone()
        return _briefing(row) if row else None

    def briefing_days(self) -> list[date]:
        return [
            date.fromisoformat(r[0])
            for r in self.conn.execute("SELECT day FROM briefings ORDER BY day")
        ]

    def record_run(
        self,
        started_at: datetime,
        day: date,
        outcome: str,
        items: int = 0,
        stories: int = 0,
        sources_failed: int = 0,
        seconds: float = 0.0,
        message: str | None = None,
    ) -> None:
        self.conn.execute(
            "INSERT INTO runs (started_at, day, outcome, items, stories, sources_failed, seconds, "
            "message)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (
                iso(started_at),
                day.isoformat(),
                outcome,
                items,
                stories,
                sources_failed,
                seconds,
                message,
            ),
        )

    def last_run(self) -> sqlite3.Row | None:
        return self.conn.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone()


def _item(r: sqlite3.Row) -> StoredItem:
    article = Article(
        id=r["id"],
        source=r["source"],
        origin=r["origin"],
        title=r["title"],
        text=r["text"],
        url=r["url"],
        canonical_url=r["canonical_url"],
        published=parse_iso(r["published"]),
        date_source=r["date_source"],
        content_hash=r["content_hash"],
        author=r["author"],
        html=r["html"],
        collector=r["collector"],
    )
    return StoredItem(
        article=article,
        day=date.fromisoformat(r["day"]),
        first_seen=datetime.fromisoformat(r["first_seen"]),
        story_id=r["story_id"],
        duplicate_of=r["duplicate_of"],
        reported_on=date.fromisoformat(r["reported_on"]) if r["reported_on"] else None,
        why_score=r["why_score"],
        why_shared=tuple(json.loads(r["why_shared"])) if r["why_shared"] else (),
    )


def _briefing(r: sqlite3.Row) -> BriefingRecord:
    return BriefingRecord(
        day=date.fromisoformat(r["day"]),
        completed_at=datetime.fromisoformat(r["completed_at"]),
        items=r["items"],
        stories=r["stories"],
        sources_failed=r["sources_failed"],
        seconds=r["seconds"],
    )
