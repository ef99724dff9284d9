"""The named-entity cache: an analysed text's mentions, keyed by a hash of that text.

Keyed by the text rather than the item, so an item whose text changed is analysed again and the
same text under two items (a story syndicated by two outlets) is analysed once.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence

from digest.models import Mention
from digest.store.db import chunks

MIGRATIONS: list[tuple[str, str]] = [
    (
        "001-text-entities",
        """
        DROP TABLE IF EXISTS item_entities;
        CREATE TABLE text_entities (text_key TEXT PRIMARY KEY, mentions TEXT NOT NULL)
        """,
    ),
]


class EntitiesStore:
    """Cached mentions by text key. Mixed into ``digest.store.Store``."""

    conn: sqlite3.Connection

    def cached_mentions(self, keys: Sequence[str]) -> dict[str, tuple[Mention, ...]]:
        out: dict[str, tuple[Mention, ...]] = {}
        for chunk in chunks(list(keys), 500):
            marks = ",".join("?" * len(chunk))
            for key, mentions in self.conn.execute(
                f"SELECT text_key, mentions FROM text_entities WHERE text_key IN ({marks})", chunk
            ):
                out[key] = tuple(Mention(*m) for m in json.loads(mentions))
        return out

    def save_mentions(self, mentions: Mapping[str, Sequence[Mention]]) -> None:
        self.conn.executemany(
            "INSERT OR REPLACE INTO text_entities (text_key, mentions) VALUES (?, ?)",
            [
                (key, json.dumps([[m.text, m.label, m.start, m.end] for m in ms]))
                for key, ms in mentions.items()
            ],
        )
