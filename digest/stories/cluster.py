"""Grouping a day's new items: exact pairwise similarity within bounded chunks, average link.

Every pair of a chunk is scored (sparse products per feature family plus one embedding product),
then reweighted by the overlap of the two items' near-neighbour sets, then cut by average link
(scipy). Two look-alike events form two dense neighbourhoods that share few neighbours even where
their words overlap; a large story keeps large neighbourhoods, so its members still overlap.

A day larger than ``max_batch`` items is split, in time order, into equal chunks of at most that
many: the cost per item is then bounded by the chunk size, whatever the size of the day (a day ten
times larger costs about the same per item), and a later chunk's groups still join the stories an
earlier chunk started through the same lookup as stored stories.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from digest.config import StoriesConfig
from digest.stories.similarity import FAMILIES, SEMANTIC_BASE, Batch, combine


def chunks(n: int, max_batch: int) -> list[range]:
    """``n`` positions cut into equal consecutive chunks of at most ``max_batch``."""
    if n <= 0:
        return []
    parts = max(1, math.ceil(n / max(1, max_batch)))
    size = math.ceil(n / parts)
    return [range(s, min(n, s + size)) for s in range(0, n, size)]


def similarity_matrix(batch: Batch, config: StoriesConfig) -> np.ndarray:
    """Pairwise similarity of a batch (n x n, ``combine`` of every pair's components)."""
    feat: dict[str, np.ndarray] = {}
    for f in FAMILIES:
        x = batch.fam[f]
        feat[f] = np.asarray((x @ x.T).todense(), dtype=np.float64)
    cos = (batch.emb @ batch.emb.T).astype(np.float64)
    known = np.abs(batch.emb).sum(axis=1) > 0
    feat["x"] = np.clip((cos - SEMANTIC_BASE) / (1 - SEMANTIC_BASE), 0, 1)
    feat["x_known"] = np.outer(known, known).astype(float)
    for f in ("e", "g", "t"):
        c = batch.counts[f].astype(float)
        feat[f + "_a"] = np.repeat(c[:, None], len(c), axis=1)
        feat[f + "_b"] = feat[f + "_a"].T
    sim = combine(feat, config)
    np.fill_diagonal(sim, 1.0)
    return sim


def neighbour_overlap(sim: np.ndarray, min_similarity: float, size: int) -> np.ndarray:
    """Jaccard overlap of each pair's near-neighbour sets: an item's neighbours are itself and its
    ``max(size, half of those at min_similarity or more)`` most similar items at
    ``min_similarity`` or more."""
    n = sim.shape[0]
    above = sim >= min_similarity
    k = np.maximum(size, np.ceil(0.5 * above.sum(axis=1))).astype(int)
    order = np.argsort(-sim, axis=1, kind="stable")
    member = np.zeros((n, n), dtype=np.float32)
    for r in range(n):
        nb = order[r, : k[r]]
        member[r, nb[above[r, nb]]] = 1.0
    inter = member @ member.T
    sizes = member.sum(axis=1)
    union = sizes[:, None] + sizes[None, :] - inter
    return (inter / np.maximum(union, 1.0)).astype(np.float64)


def group_chunk(batch: Batch, ids: list[str], config: StoriesConfig) -> list[int]:
    """Labels of one chunk's items (numbered by first appearance)."""
    n = batch.size
    if n <= 1:
        return [0] * n
    sim = similarity_matrix(batch, config)
    if config.neighbour_weight > 0:
        overlap = neighbour_overlap(sim, config.join_threshold, config.neighbour_size)
        sim = sim * ((1.0 - config.neighbour_weight) + config.neighbour_weight * overlap)
    np.fill_diagonal(sim, 1.0)
    dist = np.clip(1.0 - sim, 0.0, 1.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    labels = fcluster(tree, t=1.0 - config.batch_threshold, criterion="distance")
    first: dict[int, int] = {}
    return [first.setdefault(int(lab), len(first)) for lab in labels]
