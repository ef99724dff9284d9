"""Issue #18, hostile input and faults (second round): a test per item, through the real pipeline.

Every input is invented here; every server is one this module starts on 127.0.0.1. Items:
1 a file that stalls the cleaner, 2 too many items in one JSON file, 3 control characters from a
server and from JSON/YAML escapes, 4 a malformed validator, 5 reused ids, 6 secrets in URLs,
7 a slow SMTP relay, 8 the whole-run fetch budget, 9 a file that needs too much memory,
10 one-line errors for bad config and faults, 11 an old report first seen today.
"""

from __future__ import annotations

import http.server
import importlib
import io
import json
import os
import re
import socket
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from digest.cli import main
from digest.config import Config, EmailConfig, load_config
from digest.errors import MailError
from digest.models import SourceState
from digest.pipeline.run import run_day, run_range
from digest.status import print_status
from digest.store import Store
from tests.conftest import write_config
from tests.net.test_fetch import Server, respond

DAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)
SETTLED = NOW.timestamp() - 3600  # every inbox file was written an hour before the run
# What must never reach a log, the state or an output: C0 (but tab/newline), C1, DEL, bidi.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

HARBOUR = (
    "Harbour cranes restored after storm\n"
    "The port authority of Veldmar restored the last two container cranes on Saturday after a "
    "storm had damaged their rails, the harbour master said.\n"
    "Ships that waited in the roads for three days began unloading in the afternoon.\n"
)
FERRY = (
    "---\ntitle: Ferry union signs the new wage deal\n---\n"
    "The ferry union of Osterholm signed the new wage deal on Saturday after six weeks of talks. "
    "Crossings to the islands run on the normal timetable again from Monday.\n"
)


def _config(tmp_path: Path, sources: list[dict[str, Any]], **extra: object) -> Config:
    return load_config(write_config(tmp_path, sources, **extra))


def _write(path: Path, text: str | bytes, mtime: float = SETTLED) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))
    return path


