"""Which names a story lists as key actors, and as what (issue #16), on invented text.

Entity spans are hand-built as the NER model would mark them (including its mistakes: a Title Case
headline full of "names", a country typed as a person, an event typed as an organisation), so no
model is loaded.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from digest.actors.context import ActorMention, actor_mentions
from digest.actors.debris import trim_edges
from digest.actors.evidence import listable
from digest.actors.rank import extract_actors, story_actors
from digest.actors.registry import EMPTY
from digest.actors.spans import places_in_capitals, split_score
from digest.config import parse_config
from digest.models import Actor, Article, StoredItem
from digest.text.entities import Mention, analysed_text

DAY = date(2025, 3, 4)


def spans(text: str, *marks: tuple[str, str]) -> list[Mention]:
    """A Mention for every occurrence of each (surface, label), longest first, never overlapping."""
    out: list[Mention] = []
    for surface, label in sorted(marks, key=lambda sl: -len(sl[0])):
        start = text.find(surface)
        while start >= 0:
            end = start + len(surface)
            if not any(o.start < end and start < o.end for o in out):
                out.append(Mention(surface, label, start, end))
            start = text.find(surface, start + 1)
    return sorted(out, key=lambda m: m.start)


def mentions(
    title: str, body: str, *marks: tuple[str, str], item: str = "i1", source: str = "Wire"
) -> list[ActorMention]:
    text = f"{title}\n\n{body}"
    return actor_mentions(item, source, title, text, spans(text, *marks))


def listed(found: list[ActorMention]) -> dict[str, Actor]:
    """What the story's list shows: recognised actors with the evidence a list needs."""
    return {a.name: a for a, c in story_actors(found) if a.kind != "place" and listable(c, EMPTY)}


def where(found: list[ActorMention]) -> list[str]:
    return [a.name for a, _ in story_actors(found) if a.kind == "place"]


# ----- names come from running text -------------------------------------------------------------


def test_a_title_case_headline_full_of_capitalised_words_lists_only_confirmed_names() -> None:
    title = "Okafor Invited To Beat Tarsk Rivals As Tributes Pour In Over Impeach Vote"
    body = "Dana Okafor was invited to the summit on Monday. Tributes poured in for her rival."
    found = mentions(
        title,
        body,
        ("Okafor Invited", "PERSON"),
        ("Beat Tarsk Rivals", "PERSON"),
        ("Tributes", "GPE"),
        ("Impeach", "ORG"),
        ("Dana Okafor", "PERSON"),
    )
    actors = listed(found)
    assert list(actors) == ["Dana Okafor"]
    assert actors["Dana Okafor"].mentions == 2  # the headline's "Okafor" is hers


def test_a_name_only_in_a_title_case_headline_is_not_listed() -> None:
    title = "How Velmora Capital Means Trouble For The Region"
    found = mentions(
        title, "Prices rose again this week, traders said.", ("Velmora Capital Means", "ORG")
    )
    assert listed(found) == {}


def test_span_debris_never_reaches_a_name() -> None:
    assert trim_edges("• Tana Water Board")[1] == "Tana Water Board"
    assert trim_edges("Foreign Office (FO")[1] == "Foreign Office"
    assert trim_edges("Kessler &")[1] == "Kessler"
    assert trim_edges("Almen Estuary in")[1] == "Almen Estuary"
    assert trim_edges("Dana Okafor Jan")[1] == "Dana Okafor"
    assert trim_edges("Ivo Marsk-owned")[1] == "Ivo Marsk"
    assert trim_edges("Pres's ‘Council of Elders")[1] == "Council of Elders"
    assert trim_edges("Bashar al-Qadir")[1] == "Bashar al-Qadir"  # a particle inside stays
    assert trim_edges("construction") == (0, "")


def test_events_storms_laws_and_works_are_not_organisations() -> None:
    body = (
        "The Velmora Security Conference opened on Friday as Tropical Cyclone Ombra neared "
        "the coast. Parliament debated the Coastal Defence Act and the film “Harbour Lights”. "
        "Organisers of the Tarsk Games 2031 met the Tana Water Board, and the Tana Water Board "
        "said the Velmora Security Conference would go on."
    )
    found = mentions(
        "Storm nears coast",
        body,
        ("Velmora Security Conference", "ORG"),
        ("Tropical Cyclone Ombra", "ORG"),
        ("Coastal Defence Act", "ORG"),
        ("Harbour Lights", "ORG"),
        ("Tarsk Games 2031", "ORG"),
        ("Tana Water Board", "ORG"),
    )
    assert list(listed(found)) == ["Tana Water Board"]


def test_the_models_own_event_label_outvotes_its_organisation_label() -> None:
    body = "The Almen Gathering drew crowds. Leaders at the Almen Gathering spoke of floods."
    text = f"Crowds gather\n\n{body}"
    marks = spans(text, ("Almen Gathering", "ORG"))
    marks[1] = Mention(marks[1].text, "EVENT", marks[1].start, marks[1].end)
    found = actor_mentions("i1", "Wire", "Crowds gather", text, marks)
    assert listed(found) == {}


