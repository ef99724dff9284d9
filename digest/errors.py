"""The exception tree of digest. Messages name the object at fault and, where possible, the fix.

DigestError                  base of everything we raise on purpose
├── ConfigError              bad or unreadable config: exit 1 with one line
├── OutputError              output directory or file cannot be written: exit 1
├── StateError               state database unreadable, corrupt, full or too new: exit 1
├── LockError                another digest process holds the state lock: exit 1
├── MailError                one mail delivery attempt failed (recorded, retried; never fails a run)
├── NothingToReport          every enabled source failed and nothing new is left: exit 3
└── SourceError              one source failed; recorded, logged, shown in the footer, never fatal
    ├── SourceDeferred       not collected this run: the run's fetch budget was used up
    ├── FetchError           network fetch failed
    │   ├── FetchRefused     refused by policy before connecting (scheme, address, redirects)
    │   ├── FetchTimeout     resolving, connecting or reading timed out, or the deadline passed
    │   ├── FetchTooLarge    the decoded body is over the size cap
    │   ├── FetchHTTPError   the server answered with an error status
    │   └── FetchDeferred    not fetched at all: the server asked us to wait (Retry-After)
    └── ParseError           bytes fetched or read but not understood (bad feed, bad file)

Interrupted (BaseException)  a second stop signal inside a running job: its transaction rolls back.
                             Not a DigestError on purpose: no ``except Exception`` may swallow it.

Every one pickles with its fields (a source's error crosses from a collector process). Data a
caller acts on is a typed field, never an attribute patched on afterwards: ``retry_after``
(an aware UTC time the server asked us to wait until) on ``SourceError`` and its subclasses,
``url`` (already redacted for display) on ``FetchError``, ``status`` on ``FetchHTTPError``.
"""

from __future__ import annotations

from datetime import datetime


class DigestError(Exception):
    """Base class for errors digest raises on purpose."""


class ConfigError(DigestError):
    """The configuration is missing, unreadable or invalid."""


class OutputError(DigestError):
    """An output file or directory cannot be written."""


class StateError(DigestError):
    """The state database cannot be opened or written, is corrupt, or was written by a newer
    version."""


class LockError(DigestError):
    """Another digest process holds the single-instance lock."""


class MailError(DigestError):
    """One delivery attempt failed. Kept inside the mail step: mail never fails a run."""


class NothingToReport(DigestError):
    """Every enabled source failed and no unreported item is left: no briefing was written."""


class SourceError(DigestError):
    """One source failed. Never fatal to a run.

    ``retry_after`` is set when the server asked us not to come back before that time; the
    orchestrator stores it as the source's ``not_before``.
    """

    def __init__(self, message: str, *, retry_after: datetime | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class SourceDeferred(SourceError):
    """The source was not collected this run: the run's fetch budget was used up first."""


class FetchError(SourceError):
    """A network fetch failed. ``url`` is the URL at fault, redacted for display."""

    def __init__(
        self, message: str, *, url: str | None = None, retry_after: datetime | None = None
    ) -> None:
        super().__init__(message, retry_after=retry_after)
        self.url = url


class FetchRefused(FetchError):
    """A URL or address was refused by policy before connecting (scheme, private address, ...)."""


class FetchTimeout(FetchError):
    """Resolving, connecting or reading timed out, or the overall deadline passed."""


class FetchTooLarge(FetchError):
    """The (decoded) response body exceeded the size cap."""


class FetchHTTPError(FetchError):
    """The server answered with an error status; ``retry_after`` is set for 429/503 when given."""

    def __init__(
        self,
        message: str,
        *,
        status: int = 0,
        url: str | None = None,
        retry_after: datetime | None = None,
    ) -> None:
        super().__init__(message, url=url, retry_after=retry_after)
        self.status = status


class FetchDeferred(FetchError):
    """Not fetched at all: an earlier answer asked us to wait until ``retry_after``."""

    def __init__(
        self, message: str, *, retry_after: datetime | None = None, url: str | None = None
    ) -> None:
        super().__init__(message, url=url, retry_after=retry_after)


class ParseError(SourceError):
    """Input was read but could not be understood."""


class Interrupted(BaseException):  # noqa: N818 - a signal, not an error
    """Raised inside a running job by a second stop signal; the job's transaction rolls back."""
