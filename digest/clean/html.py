"""HTML and Markdown to plain text.

Whole pages go through trafilatura (main text, title) and htmldate (publication date): they read
the markup, which is the best signal there is. Feed-entry fragments and Markdown bodies are
small and already "main text", so they are only flattened to paragraphs, never extracted.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, time, tzinfo
from typing import Any

import htmldate
import lxml.html
import trafilatura
from lxml import etree
from markdown_it import MarkdownIt
from trafilatura.utils import decode_file

from digest.clean.encoding import normalize_text
from digest.clean.memory import line_key
from digest.clean.result import CleanedText
from digest.clean.textdump import clean_text_dump
from digest.clean.titles import clean_title

logger = logging.getLogger(__name__)

__all__ = ["extract_html", "html_fragment_to_text", "markdown_to_text"]

_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
        "caption",
    ]
)
_CELL_TAGS = frozenset({"td", "th"})
_SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "template",
        "noscript",
        "head",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "button",
        "select",
        "textarea",
        "input",
    }
)
_SPACE_RE = re.compile(r"[ \t\f\v\u00a0]+")
_FEED_FURNITURE_RE = re.compile(
    r"^(?:the post\b.{1,300}\bappeared first on\b.{1,120}|"
    r"(?:continue reading|read more|read the full (?:story|article))\b.{0,60})$",
    re.IGNORECASE,
)
_MARKDOWN = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def _table_row(line: str) -> str:
    """trafilatura writes table rows as "| a | b |": keep the cells, drop the pipes and rules."""
    if not (line.startswith("|") and line.endswith("|")):
        return line
    cells = [c.strip() for c in line.strip("|").split("|")]
    if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
        return ""
    return "; ".join(c for c in cells if c)


def _paragraphs(text: str) -> str:
    """Squeeze spaces inside lines and join non-empty lines as paragraphs."""
    lines = (_SPACE_RE.sub(" ", ln).strip() for ln in normalize_text(text).split("\n"))
    return "\n\n".join(row for row in (_table_row(ln) for ln in lines) if row)


def _walk(el: etree._Element, out: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    tag = tag.lower().rsplit("}", 1)[-1]
    if tag in _SKIP_TAGS or not isinstance(el.tag, str):
        # Comments and processing instructions: keep only the tail text.
        if el.tail:
            out.append(el.tail)
        return
    block = tag in _BLOCK_TAGS
    if block or tag == "br":
        out.append("\n")
    elif tag in _CELL_TAGS:
        out.append(" ")
    elif tag == "img" and el.get("alt") is None:
        pass
    if el.text:
        out.append(el.text)
    for child in el:
        _walk(child, out)
    if block:
        out.append("\n")
    if el.tail:
        out.append(el.tail)


def _drop_feed_furniture(text: str) -> str:
    """Remove the lines blog engines append to feed entries ("The post X appeared first on Y")."""
    kept = [p for p in text.split("\n\n") if not _FEED_FURNITURE_RE.search(p)]
    return "\n\n".join(kept)


def html_fragment_to_text(fragment: str) -> str:
    """Feed-entry HTML -> plain-text paragraphs separated by blank lines (no markup left)."""
    if not fragment or not fragment.strip():
        return ""
    if "<" not in fragment:
        # Already text (some feeds send plain text); entities may still be escaped.
        root = lxml.html.fragment_fromstring("<div>" + fragment + "</div>")
    else:
        try:
            root = lxml.html.fragment_fromstring(fragment, create_parent="div")
        except (etree.ParserError, ValueError):
            logger.debug("unparsable HTML fragment, returning its text as is")
            return _paragraphs(re.sub(r"<[^>]*>", " ", fragment))
    out: list[str] = []
    _walk(root, out)
    return _drop_feed_furniture(_paragraphs("".join(out)))


def markdown_to_text(md: str) -> str:
    """Markdown body -> plain-text paragraphs (links keep their text, images and markup go)."""
    if not md or not md.strip():
        return ""
    return html_fragment_to_text(_MARKDOWN.render(md))


def _head_title(page: str) -> str | None:
    """The page's <title> text, for when trafilatura gave no metadata."""
    try:
        found = lxml.html.document_fromstring(page).findtext(".//title")
    except (etree.ParserError, ValueError):
        return None
    return found.strip() if found and found.strip() else None


def _zone(reference_time: datetime | None) -> tzinfo:
    if reference_time is not None and reference_time.tzinfo is not None:
        return reference_time.tzinfo
    return UTC


def _page_date(
    page: str, url: str | None, canonical: str | None, reference_time: datetime | None
) -> str | None:
    """htmldate's original-date answer for the page (its own URL when known), the baseline that
    other signals must not override. Only when it finds nothing is the URL the page declares
    for itself (canonical link, og:url) tried, through htmldate's URL reading."""
    params: dict[str, Any] = {"original_date": True, "extensive_search": True}
    if reference_time is not None:
        params["max_date"] = reference_time.strftime("%Y-%m-%d")  # no clock read in a library
    try:
        found = htmldate.find_date(page, url=url, **params)
        if found is None and canonical and canonical != url:
            found = htmldate.find_date(page, url=canonical, **params)
    except (ValueError, TypeError) as exc:  # a page htmldate cannot parse has no date
        logger.debug("htmldate failed: %s", exc)
        return None
    return str(found) if found else None


def _as_datetime(found: str | None, reference_time: datetime | None) -> datetime | None:
    if not found:
        return None
    try:
        day = datetime.strptime(found, "%Y-%m-%d").date()
    except ValueError:
        logger.debug("unexpected date format from htmldate: %r", found)
        return None
    return datetime.combine(day, time(), tzinfo=_zone(reference_time))


def extract_html(
    html: str | bytes, *, url: str | None = None, reference_time: datetime | None = None
) -> CleanedText:
    """A whole saved web page -> headline, main text and publication date."""
    # Bytes: trafilatura honours the page's declared charset (windows-1251, euc-kr...), which
    # plain-text decoding cannot know about.
    text_html = normalize_text(decode_file(html) if isinstance(html, bytes) else html)
    if not text_html.strip():
        return CleanedText(title=None, body="")
    doc = trafilatura.bare_extraction(
        text_html,
        url=url,
        include_comments=False,
        favor_precision=True,
        include_tables=True,
        with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    title: str | None = None
    body = ""
    if doc is not None:
        raw_title = getattr(doc, "title", None)
        if raw_title:
            title = clean_title(normalize_text(raw_title)) or None
        body = _paragraphs(getattr(doc, "text", None) or "")
    if title and body:
        first, _, rest = body.partition("\n\n")
        if line_key(first) == line_key(title):
            body = rest
    canonical = getattr(doc, "url", None) if doc else None
    published = _as_datetime(_page_date(text_html, url, canonical, reference_time), reference_time)
    if not body:
        # trafilatura found no main text (tiny or unusual page): flatten the page to one block
        # per line and let the text-dump cleaner decide, as for a copied page.
        logger.debug("no main text from trafilatura; falling back to the text-dump cleaner")
        dumped = clean_text_dump(
            html_fragment_to_text(text_html),
            reference_time=reference_time,
            title_hint=title or _head_title(text_html),
        )
        body = dumped.body
        title = title or dumped.title
        published = published or dumped.published
    keys = tuple(dict.fromkeys(k for k in (line_key(p) for p in body.split("\n\n")) if k))
    return CleanedText(
        title=title,
        body=body,
        published=published,
        date_source="content" if published else None,
        line_keys=keys,
    )
