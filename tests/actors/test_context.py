"""Context rules of the Key actors stage: furniture, datelines, credits, demonyms, roles, position.

Entity spans are hand-built (as spaCy would mark them) over invented text, so no model is loaded.
"""

from __future__ import annotations

from digest.actors.context import (
    ActorMention,
    actor_mentions,
    datelines,
    is_furniture_line,
    split_compound,
)
from digest.text.entities import Mention


def spans(text: str, *marks: tuple[str, str]) -> list[Mention]:
    """A Mention for every occurrence of each (surface, label), never overlapping."""
    out: list[Mention] = []
    for surface, label in sorted(marks, key=lambda sl: -len(sl[0])):
        start = text.find(surface)
        while start >= 0:
            end = start + len(surface)
            if not any(
                o.start < end and start < o.end for o in out
            ):  # longest span wins, as in NER
                out.append(Mention(surface, label, start, end))
            start = text.find(surface, start + 1)
    return sorted(out, key=lambda m: m.start)


def run(title: str, body: str, *marks: tuple[str, str], source: str = "wire") -> list[ActorMention]:
    text = f"{title}\n\n{body}"
    return actor_mentions("i1", source, title, text, spans(text, *marks))


def names(found: list[ActorMention]) -> list[tuple[str, str]]:
    return [(a.name, a.kind) for a in found]


def test_dateline_place_is_a_setting_and_agency_credit_no_actor() -> None:
    body = "NAIROBI, March 3 (Reuters) - Kenyan officials said the Tana dam was safe."
    found = run(
        "Dam safe, officials say", body, ("NAIROBI", "GPE"), ("Reuters", "ORG"), ("Kenyan", "NORP")
    )
    assert names(found) == [("Nairobi", "place"), ("Kenya", "place")]
    assert found[0].locative and not found[0].acts  # where the report was filed
    assert found[1].acts  # "Kenyan officials said": the state at work


def test_dateline_ranges() -> None:
    text = "WEST PALM BEACH, Fla. —\nThe mayor spoke.\nWASHINGTON (AP) — More text.\nNATO said so."
    found = [text[a:b].strip() for a, b in datelines(text)]
    assert found == ["WEST PALM BEACH, Fla. —", "WASHINGTON (AP) —"]


def test_agency_cited_as_source_is_not_an_actor_but_one_in_the_news_is() -> None:
    found = run("Port strike", "The union told Reuters the strike would go on.", ("Reuters", "ORG"))
    assert found == []
    found = run(
        "Reuters journalists freed",
        "Reuters welcomed the release of its two reporters.",
        ("Reuters", "ORG"),
    )
    assert ("Reuters", "organization") in names(found)


def test_newspaper_cited_as_source_is_not_an_actor() -> None:
    body = "Talks stalled, the Veldmar Herald reported. The mayor declined to comment to the Veldmar Herald."
    assert run("Talks stall", body, ("Veldmar Herald", "ORG")) == []


def test_photo_credit_and_byline_lines_are_furniture() -> None:
    assert is_furniture_line("Photo: Jan Kowal/AFP via Getty Images")
    assert is_furniture_line("By Amara Okafor and Tomas Berg")
    assert not is_furniture_line(
        "Amara Okafor said the port would reopen on Friday after the fire."
    )
    body = "The port reopened.\nPhoto: Jan Kowal/AFP\nAmara Okafor thanked the crews."
    found = run(
        "Port reopens", body, ("Jan Kowal", "PERSON"), ("AFP", "ORG"), ("Amara Okafor", "PERSON")
    )
    assert names(found) == [("Amara Okafor", "person")]


def test_demonym_heading_an_institution_is_the_place() -> None:
    found = run(
        "Border talks",
        "The Ukrainian army pulled back. Kenyan coffee prices rose.",
        ("Ukrainian", "NORP"),
        ("Kenyan", "NORP"),
    )
    assert names(found) == [("Ukraine", "place")]  # "Kenyan coffee" is a plain adjective


def test_plural_demonym_is_a_group_and_party_words_are_the_party() -> None:
    found = run(
        "Vote",
        "Kenyans voted. Democratic lawmakers objected. Republicans agreed.",
        ("Kenyans", "NORP"),
        ("Democratic", "NORP"),
        ("Republicans", "NORP"),
    )
    assert names(found) == [("Kenyans", "group"), ("Democrats", "group"), ("Republicans", "group")]


