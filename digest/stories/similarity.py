"""Evidence that two items report the same event, and the one score it is combined into.

For a pair of items the stage measures, each on its own scale 0..1:

- ``terms``: cosine of the TF-IDF of their distinctive words (headline counted twice, then the
  lead), place names excluded;
- ``actors``: cosine of the TF-IDF of the people, organisations, facilities and named events they
  name;
- ``numbers``: cosine of the specific figures they give (sums, tolls, magnitudes);
- ``semantic``: cosine of the WordLlama embeddings of headline + lead, rescaled so that the
  similarity of unrelated news (``SEMANTIC_BASE``) is 0;
- ``places``: cosine of the countries, cities, regions and nationalities they name.

The score is the weighted sum of the first four. Two headlines share fewer words than two articles
even when they report one event, so a pair whose shorter side has fewer than ``short_text_terms``
distinct words has its score raised by the square root of the shortfall (measured: the embeddings
of two headlines about one event are also less alike than those of two leads).

Places are context, never evidence: they add nothing, and two items that each name places but share
none (two earthquakes in two provinces) have their score multiplied by ``place_mismatch`` (rising
linearly to 1 as their place cosine reaches ``PLACE_OVERLAP``); likewise two items that each name
several actors but share none (``actor_mismatch``). So a shared country alone, or a shared country
plus generic words, cannot join two items.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
from scipy import sparse

from digest.config import StoriesConfig

FAMILIES = ("t", "e", "n", "g")
# the evidence of a pair as the pair model sees it (bench/stories_fit.py fits its weights)
FEATURES = (
    "terms",
    "actors",
    "numbers",
    "semantic",
    "semantic_known",
    "places_apart",
    "actors_apart",
    "shortness",
    "terms_x_short",
    "actors_x_short",
    "semantic_x_short",
)
MIN_ACTORS = 2  # the actor check applies when both sides name at least this many actors
SEMANTIC_BASE = 0.25  # embedding cosine of unrelated news items: rescaled to 0
PLACE_OVERLAP = 0.3  # place cosine from which two items count as agreeing on where


@dataclass
class Batch:
    """Items as sparse per-family unit vectors plus dense unit embeddings."""

    keys: list[str]  # feature key per column
    fam: dict[str, sparse.csr_matrix]  # family -> rows x all columns (others zero)
    emb: np.ndarray  # rows x DIM
    counts: dict[str, np.ndarray]  # family -> features per row

    @property
    def size(self) -> int:
        return int(self.emb.shape[0])


def build_batch(vectors: Sequence[Mapping[str, float]], embeddings: np.ndarray) -> Batch:
    """Per-family sparse matrices of the (family-normalised) vectors."""
    vocab: dict[str, int] = {}
    rows: dict[str, list[int]] = {f: [] for f in FAMILIES}
    cols: dict[str, list[int]] = {f: [] for f in FAMILIES}
    vals: dict[str, list[float]] = {f: [] for f in FAMILIES}
    for r, v in enumerate(vectors):
        for k, w in v.items():
            f = k[0]
            if f not in rows:
                continue
            rows[f].append(r)
            cols[f].append(vocab.setdefault(k, len(vocab)))
            vals[f].append(w)
    n, m = len(vectors), max(1, len(vocab))
    fam = {
        f: sparse.csr_matrix((vals[f], (rows[f], cols[f])), shape=(n, m), dtype=np.float64)
        for f in FAMILIES
    }
    counts = {f: np.diff(fam[f].indptr) for f in FAMILIES}
    keys = [""] * len(vocab)
    for k, j in vocab.items():
        keys[j] = k
    return Batch(keys, fam, np.asarray(embeddings, dtype=np.float32), counts)


def pair_features(a: Batch, b: Batch, i: np.ndarray, j: np.ndarray) -> dict[str, np.ndarray]:
    """Component similarities of the pairs (a[i], b[j]); ``a`` and ``b`` share one vocabulary
    (in practice they are one batch)."""
    out: dict[str, np.ndarray] = {}
    for f in FAMILIES:
        out[f] = _rowdot(a.fam[f], b.fam[f], i, j)
    cos = np.einsum("ij,ij->i", a.emb[i], b.emb[j]) if len(i) else np.zeros(0)
    known = (np.abs(a.emb[i]).sum(axis=1) > 0) & (np.abs(b.emb[j]).sum(axis=1) > 0)
    out["x"] = np.where(known, np.clip((cos - SEMANTIC_BASE) / (1 - SEMANTIC_BASE), 0, 1), 0.0)
    out["x_known"] = known.astype(float)
    for f in ("e", "g", "t"):
        out[f + "_a"] = a.counts[f][i].astype(float)
        out[f + "_b"] = b.counts[f][j].astype(float)
    return out


def feature_matrix(feat: Mapping[str, np.ndarray]) -> np.ndarray:
    """The pair model's features (``FEATURES``), one row per pair (any array shape flattened)."""
    both_placed = (feat["g_a"] > 0) & (feat["g_b"] > 0)
    places_apart = both_placed * (1.0 - np.minimum(1.0, feat["g"] / PLACE_OVERLAP))
    actors_apart = (feat["e_a"] >= MIN_ACTORS) & (feat["e_b"] >= MIN_ACTORS) & (feat["e"] <= 0)
    short = 1.0 / np.sqrt(np.maximum(np.minimum(feat["t_a"], feat["t_b"]), 1.0))
    cols = [
        feat["t"],
        feat["e"],
        feat["n"],
        feat["x"],
        feat["x_known"],
        places_apart,
        actors_apart,
        short,
        feat["t"] * short,
        feat["e"] * short,
        feat["x"] * short,
    ]
    return np.stack([np.asarray(c, dtype=np.float64).ravel() for c in cols], axis=1)


