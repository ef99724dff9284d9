"""A minimal progress bar for ``digest backfill``: drawn on a terminal, silent otherwise (and
with ``--quiet``)."""

from __future__ import annotations

from datetime import date
from typing import TextIO


class ProgressBar:
    """Redraws one line on a TTY; prints nothing when the stream is not a terminal."""

    def __init__(self, stream: TextIO, width: int = 30, active: bool = True) -> None:
        self.stream = stream
        self.width = width
        self.active = active and bool(getattr(stream, "isatty", lambda: False)())
        self.drawn = False

    def update(self, done: int, total: int, day: date) -> None:
        if not self.active or total <= 0:
            return
        filled = int(self.width * done / total)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {done}/{total} {day.isoformat()}")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
