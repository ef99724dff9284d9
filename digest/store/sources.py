"""Per-source state: fetch validators and health, the file index, and the line memory of the
text cleaner. The tables are created by ``digest.store.core``'s migrations."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from digest.models import SourceState
from digest.store.db import iso, parse_iso


class SourcesStore:
    """What the store remembers about each source between runs. Mixed into ``Store``."""

    conn: sqlite3.Connection

    def source_state(self, name: str) -> SourceState:
        row = self.conn.execute("SELECT * FROM source_state WHERE name=?", (name,)).fetchone()
        if row is None:
            return SourceState(name=name)
        return SourceState(
            name=row["name"],
            etag=row["etag"],
            last_modified=row["last_modified"],
            not_before=parse_iso(row["not_before"]),
            last_attempt=parse_iso(row["last_attempt"]),
            last_success=parse_iso(row["last_success"]),
            last_error=row["last_error"],
            last_error_at=parse_iso(row["last_error_at"]),
            consecutive_failures=row["consecutive_failures"],
            last_items=row["last_items"],
        )

    def all_source_states(self) -> list[SourceState]:
        names = [r[0] for r in self.conn.execute("SELECT name FROM source_state ORDER BY name")]
        return [self.source_state(n) for n in names]

    def save_source_state(self, st: SourceState) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO source_state (name, etag, last_modified, not_before, "
            "last_attempt,"
            " last_success, last_error, last_error_at, consecutive_failures, last_items)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                st.name,
                st.etag,
                st.last_modified,
                iso(st.not_before),
                iso(st.last_attempt),
                iso(st.last_success),
                st.last_error,
                iso(st.last_error_at),
                st.consecutive_failures,
                st.last_items,
            ),
        )

    def file_index(self, source: str) -> dict[str, tuple[int, int]]:
        rows = self.conn.execute(
            "SELECT path, size, mtime_ns FROM file_index WHERE source=?", (source,)
        )
        return {r[0]: (r[1], r[2]) for r in rows}

    def save_file_index(
        self, source: str, entries: Iterable[tuple[str, int, int]], skipped: str | None = None
    ) -> None:
        """Index files as read at that size and mtime; ``skipped`` records why they gave nothing
        (they stay skipped until they change)."""
        self.conn.executemany(
            "INSERT OR REPLACE INTO file_index (source, path, size, mtime_ns, skipped)"
            " VALUES (?,?,?,?,?)",
            [(source, p, s, m, skipped) for p, s, m in entries],
        )

    def skipped_files(self, source: str) -> list[tuple[str, str]]:
        """(path, reason) of the files of ``source`` indexed as skipped, in path order."""
        rows = self.conn.execute(
            "SELECT path, skipped FROM file_index WHERE source=? AND skipped IS NOT NULL"
            " ORDER BY path",
            (source,),
        )
        return [(r[0], r[1]) for r in rows]

    # ----- per-source line memory (cleaning) ---------------------------------------------------

    def line_memory(self, source: str) -> StoredLineMemory:
        return StoredLineMemory(self.conn, source)

    def remember_lines(self, source: str, keys: Iterable[str]) -> None:
        unique = sorted(set(keys))
        self.conn.execute(
            "INSERT INTO source_docs (source, docs) VALUES (?, 1)"
            " ON CONFLICT(source) DO UPDATE SET docs = docs + 1",
            (source,),
        )
        self.conn.executemany(
            "INSERT INTO source_lines (source, key, docs) VALUES (?, ?, 1)"
            " ON CONFLICT(source, key) DO UPDATE SET docs = docs + 1",
            [(source, k) for k in unique],
        )


class StoredLineMemory:
    """How often each line was seen across earlier documents of one source (read side)."""

    def __init__(self, conn: sqlite3.Connection, source: str) -> None:
        self._conn = conn
        self._source = source

    def documents(self) -> int:
        row = self._conn.execute(
            "SELECT docs FROM source_docs WHERE source=?", (self._source,)
        ).fetchone()
        return int(row[0]) if row else 0

    def count(self, key: str) -> int:
        row = self._conn.execute(
            "SELECT docs FROM source_lines WHERE source=? AND key=?", (self._source, key)
        ).fetchone()
        return int(row[0]) if row else 0
