"""Duplicate folding: the same article under several URLs, sources or guids becomes one.

An item is a duplicate of the earliest known item with the same canonical URL or the same
normalised content hash. Duplicates join their original's story and are shown as extra sources.
"""

from __future__ import annotations

from collections.abc import Sequence

from digest.config import StoriesConfig
from digest.models import StoredItem
from digest.store import Store


def find_duplicates(items: Sequence[StoredItem], store: Store, config: StoriesConfig) -> dict[str, str]:
    """Map item id -> id of the original it duplicates, for the items that are duplicates."""
    dupes: dict[str, str] = {}
    seen_hash: dict[str, str] = {}
    seen_url: dict[str, str] = {}
    for it in items:
        a = it.article
        original = seen_hash.get(a.content_hash) or (a.canonical_url and seen_url.get(a.canonical_url))
        if not original:
            earlier = [
                other
                for other in store.items_with_hash(a.content_hash)
                + (store.items_with_canonical_url(a.canonical_url) if a.canonical_url else [])
                if other.article.id != a.id and other.story_id is not None
            ]
            if earlier:
                original = earlier[0].duplicate_of or earlier[0].article.id
        if original:
            dupes[a.id] = original
        else:
            seen_hash.setdefault(a.content_hash, a.id)
            if a.canonical_url:
                seen_url.setdefault(a.canonical_url, a.id)
    return dupes