def test_a_one_word_person_needs_a_title_and_an_ordinary_word_a_capital_mid_sentence() -> None:
    body = (
        "Format changes were announced. Elvira said nothing. Malaria cases rose, and "
        "President Ostrava met the board. Ostrava said the plan would work."
    )
    found = mentions(
        "Board meets",
        body,
        ("Format", "PERSON"),
        ("Elvira", "PERSON"),
        ("Malaria", "ORG"),
        ("Ostrava", "PERSON"),
    )
    assert list(listed(found)) == ["Ostrava"]
    assert listed(found)["Ostrava"].kind == "person"


# ----- one actor, one entry --------------------------------------------------------------------


def test_two_transliterations_of_one_person_are_one_actor() -> None:
    body = (
        "Alexei Vornov was moved to a new prison. Supporters of Alexey Vornov protested, and "
        "Vornov's lawyer said he was ill."
    )
    found = mentions(
        "Vornov moved",
        body,
        ("Alexei Vornov", "PERSON"),
        ("Alexey Vornov", "PERSON"),
        ("Vornov", "ORG"),
    )
    actors = listed(found)
    assert len(actors) == 1
    (vornov,) = actors.values()
    assert vornov.kind == "person" and vornov.mentions == 4
    assert {"Alexei Vornov", "Alexey Vornov"} & {vornov.name, *vornov.aliases} == {
        "Alexei Vornov",
        "Alexey Vornov",
    }


def _item(ident: str, title: str, text: str) -> StoredItem:
    art = Article(
        id=ident,
        source="Wire",
        origin=f"x.jsonl:{ident}",
        title=title,
        text=text,
        url=None,
        canonical_url=None,
        published=datetime(2025, 3, 4, 8, tzinfo=UTC),
        date_source="content",
        content_hash=ident,
    )
    return StoredItem(article=art, day=DAY, first_seen=datetime(2025, 3, 4, 9, tzinfo=UTC))


def _ner(it: StoredItem, names: dict[str, str]) -> tuple[Mention, ...]:
    return tuple(spans(analysed_text(it.article), *names.items()))


def test_surname_only_mentions_of_two_people_in_two_stories_stay_two_people(
    tmp_path: Path,
) -> None:
    port = _item(
        "p1",
        "Port reopens",
        "Amara Okafor, chief executive of the port, reopened the terminal. Okafor said trade "
        "would resume, and Okafor thanked the crews.",
    )
    school = _item(
        "s1",
        "School board votes",
        "Teacher Dana Okafor won the vote. Okafor said the school would reopen.",
    )
    names = {"Amara Okafor": "PERSON", "Dana Okafor": "PERSON", "Okafor": "PERSON"}
    cfg = parse_config({"sources": [{"name": "in", "type": "files", "path": "in"}]}, tmp_path / "c")
    result = extract_actors(
        {"s-port": [port], "s-school": [school]},
        cfg,
        {it.article.id: _ner(it, names) for it in (port, school)},
        day=DAY,
    )
    port_actors = {a.name: a for a in result.per_story["s-port"]}
    school_actors = {a.name: a for a in result.per_story["s-school"]}
    assert set(port_actors) == {"Amara Okafor"} and port_actors["Amara Okafor"].mentions == 3
    assert set(school_actors) == {"Dana Okafor"} and school_actors["Dana Okafor"].mentions == 2
    top = {a.name: a.stories for a in result.briefing}
    assert top["Amara Okafor"] == ("s-port",) and top["Dana Okafor"] == ("s-school",)


def test_a_shared_surname_in_one_story_joins_neither_person() -> None:
    body = (
        "Amara Okafor met Dana Okafor in the capital. Amara Okafor spoke first, then Dana "
        "Okafor replied. Okafor later left."
    )
    found = mentions(
        "Two Okafors meet", body, ("Amara Okafor", "PERSON"), ("Dana Okafor", "PERSON")
    )
    actors = listed(found)
    assert actors["Amara Okafor"].mentions == 2 and actors["Dana Okafor"].mentions == 2


def test_a_group_and_its_own_leadership_body_are_listed_once() -> None:
    body = (
        "The Tarsk Front said it would attend. The Tarsk Front Political Bureau approved the "
        "plan, and the Tarsk Front later confirmed it."
    )
    found = mentions("Talks", body, ("Tarsk Front Political Bureau", "ORG"), ("Tarsk Front", "ORG"))
    actors = listed(found)
    assert list(actors) == ["Tarsk Front"] and actors["Tarsk Front"].mentions == 3


# ----- roles -----------------------------------------------------------------------------------


