"""clean_text_dump: each furniture shape of a copied page is dropped, the article stays.

The fixture tests/fixtures/clean/harbor_dump.txt is an invented page with every shape from
issue #3; memory_doc_*.txt are four items of one invented source sharing a promo line.
"""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.clean import CleanedText, InMemoryLineMemory, clean_text_dump, line_key

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "clean"
HEADLINE = "Ferry operators agree to restore night crossings after strike talks"


@pytest.fixture(scope="module")
def harbor() -> CleanedText:
    return clean_text_dump((FIXTURES / "harbor_dump.txt").read_text("utf-8"))


def _lines(result: CleanedText) -> list[str]:
    return result.body.split("\n\n")


def test_article_paragraphs_are_kept_in_order(harbor: CleanedText) -> None:
    paragraphs = _lines(harbor)
    assert paragraphs[0].startswith("Ferry operators on the northern route agreed on Monday")
    assert paragraphs[-1].startswith("The port authority will publish a revised timetable")
    expected = [
        "The agreement, reached after eleven hours",
        '"Nobody wanted the boats tied up',
        "Harbor officials said about 12,450 passengers",
        "Local hauliers said the dispute",
    ]
    positions = [next(i for i, p in enumerate(paragraphs) if p.startswith(e)) for e in expected]
    assert positions == sorted(positions)


def test_subheading_between_paragraphs_is_kept(harbor: CleanedText) -> None:
    assert "Freight rates" in _lines(harbor)


def test_title_is_the_headline_without_site_suffix(harbor: CleanedText) -> None:
    assert harbor.title == HEADLINE


def test_double_headline_is_not_repeated_in_body(harbor: CleanedText) -> None:
    assert HEADLINE not in harbor.body
    assert "The Harbor Ledger" not in harbor.body


@pytest.mark.parametrize(
    "furniture",
    [
        "Skip to content",  # navigation
        "Menu",
        "Business",
        "Weather",
        "Sign in",
        "4 MIN READ",  # reading time
        "Published 2025-01-13",  # date line
        "By Marta Quell",  # byline
        "Loading...",
        "Share on Facebook",  # share prompts
        "Tweet",
        "Photo: Reuters",  # photo credit
        "We use cookies",  # cookie notice
        "Accept all",
        "Advertisement",
        "Sign up for our morning newsletter",  # newsletter prompt
        "With AP and Reuters",  # agency line
        "Comments (14)",  # comment widget and the comments themselves
        "Join the conversation",
        "tidewatcher says",
        "My brother has been sleeping at the terminal",
        "early boat on Saturdays",
        "More stories",  # trailing list of unrelated headlines
        "Lighthouse Keepers Return",
        "Fishermen Report Record Mackerel Catch",
        "Privacy Policy",
        "All rights reserved",
    ],
)
def test_furniture_is_dropped(harbor: CleanedText, furniture: str) -> None:
    assert furniture not in harbor.body


def test_glued_related_label_and_its_headline_are_dropped(harbor: CleanedText) -> None:
    assert "Related" not in harbor.body
    assert "City council delays budget vote" not in harbor.body


def test_repeated_caption_appears_at_most_once(harbor: CleanedText) -> None:
    assert harbor.body.count("Passengers queue at the Pier 4 terminal") <= 1


def test_date_line_gives_the_publication_date(harbor: CleanedText) -> None:
    assert harbor.published == datetime(2025, 1, 13, 8, 45, tzinfo=UTC)
    assert harbor.date_source == "content"


def test_line_keys_cover_every_line_once(harbor: CleanedText) -> None:
    assert len(harbor.line_keys) == len(set(harbor.line_keys))
    assert line_key("Skip to content") in harbor.line_keys
    assert line_key(HEADLINE) in harbor.line_keys
    assert "" not in harbor.line_keys


def _memory_docs() -> list[str]:
    return [(FIXTURES / f"memory_doc_{n}.txt").read_text("utf-8") for n in range(1, 5)]


PROMO = "The Valley Courier has covered the county's farms"
PROMO_LINE = (
    "The Valley Courier has covered the county's farms, courts and councils since 1921, "
    "and we remain independent today."
)


def test_line_repeated_across_a_source_is_dropped_with_memory() -> None:
    memory = InMemoryLineMemory()
    results = []
    for doc in _memory_docs():
        result = clean_text_dump(doc, memory=memory)
        memory.remember(result.line_keys)
        results.append(result)
    # The promo reads like a sentence, so a single document cannot tell it from the article...
    assert PROMO in clean_text_dump(_memory_docs()[3]).body
    # ...but once the source has shown it in three earlier items it is furniture.
    last = results[-1]
    assert PROMO not in last.body
    assert last.body.startswith("The town council voted seven to two on Wednesday")
    assert last.title == "Council approves new cycle lanes on High Street"
    assert memory.documents() == 4
    assert memory.count(line_key(PROMO_LINE)) == 4


