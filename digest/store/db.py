"""The SQLite connection: WAL, busy timeout, integrity check, and named migrations.

Migrations are ordered lists of ``(name, sql)`` pairs, one list per store module (``core``,
``stories``, ...). Each is applied once inside a transaction and recorded by name in
``schema_migrations``, so modules can add tables independently. A database that fails its quick
check is reported, never silently recreated (that would re-announce every item).
"""

from __future__ import annotations

import importlib
import logging
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from digest.errors import StateError

log = logging.getLogger(__name__)

# Store modules that contribute migrations, in the order they are applied.
MIGRATION_MODULES = ("core", "delivery", "actors", "stories", "entities")


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the state database and bring its schema up to date."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=5.0)
    except (OSError, sqlite3.Error) as exc:
        raise StateError(f"cannot open state database {path}: {exc}") from exc
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        ok = conn.execute("PRAGMA quick_check").fetchone()[0]
        if ok != "ok":
            raise StateError(
                f"state database {path} is corrupt ({ok}); restore a backup or move it away"
            )
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        _migrate(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StateError(f"state database {path} is unreadable: {exc}") from exc
    return conn


# SQLite result codes that mean the database cannot take the write: BUSY, LOCKED, READONLY,
# IOERR, CORRUPT, FULL, CANTOPEN, NOTADB. Anything else (a bug in our SQL) is re-raised as is.
_UNWRITABLE = frozenset({5, 6, 8, 10, 11, 13, 14, 26})


def _migrate(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT "
        "NULL"
        " DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
    for module_name in MIGRATION_MODULES:
        module = importlib.import_module(f"digest.store.{module_name}")
        for name, sql in module.MIGRATIONS:
            key = f"{module_name}:{name}"
            if key in done:
                continue
            with transaction(conn):
                for statement in _statements(sql):
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_migrations(name) VALUES (?)", (key,))
            log.debug("applied migration %s", key)


def _statements(sql: str) -> list[str]:
    return [s.strip() for s in sql.split(";") if s.strip()]


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any exception (including
    KeyboardInterrupt). A database that cannot be written (disk full, I/O error, read-only,
    locked for too long) becomes a one-line ``StateError``."""
    if conn.in_transaction:
        yield conn
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    except (sqlite3.OperationalError, sqlite3.DatabaseError) as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        if code is None or code & 0xFF not in _UNWRITABLE:
            raise
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise StateError(f"state database cannot be written: {exc}") from exc


def iso(dt: datetime | None) -> str | None:
    """An aware datetime as ISO 8601 in UTC (naive values are taken as UTC)."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def chunks(seq: list[str], n: int) -> Iterable[list[str]]:
    """``seq`` in runs of at most ``n``: SQLite bounds the ``?`` parameters of one statement."""
    for i in range(0, len(seq), n):
        yield seq[i : i + n]
