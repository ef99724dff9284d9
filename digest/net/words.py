"""Network failures in words: what happened ("connection refused to 127.0.0.1:9", "timed out
after 20 s", "certificate not valid for host 'x'") instead of requests and urllib3 internals."""

from __future__ import annotations

import errno
import socket
import ssl
from urllib.parse import urlsplit

import requests

from digest.errors import FetchError, FetchTimeout
from digest.sanitize import one_line

__all__ = ["failure_in_words", "os_error_in_words"]


def failure_in_words(
    exc: requests.RequestException,
    url: str,
    where: str,
    *,
    connect_timeout: float,
    read_timeout: float,
) -> FetchError:
    """One-line FetchError, in words, for a requests/urllib3 failure of ``url`` (shown as
    ``where``, already redacted)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "?"
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        host, port = "?", 0
    peer = f"{host}:{port}" if ":" not in host else f"[{host}]:{port}"
    if isinstance(exc, requests.ConnectTimeout):
        return FetchTimeout(
            f"{where}: connecting to {peer} timed out after {connect_timeout:g} s", url=where
        )
    if isinstance(exc, requests.ReadTimeout) or "Read timed out" in str(exc):
        return FetchTimeout(
            f"{where}: no data from {peer} for {read_timeout:g} s (read timeout)", url=where
        )
    if isinstance(exc, requests.exceptions.SSLError):
        return FetchError(f"{where}: {_tls_words(exc, host)}", url=where)
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return FetchError(f"{where}: the compressed body could not be decoded", url=where)
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return FetchError(f"{where}: the connection broke while reading the body", url=where)
    cause = _root_os_error(exc)
    if cause is not None:
        return FetchError(f"{where}: {os_error_in_words(cause, peer)}", url=where)
    if isinstance(exc, requests.ConnectionError):
        return FetchError(f"{where}: the connection to {peer} failed", url=where)
    return FetchError(f"{where}: the request failed ({type(exc).__name__})", url=where)


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and everything behind it: causes, contexts, urllib3's ``reason`` and wrapped args."""
    seen: list[BaseException] = []
    todo = [exc]
    while todo and len(seen) < 20:
        current = todo.pop(0)
        if any(current is s for s in seen):
            continue
        seen.append(current)
        for nxt in (
            current.__cause__,
            current.__context__,
            getattr(current, "reason", None),
            *(a for a in current.args if isinstance(a, BaseException)),
        ):
            if isinstance(nxt, BaseException):
                todo.append(nxt)
    return seen


def _root_os_error(exc: BaseException) -> OSError | None:
    for link in _chain(exc):
        if isinstance(link, OSError) and not isinstance(link, ssl.SSLError) and link.errno:
            return link
    for link in _chain(exc):
        if type(link).__name__ == "RemoteDisconnected":
            return ConnectionAbortedError(errno.ECONNABORTED, "closed without an answer")
    return None


def os_error_in_words(exc: OSError, peer: str = "the server") -> str:
    if isinstance(exc, ConnectionRefusedError) or exc.errno == errno.ECONNREFUSED:
        return f"connection refused to {peer}"
    if isinstance(exc, ConnectionResetError) or exc.errno == errno.ECONNRESET:
        return f"connection reset by {peer}"
    if isinstance(exc, ConnectionAbortedError):
        return f"{peer} closed the connection without answering"
    if exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return f"no route to {peer}"
    if isinstance(exc, socket.timeout | TimeoutError):
        return f"connecting to {peer} timed out"
    return f"network error talking to {peer} ({exc.strerror or type(exc).__name__})"


def _tls_words(exc: BaseException, host: str) -> str:
    for link in _chain(exc):
        if isinstance(link, ssl.SSLCertVerificationError):
            message = (link.verify_message or "").lower()
            if "hostname mismatch" in message or "ip address mismatch" in message:
                return f"certificate not valid for host {host!r}"
            if "expired" in message:
                return f"certificate of {host!r} has expired"
            if "self-signed" in message or "self signed" in message:
                return f"certificate of {host!r} is self-signed (not trusted)"
            if "unable to get local issuer" in message:
                return f"certificate of {host!r} is not signed by a trusted authority"
            return f"certificate of {host!r} not accepted ({one_line(message, limit=80)})"
    return f"TLS handshake with {host!r} failed"