def test_memory_never_empties_a_document_seen_before() -> None:
    memory = InMemoryLineMemory()
    doc = _memory_docs()[0]
    for _ in range(5):
        memory.remember(clean_text_dump(doc).line_keys)
    again = clean_text_dump(doc, memory=memory)
    assert "Road crews will close the east lane" in again.body


def test_title_hint_wins_over_a_site_name_first_line() -> None:
    dump = "\n".join(
        [
            "Valley Courier",
            "Home",
            "Orchard owners brace for a late frost",
            (
                "Growers across the valley spent the night lighting burners between rows of "
                "apple trees as temperatures fell below freezing for the first time since March."
            ),
            (
                "The weather service expects a second cold night on Thursday before milder air "
                "arrives at the weekend."
            ),
        ]
    )
    result = clean_text_dump(
        dump, title_hint="Orchard owners brace for a late frost - Valley Courier"
    )
    assert result.title == "Orchard owners brace for a late frost"
    assert result.body.startswith("Growers across the valley")
    assert "Orchard owners brace" not in result.body


def test_title_is_found_without_a_page_title_line() -> None:
    dump = "\n".join(
        [
            "News",
            "Sport",
            "Orchard owners brace for a late frost",
            (
                "Growers across the valley spent the night lighting burners between rows of "
                "apple trees as temperatures fell below freezing for the first time since March."
            ),
            (
                "The weather service expects a second cold night on Thursday before milder air "
                "arrives at the weekend."
            ),
        ]
    )
    result = clean_text_dump(dump)
    assert result.title == "Orchard owners brace for a late frost"
    assert result.body.count("\n\n") == 1


def test_hard_wrapped_prose_is_rejoined() -> None:
    dump = "\n".join(
        [
            "Storm closes coastal path - Bay Post",
            "The coastal path between Hollin Point and the harbour will stay",
            "closed until spring after last week's storm washed away two",
            "footbridges, the park authority said on Tuesday.",
            "Walkers are asked to use the inland route, which adds about forty minutes.",
        ]
    )
    body = clean_text_dump(dump).body
    assert body.split("\n\n")[0] == (
        "The coastal path between Hollin Point and the harbour will stay closed until spring "
        "after last week's storm washed away two footbridges, the park authority said on Tuesday."
    )


def test_a_weekday_in_the_body_does_not_date_the_page() -> None:
    """ "voted on Sunday" dates the vote; the page is dated by a stamp, else by its file time."""
    dump = "\n".join(
        [
            "Dockers vote to end walkout | Harbor Ledger",
            (
                "Dockers at the container terminal voted on Sunday to end a five-day walkout "
                "after the port agreed to hire forty more crane operators."
            ),
            "Work is expected to resume on the first shift of the week.",
        ]
    )
    monday = datetime(2025, 3, 3, 18, 0, tzinfo=UTC)
    assert clean_text_dump(dump, reference_time=monday).published is None
    stamped = dump.replace("| Harbor Ledger", "| Harbor Ledger\nUpdated on Sunday")
    result = clean_text_dump(stamped, reference_time=monday)
    assert result.published == datetime(2025, 3, 2, tzinfo=UTC)


@pytest.mark.parametrize("text", ["", "   \n\n  ", "\n"])
def test_empty_input_gives_empty_result(text: str) -> None:
    result = clean_text_dump(text)
    assert result.body == "" and result.title is None and result.published is None


def test_list_announced_by_the_article_is_kept_but_headline_list_is_not() -> None:
    dump = "\n".join(
        [
            "Harbor festival returns with a longer run | Harbor Ledger",
            "Harbor festival returns with a longer run",
            (
                "The harbor festival will run for four weekends this summer instead of two, the "
                "organisers said on Tuesday, after record crowds last year."
            ),
            "Boat parades, a night market and a rowing race are planned, and entry stays free.",
            "Festival weekends:",
            "June 7 \u2013 Pier 4, opening parade",
            "June 14 \u2013 Old Dock, night market",
            "June 21 \u2013 North Quay, rowing race",
            "June 28 \u2013 Pier 4, closing fireworks",
            "More stories",
            "Lighthouse Keepers Return To Cape Morrow",
            "School Board Approves New Bus Routes",
            "Storm Damage Closes Coastal Path Until Spring",
        ]
    )
    body = clean_text_dump(dump).body
    assert "June 21 \u2013 North Quay, rowing race" in body
    assert "June 28 \u2013 Pier 4, closing fireworks" in body
    assert "Lighthouse Keepers" not in body and "More stories" not in body


