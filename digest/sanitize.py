"""The one place where untrusted feed text is made safe to show.

Feeds hand us HTML written by strangers, and feedparser's own sanitizer is not a security boundary
(it keeps ``java&#9;script:`` links, SVG ``<set>`` gadgets and forms). Everything that ends up in
the HTML or Markdown briefing therefore passes through this module: ``sanitize_html`` runs one
strict nh3 (ammonia) allow-list and is the only code that wraps untrusted content in ``Markup``;
``safe_url`` is the single URL scheme policy (http/https, plus mailto where a link may be an
address) used both inside sanitised HTML and for every ``href`` a template emits; and
``escape_markdown`` / ``markdown_link`` make feed text inert in Markdown, whatever renders it.

``redact_url`` / ``redact_text`` are the one redaction of secrets in URLs (userinfo, credential-like
query parameters) for errors, footers, logs and ``digest config show``.

It is also the one sanitiser for untrusted *text* on its way to a log, ``digest status``, a footer,
SQLite or an output file: ``clean_text`` (multi-line text) and ``one_line`` (names, titles, error
messages, log lines) remove C0 controls except tab and newline, C1 controls, DEL, whole terminal
escape sequences (CSI ``ESC [ ... m``, OSC ``ESC ] ... BEL``, DCS/APC ... ST, two-byte escapes) and
bidirectional embeddings, overrides and isolates; lone surrogates become U+FFFD. It is applied
after the last decoding step of each value (JSON and YAML escapes included), where the value is
stored or shown, so no decoder can bring a control character back behind it.
"""

from __future__ import annotations

import contextvars
import dataclasses
import html
import ipaddress
import logging
import re
import unicodedata
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

import markupsafe
import nh3

from digest.models import Article

__all__ = [
    "MAX_FRAGMENT_CHARS",
    "LogFormatter",
    "clean_article",
    "clean_text",
    "escape_markdown",
    "html_to_text",
    "markdown_link",
    "one_line",
    "redact_text",
    "redact_url",
    "safe_url",
    "sanitize_html",
    "strip_control_chars",
]

logger = logging.getLogger(__name__)

#: Fragments longer than this are cut before sanitising, so one entry cannot cost unbounded time.
MAX_FRAGMENT_CHARS = 500_000
#: URLs longer than this are refused outright.
MAX_URL_CHARS = 4096

_WEB_SCHEMES = frozenset({"http", "https"})

