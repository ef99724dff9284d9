"""OPML sources: parsing without entity expansion, expansion into feed sources, pipeline use."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.cli import main
from digest.config import SourceConfig
from digest.errors import ParseError
from digest.sources.opml import expand_sources, parse_opml

OPML = b"""<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0"><head><title>My subscriptions</title></head><body>
  <outline text="World">
    <outline text="Loopback desk" type="rss" xmlUrl="%(url)s"/>
    <outline text="Second   desk" title="Second desk" type="rss" xmlUrl="https://second.example/feed"/>
  </outline>
  <outline text="Duplicate" xmlUrl="%(url)s"/>
  <outline text="Local file" xmlUrl="file:///etc/passwd"/>
  <outline text="Folder without feed"/>
</body></opml>"""


def _opml(url: str = "https://one.example/rss") -> bytes:
    return OPML % {b"url": url.encode()}


def test_parse_walks_folders_drops_duplicates_and_non_http() -> None:
    assert parse_opml(_opml(), "t") == [
        ("Loopback desk", "https://one.example/rss"),
        ("Second desk", "https://second.example/feed"),
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><opml><body><outline text="&b;" xmlUrl="https://x.example/"/></body></opml>',
            "DOCTYPE",
        ),
        (b'<?xml version="1.0"?><!doctype opml SYSTEM "file:///etc/passwd"><opml/>', "DOCTYPE"),
        (b"<opml><body><outline", "not valid"),
        (b"<rss><channel/></rss>", "expected <opml>"),
    ],
)
def test_hostile_or_broken_opml_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_opml(data, "t")


def test_expand_names_feeds_after_the_list_and_keeps_options(tmp_path: Path) -> None:
    (tmp_path / "subs.opml").write_bytes(_opml())
    sources = [
        SourceConfig(name="inbox", type="files", path=tmp_path),
        SourceConfig(
            name="subs",
            type="opml",
            path=tmp_path / "subs.opml",
            private_feeds=("https://second.example/feed",),
        ),
        SourceConfig(name="gone", type="opml", path=tmp_path / "missing.opml"),
        SourceConfig(name="off", type="opml", path=tmp_path / "missing.opml", enabled=False),
    ]
    expanded, failed = expand_sources(sources)
    assert [(s.name, s.type, s.url) for s in expanded] == [
        ("inbox", "files", None),
        ("subs/Loopback desk", "feed", "https://one.example/rss"),
        ("subs/Second desk", "feed", "https://second.example/feed"),
    ]
    assert all(s.path is None and s.private_feeds == () for s in expanded[1:])
    # allow_private is never inherited: only the feed named in private_feeds gets it
    assert [s.allow_private for s in expanded] == [False, False, True]
    assert [f.name for f in failed] == ["gone"] and "cannot read" in (failed[0].error or "")


class _Feed(http.server.BaseHTTPRequestHandler):
    body = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>
<item><title>Osterholm ferry returns to service</title><link>http://127.0.0.1/ferry</link><guid>ferry-1</guid>
<pubDate>Tue, 04 Mar 2025 10:00:00 GMT</pubDate><description>The Osterholm ferry returned to service on Tuesday after repairs.</description></item>
</channel></rss>"""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def feed_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    server.shutdown()
    server.server_close()


def test_pipeline_collects_each_outline_and_reports_broken_lists(
    feed_url: str, make_config, tmp_path: Path
) -> None:
    opml = (
        b'<opml version="2.0"><body><outline text="Desk" xmlUrl="'
        + feed_url.encode()
        + b'"/></body></opml>'
    )
    (tmp_path / "subs.opml").write_bytes(opml)
    cfg = make_config(
        [
            {"name": "subs", "type": "opml", "path": "subs.opml", "private_feeds": [feed_url]},
            {"name": "broken", "type": "opml", "path": "nowhere.opml"},
        ]
    )
    assert main(["render", "--config", str(cfg), "--date", "2025-03-04"]) == 0
    data = json.loads((tmp_path / "out" / "2025-03-04.json").read_text())
    (item,) = [it for s in data["stories"] for it in s["items"]]
    assert item["title"] == "Osterholm ferry returns to service"
    status = {s["name"]: s for s in data["sources"]}
    assert status["subs/Desk"]["ok"] and not status["broken"]["ok"]
    assert "nowhere.opml" in status["broken"]["error"]


def test_bare_ampersands_in_urls_are_repaired_but_broken_quotes_are_not() -> None:
    data = b'<opml><body><outline text="A &amp; B" xmlUrl="https://a.example/rss?x=1&y=2&#38;z=3"/></body></opml>'
    assert parse_opml(data, "t") == [("A & B", "https://a.example/rss?x=1&y=2&z=3")]
    with pytest.raises(ParseError, match="line 1"):
        parse_opml(
            b'<opml><body><outline text="A "quoted" B" xmlUrl="https://a.example/"/></body></opml>',
            "t",
        )


def test_an_opml_list_cannot_pass_allow_private_to_its_feeds(make_config, tmp_path: Path) -> None:
    """Issue #18 item 8: one untrusted list must not open every feed it names to the LAN."""
    from digest.config import load_config
    from digest.errors import ConfigError

    (tmp_path / "subs.opml").write_bytes(_opml())
    cfg = make_config(
        [{"name": "subs", "type": "opml", "path": "subs.opml", "allow_private": True}]
    )
    with pytest.raises(ConfigError, match="private_feeds"):
        load_config(cfg)
