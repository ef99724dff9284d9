"""`digest sources check` and `digest config show`."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from digest.cli import main
from tests.sources import test_opml

feed_url = test_opml.feed_url  # the loopback feed fixture


def test_sources_check_reports_a_broken_feed_clearly(
    inbox: Path, make_config, tmp_path: Path, feed_url: str, capsys
) -> None:
    (tmp_path / "junk.xml").write_text("this is not a feed")
    (tmp_path / "subs.opml").write_text(
        f'<opml version="2.0"><body><outline text="Desk" xmlUrl="{feed_url}"/></body></opml>'
    )
    cfg = make_config(
        [
            {"name": "inbox", "type": "files", "path": "inbox"},
            {"name": "junk", "type": "feed", "path": "junk.xml"},
            {
                "name": "down",
                "type": "feed",
                "url": "http://127.0.0.1:9/feed.xml",
                "allow_private": True,
            },
            {"name": "subs", "type": "opml", "path": "subs.opml", "private_feeds": [feed_url]},
            {"name": "off", "type": "feed", "url": "https://off.example/feed", "enabled": False},
        ]
    )
    assert main(["sources", "check", "--config", str(cfg)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].split() == [
        "SOURCE",
        "TYPE",
        "STATUS",
        "ITEMS",
        "LAST",
        "SUCCESS",
        "LAST",
        "ERROR",
    ]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert rows["inbox"].split()[1:4] == ["files", "ok", "4"]
    assert rows["subs/Desk"].split()[1:4] == ["feed", "ok", "1"]
    assert rows["junk"].split()[1:3] == ["feed", "FAILED"] and "not a feed" in rows["junk"]
    assert rows["down"].split()[1:3] == ["feed", "FAILED"] and "127.0.0.1:9" in rows["down"]
    assert rows["off"].split()[2] == "disabled"
    assert "2 of 5 sources failed: junk, down" in captured.err
    assert not (tmp_path / "out").exists(), "a check writes no briefing"


def test_sources_check_shows_last_success_from_earlier_runs(
    inbox: Path, make_config, capsys
) -> None:
    cfg = make_config()
    assert main(["render", "--config", str(cfg), "--date", "2025-03-04"]) == 0
    capsys.readouterr()
    assert main(["sources", "check", "--config", str(cfg)]) == 0
    row = capsys.readouterr().out.splitlines()[1].split()
    assert row[:4] == ["inbox", "files", "ok", "4"] and row[4] != "never"


def test_config_show_redacts_secrets(make_config, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("DIGEST_SMTP_PASSWORD", "hunter2-value")
    cfg = make_config(
        [{"name": "private", "type": "feed", "url": "https://bob:hunter2@feeds.example/x.xml"}],
        delivery={
            "email": {
                "host": "smtp.example",
                "to": ["a@example.org"],
                "from": "d@example.org",
                "user": "bob",
                "password_env": "DIGEST_SMTP_PASSWORD",
            }
        },
        watch={"keywords": ["harbour"]},
    )
    assert main(["config", "show", "--config", str(cfg)]) == 0
    out = capsys.readouterr().out
    assert "hunter2" not in out
    data = yaml.safe_load(out)
    assert data["sources"][0]["url"] == "https://***@feeds.example/x.xml"
    assert data["delivery"]["email"]["from"] == "d@example.org"
    assert data["delivery"]["email"]["password_env"] == "DIGEST_SMTP_PASSWORD"
    assert data["watch"] == {"actors": [], "keywords": ["harbour"]}
    assert data["output"]["dir"] == str(tmp_path / "out")


def test_subcommand_is_required() -> None:
    with pytest.raises(SystemExit) as info:
        main(["sources"])
    assert info.value.code == 2
