"""The archive: a backfill over several days gives an index, linked days and stable files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import markdown
import pytest

from digest.cli import main

# A third day (2025-03-05) on the flood story, so timelines and day links span three briefings.
DAY3 = {
    "id": "w-3",
    "title": "Almen flood waters recede; missing falls to 9",
    "text": "Flood waters of the River Almen receded in the Tarsk valley on Wednesday and the number of "
    "people missing fell to 9, the regional emergency service said.\n\nDana Whitfield said no more rain "
    "was expected.",
    "date": "2025-03-05T08:00:00Z",
    "url": "https://wire.example/almen-3",
    "source": "Harbour Wire",
}


@pytest.fixture
def three_days(inbox: Path, make_config) -> Path:
    (inbox / "wire3.jsonl").write_text(json.dumps(DAY3) + "\n", encoding="utf-8")
    return make_config()


def _backfill(cfg: Path) -> None:
    assert (
        main(["backfill", "--config", str(cfg), "--since", "2025-03-01", "--until", "2025-03-10"])
        == 0
    )


def _local_links(html: str) -> list[str]:
    return [
        h for h in re.findall(r'href="([^"]+)"', html) if not h.startswith(("http:", "https:", "#"))
    ]


def test_index_lists_every_briefing_newest_first_with_top_stories(three_days: Path) -> None:
    _backfill(three_days)
    out = three_days.parent / "out"
    html = (out / "index.html").read_text()
    days = re.findall(r'<h2 id="h-(\d{4}-\d{2}-\d{2})">', html)
    assert days == ["2025-03-05", "2025-03-04", "2025-03-03"]
    assert "Almen" in html and 'href="feed.xml"' in html
    md = (out / "index.md").read_text()
    assert md.index("## [2025-03-05](2025-03-05.md)") < md.index("## [2025-03-03](2025-03-03.md)")


def test_every_local_link_resolves_to_a_file(three_days: Path) -> None:
    _backfill(three_days)
    out = three_days.parent / "out"
    pages = [out / "index.html", *out.glob("2025-*.html"), *(out / "stories").glob("*.html")]
    assert len(pages) >= 5
    for page in pages:
        for href in _local_links(page.read_text()):
            target = (page.parent / href.split("#")[0]).resolve()
            assert target.is_file(), f"{page.name} links to missing {href}"
            assert target.is_relative_to(out.resolve())


def test_earlier_briefings_gain_their_next_link(three_days: Path) -> None:
    _backfill(three_days)
    out = three_days.parent / "out"
    first = (out / "2025-03-03.html").read_text()
    assert '<a rel="next" href="2025-03-04.html">' in first
    middle = (out / "2025-03-04.md").read_text()
    assert (
        "Previous: [2025-03-03](2025-03-03.md) · [All briefings](index.md) · Next: [2025-03-05](2025-03-05.md)"
        in middle
    )
    data = json.loads((out / "2025-03-04.json").read_text())
    assert (data["previous"], data["next"]) == ("2025-03-03", "2025-03-05")
    last = (out / "2025-03-05.html").read_text()
    assert 'rel="next"' not in last and '<a rel="prev" href="2025-03-04.html">' in last


def test_refreshed_links_equal_a_fresh_render_and_reruns_are_byte_identical(
    three_days: Path,
) -> None:
    _backfill(three_days)
    out = three_days.parent / "out"
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    for day in ("2025-03-03", "2025-03-04", "2025-03-05"):
        assert main(["render", "--config", str(three_days), "--date", day]) == 0
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_neighbours_are_rendered_from_the_store_never_read_back(inbox: Path, make_config) -> None:
    cfg = make_config()
    assert main(["render", "--config", str(cfg), "--date", "2025-03-03"]) == 0
    out = cfg.parent / "out"
    (out / "2025-03-03.json").write_text("{not json", encoding="utf-8")
    (out / "2025-03-03.html").unlink()
    assert main(["render", "--config", str(cfg), "--date", "2025-03-04"]) == 0
    data = json.loads((out / "2025-03-03.json").read_text())  # rewritten whole from the store
    assert data["next"] == "2025-03-04"
    assert '<a rel="next" href="2025-03-04.html">' in (out / "2025-03-03.html").read_text()
    (out / "2025-03-03.md").write_text("edited by hand", encoding="utf-8")
    assert main(["render", "--config", str(cfg), "--date", "2025-03-04"]) == 0
    assert (out / "2025-03-03.md").read_text() == "edited by hand", "links unchanged: not touched"


def test_a_day_without_a_stored_briefing_keeps_its_files(three_days: Path) -> None:
    """Days published before briefings were stored stay as written (and in the index)."""
    import sqlite3

    _backfill(three_days)
    out = three_days.parent / "out"
    conn = sqlite3.connect(three_days.parent / "state" / "digest.db")
    with conn:
        conn.execute("DELETE FROM briefing_snapshots WHERE day = '2025-03-04'")
    conn.close()
    (out / "2025-03-04.json").write_text("{broken", encoding="utf-8")
    assert main(["render", "--config", str(three_days), "--date", "2025-03-05"]) == 0
    assert (out / "2025-03-04.json").read_text() == "{broken"
    html = (out / "index.html").read_text()
    days = re.findall(r'<h2 id="h-(\d{4}-\d{2}-\d{2})">', html)
    assert days == ["2025-03-05", "2025-03-04", "2025-03-03"]


def test_untrusted_titles_stay_escaped_in_the_index(inbox: Path, make_config) -> None:
    evil = {
        "id": "x-1",
        "title": '<script>alert(1)</script> [click](javascript:alert(2)) "quoted"',
        "text": "Beekeepers in the Osterholm hills reported a record honey harvest after a mild spring, the guild said.",
        "date": "2025-03-04T10:00:00Z",
        "url": "javascript:alert(3)",
        "source": "Evil <b>Press</b>",
    }
    (inbox / "evil.jsonl").write_text(json.dumps(evil) + "\n", encoding="utf-8")
    cfg = make_config()
    _backfill(cfg)
    out = cfg.parent / "out"
    for name in (
        "index.html",
        "2025-03-04.html",
        "feed.xml",
        *(f"stories/{p.name}" for p in (out / "stories").iterdir()),
    ):
        text = (out / name).read_text()
        assert "<script" not in text and 'href="javascript' not in text, name
    assert "&lt;script&gt;" in (out / "index.html").read_text()
    md = (out / "index.md").read_text()
    assert "\\[click\\](javascript:alert(2))" in md and "<script>" not in md
    rendered = markdown.markdown(md)
    assert "javascript:" not in "".join(re.findall(r'href="([^"]*)"', rendered))
