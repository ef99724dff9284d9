"""Story assignment: each new item joins the story reporting the same event, or starts one.

A day's new items are grouped among themselves first (``digest.stories.cluster``: bounded candidate
pairs, average link, independent of arrival order). Each group is then compared with the stored
stories found through an index (feature -> stories, never a scan of the archive): with each
candidate story's latest items only (a bounded window, ``story_window``), each weighted by its age,
so a long-running thread that reports daily continues while no story grows into a profile that
attracts everything about its country. The pair score is ``digest.stories.similarity.combine``:
actors, terms, figures and the headline-and-lead embedding are evidence, places only context. A
group just short of the join threshold still joins a story whose latest items its sentences restate
(``digest.stories.recap``). Story ids derive from the story's earliest item, so they are stable.

The stage is pure: it reads through a ``StoryLookup`` and returns a ``StoriesResult`` of intents.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from digest.config import StoriesConfig
from digest.models import Assignment, StoredItem, StoryMember, StoryProfile
from digest.stories.cluster import chunks, group_chunk, similarity_matrix
from digest.stories.embed import DIM, embed, lead_text, mean_cosine
from digest.stories.features import item_features
from digest.stories.lookup import NewStory, ProfileUpdate, StoriesResult, StoryLookup
from digest.stories.recap import Recap, group_sentences, measure_recap
from digest.stories.similarity import build_batch, combine, pair_features
from digest.stories.vectors import (
    SHARED_SHOWN,
    Vector,
    add_into,
    display_names,
    item_vector,
    shared_evidence,
    top_keys,
)
from digest.stories.window import DayIndex, index_keys, window_score
from digest.text.entities import Mention

log = logging.getLogger(__name__)
RECAP_CANDIDATES = 3  # stories short of join_threshold checked for a recap, most similar first
MEMBER_FEATURES = 60  # features kept per stored window member


@dataclass
class _Day:
    """The day's items as the stage sees them."""

    items: Sequence[StoredItem]
    feats: list[tuple[Counter[str], dict[str, str]]]
    vectors: list[Vector]
    emb: np.ndarray


@dataclass
class _Match:
    profile: StoryProfile | None
    score: float
    scored: list[tuple[float, StoryProfile]] = field(default_factory=list)
    recap: Recap | None = None


def story_id_for(item_id: str) -> str:
    """The id of a story that an item starts."""
    return "s-" + item_id[:12]


def time_factor(age_days: int, config: StoriesConfig) -> float:
    """Share of the similarity kept after ``age_days``: a floor plus an exponentially fading
    rest."""
    age = max(0, age_days)
    return config.time_floor + (1.0 - config.time_floor) * 0.5 ** (age / config.half_life_days)


def assign_stories(
    items: Sequence[StoredItem],
    lookup: StoryLookup,
    day: date,
    config: StoriesConfig,
    mentions: Mapping[str, Sequence[Mention]],
) -> StoriesResult:
    """Where each new item goes, and what to write for it (see the module docstring)."""
    result = StoriesResult(day=day)
    if not items:
        return result
    started = time.monotonic()
    today = _prepare(items, lookup, config, mentions, result)
    groups = _group_day(today, config)
    before: dict[str, StoryProfile] = {}
    pending: dict[str, StoryProfile] = {}
    started_in: dict[str, int] = {}  # story started today -> its chunk
    earlier: dict[str, StoryProfile] = {}
    earlier_index = DayIndex(config.index_features, config.candidates_per_feature)
    indexed_chunk = 0
    candidates_seen = 0
    for chunk, members in groups:
        if chunk != indexed_chunk:  # stories started by earlier chunks become candidates
            indexed_chunk = chunk
            earlier = _earlier(pending, started_in, chunk)
            for sid, c in started_in.items():
                if c == chunk - 1:
                    earlier_index.add(pending[sid])
        match, seen = _best_story(
            members, today, lookup, day, config, before, earlier, earlier_index
        )
        candidates_seen += seen
        if match.score < config.join_threshold:
            match = _recap_match(members, today, match, lookup, config)
        if match.profile is not None and (
            match.score >= config.join_threshold or match.recap is not None
        ):
            _join(members, today, match, day, config, result, pending)
        else:
            started_in[_start(members, today, day, config, result, pending)] = chunk
    for profile in pending.values():
        keys = index_keys(profile, config.index_features)
        result.profiles.append(ProfileUpdate(profile, tuple(keys)))
    position = {it.article.id: p for p, it in enumerate(items)}
    result.assignments.sort(key=lambda a: position[a.item_id])
    log.info(
        "stage=stories day=%s items=%d groups=%d candidates=%d seconds=%.3f",
        day,
        len(items),
        len(groups),
        candidates_seen,
        time.monotonic() - started,
    )
    return result


