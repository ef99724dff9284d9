"""What a reader sees as an item's source: the feed's own title unless the config names one."""

from __future__ import annotations

import json
import os
from pathlib import Path

from digest.cli import main
from tests.conftest import write_config

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Example World Desk</title>
<item><title>Kessel bridge reopens after repairs</title><guid>b-1</guid>
<link>https://desk.example/b1?utm_source=rss&amp;at_medium=feed</link><pubDate>Mon, 16 Feb 2026 09:00:00 +0000</pubDate>
<description>The Kessel bridge reopened to traffic on Monday after six weeks of repairs, the city said.</description></item>
</channel></rss>"""


def _sources(tmp_path: Path, sources: list[dict]) -> list[str]:
    (tmp_path / "world.xml").write_text(RSS, encoding="utf-8")
    box = tmp_path / "inbox"
    box.mkdir(exist_ok=True)
    (box / "note.md").write_text(
        "---\ntitle: Tram line vote delayed\ndate: 2026-02-16\n---\n"
        "The Veldmar council delayed its vote on the new tram line after a long debate.\n",
        encoding="utf-8",
    )
    os.utime(box / "note.md", (1771232400, 1771232400))  # settled long ago (2026-02-16)
    cfg = write_config(tmp_path, sources)
    assert main(["render", "--config", str(cfg), "--date", "2026-02-16"]) == 0
    data = json.loads((tmp_path / "out" / "2026-02-16.json").read_text())
    return sorted(it["source"] for s in data["stories"] for it in s["items"])


def test_a_feed_shows_its_own_title_and_a_folder_its_name(tmp_path: Path) -> None:
    sources = [
        {"name": "world", "type": "feed", "path": "world.xml"},
        {"name": "inbox", "type": "files", "path": "inbox"},
    ]
    assert _sources(tmp_path, sources) == ["Example World Desk", "inbox"]


def test_a_configured_title_wins(tmp_path: Path) -> None:
    sources = [
        {"name": "world", "type": "feed", "path": "world.xml", "title": "World (wire)"},
        {"name": "inbox", "type": "files", "path": "inbox", "title": "Reader tips"},
    ]
    assert _sources(tmp_path, sources) == ["Reader tips", "World (wire)"]


def test_links_lose_their_tracking_parameters(tmp_path: Path) -> None:
    _sources(tmp_path, [{"name": "world", "type": "feed", "path": "world.xml"}])
    html = (tmp_path / "out" / "2026-02-16.html").read_text()
    assert 'href="https://desk.example/b1"' in html and "utm_source" not in html
    assert "at_medium" not in (tmp_path / "out" / "2026-02-16.md").read_text()