# Terminal escape sequences (ECMA-48), removed whole so that no "[2J" or window title is left
# behind: CSI (ESC [ or C1 CSI, parameters, intermediates, a final byte); OSC, DCS, SOS, PM and APC
# strings up to their terminator (BEL or ST; an unterminated one up to the end of the line, at most
# 512 characters); and two-byte escapes (ESC, intermediates, a final byte).
_ESCAPE_RE = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]{0,512}(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?"
)
# C0 and C1 controls except tab and newline, plus DEL. They have no business in feed text, are
# invalid in XML, and some (NUL, ESC) break storage, terminals or browsers' URL parsing.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NEWLINE_RE = re.compile("\r\n|\r|\x85")
# Bidirectional embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI) and the
# implicit marks: they reorder what a reader or a terminal shows ("gpj.exe" shown as "exe.jpg").
_BIDI_RE = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Untrusted multi-line text made safe to store, log or show.

    Line breaks are unified to ``\\n``; terminal escape sequences, C0 controls other than tab and
    newline, C1 controls, DEL and bidi controls are removed; lone surrogates become U+FFFD.
    """
    if not text:
        return text
    text = _SURROGATE_RE.sub("\ufffd", text)
    text = _NEWLINE_RE.sub("\n", text)
    text = _ESCAPE_RE.sub("", text)
    text = _CONTROL_RE.sub("", text)
    return _BIDI_RE.sub("", text)


def one_line(text: str | None, limit: int | None = None) -> str:
    """Untrusted text as one clean line (names, titles, errors, log and status lines).

    ``clean_text``, then every run of whitespace (tab, newline, U+2028...) becomes one space;
    cut to ``limit`` characters with an ellipsis when given.
    """
    line = " ".join(clean_text(text or "").split())
    if limit is not None and len(line) > limit:
        line = line[: max(limit - 1, 0)] + "…"
    return line


# A run of this many characters without whitespace is not a word anyone reads (a long URL is about
# 200); runs longer than that are cut into pieces of ``_RUN_PIECE`` characters. Tokenisers strip
# prefix and suffix punctuation one character at a time, so 20,000 brackets or quotes in one "word"
# cost spaCy minutes (quadratic), where the same characters in pieces cost a second.
_MAX_RUN = 300
_RUN_PIECE = 100
_LONG_RUN_RE = re.compile(rf"\S{{{_MAX_RUN + 1},}}")


def _break_long_runs(text: str) -> str:
    return _LONG_RUN_RE.sub(
        lambda m: " ".join(
            m.group(0)[i : i + _RUN_PIECE] for i in range(0, len(m.group(0)), _RUN_PIECE)
        ),
        text,
    )


def clean_article(article: Article) -> Article:
    """The article with every text field through the sanitiser, as it is stored; in the body a
    run of more than 300 characters without whitespace is cut into pieces, so that no later
    tokeniser meets a single "word" of thousands of brackets or quotes."""

    def opt(value: str | None) -> str | None:
        return one_line(value) or None if value is not None else None

    return dataclasses.replace(
        article,
        source=one_line(article.source),
        origin=one_line(article.origin),
        title=one_line(article.title) or "(untitled)",
        text=_break_long_runs(clean_text(article.text)),
        url=opt(article.url),
        canonical_url=opt(article.canonical_url),
        author=opt(article.author),
        html=clean_text(article.html) if article.html is not None else None,
        collector=one_line(article.collector),
    )


# --- redaction: one function for every URL shown in an error, a footer, a log or `config show` ---

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


class LogFormatter(logging.Formatter):
    """A formatter whose every record is one clean line with its URLs redacted: a message built
    from untrusted text (a server's reason phrase, a file name, a title) can neither forge a line
    nor drive the terminal, and no credential in a URL reaches the log. Tracebacks (``exc_info``)
    follow on their own lines, cleaned the same way."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's API
        return one_line(redact_text(super().formatMessage(record)))

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's API
        return clean_text(super().formatException(ei))


# Characters browsers drop while parsing a URL (tab, newline, controls) and invisible format
# characters that would only serve to disguise a scheme. Spaces are trimmed at the ends and
# percent-encoded inside.
_URL_JUNK_RE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)
_HOST_RE = re.compile(
    r"^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*\.?$"
)
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")

# Percent-encoding: keep RFC 3986 reserved/unreserved characters and existing escapes, encode the
# rest. Parentheses are encoded too so a URL can never close a Markdown link destination early.
_SAFE_PATH = "/:@!$&'*+,;=-._~%"
_SAFE_QUERY = _SAFE_PATH + "?"
_SAFE_MAILTO = "@!$&'*+,;=-._~%?"


def strip_control_chars(text: str) -> str:
    """``clean_text``: the same rule under the name the markup helpers use."""
    return clean_text(text)


def _decode_entities(value: str) -> str:
    """Undo HTML character references until the text stops changing (``&amp;#9;`` -> tab)."""
    for _ in range(4):
        decoded = html.unescape(value)
        if decoded == value:
            break
        value = decoded
    return value


def _strip_url_junk(value: str) -> str:
    return _URL_JUNK_RE.sub("", value).strip(" ")


def _scheme_of(value: str) -> str | None:
    match = _SCHEME_RE.match(value)
    return match.group(1).lower() if match else None


