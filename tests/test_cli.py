"""The command as cron runs it: exit codes, future dates, one line per failed source, --quiet,
library warnings captured into one line of ours."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from digest.cli import EXIT_NOTHING, EXIT_USAGE, main
from tests.conftest import FLOOD_JSONL, write_config

ITEM_UT = """<item><title>{what} {n} closes for repairs</title><guid>{what}-{n}</guid>
<link>https://desk.example/{what}{n}</link><pubDate>Mon, 03 Mar 2025 0{n}:00:00 UT</pubDate>
<description>The harbour authority closed {what} {n} in Veldmar to repair its storm-damaged deck.
</description></item>"""


def _feed_with_ut_dates(what: str) -> str:
    items = "".join(ITEM_UT.format(what=what, n=n) for n in (1, 2, 3))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>{items}</channel></rss>'


def _inbox(folder: Path) -> Path:
    box = folder / "inbox"
    box.mkdir(exist_ok=True)
    (box / "wire.jsonl").write_text(
        "\n".join(json.dumps(o) for o in FLOOD_JSONL) + "\n", encoding="utf-8"
    )
    os.utime(box / "wire.jsonl", (1741000000, 1741000000))
    return box


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_every_source_failed_exits_3_with_one_line_per_source(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    cfg = write_config(
        tmp_path,
        [
            {"name": "inbox", "type": "files", "path": "missing-folder"},
            {"name": "world", "type": "feed", "path": "missing.xml"},
        ],
    )
    assert main(["render", "--config", str(cfg), "--date", "2025-03-04"]) == EXIT_NOTHING == 3
    out, err = capfd.readouterr()
    assert out == ""
    lines = _lines(err)
    assert len(lines) == 3, lines
    assert lines[0].startswith("digest: warning: source=inbox failed: folder ")
    assert lines[1].startswith("digest: warning: source=world failed: cannot read ")
    assert lines[2] == (
        "digest: error: every enabled source failed (inbox, world) and nothing new is left to "
        "report; no briefing written for 2025-03-04"
    )
    assert not (tmp_path / "out" / "2025-03-04.html").exists()


def test_quiet_prints_only_the_error(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    cfg = write_config(tmp_path, [{"name": "inbox", "type": "files", "path": "missing-folder"}])
    assert main(["render", "--quiet", "--config", str(cfg), "--date", "2025-03-04"]) == 3
    out, err = capfd.readouterr()
    assert out == "" and len(_lines(err)) == 1 and err.startswith("digest: error: every enabled")


def test_one_failed_source_is_one_warning_and_the_run_succeeds(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    _inbox(tmp_path)
    cfg = write_config(
        tmp_path,
        [
            {"name": "inbox", "type": "files", "path": "inbox"},
            {"name": "world", "type": "feed", "path": "missing.xml"},
        ],
    )
    assert main(["render", "--config", str(cfg), "--date", "2025-03-04"]) == 0
    out, err = capfd.readouterr()
    assert len(_lines(out)) == 3  # the three briefing files
    assert _lines(err) == [
        f"digest: warning: source=world failed: cannot read {tmp_path / 'missing.xml'} "
        "(No such file or directory)"
    ]
    footer = (tmp_path / "out" / "2025-03-04.md").read_text().split("Sources that failed:")[1]
    assert "- world: cannot read" in footer and "source world:" not in footer
    assert main(["-q", "render", "--config", str(cfg), "--date", "2025-03-04"]) == 0
    assert capfd.readouterr() == ("", "")


def test_failed_sources_with_items_left_to_report_still_publish(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    _inbox(tmp_path)
    cfg = write_config(tmp_path, [{"name": "inbox", "type": "files", "path": "inbox"}])
    assert main(["render", "--config", str(cfg), "--date", "2025-03-03"]) == 0  # 03-04 item waits
    (tmp_path / "inbox" / "wire.jsonl").unlink()
    (tmp_path / "inbox").rmdir()
    capfd.readouterr()
    assert main(["render", "--config", str(cfg), "--date", "2025-03-04"]) == 0
    data = json.loads((tmp_path / "out" / "2025-03-04.json").read_text())
    assert data["stories"] and not data["sources"][0]["ok"]


def test_backfill_with_every_source_failed_exits_3(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    cfg = write_config(tmp_path, [{"name": "inbox", "type": "files", "path": "missing"}])
    args = ["backfill", "--config", str(cfg), "--since", "2025-03-01", "--until", "2025-03-05"]
    assert main(args) == 3
    assert "no briefing written" in capfd.readouterr().err


def test_a_date_more_than_a_day_ahead_is_refused(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "inbox").mkdir()
    cfg = write_config(tmp_path, [{"name": "inbox", "type": "files", "path": "inbox"}])
    today = datetime.now(UTC).date()
    ahead = today + timedelta(days=2)
    assert main(["render", "--config", str(cfg), "--date", str(ahead)]) == EXIT_USAGE == 2
    err = capfd.readouterr().err
    assert err == (
        f"digest: error: --date {ahead} is in the future (today is {today} in UTC); at most one "
        "day ahead is accepted\n"
    )
    assert not (tmp_path / "state").exists(), "refused before anything was opened"
    args = ["backfill", "--config", str(cfg), "--since", str(today), "--until", str(ahead)]
    assert main(args) == 2
    tomorrow = today + timedelta(days=1)  # another timezone's today: accepted
    assert main(["render", "-q", "--config", str(cfg), "--date", str(tomorrow)]) == 0


def test_library_warnings_become_one_line_of_ours(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """RSS dates in "UT" make dateutil warn once per date; never printed raw."""
    (tmp_path / "desk.xml").write_text(_feed_with_ut_dates("Pier"), encoding="utf-8")
    cfg = write_config(tmp_path, [{"name": "desk", "type": "feed", "path": "desk.xml"}])
    assert main(["render", "--config", str(cfg), "--date", "2025-03-03"]) == 0
    assert capfd.readouterr().err == ""  # nothing raw, nothing at the default level
    (tmp_path / "desk.xml").write_text(_feed_with_ut_dates("Quay"), encoding="utf-8")
    assert main(["render", "-v", "--config", str(cfg), "--date", "2025-03-03"]) == 0
    err = capfd.readouterr().err
    assert "Warning:" not in err.replace("library warnings", "")
    ours = [line for line in err.splitlines() if "UnknownTimezoneWarning" in line]
    assert len(ours) == 1, err
    assert "source=desk library warnings while parsing: UnknownTimezoneWarning x" in ours[0]


def test_render_waits_out_the_settle_window_instead_of_skipping(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file dropped 3 s before a one-shot render is read after a bounded wait (fake clock)."""
    import digest.cli as cli

    box = tmp_path / "inbox"
    box.mkdir()
    note = box / "note.md"
    note.write_text(
        "---\ntitle: Tram line vote delayed\ndate: 2025-03-04\n---\n"
        "The Veldmar council delayed its vote on the new tram line after a long debate.\n",
        encoding="utf-8",
    )
    clock = [datetime.fromtimestamp(note.stat().st_mtime, UTC) + timedelta(seconds=3)]
    slept: list[float] = []
    monkeypatch.setattr(cli, "_now", lambda: clock[0])
    monkeypatch.setattr(
        cli,
        "_sleep",
        lambda s: (slept.append(s), clock.__setitem__(0, clock[0] + timedelta(seconds=s))),
    )
    cfg = write_config(tmp_path, [{"name": "inbox", "type": "files", "path": "inbox"}])
    assert main(["render", "--config", str(cfg), "--date", "2025-03-04"]) == 0
    assert len(slept) == 1 and 7.0 <= slept[0] <= 7.1, slept
    err = capfd.readouterr().err
    assert err.startswith("digest: waiting 7.0 s for 1 file(s) still being written: note.md")
    data = json.loads((tmp_path / "out" / "2025-03-04.json").read_text())
    assert [it["title"] for s in data["stories"] for it in s["items"]] == ["Tram line vote delayed"]