def test_a_role_never_comes_from_the_neighbouring_name() -> None:
    body = (
        "Norland President Dana Whitfield and Kessler Motors CEO Jim Farlow met on Monday. "
        "Farlow said output would rise."
    )
    found = mentions(
        "Leaders meet",
        body,
        ("Norland", "GPE"),
        ("Dana Whitfield", "PERSON"),
        ("Kessler Motors", "ORG"),
        ("Jim Farlow", "PERSON"),
        ("Farlow", "PERSON"),
    )
    actors = listed(found)
    assert actors["Jim Farlow"].role == "Kessler Motors CEO"
    assert actors["Dana Whitfield"].role == "Norland President"


def test_a_descriptive_title_is_kept_whole() -> None:
    body = "On Monday the group's political bureau chief Khalil Amari said talks would resume."
    found = mentions("Talks to resume", body, ("Khalil Amari", "PERSON"))
    assert listed(found)["Khalil Amari"].role == "the group's political bureau chief"


def test_a_title_whose_modifier_can_also_be_a_verb_is_kept_whole() -> None:
    """ "rights", "affairs", "arms" modify a title; after "to" a word that can be a verb is one."""
    from digest.actors.roles import title_before
    from digest.models import Mention

    def title(text: str, name: str) -> str | None:
        i = text.index(name)
        return title_before(text, i, [Mention(name, "PERSON", i, i + len(name))])

    assert title("The civil rights leader Tomas Berg spoke.", "Tomas Berg") == "civil rights leader"
    assert title("the arms control envoy Ines Halvor said", "Ines Halvor") == "arms control envoy"
    text = "The council voted to remove interim President Ana Ruiz."
    assert title(text, "Ana Ruiz") == "interim President"


def test_a_ministry_word_before_a_title_is_no_organisation() -> None:
    body = "Former Defence Minister Dana Okafor led the delegation to the talks."
    found = mentions("Talks", body, ("Defence", "ORG"), ("Dana Okafor", "PERSON"))
    actors = listed(found)
    assert list(actors) == ["Dana Okafor"]
    assert actors["Dana Okafor"].role == "Former Defence Minister"


def test_a_title_before_a_name_typed_as_an_organisation_makes_a_person() -> None:
    body = "Field Marshal Ivo Marsk inspected the troops, and Marsk said they were ready."
    found = mentions("Troops ready", body, ("Field Marshal Ivo Marsk", "ORG"), ("Marsk", "ORG"))
    actors = listed(found)
    assert list(actors) == ["Ivo Marsk"] and actors["Ivo Marsk"].kind == "person"


# ----- who acts, not where ----------------------------------------------------------------------


def test_countries_as_settings_go_to_where_and_countries_that_act_are_states() -> None:
    body = (
        "Delegates met in Velmora on Monday. Norway launched a new offer, and Norway's "
        "military said it would hold fire. The talks in Velmora will resume on Friday. "
        "Velkaro said the offer was fair."
    )
    found = mentions(
        "Talks resume",
        body,
        ("Velmora", "GPE"),
        ("Norway", "GPE"),
        ("Norway's", "GPE"),
        ("Velkaro", "GPE"),
    )
    actors = listed(found)
    assert actors["Norway"].kind == "state"
    assert "Velmora" not in actors and "Velmora" in where(found)
    assert "Velkaro" not in actors  # typed as a country, acting, but no country we know of


def test_a_known_country_typed_as_a_person_is_a_place() -> None:
    body = "Exports to Austria fell. Officials in Austria blamed the strike."
    found = mentions("Exports fall", body, ("Austria", "PERSON"))
    assert listed(found) == {} and where(found) == ["Austria"]


def test_a_river_and_a_valley_are_places_not_organisations() -> None:
    body = "The River Almen burst its banks, flooding the Tarsk valley. The River Almen is high."
    found = mentions("Floods", body, ("River Almen", "ORG"), ("Tarsk", "ORG"))
    assert listed(found) == {}
    assert set(where(found)) == {"River Almen", "Tarsk"}


def test_places_in_all_caps_lines_are_found_by_name_not_by_the_models_reading_of_case() -> None:
    text = "\n\nSTANDINGS AFTER MONDAY\nKANSAS CITY 61 74\nNAIROBI AT LAGOS\nTARSK 3 VELKARO 1\n"
    found = [m.text for m in places_in_capitals(text, [])]
    assert found == ["KANSAS CITY", "NAIROBI", "LAGOS"]
    assert places_in_capitals("\n\nKansas City won in Nairobi.", []) == []  # case says it there


def test_a_dateline_city_in_capitals_is_a_place_not_an_acronym() -> None:
    found = mentions("", "NAIROBI 2031-05-06\nThe Tana Water Board met.", ("NAIROBI", "GPE"))
    assert "NAIROBI" in where(found) or "Nairobi" in where(found)


def test_a_result_line_read_as_one_name_is_two_names() -> None:
    assert split_score("Velmora 5 TARSK 1") == ["Velmora", "TARSK"]
    assert split_score("Ostrik 3 Velkaro") == ["Ostrik", "Velkaro"]
    assert split_score("Formula 1 Group") == ["Formula 1 Group"]
    assert split_score("Channel 4") == ["Channel 4"]
