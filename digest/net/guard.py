"""SSRF guard: digest connects only to public addresses it has checked itself.

Feed URLs come from config and, through redirects, from arbitrary servers, so a feed could point
the daily run at ``169.254.169.254``, ``127.0.0.1:6379`` or a LAN host and have the answer shown in
the briefing. Checking the URL's host string is not enough (``0177.0.0.1``, ``0x7f.1``,
``[::ffff:127.0.0.1]``, DNS names that resolve to private ranges, DNS rebinding between check and
connect), so this module resolves the host, refuses the whole host if *any* address is not global,
and then makes urllib3 connect to exactly the vetted address (re-checking the peer of the socket it
got). ``GuardedAdapter`` plugs that into a requests ``Session``; ``check_url`` is the same policy as
a pre-flight so a refusal happens before any connection is attempted.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.poolmanager import PoolManager
from urllib3.util import connection as urllib3_connection

from digest.errors import FetchError, FetchRefused, FetchTimeout

__all__ = [
    "AddressGuard",
    "GuardedAdapter",
    "IPAddress",
    "check_url",
    "is_public_address",
    "parse_ip_literal",
    "resolve_host",
]

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOWED_SCHEMES = frozenset({"http", "https"})

_NAT64_PREFIXES = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_NUMBER_LABEL_RE = re.compile(r"^(?:0[xX][0-9a-fA-F]*|[0-9]+)$")


def _parse_ipv4_part(part: str) -> int | None:
    """One dotted part as ``inet_aton`` and browsers read it: 0x.. hex, 0.. octal, else decimal."""
    if not part:
        return None
    try:
        if part[:2].lower() == "0x":
            return int(part, 16) if part[2:] else 0
        if len(part) > 1 and part[0] == "0":
            return int(part[1:], 8)
        return int(part, 10)
    except ValueError:
        return None


def _legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """Canonicalise ``0177.0.0.1``, ``0x7f.1``, ``2130706433``, ``127.1``; None if not one."""
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    if not 1 <= len(parts) <= 4:
        return None
    numbers = [_parse_ipv4_part(part) for part in parts]
    if any(number is None for number in numbers):
        return None
    values = [number for number in numbers if number is not None]
    if any(value > 255 for value in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        return None
    result = values[-1]
    for index, value in enumerate(values[:-1]):
        result += value << (8 * (3 - index))
    return ipaddress.IPv4Address(result)


def _ends_in_number(host: str) -> bool:
    labels = host.rstrip(".").split(".")
    return bool(labels) and bool(_NUMBER_LABEL_RE.match(labels[-1]))


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a host string denotes if it is an IP literal in any spelling, else None.

    Raises ``FetchRefused`` for strings that look numeric but are not a valid address (browsers
    reject those too, and a resolver might not), and for IPv6 zone identifiers.
    """
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if "%" in bare:
        raise FetchRefused(f"host {host!r} has a zone id or percent-encoding")
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        pass
    if _ends_in_number(bare):
        legacy = _legacy_ipv4(bare)
        if legacy is None:
            raise FetchRefused(f"host {host!r} is a malformed IP address")
        return legacy
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address tunnelled inside an IPv6 one (mapped, 6to4, Teredo, NAT64), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    for prefix in _NAT64_PREFIXES:
        if address in prefix:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public_address(address: IPAddress, *, allow_private: bool = False) -> bool:
    """True if connecting to ``address`` is allowed.

    Public means globally routable unicast: not private, loopback, link-local, shared (100.64/10),
    documentation, reserved, multicast or unspecified, including when the IPv4 address hides inside
    an IPv6 one. With ``allow_private`` only multicast and unspecified addresses are refused.
    """
    if address.is_multicast or address.is_unspecified:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # ::ffff:a.b.c.d is a.b.c.d on a dual-stack socket
            return is_public_address(address.ipv4_mapped, allow_private=allow_private)
        embedded = _embedded_ipv4(address)
        if embedded is not None and not is_public_address(embedded, allow_private=allow_private):
            return False
        if address in _IPV4_COMPATIBLE and not allow_private:
            return False
    if allow_private:
        return True
    return (
        address.is_global
        and not address.is_private
        and not address.is_loopback
        and not address.is_link_local
        and not address.is_reserved
        and not (isinstance(address, ipaddress.IPv6Address) and address.is_site_local)
    )