def test_json_files_and_settled_files_need_no_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import digest.cli as cli

    box = _inbox(tmp_path)  # an old file
    (box / "fresh.jsonl").write_text(json.dumps(FLOOD_JSONL[0]) + "\n", encoding="utf-8")
    monkeypatch.setattr(cli, "_sleep", lambda s: pytest.fail("no wait expected"))
    cfg = write_config(tmp_path, [{"name": "inbox", "type": "files", "path": "inbox"}])
    assert main(["render", "-q", "--config", str(cfg), "--date", "2025-03-04"]) == 0


def test_the_daemon_keeps_skipping_unsettled_files(tmp_path: Path) -> None:
    """The daemon's runs go straight to the pipeline: a fresh file waits for the next run."""
    from digest.config import load_config
    from digest.pipeline.run import run_day

    box = tmp_path / "inbox"
    box.mkdir()
    (box / "note.md").write_text(
        "---\ntitle: Fresh\ndate: 2025-03-04\n---\nJust written text here.\n"
    )
    cfg = load_config(write_config(tmp_path, [{"name": "inbox", "type": "files", "path": "inbox"}]))
    now = datetime.fromtimestamp((box / "note.md").stat().st_mtime, UTC) + timedelta(seconds=2)
    result = run_day(cfg, datetime(2025, 3, 4).date(), now)
    assert result.items == 0
