"""The exception tree of digest. Messages name the object at fault and, where possible, the fix.

DigestError                  base of everything we raise on purpose
├── ConfigError              bad or unreadable config: exit 1 with one line
├── OutputError              output directory or file cannot be written: exit 1
├── StateError               state database unreadable, corrupt or too new: exit 1
├── LockError                another digest process holds the state lock: exit 1
├── NothingToReport          every enabled source failed and nothing new is left: exit 3
└── SourceError              one source failed; recorded, logged, shown in the footer, never fatal
    ├── FetchError           network fetch failed (timeout, size cap, refused address, HTTP status)
    └── ParseError           bytes fetched or read but not understood (bad feed, bad file)
"""

from __future__ import annotations


class DigestError(Exception):
    """Base class for errors digest raises on purpose."""


class ConfigError(DigestError):
    """The configuration is missing, unreadable or invalid."""


class OutputError(DigestError):
    """An output file or directory cannot be written."""


class StateError(DigestError):
    """The state database cannot be opened, is corrupt, or was written by a newer version."""


class LockError(DigestError):
    """Another digest process holds the single-instance lock."""


class NothingToReport(DigestError):
    """Every enabled source failed and no unreported item is left: no briefing was written."""


class SourceError(DigestError):
    """One source failed. Never fatal to a run."""


class FetchError(SourceError):
    """A network fetch failed: timeout, size cap, refused address or an HTTP error status."""


class ParseError(SourceError):
    """Input was read but could not be understood."""
