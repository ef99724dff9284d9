"""The briefing model: ranking, summaries, the cap, sections and numbers, on invented stories."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jsonschema

from digest.actors.rank import ActorsResult
from digest.briefing import build
from digest.briefing.rank import score
from digest.briefing.summary import summarise
from digest.config import parse_config
from digest.models import Actor, Article, BriefingActor, Development, SourceStatus, StoredItem
from digest.output import render

DAY = date(2026, 2, 16)
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "digest" / "schema" / "briefing.schema.json").read_text()
)


def _item(
    sid: str, n: int, source: str, *, text: str = "", day: date = DAY, collector: str = "wire"
) -> StoredItem:
    article = Article(
        id=f"{sid}-{n}",
        source=source,
        origin="x",
        title=f"Story {sid} report {n}",
        text=text or f"Report {n} on story {sid} from {source}.",
        url=f"https://{source.lower().replace(' ', '')}.example/{sid}/{n}",
        canonical_url=None,
        published=datetime(day.year, day.month, day.day, 8, tzinfo=UTC),
        date_source="feed",
        content_hash=f"h{sid}{n}",
        collector=collector,
    )
    return StoredItem(article, day, article.published or datetime.now(UTC), story_id=sid)


def _config(**extra: Any) -> Any:
    data = {
        "sources": [
            {"name": "wire", "type": "files", "path": "in", "tags": ["world"]},
            {"name": "local", "type": "files", "path": "in2"},
        ],
        **extra,
    }
    return parse_config(data, Path("/nowhere/config.yaml"))


def _build(grouped: dict[str, list[StoredItem]], config: Any = None, **kw: Any) -> Any:
    args: dict[str, Any] = {
        "config": config or _config(),
        "day": DAY,
        "grouped": grouped,
        "actors": ActorsResult({}, ()),
        "developments": {},
        "sources": [SourceStatus("wire", True)],
        "titles": {},
        "first_days": {},
        "briefing_days": [],
    }
    args.update(kw)
    return build(**args)


def _dev(kind: str) -> Development:
    return Development("A figure moved.", "x", kind, "Wire", None, None)  # type: ignore[arg-type]


def test_more_outlets_rank_higher_and_a_changed_figure_counts_most() -> None:
    grouped = {
        "a": [_item("a", 1, "One")],
        "b": [_item("b", i, f"Outlet {i}") for i in range(3)],
        "c": [_item("c", 1, "One")],
    }
    b = _build(grouped, developments={"c": [_dev("changed")], "a": [_dev("new")]})
    assert [s.id for s in b.stories] == ["c", "b", "a"]
    top = b.stories[0]
    assert top.rank == 1 and top.rank_why[0].startswith("1 outlet")
    assert any("figure changed" in why for why in top.rank_why)
    assert b.stories[1].rank_score > b.stories[2].rank_score


def test_key_actors_and_recency_add_to_the_score() -> None:
    view_old = _build({"a": [_item("a", 1, "One", day=date(2026, 2, 14))]}).stories[0]
    view_new = _build({"a": [_item("a", 1, "One")]}).stories[0]
    assert view_new.rank_score - view_old.rank_score == round(1 - 1 / 3, 3)
    actors = ActorsResult({"a": (Actor("Dana Whitfield", "person", 3),)}, ())
    key = (BriefingActor("Dana Whitfield", "person", 3, ("a",)),)
    with_actor = _build({"a": [_item("a", 1, "One")]}, actors=ActorsResult(actors.per_story, key))
    assert with_actor.stories[0].rank_score == round(view_new.rank_score + 0.4, 3)
    assert "1 key actor (+0.40)" in with_actor.stories[0].rank_why


def test_the_cap_lists_the_rest_briefly_and_numbers_run_on() -> None:
    grouped = {f"s{i:02d}": [_item(f"s{i:02d}", 1, "One")] for i in range(12)}
    b = _build(grouped, config=_config(briefing={"max_stories": 5}))
    assert [s.number for s in b.stories] == list(range(1, 13))
    assert sum(s.in_full for s in b.stories) == 5 and len(b.more_stories) == 7
    assert all(s.in_full for s in b.stories[:5])
    data = json.loads(render.render_json(b))
    jsonschema.validate(data, SCHEMA)
    assert len(data["stories"]) == 12, "every story stays in the JSON"
    assert [s["in_full"] for s in data["stories"]].count(False) == 7
    html = render.render_html(b)
    assert html.count('<article class="story') == 5 and 'id="more-stories"' in html


def test_sections_group_by_tag_source_and_keyword_with_other_last() -> None:
    grouped = {
        "a": [_item("a", 1, "Desk", collector="local", text="The harbour strike ended.")],
        "b": [_item("b", 1, "Wire", collector="wire")],
        "c": [_item("c", 1, "Desk", collector="local", text="Rain fell.")],
    }
    config = _config(
        sections=[
            {"title": "World", "tags": ["world"]},
            {"title": "Harbour", "keywords": ["harbour"]},
        ]
    )
    b = _build(grouped, config=config)
    assert [(sec.title, [s.id for s in sec.stories]) for sec in b.sections] == [
        ("World", ["b"]),
        ("Harbour", ["a"]),
        ("Other", ["c"]),
    ]
    assert [s.id for s in b.stories] == ["b", "a", "c"]
    assert [s.number for s in b.stories] == [1, 2, 3]
    assert b.sections[0].anchor == "section-world"
    data = json.loads(render.render_json(b))
    assert [sec["title"] for sec in data["sections"]] == ["World", "Harbour", "Other"]
    assert data["stories"][0]["section"] == "World"


def test_without_sections_config_there_are_no_sections_in_json() -> None:
    b = _build({"a": [_item("a", 1, "One")]})
    assert not b.has_sections and b.sections[0].title == "Stories"
    assert json.loads(render.render_json(b))["sections"] == []


def test_first_seen_is_the_date_of_the_first_item() -> None:
    grouped = {"a": [_item("a", 1, "One", day=date(2026, 2, 15)), _item("a", 2, "Two")]}
    assert _build(grouped).stories[0].first_seen == date(2026, 2, 15)
    earlier = _build(grouped, first_days={"a": date(2026, 2, 10)})
    assert earlier.stories[0].first_seen == date(2026, 2, 10)


def test_watched_stories_come_first() -> None:
    grouped = {
        "a": [_item("a", i, f"O{i}") for i in range(4)],
        "b": [_item("b", 1, "One", text="The Osterholm lighthouse reopened.")],
    }
    b = _build(grouped, config=_config(watch={"keywords": ["lighthouse"]}))
    assert [s.id for s in b.stories] == ["b", "a"] and b.stories[0].rank == 1


def test_summary_prefers_what_the_reports_share_over_a_detail() -> None:
    lead = "Flood waters in the Tarsk valley forced 1,300 people from their homes on Monday."
    detail = "A bakery on the square handed out free bread to volunteers."
    other = "Flood waters covered the Tarsk valley, and 1,300 people left their homes."
    items = [_item("a", 1, "One", text=f"{detail} {lead}"), _item("a", 2, "Two", text=other)]
    assert summarise("Tarsk valley flood", items) in (lead, other), "support beats position"
    single = [_item("a", 1, "One", text=f"{lead} {detail}")]
    assert summarise("Tarsk valley flood", single) == lead, "one article: its lead"


def test_summary_skips_a_title_echo_and_a_cut_off_sentence() -> None:
    text = (
        "Tarsk valley flood waters rise again. "
        "The regional emergency service moved 1,300 residents to shelters overnight... "
        "Rescue teams reached the last cut-off farms on Tuesday morning."
    )
    assert summarise("Tarsk valley flood waters rise again", [_item("a", 1, "One", text=text)]) == (
        "Rescue teams reached the last cut-off farms on Tuesday morning."
    )


def test_score_is_deterministic_and_explained() -> None:
    view = _build({"a": [_item("a", i, f"O{i}") for i in range(3)]}).stories[0]
    again = score(view, set(), DAY)
    assert (again.score, again.why) == (view.rank_score, view.rank_why)
    assert again.why == ("3 outlets (+2.00)", "reported today (+1.00)")
