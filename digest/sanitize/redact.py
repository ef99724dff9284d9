"""The one redaction of secrets in URLs, for every URL shown in an error, a footer, a log line or
``digest config show``: userinfo (``user:password@``) and credential-like query and fragment
parameters are hidden, whatever the scheme's case."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit, urlunsplit

__all__ = ["REDACTED", "redact_text", "redact_url"]

#: Query or fragment parameter names that carry credentials: a name containing any of these.
CREDENTIAL_PARTS = (
    "key",
    "token",
    "secret",
    "sig",
    "pass",
    "pwd",
    "auth",
    "session",
    "cred",
    "jwt",
    "bearer",
    "otp",
)
REDACTED = "***"
_URL_IN_TEXT = re.compile(r"(?i)\b[a-z][a-z0-9+.\-]{0,30}://[^\s'\"<>]+")
_USERINFO = re.compile(r"(?i)^([a-z][a-z0-9+.\-]*:)?//[^/?#]*@")


def _is_credential(name: str) -> bool:
    lowered = unquote(name).lower()
    return any(part in lowered for part in CREDENTIAL_PARTS)


def _redact_params(text: str) -> str:
    """``a=1&token=x`` -> ``a=1&token=***``: values of credential-like names hidden, order kept."""
    if not text:
        return text
    out = []
    for pair in re.split(r"([&;])", text):
        if pair in ("&", ";"):
            out.append(pair)
            continue
        name, eq, _value = pair.partition("=")
        out.append(f"{name}={REDACTED}" if eq and _is_credential(name) else pair)
    return "".join(out)


def redact_url(url: str) -> str:
    """``url`` with its secrets hidden, for display anywhere (errors, footers, logs, config).

    Userinfo (``user:password@``; a password may itself contain ``@``: everything up to the
    last ``@`` before the host) becomes ``***@``, whatever the scheme's case (``HTTPS://``); the
    values of query and fragment parameters whose names look like credentials (``key``, ``token``,
    ``secret``, ``sig``, ``password``, ``auth``...) become ``***``. A URL too malformed to split
    is still stripped of its userinfo by pattern. Nothing else changes, so it stays recognisable.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return _USERINFO.sub(lambda m: f"{m.group(1) or ''}//{REDACTED}@", url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{REDACTED}@{netloc.rpartition('@')[2]}"
    if not (parts.scheme or netloc):
        return _USERINFO.sub(f"//{REDACTED}@", url)
    query, fragment = _redact_params(parts.query), _redact_params(parts.fragment)
    return urlunsplit((parts.scheme, netloc, parts.path, query, fragment))


def redact_text(text: str) -> str:
    """Every URL inside free text (an error message, say) passed through ``redact_url``."""

    def one(match: re.Match[str]) -> str:
        found = match.group(0)
        url = found.rstrip(".,:;!?)]}")
        return redact_url(url) + found[len(url) :]

    return _URL_IN_TEXT.sub(one, text)
