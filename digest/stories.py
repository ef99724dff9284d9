"""Story clustering: each new item joins the best existing story or starts a new one.

A day's new items are first grouped among themselves (average-link, so the result does not depend
on the order they arrived in), then each group is matched against stored stories found through an
index (feature -> stories), never by scanning the archive, so the cost per item stays flat as the
archive grows. Similarity is entity-aware TF-IDF (``digest.stories_vectors``) with IDF from a
document-frequency table kept in the store; time lowers it gradually, with no cut-off, so a story
can return months later on strong evidence. Story ids derive from the story's first item, so they
are stable across days and re-runs.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from digest.config import StoriesConfig
from digest.entities import Mention
from digest.models import Assignment, StoredItem
from digest.store import Store
from digest.store.stories import StoryProfile
from digest.stories_features import item_features
from digest.stories_vectors import (
    Vector,
    add_into,
    average_link_groups,
    dot,
    item_vector,
    shared_evidence,
    top_keys,
)

log = logging.getLogger(__name__)
SHARED_SHOWN = 5  # features listed in an item's "why"


@dataclass
class _Group:
    """Items of today's batch that belong together, with their summed vector."""

    members: list[int]
    total: Vector


def story_id_for(item_id: str) -> str:
    """The id of a story that an item starts."""
    return "s-" + item_id[:12]


def time_factor(age_days: int, config: StoriesConfig) -> float:
    """Share of the similarity kept after ``age_days``: a floor plus an exponentially fading rest."""
    age = max(0, age_days)
    return config.time_floor + (1.0 - config.time_floor) * 0.5 ** (age / config.half_life_days)


def assign_stories(
    items: Sequence[StoredItem],
    store: Store,
    day: date,
    config: StoriesConfig,
    mentions: Mapping[str, Sequence[Mention]],
) -> list[Assignment]:
    """Assign each new item to a story; persist new stories, profiles, index and frequencies."""
    if not items:
        return []
    started = time.monotonic()
    feats = [
        item_features(it, mentions.get(it.article.id, ()), config.title_boost, config.text_chars) for it in items
    ]
    df_delta: Counter[str] = Counter()
    for counts, _ in feats:
        df_delta.update(counts.keys())
    store.add_documents(df_delta, len(items))
    documents = store.document_count()
    dfs = store.document_frequencies(df_delta.keys())
    weights = {"e": config.entity_weight, "t": config.term_weight, "n": config.number_weight}

    vectors = [item_vector(counts, dfs, documents, weights) for counts, _ in feats]
    groups = _batch_groups(vectors, config)
    out: dict[int, Assignment] = {}
    candidates_seen = 0
    created: set[str] = set()  # the batch clustering already decided against joining these
    for group in groups:
        n = len(group.members)
        candidates = store.story_candidates(top_keys(group.total, config.query_features), config.candidates_per_feature)
        ranked = sorted((kv for kv in candidates.items() if kv[0] not in created), key=lambda kv: (-kv[1], kv[0]))
        best_ids = [sid for sid, _ in ranked[: config.max_candidates]]
        candidates_seen += len(best_ids)
        best: StoryProfile | None = None
        best_score = 0.0
        for profile in store.story_profiles(best_ids).values():
            score = dot(group.total, profile.vector) / (n * profile.items)
            score *= time_factor((day - profile.last_seen).days, config)
            if score > best_score or (score == best_score and best is not None and profile.story_id < best.story_id):
                best, best_score = profile, score
        if best is not None and best_score >= config.join_threshold:
            sid = best.story_id
            factor = time_factor((day - best.last_seen).days, config)
            for i in group.members:
                score = dot(vectors[i], best.vector) / best.items * factor
                out[i] = Assignment(
                    items[i].article.id, sid, False, round(score, 3), _display(shared_evidence(vectors[i], best.vector, SHARED_SHOWN), feats[i][1])
                )
            total = dict(best.vector)
            add_into(total, group.total)
            profile = StoryProfile(sid, best.items + n, max(day, best.last_seen), total)
            store.touch_story(sid, day)
        else:
            first = group.members[0]
            sid = story_id_for(items[first].article.id)
            title = items[first].article.title
            store.create_story(sid, title, day)
            created.add(sid)
            for i in group.members:
                rest = dict(group.total)
                add_into(rest, {k: -w for k, w in vectors[i].items()})
                if n == 1:
                    score, keys = 1.0, top_keys(vectors[i], SHARED_SHOWN)
                else:
                    score, keys = dot(vectors[i], rest) / (n - 1), shared_evidence(vectors[i], rest, SHARED_SHOWN)
                out[i] = Assignment(items[i].article.id, sid, i == first, round(score, 3), _display(keys, feats[i][1]), title)
            profile = StoryProfile(sid, n, day, dict(group.total))
        kept = dict((k, profile.vector[k]) for k in top_keys(profile.vector, config.profile_features))
        profile = StoryProfile(profile.story_id, profile.items, profile.last_seen, kept)
        store.save_story_profile(profile, top_keys(kept, config.index_features))
    log.info(
        "stage=stories day=%s items=%d groups=%d candidates=%d seconds=%.3f",
        day, len(items), len(groups), candidates_seen, time.monotonic() - started,
    )
    return [out[i] for i in range(len(items))]


def _batch_groups(vectors: Sequence[Vector], config: StoriesConfig) -> list[_Group]:
    """Average-link groups of the batch, in chunks of ``max_batch`` items, in batch order."""
    groups: list[_Group] = []
    for start in range(0, len(vectors), config.max_batch):
        chunk = vectors[start : start + config.max_batch]
        labels = average_link_groups(chunk, config.join_threshold)
        by_label: dict[int, _Group] = {}
        for offset, label in enumerate(labels):
            g = by_label.get(label)
            if g is None:
                g = by_label[label] = _Group([], {})
                groups.append(g)
            g.members.append(start + offset)
            add_into(g.total, chunk[offset])
    return groups


def _display(keys: Sequence[str], names: Mapping[str, str]) -> tuple[str, ...]:
    """Feature keys as the item spelled them ("Tara Reid", "6.1", "earthquake")."""
    return tuple(names.get(k, k[2:]) for k in keys)