@functools.cache
def pair_model() -> tuple[np.ndarray, float]:
    """Weights and bias of the shipped pair model (``digest/data/story_pairs.json``)."""
    raw = json.loads(
        resources.files("digest.data").joinpath("story_pairs.json").read_text(encoding="utf-8")
    )
    if list(raw["features"]) != list(FEATURES):
        raise ValueError("story_pairs.json was fitted for other features: run bench/stories_fit.py")
    return np.asarray(raw["weights"], dtype=np.float64), float(raw["bias"])


def combine(feat: Mapping[str, np.ndarray], config: StoriesConfig) -> np.ndarray:
    """One similarity per pair from its component similarities (see the module docstring)."""
    if config.combiner == "model":
        weights, bias = pair_model()
        z = feature_matrix(feat) @ weights + bias
        shape = np.asarray(feat["t"]).shape
        return (1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))).reshape(shape)
    return _weighted(feat, config)


def _weighted(feat: Mapping[str, np.ndarray], config: StoriesConfig) -> np.ndarray:
    x_weight = np.where(feat["x_known"] > 0, config.semantic_weight, 0.0)
    total = config.term_weight + config.entity_weight + config.number_weight + x_weight
    lexical = (
        config.term_weight * feat["t"]
        + config.entity_weight * feat["e"]
        + config.number_weight * feat["n"]
    )
    score = (lexical + x_weight * feat["x"]) / total
    if config.short_text_terms > 0:
        shorter = np.maximum(np.minimum(feat["t_a"], feat["t_b"]), 1.0)
        score = score * np.maximum(1.0, np.sqrt(config.short_text_terms / shorter))
    both_placed = (feat["g_a"] > 0) & (feat["g_b"] > 0)
    place_agree = config.place_mismatch + (1.0 - config.place_mismatch) * np.minimum(
        1.0, feat["g"] / PLACE_OVERLAP
    )
    score = np.where(both_placed, score * place_agree, score)
    actors_apart = (feat["e_a"] >= MIN_ACTORS) & (feat["e_b"] >= MIN_ACTORS) & (feat["e"] <= 0)
    score = np.where(actors_apart, score * config.actor_mismatch, score)
    return np.clip(score, 0.0, 1.0)


def _rowdot(x: sparse.csr_matrix, y: sparse.csr_matrix, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Dot products of rows x[i] and y[j] (both over one batch's columns)."""
    if not len(i):
        return np.zeros(0)
    return np.asarray(x[i].multiply(y[j]).sum(axis=1)).ravel()