def test_title_before_a_name_is_the_role() -> None:
    found = run(
        "Talks",
        "Foreign Minister Pedro Alves met Kenya's health minister Wanjiru Kamau.",
        ("Pedro Alves", "PERSON"),
        ("Kenya", "GPE"),
        ("Wanjiru Kamau", "PERSON"),
    )
    roles = {a.name: a.role for a in found}
    assert roles["Pedro Alves"] == "Foreign Minister"
    assert roles["Wanjiru Kamau"] == "Kenya's health minister"


def test_title_inside_the_entity_span_is_the_role() -> None:
    found = run(
        "Visit", "President Lina Sorell arrived on Monday.", ("President Lina Sorell", "PERSON")
    )
    assert (found[0].name, found[0].role) == ("Lina Sorell", "President")


def test_apposition_after_and_before_a_name() -> None:
    body = (
        "Dana Whitfield, director of the regional weather service, warned of rain. "
        "According to the party's parliamentary leader, Ilse Brandt, the vote will be close."
    )
    found = run("Rain", body, ("Dana Whitfield", "PERSON"), ("Ilse Brandt", "PERSON"))
    roles = {a.name: a.role for a in found}
    assert roles["Dana Whitfield"] == "director of the regional weather service"
    assert roles["Ilse Brandt"] == "the party's parliamentary leader"


def test_honorific_is_no_role_and_a_clause_is_no_apposition() -> None:
    found = run("Talks", "Mr. Okafor, who arrived late, spoke first.", ("Okafor", "PERSON"))
    assert found[0].role is None


def test_headline_lead_and_subject_position() -> None:
    body = "Amara Okafor ordered the evacuation on Monday.\n\nLater, officials met in Veldmar with Okafor."
    found = run(
        "Okafor orders evacuation",
        body,
        ("Okafor", "PERSON"),
        ("Amara Okafor", "PERSON"),
        ("Veldmar", "GPE"),
    )
    first, full, place, last = found
    assert first.in_title and not first.in_lead
    assert full.in_lead and full.subject
    assert place.locative and not last.subject


def test_acronym_defined_in_parentheses() -> None:
    found = run(
        "Aid",
        "The Federal Emergency Agency (FEA) sent tents.",
        ("Federal Emergency Agency", "ORG"),
        ("FEA", "ORG"),
    )
    assert found[0].acronym == "FEA"


def test_compound_spans_are_split() -> None:
    assert split_compound("North and South Korea") == ["North Korea", "South Korea"]
    assert split_compound("U.S.-Mexico") == ["U.S.", "Mexico"]
    assert split_compound("Guinea-Bissau") == ["Guinea-Bissau"]


def test_outlets_own_name_and_generic_words_are_not_actors() -> None:
    found = run(
        "Harbour Wire exclusive",
        "The Department said Harbour Wire had the figures.",
        ("Department", "ORG"),
        ("Harbour Wire", "ORG"),
        source="Harbour Wire",
    )
    assert found == []


def test_journalist_credit_names_neither_an_actor() -> None:
    body = "Ilse Brandt of the Veldmar Herald wrote that the talks failed. Ilse Brandt later met the mayor."
    found = run("Talks", body, ("Ilse Brandt", "PERSON"), ("Veldmar Herald", "ORG"))
    assert [a.start for a in found] == [body.rfind("Ilse Brandt") + len("Talks") + 2]


def test_abbreviation_dots_end_no_role_and_hyphenated_names_are_whole() -> None:
    body = "Jay Brook, a lawyer for Mr. Okafor, declined to comment. Moon Jae-in spoke."
    found = run(
        "Talks", body, ("Jay Brook", "PERSON"), ("Okafor", "PERSON"), ("Moon Jae", "PERSON")
    )
    roles = {a.name: a.role for a in found}
    assert roles["Jay Brook"] == "lawyer for Mr. Okafor"
    assert "Moon Jae-in" in roles


def test_platform_named_as_the_channel_is_not_an_actor() -> None:
    body = "The mayor wrote on Twitter that the port was safe. Twitter removed the post."
    found = run("Port safe", body, ("Twitter", "ORG"))
    assert len(found) == 1 and found[0].start == body.rfind("Twitter") + len("Port safe") + 2
