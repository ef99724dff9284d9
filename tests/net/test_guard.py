"""The SSRF guard: address classification, literal spellings, resolution, and refusal pre-connect.

No test here opens a connection: resolution of test names is substituted, and connecting is
made to fail the test outright.
"""

from __future__ import annotations

import ipaddress
import socket
import threading

import pytest
import requests
import urllib3.util.connection

from digest.net import guard as netguard
from digest.net.guard import (
    AddressGuard,
    FetchRefused,
    FetchTimeout,
    GuardedAdapter,
    check_url,
    is_public_address,
    parse_ip_literal,
)


@pytest.fixture(autouse=True)
def no_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        pytest.fail("a connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(urllib3.util.connection, "create_connection", refuse)


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}

    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    monkeypatch.setattr(netguard, "resolve_host", resolve)
    return table


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),  # octal
        ("0x7f.0.0.1", "127.0.0.1"),  # hex
        ("0x7f.1", "127.0.0.1"),  # two parts
        ("127.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),  # one 32-bit number
        ("0x7F000001", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("10.0.0.1.", "10.0.0.1"),  # trailing dot
        ("[::1]", "::1"),
        ("::ffff:127.0.0.1", "::ffff:7f00:1"),
        ("feeds.example.org", None),
        ("1x.example", None),
    ],
)
def test_ip_literals_in_every_spelling(host: str, expected: str | None) -> None:
    parsed = parse_ip_literal(host)
    assert (str(parsed) if parsed is not None else None) == expected


@pytest.mark.parametrize(
    "host", ["256.1.1.1", "1.2.3.4.5", "0x1g.1", "08.1.1.1", "[fe80::1%25eth0]"]
)
def test_malformed_numeric_hosts_are_refused(host: str) -> None:
    with pytest.raises(FetchRefused):
        parse_ip_literal(host)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "255.255.255.255", "224.0.0.1", "192.0.2.7", "198.18.0.1",
        "240.0.0.1", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "2001:db8::1",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1", "2002:7f00:1::1", "2002:a00:1::",
        "64:ff9b::a00:1", "2001:0:4136:e378:8000:63bf:f5ff:fffe", "fec0::1",
    ],
)  # fmt: skip
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "::ffff:93.184.216.34"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


def test_allow_private_opens_lan_and_loopback_but_not_multicast_or_unspecified() -> None:
    allowed = ["127.0.0.1", "10.0.0.8", "192.168.1.20", "::1", "fd00::5", "::ffff:127.0.0.1"]
    refused = ["0.0.0.0", "::", "224.0.0.251", "ff02::fb"]
    for text in allowed:
        assert is_public_address(ipaddress.ip_address(text), allow_private=True), text
    for text in refused:
        assert not is_public_address(ipaddress.ip_address(text), allow_private=True), text


@pytest.mark.parametrize(
    "url",
    [
        "http://0177.0.0.1/",
        "http://0x7f.1/",
        "http://2130706433/",
        "http://[::ffff:127.0.0.1]/",
        "http://127.1:8080/feed",
        "https://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://100.64.0.1/",
        "http://[fe80::1]/",
    ],
)
def test_obfuscated_private_literals_are_refused_by_check_url(url: str) -> None:
    with pytest.raises(FetchRefused, match="non-public address"):
        check_url(url, AddressGuard())


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/f", "gopher://x/", "feed://x/", "javascript:1"]
)
def test_only_http_and_https_schemes(url: str) -> None:
    with pytest.raises(FetchRefused, match="is not http or https"):
        check_url(url, AddressGuard())


def test_a_name_is_refused_if_any_of_its_addresses_is_private(
    fake_dns: dict[str, list[str]],
) -> None:
    fake_dns["rebind.test"] = ["93.184.216.34", "127.0.0.1"]
    fake_dns["lan.test"] = ["192.168.0.10"]
    fake_dns["public.test"] = ["93.184.216.34", "2606:4700:4700::1111"]

    with pytest.raises(FetchRefused, match=r"rebind\.test.*127\.0\.0\.1"):
        check_url("https://rebind.test/feed", AddressGuard())
    with pytest.raises(FetchRefused):
        check_url("http://lan.test/feed", AddressGuard())

    vetted = check_url("https://public.test/feed", AddressGuard())
    assert [str(a) for a in vetted] == ["93.184.216.34", "2606:4700:4700::1111"]
    assert check_url("http://lan.test/feed", AddressGuard(allow_private=True))


def test_unresolvable_name_is_a_fetch_error(fake_dns: dict[str, list[str]]) -> None:
    with pytest.raises(netguard.FetchError, match=r"cannot resolve host 'nowhere\.test'"):
        check_url("https://nowhere.test/", AddressGuard())


def test_session_with_the_adapter_refuses_before_connecting(fake_dns: dict[str, list[str]]) -> None:
    """DNS rebinding: even without the pre-flight, the connection itself re-resolves and refuses."""
    fake_dns["rebind.test"] = ["10.0.0.1"]
    session = requests.Session()
    session.trust_env = False
    session.mount("http://", GuardedAdapter(AddressGuard()))

    with pytest.raises(FetchRefused, match=r"non-public address 10\.0\.0\.1"):
        session.get("http://rebind.test/feed", timeout=1)


def test_connection_dials_only_the_vetted_address(
    fake_dns: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The connection goes to the address that was checked, not to a fresh lookup of the name."""
    fake_dns["feeds.test"] = ["93.184.216.34"]
    dialled: list[tuple[str, int]] = []

    def fake_create_connection(address: tuple[str, int], *args: object, **kwargs: object) -> None:
        dialled.append(address)
        raise ConnectionRefusedError("test: not really connecting")

    monkeypatch.setattr(urllib3.util.connection, "create_connection", fake_create_connection)
    session = requests.Session()
    session.trust_env = False
    session.mount("http://", GuardedAdapter(AddressGuard()))

    with pytest.raises(requests.ConnectionError):
        session.get("http://feeds.test:8080/feed", timeout=1)
    assert dialled == [("93.184.216.34", 8080)]


def test_proxies_are_refused() -> None:
    session = requests.Session()
    session.trust_env = False
    session.mount("http://", GuardedAdapter(AddressGuard()))

    with pytest.raises(FetchRefused, match="proxies"):
        session.get("http://93.184.216.34/", proxies={"http": "http://10.0.0.1:3128"}, timeout=1)


def test_a_resolver_that_hangs_is_abandoned_at_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    def stuck(host: str, port: int) -> list[str]:
        release.wait(30)  # a resolver that never answers (until the test lets it go)
        return ["93.184.216.34"]

    monkeypatch.setattr(netguard, "resolve_host", stuck)
    try:
        with pytest.raises(
            FetchTimeout, match=r"looking up host 'slow\.test' timed out after 0\.2 s"
        ):
            check_url("https://slow.test/feed", AddressGuard(), timeout=0.2)
    finally:
        release.set()
