"""Story clustering: each new item joins the best existing story or starts a new one.

A day's new items are first grouped among themselves (average-link over similarity weighted by
shared near neighbours, so the result does not depend on arrival order and look-alike events of the
same day stay apart), then each group is matched against stored stories found through an index
(feature -> stories), never by scanning the archive, so the cost per item stays flat as the archive
grows. Similarity is entity-aware TF-IDF (``digest.stories.vectors``) with IDF from a
document-frequency table kept in the store; time lowers it gradually, with no cut-off, so a story
can return months later on strong evidence. A group just short of the join threshold still joins
a story whose latest items its sentences restate (``digest.stories.recap``): a day's incident in a
long-running story says little the whole story said, but its background recaps the last reports.
Story ids derive from the story's first item, so they are stable across days and re-runs.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from digest.config import StoriesConfig
from digest.models import Assignment, StoredItem
from digest.store import Store
from digest.store.stories import StoryProfile
from digest.stories.features import item_features
from digest.stories.recap import Recap, group_sentences, measure_recap
from digest.stories.vectors import (
    ENTITY_OVERLAP,
    MIN_ENTITIES,
    Vector,
    add_into,
    batch_groups,
    dot,
    item_vector,
    length_boost,
    shared_evidence,
    term_count,
    top_keys,
)
from digest.text.entities import Mention

log = logging.getLogger(__name__)
SHARED_SHOWN = 5  # features listed in an item's "why"
RECAP_CANDIDATES = 3  # stories short of join_threshold checked for a recap, most similar first


@dataclass
class _Group:
    """Items of today's batch that belong together, with their summed vector."""

    members: list[int]
    total: Vector
    terms: float = 0.0  # mean term features of the members
    chunk: int = 0  # which ``max_batch`` chunk of the day it was clustered in


@dataclass
class _Match:
    """The best stored story for a group: its score, how many candidates were scored, all scored
    candidates (best first) and, when it is joined on a recap rather than on similarity, that."""

    profile: StoryProfile | None
    score: float
    candidates: int
    scored: list[tuple[float, StoryProfile]]
    recap: Recap | None = None


def story_id_for(item_id: str) -> str:
    """The id of a story that an item starts."""
    return "s-" + item_id[:12]


def time_factor(age_days: int, config: StoriesConfig) -> float:
    """Share of the similarity kept after ``age_days``: a floor plus an exponentially fading
    rest."""
    age = max(0, age_days)
    return config.time_floor + (1.0 - config.time_floor) * 0.5 ** (age / config.half_life_days)


