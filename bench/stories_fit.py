"""Fit the pair model of the stories stage: P(same story | evidence of a pair), logistic regression.

For each kept run (see ``bench/stories_tune.py``) pairs of items reported within ``--days`` of each
other are drawn (every positive pair up to a cap, and as many random negative pairs), their evidence
is measured exactly as the stage measures it (``digest.stories.similarity.pair_features``, IDF from
the set's own items) and a logistic regression with an L2 penalty is fitted by Newton's method,
every set weighing the same and, within a set, positives as much as negatives. The weights are
written to ``digest/data/story_pairs.json`` (or ``--out``), which the stage reads.

    python bench/stories_fit.py --train ecb newswcl bs1 bs2 bs3 --test rf uci   # one fold
    python bench/stories_fit.py --train rf uci ecb newswcl bs1 bs2 bs3 --out digest/data/story_pairs.json

Retrain after changing the features (``digest.stories.similarity.FEATURES``) and record the
rotation in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import stories_tune as tune

from digest.config import StoriesConfig
from digest.stories.embed import embed, lead_text
from digest.stories.features import item_features
from digest.stories.similarity import FEATURES, build_batch, feature_matrix, pair_features
from digest.stories.vectors import item_vector

ROOT = Path(__file__).resolve().parent.parent


def pairs_of(name: str, days: int, cap: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows and labels of a set's sampled pairs."""
    rep = tune.load(name)
    if rep is None:
        raise SystemExit(f"no kept run for {name}")
    config = StoriesConfig()
    dated = [(d, it) for d, items in rep.days for it in items if it.article.id in rep.gold]
    items = [it for _, it in dated]
    day_no = np.array([d.toordinal() for d, _ in dated])
    feats = [
        item_features(
            it, rep.mentions.get(it.article.id, ()), config.title_boost, config.text_chars
        )
        for it in items
    ]
    df: Counter[str] = Counter()
    for counts, _ in feats:
        df.update(counts.keys())
    vectors = [item_vector(c, df, len(items)) for c, _ in feats]
    emb = embed([lead_text(it.article.title, it.article.text) for it in items])
    batch = build_batch(vectors, emb)
    gold = np.array([rep.gold[it.article.id] for it in items])
    rng = np.random.default_rng(seed)
    by_label: dict[str, list[int]] = {}
    for k, g in enumerate(gold):
        by_label.setdefault(g, []).append(k)
    pos: set[tuple[int, int]] = set()
    for members in by_label.values():
        for a in members:
            for b in members:
                if a < b and abs(day_no[a] - day_no[b]) <= days:
                    pos.add((a, b))
    pos_list = sorted(pos)
    if len(pos_list) > cap:
        pos_list = [pos_list[i] for i in rng.choice(len(pos_list), cap, replace=False)]
    neg: set[tuple[int, int]] = set()
    n = len(items)
    tries = 0
    while len(neg) < max(len(pos_list), 2000) and tries < 50 * cap:
        tries += 1
        a, b = (int(x) for x in rng.integers(0, n, 2))
        if a == b or gold[a] == gold[b] or abs(day_no[a] - day_no[b]) > days:
            continue
        neg.add((min(a, b), max(a, b)))
    all_pairs = np.array(pos_list + sorted(neg), dtype=np.int64)
    y = np.array([1.0] * len(pos_list) + [0.0] * len(neg))
    x = feature_matrix(pair_features(batch, batch, all_pairs[:, 0], all_pairs[:, 1]))
    return x, y


def fit(xs: list[np.ndarray], ys: list[np.ndarray], l2: float = 1.0) -> np.ndarray:
    """Weights (bias last) of an L2-penalised logistic regression, every set and class equal."""
    rows, labels, weights = [], [], []
    for x, y in zip(xs, ys):
        for cls in (0.0, 1.0):
            mask = y == cls
            if mask.any():
                rows.append(x[mask])
                labels.append(y[mask])
                weights.append(np.full(mask.sum(), 1.0 / mask.sum()))
    x = np.hstack([np.vstack(rows), np.ones((sum(len(r) for r in rows), 1))])
    y = np.concatenate(labels)
    w = np.concatenate(weights)
    w = w / w.sum() * len(w)
    beta = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ beta)))
        grad = x.T @ (w * (p - y)) + penalty * beta
        hess = (x * (w * p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta


def auc(score: np.ndarray, y: np.ndarray) -> float:
    order = score.argsort().argsort() + 1
    npos, nneg = (y == 1).sum(), (y == 0).sum()
    return float((order[y == 1].sum() - npos * (npos + 1) / 2) / max(1, npos * nneg))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", nargs="+", required=True)
    ap.add_argument("--test", nargs="*", default=[])
    ap.add_argument("--days", type=int, default=3)
    ap.add_argument("--cap", type=int, default=20000)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    data = {name: pairs_of(name, args.days, args.cap) for name in [*args.train, *args.test]}
    beta = fit([data[n][0] for n in args.train], [data[n][1] for n in args.train])
    for name, w in zip([*FEATURES, "bias"], beta):
        print(f"  {name:>16} {w:+.3f}")
    for name, (x, y) in data.items():
        z = np.hstack([x, np.ones((len(x), 1))]) @ beta
        tag = "train" if name in args.train else "test"
        print(f"| {name} | {tag} | pairs {len(y)} | AUC {auc(z, y):.3f} |")
    if args.out:
        model = {
            "about": "P(same story) of a pair of items: logistic regression over the features of "
            "digest.stories.similarity.FEATURES; fitted by bench/stories_fit.py",
            "features": list(FEATURES),
            "weights": [round(float(w), 5) for w in beta[:-1]],
            "bias": round(float(beta[-1]), 5),
            "trained_on": list(args.train),
        }
        args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"written {args.out}")


if __name__ == "__main__":
    main()
