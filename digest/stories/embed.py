"""Sentence embeddings of an item's headline and lead, from the WordLlama model in its wheel.

WordLlama (``wordllama`` 0.4.0.post1) is a static token-embedding model: 16 MB of weights and a
tokenizer file inside the installed package, numpy only. It is loaded from the package folder with
downloads disabled, so it never touches the network. It encodes thousands of short texts per second,
so nothing is cached: an item is embedded when the stage needs it.

Only the headline and the first ``LEAD_CHARS`` of the body are embedded: the event is told there,
and a 20-word feed entry and a 900-word article about the same event then compare like for like.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

LEAD_CHARS = 300
DIM = 256
_SPACE = re.compile(r"\s+")


@functools.cache
def _model() -> Any:
    import wordllama  # heavy: tokenizer and weights load on first use only
    from wordllama import WordLlama

    return WordLlama.load(dim=DIM, cache_dir=Path(wordllama.__file__).parent, disable_download=True)


def lead_text(title: str, text: str, lead_chars: int = LEAD_CHARS) -> str:
    """Headline plus the start of the body, cut at a word boundary."""
    lead = _SPACE.sub(" ", text[: lead_chars + 40]).strip()
    if len(lead) > lead_chars:
        lead = lead[:lead_chars].rsplit(" ", 1)[0]
    return f"{title.strip()}. {lead}".strip(" .") if lead else title.strip()


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text (a zero row for an empty text)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    vecs = np.asarray(_model().embed(list(texts), norm=False), dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return np.where(norms > 0, vecs / np.maximum(norms, 1e-12), 0.0).astype(np.float32)


def mean_cosine(emb: np.ndarray, others: Sequence[Sequence[float]]) -> float | None:
    """Mean cosine of one embedding with others (None when either side is unknown): the
    "semantic" figure of an item's "why"."""
    rows = [np.asarray(o, dtype=np.float32) for o in others if len(o) == DIM]
    if not rows or float(np.abs(emb).sum()) == 0:
        return None
    return float(np.mean(np.stack(rows) @ emb))
