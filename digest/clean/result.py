"""The record every cleaner returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["CleanedText"]


@dataclass(frozen=True)
class CleanedText:
    """A cleaned document.

    ``title`` is the headline (never a navigation word or the bare site name). ``body`` holds the
    article paragraphs separated by blank lines, without the headline. ``published`` is tz-aware
    when a date was found in the content, and ``date_source`` is then ``"content"``.
    ``line_keys`` are the ``line_key`` of every candidate line of the raw document (each once), for
    the per-source line memory.
    """

    title: str | None
    body: str
    published: datetime | None = None
    date_source: str | None = None
    line_keys: tuple[str, ...] = ()
