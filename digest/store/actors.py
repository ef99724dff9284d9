"""Actor registry tables: actors with their best name, kind votes and first sighting, and aliases.

The actors stage asks only for the alias keys of today's mentions, so the cost of a run does not
grow with the archive. Writing is idempotent per day: re-rendering a day neither re-counts an
alias's days nor moves an actor's first sighting.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date

from digest.models import KnownActor, Learned, Registry
from digest.store.db import chunks

MIGRATIONS: list[tuple[str, str]] = [
    (
        "001-actor-registry",
        """
        CREATE TABLE actors (
            key TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL
        );
        CREATE TABLE actor_kinds (
            actor_key TEXT NOT NULL,
            kind TEXT NOT NULL,
            days INTEGER NOT NULL,
            last_day TEXT NOT NULL,
            PRIMARY KEY (actor_key, kind)
        );
        CREATE TABLE actor_aliases (
            alias_key TEXT NOT NULL,
            actor_key TEXT NOT NULL,
            alias TEXT NOT NULL,
            days INTEGER NOT NULL,
            last_day TEXT NOT NULL,
            PRIMARY KEY (alias_key, actor_key)
        );
        CREATE INDEX actor_aliases_actor ON actor_aliases(actor_key)
        """,
    ),
]


class ActorsStore:
    """The actor registry. Mixed into ``digest.store.Store``."""

    conn: sqlite3.Connection

    def actor_registry(self, alias_keys: Iterable[str]) -> Registry:
        """The registry restricted to ``alias_keys`` and the actors they (or they as keys) name."""
        keys = sorted(set(alias_keys))
        aliases: dict[str, list[tuple[str, int]]] = {}
        for chunk in chunks(keys, 400):
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                "SELECT alias_key, actor_key, days FROM actor_aliases WHERE alias_key IN "
                f"({marks})",
                chunk,
            ):
                aliases.setdefault(r[0], []).append((r[1], int(r[2])))
        actor_keys = sorted({a for named in aliases.values() for a, _ in named} | set(keys))
        actors: dict[str, KnownActor] = {}
        kinds: dict[str, dict[str, int]] = {}
        for chunk in chunks(actor_keys, 400):
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                f"SELECT actor_key, kind, days FROM actor_kinds WHERE actor_key IN ({marks})", chunk
            ):
                kinds.setdefault(r[0], {})[r[1]] = int(r[2])
            for r in self.conn.execute(
                f"SELECT key, name, kind, first_seen FROM actors WHERE key IN ({marks})", chunk
            ):
                actors[r[0]] = KnownActor(
                    r[0], r[1], r[2], date.fromisoformat(r[3]), kinds.get(r[0], {})
                )
        return Registry(actors=actors, aliases={k: tuple(v) for k, v in aliases.items()})

    def save_actor_registry(self, learned: Sequence[Learned]) -> None:
        """Record what a day taught; safe to repeat for the same day."""
        for rec in learned:
            day = rec.day.isoformat()
            self.conn.execute(
                "INSERT INTO actors (key, name, kind, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET name = excluded.name, kind = excluded.kind,"
                " first_seen = MIN(first_seen, excluded.first_seen), last_seen = MAX(last_seen, "
                "excluded.last_seen)",
                (rec.key, rec.name, rec.kind, day, day),
            )
            self.conn.execute(
                "INSERT INTO actor_kinds (actor_key, kind, days, last_day) VALUES (?, ?, 1, ?)"
                " ON CONFLICT(actor_key, kind) DO UPDATE SET"
                " days = days + (CASE WHEN last_day = excluded.last_day THEN 0 ELSE 1 END),"
                " last_day = MAX(last_day, excluded.last_day)",
                (rec.key, rec.kind, day),
            )
            self.conn.executemany(
                "INSERT INTO actor_aliases (alias_key, actor_key, alias, days, last_day) VALUES "
                "(?, ?, ?, 1, ?)"
                " ON CONFLICT(alias_key, actor_key) DO UPDATE SET"
                " days = days + (CASE WHEN last_day = excluded.last_day THEN 0 ELSE 1 END),"
                " last_day = MAX(last_day, excluded.last_day)",
                [(k, rec.key, alias, day) for k, alias in rec.aliases],
            )
