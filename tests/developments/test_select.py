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


def test_a_title_only_entry_reports_its_title() -> None:
    entry = item(
        "flood-7", date(2025, 3, 24), "Velmora bridges reopen to traffic after flood repairs", ""
    )
    devs = story_developments([entry], [FLOOD], CONFIG)
    assert [d.text for d in devs] == ["Velmora bridges reopen to traffic after flood repairs"]


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
