"""split_sentences: the cases news text throws at a rule-based splitter."""

from __future__ import annotations

import pytest

from digest.text import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The vote failed. Talks resume Monday.", ["The vote failed.", "Talks resume Monday."]),
        ("Mr. Osei and Dr. Lund met Gov. Hale.", ["Mr. Osei and Dr. Lund met Gov. Hale."]),
        ("Sen. Ortiz spoke first. She was brief.", ["Sen. Ortiz spoke first.", "She was brief."]),
        ("The U.S. economy grew 3.5 percent.", ["The U.S. economy grew 3.5 percent."]),
        (
            "He moved to the U.S. The next year he left.",
            ["He moved to the U.S.", "The next year he left."],
        ),
        ("It happened on Jan. 13 in the port.", ["It happened on Jan. 13 in the port."]),
        ("J. K. Rowling and George W. Bush met.", ["J. K. Rowling and George W. Bush met."]),
        ("A crowd of 12,450 watched. It rained.", ["A crowd of 12,450 watched.", "It rained."]),
        ("Prices rose 3.5% in May. Wages did not.", ["Prices rose 3.5% in May.", "Wages did not."]),
        ('"We will win." She left.', ['"We will win."', "She left."]),
        (
            "\u201cWe will win,\u201d she said. \u201cNo doubt.\u201d",
            ["\u201cWe will win,\u201d she said.", "\u201cNo doubt.\u201d"],
        ),
        ('"Is it over?" she asked.', ['"Is it over?" she asked.']),
        ("Really? Yes! Fine.", ["Really?", "Yes!", "Fine."]),
        (
            "Acme Inc. said profit fell. The shares slid.",
            ["Acme Inc. said profit fell.", "The shares slid."],
        ),
        ("Shares of Acme Inc. The board met.", ["Shares of Acme Inc.", "The board met."]),
        ("It ended at 10 p.m. Police left.", ["It ended at 10 p.m.", "Police left."]),
        ("See e.g. the 2019 report.", ["See e.g. the 2019 report."]),
        ("He waited\u2026 Then he left.", ["He waited\u2026", "Then he left."]),
        (
            "It was the (old) port. (It closed.) Then...",
            ["It was the (old) port.", "(It closed.)", "Then..."],
        ),
        ("First line\nSecond line", ["First line", "Second line"]),
        ("Para one.\n\nPara two.", ["Para one.", "Para two."]),
        ("", []),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_whitespace_inside_a_sentence_is_squeezed() -> None:
    assert split_sentences("The  port\treopened.   Ships  moved.") == [
        "The port reopened.",
        "Ships moved.",
    ]
