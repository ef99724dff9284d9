"""Conditional-GET validators (``ETag``, ``Last-Modified``) as digest keeps them: a value is stored
and sent back only when it is well formed, so one malformed header (``ETag: \\x0bpoison``, which
requests then refuses to send) can never stop a feed's fetches for good."""

from __future__ import annotations

import email.utils
import re
from collections.abc import Mapping
from dataclasses import dataclass

from digest.sanitize import one_line

__all__ = ["MAX_VALIDATOR_CHARS", "Validators", "response_validators", "valid_etag",
           "valid_last_modified"]  # fmt: skip

#: Longer validators are not believed (real ones are hashes or dates: tens of characters).
MAX_VALIDATOR_CHARS = 256
# entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE (RFC 9110 8.8.3); many servers leave out the quotes,
# so a bare run of visible ASCII is accepted too. Nothing else: no space, no control character.
_ETAG_RE = re.compile(r'^(?:W/)?"[\x21\x23-\x7e]*"$|^[\x21-\x7e]+$')
_VISIBLE_RE = re.compile(r"^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$")


@dataclass(frozen=True)
class Validators:
    """Conditional-GET validators as stored between runs (each already vetted, or None)."""

    etag: str | None = None
    last_modified: str | None = None


def valid_etag(value: str | None) -> str | None:
    """``value`` if it is an entity tag we can send back verbatim, else None."""
    if not value or len(value) > MAX_VALIDATOR_CHARS or not _ETAG_RE.match(value):
        return None
    return value


def valid_last_modified(value: str | None) -> str | None:
    """``value`` if it is a visible-ASCII HTTP date we can send back verbatim, else None."""
    if not value or len(value) > MAX_VALIDATOR_CHARS or not _VISIBLE_RE.match(value):
        return None
    try:
        email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return value


def response_validators(
    headers: Mapping[str, str],
) -> tuple[str | None, str | None, tuple[str, ...]]:
    """The response's validators, each kept only when well formed; notes for the ones dropped."""
    raw_etag, raw_modified = headers.get("ETag"), headers.get("Last-Modified")
    etag, modified = valid_etag(raw_etag), valid_last_modified(raw_modified)
    notes = []
    if raw_etag and etag is None:
        notes.append(f"ignored a malformed ETag ({one_line(repr(raw_etag), limit=60)})")
    if raw_modified and modified is None:
        notes.append(
            f"ignored a malformed Last-Modified ({one_line(repr(raw_modified), limit=60)})"
        )
    return etag, modified, tuple(notes)
