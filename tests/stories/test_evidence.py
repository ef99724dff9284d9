"""What counts as evidence of one event: places are context, markup is noise, length is no verdict.

Invented fixtures (issue 15): items that share only a country stay apart; a country-heavy story
does not absorb the next day's unrelated items about that country; three angles of one event on one
day group; a 20-word feed entry joins a 900-word article about the same event; titles come from
today's items; "why" names the evidence. The embedding model is the real one, loaded offline.
"""

from __future__ import annotations

import dataclasses
import socket
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from digest.briefing.titles import current_title, is_framed
from digest.stories import embed as embed_module
from digest.stories.embed import embed
from digest.stories.features import item_features
from digest.stories.similarity import FEATURES, pair_model
from tests.stories.test_assign import CONFIG, make_item, open_store, run_day

DAY = date(2025, 6, 2)

BRIDGE = (
    "Kessa council approves new river bridge",
    "The town council of Kessa in Veldmar voted on Monday to build a second bridge over the river, "
    "with work to start next spring.",
    [("Kessa", "GPE"), ("Veldmar", "GPE")],
)
STRIKE = (
    "Port strike in Orsk ends after pay deal",
    "Dock workers at the port of Orsk in Veldmar ended a two-week strike on Monday after their union "
    "accepted a pay rise.",
    [("Orsk", "GPE"), ("Veldmar", "GPE")],
)

ELECTION = [
    (
        "Veldmar votes: President Ilse Maartens seeks second term",
        "Voters across Veldmar went to the polls on Sunday as President Ilse Maartens of the Unity "
        "Party sought a second term against Tomas Brenner of the Reform League. Veldmar's electoral "
        "commission said turnout in Kessa and Orsk was high.",
        [
            ("Veldmar", "GPE"),
            ("Ilse Maartens", "PERSON"),
            ("Unity Party", "ORG"),
            ("Tomas Brenner", "PERSON"),
            ("Reform League", "ORG"),
            ("Veldmar", "GPE"),
            ("Kessa", "GPE"),
            ("Orsk", "GPE"),
        ],
    ),
    (
        "Maartens leads early count in Veldmar election",
        "Early results from Veldmar's election commission gave President Ilse Maartens 54 percent of "
        "the vote, ahead of Tomas Brenner, with ballots from Kessa still being counted in Veldmar.",
        [
            ("Maartens", "PERSON"),
            ("Veldmar", "GPE"),
            ("Veldmar", "GPE"),
            ("Ilse Maartens", "PERSON"),
            ("Tomas Brenner", "PERSON"),
            ("Kessa", "GPE"),
            ("Veldmar", "GPE"),
        ],
    ),
    (
        "Brenner refuses to concede as Veldmar count goes on",
        "Tomas Brenner of the Reform League said he would not concede to President Ilse Maartens "
        "until every ballot in Veldmar was counted, and called on supporters in Orsk to stay calm.",
        [
            ("Brenner", "PERSON"),
            ("Veldmar", "GPE"),
            ("Tomas Brenner", "PERSON"),
            ("Reform League", "ORG"),
            ("Ilse Maartens", "PERSON"),
            ("Veldmar", "GPE"),
            ("Orsk", "GPE"),
        ],
    ),
]
VELDMAR_NEXT_DAY = [
    (
        "Veldmar beat Corvale in World Cup qualifier",
        "Veldmar's national football team beat Corvale 2-0 in Kessa on Monday night, with two goals "
        "from striker Janek Olsar.",
        [("Veldmar", "GPE"), ("Corvale", "GPE"), ("Kessa", "GPE"), ("Janek Olsar", "PERSON")],
    ),
    (
        "Glass museum reopens in Orsk after renovation",
        "The Museum of Ardent Glass in Orsk, Veldmar's oldest museum, reopened on Monday after a "
        "two-year renovation paid for by the Halder Foundation.",
        [
            ("The Museum of Ardent Glass", "ORG"),
            ("Orsk", "GPE"),
            ("Veldmar", "GPE"),
            ("Halder Foundation", "ORG"),
        ],
    ),
]

