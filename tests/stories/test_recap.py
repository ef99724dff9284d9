"""Recap evidence: a follow-up whose background restates a story's latest reports joins that story.

The fixtures are an invented long-running conflict: each day's lead is a different incident, the
background paragraph recaps the conflict in new words. A template article about another conflict
(the same sentences, other names) and an unrelated article must not count as recaps.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from digest.stories.recap import group_sentences, measure_recap
from tests.stories.test_assign import CONFIG, open_store, run_day, started

BACKGROUND_1 = (
    "The Corvane conflict began in March 2024, when the Northern Front seized the port of Abrena "
    "and declared a rival government under Oskar Vehl. Fighting has since displaced more than "
    "300,000 people. Peace talks hosted by Lumeria collapsed in the summer after Vehl's envoys "
    "walked out."
)
# the same background told again, in new words
BACKGROUND_2 = (
    "The war in Corvane started in March 2024 when the Northern Front captured the port of Abrena "
    "and set up a rival government led by Oskar Vehl. The fighting has displaced over 300,000 "
    "people. Talks hosted by Lumeria broke down in the summer when Vehl's envoys walked out."
)
# another conflict on the same template: other names, the same sentences
TEMPLATE = (
    "The Sarrow conflict began in May 2023, when the Southern Alliance seized the port of Meridan "
    "and declared a rival government under Anton Rask. Fighting has since displaced more than "
    "200,000 people. Peace talks hosted by Vessia collapsed in the winter after Rask's envoys "
    "walked out."
)

DAY_1 = (
    "Militants attack army convoy near Tessaly",
    "Militants attacked an army supply convoy near Tessaly on Monday, killing 14 soldiers, the "
    "defence ministry said. The convoy was carrying fuel to the garrison at Dorn. " + BACKGROUND_1,
    [("Tessaly", "GPE"), ("Dorn", "GPE"), ("Corvane", "GPE"), ("Northern Front", "ORG"),
     ("Abrena", "GPE"), ("Oskar Vehl", "PERSON"), ("Lumeria", "GPE")],
)  # fmt: skip
DAY_3 = (
    "Lawmakers in Varos approve emergency budget for shelters",
    "Lawmakers in Varos approved an emergency budget of 2 billion marks for shelters and schools "
    "on Wednesday after a stormy session. Finance minister Petra Lind said the money would reach "
    "the camps within weeks. " + BACKGROUND_2,
    [("Varos", "GPE"), ("Petra Lind", "PERSON"), ("Corvane", "GPE"), ("Northern Front", "ORG"),
     ("Abrena", "GPE"), ("Oskar Vehl", "PERSON"), ("Lumeria", "GPE")],
)  # fmt: skip
DAY_3_WITHOUT_BACKGROUND = (DAY_3[0], DAY_3[1].removesuffix(BACKGROUND_2).strip(), DAY_3[2][:2])
OTHER_CONFLICT = (
    "Lawmakers in Kestel approve emergency budget for shelters",
    "Lawmakers in Kestel approved an emergency budget of 3 billion crowns for shelters and schools "
    "on Wednesday after a stormy session. Finance minister Ada Morrow said the money would reach "
    "the camps within weeks. " + TEMPLATE,
    [("Kestel", "GPE"), ("Ada Morrow", "PERSON"), ("Sarrow", "GPE"), ("Southern Alliance", "ORG"),
     ("Meridan", "GPE"), ("Anton Rask", "PERSON"), ("Vessia", "GPE")],
)  # fmt: skip

# A threshold no follow-up here reaches on similarity alone, so only the recap can join it.
STRICT = dataclasses.replace(CONFIG, join_threshold=0.95)


def test_paraphrased_background_restates_the_story() -> None:
    recap = measure_recap(group_sentences([DAY_3[1]]), [(DAY_1[0], DAY_1[1])], CONFIG.recap_novelty)
    assert recap.sentences == 5
    assert recap.restated >= 2
    assert recap.share >= CONFIG.recap_share


def test_template_with_other_names_restates_nothing() -> None:
    recap = measure_recap(
        group_sentences([OTHER_CONFLICT[1]]), [(DAY_1[0], DAY_1[1])], CONFIG.recap_novelty
    )
    assert recap.restated == 0


def test_unrelated_text_and_empty_history_restate_nothing() -> None:
    unrelated = "Tallis United beat Corvel Rovers 2-1 after extra time to lift the national cup."
    assert measure_recap(group_sentences([unrelated]), [(DAY_1[0], DAY_1[1])], 0.35).restated == 0
    assert measure_recap(group_sentences([DAY_3[1]]), [], 0.35).restated == 0
    assert measure_recap([], [(DAY_1[0], DAY_1[1])], 0.35).share == 0.0


def test_follow_up_short_of_the_threshold_joins_on_its_recap(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    first = run_day(store, date(2025, 3, 3), [DAY_1], "d1", STRICT)
    later = run_day(store, date(2025, 3, 5), [DAY_3], "d3", STRICT)
    assert later[0].story_id == first[0].story_id
    assert not started(later[0])
    assert later[0].score < STRICT.join_threshold
    assert later[0].shared[0].startswith("restates ")


def test_follow_up_without_background_starts_its_own_story(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    first = run_day(store, date(2025, 3, 3), [DAY_1], "d1", STRICT)
    later = run_day(store, date(2025, 3, 5), [DAY_3_WITHOUT_BACKGROUND], "d3", STRICT)
    assert started(later[0])
    assert later[0].story_id != first[0].story_id


def test_template_article_about_another_conflict_stays_apart(tmp_path: Path) -> None:
    for name, config in (("default", CONFIG), ("strict", STRICT)):
        store = open_store(tmp_path, f"{name}.db")
        first = run_day(store, date(2025, 3, 3), [DAY_1], "d1", config)
        later = run_day(store, date(2025, 3, 5), [OTHER_CONFLICT], "d3", config)
        assert started(later[0]), name
        assert later[0].story_id != first[0].story_id, name


def test_recap_can_be_switched_off(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    off = dataclasses.replace(STRICT, recap_share=1.01)
    first = run_day(store, date(2025, 3, 3), [DAY_1], "d1", off)
    later = run_day(store, date(2025, 3, 5), [DAY_3], "d3", off)
    assert later[0].story_id != first[0].story_id
