"""What the stories and dedupe stages read mid-stage, and the intents they return.

Both stages are pure: they receive a small read-only lookup (``StoryLookup``, ``DuplicateLookup``;
the store implements both) and return what should be written (``StoriesResult``, ``DedupeResult``).
Only ``digest.pipeline.publish`` applies the intents to the store. ``MemoryStoryLookup`` is the
same lookup kept in memory, for tests and for replaying the stage in benchmarks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from digest.models import Assignment, StoredItem, StoryProfile


class StoryLookup(Protocol):
    """Read-only view of the stored stories for the stories stage."""

    def document_count(self) -> int: ...

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]: ...

    def story_candidates(self, keys: Sequence[str], per_key: int) -> dict[str, int]:
        """Stories indexed under any of ``keys`` (the ``per_key`` most recent per key), with the
        number of keys each was found under."""
        ...

    def story_profiles(self, story_ids: Sequence[str]) -> dict[str, StoryProfile]: ...

    def latest_story_texts(self, story_id: str, limit: int) -> list[tuple[str, str]]:
        """Title and body of a story's ``limit`` latest original items."""
        ...


class DuplicateLookup(Protocol):
    """Read-only view of stored items and their MinHash buckets for the dedupe stage."""

    def items_with_hash(self, content_hash: str) -> list[StoredItem]: ...

    def items_with_canonical_url(self, url: str) -> list[StoredItem]: ...

    def items_by_ids(self, ids: Sequence[str]) -> dict[str, StoredItem]: ...

    def minhash_candidates(self, bands: Sequence[str]) -> set[str]: ...

    def minhash_signatures(self, item_ids: Sequence[str]) -> dict[str, tuple[date, bytes]]: ...


@dataclass(frozen=True)
class NewStory:
    """A story to create: its stable id, its first title and the day it starts."""

    story_id: str
    title: str
    day: date


@dataclass(frozen=True)
class ProfileUpdate:
    """A story's new profile and the features to index it under."""

    profile: StoryProfile
    index_keys: tuple[str, ...]


@dataclass
class StoriesResult:
    """The stories stage's intents: where each item goes, which stories to create or touch, the
    profiles to save and the document-frequency counts to add."""

    assignments: list[Assignment] = field(default_factory=list)
    new_stories: list[NewStory] = field(default_factory=list)
    touched: list[str] = field(default_factory=list)
    profiles: list[ProfileUpdate] = field(default_factory=list)
    df_delta: Counter[str] = field(default_factory=Counter)
    documents: int = 0
    day: date | None = None


@dataclass(frozen=True)
class Signature:
    """A MinHash signature to store for later near-duplicate lookups."""

    item_id: str
    day: date
    blob: bytes
    bands: tuple[str, ...]


@dataclass
class DedupeResult:
    """The dedupe stage's intents: item id -> the original it duplicates; signatures to store."""

    duplicates: dict[str, str] = field(default_factory=dict)
    signatures: list[Signature] = field(default_factory=list)


class MemoryStoryLookup:
    """A ``StoryLookup`` kept in memory; ``apply`` records a result as the store would."""

    def __init__(self) -> None:
        self.documents = 0
        self.df: Counter[str] = Counter()
        self.profiles: dict[str, StoryProfile] = {}
        self.index: dict[str, dict[str, date]] = {}
        self.keys_of: dict[str, tuple[str, ...]] = {}
        self.texts: dict[str, list[tuple[str, str]]] = {}
        self.titles: dict[str, str] = {}

    def document_count(self) -> int:
        return self.documents

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        return {t: self.df[t] for t in terms if t in self.df}

    def story_candidates(self, keys: Sequence[str], per_key: int) -> dict[str, int]:
        hits: dict[str, int] = {}
        for key in keys:
            rows = sorted(
                self.index.get(key, {}).items(), key=lambda kv: (-kv[1].toordinal(), kv[0])
            )
            for sid, _ in rows[:per_key]:
                hits[sid] = hits.get(sid, 0) + 1
        return hits

    def story_profiles(self, story_ids: Sequence[str]) -> dict[str, StoryProfile]:
        return {s: self.profiles[s] for s in story_ids if s in self.profiles}

    def latest_story_texts(self, story_id: str, limit: int) -> list[tuple[str, str]]:
        return list(reversed(self.texts.get(story_id, [])[-limit:]))

    def apply(self, result: StoriesResult, items: Sequence[StoredItem] = ()) -> None:
        """Record ``result`` (and the texts of ``items`` under their new stories)."""
        self.documents += result.documents
        self.df.update(result.df_delta)
        for new in result.new_stories:
            self.titles.setdefault(new.story_id, new.title)
        for update in result.profiles:
            sid = update.profile.story_id
            self.profiles[sid] = update.profile
            for key in self.keys_of.get(sid, ()):
                self.index.get(key, {}).pop(sid, None)
            self.keys_of[sid] = update.index_keys
            for key in update.index_keys:
                self.index.setdefault(key, {})[sid] = update.profile.last_seen
        by_id = {it.article.id: it for it in items}
        for a in result.assignments:
            it = by_id.get(a.item_id)
            if it is not None and a.duplicate_of is None:
                self.texts.setdefault(a.story_id, []).append((it.article.title, it.article.text))
