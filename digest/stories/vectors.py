"""TF-IDF vectors of an item's features, one unit-length vector per feature family.

Each family (terms, actors, numbers, places) is L2-normalised on its own, so the dot product of two
items restricted to one family is that family's cosine; ``digest.stories.similarity`` weighs the
families. IDF comes from a document-frequency table kept in the store (and this batch's counts).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

Vector = dict[str, float]
SHARED_SHOWN = 5  # features listed in an item's "why"


def idf(df: int, documents: int) -> float:
    """Smoothed inverse document frequency (never zero: a feature in every document still counts a
    little)."""
    return math.log((documents + 1) / (df + 1)) + 1.0


def item_vector(
    counts: Counter[str],
    dfs: Mapping[str, int],
    documents: int,
    sparse_families: str = "en",
    prior: float = 0.5,
) -> Vector:
    """Sub-linear TF x IDF per feature, each family (first letter of the key) unit-length.

    Families that hold few features per item (``sparse_families``: actors, numbers) are
    normalised with an extra, unshared mass of ``prior`` x the IDF of a feature seen once: two
    items naming only one very common actor ("Trump") then score low on actors, two naming one
    rare actor high, where plain unit length would give both pairs 1.0.
    """
    families: dict[str, dict[str, float]] = {}
    for key, tf in counts.items():
        families.setdefault(key[0], {})[key] = (1.0 + math.log(tf)) * idf(
            dfs.get(key, 0), documents
        )
    pseudo = prior * idf(1, documents)
    out: Vector = {}
    for fam, weights in families.items():
        extra = pseudo * pseudo if fam in sparse_families else 0.0
        norm = math.sqrt(sum(w * w for w in weights.values()) + extra)
        for key, w in weights.items():
            out[key] = w / norm
    return out


def add_into(total: dict[str, float], v: Mapping[str, float], sign: float = 1.0) -> None:
    for k, w in v.items():
        total[k] = total.get(k, 0.0) + sign * w


def top_keys(v: Mapping[str, float], n: int) -> list[str]:
    """The ``n`` heaviest features (ties broken by name, so the result is stable)."""
    return [k for k, _ in sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def shared_evidence(a: Mapping[str, float], b: Mapping[str, float], n: int) -> list[str]:
    """The actor, term and number features that contribute most to the overlap of ``a`` and ``b``
    (places are context, not evidence, so they are not listed)."""
    contrib = {k: w * b[k] for k, w in a.items() if k in b and w * b[k] > 0 and k[0] != "g"}
    return top_keys(contrib, n)


def display_names(keys: Sequence[str], names: Mapping[str, str]) -> tuple[str, ...]:
    """Feature keys as the item spelled them ("Tara Reid", "6.1", "earthquake"), each name once."""
    shown: dict[str, str] = {}
    for k in keys:
        name = names.get(k, k[2:])
        shown.setdefault(name.casefold(), name)
    return tuple(shown.values())[:SHARED_SHOWN]