def _briefing(config: Config, day: date = DAY) -> dict[str, Any]:
    return json.loads((config.output.dir / f"{day}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _titles(briefing: dict[str, Any]) -> list[str]:
    return sorted(it["title"] for story in briefing["stories"] for it in story["items"])


def _rows(config: Config, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(config.state.path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _skipped(config: Config, source: str = "inbox") -> list[tuple[str, str]]:
    store = Store.open(config.state.path)
    try:
        return store.skipped_files(source)
    finally:
        store.close()


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    srv.thread.start()
    yield srv
    srv.release.set()
    srv.httpd.shutdown()
    srv.httpd.server_close()


def _rss(*entries: tuple[str, str, str]) -> bytes:
    """(guid, title, link) entries, all dated on DAY."""
    items = "".join(
        f"<item><title>{title}</title><link>{link}</link>"
        + (f"<guid isPermaLink='false'>{guid}</guid>" if guid else "")
        + f"<pubDate>Sat, 21 Nov 2026 08:00:00 GMT</pubDate><description>{title}. The harbour"
        " board confirmed it in a short statement on Saturday morning.</description></item>"
        for guid, title, link in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Desk</title>'
        f"<link>https://desk.example/</link><description>x</description>{items}</channel></rss>"
    ).encode()


# --- items 1 and 9: a file that stalls the cleaner or needs too much memory --------------------


def _stalling_page() -> str:
    """htmldate is quadratic in the attributes of one element: minutes for this one."""
    return "<html><body><p " + " ".join(f"a{i}=v" for i in range(60_000)) + ">x</p></body></html>"


def test_a_file_that_stalls_the_cleaner_is_skipped_and_its_neighbours_are_stored(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    inbox = tmp_path / "inbox"
    _write(inbox / "a-harbour.txt", HARBOUR)
    stall = _write(inbox / "m-stall.html", _stalling_page())
    _write(inbox / "z-ferry.md", FERRY)
    config = _config(
        tmp_path, [{"name": "inbox", "type": "files", "path": "inbox", "file_timeout": 1}]
    )

    run_day(config, DAY, NOW)

    assert _titles(_briefing(config)) == [
        "Ferry union signs the new wage deal",
        "Harbour cranes restored after storm",
    ]
    ((path, reason),) = _skipped(config)
    assert path == "m-stall.html" and "took longer than 1 s to clean" in reason
    assert any("m-stall.html" in r.getMessage() and "took longer" in r.getMessage()
               for r in caplog.records)  # fmt: skip
    report = io.StringIO()
    print_status(config, NOW, report)
    assert "inbox: 1 file(s) skipped until they change; e.g. m-stall.html: could not be" in (
        report.getvalue()
    )

    caplog.clear()
    run_day(config, DAY, NOW)  # unchanged: not tried again
    assert not any("took longer" in r.getMessage() for r in caplog.records)

    _write(stall, _stalling_page() + "\n", mtime=SETTLED + 1)  # changed: tried again
    run_day(config, DAY, NOW)
    assert any("took longer" in r.getMessage() for r in caplog.records)


def test_a_file_that_needs_too_much_memory_is_skipped_and_its_neighbours_are_stored(
    tmp_path: Path,
) -> None:
    inbox = tmp_path / "inbox"
    _write(inbox / "a-harbour.txt", HARBOUR)
    _write(inbox / "m-links.html", "<html><body>" + "<a href=x>word " * 200_000 + "</body></html>")
    _write(inbox / "z-ferry.md", FERRY)
    source = {"name": "inbox", "type": "files", "path": "inbox", "file_memory_mb": 16}
    config = _config(tmp_path, [source])

    run_day(config, DAY, NOW)

    assert "Ferry union signs the new wage deal" in _titles(_briefing(config))
    assert "Harbour cranes restored after storm" in _titles(_briefing(config))
    ((path, reason),) = _skipped(config)
    assert path == "m-links.html" and reason.startswith("could not be cleaned")


def test_a_run_killed_mid_source_keeps_the_files_it_had_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checkpoints: the files before a failure are committed; the source is not rolled back."""
    ingest_module = importlib.import_module("digest.pipeline.ingest")
    inbox = tmp_path / "inbox"
    _write(inbox / "a-harbour.txt", HARBOUR)
    _write(inbox / "b-ferry.md", FERRY)
    config = _config(tmp_path, [{"name": "inbox", "type": "files", "path": "inbox"}])
    real = ingest_module._store_items
    calls = []

    def dies_on_the_second_file(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # stands in for a kill in the middle of the second file
        return real(*args, **kwargs)

    monkeypatch.setattr(ingest_module, "CHECKPOINT_SECONDS", 0.0)
    monkeypatch.setattr(ingest_module, "_store_items", dies_on_the_second_file)
    with pytest.raises(KeyboardInterrupt):
        run_day(config, DAY, NOW)
    assert _rows(config, "SELECT origin FROM items") == [("a-harbour.txt",)]
    assert _rows(config, "SELECT path FROM file_index") == [("a-harbour.txt",)]


# --- item 2: items per JSON file ---------------------------------------------------------------


def test_a_json_lines_file_yields_at_most_max_items_per_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    lines = [
        json.dumps({"id": f"n{i}", "title": f"Pier {i} reopens", "text": f"Pier {i} reopened."})
        for i in range(12)
    ]
    _write(tmp_path / "inbox" / "bulk.jsonl", "\n".join(lines) + "\n")
    source = {"name": "inbox", "type": "files", "path": "inbox", "max_items_per_file": 5}
    config = _config(tmp_path, [source])

    run_day(config, DAY, NOW)

    assert _rows(config, "SELECT count(*) FROM items") == [(5,)]
    assert any("bulk.jsonl: kept the first 5 items" in r.getMessage() for r in caplog.records)


# --- item 3: control characters from a server and from JSON/YAML escapes ------------------------


def _no_raw(text: str, where: str) -> None:
    found = RAW.search(text)
    assert found is None, f"{where}: {found.group(0)!r} in {text[max(found.start() - 40, 0):found.end() + 40]!r}"  # type: ignore[union-attr]  # fmt: skip


def test_a_hostile_reason_phrase_and_location_reach_no_log_status_footer_or_state(
    tmp_path: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = "\x1b]0;OWNED\x07\x1b[2J\x9b31m Boom \x85evil"  # a status line is Latin-1
    server.routes["/feed"] = lambda h: respond(h, 302, headers={"Location": "/next\x1b[31m"})
    for path in ("/next\x1b[31m", "/next%1B[31m", "/next%1B%5B31m"):  # however it is sent
        server.routes[path] = lambda h: (h.send_response(500, hostile), h.end_headers())
    _write(tmp_path / "inbox" / "a.txt", HARBOUR)  # one source that works: a briefing is written
    config = _config(
        tmp_path,
        [
            {"name": "inbox", "type": "files", "path": "inbox"},
            {"name": "desk", "type": "feed", "url": server.url("/feed"), "allow_private": True},
        ],
    )
    assert main(["-v", "render", "--config", str(config.path)]) == 0
    assert main(["status", "--config", str(config.path)]) == 0
    captured = capsys.readouterr()
    for stream, text in (("stdout", captured.out), ("stderr", captured.err)):
        for line in text.splitlines():
            _no_raw(line, stream)
    assert "Boom evil" in captured.err  # the words are kept, the controls are not
    (error,) = _rows(config, "SELECT last_error FROM source_state WHERE name = 'desk'")[0]
    _no_raw(error, "source_state.last_error")
    assert "HTTP 500 Boom evil" in error
    for path in config.output.dir.rglob("*.*"):
        _no_raw(path.read_text(encoding="utf-8"), path.name)


def test_json_and_yaml_escapes_are_sanitised_after_decoding(tmp_path: Path) -> None:
    row = {
        "id": "esc-1",
        "title": "Quay \u001b[2J lights \u202egnp.exe\u202c switched",
        "text": "The board \u001b]0;pwned\u0007switched\r the lights.\rIt said so on Saturday.",
        "author": "\u202eRedaktion\u0085",
        "source": "Wire\u0007",
        "url": "https://wire.example/quay",
    }
    _write(tmp_path / "inbox" / "esc.jsonl", json.dumps(row) + "\n")
    _write(
        tmp_path / "inbox" / "esc.md",
        '---\ntitle: "Dredger \\e[31m arrives \\u202e"\nauthor: "\\x07Desk"\n---\n'
        "The dredger arrived in Veldmar on Saturday with a crew of twelve.\n",
    )
    config = _config(tmp_path, [{"name": "inbox", "type": "files", "path": "inbox"}])

    run_day(config, DAY, NOW)

    rows = _rows(config, "SELECT title, text, coalesce(author, ''), source, url FROM items")
    assert len(rows) == 2
    for row_values in rows:
        for value in row_values:
            _no_raw(value or "", "items")
    assert ("Quay lights gnp.exe switched",) in [(r[0],) for r in rows]
    for path in config.output.dir.rglob("*.*"):
        _no_raw(path.read_text(encoding="utf-8"), path.name)


# --- item 4: a malformed validator -------------------------------------------------------------


def test_a_malformed_etag_is_never_stored_or_sent_and_check_sees_what_the_run_sees(
    tmp_path: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = _rss(("g-1", "Lock gates serviced", "https://desk.example/lock"))
    answers = {"etag": "\x0bpoison", "modified": "\x0cpoison"}

    def handler(h: http.server.BaseHTTPRequestHandler) -> None:
        if h.headers.get("If-None-Match") == '"v2"':
            h.send_response(304)
            h.end_headers()
            return
        respond(h, 200, feed, {"ETag": answers["etag"], "Last-Modified": answers["modified"]})

    server.routes["/feed"] = handler
    source = {"name": "desk", "type": "feed", "url": server.url("/feed"), "allow_private": True}
    config = _config(tmp_path, [source])

    run_day(config, DAY, NOW)
    assert _rows(config, "SELECT etag, last_modified FROM source_state") == [(None, None)]

    # A state poisoned by an older version: the stored value is left out, the fetch goes ahead.
    store = Store.open(config.state.path)
    with store.transaction():
        store.save_source_state(SourceState("desk", etag="\x0bpoison", last_modified="\x0cx"))
    store.close()
    answers.update(etag='"v2"', modified="Sat, 21 Nov 2026 06:00:00 GMT")
    run_day(config, DAY, NOW)
    assert len(server.requests) == 2
    assert "If-None-Match" not in server.requests[1][1]
    assert _rows(config, "SELECT etag FROM source_state") == [('"v2"',)]

    # `sources check` sends what the scheduled run would send, so it sees the 304 too.
    assert main(["sources", "check", "--config", str(config.path)]) == 0
    assert server.requests[2][1].get("If-None-Match") == '"v2"'
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("desk"))
    assert "ok (not modified)" in row


# --- item 5: reused ids --------------------------------------------------------------------------


def test_a_reused_guid_and_a_claimed_url_lose_no_article(tmp_path: Path) -> None:
    feed = tmp_path / "desk.xml"
    _write(feed, _rss(("g-1", "Ferry timetable changes", "https://desk.example/ferry")))
    claim = {"title": "Claimed headline", "text": "A note that claims the URL first.",
             "url": "https://www.news.example/story?utm_source=inbox"}  # fmt: skip
    _write(tmp_path / "inbox" / "claim.jsonl", json.dumps(claim) + "\n")
    config = _config(
        tmp_path,
        [
            {"name": "inbox", "type": "files", "path": "inbox"},
            {"name": "desk", "type": "feed", "path": "desk.xml"},
        ],
    )
    day1, day2 = DAY - timedelta(days=1), DAY
    run_day(config, day1, NOW - timedelta(days=1))

    _write(
        feed,
        _rss(
            ("g-1", "Bridge toll abolished", "https://desk.example/bridge"),  # guid reused
            (None, "Story at the claimed address", "https://news.example/story"),
        ),
        mtime=SETTLED + 10,
    )
    run_day(config, day2, NOW)

    titles = _titles(_briefing(config, day2))
    assert "Bridge toll abolished" in titles
    assert "Story at the claimed address" in titles


# --- item 6: secrets in URLs ----------------------------------------------------------------------


def test_secrets_in_urls_reach_no_footer_state_log_or_config_show(
    tmp_path: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    server.routes["/feed?apikey=KEY-7Q1&token=TOK-3Z9&x=1"] = lambda h: respond(h, 500)
    url = server.url("/feed?apikey=KEY-7Q1&token=TOK-3Z9&x=1")
    _write(tmp_path / "inbox" / "a.txt", HARBOUR)  # one source that works: a briefing is written
    sources = [
        {"name": "inbox", "type": "files", "path": "inbox"},
        {"name": "desk", "type": "feed", "url": url, "allow_private": True},
        {
            "name": "private",
            "type": "feed",
            "url": "HTTPS://reader:p@ss@PW-5K8@feeds.example/x?sig=SIG-2M4",
            "enabled": False,
        },
    ]
    config = _config(tmp_path, sources)
    assert main(["-v", "render", "--config", str(config.path)]) == 0
    assert main(["config", "show", "--config", str(config.path)]) == 0
    captured = capsys.readouterr()
    texts = [captured.out, captured.err, *map(str, _rows(config, "SELECT * FROM source_state"))]
    texts += [p.read_text(encoding="utf-8") for p in config.output.dir.rglob("*.*")]
    for secret in ("KEY-7Q1", "TOK-3Z9", "PW-5K8", "p@ss", "SIG-2M4"):
        assert not any(secret in text for text in texts), secret
    assert "apikey=***&token=***&x=1" in captured.err
    assert "https://***@feeds.example/x?sig=***" in captured.out


# --- item 7: a slow SMTP relay -------------------------------------------------------------------


def test_smtp_has_an_overall_deadline() -> None:
    from email.message import EmailMessage

    from digest.output.mail import send

    release = threading.Event()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def drip() -> None:
        conn, _ = listener.accept()
        with conn:
            for byte in b"220 relay.example ESMTP ready\r\n":
                if release.wait(0.2):  # one byte every 0.2 s: each read is well inside the timeout
                    return
                conn.sendall(bytes([byte]))

    threading.Thread(target=drip, daemon=True).start()
    email = EmailConfig(host="127.0.0.1", to=("r@example.org",), sender="d@example.org",
                        port=listener.getsockname()[1], security="none", timeout=5, deadline=1)  # fmt: skip
    message = EmailMessage()
    message["Subject"] = "x"
    message.set_content("x")
    try:
        with pytest.raises(MailError, match="timed out after 1 s"):
            send([message], email)
    finally:
        release.set()
        listener.close()


def test_a_message_that_cannot_be_built_is_a_failed_attempt_not_a_crash() -> None:
    from digest.output.mail import build_message

    email = EmailConfig(
        host="h", to=("r@example.org",), sender="d@example.org\nBcc: x@evil.example"
    )
    with pytest.raises(MailError, match="cannot be built"):
        build_message(email, "Daily briefing", "text", None, NOW)


# --- item 8: a budget for the whole run ---------------------------------------------------------


def test_feeds_beyond_the_run_budget_are_deferred_reported_and_go_first_next_run(
    tmp_path: Path, server: Server
) -> None:
    from tests.net.test_fetch import drip_body

    for name in ("one", "two", "three"):
        server.routes[f"/{name}"] = lambda h: drip_body(h, server.release)
    sources = [
        {"name": name, "type": "feed", "url": server.url(f"/{name}"), "allow_private": True}
        for name in ("one", "two", "three")
    ]
    _write(tmp_path / "inbox" / "a.txt", HARBOUR)  # one source that works: a briefing is written
    sources.append({"name": "inbox", "type": "files", "path": "inbox"})
    config = _config(tmp_path, sources, fetch={"run_budget": 1, "deadline": 30})

    first = run_day(config, DAY, NOW)

    errors = {s.name: s.error or "" for s in first.sources}
    assert "timed out after 1 s" in errors["one"]  # its deadline was cut to the budget
    assert "deferred to the next run" in errors["two"] and "deferred" in errors["three"]
    assert [path for path, _ in server.requests] == ["/one"]
    footer = (config.output.dir / f"{DAY}.html").read_text(encoding="utf-8").split("<footer>")[1]
    assert "deferred to the next run" in footer

    run_day(config, DAY, NOW + timedelta(hours=1))
    assert [path for path, _ in server.requests] == ["/one", "/two"]  # the deferred go first


# --- item 10: one-line errors ----------------------------------------------------------------------

_BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi")
)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"items": {"max_age_days": 100_000_000_000}}, "items.max_age_days: .* out of range"),
        ({"nlp": {"batch_size": 0}}, "nlp.batch_size: 0 is out of range"),
        ({"stories": {"max_batch": 0}}, "stories.max_batch: 0 is out of range"),
        ({"fetch": {"deadline": float("inf")}}, "fetch.deadline: must be a finite number"),
        ({"fetch": {"run_budget": float("nan")}}, "fetch.run_budget: must be a finite number"),
        ({"briefing": {"title": "Daily\nBcc: x@evil.example"}}, "briefing.title: must be one line"),
    ],
)
def test_bad_config_values_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: dict[str, Any], message: str
) -> None:
    _write(tmp_path / "inbox" / "a.txt", HARBOUR)
    path = write_config(tmp_path, [{"name": "inbox", "type": "files", "path": "inbox"}], **extra)
    assert main(["render", "--config", str(path)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and re.search(message, err), err


def test_a_yaml_alias_bomb_is_refused_quickly_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(_BOMB + "sources:\n  - {name: x, type: *i, path: inbox}\n", encoding="utf-8")
    assert main(["render", "--config", str(path)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "alias bomb" in err


def test_a_date_out_of_range_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_config(tmp_path, [{"name": "inbox", "type": "files", "path": "inbox"}])
    with pytest.raises(SystemExit) as exited:
        main(["render", "--config", str(path), "--date", "0001-01-01"])
    assert exited.value.code == 2
    assert "out of range" in capsys.readouterr().err


def test_a_full_state_disk_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import digest.store as store_package

    long_read = " ".join(f"Berth {i} was cleared of storm debris by noon." for i in range(1500))
    _write(tmp_path / "inbox" / "a.txt", "Harbour cleared after storm\n" + long_read + "\n")
    path = write_config(tmp_path, [{"name": "inbox", "type": "files", "path": "inbox"}])
    real = store_package.connect

    def full(target: Path) -> sqlite3.Connection:
        conn = real(target)
        conn.execute("PRAGMA journal_mode = DELETE")  # WAL would defer the write to a checkpoint
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full from here on
        return conn

    monkeypatch.setattr(store_package, "connect", full)
    assert main(["render", "--config", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "digest: error: state database cannot be written: database or disk is full"
    )
    assert len(err.strip().splitlines()) == 1


# --- item 11: an older report first seen today ------------------------------------------------------


def test_an_older_report_dropped_in_today_is_in_todays_briefing(tmp_path: Path) -> None:
    _write(
        tmp_path / "inbox" / "cranes.md",
        "---\ntitle: Port authority restores the cranes\ndate: 2026-11-15\n---\n"
        "The port authority restored the cranes on Monday, the harbour master said.\n",
    )
    config = _config(tmp_path, [{"name": "inbox", "type": "files", "path": "inbox"}])

    run_day(config, DAY, NOW)

    assert _titles(_briefing(config)) == ["Port authority restores the cranes"]
    assert _rows(config, "SELECT day, reported_on FROM items") == [("2026-11-15", "2026-11-21")]


def test_with_backfill_an_older_report_is_reported_on_its_own_day(tmp_path: Path) -> None:
    _write(
        tmp_path / "inbox" / "cranes.md",
        "---\ntitle: Port authority restores the cranes\ndate: 2026-11-15\n---\n"
        "The port authority restored the cranes on Monday, the harbour master said.\n",
    )
    _write(tmp_path / "inbox" / "ferry.md", FERRY.replace("---\n\n", "---\n"))
    config = _config(tmp_path, [{"name": "inbox", "type": "files", "path": "inbox"}])

    run_range(config, date(2026, 11, 14), DAY, NOW)

    assert _titles(_briefing(config, date(2026, 11, 15))) == ["Port authority restores the cranes"]
    assert "Port authority restores the cranes" not in _titles(_briefing(config, DAY))


# --- the sanitiser and the redaction themselves -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\x1b[31mred\x1b[0m b", "ared b"),
        ("t\x1b]0;title\x07x", "tx"),
        ("t\x1b]8;;https://e.x\x1b\\link\x1b]8;;\x1b\\", "tlink"),
        ("c1 \x9b2J and \x85 NEL", "c1 and NEL"),
        ("bidi \u202egnp.exe\u202c and \u2066iso\u2069", "bidi gnp.exe and iso"),
        ("nul\x00 bel\x07 del\x7f", "nul bel del"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("two\nlines\r\nand\rcr", "two lines and cr"),
    ],
)
def test_one_line_removes_every_control(text: str, expected: str) -> None:
    from digest.sanitize import one_line

    assert one_line(text) == expected


def test_clean_text_keeps_tabs_and_newlines() -> None:
    from digest.sanitize import clean_text

    assert clean_text("a\tb\r\nc\x1b[1md\re") == "a\tb\ncd\ne"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://user:secret@host.example/feed", "https://***@host.example/feed"),
        ("https://u:p@ss@word@host.example:8443/x", "https://***@host.example:8443/x"),
        ("https://h.example/f?apikey=1&x=2&Token=3", "https://h.example/f?apikey=***&x=2&Token=***"),
        ("https://h.example/f?sig=1;a=2#access_token=z", "https://h.example/f?sig=***;a=2#access_token=***"),
        ("https://h.example/f?password=1&auth=2&client_secret=3", "https://h.example/f?password=***&auth=***&client_secret=***"),
        ("http://u:p@[::1/broken", "http://***@[::1/broken"),
        ("https://plain.example/feed?page=2", "https://plain.example/feed?page=2"),
    ],
)  # fmt: skip
def test_redact_url(url: str, expected: str) -> None:
    from digest.sanitize import redact_url

    assert redact_url(url) == expected


def test_redact_text_finds_urls_inside_messages() -> None:
    from digest.sanitize import redact_text

    message = "source x: HTTPS://a:b@h.example/f?token=1: HTTP 500 (see http://u@y.example/)."
    assert redact_text(message) == (
        "source x: https://***@h.example/f?token=***: HTTP 500 (see http://***@y.example/)."
    )


def test_the_config_loader_and_front_matter_share_the_bounded_yaml_loader() -> None:
    from digest.config import load_yaml
    from digest.errors import ConfigError

    with pytest.raises(ConfigError, match="alias bomb"):
        load_yaml(_BOMB)
    with pytest.raises(ConfigError, match="alias bomb"):
        load_yaml("a: &x [*x]")
    assert load_yaml("a: &x {k: 1}\nb: *x\n") == {"a": {"k": 1}, "b": {"k": 1}}
    assert yaml.safe_load("a: 1") == load_yaml("a: 1")


def test_stored_text_has_no_run_that_would_stall_a_tokeniser(tmp_path: Path) -> None:
    """Item 9: 20,000 brackets in one "word" cost spaCy's tokeniser minutes; stored, they are cut."""
    _write(tmp_path / "inbox" / "brackets.md", "[" * 60_000 + "x" + "](" * 60_000)
    _write(tmp_path / "inbox" / "link.md", "See https://e.example/" + "a" * 250 + " for more.\n")
    _write(tmp_path / "inbox" / "blob.md", "Data: " + "Zm9vYmFy" * 100 + " ends.\n")
    config = _config(tmp_path, [{"name": "inbox", "type": "files", "path": "inbox"}])

    run_day(config, DAY, NOW)

    texts = dict(_rows(config, "SELECT origin, text FROM items"))
    assert len(texts["brackets.md"]) < 1000  # mostly punctuation: not text, only its start kept
    assert "https://e.example/" + "a" * 250 in texts["link.md"]  # a long URL is left whole
    assert max(len(run) for run in texts["blob.md"].split()) == 100  # 800 letters: in pieces
