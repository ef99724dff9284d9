"""Duplicate folding: the same article under several URLs, sources or guids becomes one.

An item duplicates the earliest known item with the same canonical URL, the same normalised text
(content hash), or a near-identical body (MinHash Jaccard of word shingles at or above
``duplicate_threshold``: syndicated wire copy with a different byline, a changed headline or a new
guid). Near-duplicate candidates come from LSH buckets kept in the store, so the check never scans
the archive. Duplicates join their original's story and are shown as extra sources.

A near-identical body that arrives after its original was reported (a wire story updated the next
day, the same article re-published with a new figure) is a later version, not a copy: it joins
the original's story as an item of its own, so the developments stage can report what changed.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Sequence
from datetime import date

import numpy as np
from datasketch import MinHash

from digest.config import StoriesConfig
from digest.models import Assignment, StoredItem
from digest.stories.assign import story_id_for
from digest.stories.lookup import DedupeResult, DuplicateLookup, NewStory, Signature

log = logging.getLogger(__name__)

NUM_PERM = 128
BANDS = 32  # 32 bands x 4 rows: pairs at Jaccard 0.5 meet in a bucket with probability ~0.87
ROWS = NUM_PERM // BANDS
SHINGLE = 4  # words per shingle
_WORD = re.compile(r"\w+", re.UNICODE)


def body_words(text: str) -> list[str]:
    """Case-folded words of a body, ignoring punctuation and spacing differences."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def signature(words: Sequence[str]) -> MinHash:
    """MinHash over overlapping ``SHINGLE``-word shingles (deterministic seed: stable across
    runs)."""
    m = MinHash(num_perm=NUM_PERM, seed=1)
    shingles = {
        " ".join(words[i : i + SHINGLE]).encode() for i in range(max(1, len(words) - SHINGLE + 1))
    }
    m.update_batch(sorted(shingles))
    return m


def band_keys(m: MinHash) -> list[str]:
    """LSH bucket keys of a signature, one per band."""
    values = m.hashvalues
    return [
        f"{b}:"
        + hashlib.blake2b(values[b * ROWS : (b + 1) * ROWS].tobytes(), digest_size=8).hexdigest()
        for b in range(BANDS)
    ]


def _jaccard(a: MinHash, b_values: np.ndarray) -> float:
    return float(np.count_nonzero(a.hashvalues == b_values)) / NUM_PERM


def is_later_version(item: StoredItem, original: StoredItem, day: date) -> bool:
    """True when ``item`` differs from an ``original`` already reported before ``day``: it may
    carry what is new since (a changed figure, a new paragraph), so it must not be folded away."""
    return (
        original.reported_on is not None
        and original.reported_on < day
        and item.article.content_hash != original.article.content_hash
    )


def find_duplicates(
    items: Sequence[StoredItem], lookup: DuplicateLookup, config: StoriesConfig
) -> DedupeResult:
    """Map item id -> id of the original it duplicates, for the items that are duplicates.

    ``items`` are new items in arrival order; originals may be earlier items of the batch or stored
    items that already belong to a story. The signatures of new originals are returned, to be
    stored for later runs.
    """
    result = DedupeResult()
    dupes = result.duplicates
    seen_hash: dict[str, str] = {}
    seen_url: dict[str, str] = {}
    batch_sigs: dict[str, MinHash] = {}
    batch_bands: dict[str, list[str]] = {}
    for it in items:
        a = it.article
        original = seen_hash.get(a.content_hash) or (
            seen_url.get(a.canonical_url) if a.canonical_url else None
        )
        if not original:
            original = _stored_exact(it, lookup)
        words = body_words(a.text)
        sig = signature(words) if len(words) >= config.duplicate_min_words else None
        bands = band_keys(sig) if sig is not None else []
        if not original and sig is not None:
            original = _near_duplicate(sig, bands, batch_sigs, batch_bands, lookup, config)
        if original:
            dupes[a.id] = original
            continue
        seen_hash.setdefault(a.content_hash, a.id)
        if a.canonical_url:
            seen_url.setdefault(a.canonical_url, a.id)
        if sig is not None:
            batch_sigs[a.id] = sig
            for band in bands:
                batch_bands.setdefault(band, []).append(a.id)
            blob = sig.hashvalues.astype(np.uint64).tobytes()
            result.signatures.append(Signature(a.id, it.day, blob, tuple(bands)))
    if dupes:
        log.info("stage=dedupe items=%d duplicates=%d", len(items), len(dupes))
    return result


def _stored_exact(it: StoredItem, store: DuplicateLookup) -> str | None:
    """The original of an item whose text or canonical URL is already stored under a story."""
    a = it.article
    earlier = [
        other
        for other in store.items_with_hash(a.content_hash)
        + (store.items_with_canonical_url(a.canonical_url) if a.canonical_url else [])
        if other.article.id != a.id and other.story_id is not None
    ]
    if not earlier:
        return None
    return earlier[0].duplicate_of or earlier[0].article.id


def _near_duplicate(
    sig: MinHash,
    bands: Sequence[str],
    batch_sigs: dict[str, MinHash],
    batch_bands: dict[str, list[str]],
    store: DuplicateLookup,
    config: StoriesConfig,
) -> str | None:
    """The best near-identical original among earlier batch items, then stored items."""
    in_batch = sorted({i for b in bands for i in batch_bands.get(b, ())})
    best, best_j = None, 0.0
    for other in in_batch:
        j = _jaccard(sig, batch_sigs[other].hashvalues)
        if j > best_j:
            best, best_j = other, j
    if best is not None and best_j >= config.duplicate_threshold:
        return best
    stored_ids = sorted(store.minhash_candidates(bands) - set(batch_sigs))
    if not stored_ids:
        return None
    best, best_j = None, 0.0
    for other, (_, blob) in sorted(store.minhash_signatures(stored_ids).items()):
        j = _jaccard(sig, np.frombuffer(blob, dtype=np.uint64))
        if j > best_j:
            best, best_j = other, j
    if best is None or best_j < config.duplicate_threshold:
        return None
    stored = store.items_by_ids([best]).get(best)
    if stored is None or stored.story_id is None:
        return None
    return stored.duplicate_of or best


def place_duplicates(
    duplicates: dict[str, str],
    items: dict[str, StoredItem],
    originals: dict[str, StoredItem],
    assigned: dict[str, str],
    day: date,
) -> tuple[list[Assignment], list[NewStory]]:
    """Where each duplicate goes: its original's story (``assigned`` today, else stored), as a
    copy or, when the original was reported before ``day`` and differs, as a later version. An
    original under no story starts one by the same id rule as any story."""
    out: list[Assignment] = []
    new: list[NewStory] = []
    for dup_id, original_id in duplicates.items():
        original = originals.get(original_id)
        story_id = assigned.get(original_id) or (original.story_id if original else None)
        if story_id is None:
            story_id = story_id_for(original_id)
            new.append(NewStory(story_id, items[dup_id].article.title, day))
        if original is not None and is_later_version(items[dup_id], original, day):
            out.append(Assignment(dup_id, story_id, 1.0, ("later version of a reported item",)))
        else:
            out.append(Assignment(dup_id, story_id, 1.0, ("duplicate",), duplicate_of=original_id))
    return out, new
