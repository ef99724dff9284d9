"""Which stories matter most today: a score from four plain signals, each visible in the JSON.

* **outlets**: distinct outlets reporting the story in this briefing, ``log2(1 + n)`` (1 outlet
  1.0, 3 outlets 2.0, 7 outlets 3.0): confirmation counts, with diminishing returns;
* **developments**: what is new today: ``CHANGED`` per figure that moved (at most two), ``NEW``
  per other new development or lead fact (at most three);
* **key actors**: ``ACTOR`` per story actor that is also among the day's Key actors (at most
  five): the stories the day's main people and organisations are in;
* **recency**: ``1 / (1 + days)`` where ``days`` is the age of the story's newest item on the
  briefing's date (today 1.0, yesterday 0.5).

Stories sort by score, then by the number of distinct articles, then by id, so the order is
deterministic. The weights are round numbers chosen so that no single signal dominates: a story
seven outlets carry with no news today ranks with a single-outlet story whose figure changed.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from digest.models import StoryView

__all__ = ["ACTOR", "CHANGED", "NEW", "Rank", "score"]

CHANGED = 1.5
NEW = 0.5
ACTOR = 0.4
MAX_CHANGED = 2
MAX_NEW = 3
MAX_ACTORS = 5


@dataclass(frozen=True)
class Rank:
    """A story's importance: its score and the signals behind it, in words."""

    score: float
    why: tuple[str, ...]


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def score(view: StoryView, key_actors: Collection[str], day: date) -> Rank:
    """The rank of ``view`` in the briefing of ``day``; ``key_actors`` are the day's Key actors."""
    parts: list[tuple[float, str]] = []
    outlets = len({it.article.source for it in view.items})
    parts.append((math.log2(1 + outlets), _plural(outlets, "outlet", "outlets")))
    changed = sum(1 for d in view.developments if d.kind == "changed")
    new = sum(1 for d in view.developments if d.kind != "changed")
    if changed:
        label = _plural(changed, "figure changed", "figures changed")
        parts.append((CHANGED * min(changed, MAX_CHANGED), label))
    if new:
        label = _plural(new, "new development", "new developments")
        parts.append((NEW * min(new, MAX_NEW), label))
    shared = sum(1 for a in view.actors if a.name in key_actors)
    if shared:
        parts.append((ACTOR * min(shared, MAX_ACTORS), _plural(shared, "key actor", "key actors")))
    newest = max((it.day for it in view.items), default=None)
    if newest is not None:
        age = max(0, (day - newest).days)
        when = "reported today" if age == 0 else f"newest report {_plural(age, 'day', 'days')} old"
        parts.append((1 / (1 + age), when))
    total = round(sum(p for p, _ in parts), 3)
    return Rank(total, tuple(f"{label} (+{points:.2f})" for points, label in parts))
