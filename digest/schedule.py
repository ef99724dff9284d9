"""Pure scheduling decisions for the daemon: which slots exist, which briefing days are due now.

Nothing here reads the clock or the store: every function takes ``now``, the trigger and the set of
briefing days already written, so catch-up, daylight-saving and clock-step behaviour is tested
without waiting. Runs are keyed by **briefing date** (the local date of a slot in the configured
timezone, the same date ``digest render`` uses), so a slot that fires twice on one date (autumn
daylight-saving fall-back, a clock stepped back) can never produce a second briefing.

Crontab day-of-week numbers follow crontab (0 or 7 = Sunday). APScheduler 3.x counts 0 as Monday
(its ``from_crontab`` warns about this), so numeric weekdays are rewritten to names first.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger

from digest.errors import ConfigError

Policy = Literal["latest", "all"]

_CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_DOW_PART = re.compile(r"^(?:(\*)|([0-7])(?:-([0-7]))?)(?:/([0-9]+))?$")
_MAX_SLOTS = 200_000  # a "* * * * *" schedule over a 100-day window stays below this


@dataclass(frozen=True)
class Slot:
    """One briefing day that is due, with the first scheduled fire time that belongs to it."""

    day: date
    at: datetime


def crontab_weekdays(field: str) -> str:
    """Rewrite a crontab day-of-week field (0/7 = Sunday) into APScheduler weekday names.

    Names (``mon-fri``) pass through unchanged; numbers, ranges and steps are expanded to an
    explicit list of names, so ``1-5`` means Monday to Friday as it does in crontab.
    """
    out: list[str] = []
    for part in field.lower().split(","):
        m = _DOW_PART.match(part)
        if m is None:
            out.append(part)  # names, or something CronTrigger will reject with its own message
            continue
        star, first, last, step = m.groups()
        if star:
            lo, hi = 0, 6
        else:
            lo = int(first)
            hi = int(last) if last is not None else (6 if step else lo)
        if lo > hi:
            raise ConfigError(f"schedule.cron: day-of-week range {part!r} runs backwards")
        stride = int(step) if step else 1
        if stride < 1:
            raise ConfigError(f"schedule.cron: step in {part!r} must be at least 1")
        if star and not step:
            return "*"
        for n in range(lo, hi + 1, stride):
            name = _CRON_DAYS[n % 7]
            if name not in out:
                out.append(name)
    return ",".join(out)


def build_trigger(cron: str, timezone: str) -> CronTrigger:
    """A CronTrigger for a 5-field crontab line evaluated in ``timezone``; ConfigError if
    invalid."""
    try:
        tz = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"timezone: unknown time zone {timezone!r} (e.g. UTC, Europe/Berlin)"
        ) from None
    fields = cron.split()
    if len(fields) != 5:
        raise ConfigError(
            f"schedule.cron: {cron!r} has {len(fields)} fields; expected 5 (minute hour day month "
            "weekday)"
        )
    minute, hour, day, month, dow = fields
    try:
        return CronTrigger(
            minute=minute,
            hour=hour,
            day=day,
            month=month,
            day_of_week=crontab_weekdays(dow),
            timezone=tz,
        )
    except ValueError as exc:
        raise ConfigError(
            f"schedule.cron: {cron!r} is not a valid cron expression ({exc})"
        ) from None


def slot_day(slot: datetime, tz: ZoneInfo) -> date:
    """The briefing date a slot produces: its local date in the configured timezone."""
    return slot.astimezone(tz).date()


def slots_between(trigger: CronTrigger, start: datetime, end: datetime) -> list[datetime]:
    """Every fire time ``t`` of ``trigger`` with ``start <= t <= end``, oldest first.

    Bounds are compared in UTC: Python compares two times of the same zone by wall clock and
    ignores ``fold``, which would merge the two 02:30s of a fall-back night.
    """
    out: list[datetime] = []
    end_utc = end.astimezone(UTC)
    t = trigger.get_next_fire_time(None, start)
    while t is not None and t.astimezone(UTC) <= end_utc and len(out) < _MAX_SLOTS:
        out.append(t)
        t = trigger.get_next_fire_time(t, t)
    return out


def next_slot(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The first fire time strictly after ``now``."""
    upcoming: datetime | None = trigger.get_next_fire_time(None, now + timedelta(microseconds=1))
    return upcoming


def last_done(done: Collection[date], today: date) -> date | None:
    """The newest briefing day up to ``today`` (days rendered ahead with ``--date`` are ignored)."""
    return max((d for d in done if d <= today), default=None)


def is_duplicate(slot: datetime, tz: ZoneInfo, done: Collection[date]) -> bool:
    """True when the briefing of the slot's date already exists: the fire is a no-op."""
    return slot_day(slot, tz) in done


def due_slots(
    now: datetime,
    trigger: CronTrigger,
    done: Collection[date],
    policy: Policy,
    window_days: int,
) -> list[Slot]:
    """The briefing days to run now, oldest first.

    Slots considered are those of the last ``window_days`` days up to ``now``. A day is due when it
    is newer than the newest briefing already written (so gaps older than that are left to
    ``digest backfill``, and a rerun never rewrites history). A fresh state with no briefing yet
    has missed nothing before today: only today's slot, once it has passed, is due (else the
    first run is the next slot), so a first start never files today's items under yesterday.
    ``latest`` runs only the newest due day; ``all`` runs each due day, at most ``window_days``
    of them.
    """
    tz = trigger.timezone
    now = now.astimezone(UTC)
    start = now - timedelta(days=max(window_days, 1))
    firsts: dict[date, datetime] = {}
    for t in slots_between(trigger, start, now):
        firsts.setdefault(slot_day(t, tz), t)
    days = sorted(firsts)
    today = now.astimezone(tz).date()
    high = last_done(done, today)
    if high is None:
        days = [d for d in days[-1:] if d == today and d not in done]
    else:
        days = [d for d in days if d > high and d not in done]
    if policy == "latest":
        days = days[-1:]
    else:
        days = days[-max(window_days, 1) :]
    return [Slot(d, firsts[d]) for d in days]
