"""The watchlist: stories about a watched actor or keyword are pinned to the top of the briefing.

Matching is deliberately plain and predictable: case-insensitive whole words or phrases (so
"port" does not match "support"), against the story's actors (names and aliases) and its titles
and text. Each hit says why it matched, so the reader can see the rule that pinned it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from digest.config import WatchConfig
from digest.models import StoryView


@dataclass(frozen=True)
class WatchHit:
    """A watched story and the rules it matched (``actor: X`` / ``keyword: y``)."""

    story_id: str  # the watched story
    story_title: str  # its title
    reasons: tuple[str, ...]  # the rules it matched, in config order


@lru_cache(maxsize=256)
def _pattern(term: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in term.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _texts(view: StoryView) -> list[str]:
    texts = [view.title]
    for it in view.items:
        texts.append(it.article.title)
        texts.append(it.article.text)
    return texts


def story_reasons(view: StoryView, watch: WatchConfig) -> tuple[str, ...]:
    """Why ``view`` is watched, in config order; empty when it is not."""
    reasons: list[str] = []
    names = {n.casefold() for a in view.actors for n in (a.name, *a.aliases)}
    texts: list[str] | None = None
    for actor in watch.actors:
        term = " ".join(actor.split())
        if not term:
            continue
        if term.casefold() in names:
            reasons.append(f"actor: {term}")
            continue
        texts = texts if texts is not None else _texts(view)
        if any(_pattern(term).search(t) for t in texts):
            reasons.append(f"actor: {term}")
    for keyword in watch.keywords:
        term = " ".join(keyword.split())
        if not term:
            continue
        texts = texts if texts is not None else _texts(view)
        if any(_pattern(term).search(t) for t in texts):
            reasons.append(f"keyword: {term}")
    return tuple(reasons)


def pin_watched(
    views: Sequence[StoryView], watch: WatchConfig
) -> tuple[list[StoryView], tuple[WatchHit, ...]]:
    """Move watched stories to the front (keeping the ranked order within each group)."""
    if not watch.actors and not watch.keywords:
        return list(views), ()
    hits: list[WatchHit] = []
    pinned: list[StoryView] = []
    rest: list[StoryView] = []
    for view in views:
        reasons = story_reasons(view, watch)
        if reasons:
            hits.append(WatchHit(view.id, view.title, reasons))
            pinned.append(view)
        else:
            rest.append(view)
    return pinned + rest, tuple(hits)