def test_author_box_after_the_article_is_dropped() -> None:
    dump = "\n".join(
        [
            "Why the ferry timetable keeps slipping | Harbor Ledger",
            "Why the ferry timetable keeps slipping",
            (
                "The ferry timetable has slipped three times this winter, and each delay has the "
                "same cause: too few licensed deck officers to cover the night shifts."
            ),
            (
                "The operators say training takes two years, so the shortage will not ease before "
                "2027 unless crews are recruited from abroad, which the union opposes."
            ),
            "About Marta Quell",
            (
                "Marta Quell has covered the harbor, its unions and its ferries for the Ledger "
                "since 2015, and before that reported on shipping for a trade weekly."
            ),
        ]
    )
    body = clean_text_dump(dump).body
    assert "too few licensed deck officers" in body
    assert "recruited from abroad" in body
    assert "About Marta Quell" not in body and "trade weekly" not in body


def test_list_article_under_the_headline_is_the_body() -> None:
    dump = "\n".join(
        [
            "Rowing league 2025 calendar | Harbor Ledger",
            "Rowing",
            "Rowing league 2025 calendar",
            "Share",
            "Round 1: 8 March \u2013 North Quay",
            "Round 2: 5 April \u2013 Old Dock",
            "Round 3: 3 May \u2013 Cape Morrow",
            "Round 4: 7 June \u2013 North Quay",
            "Round 5: 5 July \u2013 Pier 4",
            "Tags",
            (
                "Click the photo above to read every column our rowing writer has published this "
                "season, from the winter trials to the spring regatta."
            ),
        ]
    )
    result = clean_text_dump(dump)
    assert result.title == "Rowing league 2025 calendar"
    assert result.body.split("\n\n")[0] == "Round 1: 8 March \u2013 North Quay"
    assert "Round 5: 5 July \u2013 Pier 4" in result.body
    assert "Click the photo above" not in result.body


def test_paragraph_cut_short_by_a_paywall_is_kept() -> None:
    dump = "\n".join(
        [
            "Is the ferry subsidy legal? | Harbor Ledger",
            "Is the ferry subsidy legal?",
            (
                "The county's plan to pay the ferry operators directly has drawn a complaint to the "
                "competition regulator from a rival coach company."
            ),
            (
                "Lawyers say the case turns on whether the night service counts as a public "
                "obligation, which the county has never formally declared, and on how the..."
            ),
            "Subscribe to read the full story",
        ]
    )
    body = clean_text_dump(dump).body
    assert "which the county has never formally declared" in body
    assert "Subscribe" not in body


_BODY = [
    "Ferry strike ends after talks | Harbor Ledger",
    "Ferry strike ends after talks",
    (
        "Ferry operators on the northern route agreed on Monday to restore night crossings from "
        "next week, ending a three-week dispute that had stranded commuters."
    ),
    (
        "The agreement raises overtime pay for deck crews by 6.5 percent and caps shifts at ten "
        "hours, according to a joint statement from the operators and the union."
    ),
    (
        "Harbor officials said about 12,450 passengers a week had been forced onto the longer "
        "coastal road since the night service stopped before Christmas."
    ),
]


@pytest.mark.parametrize(
    "furniture",
    [
        "RecommendedStorm closes coastal path until spring",
        "READ MORE: Storm closes coastal path until spring",
        "Related: Storm closes coastal path until spring",
        "3 min read",
        "Reading time: 4 minutes",
        "Loading\u2026",
        "Share this article",
        "Click to share on WhatsApp (Opens in new window)",
        "Subscribe to our newsletter for the latest harbor news in your inbox",
        "(Photo by Ana Ruiz/Getty Images)",
        "Image 2 of 7",
        "Advertisement",
        "Reuters / AFP",
        "Staff and agencies",
        "We use cookies on this website. By continuing to use the site you accept our cookie policy.",
        "Get Harbor Monthly delivered every month. 12 issues for 11.99. Click here for details.",
        "Have a tip? Ana Ruiz may be reached at aruiz@harbor.example. Follow her on Twitter.",
    ],
)
def test_furniture_inside_the_body_is_dropped_and_the_body_kept(furniture: str) -> None:
    lines = [*_BODY[:3], furniture, *_BODY[3:]]
    body = clean_text_dump("\n".join(lines)).body
    assert body.split("\n\n") == _BODY[2:]


