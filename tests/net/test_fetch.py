"""fetch() against HTTP servers the tests start on 127.0.0.1 (hence allow_private=True)."""

from __future__ import annotations

import gzip
import http.server
import ipaddress
import re
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import urllib3.util.connection

from digest.errors import (
    FetchDeferred,
    FetchError,
    FetchHTTPError,
    FetchRefused,
    FetchTimeout,
    FetchTooLarge,
    ParseError,
)
from digest.net import guard as netguard
from digest.net import http as fetch_module
from digest.net.guard import AddressGuard
from digest.net.http import (
    DEFAULT_USER_AGENT,
    FetchLimits,
    Validators,
    fetch,
    parse_retry_after,
)
from digest.sources.feedparse import parse_feed

FEED = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Harbour news</title>'
    b"<item><title>Ferry timetable changes</title><link>https://harbour.example/ferry</link>"
    b"</item></channel></rss>"
)
ETAG = '"v1-7f3a"'
LAST_MODIFIED = "Sat, 21 Nov 2026 06:00:00 GMT"
NOW = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)

Handler = Callable[[http.server.BaseHTTPRequestHandler], None]


class Server:
    """A threaded loopback HTTP server with a route table and a request log."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.release = threading.Event()  # lets slow handlers stop once the test is over
        server = self

        class RequestHandler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers.items())))
                handler = server.routes.get(self.path)
                if handler is None:
                    self.send_error(404)
                    return
                handler(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def route(self, path: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.routes[path] = handler
            return handler

        return register


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    srv.thread.start()
    yield srv
    srv.release.set()
    srv.httpd.shutdown()
    srv.httpd.server_close()


def respond(
    h: http.server.BaseHTTPRequestHandler,
    status: int,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> None:
    h.send_response(status)
    for name, value in (headers or {}).items():
        h.send_header(name, value)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def test_plain_200_returns_body_validators_and_type(server: Server) -> None:
    @server.route("/feed.xml")
    def _(h: http.server.BaseHTTPRequestHandler) -> None:
        respond(h, 200, FEED, {"Content-Type": "application/rss+xml; charset=utf-8",
                               "ETag": ETAG, "Last-Modified": LAST_MODIFIED})  # fmt: skip

    result = fetch(server.url("/feed.xml"), allow_private=True, now=NOW)

    assert (result.status, result.body, result.etag) == (200, FEED, ETAG)
    assert result.last_modified == LAST_MODIFIED
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert result.url == server.url("/feed.xml")
    assert result.notes == ()
    sent = server.requests[0][1]
    assert sent["User-Agent"] == DEFAULT_USER_AGENT and DEFAULT_USER_AGENT.startswith("digest/")
    assert "Cookie" not in sent and "Referer" not in sent
    assert "If-None-Match" not in sent


def test_conditional_get_sends_validators_verbatim_and_returns_304(server: Server) -> None:
    @server.route("/feed.xml")
    def _(h: http.server.BaseHTTPRequestHandler) -> None:
        if h.headers.get("If-None-Match") == ETAG:
            h.send_response(304)
            h.send_header("ETag", ETAG)
            h.end_headers()
        else:
            respond(h, 200, FEED, {"ETag": ETAG})

    result = fetch(server.url("/feed.xml"), validators=Validators(ETAG, LAST_MODIFIED),
                   allow_private=True, now=NOW)  # fmt: skip

    assert (result.status, result.body, result.etag) == (304, None, ETAG)
    assert result.last_modified == LAST_MODIFIED  # kept when the 304 did not repeat it
    sent = server.requests[0][1]
    assert sent["If-None-Match"] == ETAG and sent["If-Modified-Since"] == LAST_MODIFIED


def test_304_to_an_unconditional_request_is_an_error(server: Server) -> None:
    server.routes["/odd"] = lambda h: (h.send_response(304), h.end_headers())

    with pytest.raises(FetchHTTPError, match="not conditional"):
        fetch(server.url("/odd"), allow_private=True, now=NOW)


def drip_body(h: http.server.BaseHTTPRequestHandler, release: threading.Event) -> None:
    """Headers at once, then one byte every 50 ms, each well inside the read timeout."""
    h.send_response(200)
    h.send_header("Content-Length", "100000")
    h.end_headers()
    while not release.wait(0.05):  # stops when the test ends
        try:
            h.wfile.write(b"<")
            h.wfile.flush()
        except OSError:
            return


def test_slow_drip_is_cut_at_the_overall_deadline(server: Server) -> None:
    server.routes["/drip"] = lambda h: drip_body(h, server.release)

    with pytest.raises(FetchTimeout, match="timed out after 1 s"):
        fetch(server.url("/drip"), allow_private=True, limits=FetchLimits(read_timeout=5, deadline=1),
              now=NOW)  # fmt: skip


def test_slow_drip_of_headers_is_cut_too(server: Server) -> None:
    @server.route("/drip-headers")
    def _(h: http.server.BaseHTTPRequestHandler) -> None:
        h.wfile.write(b"HTTP/1.1 200 OK\r\n")
        while not server.release.wait(0.05):
            try:
                h.wfile.write(b"X-Pad: y\r\n")
                h.wfile.flush()
            except OSError:
                return

    with pytest.raises(FetchTimeout):
        fetch(server.url("/drip-headers"), allow_private=True,
              limits=FetchLimits(read_timeout=5, deadline=1), now=NOW)  # fmt: skip


def test_gzip_bomb_is_cut_by_the_decoded_size_cap(server: Server) -> None:
    bomb = gzip.compress(b"\0" * (64 * 2**20), compresslevel=9)  # ~64 KiB on the wire
    assert len(bomb) < 2**20

    @server.route("/bomb")
    def _(h: http.server.BaseHTTPRequestHandler) -> None:
        respond(h, 200, bomb, {"Content-Encoding": "gzip", "Content-Type": "application/xml"})

    with pytest.raises(FetchTooLarge, match="more than 1048576 bytes decoded"):
        fetch(server.url("/bomb"), allow_private=True, limits=FetchLimits(max_bytes=2**20), now=NOW)


def test_declared_length_over_the_cap_is_refused_before_reading(server: Server) -> None:
    server.routes["/big"] = lambda h: respond(h, 200, b"x" * 5000)

    with pytest.raises(FetchTooLarge, match="5000 bytes > 1000"):
        fetch(server.url("/big"), allow_private=True, limits=FetchLimits(max_bytes=1000), now=NOW)


def test_endless_chunked_body_is_cut_by_the_cap(server: Server) -> None:
    @server.route("/endless")
    def _(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        chunk = b"y" * 8192
        try:
            for _ in range(1000):
                h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except OSError:
            return

    with pytest.raises(FetchTooLarge):
        fetch(
            server.url("/endless"),
            allow_private=True,
            limits=FetchLimits(max_bytes=100_000),
            now=NOW,
        )


def redirect_chain(server: Server, hops: int) -> str:
    for index in range(hops):
        target = f"/hop{index + 1}" if index + 1 < hops else "/final"
        server.routes[f"/hop{index}"] = lambda h, target=target: respond(
            h, 302, headers={"Location": target}
        )
    server.routes["/final"] = lambda h: respond(h, 200, FEED)
    return server.url("/hop0")


def test_five_redirects_are_followed(server: Server) -> None:
    result = fetch(redirect_chain(server, 5), allow_private=True, now=NOW)

    assert result.status == 200 and result.body == FEED
    assert result.url == server.url("/final")
    assert [path for path, _ in server.requests] == [f"/hop{i}" for i in range(5)] + ["/final"]


def test_a_sixth_redirect_is_refused(server: Server) -> None:
    with pytest.raises(FetchRefused, match="more than 5 redirects"):
        fetch(redirect_chain(server, 6), allow_private=True, now=NOW)
    assert "/final" not in [path for path, _ in server.requests]


@pytest.fixture
def loopback_is_public(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Treat the test server's 127.0.0.1 as a public feed host; record every address dialled."""
    real = netguard.is_public_address
    loopback = ipaddress.ip_address("127.0.0.1")
    monkeypatch.setattr(
        netguard,
        "is_public_address",
        lambda address, allow_private=False: (
            address == loopback or real(address, allow_private=allow_private)
        ),
    )
    monkeypatch.setattr(
        netguard,
        "resolve_host",
        lambda host, port: {"mixed.test": ["93.184.216.34", "10.0.0.5"]}[host],
    )
    dialled: list[tuple[str, int]] = []
    original = urllib3.util.connection.create_connection

    def spy(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        dialled.append(address)
        return original(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", spy)
    return dialled


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3:6379/",
        "http://[::ffff:192.168.0.1]/",
        "http://[fd00::1]/",
        "http://100.64.0.1/",
        "http://mixed.test/feed",  # one public and one private address: refused as a whole
    ],
)
def test_redirect_to_a_refused_address_is_stopped_before_connecting(
    server: Server, loopback_is_public: list[tuple[str, int]], target: str
) -> None:
    server.routes["/start"] = lambda h: respond(h, 302, headers={"Location": target})

    with pytest.raises(FetchRefused, match="non-public address") as caught:
        fetch(server.url("/start"), now=NOW)

    assert str(caught.value).startswith(target.split("/feed")[0])
    assert [host for host, _ in loopback_is_public] == ["127.0.0.1"]  # only the first hop


