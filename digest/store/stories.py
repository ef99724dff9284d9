"""Story clustering state: document frequencies, story profiles, the feature -> story index, and
MinHash signatures with their LSH buckets for near-duplicate folding.

These tables let the stories and dedupe stages find candidates by lookup instead of scanning every
story or item ever seen, so the cost per new item does not grow with the archive.
"""

from __future__ import annotations

import base64
import json
import sqlite3
import struct
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from digest.models import StoryMember, StoryProfile
from digest.store.db import chunks

MIGRATIONS: list[tuple[str, str]] = [
    (
        "001-story-index",
        """
        CREATE TABLE term_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL);
        CREATE TABLE story_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        CREATE TABLE story_profiles (
            story_id TEXT PRIMARY KEY,
            items INTEGER NOT NULL,
            last_seen TEXT NOT NULL,
            vector TEXT NOT NULL
        );
        CREATE TABLE story_index (
            key TEXT NOT NULL,
            story_id TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            PRIMARY KEY (key, story_id)
        );
        CREATE INDEX story_index_recent ON story_index(key, last_seen);
        CREATE INDEX story_index_story ON story_index(story_id);
        CREATE TABLE item_minhash (item_id TEXT PRIMARY KEY, day TEXT NOT NULL, """
        """signature BLOB NOT NULL);
        CREATE TABLE minhash_bands (band TEXT NOT NULL, item_id TEXT NOT NULL, """
        """PRIMARY KEY (band, item_id))
        """,
    ),
    (
        "002-profile-terms",
        "ALTER TABLE story_profiles ADD COLUMN terms REAL NOT NULL DEFAULT 0",
    ),
    (
        "003-story-window",
        "ALTER TABLE story_profiles ADD COLUMN members TEXT NOT NULL DEFAULT '[]'",
    ),
]


class StoriesStore:
    """Tables of the dedupe and stories stages. Mixed into ``digest.store.Store``."""

    conn: sqlite3.Connection

    # ----- document frequencies ----------------------------------------------------------------

    def document_count(self) -> int:
        row = self.conn.execute("SELECT value FROM story_meta WHERE key='documents'").fetchone()
        return int(row[0]) if row else 0

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for chunk in chunks(sorted(set(terms)), 500):
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                f"SELECT term, df FROM term_df WHERE term IN ({marks})", chunk
            ):
                out[r[0]] = int(r[1])
        return out

    def add_documents(self, counts: Mapping[str, int], documents: int) -> None:
        """Add ``documents`` new documents whose distinct features occur ``counts`` times."""
        self.conn.executemany(
            "INSERT INTO term_df (term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df "
            "+ excluded.df",
            sorted(counts.items()),
        )
        self.conn.execute(
            "INSERT INTO story_meta (key, value) VALUES ('documents', ?)"
            " ON CONFLICT(key) DO UPDATE SET value = value + excluded.value",
            (documents,),
        )

    # ----- story profiles and the feature index ------------------------------------------------

    def story_candidates(self, keys: Sequence[str], per_key: int) -> dict[str, int]:
        """Stories indexed under any of ``keys`` (the ``per_key`` most recent per key), with the
        number of keys each was found under."""
        hits: dict[str, int] = {}
        for key in keys:
            rows = self.conn.execute(
                "SELECT story_id FROM story_index WHERE key=? ORDER BY last_seen DESC, story_id "
                "LIMIT ?",
                (key, per_key),
            )
            for r in rows:
                hits[r[0]] = hits.get(r[0], 0) + 1
        return hits

    def story_profiles(self, story_ids: Sequence[str]) -> dict[str, StoryProfile]:
        out: dict[str, StoryProfile] = {}
        for chunk in chunks(list(story_ids), 500):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                "SELECT story_id, items, last_seen, vector, members FROM story_profiles"
                f" WHERE story_id IN ({marks})",
                chunk,
            )
            for r in rows:
                seen = date.fromisoformat(r[2])
                members = tuple(_member(m) for m in json.loads(r[4]))
                if not members and r[3] != "{}":  # a profile saved before story windows
                    members = (StoryMember("", seen, json.loads(r[3])),)
                out[r[0]] = StoryProfile(r[0], int(r[1]), seen, members)
        return out

    def save_story_profile(self, profile: StoryProfile, index_keys: Sequence[str]) -> None:
        """Store a story's profile and re-index it under ``index_keys``."""
        seen = profile.last_seen.isoformat()
        members = [_member_json(m) for m in profile.members]
        self.conn.execute(
            "INSERT OR REPLACE INTO story_profiles (story_id, items, last_seen, vector, terms,"
            " members) VALUES (?,?,?,'{}',0,?)",
            (profile.story_id, profile.items, seen, json.dumps(members, sort_keys=True)),
        )
        self.conn.execute("DELETE FROM story_index WHERE story_id=?", (profile.story_id,))
        self.conn.executemany(
            "INSERT OR IGNORE INTO story_index (key, story_id, last_seen) VALUES (?,?,?)",
            [(k, profile.story_id, seen) for k in index_keys],
        )

    # ----- MinHash signatures for near-duplicates ----------------------------------------------

    def minhash_candidates(self, bands: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in chunks(list(bands), 500):
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0]
                for r in self.conn.execute(
                    f"SELECT item_id FROM minhash_bands WHERE band IN ({marks})", chunk
                )
            )
        return found

    def minhash_signatures(self, item_ids: Sequence[str]) -> dict[str, tuple[date, bytes]]:
        out: dict[str, tuple[date, bytes]] = {}
        for chunk in chunks(list(item_ids), 500):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT item_id, day, signature FROM item_minhash WHERE item_id IN ({marks})",
                chunk,
            )
            for r in rows:
                out[r[0]] = (date.fromisoformat(r[1]), bytes(r[2]))
        return out

    def save_minhash(self, item_id: str, day: date, signature: bytes, bands: Sequence[str]) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO item_minhash (item_id, day, signature) VALUES (?,?,?)",
            (item_id, day.isoformat(), signature),
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO minhash_bands (band, item_id) VALUES (?,?)",
            [(b, item_id) for b in bands],
        )


def _member_json(m: StoryMember) -> dict[str, object]:
    """A window member as JSON: its embedding as base64 float16 (512 bytes, not 256 floats)."""
    half = struct.pack(f"<{len(m.embedding)}e", *m.embedding)  # IEEE 754 binary16, as numpy's
    emb = base64.b64encode(half).decode()
    return {"id": m.item_id, "day": m.day.isoformat(), "v": m.vector, "x": emb}


def _member(raw: dict[str, object]) -> StoryMember:
    packed = base64.b64decode(str(raw.get("x") or ""))
    emb = struct.unpack(f"<{len(packed) // 2}e", packed[: len(packed) // 2 * 2])
    vector = raw.get("v")
    return StoryMember(
        str(raw.get("id", "")),
        date.fromisoformat(str(raw["day"])),
        dict(vector) if isinstance(vector, dict) else {},
        tuple(float(x) for x in emb),
    )