def resolve_host(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to for a TCP connection (the system resolver)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


@dataclass(frozen=True)
class AddressGuard:
    """The address policy of one fetch, and a hook told about every socket it opens."""

    allow_private: bool = False
    on_connect: Callable[[socket.socket], None] | None = None

    def vet(self, host: str, port: int, timeout: float | None = None) -> tuple[IPAddress, ...]:
        """Resolve ``host`` and return its addresses if every one is allowed; else FetchRefused.

        ``timeout`` bounds the lookup (the system resolver cannot be interrupted, so a slow one is
        left to finish in its own thread while we give up).
        """
        literal = parse_ip_literal(host)
        if literal is not None:
            candidates: list[IPAddress] = [literal]
        else:
            resolved = _resolve_within(host.rstrip("."), port, timeout)
            candidates = []
            for text in resolved:
                candidate = ipaddress.ip_address(text.split("%", 1)[0])
                if candidate not in candidates:
                    candidates.append(candidate)
        if not candidates:
            raise FetchError(f"host {host!r} has no addresses")
        for candidate in candidates:
            if not is_public_address(candidate, allow_private=self.allow_private):
                verb = "is" if literal is not None else "resolves to"
                raise FetchRefused(
                    f"host {host!r} {verb} non-public address {candidate} "
                    "(set allow_private for a LAN source)"
                )
        return tuple(candidates)


def _resolve_within(host: str, port: int, timeout: float | None) -> list[str]:
    # Looked up through the module at call time so tests can substitute a resolver.
    resolver: Callable[[str, int], list[str]] = sys.modules[__name__].resolve_host
    outcome: dict[str, Any] = {}
    done = threading.Event()

    def work() -> None:
        try:
            outcome["addresses"] = resolver(host, port)
        except (OSError, UnicodeError) as exc:
            outcome["error"] = exc
        finally:
            done.set()

    if timeout is None:
        work()
    else:
        threading.Thread(target=work, name="digest-resolve", daemon=True).start()
        if not done.wait(max(timeout, 0.0)):
            raise FetchTimeout(f"looking up host {host!r} timed out after {timeout:g} s")
    if "error" in outcome:
        error = outcome["error"]
        why = getattr(error, "strerror", None) or type(error).__name__
        raise FetchError(f"cannot resolve host {host!r} ({why})") from error
    return list(outcome["addresses"])


def check_url(url: str, guard: AddressGuard, timeout: float | None = None) -> tuple[IPAddress, ...]:
    """Pre-flight one URL: http/https only, a host, and only allowed addresses behind it."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchRefused(f"malformed URL: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise FetchRefused(f"scheme {scheme or '(none)'!r} is not http or https")
    host = parts.hostname
    if not host:
        raise FetchRefused("URL has no host")
    return guard.vet(host, port or (443 if scheme == "https" else 80), timeout)


class _GuardedConnectionMixin:
    """Connects to the vetted addresses only, and re-checks the peer of the socket obtained."""

    host: str
    port: int
    timeout: Any
    source_address: Any
    socket_options: Any

    def __init__(self, *args: Any, guard: AddressGuard, **kwargs: Any) -> None:
        self._guard = guard
        super().__init__(*args, **kwargs)

    def _new_conn(self) -> socket.socket:
        timeout = self.timeout if isinstance(self.timeout, int | float) else None
        addresses = self._guard.vet(self.host, self.port, timeout)
        error: Exception | None = None
        for address in addresses:
            try:
                sock = urllib3_connection.create_connection(
                    (str(address), self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as exc:
                error = ConnectTimeoutError(
                    self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"
                )
                error.__cause__ = exc
                continue
            except OSError as exc:
                error = NewConnectionError(
                    cast(HTTPConnection, self), f"Failed to establish a new connection: {exc}"
                )
                error.__cause__ = exc
                continue
            peer = ipaddress.ip_address(sock.getpeername()[0].split("%", 1)[0])
            if not is_public_address(peer, allow_private=self._guard.allow_private):
                sock.close()
                raise FetchRefused(f"connected peer {peer} is not a public address")
            if self._guard.on_connect is not None:
                self._guard.on_connect(sock)
            sys.audit("http.client.connect", self, self.host, self.port)
            return sock
        assert error is not None
        raise error


class GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    """Plain-HTTP connection that only reaches vetted addresses."""


class GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    """HTTPS connection that only reaches vetted addresses; TLS still verifies the host name."""


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


class _GuardedPoolManager(PoolManager):
    def __init__(self, *args: Any, guard: AddressGuard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._guard = guard
        self.pool_classes_by_scheme = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}

    def _new_pool(
        self,
        scheme: str,
        host: str,
        port: int,
        request_context: dict[str, Any] | None = None,
    ) -> HTTPConnectionPool:
        pool = super()._new_pool(scheme, host, port, request_context)
        pool.conn_kw["guard"] = self._guard
        return pool


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose every connection goes through ``AddressGuard``.

    Proxies are not supported (the guard would vet the proxy, not the target): use it in a
    session with ``trust_env = False`` and no ``proxies``.
    """

    def __init__(self, guard: AddressGuard) -> None:
        self._guard = guard
        super().__init__(max_retries=0)

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any
    ) -> None:
        self.poolmanager = _GuardedPoolManager(
            num_pools=connections, maxsize=maxsize, block=block, guard=self._guard, **pool_kwargs
        )

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        raise FetchRefused("proxies are not supported by the guarded fetcher")
