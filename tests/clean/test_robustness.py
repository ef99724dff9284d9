"""Property tests: the cleaners never crash and never invent text, whatever the input."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from digest.clean import (
    clean_text_dump,
    decode_bytes,
    find_date,
    html_fragment_to_text,
    line_key,
    markdown_to_text,
)
from digest.text import split_sentences

LINES = st.lists(
    st.one_of(
        st.text(max_size=120),
        st.sampled_from(
            [
                "Home",
                "4 MIN READ",
                "Photo: Reuters",
                "Loading...",
                "Comments (3)",
                "More stories",
                "RelatedCouncil delays vote",
                "The council voted on Monday to delay the budget by a month, officials said.",
                "June 7 \u2013 Pier 4, opening parade",
                "date 2025-01-13",
            ]
        ),
    ),
    max_size=40,
)
REF = datetime(2025, 3, 4, 12, tzinfo=UTC)


@settings(max_examples=150, deadline=None)
@given(LINES)
def test_text_dump_body_only_holds_input_words(lines: list[str]) -> None:
    text = "\n".join(lines)
    result = clean_text_dump(text, reference_time=REF)
    source_words = set(line_key(text).split())
    assert set(line_key(result.body).split()) <= source_words
    assert "\n\n\n" not in result.body
    if result.published is not None:
        assert result.published.tzinfo is not None
        assert result.published.year >= 1990
        assert (result.published - REF).days < 1


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_decode_bytes_never_fails_and_leaves_no_controls(data: bytes) -> None:
    text = decode_bytes(data)
    assert "\r" not in text
    assert not any(ord(c) < 32 and c not in "\n\t" for c in text)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_text_helpers_never_fail(text: str) -> None:
    split_sentences(text)
    find_date(text, reference_time=REF)
    html_fragment_to_text(text)
    markdown_to_text(text)
