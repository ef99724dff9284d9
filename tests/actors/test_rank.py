"""The Key actors stage end to end: salience ranking, briefing level, first sightings, the registry."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from digest.actors.rank import extract_actors, registry_keys
from digest.config import Config, parse_config
from digest.models import Article, StoredItem
from digest.store import Store
from digest.text.entities import Mention, analysed_text

DAY = date(2025, 3, 4)


def config(tmp_path: Path, **actors: int) -> Config:
    data = {"sources": [{"name": "inbox", "type": "files", "path": "inbox"}], "actors": actors}
    return parse_config(data, tmp_path / "config.yaml")


def item(
    ident: str, title: str, text: str, source: str = "Harbour Wire", dup: str | None = None
) -> StoredItem:
    art = Article(
        id=ident,
        source=source,
        origin=f"x.jsonl:{ident}",
        title=title,
        text=text,
        url=None,
        canonical_url=None,
        published=datetime(2025, 3, 4, 8, tzinfo=UTC),
        date_source="content",
        content_hash=ident,
    )
    return StoredItem(
        article=art, day=DAY, first_seen=datetime(2025, 3, 4, 9, tzinfo=UTC), duplicate_of=dup
    )


NAMES = {
    "Amara Okafor": "PERSON",
    "Okafor": "PERSON",
    "Veldmar Port Authority": "ORG",
    "Port Veldmar": "GPE",
    "Tomas Berg": "PERSON",
    "Reuters": "ORG",
    "Tarsk": "GPE",
    "Dana Whitfield": "PERSON",
    "Veldmar": "GPE",
}


def ner(it: StoredItem) -> tuple[Mention, ...]:
    """What spaCy would mark: every listed name, longest first, never overlapping."""
    text = analysed_text(it.article)
    out: list[Mention] = []
    for name in sorted(NAMES, key=len, reverse=True):
        for mt in re.finditer(rf"\b{re.escape(name)}\b", text):
            if not any(o.start < mt.end() and mt.start() < o.end for o in out):
                out.append(Mention(name, NAMES[name], mt.start(), mt.end()))
    return tuple(sorted(out, key=lambda m: m.start))


FIRE = [
    item(
        "f1",
        "Okafor orders evacuation of Port Veldmar terminal",
        "PORT VELDMAR, March 4 (Reuters) - Amara Okafor, chief executive of the Veldmar Port Authority, ordered the "
        "evacuation on Monday.\n\nFire chief Tomas Berg said crews were at the scene in Port Veldmar.\n\n"
        "Okafor said the terminal would stay shut.",
    ),
    item(
        "f2",
        "Port Veldmar fire: terminal shut",
        "Okafor told Reuters the terminal would stay shut for a week.",
        source="Coast Times",
    ),
    item(
        "f3",
        "Port Veldmar fire: terminal shut",
        "Okafor told Reuters the terminal would stay shut for a week.",
        source="Coast Times",
        dup="f2",
    ),
]
FLOOD = [
    item(
        "w1",
        "Tarsk valley floods",
        "Dana Whitfield, director of the regional weather service, warned of rain in Tarsk.",
    ),
]


def run(tmp_path: Path, registry_store: Store | None = None, **cfg: int):  # type: ignore[no-untyped-def]
    stories = {"s-fire": FIRE, "s-flood": FLOOD}
    mentions = {it.article.id: ner(it) for its in stories.values() for it in its}
    registry = (
        registry_store.actor_registry(registry_keys(stories, mentions)) if registry_store else None
    )
    kwargs = {"registry": registry} if registry else {}
    return extract_actors(stories, config(tmp_path, **cfg), mentions, day=DAY, **kwargs)


def test_story_actors_are_merged_ranked_and_carry_roles(tmp_path: Path) -> None:
    result = run(tmp_path)
    fire = result.per_story["s-fire"]
    assert fire[0].name == "Amara Okafor"
    assert fire[0].role == "chief executive of the Veldmar Port Authority"
    assert fire[0].mentions == 4  # title, lead, body, second item; the duplicate is not counted
    assert "Okafor" in fire[0].aliases
    assert fire[0].salience > fire[1].salience
    names = [a.name for a in fire]
    assert "Reuters" not in names  # dateline credit and "told Reuters": a source
    assert {"Tomas Berg", "Veldmar Port Authority"} <= set(names)
    assert next(a for a in fire if a.name == "Tomas Berg").role == "Fire chief"
    # the port is where it happens (dateline, "in Port Veldmar"): a setting, not an actor
    assert "Port Veldmar" not in names and result.places["s-fire"] == ("Port Veldmar",)


def test_per_story_limit(tmp_path: Path) -> None:
    result = run(tmp_path, per_story=2)
    assert len(result.per_story["s-fire"]) == 2


def test_briefing_lists_top_actors_with_their_stories(tmp_path: Path) -> None:
    result = run(tmp_path, per_briefing=3)
    assert len(result.briefing) == 3
    top = result.briefing[0]
    assert top.name == "Amara Okafor" and top.stories == ("s-fire",)
    assert all(a.first_seen for a in result.briefing)  # no registry: everyone is new


def test_registry_learns_and_marks_first_sightings(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "state.db")
    try:
        first = run(tmp_path, store)
        assert all(a.first_seen for a in first.briefing)
        with store.transaction():
            store.save_actor_registry(first.learned)
            store.save_actor_registry(first.learned)  # re-rendering the same day changes nothing
        again = run(tmp_path, store)
        assert all(a.first_seen for a in again.briefing)  # same day: still their first day
        known = store.actor_registry({"amaraokafor", "okafor"})
        assert known.resolve("okafor") == "amaraokafor"
        assert known.actors["amaraokafor"].first_seen == DAY
        row = store.conn.execute(
            "SELECT days FROM actor_aliases WHERE alias_key='okafor'"
        ).fetchone()
        assert row[0] == 1
    finally:
        store.close()


def test_later_day_is_not_a_first_sighting(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "state.db")
    try:
        first = run(tmp_path, store)
        earlier = [
            type(x)(x.key, x.name, x.kind, date(2025, 3, 1), x.aliases) for x in first.learned
        ]
        with store.transaction():
            store.save_actor_registry(earlier)
        later = run(tmp_path, store)
        assert not any(a.first_seen for a in later.briefing)
    finally:
        store.close()


def test_registry_keys_cover_cleaned_curated_and_demonym_forms() -> None:
    it = item(
        "k1",
        "Kenyan officials meet",
        "Mr. Okafor met U.S. envoys and North and South Korea's delegates.",
    )
    text = analysed_text(it.article)
    spans = tuple(
        Mention(t, label, text.index(t), text.index(t) + len(t))
        for t, label in (
            ("Kenyan", "NORP"),
            ("Mr. Okafor", "PERSON"),
            ("U.S.", "GPE"),
            ("North and South Korea", "GPE"),
        )
    )
    keys = registry_keys({"s": [it]}, {"k1": spans})
    assert {"kenya", "okafor", "unitedstates", "northkorea", "southkorea"} <= keys
