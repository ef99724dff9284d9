"""Sentence tools of the developments stage: terms, filters, novelty and recap cues."""

from __future__ import annotations

from datetime import date

import pytest

from digest.text.novelty import History, is_reportable, overlap, recalls_past, terms


def test_terms_are_stemmed_content_words_with_plain_numbers() -> None:
    assert terms("The rescuers searched 1,200 homes.") == ("rescuer", "search", "1200", "home")
    assert terms("Marrow's office said it was closed.") == ("marrow", "offic", "close")


def test_calendar_words_are_not_terms() -> None:
    assert terms("On Sunday, March 2nd, 2025, the dam failed.") == ("dam", "fail")


@pytest.mark.parametrize(
    "sentence",
    [
        "What do you think of the reconstruction plan?",
        "Have your say in the comments below on the recovery.",
        "Read more: our live coverage of the storms in the valley",
        "Sign up for our newsletter to get the latest updates on the recovery.",
        "Volunteers clear mud from a school (Photo: Dana Ruiz/Harbor Ledger)",
        "Flood Warnings Across The Region Live Updates And Maps",
        "Copyright 2025 Harbor Ledger. All rights reserved.",
        "Too short here.",
    ],
)
def test_furniture_questions_captions_and_headline_lists_are_not_reportable(sentence: str) -> None:
    assert not is_reportable(sentence)


def test_ordinary_statements_are_reportable() -> None:
    assert is_reportable(
        "Engineers said the two main bridges would reopen to traffic next Tuesday."
    )
    assert is_reportable(
        "Governor Ilse Marrow declared a state of emergency"
    )  # no full stop, still a statement


def test_a_paraphrase_of_history_scores_low_and_a_new_fact_high() -> None:
    history = History(
        [
            "At least 148 people were killed when the Arda river burst its banks in the Velmora valley.",
            "The regional governor, Ilse Marrow, declared a state of emergency.",
        ]
    )
    recap = (
        "Governor Ilse Marrow declared an emergency after the Arda burst its banks in the valley."
    )
    news = "The regional parliament approved a reconstruction fund for bridges and schools."
    assert history.novelty(recap) < 0.3
    assert history.novelty(news) > 0.7
    assert History([]).novelty(news) == 1.0


def test_overlap_is_relative_to_the_shorter_sentence() -> None:
    assert overlap(("fund", "approv"), ("fund", "approv", "parliament", "school")) == 1.0
    assert overlap((), ("fund",)) == 0.0


def test_sentences_anchored_on_an_earlier_time_recall_the_past() -> None:
    today = date(2025, 6, 12)
    assert recalls_past("On March 2, the Arda burst its banks.", today)
    assert recalls_past("The river burst its banks on 2 March.", today)
    assert recalls_past("Police questioned him last month.", today)
    assert recalls_past("On June 25th, 2009, the singer died.", today)
    assert not recalls_past("On June 11 the parliament approved the fund.", today)
    assert not recalls_past("In March the tide rose.", today)


@pytest.mark.parametrize(
    ("sentence", "last", "cut"),
    [
        ("The council approved the plan and asked the port to\u2026", False, True),
        ("The council approved the plan and asked the port to...", True, True),
        ('He said the council "would never\u2026"', False, True),
        ("The council approved the plan and asked the port to", True, True),
        ("The council approved the plan, the mayor", True, False),
        ("The council approved the plan on Monday,", True, True),
        ("The council approved the plan on Monday.", True, False),
        ("The council approved the plan and asked the port to", False, False),
        ("Velmora port reopens after the flood", True, False),
    ],
)
def test_cut_off_sentences(sentence: str, last: bool, cut: bool) -> None:
    from digest.text import is_cut_off

    assert is_cut_off(sentence, last=last) is cut


def test_a_link_is_not_reportable() -> None:
    assert not is_reportable("https://news.example.org/castreno/quay/harbour/123")
    assert not is_reportable("See www.example.org/velmora/flood/updates/today")


def test_last_month_named_is_a_recall() -> None:
    assert recalls_past(
        "Ilse Marrow was sworn in last October as interim governor.", date(2026, 2, 17)
    )