def entity_agreement(total: Vector, n: int, profile: StoryProfile, config: StoriesConfig) -> float:
    """1.0, or ``entity_mismatch_factor`` when a group and a stored story each name several
    people, organisations or places but (almost) none in common: a look-alike event, not a
    continuation. Scales linearly between the two as the entity overlap grows to
    ``ENTITY_OVERLAP``."""
    if config.entity_weight <= 0:
        return 1.0
    mine = [k for k in total if k.startswith("e:")]
    theirs = sum(1 for k in profile.vector if k.startswith("e:"))
    if len(mine) < MIN_ENTITIES or theirs < MIN_ENTITIES:
        return 1.0
    overlap = sum(total[k] * profile.vector.get(k, 0.0) for k in mine)
    overlap /= n * profile.items * config.entity_weight
    floor = config.entity_mismatch_factor
    return floor + (1.0 - floor) * min(1.0, overlap / ENTITY_OVERLAP)


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
        item_features(it, mentions.get(it.article.id, ()), config.title_boost, config.text_chars)
        for it in items
    ]
    df_delta: Counter[str] = Counter()
    for counts, _ in feats:
        df_delta.update(counts.keys())
    store.add_documents(df_delta, len(items))
    documents = store.document_count()
    dfs = store.document_frequencies(df_delta.keys())
    weights = {"e": config.entity_weight, "t": config.term_weight, "n": config.number_weight}
    vectors = [item_vector(counts, dfs, documents, weights) for counts, _ in feats]
    terms = [term_count(v) for v in vectors]
    groups = _batch_groups(vectors, terms, config)
    out: dict[int, Assignment] = {}
    candidates_seen = 0
    created: dict[str, int] = {}  # story -> chunk: the batch step decided against joining these
    loaded: dict[str, StoryProfile] = {}  # profiles read in this call (groups share candidates)
    for group in groups:
        frequent = _frequent_keys(group, feats, config.query_frequent_features)
        match = _best_story(group, frequent, store, day, config, created, loaded)
        if match.score < config.join_threshold:
            match = _recap_match(group, items, match, store, config)
        candidates_seen += match.candidates
        best = match.profile
        if best is not None and (match.score >= config.join_threshold or match.recap is not None):
            factor = time_factor((day - best.last_seen).days, config)
            for i in group.members:
                boost = length_boost(min(terms[i], best.terms), config.short_text_terms)
                score = min(1.0, dot(vectors[i], best.vector) / best.items * boost) * factor
                shared = shared_evidence(vectors[i], best.vector, 3 * SHARED_SHOWN)
                why = _display(shared, feats[i][1])
                if match.recap is not None:
                    why = (match.recap.describe(), *why)
                out[i] = Assignment(
                    items[i].article.id,
                    best.story_id,
                    False,
                    round(score, 3),
                    why,
                )
            total = dict(best.vector)
            add_into(total, group.total)
            n = best.items + len(group.members)
            mean_terms = (best.terms * best.items + group.terms * len(group.members)) / n
            profile = StoryProfile(best.story_id, n, max(day, best.last_seen), total, mean_terms)
            store.touch_story(best.story_id, day)
        else:
            profile = _new_story(group, items, vectors, terms, feats, store, day, config, out)
            created[profile.story_id] = group.chunk
        kept = {k: profile.vector[k] for k in top_keys(profile.vector, config.profile_features)}
        profile = StoryProfile(
            profile.story_id, profile.items, profile.last_seen, kept, profile.terms
        )
        loaded[profile.story_id] = profile
        store.save_story_profile(profile, top_keys(kept, config.index_features))
    log.info(
        "stage=stories day=%s items=%d groups=%d candidates=%d seconds=%.3f",
        day,
        len(items),
        len(groups),
        candidates_seen,
        time.monotonic() - started,
    )
    return [out[i] for i in range(len(items))]


def _frequent_keys(
    group: _Group, feats: Sequence[tuple[Counter[str], dict[str, str]]], n: int
) -> list[str]:
    """The group's ``n`` most frequent features (raw counts, no IDF): a story is indexed under its
    heaviest summed features, which are its common words and names ("Iraq", "bailout"), while a
    follow-up's heaviest TF-IDF features are today's rare ones."""
    if n <= 0:
        return []
    counts: Counter[str] = Counter()
    for i in group.members:
        counts.update(feats[i][0])
    return top_keys(counts, n)


def _best_story(
    group: _Group,
    frequent: Sequence[str],
    store: Store,
    day: date,
    config: StoriesConfig,
    created: dict[str, int],
    loaded: dict[str, StoryProfile],
) -> _Match:
    """The stored story most similar to a group (average link x length boost x time), looked up
    through the feature index under the group's heaviest and most frequent features; the other
    scored candidates are kept for the recap check."""
    n = len(group.members)
    keys = list(dict.fromkeys([*top_keys(group.total, config.query_features), *frequent]))
    hits = store.story_candidates(keys, config.candidates_per_feature)
    ranked = sorted(
        (kv for kv in hits.items() if created.get(kv[0], -1) != group.chunk),
        key=lambda kv: (-kv[1], kv[0]),
    )
    ids = [sid for sid, _ in ranked[: config.max_candidates]]
    loaded.update(store.story_profiles([sid for sid in ids if sid not in loaded]))
    scored: list[tuple[float, StoryProfile]] = []
    for profile in (loaded[sid] for sid in ids if sid in loaded):
        boost = length_boost(min(group.terms, profile.terms), config.short_text_terms)
        score = min(1.0, dot(group.total, profile.vector) / (n * profile.items) * boost)
        score *= time_factor((day - profile.last_seen).days, config)
        score *= entity_agreement(group.total, n, profile, config)
        scored.append((score, profile))
    scored.sort(key=lambda sp: (-sp[0], sp[1].story_id))
    if not scored or scored[0][0] <= 0.0:
        return _Match(None, 0.0, len(ids), scored)
    return _Match(scored[0][1], scored[0][0], len(ids), scored)


