"""The daemon's job (``Daemon.tick``) over a real state database, with time injected.

The run function is a stand-in that records a briefing the way ``publish_day`` does, so these tests
check the decisions and their bookkeeping without loading spaCy; the subprocess tests in
``system/test_daemon_process.py`` drive the real pipeline.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from digest.config import Config, load_config
from digest.daemon import Daemon, Interrupted
from digest.errors import ConfigError, OutputError
from digest.schedule import build_trigger, slots_between
from digest.store import BriefingRecord, Store

UTC = UTC


def write_config(
    folder: Path, cron: str = "30 2 * * *", tz: str = "UTC", **schedule: object
) -> Path:
    lines = [
        f"timezone: {tz}",
        "sources:",
        "  - name: inbox",
        "    type: files",
        "    path: inbox",
        "schedule:",
        f'  cron: "{cron}"',
    ]
    lines += [f"  {k}: {v}" for k, v in schedule.items()]
    (folder / "inbox").mkdir(exist_ok=True)
    path = folder / "config.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class FakeRun:
    """Records each call and writes the briefing row, as the pipeline's publish step would."""

    def __init__(self, fail: Callable[[date], BaseException | None] | None = None) -> None:
        self.calls: list[tuple[date, datetime]] = []
        self.fail = fail

    def __call__(self, config: Config, day: date, now: datetime) -> None:
        self.calls.append((day, now))
        if self.fail is not None:
            exc = self.fail(day)
            if exc is not None:
                raise exc
        store = Store.open(config.state.path)
        try:
            with store.transaction():
                store.record_briefing(BriefingRecord(day, now, 1, 1, 0, 0.1))
                store.record_run(now, day, "ok", 1, 1, 0, 0.1)
        finally:
            store.close()


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def make_daemon(config: Config, run: FakeRun, now: datetime) -> tuple[Daemon, Clock]:
    clock = Clock(now)
    trigger = build_trigger(config.schedule.cron, config.timezone)
    return Daemon(config, trigger, run=run, clock=clock), clock


def briefing_days(config: Config) -> list[date]:
    store = Store.open(config.state.path)
    try:
        return store.briefing_days()
    finally:
        store.close()


def seed(config: Config, *days: date) -> None:
    """Briefings written before the daemon starts."""
    for d in days:
        FakeRun()(config, d, datetime(d.year, d.month, d.day, 3, tzinfo=UTC))


def test_fresh_state_runs_the_most_recent_slot_at_start(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path))
    run = FakeRun()
    daemon, _ = make_daemon(config, run, datetime(2026, 11, 21, 2, 35, tzinfo=UTC))
    assert daemon.tick() == [date(2026, 11, 21)]
    assert [d for d, _ in run.calls] == [date(2026, 11, 21)]
    assert run.calls[0][1] == datetime(2026, 11, 21, 2, 35, tzinfo=UTC)  # now is the injected clock


def test_first_start_before_todays_slot_waits_and_never_files_today_under_yesterday(
    tmp_path: Path,
) -> None:
    config = load_config(write_config(tmp_path))  # 02:30 UTC daily
    run = FakeRun()
    daemon, clock = make_daemon(config, run, datetime(2026, 11, 21, 1, 50, tzinfo=UTC))
    assert daemon.tick() == [] and run.calls == []  # yesterday's slot is not caught up
    clock.now = datetime(2026, 11, 21, 2, 30, tzinfo=UTC)  # today's slot fires
    assert daemon.tick() == [date(2026, 11, 21)]
    assert briefing_days(config) == [date(2026, 11, 21)]


def test_a_day_whose_sources_all_failed_is_recorded_and_retried(tmp_path: Path) -> None:
    """The pipeline writes no briefing when every source failed: the daemon logs and records it,
    stays alive, and the day is still due at the next start."""
    from digest.errors import NothingToReport

    config = load_config(write_config(tmp_path))
    failing = FakeRun(fail=lambda d: NothingToReport("every enabled source failed (inbox)"))
    daemon, clock = make_daemon(config, failing, datetime(2026, 11, 21, 2, 35, tzinfo=UTC))
    assert daemon.tick() == []
    store = Store.open(config.state.path)
    try:
        run = store.last_run()
        assert run is not None and run["outcome"] == "error"
        assert "every enabled source failed" in run["message"]
    finally:
        store.close()
    restarted, _ = make_daemon(config, FakeRun(), clock.now + timedelta(minutes=5))
    assert restarted.tick() == [date(2026, 11, 21)]


def test_three_days_down_latest(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, catch_up="latest"))
    seed(config, date(2026, 11, 17))
    run = FakeRun()
    daemon, _ = make_daemon(config, run, datetime(2026, 11, 20, 9, tzinfo=UTC))
    assert daemon.tick() == [date(2026, 11, 20)]
    assert briefing_days(config) == [date(2026, 11, 17), date(2026, 11, 20)]


def test_three_days_down_all(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, catch_up="all"))
    seed(config, date(2026, 11, 17))
    run = FakeRun()
    daemon, clock = make_daemon(config, run, datetime(2026, 11, 20, 9, tzinfo=UTC))
    assert daemon.tick() == [date(2026, 11, 18), date(2026, 11, 19), date(2026, 11, 20)]
    # a second tick (the cron slot firing, or a restart) is a no-op: no burst of duplicates
    clock.now += timedelta(minutes=1)
    assert daemon.tick() == []
    assert len(run.calls) == 3


def test_restart_after_a_completed_run_does_not_run_again(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path))
    run = FakeRun()
    now = datetime(2026, 11, 21, 2, 30, 0, 5000, tzinfo=UTC)
    first, _ = make_daemon(config, run, now)
    assert first.tick() == [date(2026, 11, 21)]
    restarted, _ = make_daemon(config, run, now + timedelta(minutes=3))
    assert restarted.tick() == []
    assert len(run.calls) == 1


