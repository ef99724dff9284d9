"""Clustering scores shared by the benchmark scripts."""

from __future__ import annotations

from collections import defaultdict


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering against gold, averaged over gold's items."""
    keys = list(gold)
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for k in keys:
        by_pred[pred[k]].add(k)
        by_gold[gold[k]].add(k)
    p = r = 0.0
    for k in keys:
        same = len(by_pred[pred[k]] & by_gold[gold[k]])
        p += same / len(by_pred[pred[k]])
        r += same / len(by_gold[gold[k]])
    p, r = p / len(keys), r / len(keys)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
