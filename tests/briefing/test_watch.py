"""Watchlist: matching stories are pinned first, marked, and listed in a Watched block."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

from digest.briefing.watch import pin_watched, story_reasons
from digest.cli import main
from digest.config import WatchConfig
from digest.models import Actor, Article, StoredItem, StoryView


def _view(sid: str, title: str, text: str = "", actors: tuple[Actor, ...] = ()) -> StoryView:
    art = Article(
        id=sid + "-1",
        source="Wire",
        origin="x",
        title=title,
        text=text,
        url=None,
        canonical_url=None,
        published=datetime(2025, 3, 4, tzinfo=UTC),
        date_source="content",
        content_hash="h",
    )
    item = StoredItem(
        article=art, day=date(2025, 3, 4), first_seen=datetime(2025, 3, 4, tzinfo=UTC)
    )
    return StoryView(id=sid, title=title, first_seen=date(2025, 3, 4), items=(item,), actors=actors)


def test_reasons_match_whole_words_actors_and_aliases() -> None:
    watch = WatchConfig(actors=("Dana Whitfield", "VPA"), keywords=("port", "tram line"))
    support = _view("s-1", "Support for farmers", "The ministry offered support.")
    assert story_reasons(support, watch) == ()
    port = _view(
        "s-2",
        "Fire at the PORT",
        "A new tram\nline was delayed.",
        actors=(Actor("Veldmar Port Authority", "organization", 2, aliases=("VPA",)),),
    )
    assert story_reasons(port, watch) == ("actor: VPA", "keyword: port", "keyword: tram line")
    named = _view("s-3", "Weather warning", "Dana  Whitfield warned of rain.")
    assert story_reasons(named, watch) == ("actor: Dana Whitfield",)


def test_pinning_keeps_rank_order_within_groups() -> None:
    views = [_view("a", "Rail strike"), _view("b", "Harbour fire"), _view("c", "Harbour budget")]
    ordered, hits = pin_watched(views, WatchConfig(keywords=("harbour",)))
    assert [v.id for v in ordered] == ["b", "c", "a"]
    assert [h.story_id for h in hits] == ["b", "c"]
    same, none = pin_watched(views, WatchConfig())
    assert same == views and none == ()


def test_watched_story_is_pinned_marked_and_listed(inbox: Path, make_config) -> None:
    cfg = make_config(
        items={"max_age_days": 1}, watch={"actors": ["Ingrid Solberg"], "keywords": []}
    )
    assert main(["render", "--config", str(cfg), "--date", "2025-03-04"]) == 0
    out = cfg.parent / "out"
    html = (out / "2025-03-04.html").read_text()
    assert '<section id="watched"' in html and "actor: Ingrid Solberg" in html
    first_story = re.search(
        r'<article class="story([^"]*)" id="story-([^"]+)">\s*<h3>(.*?)</h3>', html
    )
    assert (
        first_story
        and "is-watched" in first_story.group(1)
        and "council" in first_story.group(3).lower()
    )
    md = (out / "2025-03-04.md").read_text()
    assert "## Watched" in md and "### 1. ★ Watched: " in md
    data = json.loads((out / "2025-03-04.json").read_text())
    assert "council" in data["stories"][0]["title"].lower()
    assert "★ Watched" in (out / "index.md").read_text()
