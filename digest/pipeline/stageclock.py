"""Seconds per pipeline stage, for ``--profile`` and the one log line per run.

The orchestrator calls ``lap(name)`` after each stage; laps with the same name add up, so a stage
run once per story or per source is reported once. Logged at INFO as ``stage=NAME seconds=S``.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict

log = logging.getLogger(__name__)


class StageClock:
    """Accumulates wall seconds per named stage since the previous lap."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] += now - self._last
        self._last = now

    def skip(self) -> None:
        """Do not charge the time since the last lap to any stage."""
        self._last = time.perf_counter()

    def log(self, context: str) -> None:
        for stage, seconds in self.seconds.items():
            log.info("%s stage=%s seconds=%.3f", context, stage, seconds)
