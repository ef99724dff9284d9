"""Per-source memory of lines: lines that recur across many items of one source are furniture.

The cleaner only reads the memory (``LineMemory``); the pipeline owns persistence and calls
``remember`` with ``CleanedText.line_keys`` after each document. ``InMemoryLineMemory`` is the
dict-backed version used by tests and benchmarks.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from typing import Protocol, runtime_checkable

__all__ = ["InMemoryLineMemory", "LineMemory", "line_key"]

_WORD_RE = re.compile(r"\w+")
_DIGITS_RE = re.compile(r"\d+")
_MAX_KEY_CHARS = 4000  # a longer line is identified by its start


def line_key(line: str) -> str:
    """Normalise a line for cross-document comparison.

    Case, punctuation, spacing and the actual digits are ignored, so "© 2019 Site" and
    "© 2020 Site", or "12 comments" and "3 comments", share a key. Lines without words give "".
    """
    text = unicodedata.normalize("NFKC", line[:_MAX_KEY_CHARS]).casefold()
    words = _WORD_RE.findall(text)
    return " ".join(_DIGITS_RE.sub("0", w) for w in words)


@runtime_checkable
class LineMemory(Protocol):
    """Read access to how often line keys appeared in earlier documents of one source."""

    def documents(self) -> int:
        """How many documents of this source have been remembered."""
        ...

    def count(self, key: str) -> int:
        """In how many of those documents this line key appeared."""
        ...


class InMemoryLineMemory:
    """A dict-backed ``LineMemory`` for one source."""

    def __init__(self) -> None:
        self._documents = 0
        self._counts: Counter[str] = Counter()

    def documents(self) -> int:
        return self._documents

    def count(self, key: str) -> int:
        return self._counts.get(key, 0)

    def remember(self, keys: Iterable[str]) -> None:
        """Record one document's line keys (each key counts once per document)."""
        self._documents += 1
        self._counts.update({k for k in keys if k})