DAM_ANGLES = [
    (
        "Orvel dam bursts in Tarsk valley, 30 missing",
        "The Orvel dam in the Tarsk valley burst early on Monday, sending a wall of water through three "
        "villages. Regional governor Petra Solheim said 30 people were missing.",
        [("Orvel", "FAC"), ("Tarsk", "LOC"), ("Petra Solheim", "PERSON"), ("30", "CARDINAL")],
    ),
    (
        "What we know about the Orvel dam collapse",
        "The Orvel dam, built in 1962 to hold back the river above the Tarsk valley, had been flagged "
        "for repairs. Here is what we know about why the dam burst and who is missing.",
        [("Orvel", "FAC"), ("1962", "DATE"), ("Tarsk", "LOC")],
    ),
    (
        "Solheim orders inquiry after Orvel dam burst",
        "Governor Petra Solheim ordered an independent inquiry into the Orvel dam burst on Monday, "
        "as rescuers searched the flooded villages of the Tarsk valley for the missing.",
        [("Petra Solheim", "PERSON"), ("Orvel", "FAC"), ("Tarsk", "LOC")],
    ),
]


def _long_article() -> tuple[str, str, list[tuple[str, str]]]:
    """A 900-word article about the dam burst: lead, then quotes and background."""
    lead = (
        "The Orvel dam in the Tarsk valley burst before dawn on Monday, and regional governor Petra "
        "Solheim said 30 people were missing as a wall of water swept through three villages."
    )
    residents = [
        "Anja Varga",
        "Milo Tesch",
        "Rena Dubsky",
        "Oskar Pell",
        "Lida Marov",
        "Emil Storr",
    ]
    villages = ["Brask", "Heller", "Unterau"]
    parts = [lead]
    for n, name in enumerate(residents):
        village = villages[n % 3]
        parts.append(
            f"In {village}, {name} said the water reached the first floor within minutes and that "
            f"neighbours climbed onto roofs while rescue boats searched the flooded streets for the "
            f"missing. Engineers had warned the regional authority about cracks in the dam wall, "
            f"according to {name}, who lost a barn and most of the family's livestock to the flood."
        )
        parts.append(
            f"Rescue teams from across the region worked through the day near {village}, and the "
            f"army sent helicopters to lift stranded families from rooftops. Volunteers brought "
            f"blankets, water and food to a school that became a shelter for those who fled."
        )
    parts.append(
        "Petra Solheim said an inquiry would examine why repairs to the dam, planned for years, had "
        "not been carried out, and promised compensation for every family that lost its home."
    )
    text = " ".join(parts)
    while len(text.split()) < 900:
        text += (
            " Officials said the river level below the broken dam was falling slowly, and that the "
            "search for the missing would continue through the night with divers and dogs."
        )
    names = [("Orvel", "FAC"), ("Tarsk", "LOC"), ("Petra Solheim", "PERSON"), ("30", "CARDINAL")]
    return "Orvel dam burst: Tarsk valley villages flooded, 30 missing", text, names


SHORT_ENTRY = (
    "Dam bursts in Tarsk valley",
    "The Orvel dam burst on Monday and flooded villages in the Tarsk valley; 30 people are missing.",
    [("Orvel", "FAC"), ("Tarsk", "LOC"), ("30", "CARDINAL")],
)


def test_two_items_sharing_only_a_country_stay_apart(tmp_path: Path) -> None:
    out = run_day(open_store(tmp_path), DAY, [BRIDGE, STRIKE], "d1")
    assert out[0].story_id != out[1].story_id


def test_markup_in_titles_is_not_evidence(tmp_path: Path) -> None:
    junk = " <script>alert(1)</script>"
    tagged = [("alert(1)", "ORG"), ("1", "CARDINAL")]  # what a tagger may make of the markup
    bridge = (BRIDGE[0] + junk, BRIDGE[1], tagged + BRIDGE[2])
    strike = (STRIKE[0] + junk, STRIKE[1], tagged + STRIKE[2])
    out = run_day(open_store(tmp_path), DAY, [bridge, strike], "d1")
    assert out[0].story_id != out[1].story_id
    assert not {"script", "alert"} & {w.lower() for a in out for w in a.shared}
    item, mentions = make_item(*bridge, DAY, "markup")
    counts, _ = item_features(item, mentions)
    assert not [k for k in counts if "alert" in k or "script" in k]


