"""Merging rules of the Key actors stage, on hand-built mention lists (no spaCy needed)."""

from __future__ import annotations

from datetime import date

from digest.actors.context import ActorMention
from digest.actors.merge import Cluster, merge
from digest.actors.names import clean_name, name_key
from digest.actors.registry import KnownActor, Registry
from digest.models import ActorKind


def m(name: str, kind: ActorKind = "person", item: str = "a", **kw: object) -> ActorMention:
    return ActorMention(name=name, kind=kind, item=item, source="wire", surface=name, **kw)  # type: ignore[arg-type]


def by_name(clusters: list[Cluster]) -> dict[str, Cluster]:
    return {c.name: c for c in clusters}


def test_surname_joins_the_full_name_of_the_same_story() -> None:
    out = by_name(merge([m("Amara Okafor"), m("Okafor"), m("Okafor", item="b")]))
    assert set(out) == {"Amara Okafor"}
    assert len(out["Amara Okafor"].mentions) == 3
    assert "Okafor" in out["Amara Okafor"].aliases


def test_family_name_first_and_middle_initials() -> None:
    out = by_name(
        merge([m("Lee Min-jun"), m("Lee"), m("Pedro J. Alves"), m("Pedro Alves"), m("Alves")])
    )
    assert set(out) == {"Lee Min-jun", "Pedro J. Alves"} or set(out) == {
        "Lee Min-jun",
        "Pedro Alves",
    }
    assert sum(len(c.mentions) for c in out.values()) == 5


def test_ambiguous_surname_goes_to_the_dominant_full_name_only() -> None:
    dominant = merge([m("Ines Varga")] * 3 + [m("Tomas Varga"), m("Varga")])
    assert by_name(dominant)["Ines Varga"].mentions[-1].name == "Varga"
    balanced = merge([m("Ines Varga"), m("Tomas Varga"), m("Varga")])
    assert "Varga" in by_name(balanced)  # left alone: no way to tell


def test_generation_suffix_keeps_father_and_son_apart() -> None:
    out = by_name(merge([m("Marek Holt"), m("Marek Holt Jr."), m("Holt Jr.")]))
    assert set(out) == {"Marek Holt", "Marek Holt Jr."}


def test_titles_and_honorifics_are_dropped_from_names() -> None:
    assert clean_name("Mr. Okafor") == ("Okafor", None)
    assert clean_name("President Lina Sorell") == ("Lina Sorell", "President")
    assert clean_name("Dr. Dana Whitfield")[0] == "Dana Whitfield"
    assert clean_name("Secretary of State")[0] == "Secretary of State"  # not a name with a title
    assert clean_name("General Motors") == ("General Motors", None)  # curated: no title inside
    assert clean_name("Major League Baseball", person=False)[0] == "Major League Baseball"


def test_possessives_and_curly_punctuation_fold_to_one_name() -> None:
    assert clean_name("Brazil's")[0] == "Brazil"
    assert clean_name("Brazil’s")[0] == "Brazil"
    assert clean_name("the Democrats'")[0] == "Democrats"
    out = merge([m("Brazil", "place"), m(clean_name("Brazil’s")[0], "place")])
    assert len(out) == 1 and len(out[0].mentions) == 2


def test_dotted_acronyms_fold() -> None:
    assert clean_name("C.I.A.")[0] == "CIA"
    assert name_key("U.S.") == name_key("US")


def test_acronym_defined_in_the_text_joins_its_expansion() -> None:
    out = merge(
        [
            m("Federal Emergency Agency", "organization", acronym="FEA"),
            m("FEA", "organization"),
            m("FEA", "organization"),
        ]
    )
    assert len(out) == 1
    assert out[0].name == "Federal Emergency Agency"
    assert "FEA" in out[0].aliases


def test_acronym_joins_the_one_expansion_it_abbreviates() -> None:
    out = by_name(merge([m("Northern Rail Union", "organization"), m("NRU", "organization")]))
    assert set(out) == {"Northern Rail Union"}
    two = by_name(
        merge(
            [
                m("Northern Rail Union", "organization"),
                m("National Rescue Unit", "organization"),
                m("NRU", "organization"),
            ]
        )
    )
    assert "NRU" in two  # two expansions fit: no merge


