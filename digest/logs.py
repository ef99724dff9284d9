"""Warnings from libraries, turned into one log line of ours.

Libraries warn through ``warnings`` (dateutil's ``UnknownTimezoneWarning: tzname UT identified but
not understood`` for every RSS date in UT), which Python prints raw to stderr on every run.
``captured_warnings`` records them while a unit of work runs (one source, say) and ``summarise``
folds them into one line: each distinct warning once, with how often it came. Warnings raised by
digest's own code are passed on unchanged (the tests turn ours into errors).
"""

from __future__ import annotations

import logging
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

__all__ = ["captured_warnings", "summarise"]

_OURS = str(Path(__file__).resolve().parent)
MAX_CHARS = 300


def summarise(caught: Sequence[warnings.WarningMessage]) -> str | None:
    """``UnknownTimezoneWarning x12: tzname UT identified ...; OtherWarning: ...`` or None."""
    counts = Counter(
        (w.category.__name__, " ".join(str(w.message).split())[:MAX_CHARS]) for w in caught
    )
    if not counts:
        return None
    return "; ".join(
        f"{name}{f' x{n}' if n > 1 else ''}: {text}" for (name, text), n in sorted(counts.items())
    )


@contextmanager
def captured_warnings(log: logging.Logger | None = None, context: str = "") -> Iterator[list[str]]:
    """Record library warnings inside the block; log them as one INFO line ``context ...``.

    Yields a list that receives the summary when the block ends, for a caller that reports it
    elsewhere (a parser child process hands it to its parent; ``log`` None: not logged here).
    """
    found: list[str] = []
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as recorded:
            warnings.simplefilter("always")
            try:
                yield found
            finally:
                caught = list(recorded or ())
    finally:  # outside the recording: our own warnings go on to the caller's filters
        _report(caught, found, log, context)


def _report(
    caught: Sequence[warnings.WarningMessage],
    found: list[str],
    log: logging.Logger | None,
    context: str,
) -> None:
    theirs = []
    for w in caught:
        if str(w.filename).startswith(_OURS):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        else:
            theirs.append(w)
    summary = summarise(theirs)
    if summary:
        found.append(summary)
        if log is not None:
            log.info("%s library warnings: %s", context, summary)
