"""The ``opml`` source: an OPML subscription list that expands to one ``feed`` source per outline.

Expansion happens before collecting, so every feed keeps its own state (conditional GET, errors,
health) under a stable name ``<opml name>/<outline title>``. A listed feed may reach loopback or
private addresses only when its URL is named in the OPML source's ``private_feeds``: nothing is
inherited, since a list is often imported from elsewhere. The OPML file is local and untrusted:
documents with a DOCTYPE or ENTITY declaration are refused (no entity expansion at all), the size
is capped, only ``http(s)`` ``xmlUrl`` values are taken, and nested outlines (folders) are walked.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import replace

from digest.config import SourceConfig
from digest.errors import ParseError, SourceError
from digest.models import SourceStatus

log = logging.getLogger(__name__)

MAX_BYTES = 2 * 2**20
MAX_FEEDS = 2000
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_BARE_AMPERSAND = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});)")


def parse_opml(data: bytes, where: str) -> list[tuple[str, str]]:
    """``(title, xmlUrl)`` of every feed outline, in document order, duplicates (by URL) dropped."""
    if len(data) > MAX_BYTES:
        raise ParseError(f"{where}: OPML file larger than {MAX_BYTES // 2**20} MiB")
    if _DECLARATION.search(data):
        raise ParseError(f"{where}: OPML with a DOCTYPE or ENTITY declaration is refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        # Exported lists often carry bare "&" in URLs (…?a=1&b=2): escape those and retry once.
        repaired = _BARE_AMPERSAND.sub(b"&amp;", data)
        try:
            root = ET.fromstring(repaired)
        except ET.ParseError:
            raise ParseError(f"{where}: not valid OPML/XML ({exc})") from exc
        log.info("%s: OPML had unescaped '&' characters; read after escaping them", where)
    if root.tag.lower() != "opml":
        raise ParseError(f"{where}: root element is <{root.tag}>, expected <opml>")
    feeds: list[tuple[str, str]] = []
    seen: set[str] = set()
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url:
            continue
        if not url.lower().startswith(("http://", "https://")):
            log.warning(
                "%s: outline %r skipped: only http(s) feed URLs are supported", where, url[:200]
            )
            continue
        if url in seen:
            continue
        seen.add(url)
        title = " ".join((outline.get("title") or outline.get("text") or "").split()) or url
        feeds.append((title[:120], url))
        if len(feeds) >= MAX_FEEDS:
            log.warning("%s: more than %d feeds; the rest are ignored", where, MAX_FEEDS)
            break
    return feeds


def expand_opml(src: SourceConfig) -> list[SourceConfig]:
    """The feed sources listed by one ``opml`` source. Raises ``SourceError`` when unreadable."""
    assert src.path is not None
    try:
        data = src.path.read_bytes()
    except OSError as exc:
        raise SourceError(
            f"source {src.name}: cannot read {src.path} ({exc.strerror or exc})"
        ) from exc
    feeds = parse_opml(data, f"source {src.name}")
    names: set[str] = set()
    out = []
    for title, url in feeds:
        name = f"{src.name}/{title}"
        n = 2
        while name in names:
            name = f"{src.name}/{title} ({n})"
            n += 1
        names.add(name)
        # each feed shows its own title (a title: on the opml source is not copied to them), and
        # may reach the LAN only when the list names its URL in private_feeds (never inherited)
        out.append(
            replace(
                src,
                name=name,
                type="feed",
                path=None,
                url=url,
                title=None,
                allow_private=url in src.private_feeds,
                private_feeds=(),
            )
        )
    return out


def expand_sources(
    sources: Iterable[SourceConfig],
) -> tuple[list[SourceConfig], list[SourceStatus]]:
    """Replace each enabled ``opml`` source by its feeds; an unreadable list becomes a failed
    status."""
    expanded: list[SourceConfig] = []
    failed: list[SourceStatus] = []
    taken = {s.name for s in sources if s.type != "opml"}
    for src in sources:
        if src.type != "opml":
            expanded.append(src)
            continue
        if not src.enabled:
            continue
        try:
            feeds = expand_opml(src)
        except SourceError as exc:
            log.warning("source=%s failed: %s", src.name, exc)
            failed.append(SourceStatus(src.name, ok=False, error=str(exc)))
            continue
        for feed in feeds:
            if feed.name in taken:
                log.warning(
                    "source=%s feed %s skipped: a source of that name exists", src.name, feed.name
                )
                continue
            taken.add(feed.name)
            expanded.append(feed)
    return expanded, failed
