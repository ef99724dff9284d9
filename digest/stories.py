"""Story grouping: each new item joins the most similar recent story or starts a new one.

Similarity is the cosine of term-count profiles (title terms count double), lowered gradually
with the time since the story was last seen. Story ids are derived from the first item, so they
are stable across days and re-runs.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from digest.config import StoriesConfig
from digest.entities import Mention
from digest.models import Assignment, StoredItem
from digest.store import Store

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]{2,}")
_STOP = frozenset(
    "the and for that with this from have has had was were are been will would could should said says "
    "about after before over into than then them they their there these those what when where which who "
    "while also more most some such only other its his her our your not but can may new one two three "
    "year years day days week time people just like out all any each many much very".split()
)
LOOKBACK_DAYS = 120
PROFILE_TERMS = 60


def terms(item: StoredItem, mentions: Sequence[Mention] = ()) -> Counter[str]:
    """Title terms count double, names (people, places, organisations) triple."""
    a = item.article
    counts: Counter[str] = Counter()
    for m in mentions:
        if m.label in ("PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT"):
            counts["@" + m.text.lower()] += 3
    for w in _WORD.findall(a.title):
        if w.lower() not in _STOP:
            counts[w.lower()] += 2
    for w in _WORD.findall(a.text[:3000]):
        if w.lower() not in _STOP:
            counts[w.lower()] += 1
    return counts


def _cosine(a: Counter[str], b: dict[str, float]) -> tuple[float, list[str]]:
    shared = [k for k in a if k in b]
    if not shared:
        return 0.0, []
    dot = sum(a[k] * b[k] for k in shared)
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    shared.sort(key=lambda k: -(a[k] * b[k]))
    return dot / (na * nb), shared[:5]


def assign_stories(
    items: Sequence[StoredItem],
    store: Store,
    day: date,
    config: StoriesConfig,
    mentions: Mapping[str, Sequence[Mention]],
) -> list[Assignment]:
    """Assign each item (in order) to a story, persisting new stories and updated profiles."""
    profiles: dict[str, tuple[dict[str, float], date]] = {
        sid: (json.loads(p), seen) for sid, p, seen in store.recent_story_profiles(day - timedelta(days=LOOKBACK_DAYS))
    }
    out: list[Assignment] = []
    for it in items:
        t = terms(it, mentions.get(it.article.id, ()))
        best, best_score, best_shared = None, 0.0, []
        for sid, (profile, seen) in profiles.items():
            score, shared = _cosine(t, profile)
            age = max(0, (day - seen).days)
            score *= 0.5 ** (age / config.half_life_days)
            if score > best_score:
                best, best_score, best_shared = sid, score, shared
        if best is not None and best_score >= config.join_threshold:
            merged = Counter(profiles[best][0])
            merged.update(t)
            profile = dict(merged.most_common(PROFILE_TERMS))
            profiles[best] = (profile, day)
            store.set_story_profile(best, json.dumps(profile, sort_keys=True))
            store.touch_story(best, day)
            out.append(Assignment(it.article.id, best, False, round(best_score, 3), tuple(best_shared)))
        else:
            sid = "s-" + it.article.id[:12]
            profile = dict(t.most_common(PROFILE_TERMS))
            profiles[sid] = (profile, day)
            store.create_story(sid, it.article.title, day)
            store.set_story_profile(sid, json.dumps(profile, sort_keys=True))
            out.append(Assignment(it.article.id, sid, True, 1.0, (), it.article.title))
    return out
