"""Figures and the quantity each counts: what a changed figure is compared with."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest.developments.figures import extract, same_quantity, same_value


def keys(sentence: str) -> list[tuple[str, float, str]]:
    return [(f.text, f.value, f.key) for f in extract(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The flood death toll rose to 212 on Tuesday.", [("212", 212.0, "deaths")]),
        (
            "At least 148 people were killed and 30 injured when the dam failed.",
            [("148", 148.0, "deaths"), ("30", 30.0, "injured")],
        ),
        (
            "The blast left 11 missing, presumed dead, and injured approximately 17.",
            [("11", 11.0, "missing"), ("17", 17.0, "injured")],
        ),
        ("Officials counted 2,500 suspected cases in the capital.", [("2,500", 2500.0, "cases")]),
        (
            "The well may be leaking 8,000 barrels of oil per day.",
            [("8,000", 8000.0, "barrel/rate")],
        ),
        ("The council approved the plan with 31 votes.", [("31", 31.0, "votes")]),
        ("The company set aside $1.2 billion for claims.", [("$1.2 billion", 1.2e9, "$claim")]),
        ("Unemployment stood at 9.5% in June.", [("9.5%", 9.5, "%unemploy")]),
    ],
)
def test_figures_get_the_quantity_they_count(
    sentence: str, expected: list[tuple[str, float, str]]
) -> None:
    assert keys(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The storm reached the coast on March 3, 2025.",
        "The 50-year-old was charged on 3 April.",
        "The 21st meeting began at 9:30 in room No. 4.",
        "Trading resumed in 2009 after the merger.",
    ],
)
def test_dates_years_times_ordinals_ages_and_numbers_of_things_are_not_figures(
    sentence: str,
) -> None:
    assert [f for f in extract(sentence) if f.key] == []


def test_a_move_is_not_a_level() -> None:
    assert [f.key for f in extract("The index rose nearly 500 points on Monday.")] == [""]
    assert [f.key for f in extract("Costs went up by $2bn.")] == [""]


def test_running_totals_are_marked() -> None:
    (toll,) = extract("The death toll rose to 212.")
    (perfect,) = extract("The floods have now killed 212 people.")
    (incident,) = extract("A car bomb killed 26 people in the market.")
    assert toll.running and perfect.running and not incident.running


def test_same_quantity_needs_the_same_key_and_for_plain_nouns_a_shared_word() -> None:
    (a,) = extract("Rescuers pulled 40 survivors from the rubble.")
    (b,) = extract("So far 55 survivors have been found.")
    assert same_quantity(a, b)
    (c,) = extract("The ferry carried 300 passengers from Pardo.")
    (d,) = extract("The cathedral choir has 30 passengers on tour.")
    assert not same_quantity(c, d)
    (e,) = extract("Some 40 homes were destroyed.")
    assert not same_quantity(a, e)


def test_same_value_allows_rounding() -> None:
    assert same_value(1000.0, 1004.0)
    assert not same_value(148.0, 212.0)


@given(st.text(alphabet=st.sampled_from("0123456789,.%$£€ -:/abcdeMayJunthst\n"), max_size=80))
def test_extract_takes_any_text(text: str) -> None:
    for fig in extract(text):
        assert fig.value >= 0
        assert fig.text.strip() and fig.text in text
