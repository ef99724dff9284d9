"""``digest daemon``: APScheduler 3.x around the same ``run_day`` that ``digest render`` calls.

Behaviour (documented in docs and contrib/):

* **One job, one decision.** The cron job and the catch-up at start both call ``Daemon.tick``,
  which asks ``schedule.due_slots`` which briefing days are due now (given the briefings already
  in the state) and runs each with ``pipeline.run_day``. A slot that fires twice on one date
  (daylight-saving fall-back, clock stepped back) finds its briefing and does nothing; a clock
  stepped forward or a resume after suspend runs what the catch-up policy says, never a burst.
* **Catch-up at start.** The job's first run is "now", so a slot missed while the daemon was down
  is produced within seconds of starting (``schedule.catch_up``: latest or all, bounded by
  ``schedule.catch_up_days``). APScheduler's own misfire handling is switched off
  (``misfire_grace_time=None``, ``coalesce=True``): lateness is harmless because ``tick`` decides.
* **One instance.** The daemon holds ``<state dir>/digest.lock`` (kernel flock) for its whole
  lifetime, so ``digest render``/``backfill`` are refused while it runs, not only while a job runs:
  the daemon may start a job at any moment, and a one-shot run in between would race it.
* **Signals.** Jobs run in the main thread (APScheduler's DebugExecutor). The first SIGTERM/SIGINT
  stops the scheduler and lets a running job finish; a second one interrupts the job, whose
  transaction rolls back (files are replaced atomically, so each stays whole). Exit status 0.
* A failed run is logged, recorded in the runs table and leaves the scheduler alive for the next
  slot. Its day has no briefing, so a restart retries it (and so does the next slot with
  ``catch_up: all``).
* The scheduler loop re-reads the wall clock every second (``_Scheduler``), so a slot passed
  during a suspend is run within a second of resuming, and a stop signal is seen promptly.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from types import FrameType
from typing import Any

from apscheduler.executors.debug import DebugExecutor
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from digest.config import Config
from digest.errors import DigestError, Interrupted
from digest.lock import instance_lock
from digest.schedule import Slot, due_slots, is_duplicate, next_slot
from digest.store import Store

log = logging.getLogger(__name__)

RunDay = Callable[[Config, date, datetime], Any]
Clock = Callable[[], datetime]

JOB_ID = "daily-briefing"
POLL_SECONDS = 1.0  # how often the loop re-reads the stop flag and the wall clock
LATE_WARNING = timedelta(minutes=2)


def utc_now() -> datetime:
    return datetime.now(UTC)


def _default_run(config: Config, day: date, now: datetime) -> Any:
    from digest.pipeline.run import run_day  # imported late: spaCy and the stages load with it

    return run_day(config, day, now)


class Daemon:
    """The scheduled job and its decisions; ``serve()`` wraps it in a BlockingScheduler."""

    def __init__(
        self,
        config: Config,
        trigger: CronTrigger,
        run: RunDay = _default_run,
        clock: Clock = utc_now,
    ) -> None:
        self.config = config
        self.trigger = trigger
        self.run = run
        self.clock = clock
        self.stopping = False
        self.in_run = False
        self._first_tick = True

    # ----- decisions + effects -------------------------------------------------------------------

    def done_days(self) -> set[date]:
        """Briefing days already written, read fresh from the state each time."""
        path = self.config.state.path
        if not path.exists():
            return set()
        store = Store.open(path)
        try:
            return set(store.briefing_days())
        finally:
            store.close()

    def due(self, now: datetime) -> list[Slot]:
        sched = self.config.schedule
        return due_slots(now, self.trigger, self.done_days(), sched.catch_up, sched.catch_up_days)

    def tick(self) -> list[date]:
        """The job: run every due briefing day, oldest first. Returns the days that were written."""
        if self.stopping:
            return []
        now = self.clock()
        written: list[date] = []
        try:
            due = self.due(now)
        except DigestError as exc:  # e.g. the state became unreadable: try again at the next slot
            log.error("cannot decide which days are due: %s", exc)
            return []
        if self._first_tick:
            self._first_tick = False
            if due:
                log.info(
                    "catch-up: %d day(s) due: %s", len(due), ", ".join(str(s.day) for s in due)
                )
            else:
                log.info("catch-up: nothing missed")
        for slot in due:
            if self.stopping:
                log.info("stopping: day=%s left for the next start", slot.day)
                break
            try:
                done = self.done_days()
            except DigestError as exc:
                log.error("day=%s not run: %s", slot.day, exc)
                break
            if is_duplicate(slot.at, self.trigger.timezone, done):
                log.info("day=%s already written; slot skipped", slot.day)
                continue
            late = now.astimezone(UTC) - slot.at.astimezone(UTC)
            if late > LATE_WARNING:
                log.warning(
                    "day=%s catching up a missed slot (scheduled %s, %s late)",
                    slot.day,
                    slot.at,
                    _td(late),
                )
            if self.run_one(slot.day, slot.at):
                written.append(slot.day)
        return written

    def run_one(self, day: date, slot: datetime | None = None) -> bool:
        """One run of the pipeline for ``day``; failures are logged and recorded, never raised."""
        now = self.clock()
        started = time.monotonic()
        self.in_run = True  # from here on a first stop signal lets the run finish
        try:
            if self.stopping:
                return False
            log.info("day=%s running (slot %s)", day, slot.isoformat() if slot else "manual")
            self.run(self.config, day, now)
            return True
        except Interrupted:
            self.in_run = False  # a third signal must not interrupt the bookkeeping below
            log.warning(
                "day=%s interrupted by a second stop signal; its open transaction was rolled back",
                day,
            )
            self.stopping = True
            self._record_failure(day, now, "interrupted", "interrupted by a stop signal", started)
        except DigestError as exc:
            log.error("day=%s failed: %s", day, exc)
            self._record_failure(day, now, "error", str(exc), started)
        except Exception as exc:  # the daemon outlives one bad run
            log.exception("day=%s failed with an unexpected error", day)
            self._record_failure(day, now, "error", f"{type(exc).__name__}: {exc}", started)
        finally:
            self.in_run = False
        return False

    def _record_failure(
        self, day: date, now: datetime, outcome: str, message: str, started: float
    ) -> None:
        try:
            store = Store.open(self.config.state.path)
            try:
                with store.transaction():
                    store.record_run(
                        now,
                        day,
                        outcome,
                        seconds=round(time.monotonic() - started, 3),
                        message=message,
                    )
            finally:
                store.close()
        except DigestError as exc:
            log.error("could not record the failed run of %s: %s", day, exc)

    # ----- scheduler and signals -----------------------------------------------------------------

    def serve(self) -> int:
        """Start the blocking scheduler (first run now: the catch-up); return 0 once stopped."""
        tz = self.trigger.timezone
        scheduler = _Scheduler(
            should_stop=lambda: self.stopping,
            timezone=tz,
            executors={"default": DebugExecutor()},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        scheduler.add_job(
            self.tick,
            self.trigger,
            id=JOB_ID,
            name="daily briefing",
            next_run_time=datetime.now(tz),
            replace_existing=True,
        )
        previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            upcoming = next_slot(self.trigger, self.clock())
            log.info(
                "daemon started pid=%d schedule=%r timezone=%s catch_up=%s next=%s",
                os.getpid(),
                self.config.schedule.cron,
                self.config.timezone,
                self.config.schedule.catch_up,
                upcoming.isoformat() if upcoming else "never",
            )
            scheduler.start()
            if scheduler.state != STATE_STOPPED:
                scheduler.shutdown(wait=False)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        log.info("daemon stopped")
        return 0

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        """Only flags: calling the scheduler from a signal handler could run in the middle of it."""
        if self.stopping:
            if self.in_run:
                raise Interrupted()
            return
        self.stopping = True
        log.info(
            "%s: stopping%s",
            signal.Signals(signum).name,
            " after the running job" if self.in_run else "",
        )


class _Scheduler(BlockingScheduler):
    """A BlockingScheduler whose loop also ends once ``should_stop()`` is true.

    Its wait is sliced into ``POLL_SECONDS`` so that a stop flag set by a signal handler is seen
    within a second. (The handler cannot call ``shutdown()`` itself: a signal landing inside
    ``_process_jobs`` would empty the job store under it and crash with JobLookupError.) Due times
    are compared with the wall clock each slice, because the underlying wait is monotonic and
    would oversleep a slot after a suspend/resume. This overrides a private method of APScheduler
    3.x (pinned ``<4``); the subprocess tests exercise it.
    """

    def __init__(self, should_stop: Callable[[], bool], **options: Any) -> None:
        super().__init__(**options)
        self._should_stop = should_stop

    def _main_loop(self) -> None:
        due_at: float | None = 0.0  # wall-clock time of the next job check (None: no jobs)
        while self.state != STATE_STOPPED and not self._should_stop():
            assert self._event is not None
            woken = self._event.wait(POLL_SECONDS)
            self._event.clear()
            if self._should_stop():
                break
            if woken or (due_at is not None and time.time() >= due_at):
                wait_seconds = self._process_jobs()
                due_at = None if wait_seconds is None else time.time() + wait_seconds


def _td(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    hours, rest = divmod(seconds, 3600)
    return f"{hours}h{rest // 60:02d}m" if hours else f"{rest // 60}m{rest % 60:02d}s"


def run_daemon(config: Config) -> int:
    """``digest daemon``: validate the schedule, take the lock, serve until SIGTERM/SIGINT."""
    from digest.schedule import build_trigger

    trigger = build_trigger(config.schedule.cron, config.timezone)
    with instance_lock(config, "daemon"):
        daemon = Daemon(config, trigger)
        # a corrupt or too-new state is a one-line error now, not a log at every slot
        daemon.done_days()
        return daemon.serve()
