"""Markup: untrusted feed text made safe to show in HTML and Markdown.

Feeds hand us HTML written by strangers, and feedparser's own sanitizer is not a security boundary
(it keeps ``java&#9;script:`` links, SVG ``<set>`` gadgets and forms). Everything that ends up in
the HTML or Markdown briefing therefore passes through this module: ``sanitize_html`` runs one
strict nh3 (ammonia) allow-list and is the only code that wraps untrusted content in ``Markup``;
``safe_url`` is the single URL scheme policy (http/https, plus mailto where a link may be an
address) used both inside sanitised HTML and for every ``href`` a template emits; and
``escape_markdown`` / ``markdown_link`` make feed text inert in Markdown, whatever renders it.
"""

from __future__ import annotations

import contextvars
import html
import ipaddress
import logging
import re
import unicodedata
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import markupsafe
import nh3

from digest.sanitize.text import clean_text

__all__ = [
    "MAX_FRAGMENT_CHARS",
    "escape_markdown",
    "html_to_text",
    "markdown_link",
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
