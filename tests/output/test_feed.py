"""out/feed.xml: one Atom entry per briefing, deterministic, links that resolve."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser

from digest.cli import main
from tests.output.test_archive import DAY3


def _backfill(cfg: Path) -> None:
    assert (
        main(["backfill", "--config", str(cfg), "--since", "2025-03-01", "--until", "2025-03-10"])
        == 0
    )


def test_one_entry_per_briefing_dated_by_the_briefing(inbox: Path, make_config) -> None:
    (inbox / "wire3.jsonl").write_text(json.dumps(DAY3) + "\n", encoding="utf-8")
    cfg = make_config()
    _backfill(cfg)
    out = cfg.parent / "out"
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    titles = [e.title for e in parsed.entries]
    assert titles == [
        "Daily briefing: 2025-03-05",
        "Daily briefing: 2025-03-04",
        "Daily briefing: 2025-03-03",
    ]
    assert [e.updated for e in parsed.entries] == [
        f"2025-03-0{d}T00:00:00+00:00" for d in (5, 4, 3)
    ]
    assert parsed.feed.updated == "2025-03-05T00:00:00+00:00"
    assert (
        parsed.feed.subtitle == "All briefings, newest first"
    )  # not "Every Daily briefing briefing"
    for e in parsed.entries:
        assert (out / e.link).is_file()
        assert e.id.startswith("urn:uuid:")
    assert len({e.id for e in parsed.entries}) == 3
    assert "Almen" in parsed.entries[0].content[0].value


def test_feed_is_byte_identical_on_rerun_and_absolute_with_base_url(
    inbox: Path, make_config
) -> None:
    cfg = make_config(delivery={"base_url": "https://news.example/digest", "feed_entries": 1})
    _backfill(cfg)
    feed = cfg.parent / "out" / "feed.xml"
    first = feed.read_bytes()
    assert main(["render", "--config", str(cfg), "--date", "2025-03-04"]) == 0
    assert feed.read_bytes() == first
    parsed = feedparser.parse(first)
    assert [e.link for e in parsed.entries] == ["https://news.example/digest/2025-03-04.html"]
    assert parsed.entries[0].id == "https://news.example/digest/2025-03-04.html"
    assert parsed.feed.id == "https://news.example/digest/feed.xml"


def test_feed_links_markdown_when_html_is_not_written(inbox: Path, make_config) -> None:
    cfg = make_config(output={"dir": "out", "formats": ["markdown"]})
    _backfill(cfg)
    out = cfg.parent / "out"
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert [e.link for e in parsed.entries] == ["2025-03-04.md", "2025-03-03.md"]
    assert not (out / "index.html").exists() and (out / "index.md").is_file()
    assert not (out / "stories").exists()
