"""End to end through the CLI: render, backfill, broken sources, re-render stability, JSON schema."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from digest.cli import main

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "digest" / "schema" / "briefing.schema.json").read_text()
)


def _load(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    return data


def _run(*args: str) -> int:
    return main(list(args))


def test_render_writes_three_files_with_both_sections(inbox: Path, make_config, capsys) -> None:
    cfg = make_config(items={"max_age_days": 1})
    assert _run("render", "--config", str(cfg), "--date", "2025-03-04") == 0
    printed = capsys.readouterr().out.split()
    out = cfg.parent / "out"
    assert printed == [str(out / f"2025-03-04.{ext}") for ext in ("md", "html", "json")]
    md = (out / "2025-03-04.md").read_text()
    html = (out / "2025-03-04.html").read_text()
    assert md.startswith("# Daily briefing: 2025-03-04")
    for section in ("## Key actors", "## New developments"):
        assert section in md
    assert "Key actors</h2>" in html and "New developments</h2>" in html
    data = _load(out / "2025-03-04.json")
    assert data["date"] == "2025-03-04"
    ids = [it["id"] for s in data["stories"] for it in s["items"]]
    assert len(ids) == len(set(ids)) == 4  # fire (03-03), flood x2, council; max age 1 day
    origins = sorted(it["origin"] for s in data["stories"] for it in s["items"])
    assert origins == ["fire.txt", "notes.md", "wire.jsonl:1", "wire.jsonl:2"]
    texts = {it["origin"]: it for s in data["stories"] for it in s["items"]}
    assert "Share this article" not in texts["fire.txt"]["text"]
    assert texts["notes.md"]["url"] == "https://daily.example/council"  # tracking removed


def test_backfill_one_briefing_per_day_and_story_ids_persist(inbox: Path, make_config) -> None:
    cfg = make_config()
    assert (
        _run("backfill", "--config", str(cfg), "--since", "2025-03-01", "--until", "2025-03-10")
        == 0
    )
    out = cfg.parent / "out"
    assert sorted(p.name for p in out.glob("*.json")) == ["2025-03-03.json", "2025-03-04.json"]
    day1, day2 = _load(out / "2025-03-03.json"), _load(out / "2025-03-04.json")
    flood1 = next(s for s in day1["stories"] if any("Almen" in it["title"] for it in s["items"]))
    flood2 = next(s for s in day2["stories"] if any("Almen" in it["title"] for it in s["items"]))
    assert flood1["id"] == flood2["id"]
    assert flood2["first_seen"] == "2025-03-03"
    all_ids = [it["id"] for d in (day1, day2) for s in d["stories"] for it in s["items"]]
    assert len(all_ids) == len(set(all_ids)) == 4  # nothing reported twice


def test_rerender_is_byte_identical(inbox: Path, make_config) -> None:
    cfg = make_config()
    assert _run("render", "--config", str(cfg), "--date", "2025-03-04") == 0
    out = cfg.parent / "out"
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert _run("render", "--config", str(cfg), "--date", "2025-03-04") == 0
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert before == after


def test_broken_sources_are_reported_and_the_rest_is_produced(
    inbox: Path, make_config, tmp_path: Path
) -> None:
    (tmp_path / "bad.xml").write_text("this is not a feed at all")
    cfg = make_config(
        [
            {"name": "inbox", "type": "files", "path": "inbox"},
            {"name": "gone", "type": "files", "path": "no-such-folder"},
            {"name": "junk", "type": "feed", "path": "bad.xml"},
            {
                "name": "down",
                "type": "feed",
                "url": "http://127.0.0.1:9/feed.xml",
                "allow_private": True,
            },
        ]
    )
    assert _run("render", "--config", str(cfg), "--date", "2025-03-04") == 0
    out = cfg.parent / "out"
    data = _load(out / "2025-03-04.json")
    failed = {s["name"]: s["error"] for s in data["sources"] if not s["ok"]}
    assert set(failed) == {"gone", "junk", "down"}
    assert "does not exist" in failed["gone"]
    md = (out / "2025-03-04.md").read_text()
    assert "Sources that failed" in md and "gone" in md
    assert data["stories"], "the working source still produced a briefing"


def test_exit_codes(tmp_path: Path, make_config, capsys) -> None:
    assert _run("render", "--config", str(tmp_path / "missing.yaml")) == 1
    assert "config file not found" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["render", "--date", "not-a-date"])
    assert info.value.code == 2
    capsys.readouterr()
    (tmp_path / "inbox").mkdir()
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the output folder should be")
    cfg = make_config(output={"dir": "blocked/out"})
    assert _run("render", "--config", str(cfg), "--date", "2025-03-04") == 1
    err = capsys.readouterr().err
    assert err.startswith("digest: error:") and "Traceback" not in err


class _FeedHandler(http.server.BaseHTTPRequestHandler):
    body = b""
    etag = '"v1"'
    requests: list[dict[str, str]] = []

    def do_GET(self) -> None:  # noqa: N802
        type(self).requests.append(dict(self.headers))
        if self.headers.get("If-None-Match") == self.etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", self.etag)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Loopback desk</title><link>http://127.0.0.1/</link>
<item><title>Tram line vote postponed again</title><link>http://127.0.0.1/tram</link><guid>tram-1</guid>
<pubDate>Tue, 04 Mar 2025 10:00:00 GMT</pubDate>
<description>&lt;p&gt;The Veldmar council postponed the tram vote for a second time on Tuesday.&lt;/p&gt;</description></item>
</channel></rss>"""


@pytest.fixture
def feed_server() -> Iterator[str]:
    _FeedHandler.body = FEED
    _FeedHandler.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FeedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    server.shutdown()
    server.server_close()


def test_feed_over_loopback_with_conditional_get(
    feed_server: str, make_config, tmp_path: Path
) -> None:
    cfg = make_config([{"name": "desk", "type": "feed", "url": feed_server, "allow_private": True}])
    assert _run("render", "--config", str(cfg), "--date", "2025-03-04") == 0
    data = _load(tmp_path / "out" / "2025-03-04.json")
    (item,) = [it for s in data["stories"] for it in s["items"]]
    assert item["title"] == "Tram line vote postponed again"
    assert item["origin"] == "desk" and item["date_source"] == "feed"
    assert _run("render", "--config", str(cfg), "--date", "2025-03-04") == 0
    assert _FeedHandler.requests[-1].get("If-None-Match") == '"v1"'
    again = _load(tmp_path / "out" / "2025-03-04.json")
    assert again == data


def test_private_feed_refused_by_default(
    feed_server: str, make_config, tmp_path: Path, capsys
) -> None:
    cfg = make_config([{"name": "desk", "type": "feed", "url": feed_server}])
    # the only source failed and nothing is left to report: exit 3, no empty briefing
    assert _run("render", "--config", str(cfg), "--date", "2025-03-04") == 3
    err = capsys.readouterr().err.splitlines()
    assert [line.split(":")[:2] for line in err] == [
        ["digest", " warning"],
        ["digest", " error"],
    ], err
    assert err[0].startswith("digest: warning: source=desk failed: ")
    assert not (tmp_path / "out" / "2025-03-04.json").exists() and _FeedHandler.requests == []