def test_redirect_to_a_non_http_scheme_is_refused(server: Server) -> None:
    server.routes["/start"] = lambda h: respond(h, 302, headers={"Location": "file:///etc/passwd"})

    with pytest.raises(FetchRefused, match="scheme 'file'"):
        fetch(server.url("/start"), allow_private=True, now=NOW)


def test_429_with_retry_after_seconds_raises_with_the_time(server: Server) -> None:
    server.routes["/limited"] = lambda h: respond(h, 429, b"slow down", {"Retry-After": "120"})

    with pytest.raises(FetchHTTPError, match="HTTP 429") as caught:
        fetch(server.url("/limited"), allow_private=True, now=NOW)

    assert caught.value.status == 429
    assert caught.value.retry_after == NOW + timedelta(seconds=120)


def test_503_with_retry_after_date_is_clamped_to_a_day(server: Server) -> None:
    far = "Wed, 01 Dec 2027 00:00:00 GMT"
    server.routes["/down"] = lambda h: respond(h, 503, headers={"Retry-After": far})

    with pytest.raises(FetchHTTPError) as caught:
        fetch(server.url("/down"), allow_private=True, now=NOW)

    assert caught.value.retry_after == NOW + timedelta(hours=24)


def test_not_before_skips_the_request_entirely(server: Server) -> None:
    server.routes["/feed.xml"] = lambda h: respond(h, 200, FEED)
    later = NOW + timedelta(minutes=5)

    with pytest.raises(FetchDeferred) as caught:
        fetch(server.url("/feed.xml"), allow_private=True, not_before=later, now=NOW)

    assert caught.value.retry_after == later
    assert server.requests == []
    assert fetch(server.url("/feed.xml"), allow_private=True, not_before=later,
                 now=later).status == 200  # fmt: skip


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", NOW),
        ("3600", NOW + timedelta(hours=1)),
        ("Sun, 22 Nov 2026 07:30:00 GMT", NOW + timedelta(minutes=90)),
        ("Sat, 21 Nov 2026 07:30:00 GMT", NOW),  # in the past: now
        ("soon", None),
        ("", None),
    ],
)
def test_parse_retry_after(value: str, expected: datetime | None) -> None:
    assert parse_retry_after(value, NOW) == expected