def _normalise_web_url(value: str) -> str | None:
    """Rebuild an absolute http(s) URL with an IDNA host and percent-encoded path; None if bad."""
    try:
        parts = urlsplit(value)
        hostname = parts.hostname
        port = parts.port
    except ValueError:
        return None
    if not hostname or parts.username is not None or parts.password is not None:
        # No host, or user:pass@ (used to disguise the real host): refuse.
        return None
    if ":" in hostname:
        try:
            host = f"[{ipaddress.IPv6Address(hostname)}]"
        except ValueError:
            return None
    else:
        try:
            host = hostname.encode("idna").decode("ascii").lower()
        except UnicodeError:
            return None
        if not _HOST_RE.match(host):
            return None
    netloc = host if port is None else f"{host}:{port}"
    path = quote(parts.path, safe=_SAFE_PATH) or "/"
    query = quote(parts.query, safe=_SAFE_QUERY)
    fragment = quote(parts.fragment, safe=_SAFE_QUERY)
    return urlunsplit((parts.scheme.lower(), netloc, path, query, fragment))


def safe_url(url: str | None, *, base: str | None = None, allow_mailto: bool = True) -> str | None:
    """Return ``url`` as an absolute http(s) (or mailto) URL that is safe to emit, else None.

    Entity tricks (``java&#9;script:``), control characters and whitespace that browsers ignore are
    removed first, so the scheme we check is the scheme a browser would see. Relative URLs are
    resolved against ``base`` (which must itself be http/https); protocol-relative ``//host`` URLs
    become https. The result is percent-encoded, so it can sit in an attribute or in a Markdown
    ``<...>`` link destination as is.
    """
    if not url:
        return None
    candidate = _strip_url_junk(_decode_entities(url)).replace("\\", "/")
    if not candidate or len(candidate) > MAX_URL_CHARS:
        return None
    scheme = _scheme_of(candidate)
    if scheme == "mailto":
        if not allow_mailto:
            return None
        address = candidate[len("mailto:") :]
        if "@" not in address:
            return None
        return "mailto:" + quote(address, safe=_SAFE_MAILTO)
    if scheme is None:
        if candidate.startswith("//"):
            candidate = "https:" + candidate
        else:
            safe_base = safe_url(base, allow_mailto=False) if base else None
            if safe_base is None:
                return None
            candidate = urljoin(safe_base, candidate)
        scheme = _scheme_of(candidate)
    if scheme not in _WEB_SCHEMES:
        return None
    return _normalise_web_url(candidate)


# --- HTML ---------------------------------------------------------------------------------------

_ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt",
        "em", "figcaption", "figure", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
        "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
# Tags removed together with everything inside them (the rest lose the tag but keep their text).
_DROP_CONTENT_TAGS = frozenset(
    {
        "script", "style", "svg", "math", "iframe", "frame", "frameset", "object", "embed",
        "applet", "noscript", "noembed", "noframes", "template", "textarea", "select", "option",
        "button", "form", "head", "title", "meta", "link", "base",
    }
)  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
_URL_ATTRIBUTES = frozenset({"href", "src"})
_MAX_EXTRA_PASSES = 3

# The base URL of the fragment being cleaned; the one Cleaner below reads it in its URL callback.
_current_base: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "digest_sanitize_base", default=None
)


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    """nh3 callback: every href/src goes through ``safe_url``, resolved against the base."""
    if attribute in _URL_ATTRIBUTES:
        return safe_url(value, base=_current_base.get(), allow_mailto=element == "a")
    return value


