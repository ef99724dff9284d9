"""JSON Feed 1.0/1.1 (jsonfeed.org): a supported feed format, with the bounds and sanitising of
XML feeds. Each fixture states in its ``_fixture`` member (an extension key, which JSON Feed
readers ignore) what it tests and what must come out."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.errors import ParseError
from digest.sources.feedparse import FeedEntry, ParsedFeed, parse_feed
from tests.sources.test_feedparse import _inert

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "jsonfeeds"
FILES = sorted(FIXTURES.glob("*.json"))


def _parse(data: bytes) -> tuple[ParsedFeed | None, str | None]:
    try:
        return parse_feed(data, base_url="https://notes.example/feed.json"), None
    except ParseError as exc:
        return None, str(exc).removeprefix("https://notes.example/feed.json: ")


def test_the_corpus_is_there() -> None:
    assert len(FILES) >= 4


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_fixture(path: Path) -> None:
    data = path.read_bytes()
    header = json.loads(data)["_fixture"]
    assert header["description"] and header["expect"]
    feed, error = _parse(data)
    names = {"feed": feed, "error": error, "FeedEntry": FeedEntry, "datetime": datetime}
    names |= {"UTC": UTC, "_inert": _inert}
    for expect in header["expect"]:
        assert eval(expect, names), f"{path.name}: {expect} (feed={feed!r}, error={error!r})"


def test_a_cut_off_document_is_a_clear_error() -> None:
    data = (FIXTURES / "full_11.json").read_bytes()
    feed, error = _parse(data[: len(data) // 2])
    assert feed is None and error is not None and error.startswith("not a feed (invalid JSON")


def test_deep_nesting_is_refused_not_a_crash() -> None:
    feed, error = _parse(
        b'{"version": "https://jsonfeed.org/version/1", "items": ' + b"[" * 100_000
    )
    assert feed is None and error is not None and error.startswith("not a feed")


def test_size_cap_applies_before_parsing() -> None:
    data = (FIXTURES / "full_11.json").read_bytes()
    with pytest.raises(ParseError, match="over the 100-byte cap"):
        parse_feed(data, max_bytes=100)


def test_a_json_feed_source_renders(tmp_path: Path) -> None:
    """End to end: a local JSON Feed is a `feed` source; its title names the source."""
    from digest.cli import main
    from tests.conftest import write_config

    (tmp_path / "notes.json").write_bytes((FIXTURES / "full_11.json").read_bytes())
    cfg = write_config(tmp_path, [{"name": "notes", "type": "feed", "path": "notes.json"}])
    assert main(["render", "-q", "--config", str(cfg), "--date", "2026-02-16"]) == 0
    data = json.loads((tmp_path / "out" / "2026-02-16.json").read_text())
    items = [it for s in data["stories"] for it in s["items"]]
    assert {it["source"] for it in items} == {"Kessel Harbour Notes"}
    assert "Storm closes the outer pier" in {it["title"] for it in items}
