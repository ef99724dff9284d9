"""The developments stage on invented stories: recaps, repeated facts, changed figures, first reports."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from digest.config import DevelopmentsConfig
from digest.developments.select import story_developments
from digest.models import Article, StoredItem

CONFIG = DevelopmentsConfig()


def item(
    item_id: str,
    day: date,
    title: str,
    text: str,
    source: str = "Harbor Ledger",
    reported: bool = False,
    duplicate_of: str | None = None,
) -> StoredItem:
    published = datetime(day.year, day.month, day.day, 8, 0, tzinfo=UTC)
    article = Article(
        id=item_id,
        source=source,
        origin=f"inbox.jsonl:{item_id}",
        title=title,
        text=text,
        url=f"https://news.example.org/{item_id}",
        canonical_url=f"https://news.example.org/{item_id}",
        published=published,
        date_source="content",
        content_hash=item_id,
    )
    return StoredItem(
        article,
        day,
        published,
        story_id="s-flood",
        reported_on=day if reported else None,
        duplicate_of=duplicate_of,
    )


FLOOD_DAY = date(2025, 3, 2)
FLOOD = item(
    "flood-1",
    FLOOD_DAY,
    "Arda river floods Velmora valley, killing 148",
    "At least 148 people were killed when the Arda river burst its banks in the Velmora valley on Sunday.\n\n"
    "Rescue teams from three provinces searched collapsed homes through the night, and the regional "
    "governor, Ilse Marrow, declared a state of emergency.\n\n"
    "Some 30,000 residents were moved to schools and sports halls in the town of Castreno.\n\n"
    "Read more: our live coverage of the storms",
    reported=True,
)
RECAP_AND_NEWS = (
    "The Velmora valley disaster began when the Arda burst its banks in early March, killing at least 148 "
    "people.\n\n"
    "Governor Ilse Marrow declared an emergency as rescuers from three provinces searched wrecked homes.\n\n"
    "On Thursday the regional parliament approved a reconstruction fund for the valley's bridges and schools."
)


def test_a_paraphrased_recap_is_old_news_and_the_new_fact_is_reported() -> None:
    today = item(
        "flood-2",
        date(2025, 3, 20),
        "Parliament approves Velmora reconstruction fund",
        RECAP_AND_NEWS,
    )
    devs = story_developments([today], [FLOOD], CONFIG)
    assert [d.text for d in devs] == [
        "On Thursday the regional parliament approved a reconstruction fund for the valley's bridges and schools."
    ]
    assert devs[0].kind == "new"
    assert devs[0].item_id == "flood-2" and devs[0].source == "Harbor Ledger"
    assert devs[0].url == "https://news.example.org/flood-2" and devs[0].published is not None


def test_a_changed_count_months_later_is_reported_with_its_previous_value_and_date() -> None:
    later = item(
        "flood-3",
        date(2025, 6, 12),
        "Velmora flood death toll rises to 212 as last missing are found",
        "The floods that swept the Velmora valley in March have now killed 212 people, the regional "
        "government said on Thursday.\n\n"
        "After the Arda river burst its banks in March, rescue teams from three provinces searched collapsed homes.\n\n"
        "Governor Ilse Marrow said the last of the missing had been identified.",
    )
    devs = story_developments([later], [FLOOD], CONFIG)
    changed = [d for d in devs if d.kind == "changed"]
    assert len(changed) == 1
    assert "212" in changed[0].text
    assert changed[0].previous == "148 reported on 2025-03-02"
    assert devs[0] is changed[0]  # a moved figure leads
    assert all("burst its banks" not in d.text for d in devs)  # the reordered recap is old news


def test_a_figure_restated_with_its_old_value_is_not_a_change() -> None:
    today = item(
        "flood-2",
        date(2025, 3, 20),
        "Parliament approves Velmora reconstruction fund",
        RECAP_AND_NEWS,
    )
    devs = story_developments([today], [FLOOD], CONFIG)
    assert all(d.kind != "changed" for d in devs)


def test_a_separate_incident_count_is_new_not_a_change() -> None:
    first = item(
        "blast-1",
        date(2025, 5, 1),
        "Market bombing in Tessaly kills 26",
        "A car bomb in a crowded market in Tessaly killed 26 people on Thursday, police said.",
        reported=True,
    )
    second = item(
        "blast-2",
        date(2025, 5, 9),
        "Checkpoint attack near Oran Bridge kills nine",
        "Gunmen attacked an army checkpoint near the Oran Bridge, killing 9 soldiers before fleeing north.",
    )
    devs = story_developments([second], [first], CONFIG)
    assert devs and all(d.kind == "new" for d in devs)


def test_the_same_new_fact_from_several_sources_appears_once_citing_them() -> None:
    texts = {
        "Harbor Ledger": "The regional parliament approved a reconstruction fund for the valley's bridges and schools on Thursday.",
        "Valley Wire": "On Thursday the regional parliament approved a reconstruction fund for bridges and schools in the valley.",
        "Northfield Courier": "A reconstruction fund for the valley's schools and bridges was approved by the regional parliament.",
    }
    today = [
        item(
            f"fund-{n}", date(2025, 3, 20), "Velmora reconstruction fund approved", text, source=src
        )
        for n, (src, text) in enumerate(texts.items())
    ]
    devs = story_developments(today, [FLOOD], CONFIG)
    assert len(devs) == 1
    assert devs[0].source == "Harbor Ledger"
    assert set(devs[0].also_reported_by) == {"Valley Wire", "Northfield Courier"}


def test_a_folded_duplicate_cites_its_source_too() -> None:
    original = item(
        "fund-0", date(2025, 3, 20), "Velmora reconstruction fund approved", RECAP_AND_NEWS
    )
    copy = item(
        "fund-copy",
        date(2025, 3, 20),
        "Velmora reconstruction fund approved",
        RECAP_AND_NEWS,
        source="Coastline Times",
        duplicate_of="fund-0",
    )
    devs = story_developments([original, copy], [FLOOD], CONFIG)
    assert devs and devs[0].also_reported_by == ("Coastline Times",)


def test_a_first_report_gives_its_lead_facts_only() -> None:
    fresh = replace(FLOOD, reported_on=None)
    devs = story_developments([fresh], [], CONFIG)
    assert 1 <= len(devs) <= CONFIG.first_per_story
    assert all(d.kind == "first" for d in devs)
    assert devs[0].text.startswith("At least 148 people were killed")
    assert all("Read more" not in d.text for d in devs)


def test_furniture_questions_and_captions_are_never_developments() -> None:
    today = item(
        "flood-4",
        date(2025, 3, 21),
        "Velmora bridges to reopen next week",
        "What do you think of the reconstruction plan?\n\n"
        "Sign up for our newsletter to get the latest updates on the recovery effort.\n\n"
        "Volunteers clear mud from a school in Castreno (Photo: Dana Ruiz/Harbor Ledger)\n\n"
        "Storm Season Live Updates Flood Warnings Across The Region\n\n"
        "Engineers said the two main bridges into the valley would reopen to traffic next Tuesday.",
    )
    devs = story_developments([today], [FLOOD], CONFIG)
    assert [d.text for d in devs] == [
        "Engineers said the two main bridges into the valley would reopen to traffic next Tuesday."
    ]


MANY_NEW_FACTS = (
    "The regional parliament approved a reconstruction fund for the valley's bridges and schools.",
    "A second levee upstream of Castreno was reinforced with sandbags by army engineers.",
    "Insurers in Pardo estimated claims from farmers at several hundred policies.",
    "The national weather office forecast dry conditions for the coming fortnight.",
    "A memorial concert for the victims is planned in the cathedral square in May.",
)


def test_at_most_per_story_developments_most_salient_first() -> None:
    text = "\n\n".join(MANY_NEW_FACTS)
    today = item(
        "flood-5", date(2025, 3, 22), "Parliament approves reconstruction fund for Velmora", text
    )
    devs = story_developments([today], [FLOOD], DevelopmentsConfig(per_story=2))
    assert len(devs) == 2
    assert devs[0].text.startswith("The regional parliament approved")
    assert devs[0].score >= devs[1].score


def test_nothing_new_gives_no_developments() -> None:
    recap = item(
        "flood-6",
        date(2025, 3, 23),
        "Arda floods in Velmora valley killed 148",
        "The Arda river burst its banks in the Velmora valley, killing at least 148 people.\n\n"
        "Governor Ilse Marrow declared a state of emergency as rescue teams searched collapsed homes.",
    )
    assert story_developments([recap], [FLOOD], CONFIG) == ()


def test_a_title_only_entry_is_a_new_storys_lead_not_a_development() -> None:
    for body in ("", "Velmora bridges reopen to traffic after flood repairs"):
        entry = replace(
            item(
                "flood-7",
                date(2025, 3, 24),
                "Velmora bridges reopen to traffic after repairs",
                body,
            )
        )
        assert story_developments([entry], [], CONFIG) == ()


def test_a_title_only_follow_up_reports_its_headline_beside_the_storys_older_title() -> None:
    for body in ("", "Velmora bridges reopen to traffic after flood repairs."):
        entry = item(
            "flood-7",
            date(2025, 3, 24),
            "Velmora bridges reopen to traffic after flood repairs",
            body,
        )
        devs = story_developments([entry], [FLOOD], CONFIG)
        assert [d.text for d in devs] == [body or entry.article.title]


def test_a_sentence_repeating_the_headline_gives_way_to_the_first_informative_one() -> None:
    fresh = item(
        "quay-1",
        date(2025, 4, 2),
        "Castreno quay collapses into the harbour",
        "Castreno quay collapses into the harbour.\n\n"
        "A 40-metre section of the old fishing quay slid into the water before dawn, taking two "
        "parked lorries with it, the port authority said.",
    )
    devs = story_developments([fresh], [], CONFIG)
    assert devs and devs[0].text.startswith("A 40-metre section")
    assert all(d.text != "Castreno quay collapses into the harbour." for d in devs)


def test_a_sentence_cut_by_the_feed_is_completed_from_a_fuller_telling_or_left_out() -> None:
    cut = item(
        "quay-2",
        date(2025, 4, 3),
        "Divers search Castreno harbour",
        "Divers searched Castreno harbour on Thursday for the driver of a lorry that fell with the "
        "quay, and the port authority closed the northern basin to\u2026",
    )
    devs = story_developments([cut], [FLOOD], CONFIG)
    assert devs == ()
    full = item(
        "quay-3",
        date(2025, 4, 3),
        "Castreno harbour basin closed",
        "Divers searched Castreno harbour on Thursday for the driver of a lorry that fell with the "
        "quay, and the port authority closed the northern basin to all shipping until Monday.",
        source="Valley Wire",
    )
    devs = story_developments([cut, full], [FLOOD], CONFIG)
    assert devs and devs[0].text.endswith("until Monday.")
    assert all(not d.text.endswith("\u2026") for d in devs)


def test_a_sentence_stopping_on_a_function_word_is_cut_too() -> None:
    cut = item(
        "quay-4",
        date(2025, 4, 3),
        "Divers search Castreno harbour",
        "Divers searched Castreno harbour on Thursday for the driver of a lorry that fell with the",
    )
    assert story_developments([cut], [FLOOD], CONFIG) == ()


def test_a_link_is_never_a_development() -> None:
    link = item(
        "quay-5", date(2025, 4, 3), "Castreno harbour", "https://news.example.org/castreno/quay/123"
    )
    assert story_developments([link], [FLOOD], CONFIG) == ()


def test_the_same_moved_figure_in_other_words_is_one_change_citing_both() -> None:
    ledger = item(
        "toll-1",
        date(2025, 6, 12),
        "Velmora flood death toll rises to 212",
        "The death toll from the Velmora valley floods has risen to 212, the regional government said.",
    )
    wire = item(
        "toll-2",
        date(2025, 6, 12),
        "Velmora floods: 212 now confirmed dead",
        "Officials in Castreno now say 212 people have been killed by the March floods in the valley.",
        source="Valley Wire",
    )
    devs = story_developments([ledger, wire], [FLOOD], CONFIG)
    changed = [d for d in devs if d.kind == "changed"]
    assert len(changed) == 1
    assert changed[0].previous == "148 reported on 2025-03-02"
    assert changed[0].also_reported_by == ("Valley Wire",)


def _war(item_id: str, day: date, title: str, text: str, reported: bool = False) -> StoredItem:
    return item(item_id, day, title, text, reported=reported)


WAR_BEFORE = _war(
    "war-1",
    date(2025, 1, 14),
    "Fighting spreads in Tessaly as Oran talks stall",
    "A shell hit a market in Marsa on Sunday, killing 26 people, the Relief Council said.\n\n"
    "More than 3,000 people have since been killed in Tessaly, according to the Relief Council.",
    reported=True,
)


def test_a_running_total_over_a_span_moves_on_from_the_largest_earlier_count() -> None:
    later = _war(
        "war-2",
        date(2025, 6, 3),
        "Tessaly army and Northern Front agree to resume Oran talks",
        "The army and the Northern Front agreed on Tuesday to resume talks in Oran next month.\n\n"
        "The conflict has killed nearly 4,500 people, most of them civilians, since April 2023, "
        "despite repeated calls for a truce.",
    )
    devs = story_developments([later], [WAR_BEFORE], CONFIG)
    assert devs[0].kind == "changed" and "4,500" in devs[0].text
    assert devs[0].previous == "3,000 reported on 2025-01-14"


def test_a_new_incident_worded_with_has_is_not_a_running_total() -> None:
    later = _war(
        "war-3",
        date(2025, 6, 3),
        "Second shelling of Marsa market",
        "A second shell has killed 31 people at the same market in Marsa, the Relief Council said.",
    )
    devs = story_developments([later], [WAR_BEFORE], CONFIG)
    assert devs and all(d.kind != "changed" for d in devs)


def test_changed_figures_are_kept_and_first_whatever_the_per_story_limit() -> None:
    text = "\n\n".join(
        (
            *MANY_NEW_FACTS[:3],
            "The floods that swept the Velmora valley in March have now killed 212 people, the "
            "regional government said.",
        )
    )
    today = item("flood-9", date(2025, 6, 12), "Parliament approves reconstruction fund", text)
    devs = story_developments([today], [FLOOD], DevelopmentsConfig(per_story=1))
    assert [d.kind for d in devs] == ["changed"]
    devs = story_developments([today], [FLOOD], DevelopmentsConfig(per_story=3))
    assert devs[0].kind == "changed" and len(devs) == 3


def test_the_same_count_in_two_wordings_is_one_fact() -> None:
    texts = {
        "Harbor Ledger": "More than 80 fishermen and dock workers who have worked in the Castreno "
        "harbour, including Ilse Marrow, signed an open letter on Tuesday asking the port authority "
        "to reopen the northern basin.",
        "Valley Wire": "More than 80 harbour figures including dock workers and Ilse Marrow issued "
        "a letter on Tuesday criticising the port authority's silence on the northern basin.",
    }
    today = [
        item(f"letter-{n}", date(2025, 4, 8), "Castreno dock workers write to port", t, source=src)
        for n, (src, t) in enumerate(texts.items())
    ]
    devs = story_developments(today, [FLOOD], CONFIG)
    assert len([d for d in devs if "More than 80" in d.text]) == 1


def test_a_list_marker_is_not_part_of_a_development() -> None:
    today = item(
        "quay-6",
        date(2025, 4, 3),
        "Castreno harbour",
        "\u2022 Engineers said the two main bridges into the valley would reopen to traffic next Tuesday.",
    )
    devs = story_developments([today], [FLOOD], CONFIG)
    assert devs and devs[0].text.startswith("Engineers said")


def test_on_a_new_storys_first_day_no_development_repeats_any_of_its_headlines() -> None:
    lead = item(
        "quay-7",
        date(2025, 4, 2),
        "Castreno quay collapses into the harbour",
        "A 40-metre section of the old fishing quay slid into the water before dawn, taking two "
        "parked lorries with it, the port authority said.",
    )
    other = item(
        "quay-8",
        date(2025, 4, 2),
        "Old fishing quay gives way in Castreno",
        "The old Castreno quay collapses into the harbour.",
        source="Valley Wire",
    )
    devs = story_developments([lead, other], [], CONFIG)
    assert devs and all("collapses into the harbour" not in d.text for d in devs)