_CLEANER = nh3.Cleaner(
    tags=set(_ALLOWED_TAGS),
    clean_content_tags=set(_DROP_CONTENT_TAGS),
    attributes={tag: set(names) for tag, names in _ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_filter_attribute,
    strip_comments=True,
    link_rel="noopener noreferrer nofollow",
    url_schemes=set(_WEB_SCHEMES | {"mailto"}),
    # One attribute only: ammonia adds these in hash-map order, and output must be deterministic.
    set_tag_attribute_values={"img": {"referrerpolicy": "no-referrer"}},
)
# Strips every tag (keeping text) for fields that must be plain text, such as HTML titles.
_TEXT_CLEANER = nh3.Cleaner(tags=set(), clean_content_tags=set(_DROP_CONTENT_TAGS), attributes={})


def sanitize_html(fragment: str, *, base_url: str | None = None) -> markupsafe.Markup:
    """Clean untrusted HTML with the one strict allow-list and mark the result safe.

    Scripts, styles, SVG/MathML, forms, frames, event handlers and ``style`` attributes are removed;
    links and images keep only http/https (and mailto for links) URLs, with relative ones resolved
    against ``base_url`` (dropped when there is no usable base). Links get
    ``rel="noopener noreferrer nofollow"``. This is the only place untrusted HTML becomes Markup.
    """
    text = strip_control_chars(fragment[:MAX_FRAGMENT_CHARS])
    token = _current_base.set(base_url)
    try:
        cleaned = _CLEANER.clean(text)
        # Mis-nested input (an <a> inside an <a>, say) can serialise to markup that a browser
        # parses into a different tree. Clean again until the output re-parses to itself, so
        # what the browser builds is what was checked.
        for _ in range(_MAX_EXTRA_PASSES):
            again = _CLEANER.clean(cleaned)
            if again == cleaned:
                break
            cleaned = again
    finally:
        _current_base.reset(token)
    return markupsafe.Markup(cleaned)


def html_to_text(fragment: str) -> str:
    """Reduce an HTML fragment (a title marked text/html, say) to plain text, tags removed."""
    stripped = _TEXT_CLEANER.clean(strip_control_chars(fragment[:MAX_FRAGMENT_CHARS]))
    return html.unescape(stripped)


# --- Markdown -----------------------------------------------------------------------------------

# Inline syntax: emphasis, code spans, link brackets and the escape character itself. Escaped
# wherever they stand. Other punctuation is left alone mid-line so the .md file stays readable.
_MD_BACKSLASH = frozenset("\\`*_[]")
# Characters that are syntax somewhere (tables, strikethrough, HTML) but that not every renderer
# accepts a backslash before: write them as character references instead.
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "~": "&#126;"}
# Block syntax only counts at the start of a line (the text may follow "- " in a list item):
# headings, list markers, ordered-list numbers.
_MD_BLOCK_START = re.compile(r"^(?:[#+\-]|\d{1,9}(?=[.)]))")


def escape_markdown(text: str) -> str:
    """Make ``text`` literal in Markdown: one line, syntax characters escaped.

    Runs of whitespace (newlines included) collapse to one space and control characters are
    removed, so text cannot start a code block or table row; ``<``, ``>``, ``&``, ``|`` and ``~``
    become character references; emphasis, code and bracket characters are backslash-escaped, and
    so is a leading heading or list marker. No renderer turns the result into a tag, a link or
    emphasis, and ordinary punctuation stays as written.
    """
    collapsed = " ".join(unicodedata.normalize("NFC", strip_control_chars(text)).split())
    out: list[str] = []
    for char in collapsed:
        if char in _MD_ENTITIES:
            out.append(_MD_ENTITIES[char])
        elif char in _MD_BACKSLASH:
            out.append("\\" + char)
        else:
            out.append(char)
    escaped = "".join(out)
    start = _MD_BLOCK_START.match(escaped)
    if start:
        marker = start.group(0)
        if marker[0].isdigit():  # "1." / "1)": escape the delimiter after the number
            escaped = marker + "\\" + escaped[len(marker) :]
        else:
            escaped = "\\" + escaped
    return escaped


def markdown_link(text: str, url: str | None) -> str:
    """``[text](<url>)``: escaped text, vetted percent-encoded URL; just the text if refused."""
    target = safe_url(url)
    if target is None:
        return escape_markdown(text)
    label = escape_markdown(text) or escape_markdown(target)
    return f"[{label}](<{target}>)"
