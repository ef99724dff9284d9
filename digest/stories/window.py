"""A stored story's window: the latest items a new group is compared with, and its index keys.

A story is never summed into a profile that grows with every item: it keeps its ``story_window``
latest items, and a group's score against it is the mean, over the group's items, of each item's
``window_best`` highest similarities to them, so a continuation that resembles the last reports
joins while no story becomes a magnet for everything about its country.
"""

from __future__ import annotations

import numpy as np

from digest.models import StoryProfile
from digest.stories.vectors import Vector, add_into, top_keys


def window_score(sim: np.ndarray, best: int) -> float:
    """A group's score against a story window: per member, the mean of its ``best`` highest
    similarities to the window's items (a continuation resembles the last reports, not all of
    them), averaged over the group."""
    if sim.size == 0:
        return 0.0
    k = max(1, min(best, sim.shape[1]))
    top = -np.sort(-sim, axis=1)[:, :k]
    return float(top.mean())


class DayIndex:
    """Feature -> the latest ``per_key`` stories started today, for the later chunks of a large
    day (the stored index answers for older stories the same way)."""

    def __init__(self, n_keys: int, per_key: int) -> None:
        self.n_keys = n_keys
        self.per_key = per_key
        self.stories: dict[str, list[str]] = {}

    def add(self, profile: StoryProfile) -> None:
        for key in index_keys(profile, self.n_keys):
            found = self.stories.setdefault(key, [])
            found.append(profile.story_id)
            if len(found) > self.per_key:
                del found[0]

    def get(self, key: str) -> list[str]:
        return self.stories.get(key, [])


def index_keys(profile: StoryProfile, n: int) -> list[str]:
    """A story is indexed under the heaviest features of its window (places excluded)."""
    total: Vector = {}
    for w in profile.members:
        add_into(total, {k: v for k, v in w.vector.items() if k[0] != "g"})
    return top_keys(total, n)