def test_country_heavy_story_does_not_absorb_the_next_days_items_about_that_country(
    tmp_path: Path,
) -> None:
    store = open_store(tmp_path)
    first = run_day(store, DAY, ELECTION, "d1")
    assert len({a.story_id for a in first}) == 1
    later = run_day(store, date(2025, 6, 3), VELDMAR_NEXT_DAY, "d2")
    assert not {a.story_id for a in later} & {first[0].story_id}
    assert later[0].story_id != later[1].story_id


def test_three_angles_of_one_event_on_one_day_group(tmp_path: Path) -> None:
    out = run_day(open_store(tmp_path), DAY, DAM_ANGLES + [BRIDGE], "d1")
    assert len({a.story_id for a in out[:3]}) == 1
    assert out[3].story_id != out[0].story_id


def test_why_names_the_shared_actors_and_the_semantic_score(tmp_path: Path) -> None:
    out = run_day(open_store(tmp_path), DAY, DAM_ANGLES, "d1")
    reaction = out[2]
    assert {"Petra Solheim", "Orvel"} & set(reaction.shared)
    assert any(s.startswith("semantic ") for s in reaction.shared)
    assert "Tarsk" not in reaction.shared  # a place is context, not evidence


def test_a_feed_entry_and_a_long_article_about_one_event_group(tmp_path: Path) -> None:
    long = _long_article()
    assert len(long[1].split()) >= 900 and len(SHORT_ENTRY[1].split()) <= 20
    out = run_day(open_store(tmp_path), DAY, [long, SHORT_ENTRY, STRIKE], "d1")
    assert out[0].story_id == out[1].story_id
    assert out[2].story_id != out[0].story_id


def test_title_comes_from_todays_most_central_straight_report() -> None:
    live = ("Live: Orvel dam collapse latest updates", DAM_ANGLES[1][1], [])
    items = [
        make_item(t, x, [], DAY, f"t{i}")[0] for i, (t, x, _) in enumerate([live, *DAM_ANGLES])
    ]
    title = current_title(items)
    assert title in {t for t, _, _ in DAM_ANGLES}
    assert not title.startswith("What we know")
    assert current_title([]) is None
    for framed in (
        "Ukraine updates: talks resume",
        "Dam latest: search goes on",
        "Why did it burst?",
    ):
        assert is_framed(framed), framed
    assert not is_framed("Orvel dam bursts in Tarsk valley, 30 missing")


def test_shipped_pair_model_separates_one_event_from_a_shared_country(tmp_path: Path) -> None:
    model = dataclasses.replace(CONFIG, combiner="model", batch_threshold=0.85, join_threshold=0.85)
    out = run_day(
        open_store(tmp_path), DAY, [*DAM_ANGLES[:1], SHORT_ENTRY, BRIDGE, STRIKE], "d1", model
    )
    assert out[0].story_id == out[1].story_id
    assert len({out[0].story_id, out[2].story_id, out[3].story_id}) == 3
    weights, _ = pair_model()
    assert len(weights) == len(FEATURES)


def test_embedding_model_loads_and_runs_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> socket.socket:
        raise OSError("network is off in this test")

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(socket, "socket", refuse)
    embed_module._model.cache_clear()  # load the model again, now without network
    vecs = embed(["Orvel dam bursts in Tarsk valley", "Dam collapse floods Tarsk villages", ""])
    assert vecs.shape == (3, 256)
    assert np.allclose(np.linalg.norm(vecs[:2], axis=1), 1.0, atol=1e-4)
    assert float(vecs[0] @ vecs[1]) > 0.3
    assert not vecs[2].any()
