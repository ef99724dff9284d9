"""The only network code in digest: one bounded, polite HTTP GET per feed.

A feed server is untrusted and may be slow, huge, compressed into a bomb, rate-limiting us, or
redirecting us into the local network. ``fetch`` makes each of those a one-line ``FetchError`` with
a hard bound instead of a hang, an out-of-memory or a leak: every hop of a manual redirect loop is
checked (http/https only, public addresses only via ``digest.net.guard``), the decoded body is
capped while it streams, an overall deadline cuts slow-drip servers (a watchdog shuts the socket
down, since requests' timeouts are per read), conditional GET and ``Retry-After`` keep us polite,
and each fetch uses a fresh session with cookies refused and environment proxies ignored
(``trust_env = False``).
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
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests

from digest import __version__
from digest.errors import FetchError
from digest.net.guard import AddressGuard, FetchRefused, FetchTimeout, GuardedAdapter, check_url

__all__ = [
    "DEFAULT_USER_AGENT",
    "FetchDeferred",
    "FetchError",
    "FetchHTTPError",
    "FetchRefused",
    "FetchResult",
    "FetchTimeout",
    "FetchTooLarge",
    "fetch",
    "parse_retry_after",
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


class FetchTooLarge(FetchError):
    """The (decoded) response body exceeded the size cap."""


class FetchHTTPError(FetchError):
    """The server answered with an error status; ``retry_after`` is set for 429/503 when given."""

    def __init__(self, message: str, *, status: int, retry_after: datetime | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class FetchDeferred(FetchError):
    """Not fetched at all: the server asked us to wait until ``retry_after``."""

    def __init__(self, message: str, *, retry_after: datetime) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class FetchResult:
    """What one successful fetch produced.

    ``status`` is 200, or 304 with ``body=None`` when the validators matched. ``etag`` and
    ``last_modified`` are the server's validators, verbatim (on a 304 without new ones, the ones
    sent), to be stored and sent next time. ``retry_after`` is always None on a result: a 429/503
    raises ``FetchHTTPError`` carrying it instead.
    """

    url: str
    status: int
    body: bytes | None
    etag: str | None
    last_modified: str | None
    content_type: str | None
    retry_after: datetime | None = None


def _display(url: str) -> str:
    """The URL for messages: credentials removed, length bounded."""
    try:
        parts = urlsplit(url)
        if parts.username is not None or parts.password is not None:
            netloc = parts.hostname or ""
            if parts.port is not None:
                netloc = f"{netloc}:{parts.port}"
            url = urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        pass
    return url if len(url) <= 200 else url[:199] + "…"


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
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchTooLarge(f"{_display(url)}: response too large ({declared} bytes > {max_bytes})")
    parts: list[bytes] = []
    total = 0
    for chunk in response.iter_content(CHUNK_BYTES):
        total += len(chunk)
        if total > max_bytes:
            raise FetchTooLarge(
                f"{_display(url)}: response too large (more than {max_bytes} bytes decoded)"
            )
        if deadline.expired:
            break
        parts.append(chunk)
    if deadline.expired:
        raise FetchTimeout(f"{_display(url)}: deadline passed while reading the body")
    return b"".join(parts)


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    allow_private: bool = False,
    connect_timeout: float = 10,
    read_timeout: float = 20,
    deadline: float = 60,
    max_bytes: int = 10 * 2**20,
    max_redirects: int = 5,
    user_agent: str = DEFAULT_USER_AGENT,
    not_before: datetime | None = None,
    now: datetime | None = None,
) -> FetchResult:
    """GET ``url`` within the given bounds; raise a ``FetchError`` subclass naming URL and cause.

    ``etag`` / ``last_modified`` are the stored validators (sent verbatim). ``not_before`` is the
    ``retry_after`` of an earlier 429/503: before it, nothing is sent and ``FetchDeferred`` is
    raised. ``now`` (aware) is used for that comparison and for Retry-After dates.
    """
    now = now or datetime.now(UTC)
    if not_before is not None and now < not_before:
        raise FetchDeferred(
            f"{_display(url)}: skipped until {not_before.isoformat()} (server asked us to wait)",
            retry_after=not_before,
        )
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified

    with _Deadline(deadline) as timer:
        guard = AddressGuard(allow_private=allow_private, on_connect=timer.watch)
        with _new_session(guard, user_agent) as session:
            return _fetch_loop(
                session, guard, timer, url, headers, etag, last_modified,
                connect_timeout=connect_timeout, read_timeout=read_timeout, deadline=deadline,
                max_bytes=max_bytes, max_redirects=max_redirects, now=now,
            )  # fmt: skip


def _fetch_loop(
    session: requests.Session,
    guard: AddressGuard,
    timer: _Deadline,
    url: str,
    headers: dict[str, str],
    etag: str | None,
    last_modified: str | None,
    *,
    connect_timeout: float,
    read_timeout: float,
    deadline: float,
    max_bytes: int,
    max_redirects: int,
    now: datetime,
) -> FetchResult:
    """Follow up to ``max_redirects`` redirects by hand, vetting every hop before connecting."""
    current = url
    try:
        for hop in range(max_redirects + 1):
            remaining = timer.remaining()
            if remaining <= 0 or timer.expired:
                raise FetchTimeout(f"{_display(current)}: deadline of {deadline:g} s passed")
            try:
                check_url(current, guard, min(connect_timeout, remaining))
                response = session.get(
                    current,
                    headers=headers,
                    stream=True,
                    allow_redirects=False,
                    timeout=(min(connect_timeout, remaining), min(read_timeout, remaining)),
                )
            except FetchError as exc:  # raised by the guard, which does not know the URL
                raise type(exc)(f"{_display(current)}: {exc}") from exc
            with response:
                status = response.status_code
                if status in REDIRECT_STATUSES and response.headers.get("Location"):
                    if hop == max_redirects:
                        raise FetchRefused(f"{_display(url)}: more than {max_redirects} redirects")
                    current = urljoin(current, response.headers["Location"].strip())
                    logger.debug("redirect %s -> %s (%d)", _display(url), _display(current), status)
                    continue
                return _finish(response, current, etag, last_modified, max_bytes, timer, now)
        raise AssertionError("unreachable: the redirect loop always returns or raises")
    except FetchError:
        if timer.expired:
            raise FetchTimeout(f"{_display(current)}: deadline of {deadline:g} s passed") from None
        raise
    except requests.RequestException as exc:
        raise _translate(exc, current, timer, deadline) from exc
    except OSError as exc:
        raise FetchError(f"{_display(current)}: network error: {exc}") from exc


def _finish(
    response: requests.Response,
    url: str,
    etag: str | None,
    last_modified: str | None,
    max_bytes: int,
    timer: _Deadline,
    now: datetime,
) -> FetchResult:
    status = response.status_code
    headers = response.headers
    if status == 304:
        if not (etag or last_modified):
            raise FetchHTTPError(
                f"{_display(url)}: HTTP 304 to a request that was not conditional", status=status
            )
        return FetchResult(
            url=url,
            status=304,
            body=None,
            etag=headers.get("ETag") or etag,
            last_modified=headers.get("Last-Modified") or last_modified,
            content_type=headers.get("Content-Type"),
        )
    if status in RETRY_AFTER_STATUSES:
        retry_after = parse_retry_after(headers.get("Retry-After"), now)
        when = f", retry after {retry_after.isoformat()}" if retry_after else ""
        raise FetchHTTPError(
            f"{_display(url)}: HTTP {status} {response.reason or ''}".rstrip() + when,
            status=status,
            retry_after=retry_after,
        )
    if status != 200:
        raise FetchHTTPError(
            f"{_display(url)}: HTTP {status} {response.reason or ''}".rstrip(), status=status
        )
    body = _read_body(response, url, max_bytes, timer)
    logger.debug("fetched url=%s status=200 bytes=%d", _display(url), len(body))
    return FetchResult(
        url=url,
        status=200,
        body=body,
        etag=headers.get("ETag"),
        last_modified=headers.get("Last-Modified"),
        content_type=headers.get("Content-Type"),
    )


def _translate(
    exc: requests.RequestException, url: str, timer: _Deadline, deadline: float
) -> FetchError:
    """One-line FetchError for a requests/urllib3 failure."""
    where = _display(url)
    if timer.expired:
        return FetchTimeout(f"{where}: deadline of {deadline:g} s passed")
    if isinstance(exc, requests.ConnectTimeout):
        return FetchTimeout(f"{where}: connect timed out")
    if isinstance(exc, requests.ReadTimeout):
        return FetchTimeout(f"{where}: read timed out")
    if isinstance(exc, requests.exceptions.SSLError):
        return FetchError(f"{where}: TLS error: {_first_line(exc)}")
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return FetchError(f"{where}: cannot decode the response body: {_first_line(exc)}")
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return FetchError(f"{where}: connection broken while reading: {_first_line(exc)}")
    if isinstance(exc, requests.ConnectionError):
        if "Read timed out" in str(exc):
            return FetchTimeout(f"{where}: read timed out")
        return FetchError(f"{where}: connection failed: {_first_line(exc)}")
    return FetchError(f"{where}: request failed: {_first_line(exc)}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    return line if len(line) <= 300 else line[:299] + "…"
