"""tidy_text: the packaging around article prose goes, by shape; the prose stays word for word."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from digest.clean import clean_item, normalize_text
from digest.clean.prose import tidy_text
from digest.models import RawItem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # source tags of aggregators, with and without a dateline after them
        ("[Harbour Wire] The port council approved the dredging plan.", "The port council"),
        ("[Coastal Press (CP)] Castreno -- Dock workers ended their strike.", "Dock workers"),
        ("[velmora.gov.example] The ministry said so on Monday.", "The ministry"),
        # wire datelines, upper-case places, several places, bylines before them
        ("VELMORA, Mar 3 (Harbour Wire) - More than 80 artists signed.", "More than 80"),
        ("VELMORA: Nearly 70 groups criticised the reform on Monday.", "Nearly 70"),
        ("PORT ELM (Wire) \u2014 The ferry service resumed.", "The ferry"),
        ("NORTH BAY, Northland \u2014 The governor resigned on Friday.", "The governor"),
        (
            "By Ana Lima, Tom Reyes and Jo Park VELMORA/CASTRENO, Mar 3 (Wire) - Talks resumed.",
            "Talks resumed.",
        ),
        ("By Ana Lima VELMORA, Mar 3 (Wire) - Talks resumed.", "Talks resumed."),
        # title-case places need a dash and a capital after them
        ("Castreno -- The stage is set for the regatta.", "The stage is set"),
        ("Port Elm, Mar 3 (Harbour Wire) - The port closed.", "The port closed."),
        # a kicker label in capitals is packaging too
        ("IN SHORT: Claims about the mayor's trip are false.", "Claims about"),
    ],
)
def test_openings_are_removed(text: str, expected: str) -> None:
    assert tidy_text(text).startswith(expected)


@pytest.mark.parametrize(
    "text",
    [
        "Ilse Marrow \u2014 who governs the valley \u2014 declared an emergency.",
        "AI: the word of the year, again, according to the dictionary makers.",
        "UK: Ministers met on Monday.",
        'He said "[the council] has failed" [sic] and left.',
        "By Tuesday the river had fallen below its banks.",
        "Prices of bread, milk and more",
        "NATO allies met in Velmora on Monday.",
    ],
)
def test_prose_is_left_alone(text: str) -> None:
    assert tidy_text(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The council met on Monday. Continue reading on Harbour Wire \u2192",
            "The council met on Monday.",
        ),
        ("The council met on Monday. Read more", "The council met on Monday."),
        (
            "The council met on Monday and the\u2026 Read more",
            "The council met on Monday and the\u2026",
        ),
        ("The council met on Monday and the [\u2026]", "The council met on Monday and the\u2026"),
        ("The council met on Monday and the [...]", "The council met on Monday and the\u2026"),
        (
            "The council met on Monday and the... [Read more]",
            "The council met on Monday and the\u2026",
        ),
        ("The council met.\n\nRead more", "The council met."),
        (
            "The council met.\n\nThe post Council meets appeared first on Harbour Wire.",
            "The council met.",
        ),
        ('The council met.\n\n[video id=Ab12 autostart="viewable" vertical]', "The council met."),
        ("The council met.\n\nMore from Harbour Wire", "The council met."),
        ("[Harbour Wire]", ""),
    ],
)
def test_tails_and_markers(text: str, expected: str) -> None:
    assert tidy_text(text) == expected


def test_a_caption_with_its_credit_and_the_credit_line_under_it_go() -> None:
    text = (
        "Rescue boats at the flooded square in Castreno on Sunday / Photo: Coastal Press Archive\n\n"
        "Coastal Press Archive\n\n"
        "The flood has killed 12 people, the governor said."
    )
    assert tidy_text(text) == "The flood has killed 12 people, the governor said."


def test_credit_lines_alone_go_and_a_paragraph_mentioning_a_photo_stays() -> None:
    text = (
        "Photo: Coastal Press\n\n"
        "The mayor said the photo of the flooded square had been shared thousands of times, "
        "and asked residents to stay away from the river until the water falls.\n\n"
        "Getty Images"
    )
    assert tidy_text(text) == (
        "The mayor said the photo of the flooded square had been shared thousands of times, "
        "and asked residents to stay away from the river until the water falls."
    )


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("to progress \u200cconstruction", "to progress construction"),
        ("Capitol \u200cPolice", "Capitol Police"),
        ("over\u200d the", "over the"),
        ("word\u2062word", "wordword"),
    ],
)
def test_joiners_outside_joining_scripts_are_removed(dirty: str, clean: str) -> None:
    assert normalize_text(dirty) == clean


@pytest.mark.parametrize(
    "kept",
    [
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian: a ZWNJ inside a word
        "\u0915\u094d\u200d\u0937",  # Devanagari: a ZWJ inside a conjunct
        "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # an emoji family sequence
    ],
)
def test_joiners_inside_joining_scripts_and_emoji_stay(kept: str) -> None:
    assert normalize_text(kept) == kept


def test_clean_item_tidies_feed_summaries_after_reading_their_dateline() -> None:
    raw = RawItem(
        source="Harbour Wire",
        origin="feed.xml",
        body="<p>[Harbour Wire] VELMORA, Mar 3 (Wire) - The port \u200cclosed on Monday\u2026 Read more</p>",
        body_format="html",
        title="Velmora port closes",
        guid="hw-1",
        reference_time=datetime(2025, 3, 4, 9, 0, tzinfo=UTC),
    )
    result = clean_item(raw, tz=ZoneInfo("UTC"), now=datetime(2025, 3, 4, 9, 0, tzinfo=UTC))
    assert result.article.text == "The port closed on Monday\u2026"
    assert result.article.published is not None
    assert result.article.published.date().isoformat() == "2025-03-03"


def test_a_dateline_after_any_number_of_highlight_bullets_is_removed() -> None:
    text = (
        "• The port authority calls the move a serious step\n\n"
        "• Dock unions condemn the plan\n\n"
        "• Two cranes stay idle for a third day\n\n"
        "• Talks resume on Friday\n\n"
        "VELMORA: The port authority has approved a plan to close the northern basin."
    )
    tidied = tidy_text(text)
    assert tidied.endswith(
        "\n\nThe port authority has approved a plan to close the northern basin."
    )
    assert tidied.count("•") == 4
