"""E-mail delivery: one multipart (text + HTML) message per briefing over SMTP.

The pipeline hands over the pending deliveries (the Markdown briefing as the text part, the HTML
briefing as the HTML part, both as rendered, never read back from ``out/``) and records the
outcomes ``deliver`` returns in the store's outbox. A failure is logged and never raised, so mail
can never block the briefing files, and a briefing whose mail failed ``max_attempts`` times (a
message that cannot be built counts too) is given up.

One delivery session has an overall deadline (``delivery.email.deadline``) on top of the timeout
per SMTP operation: a relay that answers one byte at a time would otherwise hold the run (and the
instance lock) for as long as it likes. When it passes, a watchdog shuts the socket down.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import smtplib
import socket
import ssl
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from html import escape as html_escape

from digest.config import EmailConfig
from digest.errors import MailError
from digest.sanitize import one_line, safe_url

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    """One briefing to mail: its day, subject and rendered parts (None for a missing format)."""

    day: date
    subject: str
    text: str | None
    html: str | None
    attempts: int = 0  # earlier failed attempts


@dataclass(frozen=True)
class Outcome:
    """What one delivery attempt did: ``error`` is None when the message was sent."""

    day: date
    error: str | None
    given_up: bool = False  # the attempts are used up


def build_message(
    email: EmailConfig, subject: str, text: str | None, html: str | None, now: datetime
) -> EmailMessage:
    """A ``multipart/alternative`` message (or a single part when only one format exists).

    Raises ``MailError`` when it cannot be built (a header the email library refuses)."""
    if text is None and html is None:
        raise MailError("neither the Markdown nor the HTML briefing file exists")
    try:
        msg = EmailMessage()
        msg["Subject"] = one_line(subject, limit=200)
        msg["From"] = email.sender
        msg["To"] = ", ".join(email.to)
        msg["Date"] = formatdate(now.timestamp(), usegmt=True)
        msg["Message-ID"] = make_msgid(domain=email.sender.rpartition("@")[2] or None)
        msg["Auto-Submitted"] = "auto-generated"
        if text is not None:
            msg.set_content(text, subtype="plain", charset="utf-8")
            if html is not None:
                msg.add_alternative(html, subtype="html", charset="utf-8")
        else:
            assert html is not None
            msg.set_content(html, subtype="html", charset="utf-8")
    except (ValueError, TypeError) as exc:
        raise MailError(f"the message cannot be built: {one_line(str(exc), limit=200)}") from exc
    return msg


def _password(email: EmailConfig) -> str | None:
    if not email.password_env:
        return None
    value = os.environ.get(email.password_env)
    if value is None:
        raise MailError(
            f"environment variable {email.password_env} (delivery.email.password_env) is not set"
        )
    return value


class _SessionDeadline:
    """Shuts the SMTP socket down when the whole session has taken ``seconds``.

    smtplib's timeout bounds each read; a relay sending its greeting one byte a second never hits
    it. The timer thread shuts the connection down, which ends the blocked read at once."""

    def __init__(self, smtp: smtplib.SMTP, seconds: float) -> None:
        self.smtp, self.seconds = smtp, seconds
        self.expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _SessionDeadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def _expire(self) -> None:
        self.expired = True
        sock = getattr(self.smtp, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def send(messages: list[EmailMessage], email: EmailConfig) -> None:
    """Send ``messages`` over one SMTP session within ``email.deadline`` seconds in all.

    Raises ``MailError`` with a one-line reason."""
    password = _password(email)
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if email.security == "tls":
        smtp = smtplib.SMTP_SSL(timeout=email.timeout, context=context)
    else:
        smtp = smtplib.SMTP(timeout=email.timeout)
    where = f"SMTP {email.host}:{email.port}"
    with _SessionDeadline(smtp, email.deadline) as deadline:
        try:
            smtp.connect(email.host, email.port)
            with smtp:
                if deadline.expired:
                    raise smtplib.SMTPServerDisconnected("deadline")
                if email.security == "starttls":
                    smtp.starttls(context=context)
                if email.user:
                    if email.security == "none":
                        log.warning(
                            "delivery.email: logging in as %s without TLS (security: none)",
                            email.user,
                        )
                    smtp.login(email.user, password or "")
                for msg in messages:
                    smtp.send_message(msg)
        except (smtplib.SMTPException, OSError) as exc:
            if deadline.expired:
                raise MailError(f"{where}: timed out after {email.deadline:g} s") from exc
            reason = one_line(f"{type(exc).__name__}: {exc}", limit=300)
            raise MailError(f"{where}: {reason}") from exc


# href values our templates emit that are relative to out/ (not a scheme, not an in-page anchor).
_RELATIVE_HREF = re.compile(r'href="(?![A-Za-z][A-Za-z0-9+.\-]*:|#)')


def absolute_links(html: str, base_url: str | None) -> str:
    """Make the briefing's links to its neighbours, timelines and index work from an inbox.

    Without ``delivery.base_url`` they stay relative (a mail client cannot follow them).
    """
    base = safe_url(base_url) if base_url else None
    if not base:
        return html
    base = base.rstrip("/") + "/"
    return _RELATIVE_HREF.sub(lambda _m: f'href="{html_escape(base)}', html)


def deliver(
    pending: Sequence[Outgoing], email: EmailConfig, base_url: str | None, now: datetime
) -> list[Outcome]:
    """Send every pending briefing over one SMTP session; never raises.

    Returns one outcome per briefing, for the pipeline to record.
    """
    ready: list[tuple[Outgoing, EmailMessage]] = []
    outcomes: list[Outcome] = []
    for p in pending:
        try:
            html = absolute_links(p.html, base_url) if p.html is not None else None
            ready.append((p, build_message(email, p.subject, p.text, html, now)))
        except MailError as exc:
            outcomes.append(_failed(p, email.max_attempts, str(exc)))
    if not ready:
        return outcomes
    try:
        send([m for _, m in ready], email)
    except MailError as exc:
        return outcomes + [_failed(p, email.max_attempts, str(exc)) for p, _ in ready]
    for p, _ in ready:
        log.info("day=%s mailed to=%d", p.day, len(email.to))
        outcomes.append(Outcome(p.day, None))
    return outcomes


def _failed(p: Outgoing, max_attempts: int, error: str) -> Outcome:
    given_up = p.attempts + 1 >= max_attempts
    if given_up:
        log.error("day=%s mail given up after %d attempts: %s", p.day, p.attempts + 1, error)
    else:
        log.warning(
            "day=%s mail failed (attempt %d, retried next run): %s", p.day, p.attempts + 1, error
        )
    return Outcome(p.day, error, given_up)