def _prepare(
    items: Sequence[StoredItem],
    lookup: StoryLookup,
    config: StoriesConfig,
    mentions: Mapping[str, Sequence[Mention]],
    result: StoriesResult,
) -> _Day:
    feats = [
        item_features(it, mentions.get(it.article.id, ()), config.title_boost, config.text_chars)
        for it in items
    ]
    for counts, _ in feats:
        result.df_delta.update(counts.keys())
    result.documents = len(items)
    documents = lookup.document_count() + len(items)
    stored = lookup.document_frequencies(result.df_delta.keys())
    dfs = {k: stored.get(k, 0) + n for k, n in result.df_delta.items()}
    vectors = [item_vector(counts, dfs, documents) for counts, _ in feats]
    if config.semantic_weight > 0:
        emb = embed([lead_text(it.article.title, it.article.text) for it in items])
    else:
        emb = np.zeros((len(items), DIM), dtype=np.float32)
    return _Day(items, feats, vectors, emb)


def _group_day(today: _Day, config: StoriesConfig) -> list[tuple[int, list[int]]]:
    """The day's groups as (chunk, item positions): items in time order, cut into chunks of at
    most ``max_batch``, each chunk grouped on its own."""
    order = _by_time(range(len(today.items)), today)
    out: list[tuple[int, list[int]]] = []
    for c, part in enumerate(chunks(len(order), config.max_batch)):
        members = [order[p] for p in part]
        batch = build_batch([today.vectors[m] for m in members], today.emb[members])
        labels = group_chunk(batch, [today.items[m].article.id for m in members], config)
        groups: dict[int, list[int]] = {}
        for m, label in zip(members, labels):
            groups.setdefault(label, []).append(m)
        out.extend((c, g) for g in groups.values())
    return out


def _earlier(
    pending: dict[str, StoryProfile], started_in: dict[str, int], chunk: int
) -> dict[str, StoryProfile]:
    """Stories started today by an earlier chunk: candidates for a later chunk's groups."""
    return {sid: pending[sid] for sid, c in started_in.items() if c < chunk}


def _pair_scores(
    members: Sequence[int],
    today: _Day,
    profiles: Sequence[StoryProfile],
    day: date,
    config: StoriesConfig,
) -> list[np.ndarray]:
    """Per story, the similarity of each group member (rows) to each of the story's window
    members (columns), each column weighted by the window member's age; one batch for all."""
    window = [w for p in profiles for w in p.members]
    if not window:
        return [np.zeros((len(members), 0)) for _ in profiles]
    vectors = [today.vectors[m] for m in members] + [w.vector for w in window]
    emb = np.zeros((len(vectors), DIM), dtype=np.float32)
    emb[: len(members)] = today.emb[list(members)]
    for r, w in enumerate(window, len(members)):
        if len(w.embedding) == DIM:
            emb[r] = np.asarray(w.embedding, dtype=np.float32)
    batch = build_batch(vectors, emb)
    i = np.repeat(np.arange(len(members)), len(window))
    j = np.tile(np.arange(len(members), len(vectors)), len(members))
    sim = combine(pair_features(batch, batch, i, j), config).reshape(len(members), len(window))
    sim = sim * np.array([time_factor((day - w.day).days, config) for w in window])[None, :]
    out, start = [], 0
    for p in profiles:
        out.append(sim[:, start : start + len(p.members)])
        start += len(p.members)
    return out


def _best_story(
    members: Sequence[int],
    today: _Day,
    lookup: StoryLookup,
    day: date,
    config: StoriesConfig,
    before: dict[str, StoryProfile],
    earlier: dict[str, StoryProfile],
    earlier_index: DayIndex,
) -> tuple[_Match, int]:
    """The stored story whose recent items the group is most similar to (average link)."""
    total: Vector = {}
    counts: Counter[str] = Counter()
    for m in members:
        add_into(total, today.vectors[m])
        counts.update(today.feats[m][0])
    evidence = {k: w for k, w in total.items() if k[0] != "g"}
    frequent = [k for k in top_keys(counts, 3 * config.query_frequent_features) if k[0] != "g"]
    keys = list(
        dict.fromkeys(
            [
                *top_keys(evidence, config.query_features),
                *frequent[: config.query_frequent_features],
            ]
        )
    )
    hits = lookup.story_candidates(keys, config.candidates_per_feature)
    for key in keys:
        for sid in earlier_index.get(key):
            if sid in earlier:
                hits[sid] = hits.get(sid, 0) + 1
    ranked = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[: config.max_candidates]
    ids = [sid for sid, _ in ranked]
    before.update(lookup.story_profiles([sid for sid in ids if sid not in before]))
    profiles = [p for p in (earlier.get(sid) or before.get(sid) for sid in ids) if p and p.members]
    scored = [
        (window_score(sim, config.window_best), profile)
        for sim, profile in zip(_pair_scores(members, today, profiles, day, config), profiles)
    ]
    scored.sort(key=lambda sp: (-sp[0], sp[1].story_id))
    if not scored or scored[0][0] <= 0.0:
        return _Match(None, 0.0, scored), len(ids)
    return _Match(scored[0][1], scored[0][0], scored), len(ids)


