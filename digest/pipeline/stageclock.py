"""Seconds per pipeline stage, for ``--profile`` and the one log line per run.

The orchestrator calls ``lap(name)`` after each stage; laps with the same name add up, so a stage
run once per story or per source is reported once. Logged at INFO as
``stage=NAME seconds=S cpu=C``: wall seconds, and CPU seconds of this process plus the children it
reaped meanwhile (worker processes), which a busy machine does not inflate.
"""

from __future__ import annotations

import logging
import resource
import time
from collections import defaultdict

log = logging.getLogger(__name__)


def cpu_seconds() -> float:
    """User + system seconds of this process and of every child it has reaped."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class StageClock:
    """Accumulates wall and CPU seconds per named stage since the previous lap."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self._last = time.perf_counter()
        self._last_cpu = cpu_seconds()

    def lap(self, stage: str) -> None:
        now, cpu = time.perf_counter(), cpu_seconds()
        self.seconds[stage] += now - self._last
        self.cpu[stage] += cpu - self._last_cpu
        self._last, self._last_cpu = now, cpu

    def skip(self) -> None:
        """Do not charge the time since the last lap to any stage."""
        self._last, self._last_cpu = time.perf_counter(), cpu_seconds()

    def log(self, context: str) -> None:
        for stage, seconds in self.seconds.items():
            log.info("%s stage=%s seconds=%.3f cpu=%.3f", context, stage, seconds, self.cpu[stage])