def _recap_match(
    group: _Group, items: Sequence[StoredItem], match: _Match, store: Store, config: StoriesConfig
) -> _Match:
    """The most similar of the (at most ``RECAP_CANDIDATES``) stories at ``recap_floor`` or more
    whose latest items the group restates (``digest.stories.recap``), or ``match`` unchanged."""
    sentences: list[str] | None = None
    for score, profile in match.scored[:RECAP_CANDIDATES]:
        if score < config.recap_floor:
            break
        if sentences is None:
            sentences = group_sentences(items[i].article.text for i in group.members)
            if not sentences:
                break
        recent = store.latest_story_texts(profile.story_id, config.recap_items)
        recap = measure_recap(sentences, recent, config.recap_novelty)
        if recap.restated and recap.share >= config.recap_share:
            return _Match(profile, score, match.candidates, match.scored, recap)
    return match


def _new_story(
    group: _Group,
    items: Sequence[StoredItem],
    vectors: Sequence[Vector],
    terms: Sequence[int],
    feats: Sequence[tuple[Counter[str], dict[str, str]]],
    store: Store,
    day: date,
    config: StoriesConfig,
    out: dict[int, Assignment],
) -> StoryProfile:
    """Start a story from a group; each member's "why" is its similarity to the rest of the
    group."""
    first = group.members[0]
    sid = story_id_for(items[first].article.id)
    title = items[first].article.title
    store.create_story(sid, title, day)
    n = len(group.members)
    for i in group.members:
        if n == 1:
            score, keys = 1.0, top_keys(vectors[i], 3 * SHARED_SHOWN)
        else:
            rest = dict(group.total)
            add_into(rest, vectors[i], -1.0)
            rest_terms = (group.terms * n - terms[i]) / (n - 1)
            boost = length_boost(min(terms[i], rest_terms), config.short_text_terms)
            score = min(1.0, dot(vectors[i], rest) / (n - 1) * boost)
            keys = shared_evidence(vectors[i], rest, 3 * SHARED_SHOWN)
        out[i] = Assignment(
            items[i].article.id,
            sid,
            i == first,
            round(score, 3),
            _display(keys, feats[i][1]),
            title,
        )
    return StoryProfile(sid, n, day, dict(group.total), group.terms)


def _batch_groups(
    vectors: Sequence[Vector], terms: Sequence[int], config: StoriesConfig
) -> list[_Group]:
    """Groups of the day's batch, clustered in chunks of ``max_batch`` items, in batch order."""
    groups: list[_Group] = []
    for start in range(0, len(vectors), config.max_batch):
        chunk = vectors[start : start + config.max_batch]
        labels = batch_groups(
            chunk,
            config.batch_threshold,
            config.join_threshold,
            config.batch_neighbours,
            config.short_text_terms,
            config.entity_weight,
            config.entity_mismatch_factor,
        )
        by_label: dict[int, _Group] = {}
        for offset, label in enumerate(labels):
            g = by_label.get(label)
            if g is None:
                g = by_label[label] = _Group([], {}, chunk=start // config.max_batch)
                groups.append(g)
            g.members.append(start + offset)
            add_into(g.total, chunk[offset])
        for g in by_label.values():
            g.terms = sum(terms[i] for i in g.members) / len(g.members)
    return groups


def _display(keys: Sequence[str], names: Mapping[str, str]) -> tuple[str, ...]:
    """Feature keys as the item spelled them ("Tara Reid", "6.1", "earthquake"), each name once."""
    shown: dict[str, str] = {}
    for k in keys:
        name = names.get(k, k[2:])
        shown.setdefault(name.casefold(), name)
    return tuple(shown.values())[:SHARED_SHOWN]