def test_curated_spelling_variants_and_diacritics() -> None:
    out = merge(
        [m("Ivory Coast", "place"), m("Côte d'Ivoire", "place"), m("Cote d'Ivoire", "place")]
    )
    assert len(out) == 1 and out[0].name == "Côte d'Ivoire"
    zel = merge([m("Zelenskyy"), m("Volodymyr Zelensky"), m("Zelensky")])
    assert len(zel) == 1 and zel[0].name == "Volodymyr Zelensky"


def test_transliterated_umlaut_is_the_same_name() -> None:
    out = merge([m("Jonas Müller"), m("Jonas Mueller"), m("Mueller")])
    assert len(out) == 1
    assert out[0].name == "Jonas Müller"  # the precise spelling wins a tie


def test_close_spelling_of_the_same_person_joins() -> None:
    out = merge([m("Oleksii Danylenkko"), m("Oleksii Danylenko")])
    assert len(out) == 1
    apart = merge([m("Anna Berg"), m("Anna Borg")])
    assert len(apart) == 2  # short names: too risky


def test_conflicting_labels_resolved_by_majority() -> None:
    out = merge([m("Okafor"), m("Okafor"), m("Okafor", "place"), m("Amara Okafor")])
    assert [(c.name, c.kind) for c in out] == [("Amara Okafor", "person")]
    place = merge([m("Tarsk", "place"), m("Tarsk", "place"), m("Tarsk", "person")])
    assert [(c.name, c.kind) for c in place] == [("Tarsk", "place")]


def test_surname_tagged_as_organisation_joins_the_person() -> None:
    out = merge([m("Lina Sorell"), m("Lina Sorell"), m("Sorell", "organization"), m("Sorell")])
    assert [(c.name, c.kind, len(c.mentions)) for c in out] == [("Lina Sorell", "person", 4)]


def test_demonym_place_mentions_join_the_place() -> None:
    out = merge([m("Kenya", "place"), m("Kenya", "place", item="b")])
    assert len(out) == 1


def test_compass_word_joins_the_one_place_named_with_it() -> None:
    out = by_name(
        merge([m("North Veldia", "place"), m("North Veldia", "place"), m("North", "place")])
    )
    assert set(out) == {"North Veldia"}


def test_roles_take_the_most_common() -> None:
    out = merge(
        [
            m("Pedro Alves", role="Foreign Minister"),
            m("Alves", role="Foreign Minister"),
            m("Alves", role="minister"),
        ]
    )
    assert out[0].role == "Foreign Minister"


def test_registry_joins_names_seen_together_before() -> None:
    registry = Registry(
        actors={
            "fea": KnownActor("fea", "Federal Emergency Agency", "organization", date(2025, 1, 1))
        },
        aliases={"fea": (("fea", 3),), "federalemergencyagency": (("fea", 3),)},
    )
    out = merge([m("FEA", "organization")], registry)
    assert out[0].key == "fea"
    assert out[0].name == "Federal Emergency Agency"  # the better name learnt earlier


def test_registry_resolves_a_bare_surname_only_when_unambiguous_and_seen_twice() -> None:
    actors = {
        "amaraokafor": KnownActor("amaraokafor", "Amara Okafor", "person", date(2025, 1, 1)),
        "tundeokafor": KnownActor("tundeokafor", "Tunde Okafor", "person", date(2025, 1, 1)),
    }
    once = Registry(actors=actors, aliases={"okafor": (("amaraokafor", 1),)})
    assert merge([m("Okafor"), m("Okafor")], once)[0].name == "Okafor"
    twice = Registry(actors=actors, aliases={"okafor": (("amaraokafor", 2),)})
    assert merge([m("Okafor"), m("Okafor")], twice)[0].name == "Amara Okafor"
    two_people = Registry(
        actors=actors, aliases={"okafor": (("amaraokafor", 5), ("tundeokafor", 2))}
    )
    assert merge([m("Okafor"), m("Okafor")], two_people)[0].name == "Okafor"
