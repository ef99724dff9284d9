"""Ingest: collect every source outside any transaction, then clean and store the new items
together with each source's fetch state in one transaction per source."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from digest.clean import clean_item, raw_item_id
from digest.config import Config
from digest.errors import SourceError
from digest.logs import captured_warnings
from digest.models import RawItem, SourceStatus
from digest.pipeline.stageclock import StageClock
from digest.sources import collect_all, expand_sources
from digest.store import Store

log = logging.getLogger(__name__)


def ingest(config: Config, store: Store, now: datetime) -> list[SourceStatus]:
    """Collect every source and store the new items. Returns one status per source."""
    sources, statuses = expand_sources(
        config.sources
    )  # opml lists become feeds; unreadable ones fail
    clock = StageClock()
    jobs = [
        (src, store.file_index(src.name), store.source_state(src.name))
        for src in sources
        if src.enabled
    ]
    for (src, _, state), outcome in zip(jobs, collect_all(jobs, config, now)):
        clock.lap("collect")
        if isinstance(outcome, SourceError):
            message = _reason(src.name, outcome)
            log.warning("source=%s failed: %s", src.name, message)  # the one line per failure
            retry_after = getattr(outcome, "retry_after", None)
            with store.transaction():
                store.save_source_state(
                    replace(
                        state,
                        last_attempt=now,
                        last_error=message,
                        last_error_at=now,
                        consecutive_failures=state.consecutive_failures + 1,
                        not_before=retry_after or state.not_before,
                    )
                )
            statuses.append(SourceStatus(src.name, ok=False, error=message))
            clock.lap("clean+store")
            continue
        batch = outcome
        for warning in batch.warnings:
            log.warning("source=%s %s", src.name, warning)
        new = 0
        with store.transaction(), captured_warnings(log, f"source={src.name} cleaning:"):
            new = _store_items(store, batch.items, config, now)
            clock.lap("clean+store")
            if batch.stamps:
                store.save_file_index(src.name, batch.stamps)
            store.save_source_state(
                replace(
                    state,
                    etag=batch.etag,
                    last_modified=batch.last_modified,
                    not_before=None,
                    last_attempt=now,
                    last_success=now,
                    consecutive_failures=0,
                    last_items=new,
                )
            )
        log.info("source=%s items=%d new=%d", src.name, len(batch.items), new)
        statuses.append(SourceStatus(src.name, ok=True, items=new))
    clock.lap("collect")  # the worker processes, reaped when the last source came back
    clock.log("ingest")
    return statuses


def _reason(name: str, error: SourceError) -> str:
    """The error without a leading ``source NAME:`` (the line and the footer name the source)."""
    message = str(error)
    prefix = f"source {name}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def _store_items(store: Store, raws: Sequence[RawItem], config: Config, now: datetime) -> int:
    tz = config.tz
    new = 0
    memories: dict[str, object] = {}
    # Entries seen before (a feed fetched again) are not cleaned again once they were reported.
    ids = [raw_item_id(r) for r in raws]
    known = store.reported_ids({i for i in ids if i})
    for raw, raw_id in zip(raws, ids):
        if raw_id in known:
            continue
        memory_key = raw.outlet or raw.source
        memory = memories.get(memory_key)
        if memory is None:
            memory = memories[memory_key] = store.line_memory(memory_key)
        try:
            result = clean_item(raw, tz=tz, now=now, memory=memory)  # type: ignore[arg-type]
        except Exception as exc:  # one bad item never stops its source
            log.warning("source=%s origin=%s could not be cleaned: %s", raw.source, raw.origin, exc)
            continue
        article = result.article
        if not article.text.strip() and article.title == "(untitled)":
            continue
        day = (article.published.astimezone(tz) if article.published else now.astimezone(tz)).date()
        if store.insert_item(article, day, now):
            new += 1
            if result.line_keys:
                store.remember_lines(memory_key, result.line_keys)
        else:
            store.update_unreported_item(article, day)
    return new
