"""The daemon's pure decisions: slots, catch-up policies, daylight saving, duplicate fires.

Time is an argument everywhere here: nothing waits and nothing freezes the clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from digest.errors import ConfigError
from digest.schedule import (
    build_trigger,
    crontab_weekdays,
    due_slots,
    is_duplicate,
    last_done,
    next_slot,
    slot_day,
    slots_between,
)

UTC = UTC


def at(tzname: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(tzname))


# ----- cron parsing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("*", "*"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("0", "sun"),
        ("7", "sun"),
        ("0,6", "sun,sat"),
        ("*/2", "sun,tue,thu,sat"),
        ("1-5/2", "mon,wed,fri"),
        ("mon-fri", "mon-fri"),
        ("sat,1", "sat,mon"),
    ],
)
def test_crontab_weekday_numbers_mean_what_crontab_means(field: str, expected: str) -> None:
    assert crontab_weekdays(field) == expected


def test_weekday_numbers_follow_crontab_not_apscheduler() -> None:
    # 2026-11-20 is a Friday. "1-5" in crontab is Monday..Friday, so the next slot after Friday
    # 08:00 is Monday 07:00 (APScheduler 3's own numbering would have picked Saturday).
    trigger = build_trigger("0 7 * * 1-5", "UTC")
    assert next_slot(trigger, at("UTC", 2026, 11, 20, 8)) == at("UTC", 2026, 11, 23, 7)
    sunday_only = build_trigger("0 7 * * 0", "UTC")
    assert next_slot(sunday_only, at("UTC", 2026, 11, 20, 8)) == at("UTC", 2026, 11, 22, 7)


@pytest.mark.parametrize(
    ("cron", "needle"),
    [
        ("0 7 * *", "has 4 fields"),
        ("61 7 * * *", "not a valid cron expression"),
        ("0 25 * * *", "not a valid cron expression"),
        ("0 7 * * funday", "not a valid cron expression"),
        ("0 7 * * 5-1", "runs backwards"),
    ],
)
def test_bad_cron_is_a_one_line_config_error(cron: str, needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        build_trigger(cron, "UTC")
    message = str(info.value)
    assert message.startswith("schedule.cron:")
    assert needle in message
    assert "\n" not in message


def test_unknown_timezone_is_a_one_line_config_error() -> None:
    with pytest.raises(ConfigError, match=r"^timezone: unknown time zone 'Mars/Olympus'"):
        build_trigger("0 7 * * *", "Mars/Olympus")


# ----- slots -------------------------------------------------------------------------------------


def test_slots_between_is_inclusive_and_ordered() -> None:
    trigger = build_trigger("30 2 * * *", "UTC")
    slots = slots_between(trigger, at("UTC", 2026, 11, 1, 2, 30), at("UTC", 2026, 11, 3, 2, 30))
    assert slots == [at("UTC", 2026, 11, d, 2, 30) for d in (1, 2, 3)]


def test_next_slot_is_strictly_after_now() -> None:
    trigger = build_trigger("30 2 * * *", "UTC")
    assert next_slot(trigger, at("UTC", 2026, 11, 1, 2, 30)) == at("UTC", 2026, 11, 2, 2, 30)


def test_slot_day_is_the_local_date() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    assert slot_day(datetime(2026, 11, 21, 23, 30, tzinfo=UTC), berlin) == date(2026, 11, 22)


def test_last_done_ignores_days_rendered_ahead() -> None:
    assert last_done({date(2026, 11, 18), date(2026, 11, 30)}, date(2026, 11, 21)) == date(
        2026, 11, 18
    )
    assert last_done(set(), date(2026, 11, 21)) is None


# ----- catch-up ----------------------------------------------------------------------------------

DAILY = "0 7 * * *"


def test_on_time_slot_is_due_once() -> None:
    trigger = build_trigger(DAILY, "UTC")
    now = at("UTC", 2026, 11, 21, 7, 0, 0)
    done = {date(2026, 11, 20)}
    due = due_slots(now, trigger, done, "latest", 7)
    assert [s.day for s in due] == [date(2026, 11, 21)]
    assert due[0].at == now
    # the same slot once the briefing exists: nothing to do
    assert (
        due_slots(now + timedelta(seconds=5), trigger, done | {date(2026, 11, 21)}, "latest", 7)
        == []
    )


def test_before_todays_slot_nothing_is_due() -> None:
    trigger = build_trigger(DAILY, "UTC")
    assert due_slots(at("UTC", 2026, 11, 21, 6, 59), trigger, {date(2026, 11, 20)}, "all", 7) == []


def test_three_days_down_latest_runs_only_the_newest_missed_slot() -> None:
    trigger = build_trigger(DAILY, "UTC")
    done = {date(2026, 11, 17)}  # last briefing; down from the 18th 06:00 to the 21st 07:05
    due = due_slots(at("UTC", 2026, 11, 21, 7, 5), trigger, done, "latest", 7)
    assert [s.day for s in due] == [date(2026, 11, 21)]


def test_three_days_down_all_runs_each_missed_day_oldest_first() -> None:
    trigger = build_trigger(DAILY, "UTC")
    done = {date(2026, 11, 17)}
    due = due_slots(at("UTC", 2026, 11, 21, 7, 5), trigger, done, "all", 7)
    assert [s.day for s in due] == [date(2026, 11, d) for d in (18, 19, 20, 21)]
    assert [s.at for s in due] == [at("UTC", 2026, 11, d, 7) for d in (18, 19, 20, 21)]


def test_three_days_down_before_todays_slot() -> None:
    trigger = build_trigger(DAILY, "UTC")
    done = {date(2026, 11, 17)}
    now = at("UTC", 2026, 11, 21, 6, 0)
    assert [s.day for s in due_slots(now, trigger, done, "all", 7)] == [
        date(2026, 11, d) for d in (18, 19, 20)
    ]
    assert [s.day for s in due_slots(now, trigger, done, "latest", 7)] == [date(2026, 11, 20)]


def test_catch_up_days_bounds_how_far_back() -> None:
    trigger = build_trigger(DAILY, "UTC")
    done = {date(2026, 10, 1)}  # down for weeks
    due = due_slots(at("UTC", 2026, 11, 21, 8), trigger, done, "all", 3)
    assert [s.day for s in due] == [date(2026, 11, d) for d in (19, 20, 21)]


def test_fresh_state_before_todays_slot_waits_for_it() -> None:
    """A first start never files today's items under yesterday's briefing."""
    trigger = build_trigger(DAILY, "UTC")  # 07:00
    for policy in ("latest", "all"):
        due = due_slots(at("UTC", 2026, 11, 21, 6), trigger, set(), policy, 7)  # type: ignore[arg-type]
        assert due == []
    assert next_slot(trigger, at("UTC", 2026, 11, 21, 6)) == at("UTC", 2026, 11, 21, 7)


def test_fresh_state_after_todays_slot_runs_today() -> None:
    trigger = build_trigger(DAILY, "UTC")
    for policy in ("latest", "all"):
        due = due_slots(at("UTC", 2026, 11, 21, 9), trigger, set(), policy, 7)  # type: ignore[arg-type]
        assert [s.day for s in due] == [date(2026, 11, 21)]


def test_fresh_state_with_only_a_future_briefing_still_waits() -> None:
    trigger = build_trigger(DAILY, "UTC")
    due = due_slots(at("UTC", 2026, 11, 21, 6), trigger, {date(2026, 11, 22)}, "latest", 7)
    assert due == []


def test_gaps_before_the_last_briefing_are_left_to_backfill() -> None:
    trigger = build_trigger(DAILY, "UTC")
    done = {date(2026, 11, 17), date(2026, 11, 20)}  # the 18th and 19th were never written
    assert due_slots(at("UTC", 2026, 11, 21, 6), trigger, done, "all", 7) == []


def test_a_day_rendered_ahead_does_not_hide_missed_days() -> None:
    trigger = build_trigger(DAILY, "UTC")
    done = {date(2026, 11, 19), date(2026, 11, 25)}
    due = due_slots(at("UTC", 2026, 11, 21, 8), trigger, done, "all", 7)
    assert [s.day for s in due] == [date(2026, 11, 20), date(2026, 11, 21)]


def test_clock_stepped_forward_two_days_is_one_run_with_latest() -> None:
    trigger = build_trigger(DAILY, "UTC")
    done = {date(2026, 11, 19)}
    due = due_slots(at("UTC", 2026, 11, 21, 7, 0, 1), trigger, done, "latest", 7)
    assert len(due) == 1


def test_clock_stepped_back_after_a_run_is_a_no_op() -> None:
    trigger = build_trigger(DAILY, "UTC")
    done = {date(2026, 11, 21)}
    # ran at 07:00, then the clock was stepped back to 06:30 and 07:00 fires again
    assert due_slots(at("UTC", 2026, 11, 21, 7, 0, 1), trigger, done, "all", 7) == []
    assert is_duplicate(at("UTC", 2026, 11, 21, 7), ZoneInfo("UTC"), done)


def test_several_slots_a_day_still_one_briefing_per_date() -> None:
    trigger = build_trigger("0 */6 * * *", "UTC")
    done = {date(2026, 11, 20)}
    due = due_slots(at("UTC", 2026, 11, 21, 19), trigger, done, "all", 7)
    assert [(s.day, s.at) for s in due] == [(date(2026, 11, 21), at("UTC", 2026, 11, 21, 0))]


# ----- daylight saving: exactly one briefing per date --------------------------------------------


def simulate(
    cron: str, tzname: str, start: datetime, end: datetime, policy: str = "latest"
) -> list[date]:
    """Fire every slot the trigger produces (as the scheduler would) and run what is due."""
    trigger = build_trigger(cron, tzname)
    done: list[date] = []
    for fired in slots_between(trigger, start, end):
        for slot in due_slots(fired, trigger, set(done), policy, 7):  # type: ignore[arg-type]
            done.append(slot.day)
    return done


@pytest.mark.parametrize(
    ("tzname", "start", "end"),
    [
        (
            "Europe/Berlin",
            (2026, 3, 27),
            (2026, 4, 1),
        ),  # spring forward: 02:30 does not exist on 3-29
        (
            "Europe/Berlin",
            (2026, 10, 23),
            (2026, 10, 28),
        ),  # fall back: 02:30 happens twice on 10-25
        ("America/New_York", (2026, 3, 6), (2026, 3, 11)),  # spring forward on 3-8
        ("America/New_York", (2026, 10, 30), (2026, 11, 4)),  # fall back on 11-1
    ],
)
@pytest.mark.parametrize("policy", ["latest", "all"])
def test_dst_exactly_one_briefing_per_date(
    tzname: str, start: tuple[int, int, int], end: tuple[int, int, int], policy: str
) -> None:
    first = at(tzname, *start)
    last = at(tzname, *end)
    days = simulate("30 2 * * *", tzname, first, last, policy)
    expected = [first.date() + timedelta(days=i) for i in range((last.date() - first.date()).days)]
    assert days == expected


def test_berlin_fall_back_fires_twice_but_the_second_is_a_duplicate() -> None:
    trigger = build_trigger("30 2 * * *", "Europe/Berlin")
    fires = slots_between(
        trigger, at("Europe/Berlin", 2026, 10, 25), at("Europe/Berlin", 2026, 10, 25, 23)
    )
    assert len(fires) == 2  # 02:30 CEST and 02:30 CET: APScheduler fires both
    first, second = fires
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)
    assert [s.day for s in due_slots(first, trigger, set(), "latest", 7)] == [date(2026, 10, 25)]
    assert due_slots(second, trigger, {date(2026, 10, 25)}, "latest", 7) == []


def test_berlin_spring_forward_runs_the_nonexistent_0230_once() -> None:
    trigger = build_trigger("30 2 * * *", "Europe/Berlin")
    fires = slots_between(
        trigger, at("Europe/Berlin", 2026, 3, 29), at("Europe/Berlin", 2026, 3, 29, 23)
    )
    assert len(fires) == 1
    assert slot_day(fires[0], ZoneInfo("Europe/Berlin")) == date(2026, 3, 29)


def test_catch_up_across_dst_after_downtime() -> None:
    trigger = build_trigger("30 2 * * *", "Europe/Berlin")
    done = {date(2026, 10, 23)}
    due = due_slots(at("Europe/Berlin", 2026, 10, 26, 9), trigger, done, "all", 7)
    assert [s.day for s in due] == [date(2026, 10, 24), date(2026, 10, 25), date(2026, 10, 26)]