def _recap_match(
    members: Sequence[int], today: _Day, match: _Match, lookup: StoryLookup, config: StoriesConfig
) -> _Match:
    """The most similar of the (at most ``RECAP_CANDIDATES``) stories at ``recap_floor`` or more
    whose latest items the group restates (``digest.stories.recap``), or ``match`` unchanged."""
    sentences: list[str] | None = None
    for score, profile in match.scored[:RECAP_CANDIDATES]:
        if score < config.recap_floor:
            break
        if sentences is None:
            sentences = group_sentences(today.items[m].article.text for m in members)
            if not sentences:
                break
        recent = lookup.latest_story_texts(profile.story_id, config.recap_items)
        recap = measure_recap(sentences, recent, config.recap_novelty)
        if recap.restated and recap.share >= config.recap_share:
            return _Match(profile, score, match.scored, recap)
    return match


def _member(pos: int, today: _Day, day: date) -> StoryMember:
    v = today.vectors[pos]
    kept = {k: round(v[k], 4) for k in top_keys(v, MEMBER_FEATURES)}
    emb = today.emb[pos]
    embedding = tuple(float(x) for x in emb) if float(np.abs(emb).sum()) > 0 else ()
    return StoryMember(today.items[pos].article.id, day, kept, embedding)


def _grow(
    profile: StoryProfile, members: Sequence[int], today: _Day, day: date, config: StoriesConfig
) -> StoryProfile:
    added = tuple(_member(m, today, day) for m in _by_time(members, today))
    window = (*profile.members, *added)[-config.story_window :]
    return StoryProfile(
        profile.story_id, profile.items + len(members), max(day, profile.last_seen), window
    )


def _join(
    members: Sequence[int],
    today: _Day,
    match: _Match,
    day: date,
    config: StoriesConfig,
    result: StoriesResult,
    pending: dict[str, StoryProfile],
) -> None:
    assert match.profile is not None
    profile = match.profile
    scores = _pair_scores(members, today, [profile], day, config)[0]
    window_total: Vector = {}
    for w in profile.members:
        add_into(window_total, w.vector)
    for row, m in enumerate(members):
        shared = shared_evidence(today.vectors[m], window_total, 3 * SHARED_SHOWN)
        why = display_names(shared, today.feats[m][1])
        semantic = mean_cosine(today.emb[m], [w.embedding for w in profile.members])
        if semantic is not None:
            why = (*why, f"semantic {semantic:.2f}")
        if match.recap is not None:
            why = (match.recap.describe(), *why)
        result.assignments.append(
            Assignment(
                today.items[m].article.id,
                profile.story_id,
                round(window_score(scores[row : row + 1], config.window_best), 3),
                why,
            )
        )
    base = pending.get(profile.story_id, profile)
    pending[profile.story_id] = _grow(base, members, today, day, config)
    if profile.story_id not in result.touched:
        result.touched.append(profile.story_id)


def _start(
    members: Sequence[int],
    today: _Day,
    day: date,
    config: StoriesConfig,
    result: StoriesResult,
    pending: dict[str, StoryProfile],
) -> str:
    """Start a story from a group; each member's "why" is its similarity to the rest."""
    ordered = _by_time(members, today)
    sid = story_id_for(today.items[ordered[0]].article.id)
    central = _central(members, today, config)
    result.new_stories.append(NewStory(sid, today.items[central].article.title, day))
    n = len(members)
    if n > 1:
        batch = build_batch([today.vectors[m] for m in members], today.emb[list(members)])
        sim = similarity_matrix(batch, config)
        total: Vector = {}
        for m in members:
            add_into(total, today.vectors[m])
        emb_sum = today.emb[list(members)].sum(axis=0)
    for row, m in enumerate(members):
        v = today.vectors[m]
        if n == 1:
            keys = top_keys({k: w for k, w in v.items() if k[0] != "g"}, 3 * SHARED_SHOWN)
            result.assignments.append(
                Assignment(
                    today.items[m].article.id, sid, 1.0, display_names(keys, today.feats[m][1])
                )
            )
            continue
        rest = {k: total[k] - w for k, w in v.items()}  # the others' sum, where it matters
        score = float((sim[row].sum() - sim[row, row]) / (n - 1))
        why = display_names(shared_evidence(v, rest, 3 * SHARED_SHOWN), today.feats[m][1])
        if float(np.abs(today.emb[m]).sum()) > 0:
            semantic = float(today.emb[m] @ (emb_sum - today.emb[m])) / (n - 1)
            why = (*why, f"semantic {semantic:.2f}")
        result.assignments.append(Assignment(today.items[m].article.id, sid, round(score, 3), why))
    pending[sid] = _grow(StoryProfile(sid, 0, day, ()), members, today, day, config)
    return sid


def _central(members: Sequence[int], today: _Day, config: StoriesConfig) -> int:
    """The member most similar to the others (ties: the earliest)."""
    ordered = _by_time(members, today)
    if len(ordered) <= 2:
        return ordered[0]
    emb = today.emb[ordered]
    mean = (emb @ emb.T).mean(axis=1)
    return ordered[int(np.argmax(mean))]


def _by_time(members: Iterable[int], today: _Day) -> list[int]:
    def key(m: int) -> tuple[str, str]:
        a = today.items[m].article
        return ((a.published or today.items[m].first_seen).isoformat(), a.id)

    return sorted(members, key=key)
