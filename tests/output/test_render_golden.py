"""Golden files for the rendered Markdown and HTML of a hand-built briefing.

Regenerate after an intended template change with
``UPDATE_GOLDEN=1 python -m pytest tests/output/test_render_golden.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

import jsonschema
import markdown

from digest.briefing.model import Briefing, BriefingStory, DevelopmentEntry, Section
from digest.models import (
    Actor,
    Article,
    BriefingActor,
    Development,
    SourceStatus,
    StoredItem,
)
from digest.output import render

GOLDEN = Path(__file__).parent / "golden"
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "digest" / "schema" / "briefing.schema.json").read_text()
)


def _item(
    i: str, title: str, source: str, url: str | None, dup: str | None = None, story: str = "s-1"
) -> StoredItem:
    art = Article(
        id=i,
        source=source,
        origin=f"inbox/{i}.txt",
        title=title,
        text=f"Body of {title}.",
        url=url,
        canonical_url=url,
        published=datetime(2025, 3, 4, 9, 0, tzinfo=UTC),
        date_source="content",
        content_hash="h" + i,
        collector="inbox",
    )
    return StoredItem(
        article=art,
        day=date(2025, 3, 4),
        first_seen=datetime(2025, 3, 4, tzinfo=UTC),
        story_id=story,
        duplicate_of=dup,
        why_score=0.8,
        why_shared=("almen", "tarsk valley"),
    )


def sample_briefing() -> Briefing:
    flood = BriefingStory(
        id="s-1",
        title="Almen flood: missing rises to 15 <b>& more</b>",
        first_seen=date(2025, 3, 3),
        items=(
            _item(
                "a1",
                "Missing rises to 15 [click](javascript:alert(1))",
                "Harbour Wire",
                "https://wire.example/a1",
            ),
            _item("a2", "Missing rises to 15", "Coastal Press", "javascript:alert(2)", dup="a1"),
        ),
        actors=(
            Actor("Dana Whitfield", "person", 3, role="director of the regional weather service"),
            Actor("Tarsk", "place", 2),
        ),
        developments=(
            Development(
                text="The number of people missing rose to 15.",
                item_id="a1",
                kind="changed",
                source="Harbour Wire",
                url="https://wire.example/a1",
                published=datetime(2025, 3, 4, 9, 0, tzinfo=UTC),
                previous="12 reported on 2025-03-03",
                also_reported_by=("Coastal Press",),
            ),
            Development(
                text="Rescue teams reached the last cut-off farms in the Tarsk valley.",
                item_id="a1",
                kind="new",
                source="Harbour Wire",
                url=None,
                published=None,
            ),
        ),
        sources=("Coastal Press", "Harbour Wire"),
        number=1,
        summary="The number of people missing after the River Almen floods rose to 15 <i>now</i>.",
        rank=1,
        rank_score=4.58,
        rank_why=("2 outlets (+1.58)", "1 figure changed (+1.50)", "reported today (+1.00)"),
    )
    ferry = BriefingStory(
        id="s-2",
        title="Osterholm ferry timetable changes [winter]",
        first_seen=date(2025, 3, 4),
        items=(
            _item(
                "b1",
                "Ferry timetable changes",
                "Coastal Press",
                "https://press.example/ferry?utm_source=rss&id=4",
                story="s-2",
            ),
        ),
        sources=("Coastal Press",),
        number=2,
        rank=2,
        rank_score=2.0,
        rank_why=("1 outlet (+1.00)", "reported today (+1.00)"),
        in_full=False,
    )
    return Briefing(
        day=date(2025, 3, 4),
        title="Daily briefing",
        stories=(flood, ferry),
        actors=(
            BriefingActor(
                "Dana Whitfield", "person", 3, ("s-1",), role="director", first_seen=True
            ),
        ),
        developments=tuple(DevelopmentEntry("s-1", flood.title, d) for d in flood.developments),
        sources=(
            SourceStatus("inbox", True, 2),
            SourceStatus("broken <feed>", False, 0, "timed out after 60 s"),
        ),
        item_count=3,
        previous_day=date(2025, 3, 3),
        sections=(Section("Stories", "stories", (flood,), (ferry,)),),
    )


def _check(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


def test_markdown_golden() -> None:
    _check("briefing.md", render.render_markdown(sample_briefing()))


def test_html_golden() -> None:
    _check("briefing.html", render.render_html(sample_briefing()))


def test_json_matches_schema_and_contract() -> None:
    data = json.loads(render.render_json(sample_briefing()))
    jsonschema.validate(data, SCHEMA)
    item = data["stories"][0]["items"][1]
    assert item["duplicate_of"] == "a1" and item["why"] == {
        "score": 0.8,
        "shared": ["almen", "tarsk valley"],
    }
    assert data["stories"][0]["developments"][0]["previous"] == "12 reported on 2025-03-03"


def test_untrusted_text_is_inert() -> None:
    html = render.render_html(sample_briefing())
    md = render.render_markdown(sample_briefing())
    assert "<b>& more</b>" not in html and "&lt;b&gt;" in html
    assert "javascript:" not in html.replace("[click](javascript:alert(1))", "")
    assert 'href="javascript' not in html
    rendered = markdown.markdown(md)
    assert "javascript:" not in "".join(re.findall(r'(?:href|src)="([^"]*)"', rendered))
    assert "<b>" not in rendered and "<script" not in rendered
    assert "Content-Security-Policy" in html and 'content="no-referrer"' in html


def test_html_environment_autoescapes() -> None:
    assert render.environment("html").autoescape is True


def test_templates_are_found_in_an_installed_layout(tmp_path: Path) -> None:
    """A wheel puts the templates at digest/templates (no top-level templates/ beside it)."""
    import shutil
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    site = tmp_path / "site"
    shutil.copytree(root / "digest", site / "digest", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(root / "templates", site / "digest" / "templates")
    code = "from digest.output import pages; print(pages.templates_dir())"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out == str(site / "digest" / "templates")
