"""extract_html, html_fragment_to_text and markdown_to_text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.clean import extract_html, html_fragment_to_text, markdown_to_text

PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "clean" / "harbor_page.html"


@pytest.fixture(scope="module")
def page_bytes() -> bytes:
    return PAGE.read_bytes()


def test_page_main_text_title_and_date(page_bytes: bytes) -> None:
    result = extract_html(page_bytes, url="https://harborledger.example/news/ferry")
    assert result.title == "Ferry operators agree to restore night crossings"
    paragraphs = result.body.split("\n\n")
    assert paragraphs[0].startswith("Ferry operators on the northern route agreed")
    assert paragraphs[-1].startswith("The port authority will publish")
    assert "\u201cNobody wanted the boats" in result.body
    assert result.published is not None and result.published.date().isoformat() == "2025-01-13"
    assert result.published.tzinfo is not None
    assert result.date_source == "content"


@pytest.mark.parametrize(
    "furniture",
    [
        "Weather",
        "We use cookies",
        "Privacy Policy",
        "All rights reserved",
        "tidewatcher",
        "dataLayer",
    ],
)
def test_page_furniture_is_dropped(page_bytes: bytes, furniture: str) -> None:
    assert furniture not in extract_html(page_bytes).body


def test_headline_is_not_repeated_in_body(page_bytes: bytes) -> None:
    result = extract_html(page_bytes)
    assert not result.body.startswith("Ferry operators agree to restore night crossings")


def test_page_date_respects_the_reference_time(page_bytes: bytes) -> None:
    # A page "from the future" relative to the file time does not keep that date.
    result = extract_html(page_bytes, reference_time=datetime(2024, 6, 1, tzinfo=UTC))
    assert result.published is None or result.published <= datetime(2024, 6, 2, tzinfo=UTC)


def test_page_as_str_and_bytes_agree(page_bytes: bytes) -> None:
    assert extract_html(page_bytes).body == extract_html(page_bytes.decode("utf-8")).body


def test_empty_page() -> None:
    result = extract_html("")
    assert result.body == "" and result.title is None


def test_fragment_to_paragraphs() -> None:
    fragment = (
        "<p>The <b>ferry</b> strike <a href='x'>ended</a>.</p><p>Night crossings resume."
        "<br>Tickets on sale Friday.</p><ul><li>Route A</li><li>Route B</li></ul>"
        "<script>alert(1)</script><style>p{}</style>Fares &amp; times"
    )
    assert html_fragment_to_text(fragment) == (
        "The ferry strike ended.\n\nNight crossings resume.\n\nTickets on sale Friday."
        "\n\nRoute A\n\nRoute B\n\nFares & times"
    )


def test_fragment_plain_text_and_entities() -> None:
    assert html_fragment_to_text("Caf&eacute; &lt;b&gt; stays text") == "Caf\u00e9 <b> stays text"
    assert html_fragment_to_text("") == ""


def test_fragment_removes_invisible_characters() -> None:
    assert html_fragment_to_text("<p>Po\u200brt\u202e</p>") == "Port"


def test_markdown_to_text_leaves_no_markup() -> None:
    md = (
        "# Ferry strike ends\n\nOperators **agreed** on _Monday_ to restore [night crossings]"
        "(https://example.com).\n\n- Route A\n- Route B\n\n> A quote here.\n\n"
        "![pier](pier.jpg)\n\n```\ntimetable v2\n```\n"
    )
    text = markdown_to_text(md)
    assert text == (
        "Ferry strike ends\n\nOperators agreed on Monday to restore night crossings."
        "\n\nRoute A\n\nRoute B\n\nA quote here.\n\ntimetable v2"
    )
    for mark in ("#", "**", "_", "[", "](", "```", ">"):
        assert mark not in text


def test_markdown_empty() -> None:
    assert markdown_to_text("   ") == ""


def test_table_rows_become_plain_text() -> None:
    page = (
        "<html><head><title>Ferry returns | Ledger</title></head><body><article>"
        "<p>The night ferry returns on Monday after a three-week strike, the operators said in a "
        "statement on Sunday evening.</p><table><tr><th>Route</th><th>First sailing</th></tr>"
        "<tr><td>North</td><td>21:30</td></tr></table></article></body></html>"
    )
    body = extract_html(page).body
    assert "|" not in body
    assert "North; 21:30" in body


def test_page_without_main_text_falls_back_to_the_dump_cleaner(
    monkeypatch: pytest.MonkeyPatch, page_bytes: bytes
) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    result = extract_html(page_bytes)
    assert result.body.startswith("Ferry operators on the northern route agreed")
    assert "We use cookies" not in result.body and "Privacy Policy" not in result.body
    assert result.title == "Ferry operators agree to restore night crossings"


def test_feed_footer_lines_are_dropped() -> None:
    fragment = (
        "<p>The ferry runs again.</p><p><a href='x'>Continue reading &rarr;</a></p>"
        "<p>The post <a href='y'>Ferry back</a> appeared first on Harbor Ledger.</p>"
    )
    assert html_fragment_to_text(fragment) == "The ferry runs again."
