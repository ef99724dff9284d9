"""Entity-aware TF-IDF vectors and the similarity they define.

Each feature family (entities, terms, numbers) is L2-normalised on its own and scaled by the square
root of its weight, so the dot product of two vectors is the weighted sum of per-family cosines:
an article rich in topic words cannot drown its names, and one without names loses only that share.
A story's profile is the sum of its items' vectors, so ``dot(sum_a, sum_b) / (n_a * n_b)`` is the
average-link similarity between two groups: the same score for a day's batch and for the archive.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

Vector = dict[str, float]


def idf(df: int, documents: int) -> float:
    """Smoothed inverse document frequency (never zero, so a feature in every document still counts a little)."""
    return math.log((documents + 1) / (df + 1)) + 1.0


def item_vector(counts: Counter[str], dfs: Mapping[str, int], documents: int, family_weights: Mapping[str, float]) -> Vector:
    """Sub-linear TF x IDF per feature, each family unit-length then scaled by sqrt(its weight)."""
    families: dict[str, dict[str, float]] = {}
    for key, tf in counts.items():
        fam = key[0]
        if family_weights.get(fam, 0.0) <= 0.0:
            continue
        families.setdefault(fam, {})[key] = (1.0 + math.log(tf)) * idf(dfs.get(key, 0), documents)
    out: Vector = {}
    for fam, weights in families.items():
        norm = math.sqrt(sum(w * w for w in weights.values()))
        scale = math.sqrt(family_weights[fam]) / norm
        for key, w in weights.items():
            out[key] = w * scale
    return out


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[k] for k, w in a.items() if k in b)


def add_into(total: dict[str, float], v: Mapping[str, float]) -> None:
    for k, w in v.items():
        total[k] = total.get(k, 0.0) + w


def top_keys(v: Mapping[str, float], n: int) -> list[str]:
    """The ``n`` heaviest features (ties broken by name, so the result is stable)."""
    return [k for k, _ in sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def shared_evidence(a: Mapping[str, float], b: Mapping[str, float], n: int) -> list[str]:
    """The features that contribute most to ``dot(a, b)``: the "why" of a match."""
    contrib = {k: w * b[k] for k, w in a.items() if k in b and w * b[k] > 0}
    return top_keys(contrib, n)


def average_link_groups(vectors: Sequence[Vector], threshold: float) -> list[int]:
    """Average-link agglomerative clustering cut at ``threshold`` similarity; a label per vector.

    Order-independent within the batch (unlike one-pass assignment), O(n^2) memory in the batch
    size only, never in the archive size.
    """
    n = len(vectors)
    if n == 0:
        return []
    if n == 1:
        return [0]
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for r, v in enumerate(vectors):
        for k, w in v.items():
            rows.append(r)
            cols.append(vocab.setdefault(k, len(vocab)))
            vals.append(w)
    x = sparse.csr_matrix((vals, (rows, cols)), shape=(n, max(1, len(vocab))))
    sim = (x @ x.T).toarray()
    np.fill_diagonal(sim, 1.0)
    dist = np.clip(1.0 - sim, 0.0, 2.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    labels = fcluster(tree, t=1.0 - threshold, criterion="distance")
    # Renumber by first appearance so labels follow the batch order.
    first: dict[int, int] = {}
    return [first.setdefault(int(lab), len(first)) for lab in labels]
