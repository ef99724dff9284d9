"""Story clustering on invented articles: joins, look-alike events, returning stories, stability, "why".

Mentions are written by hand (the stage receives them from the entities stage), so these tests need
no spaCy model and say exactly which names each article carries.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from digest.config import StoriesConfig
from digest.models import Article, Assignment, StoredItem, StoryMember, StoryProfile
from digest.pipeline.publish import _apply_stories
from digest.store import Store
from digest.stories.assign import assign_stories, story_id_for, time_factor
from digest.text.entities import Mention, analysed_text

CONFIG = StoriesConfig()

# (title, text, names as (text, label))
QUAKE_VELDMAR = [
    (
        "Magnitude 6.1 earthquake strikes Veldmar province",
        (
            "A magnitude 6.1 earthquake struck Veldmar province on Tuesday, collapsing homes in the town of Kessa. "
            "Governor Ilse Maartens said 40 people were killed and rescue teams were searching the rubble."
        ),
        [
            ("6.1", "CARDINAL"),
            ("Veldmar", "GPE"),
            ("Kessa", "GPE"),
            ("Ilse Maartens", "PERSON"),
            ("40", "CARDINAL"),
        ],
    ),
    (
        "Kessa digs out after Veldmar quake kills 40",
        (
            "Residents of Kessa searched collapsed homes after the 6.1 earthquake in Veldmar province. "
            "Ilse Maartens, the governor, asked for tents and water as the toll stood at 40."
        ),
        [
            ("Kessa", "GPE"),
            ("Veldmar", "GPE"),
            ("40", "CARDINAL"),
            ("6.1", "CARDINAL"),
            ("Ilse Maartens", "PERSON"),
        ],
    ),
    (
        "Veldmar earthquake: governor Maartens appeals for aid",
        (
            "Governor Ilse Maartens of Veldmar province appealed for international aid after the earthquake that "
            "destroyed much of Kessa. Rescue teams pulled two survivors from the rubble."
        ),
        [
            ("Veldmar", "GPE"),
            ("Maartens", "PERSON"),
            ("Ilse Maartens", "PERSON"),
            ("Veldmar", "GPE"),
            ("Kessa", "GPE"),
        ],
    ),
]
QUAKE_ORLUN = [
    (
        "Magnitude 5.4 earthquake hits Orlun region",
        (
            "A magnitude 5.4 earthquake hit the Orlun region on Tuesday, damaging homes in the city of Pravetz. "
            "Mayor Dmitri Halvard said 12 people were killed and rescue teams were searching the rubble."
        ),
        [
            ("5.4", "CARDINAL"),
            ("Orlun", "GPE"),
            ("Pravetz", "GPE"),
            ("Dmitri Halvard", "PERSON"),
            ("12", "CARDINAL"),
        ],
    ),
    (
        "Pravetz counts damage after Orlun quake kills 12",
        (
            "Residents of Pravetz searched damaged homes after the 5.4 earthquake in the Orlun region. "
            "Dmitri Halvard, the mayor, said the toll stood at 12 and schools would stay shut."
        ),
        [
            ("Pravetz", "GPE"),
            ("Orlun", "GPE"),
            ("5.4", "CARDINAL"),
            ("Dmitri Halvard", "PERSON"),
            ("12", "CARDINAL"),
        ],
    ),
]
OTHER = [
    (
        "Harbour Wire: central bank holds rates at 3.5%",
        "The Norvane central bank kept its main rate at 3.5% and said inflation was easing.",
        [("Norvane", "GPE"), ("3.5%", "PERCENT")],
    ),
    (
        "Tallis United win the cup final in extra time",
        "Tallis United beat Corvel Rovers 2-1 after extra time to lift the national cup.",
        [("Tallis United", "ORG"), ("Corvel Rovers", "ORG")],
    ),
    (
        "Museum of Ardent Glass reopens after renovation",
        "The Museum of Ardent Glass in Lisk reopened on Saturday after a two-year renovation.",
        [("The Museum of Ardent Glass", "ORG"), ("Lisk", "GPE")],
    ),
]


def make_item(
    title: str, text: str, names: Sequence[tuple[str, str]], day: date, key: str
) -> tuple[StoredItem, tuple[Mention, ...]]:
    """An invented stored item plus the mentions the entities stage would give it."""
    item_id = hashlib.sha256(key.encode()).hexdigest()[:16]
    article = Article(
        id=item_id,
        source="Harbour Wire",
        origin=f"inbox.jsonl:{key}",
        title=title,
        text=text,
        url=f"https://wire.example/{key}",
        canonical_url=f"https://wire.example/{key}",
        published=datetime(day.year, day.month, day.day, 9, tzinfo=UTC),
        date_source="content",
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
    )
    full = analysed_text(article)
    mentions = []
    cursor: dict[str, int] = {}
    for name, label in names:
        start = full.find(name, cursor.get(name, 0))
        assert start >= 0, name
        cursor[name] = start + len(name)
        mentions.append(Mention(name, label, start, start + len(name)))
    return StoredItem(article=article, day=day, first_seen=article.published), tuple(mentions)  # type: ignore[arg-type]


def run_day(
    store: Store,
    day: date,
    docs: Sequence[tuple[str, str, list[tuple[str, str]]]],
    tag: str,
    config: StoriesConfig = CONFIG,
) -> list[Assignment]:
    built = [make_item(t, x, n, day, f"{tag}-{i}") for i, (t, x, n) in enumerate(docs)]
    items = [it for it, _ in built]
    mentions = {it.article.id: m for it, m in built}
    for it in items:
        store.insert_item(it.article, day, it.first_seen)
    with store.transaction():
        result = assign_stories(items, store, day, config, mentions)
        _apply_stories(store, result)
    return result.assignments


def started(a: Assignment) -> bool:
    """True when the item started its story (story ids derive from the first item)."""
    return a.story_id == story_id_for(a.item_id)


def open_store(tmp_path: Path, name: str = "state.db") -> Store:
    return Store.open(tmp_path / name)


def test_same_event_joins_and_lookalike_event_stays_apart(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    out = run_day(store, date(2025, 3, 4), QUAKE_VELDMAR + QUAKE_ORLUN + OTHER, "d1")
    veldmar = {a.story_id for a in out[:3]}
    orlun = {a.story_id for a in out[3:5]}
    assert len(veldmar) == 1 and len(orlun) == 1
    assert veldmar != orlun
    assert len({a.story_id for a in out[5:]} | veldmar | orlun) == 5


def test_why_names_the_shared_evidence(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    out = run_day(store, date(2025, 3, 4), QUAKE_VELDMAR + OTHER, "d1")
    joined = [a for a in out[:3] if not started(a)]
    assert joined, "two of the three Veldmar reports join the first one's story"
    for a in joined:
        assert 0.0 < a.score <= 1.0
        assert a.shared
        assert {"Veldmar", "Kessa", "Ilse Maartens", "Maartens"} & set(a.shared)


def test_next_day_report_joins_the_stored_story(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    first = run_day(store, date(2025, 3, 4), QUAKE_VELDMAR[:1] + QUAKE_ORLUN[:1] + OTHER, "d1")
    second = run_day(store, date(2025, 3, 5), QUAKE_VELDMAR[1:2] + QUAKE_ORLUN[1:2], "d2")
    assert second[0].story_id == first[0].story_id
    assert second[1].story_id == first[1].story_id
    assert not started(second[0]) and second[0].shared


def test_story_returning_after_months_keeps_its_id(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    first = run_day(store, date(2025, 3, 4), QUAKE_VELDMAR[:2] + OTHER, "d1")
    later = run_day(store, date(2025, 9, 20), QUAKE_VELDMAR[2:3], "d2")
    assert later[0].story_id == first[0].story_id
    assert later[0].score < 1.0


def test_time_lowers_similarity_gradually_without_cut_off() -> None:
    factors = [time_factor(d, CONFIG) for d in (0, 7, 30, 90, 180, 720)]
    assert factors[0] == 1.0
    assert all(a > b for a, b in itertools.pairwise(factors))
    assert factors[-1] >= CONFIG.time_floor > 0


def test_rerun_on_a_fresh_store_gives_the_same_story_ids(tmp_path: Path) -> None:
    runs = []
    for name in ("a.db", "b.db"):
        store = open_store(tmp_path, name)
        day1 = run_day(store, date(2025, 3, 4), QUAKE_VELDMAR[:2] + QUAKE_ORLUN[:1] + OTHER, "d1")
        day2 = run_day(store, date(2025, 3, 5), QUAKE_VELDMAR[2:] + QUAKE_ORLUN[1:], "d2")
        runs.append([(a.item_id, a.story_id, a.score, a.shared) for a in day1 + day2])
        store.close()
    assert runs[0] == runs[1]


def test_batch_order_does_not_change_the_grouping(tmp_path: Path) -> None:
    docs = QUAKE_VELDMAR + QUAKE_ORLUN + OTHER
    forward = run_day(open_store(tmp_path, "f.db"), date(2025, 3, 4), docs, "d1")
    backward = run_day(open_store(tmp_path, "b.db"), date(2025, 3, 4), list(reversed(docs)), "d1")

    def partition(out: list[Assignment], order: list[int]) -> set[frozenset[int]]:
        groups: dict[str, set[int]] = {}
        for a, idx in zip(out, order):
            groups.setdefault(a.story_id, set()).add(idx)
        return {frozenset(g) for g in groups.values()}

    n = len(docs)
    assert partition(forward, list(range(n))) == partition(backward, list(reversed(range(n))))


def test_candidates_come_from_the_index_not_from_every_story(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    run_day(store, date(2025, 3, 4), QUAKE_VELDMAR[:1] + QUAKE_ORLUN[:1] + OTHER, "d1")
    found = store.story_candidates(["e:ilse maartens", "e:maartens"], per_key=50)
    assert len(found) == 1
    assert store.story_candidates(["t:nothing-like-this"], per_key=50) == {}


def test_lookalike_event_on_a_later_day_starts_its_own_story(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    first = run_day(store, date(2025, 3, 4), QUAKE_VELDMAR + OTHER, "d1")
    later = run_day(store, date(2025, 3, 9), QUAKE_ORLUN, "d2")
    assert later[0].story_id == later[1].story_id
    assert started(later[0])
    assert later[0].story_id not in {a.story_id for a in first}


def test_story_profile_round_trips_through_the_store(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    member = StoryMember("i1", date(2025, 3, 4), {"e:kessa": 0.5, "t:quake": 0.25}, (0.5,) * 256)
    profile = StoryProfile("s-abc", 3, date(2025, 3, 4), (member,))
    store.save_story_profile(profile, ["e:kessa"])
    assert store.story_profiles(["s-abc"]) == {"s-abc": profile}
    assert store.story_candidates(["e:kessa"], per_key=5) == {"s-abc": 1}


def test_a_large_day_clustered_in_chunks_still_joins_across_chunks(tmp_path: Path) -> None:
    small_chunks = dataclasses.replace(CONFIG, max_batch=2)
    docs = [*QUAKE_VELDMAR, OTHER[0]]
    out = run_day(open_store(tmp_path), date(2025, 3, 4), docs, "d1", small_chunks)
    assert len({a.story_id for a in out[:3]}) == 1
    assert out[3].story_id != out[0].story_id
