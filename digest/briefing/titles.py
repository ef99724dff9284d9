"""A story's title for one briefing: the headline of today's items that best represents them.

A story keeps the headline it was created with as ``first_title``; each briefing shows instead the
headline of the day's most central item, the one whose headline and lead share most words with the
day's other items, so the title says what the story is about today. Headlines of live blogs,
opinion, analysis and explainer pieces and question headlines are used only when no straight
report scores close to them: they frame the news rather than state it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from digest.models import StoredItem
from digest.text.tokens import STOPWORDS, WORD, strip_markup

LEAD_CHARS = 300
FRAMED_FACTOR = 0.5  # a framing headline's centrality counts this much
# genre markers of headlines that frame the news instead of stating it (live blogs, opinion,
# analysis, explainers, galleries): a class of headline, not a list fitted to one outlet
_FRAMED = re.compile(
    r"^\s*(live|opinion|analysis|explainer|comment|editorial|watch|listen|podcast|in pictures|"
    r"photos|letters?)\b\s*[:|\-–—]"
    r"|^[^:|]{0,40}\b(updates|latest)\s*[:|]"
    r"|\b(live updates?|live blog|as it happened|what we know|what to know|what you need to know|"
    r"explained|key events|in pictures|in photos)\b"
    r"|\?\s*$",
    re.IGNORECASE,
)


def is_framed(title: str) -> bool:
    """True for a headline that frames the news (live blog, opinion, explainer, question)."""
    return bool(_FRAMED.search(title))


def _bag(item: StoredItem) -> Counter[str]:
    a = item.article
    words = Counter(
        w.lower()
        for w in WORD.findall(strip_markup(f"{a.title} {a.title} {a.text[:LEAD_CHARS]}"))
        if w.lower() not in STOPWORDS and len(w) > 2
    )
    return words


def current_title(items: Sequence[StoredItem]) -> str | None:
    """The headline of the most central of ``items`` (a story's items of one day), preferring
    straight reports; None when there are no items. Ties go to the earliest item."""
    originals = [it for it in items if it.duplicate_of is None] or list(items)
    if not originals:
        return None
    ordered = sorted(
        originals,
        key=lambda it: ((it.article.published or it.first_seen).isoformat(), it.article.id),
    )
    if len(ordered) == 1:
        return ordered[0].article.title
    bags = [_bag(it) for it in ordered]
    total: Counter[str] = Counter()
    for bag in bags:
        total.update(bag)
    best, best_score = ordered[0], -1.0
    for it, bag in zip(ordered, bags):
        rest = total - bag
        dot = sum(n * rest[w] for w, n in bag.items())
        norm = math.sqrt(sum(n * n for n in bag.values())) * math.sqrt(
            sum(n * n for n in rest.values())
        )
        score = dot / norm if norm else 0.0
        if is_framed(it.article.title):
            score *= FRAMED_FACTOR
        if score > best_score + 1e-9:
            best, best_score = it, score
    return best.article.title
