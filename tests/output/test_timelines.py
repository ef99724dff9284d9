"""Story timelines: safe file names, pages inside out/, developments day by day."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest.cli import main
from digest.errors import OutputError
from digest.output.paths import story_slug
from digest.output.paths import timeline_path as story_path
from digest.output.timelines import build_timeline
from tests.output.test_archive import DAY3

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@given(st.text(min_size=0, max_size=400))
def test_slug_is_ascii_bounded_and_safe(story_id: str) -> None:
    slug = story_slug(story_id)
    assert SLUG.match(slug) and len(slug) <= 80


@pytest.mark.parametrize(
    "story_id",
    ["../../.bashrc", "CON", "s-1/../../x", "x" * 300, "Ünïcödé story", "", "..", "s-ok\x00.html"],
)
def test_hostile_ids_stay_inside_out(tmp_path: Path, story_id: str) -> None:
    path = story_path(tmp_path, story_id)
    assert path.parent == (tmp_path / "stories").resolve()
    assert SLUG.match(path.stem) and len(path.stem) <= 80


def test_plain_ids_keep_their_name_and_changed_ids_do_not_collide() -> None:
    assert story_slug("s-1a2b3c") == "s-1a2b3c"
    assert story_slug("S-1A2B3C") != story_slug("s-1a2b3c")
    assert story_slug("a/b") != story_slug("a-b") and story_slug("a b") != story_slug("a/b")


def test_symlinked_stories_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "stories").symlink_to(tmp_path)
    with pytest.raises(OutputError):
        story_path(out, "s-1")


def test_build_timeline_folds_days_and_actors() -> None:
    entries = [
        (
            date(2025, 3, 3),
            {
                "title": "Floods",
                "sources": ["B", "A"],
                "actors": [{"name": "Dana", "kind": "person", "role": None}],
                "developments": [
                    {
                        "text": "12 missing",
                        "kind": "first",
                        "previous": None,
                        "source": "A",
                        "url": None,
                        "published": None,
                    }
                ],
                "items": [
                    {
                        "title": "t",
                        "url": None,
                        "source": "A",
                        "published": "2025-03-03",
                        "same_article": False,
                    }
                ],
            },
        ),
        (
            date(2025, 3, 4),
            {
                "title": "Floods: 15 missing",
                "sources": ["C"],
                "actors": [
                    {"name": "Dana", "kind": "person", "role": "director"},
                    {"name": "Tarsk", "kind": "place", "role": None},
                ],
                "developments": [],
                "items": [],
            },
        ),
    ]
    t = build_timeline("s-1", entries, "Daily briefing", html_briefings=True)
    assert (
        t.title == "Floods: 15 missing"
        and t.first_day == date(2025, 3, 3)
        and t.last_day == date(2025, 3, 4)
    )
    assert t.sources == ("A", "B", "C")
    assert [(a.name, a.days, a.role) for a in t.actors] == [
        ("Dana", 2, "director"),
        ("Tarsk", 1, None),
    ]
    assert t.days[0].briefing_href == "../2025-03-03.html#story-s-1"


def test_backfill_writes_a_timeline_per_story_linked_from_briefings(
    inbox: Path, make_config
) -> None:
    (inbox / "wire3.jsonl").write_text(json.dumps(DAY3) + "\n", encoding="utf-8")
    cfg = make_config()
    assert (
        main(["backfill", "--config", str(cfg), "--since", "2025-03-01", "--until", "2025-03-10"])
        == 0
    )
    out = cfg.parent / "out"
    data = json.loads((out / "2025-03-05.json").read_text())
    flood = next(
        s
        for s in data["stories"]
        if "Almen" in s["title"] or any("Almen" in i["title"] for i in s["items"])
    )
    page = story_path(out, flood["id"])
    html = page.read_text()
    days = re.findall(r'<li id="day-(\d{4}-\d{2}-\d{2})">', html)
    assert days == ["2025-03-03", "2025-03-04", "2025-03-05"]
    assert "Dana Whitfield" in html and "Harbour Wire" in html
    assert f'href="stories/{page.name}"' in (out / "2025-03-05.html").read_text()
    assert f"[Timeline](stories/{page.name})" in (out / "2025-03-05.md").read_text()
    assert 'href="../2025-03-04.html#story-' in html and 'href="../index.html"' in html
