"""clean_title: the headline without site and section affixes."""

from __future__ import annotations

import pytest

from digest.clean import clean_title


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "City council delays budget vote | Springfield Gazette",
            "City council delays budget vote",
        ),
        (
            "City council delays budget vote - The Springfield Gazette",
            "City council delays budget vote",
        ),
        ("City council delays budget vote \u2013 Gazette", "City council delays budget vote"),
        ("City council delays budget vote | Local | Gazette", "City council delays budget vote"),
        ("Opinion | Why the budget vote matters - Gazette", "Why the budget vote matters"),
        ("Opinion|Why the budget vote matters", "Why the budget vote matters"),
        ("Man bites dog - and wins", "Man bites dog - and wins"),
        ("Budget vote: what happens next", "Budget vote: what happens next"),
        ("Gazette", "Gazette"),
        ("  Spaces   squeezed  ", "Spaces squeezed"),
        ("Ferry strike ends \u00bb harborledger.example", "Ferry strike ends"),
        ("Ferry strike ends after talks | harborwire", "Ferry strike ends after talks"),
        ("Ferry strike ends - and crews return", "Ferry strike ends - and crews return"),
    ],
)
def test_clean_title(title: str, expected: str) -> None:
    assert clean_title(title) == expected


def test_caption_with_its_credit_is_not_taken_for_the_headline() -> None:
    from digest.clean import clean_text_dump

    dump = "\n".join(
        [
            "Home",
            "World",
            "Ferry service suspended after storm damages pier",
            "Ferry service suspended after storm damages pier",
            "Crews inspect the damaged pier in Lunholm. Photo: Island Herald",
            "Crews inspect the damaged pier in Lunholm. Photo: Island Herald",
            "The ferry operator suspended all crossings on Friday after a storm tore away part of the main pier.",
            "Engineers said repairs could take two weeks, and passengers were offered refunds.",
        ]
    )
    cleaned = clean_text_dump(dump)
    assert cleaned.title == "Ferry service suspended after storm damages pier"
    assert "Photo: Island Herald" not in cleaned.body
