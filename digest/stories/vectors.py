"""Entity-aware TF-IDF vectors, the similarity they define, and the day-batch clustering.

Each feature family (entities, terms, numbers) is L2-normalised on its own and scaled by the square
root of its weight, so the dot product of two vectors is the weighted sum of per-family cosines:
an article rich in topic words cannot drown its names, and one without names loses only that share.
A story's profile is the sum of its items' vectors, so ``dot(sum_a, sum_b) / (n_a * n_b)`` is the
average-link similarity between two groups: the same score for a day's batch and for the archive.

Headlines alone share few words even when they report the same event, so a pair whose shorter side
has fewer than ``short_text_terms`` term features has its similarity scaled up by the square root of
the shortfall (``length_boost``).
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
MIN_ENTITIES = 3  # the entity check applies when both sides name at least this many entities
ENTITY_OVERLAP = 0.05  # mean entity cosine from which two sides count as agreeing on who/where


def idf(df: int, documents: int) -> float:
    """Smoothed inverse document frequency (never zero: a feature in every document still counts a
    little)."""
    return math.log((documents + 1) / (df + 1)) + 1.0


def item_vector(
    counts: Counter[str],
    dfs: Mapping[str, int],
    documents: int,
    family_weights: Mapping[str, float],
) -> Vector:
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


def term_count(v: Mapping[str, float]) -> int:
    """How many term features (``t:``) a vector has: a measure of how much text it was built
    from."""
    return sum(1 for k in v if k.startswith("t:"))


def length_boost(shorter_terms: float, short_text_terms: int) -> float:
    """Similarity multiplier for short texts: sqrt(short_text_terms / terms), at least 1."""
    if short_text_terms <= 0:
        return 1.0
    return max(1.0, math.sqrt(short_text_terms / max(shorter_terms, 1.0)))


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[k] for k, w in a.items() if k in b)


def add_into(total: dict[str, float], v: Mapping[str, float], sign: float = 1.0) -> None:
    for k, w in v.items():
        total[k] = total.get(k, 0.0) + sign * w


def top_keys(v: Mapping[str, float], n: int) -> list[str]:
    """The ``n`` heaviest features (ties broken by name, so the result is stable)."""
    return [k for k, _ in sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def shared_evidence(a: Mapping[str, float], b: Mapping[str, float], n: int) -> list[str]:
    """The features that contribute most to ``dot(a, b)``: the "why" of a match."""
    contrib = {k: w * b[k] for k, w in a.items() if k in b and w * b[k] > 0}
    return top_keys(contrib, n)


def similarity_matrix(
    vectors: Sequence[Vector],
    short_text_terms: int,
    entity_weight: float = 0.0,
    mismatch_factor: float = 1.0,
) -> np.ndarray:
    """Pairwise similarity of a batch (dense, n x n), with the short-text boost and the entity
    check of ``entity_agreement`` (pairs that each name several entities but share none are
    scaled towards ``mismatch_factor``), capped at 1."""
    n = len(vectors)
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
    sim = np.asarray((x @ x.T).todense(), dtype=float)
    if short_text_terms > 0:
        terms = np.array([term_count(v) for v in vectors], dtype=float)
        shorter = np.maximum(np.minimum(terms[:, None], terms[None, :]), 1.0)
        sim *= np.maximum(1.0, np.sqrt(short_text_terms / shorter))
    if entity_weight > 0 and mismatch_factor < 1.0:
        ent_cols = [j for k, j in vocab.items() if k.startswith("e:")]
        xe = x[:, ent_cols]
        overlap = np.asarray((xe @ xe.T).todense(), dtype=float) / entity_weight
        named = np.asarray((xe > 0).sum(axis=1)).ravel() >= MIN_ENTITIES
        agree = mismatch_factor + (1.0 - mismatch_factor) * np.minimum(
            1.0, overlap / ENTITY_OVERLAP
        )
        sim *= np.where(np.outer(named, named), agree, 1.0)
    np.minimum(sim, 1.0, out=sim)
    np.fill_diagonal(sim, 1.0)
    return sim


def shared_neighbours(sim: np.ndarray, min_neighbours: int, min_similarity: float) -> np.ndarray:
    """Jaccard overlap of each pair's near-neighbour sets within the batch.

    Each item's neighbours are its ``max(min_neighbours, half of those at min_similarity or more)``
    most similar items that reach ``min_similarity`` (itself included). Two look-alike events
    form two dense neighbourhoods that share few neighbours even when their topic words overlap;
    a large story keeps large neighbourhoods, so its members still overlap.
    """
    n = sim.shape[0]
    above = sim >= min_similarity
    k = np.maximum(min_neighbours, np.ceil(0.5 * above.sum(axis=1))).astype(int)
    order = np.argsort(-sim, axis=1, kind="stable")
    rows: list[int] = []
    cols: list[int] = []
    for i in range(n):
        nb = order[i, : k[i]]
        nb = nb[above[i, nb]]
        rows.extend([i] * len(nb))
        cols.extend(nb.tolist())
    a = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    inter = np.asarray((a @ a.T).todense(), dtype=float)
    size = np.asarray(a.sum(axis=1)).ravel()
    union = size[:, None] + size[None, :] - inter
    return inter / np.maximum(union, 1.0)


def batch_groups(
    vectors: Sequence[Vector],
    threshold: float,
    neighbour_similarity: float,
    min_neighbours: int,
    short_text_terms: int,
    entity_weight: float = 0.0,
    mismatch_factor: float = 1.0,
) -> list[int]:
    """Group a day's items: average-link over similarity x shared-neighbour overlap, cut at
    ``threshold``; a label per vector, numbered by first appearance.

    Clustering the batch as a whole makes the result independent of arrival order; memory is
    O(n^2) in the batch size only, never in the archive size.
    """
    n = len(vectors)
    if n <= 1:
        return [0] * n
    sim = similarity_matrix(vectors, short_text_terms, entity_weight, mismatch_factor)
    score = sim * shared_neighbours(sim, min_neighbours, neighbour_similarity)
    np.fill_diagonal(score, 1.0)
    dist = np.clip(1.0 - score, 0.0, 1.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    labels = fcluster(tree, t=1.0 - threshold, criterion="distance")
    first: dict[int, int] = {}
    return [first.setdefault(int(lab), len(first)) for lab in labels]
