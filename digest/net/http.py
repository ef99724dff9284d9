"""The only network code in digest: one bounded, polite HTTP GET per feed.

A feed server is untrusted and may be slow, huge, compressed into a bomb, rate-limiting us, or
redirecting us into the local network. ``fetch`` makes each of those a one-line ``FetchError`` with
a hard bound instead of a hang, an out-of-memory or a leak: every hop of a manual redirect loop is
checked (http/https only, public addresses only via ``digest.net.guard``), the decoded body is
capped while it streams, an overall deadline cuts slow-drip servers (a watchdog shuts the socket
down, since requests' timeouts are per read), conditional GET and ``Retry-After`` keep us polite,
and each fetch uses a fresh session with cookies refused and environment proxies ignored
(``trust_env = False``).

Everything a server says that we keep or show is vetted: validators (``ETag``,
``Last-Modified``) must be well formed or they are dropped (and a stored one that is not is never
sent, so one bad header cannot stop conditional GETs for good), and reason phrases and
``Location`` headers pass through ``digest.sanitize.one_line`` before they reach a message. Errors
say what happened in words ("connection refused to 127.0.0.1:9", "timed out after 20 s",
"certificate not valid for host 'x'"), and every URL in them is redacted
(``digest.sanitize.redact_url``).
"""

from __future__ import annotations

import contextlib
import email.utils
import http.cookiejar
import logging
import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Self
from urllib.parse import urljoin

import requests

from digest import __version__
from digest.errors import (
    FetchDeferred,
    FetchError,
    FetchHTTPError,
    FetchRefused,
    FetchTimeout,
    FetchTooLarge,
)
from digest.net.guard import AddressGuard, GuardedAdapter, check_url
from digest.net.validators import Validators, response_validators, valid_etag, valid_last_modified
from digest.net.words import failure_in_words, os_error_in_words
from digest.sanitize import one_line, redact_url

__all__ = [
    "DEFAULT_USER_AGENT",
    "FetchLimits",
    "FetchResult",
    "Validators",
    "display_url",
    "fetch",
    "parse_retry_after",
    "valid_etag",
    "valid_last_modified",
]

logger = logging.getLogger(__name__)

DEFAULT_USER_AGENT = (
    f"digest/{__version__} (automated daily news digest; feed fetcher; "
    f"python-requests/{requests.__version__})"
)
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_AFTER_STATUSES = frozenset({429, 503})
#: A Retry-After further away than this is clamped, so one header cannot silence a source for good.
MAX_RETRY_AFTER = timedelta(hours=24)
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class FetchLimits:
    """The bounds of one fetch: seconds to connect and per read, an overall deadline, the decoded
    body cap and how many redirects are followed."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0
    max_bytes: int = 10 * 2**20
    max_redirects: int = 5


@dataclass(frozen=True)
class FetchResult:
    """What one successful fetch produced.

    ``status`` is 200, or 304 with ``body=None`` when the validators matched. ``etag`` and
    ``last_modified`` are the server's validators (on a 304 without new ones, the ones sent) when
    well formed, else None: they are what to store and send next time. ``notes`` names what was
    ignored on the way (a malformed validator), for the source's warnings.
    """

    url: str
    status: int
    body: bytes | None
    etag: str | None
    last_modified: str | None
    content_type: str | None
    notes: tuple[str, ...] = ()


def display_url(url: str) -> str:
    """The URL for messages: secrets redacted, one clean line, length bounded."""
    return one_line(redact_url(url), limit=200)


def parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """A Retry-After header (seconds or an HTTP date) as an aware UTC time, clamped to a day."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        when = now + timedelta(seconds=min(int(value), int(MAX_RETRY_AFTER.total_seconds())))
    else:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        when = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    when = when.astimezone(UTC)
    return max(now, min(when, now + MAX_RETRY_AFTER))