def test_http_error_status_names_the_url_and_status(server: Server) -> None:
    with pytest.raises(
        FetchHTTPError, match=r"^http://127\.0\.0\.1:\d+/missing: HTTP 404"
    ) as caught:
        fetch(server.url("/missing"), allow_private=True, now=NOW)
    assert caught.value.status == 404 and caught.value.retry_after is None
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "application/octet-stream"])
def test_wrong_content_type_is_fetched_and_parsed_anyway(server: Server, content_type: str) -> None:
    server.routes["/feed"] = lambda h: respond(h, 200, FEED, {"Content-Type": content_type})

    result = fetch(server.url("/feed"), allow_private=True, now=NOW)
    assert result.body is not None and result.content_type == content_type
    parsed = parse_feed(result.body, base_url=result.url, content_type=result.content_type)

    assert [entry.title for entry in parsed.entries] == ["Ferry timetable changes"]


def test_html_page_served_as_a_feed_is_not_a_feed(server: Server) -> None:
    page = b"<!doctype html><html><head><title>Harbour</title></head><body><p>Hi</p></body></html>"
    server.routes["/feed"] = lambda h: respond(
        h, 200, page, {"Content-Type": "application/rss+xml"}
    )

    result = fetch(server.url("/feed"), allow_private=True, now=NOW)
    assert result.body is not None

    with pytest.raises(ParseError, match="not a feed"):
        parse_feed(result.body, base_url=result.url, content_type=result.content_type)


