"""``digest status``: what an operator needs after a night of scheduled runs, read-only.

Prints whether a daemon holds the lock, the last briefing and the last run with its outcome, the
next scheduled slot, any slot that is due but not written yet, and each source's health. It never
creates the state database or the lock file and never takes the lock.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import TextIO

from digest.config import Config
from digest.errors import DigestError
from digest.lock import holder_if_locked, lock_path
from digest.sanitize import one_line, redact_text
from digest.schedule import Slot, build_trigger, due_slots, next_slot
from digest.store import Store


def _when(dt: datetime | None, config: Config) -> str:
    if dt is None:
        return "never"
    return dt.astimezone(config.tz).strftime("%Y-%m-%d %H:%M:%S %Z")


def _ago(dt: datetime, now: datetime) -> str:
    seconds = int((now - dt).total_seconds())
    sign, seconds = ("in ", -seconds) if seconds < 0 else ("", seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    text = f"{days}d {hours}h" if days else f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"
    return f"{sign}{text}" if sign else f"{text} ago"


def print_status(config: Config, now: datetime, stream: TextIO) -> int:
    """Write the status report to ``stream``. Returns 0 (1 only if the state cannot be read)."""
    trigger = build_trigger(config.schedule.cron, config.timezone)
    out = stream.write
    sched = config.schedule
    out(f"config:     {config.path}\n")
    out(f"state:      {config.state.path}\n")
    out(
        f"schedule:   {sched.cron} ({config.timezone}); catch-up {sched.catch_up},"
        f" at most {sched.catch_up_days} days back\n"
    )
    lock = lock_path(config)
    holder = holder_if_locked(lock)
    if holder is None:
        out("daemon:     not running (no process holds the lock)\n")
    else:
        pid, command = holder
        who = f"pid {pid}" if pid is not None else "pid unknown"
        kind = "running" if command == "daemon" else f"not running; digest {command or '?'} is busy"
        out(f"daemon:     {kind} ({who}, {lock})\n")
    upcoming = next_slot(trigger, now)
    if upcoming is not None:
        out(f"next run:   {_when(upcoming, config)} ({_ago(upcoming, now)})\n")
    else:
        out("next run:   never (the cron expression has no future slot)\n")

    if not config.state.path.exists():
        out("last run:   none (no state database yet)\n")
        due = due_slots(now, trigger, set(), sched.catch_up, sched.catch_up_days)
        _print_due(due, config, stream)
        return 0
    try:
        store = Store.open(config.state.path)
    except DigestError as exc:
        out(f"state:      unreadable: {exc}\n")
        return 1
    try:
        brief = store.last_briefing()
        run = store.last_run()
        done = set(store.briefing_days())
        states = {s.name: s for s in store.all_source_states()}
        skipped = {s.name: store.skipped_files(s.name) for s in config.sources if s.type == "files"}
    except sqlite3.Error as exc:
        out(f"state:      unreadable: {exc}\n")
        return 1
    finally:
        store.close()

    if brief is None:
        out("briefing:   none written yet\n")
    else:
        out(
            f"briefing:   {brief.day} written {_when(brief.completed_at, config)}"
            f" ({brief.items} items, {brief.stories} stories,"
            f" {brief.sources_failed} sources failed, {brief.seconds:.1f} s)\n"
        )
    if run is None:
        out("last run:   none\n")
    else:
        started = datetime.fromisoformat(run["started_at"])
        line = f"last run:   {run['day']} started {_when(started, config)}: {run['outcome']}"
        if run["outcome"] == "ok":
            line += (
                f" ({run['items']} items, {run['stories']} stories,"
                f" {run['sources_failed']} sources failed)"
            )
        if run["message"]:
            line += f": {_shown(run['message'])}"
        out(line + "\n")
    _print_due(due_slots(now, trigger, done, sched.catch_up, sched.catch_up_days), config, stream)

    out("sources:\n")
    for src in config.sources:
        st = states.get(src.name)
        if not src.enabled:
            out(f"  {src.name}: disabled\n")
        elif st is None or st.last_attempt is None:
            out(f"  {src.name}: never run\n")
        else:
            health = (
                "ok"
                if st.consecutive_failures == 0
                else f"FAILING ({st.consecutive_failures} in a row)"
            )
            line = f"  {src.name}: {health}; last success {_when(st.last_success, config)}"
            line += f", {st.last_items} new items" if st.last_success else ""
            if st.last_error:
                line += f"; last error {_when(st.last_error_at, config)}: {_shown(st.last_error)}"
            out(line + "\n")
        files = skipped.get(src.name)
        if files:
            path, reason = files[-1]
            out(
                f"  {src.name}: {len(files)} file(s) skipped until they change; e.g. "
                f"{_shown(path)}: {_shown(reason)}\n"
            )
    for name in sorted(set(states) - {s.name for s in config.sources}):
        out(f"  {name}: in the state but no longer configured\n")
    return 0


def _shown(text: str) -> str:
    """Stored text as one clean line with URLs redacted (it may predate the sanitiser)."""
    return one_line(redact_text(text), limit=300)


def _print_due(due: list[Slot], config: Config, stream: TextIO) -> None:
    if due:
        days = ", ".join(str(s.day) for s in due)
        stream.write(
            f"behind:     slot(s) passed without a briefing: {days} (the daemon runs them at "
            "start)\n"
        )
