"""``digest status``: last run and outcome, next slot, missed slots, each source's health."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from digest.cli import main
from digest.config import Config, load_config
from digest.lock import instance_lock
from digest.status import print_status
from digest.store import BriefingRecord, SourceState, Store

UTC = UTC
NOW = datetime(2026, 11, 21, 9, 15, tzinfo=UTC)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    (tmp_path / "inbox").mkdir()
    path = tmp_path / "config.yaml"
    path.write_text(
        "timezone: Europe/Berlin\n"
        "sources:\n"
        "  - name: inbox\n    type: files\n    path: inbox\n"
        "  - name: world\n    type: feed\n    url: https://world.example/rss\n"
        "  - name: spare\n    type: files\n    path: inbox\n"
        "schedule:\n  cron: '30 7 * * *'\n  catch_up: all\n",
        encoding="utf-8",
    )
    return load_config(path)


def status(config: Config, now: datetime = NOW) -> str:
    buf = io.StringIO()
    assert print_status(config, now, buf) == 0
    return buf.getvalue()


def fill(config: Config) -> None:
    store = Store.open(config.state.path)
    try:
        with store.transaction():
            t = datetime(2026, 11, 20, 6, 30, 5, tzinfo=UTC)
            store.record_briefing(BriefingRecord(date(2026, 11, 20), t, 42, 9, 1, 3.2))
            store.record_run(t, date(2026, 11, 20), "ok", 42, 9, 1, 3.2)
            store.record_run(
                NOW,
                date(2026, 11, 21),
                "error",
                message="cannot write out/2026-11-21.md: disk full",
            )
            store.save_source_state(
                SourceState("inbox", last_attempt=t, last_success=t, last_items=12)
            )
            store.save_source_state(
                SourceState(
                    "world",
                    last_attempt=t,
                    last_success=datetime(2026, 11, 17, 6, 30, tzinfo=UTC),
                    last_error="HTTP 503 from https://world.example/rss",
                    last_error_at=t,
                    consecutive_failures=3,
                )
            )
            store.save_source_state(SourceState("retired", last_attempt=t, last_success=t))
    finally:
        store.close()


def test_status_of_a_fresh_install_creates_nothing(config: Config) -> None:
    text = status(config)
    assert "daemon:     not running" in text
    assert "next run:   2026-11-22 07:30:00 CET (in 21h 15m)" in text
    assert "last run:   none (no state database yet)" in text
    assert "behind:     slot(s) passed without a briefing: 2026-11-21" in text
    assert not config.state.path.exists()
    assert not config.state.path.parent.exists()


def test_a_fresh_install_before_todays_slot_is_not_behind(config: Config) -> None:
    """The daemon's first start waits for today's slot: nothing is reported as missed."""
    text = status(config, datetime(2026, 11, 21, 5, 0, tzinfo=UTC))  # 06:00 CET, slot 07:30
    assert "behind:" not in text
    assert "next run:   2026-11-21 07:30:00 CET (in 1h 30m)" in text


def test_a_run_with_every_source_failed_shows_as_the_last_run(config: Config) -> None:
    store = Store.open(config.state.path)
    try:
        with store.transaction():
            store.record_run(
                NOW,
                date(2026, 11, 21),
                "error",
                message="every enabled source failed (inbox, world) and nothing new is left",
            )
    finally:
        store.close()
    text = status(config)
    assert ": error: every enabled source failed (inbox, world)" in text
    assert "behind:     slot(s) passed without a briefing: 2026-11-21" in text


def test_status_reports_runs_outcome_next_slot_and_sources(config: Config) -> None:
    fill(config)
    text = status(config)
    assert "schedule:   30 7 * * * (Europe/Berlin); catch-up all, at most 7 days back" in text
    assert (
        "briefing:   2026-11-20 written 2026-11-20 07:30:05 CET (42 items, 9 stories, 1 sources failed, 3.2 s)"
        in text
    )
    assert (
        "last run:   2026-11-21 started 2026-11-21 10:15:00 CET: error: cannot write out/2026-11-21.md: disk full"
        in text
    )
    assert "next run:   2026-11-22 07:30:00 CET" in text
    assert "behind:     slot(s) passed without a briefing: 2026-11-21" in text
    assert "  inbox: ok; last success 2026-11-20 07:30:05 CET, 12 new items\n" in text
    assert (
        "  world: FAILING (3 in a row); last success 2026-11-17 07:30:00 CET, 0 new items;"
        " last error 2026-11-20 07:30:05 CET: HTTP 503 from https://world.example/rss\n" in text
    )
    assert "  spare: never run\n" in text
    assert "  retired: in the state but no longer configured\n" in text


def test_status_is_up_to_date_after_todays_briefing(config: Config) -> None:
    fill(config)
    store = Store.open(config.state.path)
    try:
        with store.transaction():
            store.record_briefing(BriefingRecord(date(2026, 11, 21), NOW, 1, 1, 0, 1.0))
            store.record_run(NOW, date(2026, 11, 21), "ok", 1, 1, 0, 1.0)
    finally:
        store.close()
    text = status(config)
    assert "behind:" not in text
    assert (
        "last run:   2026-11-21 started 2026-11-21 10:15:00 CET: ok (1 items, 1 stories, 0 sources failed)"
        in text
    )


def test_status_names_the_running_daemon(config: Config) -> None:
    import os

    with instance_lock(config, "daemon"):
        text = status(config)
    assert (
        f"daemon:     running (pid {os.getpid()}, {config.state.path.parent / 'digest.lock'})"
        in text
    )
    assert "daemon:     not running" in status(config)


def test_status_command_line(config: Config, capsys: pytest.CaptureFixture[str]) -> None:
    fill(config)
    assert main(["status", "--config", str(config.path)]) == 0
    out = capsys.readouterr().out
    assert "briefing:   2026-11-20 written" in out
    assert "world: FAILING (3 in a row)" in out


def test_status_with_a_bad_cron_is_one_line(
    config: Config, capsys: pytest.CaptureFixture[str]
) -> None:
    text = config.path.read_text(encoding="utf-8").replace("'30 7 * * *'", "'30 7 * * 9'")
    config.path.write_text(text, encoding="utf-8")
    assert main(["status", "--config", str(config.path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(
        "digest: error: schedule.cron: '30 7 * * 9' is not a valid cron expression"
    )
    assert "\n" not in err
