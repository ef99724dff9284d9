"""E-mail delivery against a local aiosmtpd server: both parts arrive, failures retry next run."""

from __future__ import annotations

import email
import socket
import sqlite3
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from digest.cli import main


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.original_content or envelope.content)
        )
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _auth(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == b"bob"
        and auth_data.password == b"s3cret"
    )
    return AuthResult(success=ok)


@pytest.fixture
def smtp_server() -> Iterator[tuple[_Inbox, int]]:
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=_auth, auth_require_tls=False
    )
    controller.start()
    yield inbox, port
    controller.stop()


def _email_cfg(port: int, **extra: object) -> dict:
    cfg = {
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "from": "digest@example.org",
        "to": ["reader@example.org", "second@example.org"],
        "timeout": 5,
    }
    cfg.update(extra)
    return cfg


def _outbox(cfg: Path) -> list[tuple]:
    conn = sqlite3.connect(cfg.parent / "state" / "digest.db")
    try:
        return conn.execute(
            "SELECT day, attempts, sent, last_error FROM email_outbox ORDER BY day"
        ).fetchall()
    finally:
        conn.close()


def test_multipart_message_arrives_with_both_parts(
    inbox: Path, make_config, smtp_server, monkeypatch
) -> None:
    received, port = smtp_server
    monkeypatch.setenv("DIGEST_TEST_SMTP_PASSWORD", "s3cret")
    cfg = make_config(
        delivery={"email": _email_cfg(port, user="bob", password_env="DIGEST_TEST_SMTP_PASSWORD")}
    )
    assert (
        main(["backfill", "--config", str(cfg), "--since", "2025-03-01", "--until", "2025-03-10"])
        == 0
    )
    assert len(received.messages) == 1, "a backfill mails only its newest briefing"
    msg = received.messages[0]
    assert msg["Subject"] == "Daily briefing: 2025-03-04"
    assert received.envelopes[0] == (
        "digest@example.org",
        ["reader@example.org", "second@example.org"],
    )
    assert msg.get_content_type() == "multipart/alternative"
    parts = {
        p.get_content_type(): p.get_payload(decode=True).decode("utf-8")
        for p in msg.walk()
        if not p.is_multipart()
    }
    out = cfg.parent / "out"
    assert parts["text/plain"].replace("\r\n", "\n") == (out / "2025-03-04.md").read_text()
    assert parts["text/html"].replace("\r\n", "\n") == (out / "2025-03-04.html").read_text()
    assert _outbox(cfg) == [("2025-03-04", 1, 1, None)]
    assert main(["render", "--config", str(cfg), "--date", "2025-03-04"]) == 0
    assert len(received.messages) == 1, "a re-render does not mail again"


def test_failure_is_logged_files_are_written_and_the_next_run_retries(
    inbox: Path, make_config, smtp_server, capsys
) -> None:
    received, port = smtp_server
    cfg = make_config(delivery={"email": _email_cfg(_free_port())})
    assert main(["render", "--config", str(cfg), "--date", "2025-03-04"]) == 0
    assert (cfg.parent / "out" / "2025-03-04.html").is_file()
    ((day, attempts, sent, error),) = _outbox(cfg)
    assert (day, attempts, sent) == ("2025-03-04", 1, 0) and "SMTP 127.0.0.1" in error
    assert "retried next run" in capsys.readouterr().err  # the CLI logs warnings to stderr
    cfg = make_config(delivery={"email": _email_cfg(port)})
    assert main(["render", "--config", str(cfg), "--date", "2025-03-04"]) == 0
    assert len(received.messages) == 1 and _outbox(cfg) == [("2025-03-04", 2, 1, None)]


def test_missing_password_variable_is_recorded_and_given_up_after_max_attempts(
    inbox: Path, make_config, smtp_server, monkeypatch
) -> None:
    received, port = smtp_server
    monkeypatch.delenv("DIGEST_TEST_NO_SUCH_VAR", raising=False)
    cfg = make_config(
        delivery={
            "email": _email_cfg(
                port, user="bob", password_env="DIGEST_TEST_NO_SUCH_VAR", max_attempts=2
            )
        }
    )
    assert main(["render", "--config", str(cfg), "--date", "2025-03-04"]) == 0
    assert "DIGEST_TEST_NO_SUCH_VAR" in _outbox(cfg)[0][3]
    assert main(["render", "--config", str(cfg), "--date", "2025-03-04"]) == 0
    assert _outbox(cfg)[0][1:3] == (2, 0)
    monkeypatch.setenv("DIGEST_TEST_NO_SUCH_VAR", "s3cret")
    assert main(["render", "--config", str(cfg), "--date", "2025-03-04"]) == 0
    assert received.messages == [] and _outbox(cfg)[0][1:3] == (2, 0), "given up after max_attempts"


def test_links_become_absolute_with_base_url(inbox: Path, make_config, smtp_server) -> None:
    received, port = smtp_server
    cfg = make_config(
        delivery={"email": _email_cfg(port), "base_url": "https://news.example/digest"},
        items={"max_age_days": 1},
    )
    assert (
        main(["backfill", "--config", str(cfg), "--since", "2025-03-01", "--until", "2025-03-10"])
        == 0
    )
    (msg,) = received.messages
    html = next(p for p in msg.walk() if p.get_content_type() == "text/html")
    text = html.get_payload(decode=True).decode("utf-8")
    assert 'href="https://news.example/digest/index.html"' in text
    assert 'href="https://news.example/digest/2025-03-03.html"' in text
    assert 'href="https://news.example/digest/stories/' in text
    assert 'href="#story-' in text and 'href="https://wire.example/' in text
    assert 'href="https://news.example/digest/https:' not in text


def test_starttls_is_never_silently_skipped(inbox: Path, make_config, smtp_server) -> None:
    received, port = smtp_server  # this server offers no STARTTLS
    cfg = make_config(delivery={"email": _email_cfg(port, security="starttls")})
    assert main(["render", "--config", str(cfg), "--date", "2025-03-04"]) == 0
    assert received.messages == []
    assert "STARTTLS" in _outbox(cfg)[0][3]