class _Deadline:
    """Overall deadline for one fetch: on expiry, shuts every socket of the fetch down.

    requests only has per-read timeouts, so a server dripping one byte per second never times out.
    A timer thread calls ``shutdown()`` on a duplicate of each socket (shutdown acts on the
    connection, so this also wakes a read blocked inside TLS), and the fetch reports the deadline.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.expired = False
        self._timer = threading.Timer(max(seconds, 0.0), self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Self:
        self._timer.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def remaining(self) -> float:
        return self._end - time.monotonic()

    def words(self) -> str:
        return f"timed out after {self.seconds:.3g} s (the fetch deadline)"

    def watch(self, sock: socket.socket) -> None:
        duplicate = sock.dup()
        with self._lock:
            self._sockets.append(duplicate)
            if self.expired:
                self._shutdown(duplicate)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shutdown(sock)

    @staticmethod
    def _shutdown(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _new_session(guard: AddressGuard, user_agent: str) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxies or .netrc from the environment; the guard needs direct
    session.proxies = {}
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    adapter = GuardedAdapter(guard)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.clear()
    session.headers.update(
        {"User-Agent": user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
    )
    return session


def _read_body(response: requests.Response, url: str, max_bytes: int, deadline: _Deadline) -> bytes:
    where = display_url(url)
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchTooLarge(
            f"{where}: response too large ({declared} bytes > {max_bytes})", url=where
        )
    parts: list[bytes] = []
    total = 0
    for chunk in response.iter_content(CHUNK_BYTES):
        total += len(chunk)
        if total > max_bytes:
            raise FetchTooLarge(
                f"{where}: response too large (more than {max_bytes} bytes decoded)", url=where
            )
        if deadline.expired:
            break
        parts.append(chunk)
    if deadline.expired:
        raise FetchTimeout(f"{where}: {deadline.words()} while reading the body", url=where)
    return b"".join(parts)


def fetch(
    url: str,
    *,
    now: datetime,
    limits: FetchLimits | None = None,
    validators: Validators | None = None,
    allow_private: bool = False,
    user_agent: str = DEFAULT_USER_AGENT,
    not_before: datetime | None = None,
) -> FetchResult:
    """GET ``url`` within ``limits``; raise a ``FetchError`` subclass naming URL and cause.

    ``validators`` are the stored ones: sent when well formed, silently left out when not (the
    request is then unconditional). ``not_before`` is the ``retry_after`` of an earlier 429/503:
    before it, nothing is sent and ``FetchDeferred`` is raised. ``now`` (aware, the run's time) is
    used for that comparison and for Retry-After dates.
    """
    limits = limits or FetchLimits()
    validators = validators or Validators()
    if not_before is not None and now < not_before:
        where = display_url(url)
        raise FetchDeferred(
            f"{where}: skipped until {not_before.isoformat()} (server asked us to wait)",
            retry_after=not_before,
            url=where,
        )
    sent = Validators(valid_etag(validators.etag), valid_last_modified(validators.last_modified))
    headers: dict[str, str] = {}
    if sent.etag:
        headers["If-None-Match"] = sent.etag
    if sent.last_modified:
        headers["If-Modified-Since"] = sent.last_modified

    with _Deadline(limits.deadline) as timer:
        guard = AddressGuard(allow_private=allow_private, on_connect=timer.watch)
        with _new_session(guard, user_agent) as session:
            return _fetch_loop(session, guard, timer, url, headers, sent, limits, now)


def _fetch_loop(
    session: requests.Session,
    guard: AddressGuard,
    timer: _Deadline,
    url: str,
    headers: dict[str, str],
    sent: Validators,
    limits: FetchLimits,
    now: datetime,
) -> FetchResult:
    """Follow up to ``max_redirects`` redirects by hand, vetting every hop before connecting."""
    current = url
    try:
        for hop in range(limits.max_redirects + 1):
            remaining = timer.remaining()
            if remaining <= 0 or timer.expired:
                raise FetchTimeout(f"{display_url(current)}: {timer.words()}")
            connect = min(limits.connect_timeout, remaining)
            try:
                check_url(current, guard, connect)
                response = session.get(
                    current,
                    headers=headers,
                    stream=True,
                    allow_redirects=False,
                    timeout=(connect, min(limits.read_timeout, remaining)),
                )
            except FetchError as exc:  # raised by the guard, which does not know the URL
                where = display_url(current)
                raise type(exc)(f"{where}: {exc}", url=where) from exc
            with response:
                status = response.status_code
                location = response.headers.get("Location")
                if status in REDIRECT_STATUSES and location:
                    if hop == limits.max_redirects:
                        where = display_url(url)
                        raise FetchRefused(
                            f"{where}: more than {limits.max_redirects} redirects", url=where
                        )
                    current = urljoin(current, location.strip())
                    logger.debug(
                        "redirect %s -> %s (%d)", display_url(url), display_url(current), status
                    )
                    continue
                return _finish(response, current, sent, limits.max_bytes, timer, now)
        raise AssertionError("unreachable: the redirect loop always returns or raises")
    except FetchError:
        if timer.expired:
            where = display_url(current)
            raise FetchTimeout(f"{where}: {timer.words()}", url=where) from None
        raise
    except requests.RequestException as exc:
        where = display_url(current)
        if timer.expired:
            raise FetchTimeout(f"{where}: {timer.words()}", url=where) from exc
        raise failure_in_words(
            exc,
            current,
            where,
            connect_timeout=limits.connect_timeout,
            read_timeout=limits.read_timeout,
        ) from exc
    except OSError as exc:
        where = display_url(current)
        raise FetchError(f"{where}: {os_error_in_words(exc)}", url=where) from exc


def _finish(
    response: requests.Response,
    url: str,
    sent: Validators,
    max_bytes: int,
    timer: _Deadline,
    now: datetime,
) -> FetchResult:
    status = response.status_code
    headers = response.headers
    where = display_url(url)
    reason = one_line(response.reason or "", limit=80)
    if status == 304:
        if not (sent.etag or sent.last_modified):
            raise FetchHTTPError(
                f"{where}: HTTP 304 to a request that was not conditional", status=status, url=where
            )
        etag, last_modified, notes = response_validators(headers)
        return FetchResult(
            url=url,
            status=304,
            body=None,
            etag=etag or sent.etag,
            last_modified=last_modified or sent.last_modified,
            content_type=headers.get("Content-Type"),
            notes=notes,
        )
    if status in RETRY_AFTER_STATUSES:
        retry_after = parse_retry_after(headers.get("Retry-After"), now)
        when = f", retry after {retry_after.isoformat()}" if retry_after else ""
        raise FetchHTTPError(
            f"{where}: HTTP {status} {reason}".rstrip() + when,
            status=status,
            url=where,
            retry_after=retry_after,
        )
    if status != 200:
        moved = ""
        if status in REDIRECT_STATUSES:
            moved = " (redirect without a Location)"
        raise FetchHTTPError(
            f"{where}: HTTP {status} {reason}".rstrip() + moved, status=status, url=where
        )
    body = _read_body(response, url, max_bytes, timer)
    logger.debug("fetched url=%s status=200 bytes=%d", where, len(body))
    etag, last_modified, notes = response_validators(headers)
    return FetchResult(
        url=url,
        status=200,
        body=body,
        etag=etag,
        last_modified=last_modified,
        content_type=headers.get("Content-Type"),
        notes=notes,
    )