def test_cookies_are_never_sent_back(server: Server) -> None:
    server.routes["/set"] = lambda h: respond(
        h, 302, headers={"Location": "/feed.xml", "Set-Cookie": "session=abc; Path=/"}
    )
    server.routes["/feed.xml"] = lambda h: respond(h, 200, FEED)

    fetch(server.url("/set"), allow_private=True, now=NOW)

    assert all("Cookie" not in headers for _, headers in server.requests)


def test_environment_proxies_are_ignored(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    server.routes["/feed.xml"] = lambda h: respond(h, 200, FEED)

    assert fetch(server.url("/feed.xml"), allow_private=True, now=NOW).body == FEED


def test_connection_refused_is_a_one_line_fetch_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(FetchError) as caught:
        fetch(f"http://127.0.0.1:{port}/feed", allow_private=True, now=NOW)
    assert str(caught.value) == (
        f"http://127.0.0.1:{port}/feed: connection refused to 127.0.0.1:{port}"
    )


def test_private_address_refused_before_any_socket_is_opened(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_connect(*args: object, **kwargs: object) -> None:
        pytest.fail("a connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", no_connect)
    monkeypatch.setattr("urllib3.util.connection.create_connection", no_connect)

    for url in [
        "http://127.0.0.1/",
        "http://10.0.0.8/feed",
        "http://[::1]:8080/",
        "http://0177.0.0.1/",
    ]:
        with pytest.raises(FetchRefused, match="non-public address"):
            fetch(url, now=NOW)


# --- TLS through the pinned connection ----------------------------------------------------------


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """An HTTPS server on 127.0.0.1 whose self-signed certificate names only 'localhost'."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    srv = Server()
    srv.routes["/feed.xml"] = lambda h: respond(h, 200, FEED)
    srv.routes["/drip"] = lambda h: drip_body(h, srv.release)
    srv.httpd.socket = context.wrap_socket(srv.httpd.socket, server_side=True)
    srv.thread.start()
    yield srv.httpd.server_port, cert
    srv.release.set()
    srv.httpd.shutdown()
    srv.httpd.server_close()


def _tls_session(cert: Path) -> requests.Session:
    session = fetch_module._new_session(AddressGuard(allow_private=True), DEFAULT_USER_AGENT)
    session.verify = str(cert)
    return session


def test_pinned_connection_still_verifies_tls_against_the_host_name(
    tls_server: tuple[int, Path],
) -> None:
    port, cert = tls_server
    with _tls_session(cert) as session:
        response = session.get(f"https://localhost:{port}/feed.xml", timeout=5)
    assert response.status_code == 200 and response.content == FEED


def test_tls_certificate_for_another_name_is_rejected(tls_server: tuple[int, Path]) -> None:
    port, cert = tls_server
    with _tls_session(cert) as session, pytest.raises(requests.exceptions.SSLError):
        session.get(f"https://127.0.0.1:{port}/feed.xml", timeout=5)


def test_slow_drip_over_tls_is_cut_at_the_deadline(
    tls_server: tuple[int, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    port, cert = tls_server
    make_session = fetch_module._new_session

    def trusting_session(guard: AddressGuard, user_agent: str) -> requests.Session:
        session = make_session(guard, user_agent)
        session.verify = str(cert)
        return session

    monkeypatch.setattr(fetch_module, "_new_session", trusting_session)

    with pytest.raises(FetchTimeout, match="timed out after 1 s"):
        fetch(f"https://localhost:{port}/drip", allow_private=True,
              limits=FetchLimits(read_timeout=5, deadline=1), now=NOW)  # fmt: skip


def test_dns_that_hangs_is_cut_by_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    def stuck(host: str, port: int) -> list[str]:
        release.wait(30)
        return ["93.184.216.34"]

    monkeypatch.setattr(netguard, "resolve_host", stuck)
    try:
        with pytest.raises(FetchTimeout, match=r"slow\.test"):
            fetch("https://slow.test/feed", limits=FetchLimits(deadline=1), now=NOW)
    finally:
        release.set()


# --- issue #18 item 4: validators; issue #19: errors in words ----------------------------------


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ('"v1-7f3a"', True),
        ('W/"weak"', True),
        ("bare-token-123", True),  # unquoted, as many servers send it
        ("\x0bpoison", False),
        (" leading-space", False),
        ('"a\nInjected: 1"', False),
        ('"has space"', False),
        ("x" * 300, False),
        ("", False),
    ],
)
def test_valid_etag(value: str, ok: bool) -> None:
    from digest.net.http import valid_etag

    assert (valid_etag(value) == value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (LAST_MODIFIED, True),
        ("\x0cpoison", False),
        ("yesterday", False),
        (LAST_MODIFIED + "\r\nX: 1", False),
    ],
)
def test_valid_last_modified(value: str, ok: bool) -> None:
    from digest.net.http import valid_last_modified

    assert (valid_last_modified(value) == value) is ok


def test_malformed_validators_from_the_server_are_dropped_with_a_note(server: Server) -> None:
    server.routes["/feed.xml"] = lambda h: respond(
        h, 200, FEED, {"ETag": "\x0bpoison", "Last-Modified": "\x0cpoison"}
    )

    result = fetch(server.url("/feed.xml"), allow_private=True, now=NOW)

    assert (result.status, result.etag, result.last_modified) == (200, None, None)
    assert [note.split(" (")[0] for note in result.notes] == [
        "ignored a malformed ETag",
        "ignored a malformed Last-Modified",
    ]
    assert all("\x0b" not in note and "\x0c" not in note for note in result.notes)


def test_a_stored_malformed_validator_is_not_sent_and_the_fetch_goes_ahead(server: Server) -> None:
    server.routes["/feed.xml"] = lambda h: respond(h, 200, FEED, {"ETag": ETAG})

    result = fetch(server.url("/feed.xml"), validators=Validators("\x0bpoison", "\x0cx"),
                   allow_private=True, now=NOW)  # fmt: skip

    assert result.status == 200 and result.etag == ETAG
    sent = server.requests[0][1]
    assert "If-None-Match" not in sent and "If-Modified-Since" not in sent


def test_reason_phrase_and_location_controls_never_reach_the_message(server: Server) -> None:
    server.routes["/a"] = lambda h: respond(h, 302, headers={"Location": "/b\x1b[2J"})
    for path in ("/b\x1b[2J", "/b%1B[2J", "/b%1B%5B2J"):
        server.routes[path] = lambda h: (
            h.send_response(500, "\x1b]0;OWNED\x07 Oops \x9b31m"),
            h.end_headers(),
        )

    with pytest.raises(FetchHTTPError) as caught:
        fetch(server.url("/a"), allow_private=True, now=NOW)

    message = str(caught.value)
    assert message.endswith("HTTP 500 Oops") and "\x1b" not in message and "\x9b" not in message
    assert caught.value.url is not None and caught.value.url in message


def test_a_certificate_for_another_name_is_said_in_words(
    tls_server: tuple[int, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    port, cert = tls_server
    make_session = fetch_module._new_session

    def trusting_session(guard: AddressGuard, user_agent: str) -> requests.Session:
        session = make_session(guard, user_agent)
        session.verify = str(cert)
        return session

    monkeypatch.setattr(fetch_module, "_new_session", trusting_session)

    with pytest.raises(FetchError) as caught:
        fetch(f"https://127.0.0.1:{port}/feed.xml", allow_private=True, now=NOW)
    assert str(caught.value).endswith("certificate not valid for host '127.0.0.1'")


def test_an_untrusted_certificate_is_said_in_words(tls_server: tuple[int, Path]) -> None:
    port, _cert = tls_server
    with pytest.raises(FetchError) as caught:
        fetch(f"https://localhost:{port}/feed.xml", allow_private=True, now=NOW)
    assert re.search(r"certificate of 'localhost' is (self-signed|not signed)", str(caught.value))


def test_secrets_in_the_url_are_redacted_in_every_error(server: Server) -> None:
    url = "http://reader:p@ss@127.0.0.1:{port}/feed?apikey=K1&token=T2&page=3"
    url = url.format(port=server.httpd.server_port)

    with pytest.raises(FetchHTTPError) as caught:
        fetch(url, allow_private=True, now=NOW)

    message = str(caught.value)
    assert "p@ss" not in message and "K1" not in message and "T2" not in message
    assert message.startswith("http://***@127.0.0.1:") and "apikey=***&token=***&page=3" in message