@pytest.mark.parametrize(
    ("tzname", "start", "end"),
    [
        ("Europe/Berlin", datetime(2026, 3, 27), datetime(2026, 4, 1)),
        ("Europe/Berlin", datetime(2026, 10, 23), datetime(2026, 10, 28)),
        ("America/New_York", datetime(2026, 3, 6), datetime(2026, 3, 11)),
        ("America/New_York", datetime(2026, 10, 30), datetime(2026, 11, 4)),
    ],
)
def test_dst_through_the_daemon_one_briefing_per_date(
    tmp_path: Path, tzname: str, start: datetime, end: datetime
) -> None:
    tz = ZoneInfo(tzname)
    config = load_config(write_config(tmp_path, tz=tzname))
    seed(config, (start - timedelta(days=1)).date())
    run = FakeRun()
    daemon, clock = make_daemon(config, run, start.replace(tzinfo=tz))
    fires = slots_between(daemon.trigger, start.replace(tzinfo=tz), end.replace(tzinfo=tz))
    for fired in fires:
        clock.now = fired.astimezone(UTC) + timedelta(
            milliseconds=3
        )  # the job runs just after its slot
        daemon.tick()
    expected = [start.date() + timedelta(days=i) for i in range((end - start).days)]
    assert [d for d, _ in run.calls] == expected
    if (tzname, start.month) == ("Europe/Berlin", 10):
        assert len(fires) == len(expected) + 1  # APScheduler fired 02:30 twice on 10-25


def test_a_failed_run_is_recorded_and_the_daemon_goes_on(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, catch_up="all"))
    seed(config, date(2026, 11, 18))
    broken = {date(2026, 11, 19)}
    run = FakeRun(
        fail=lambda d: OutputError("cannot write out/x.md: disk full") if d in broken else None
    )
    daemon, _ = make_daemon(config, run, datetime(2026, 11, 20, 3, tzinfo=UTC))
    assert daemon.tick() == [date(2026, 11, 20)]  # the 19th failed, the 20th still ran
    store = Store.open(config.state.path)
    try:
        outcomes = [
            (r["day"], r["outcome"], r["message"])
            for r in store.conn.execute("SELECT day, outcome, message FROM runs ORDER BY id")
        ]
    finally:
        store.close()
    assert ("2026-11-19", "error", "cannot write out/x.md: disk full") in outcomes
    assert outcomes[-1][:2] == ("2026-11-20", "ok")


def test_an_unexpected_exception_does_not_stop_the_daemon(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path))
    run = FakeRun(fail=lambda d: RuntimeError("boom"))
    daemon, clock = make_daemon(config, run, datetime(2026, 11, 21, 3, tzinfo=UTC))
    assert daemon.tick() == []
    store = Store.open(config.state.path)
    try:
        row = store.last_run()
    finally:
        store.close()
    assert row is not None and row["outcome"] == "error" and row["message"] == "RuntimeError: boom"
    # the next slot retries (nothing was written for the 21st)
    run.fail = None
    clock.now += timedelta(days=1)
    assert daemon.tick() == [date(2026, 11, 22)]


def test_interrupted_job_is_recorded_and_stops_further_catch_up(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, catch_up="all"))
    seed(config, date(2026, 11, 17))
    run = FakeRun(fail=lambda d: Interrupted() if d == date(2026, 11, 18) else None)
    daemon, _ = make_daemon(config, run, datetime(2026, 11, 20, 9, tzinfo=UTC))
    assert daemon.tick() == []
    assert daemon.stopping
    assert [d for d, _ in run.calls] == [date(2026, 11, 18)]
    assert briefing_days(config) == [date(2026, 11, 17)]


def test_stop_requested_before_the_job_runs_nothing(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path))
    run = FakeRun()
    daemon, _ = make_daemon(config, run, datetime(2026, 11, 21, 3, tzinfo=UTC))
    daemon.stopping = True
    assert daemon.tick() == []
    assert run.calls == []


def test_bad_cron_is_refused_when_the_config_loads(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^schedule\.cron: .* has 6 fields"):
        load_config(write_config(tmp_path, cron="0 0 7 * * *"))
    with pytest.raises(ConfigError, match=r"^schedule\.cron: '7\?' in"):
        load_config(write_config(tmp_path, cron="0 7? * * *"))
    with pytest.raises(ConfigError, match=r"^schedule\.catch_up_days: must be between 1 and 366"):
        load_config(write_config(tmp_path, catch_up_days=0))
    with pytest.raises(ConfigError, match=r"^schedule\.catch_up: 'some'"):
        load_config(write_config(tmp_path, catch_up="some"))


def test_run_daemon_reports_a_bad_cron_before_taking_the_lock(tmp_path: Path) -> None:
    from digest.daemon import run_daemon

    config = load_config(write_config(tmp_path, cron="0 25 * * *"))  # right shape, wrong hour
    with pytest.raises(
        ConfigError, match=r"^schedule\.cron: '0 25 \* \* \*' is not a valid cron expression"
    ):
        run_daemon(config)
    assert not (tmp_path / "state").exists()


def test_a_corrupt_state_is_refused_at_start_and_survived_in_a_tick(tmp_path: Path) -> None:
    from digest.daemon import run_daemon
    from digest.errors import StateError

    config = load_config(write_config(tmp_path))
    config.state.path.parent.mkdir()
    config.state.path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StateError):
        run_daemon(config)
    run = FakeRun()
    daemon, _ = make_daemon(config, run, datetime(2026, 11, 21, 3, tzinfo=UTC))
    assert daemon.tick() == []
    assert run.calls == []
