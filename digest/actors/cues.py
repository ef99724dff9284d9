"""Word cues for what a name stands for, from ``digest/data/things.json``: head nouns of events,
works, laws, storms and illnesses (a name ending in one is no actor), and of geographic features
(a name ending in one, or a name followed by one in lower case: "the Tarsk valley", is a place).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class _Cues:
    last: frozenset[str]
    first: frozenset[str]
    feature_last: frozenset[str]
    feature_first: frozenset[str]
    state_first: frozenset[str]
    org_heads: frozenset[str]


@functools.cache
def cues() -> _Cues:
    raw = json.loads(resources.files("digest.data").joinpath("things.json").read_text("utf-8"))
    keys = ("last", "first", "feature_last", "feature_first", "state_first", "org_heads")
    return _Cues(*(frozenset(raw[k]) for k in keys))


def words_of(name: str) -> list[str]:
    return [w.lower().strip(".,'’\"“”‘") for w in name.split() if w.strip(".,'’\"“”‘")]


def is_feature(name: str) -> bool:
    """A geographic feature or a named part of a place: "River Almen", "Victoria Harbour"."""
    words = words_of(name)
    c = cues()
    if len(words) < 2:
        return False
    if words[0] in c.state_first and words[1] == "of":
        return True  # "Republic of Somaliland": a state's formal name
    return words[-1] in c.feature_last or (len(words) == 2 and words[0] in c.feature_first)


def feature_after(text: str, end: int) -> bool:
    """A lower-case feature noun right after a name: "the Tarsk valley", "the Almen river"."""
    return _next_word(text, end) in cues().feature_last


def _next_word(text: str, end: int) -> str:
    nxt = text[end : end + 24].split()
    return nxt[0].strip(".,;:") if nxt and nxt[0].islower() else ""


def has_org_head(name: str) -> bool:
    """A word after the first of ``name`` says it is an organisation's: "Tana Water Board",
    "Kenya Airways"."""
    return any(w in cues().org_heads for w in words_of(name)[1:])  # "Bank" alone says nothing