def test_text_hard_wrapped_at_a_fixed_width_is_unwrapped() -> None:
    first = (
        "Ferry operators on the northern route agreed on Monday to restore night crossings "
        "from next week. Ines Darrow, the union's regional secretary, said crews would return "
        "on the 20th. The agreement was reached after eleven hours of talks."
    )
    second = (
        "Harbor officials said about 12,450 passengers a week had been forced onto the longer "
        "coastal road. Mr. Osei, who runs a fleet of nine lorries, said fuel had cost him "
        "3.5 percent of his turnover."
    )
    text = "Ferry strike ends\n\n" + textwrap.fill(first, 60) + "\n\n" + textwrap.fill(second, 60)
    result = clean_text_dump(text)
    assert result.title == "Ferry strike ends"
    assert result.body == first + "\n\n" + second


def test_a_quoted_social_post_stays_in_the_body() -> None:
    lines = [
        *_BODY[:3],
        "Ferry fans were quick to react: finally, night crossings are back https://t.example/x1",
        "\u2014 Dana Roe (@danaroe) November 18, 2019",
        *_BODY[3:],
    ]
    body = clean_text_dump("\n".join(lines)).body.split("\n\n")
    assert "\u2014 Dana Roe (@danaroe) November 18, 2019" in body
    assert any(p.startswith("Ferry fans were quick to react") for p in body)


KICKER_PAGE = [
    "date 2025-01-13 NORTHLAND",
    "4 MIN READ",
    "Ferry strike ends after eleven hours of talks",
    "Ferry strike ends after eleven hours of talks",
    *_BODY[2:],
]


def test_a_kicker_line_is_never_the_title() -> None:
    result = clean_text_dump("\n".join(KICKER_PAGE))
    assert result.title == "Ferry strike ends after eleven hours of talks"
    assert result.body.split("\n\n") == _BODY[2:]


def test_the_printed_headline_wins_over_the_page_titles_seo_wording() -> None:
    page = [
        "Night ferries return as strike ends, union says - Harbor Ledger",
        "News",
        "Sports",
        "Weather",
        "'We are back,' say ferry crews as night strike ends",
        "Ana Ruiz",
        "Published 10:02 AM Jan 13, 2025",
        *_BODY[2:],
    ]
    result = clean_text_dump("\n".join(page))
    assert result.title == "'We are back,' say ferry crews as night strike ends"
    assert result.published is not None and result.published.date().isoformat() == "2025-01-13"


def test_a_related_link_above_the_body_is_not_the_headline() -> None:
    page = [
        "Ferry strike ends after talks | Harbor Ledger",
        "Ferry strike ends after talks",
        "Storm closes coastal path until spring",
        "Ferry timetables for the winter season",
        *_BODY[2:],
    ]
    assert clean_text_dump("\n".join(page)).title == "Ferry strike ends after talks"


@pytest.mark.parametrize(
    "line",
    [
        "\u0647\u0630\u0627 \u0646\u0635 \u0637\u0648\u064a\u0644\u061f",  # Arabic, ends in "?"
        "\u092f\u0939 \u090f\u0915 \u0935\u093e\u0915\u094d\u092f \u0939\u0948\u0964",  # Hindi, danda
    ],
)
def test_sentence_ends_of_other_scripts_are_sentence_ends(line: str) -> None:
    from digest.clean.lines import analyse_line

    assert analyse_line(line).sentence_end


def test_a_caption_ending_in_its_credit_and_the_credit_line_under_it_are_dropped() -> None:
    caption = (
        "Rescue boats at the flooded square in Castreno on Sunday / Photo: Coastal Press Archive"
    )
    lines = [*_BODY[:3], caption, "Coastal Press Archive", *_BODY[3:]]
    assert clean_text_dump("\n".join(lines)).body.split("\n\n") == _BODY[2:]


def test_a_tag_list_ends_the_article() -> None:
    policy = (
        "As you comment, please be respectful of other readers and keep the conversation civil, "
        "on topic and free of personal attacks, or your comment may be removed by our moderators "
        "without notice at any time."
    )
    lines = [*_BODY, "Tags:", "Ferries", "Harbor", policy]
    assert clean_text_dump("\n".join(lines)).body.split("\n\n") == _BODY[2:]


def test_a_wire_dateline_opens_the_article_and_links_above_it_are_not_body() -> None:
    lines = [
        *_BODY[:2],
        "Night buses to replace the ferry are on the rise. These maps show where they run.",
        "Skimming device found at harbor kiosk",
        "PORT ELM, Northland \u2014 " + _BODY[2],
        *_BODY[3:],
    ]
    body = clean_text_dump("\n".join(lines)).body.split("\n\n")
    assert body[0].startswith("PORT ELM, Northland") and len(body) == 3
