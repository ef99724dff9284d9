"""The ``feed`` source: an RSS/Atom feed from ``url:`` (fetched with conditional GET) or ``path:``.

The bytes are fetched by ``digest.net.http`` (timeouts, deadline, size cap, SSRF guard) and parsed
by ``digest.sources.feedparse`` (bounded child process). Each entry becomes a raw item whose body is
the entry's HTML (or text); cleaning turns it into plain text later.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from digest.config import FetchConfig, SourceConfig
from digest.errors import FetchError, SourceError
from digest.models import RawItem, SourceState
from digest.net import DEFAULT_USER_AGENT, FetchLimits, FetchResult, Validators, fetch
from digest.sources.feedparse import parse_feed

log = logging.getLogger(__name__)


@dataclass
class FeedBatch:
    """One feed's new entries plus the validators to remember for the next conditional GET.

    ``not_modified``: nothing was parsed because the feed had not changed (a 304, or a local feed
    file with the same size and mtime), so ``items`` is empty by design, not by failure.
    """

    items: list[RawItem] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    warnings: list[str] = field(default_factory=list)
    stamps: list[tuple[str, int, int]] = field(default_factory=list)


def fetch_limits(fetch_cfg: FetchConfig) -> FetchLimits:
    """The bounds of one fetch, from the ``fetch:`` section."""
    return FetchLimits(
        connect_timeout=fetch_cfg.connect_timeout,
        read_timeout=fetch_cfg.read_timeout,
        deadline=fetch_cfg.deadline,
        max_bytes=fetch_cfg.max_bytes,
    )


def fetch_feed(
    src: SourceConfig, state: SourceState, fetch_cfg: FetchConfig, now: datetime
) -> FetchResult:
    """GET a ``url:`` feed with the stored validators, within the fetch bounds (I/O only: safe in a
    thread). Raises ``SourceError`` (with ``retry_after`` when the server asked us to wait)."""
    assert src.url is not None
    try:
        return fetch(
            src.url,
            now=now,
            limits=fetch_limits(fetch_cfg),
            validators=Validators(state.etag, state.last_modified),
            allow_private=src.allow_private,
            user_agent=fetch_cfg.user_agent or DEFAULT_USER_AGENT,
            not_before=state.not_before,
        )
    except FetchError as exc:
        raise SourceError(f"source {src.name}: {exc}", retry_after=exc.retry_after) from exc


def collect_feed(
    src: SourceConfig,
    state: SourceState,
    fetch_cfg: FetchConfig,
    now: datetime,
    known: dict[str, tuple[int, int]] | None = None,
    fetched: FetchResult | None = None,
) -> FeedBatch:
    """Fetch (or read) and parse one feed. Raises ``SourceError`` when nothing usable came back.

    ``fetched`` is the answer of an earlier ``fetch_feed`` (downloads run in threads, parsing in
    worker processes). A local ``path:`` feed whose size and mtime match ``known`` (the file
    index) is not parsed again: like a 304 for a URL."""
    batch = FeedBatch(etag=state.etag, last_modified=state.last_modified)
    content_type = None
    if src.path is not None:
        try:
            st = src.path.stat()
            stamp = (st.st_size, st.st_mtime_ns)
            if (known or {}).get(str(src.path)) == stamp:
                batch.not_modified = True
                return batch
            if st.st_size > fetch_cfg.max_bytes:
                raise SourceError(
                    f"source {src.name}: {src.path} is {st.st_size} bytes, over the "
                    f"{fetch_cfg.max_bytes} limit"
                )
            with src.path.open("rb") as fh:
                data = fh.read(fetch_cfg.max_bytes + 1)
        except OSError as exc:
            raise SourceError(
                f"source {src.name}: cannot read {src.path} ({exc.strerror or exc})"
            ) from exc
        batch.stamps.append((str(src.path), *stamp))
        base_url = None
    else:
        result = fetched if fetched is not None else fetch_feed(src, state, fetch_cfg, now)
        batch.etag, batch.last_modified = result.etag, result.last_modified
        batch.warnings.extend(result.notes)
        if result.status == 304 or result.body is None:
            batch.not_modified = True
            return batch
        data = result.body
        base_url = result.url
        content_type = result.content_type
    parsed = parse_feed(
        data, base_url=base_url, max_bytes=fetch_cfg.max_bytes, content_type=content_type
    )
    if parsed.warning:
        batch.warnings.append(parsed.warning)
    for note in parsed.notes:
        log.info("source=%s library warnings while parsing: %s", src.name, note)
    outlet = src.title or parsed.title  # the name a reader sees: configured, else the feed's own
    for entry in parsed.entries:
        body = entry.html or ""
        if not body.strip() and not (entry.title or "").strip():
            continue
        batch.items.append(
            RawItem(
                source=src.name,
                origin=src.name,
                body=body,
                body_format="html" if entry.is_html else "text",
                title=entry.title,
                guid=entry.guid or entry.link,
                url=entry.link,
                author=entry.author,
                published=entry.published,
                date_source="feed" if entry.published else None,
                reference_time=now,
                outlet=outlet,
            )
        )
    return batch
