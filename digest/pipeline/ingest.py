"""Ingest: collect every source outside any transaction, then clean and store the new items.

A feed's items are stored together with its fetch state in one transaction. A files source is
stored file by file: each file is cleaned in a bounded worker (``digest.pipeline.bounded``), and the
transaction is committed at least every ``CHECKPOINT_SECONDS``, so a file that cannot be cleaned
is indexed as failed with its reason (and retried only when it changes) while its neighbours are
kept, and a run killed half-way keeps what it had stored. Every text that reaches the store, a
status or a log passes through ``digest.sanitize`` here, after the last decoding step.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from digest.clean import (
    CleanResult,
    LineMemory,
    StoredIdentity,
    clean_item,
    raw_fingerprint,
    raw_item_id,
    resolve_id,
)
from digest.config import Config, SourceConfig
from digest.errors import SourceDeferred, SourceError
from digest.logs import captured_warnings
from digest.models import RawItem, SourceState, SourceStatus
from digest.pipeline.bounded import CleanFailure, CleanWorker
from digest.pipeline.stageclock import StageClock
from digest.sanitize import clean_article, one_line, redact_text
from digest.sources import SourceBatch, collect_all, expand_sources
from digest.sources.files import FileRecord
from digest.store import Store

log = logging.getLogger(__name__)

#: A files source's transaction is committed and reopened after this many seconds of work.
CHECKPOINT_SECONDS = 1.0
#: Error texts kept in the state and shown in footers are cut to this many characters.
MAX_ERROR_CHARS = 500
_NEVER = datetime.min.replace(tzinfo=UTC)

Outcome = CleanResult | str
Cleaner = Callable[[Sequence[RawItem]], "list[Outcome] | CleanFailure"]


def ingest(config: Config, store: Store, now: datetime) -> list[SourceStatus]:
    """Collect every source and store the new items. Returns one status per source."""
    sources, broken = expand_sources(config.sources)  # opml lists become feeds
    statuses = [replace(s, error=_message(s.error or "")) for s in broken]
    clock = StageClock()
    enabled = [src for src in sources if src.enabled]
    states = {src.name: store.source_state(src.name) for src in enabled}
    # Sources not attempted last time (deferred by the fetch budget, or new) go first, so a budget
    # that runs out never starves the same sources; otherwise the configured order is kept.
    ordered = sorted(enabled, key=lambda s: states[s.name].last_attempt or _NEVER)
    jobs = [(src, store.file_index(src.name), states[src.name]) for src in ordered]
    found: dict[str, SourceStatus] = {}
    for (src, _, state), outcome in zip(jobs, collect_all(jobs, config, now)):
        clock.lap("collect")
        if isinstance(outcome, SourceError):
            found[src.name] = _failed(store, state, outcome, now)
        else:
            found[src.name] = _stored(store, src, state, outcome, config, now)
        clock.lap("clean+store")
    clock.lap("collect")  # the worker processes, reaped when the last source came back
    clock.log("ingest")
    return statuses + [found[src.name] for src in enabled]


def _message(text: str) -> str:
    """An error as stored and shown: one clean line, URLs redacted, bounded."""
    return one_line(redact_text(text), limit=MAX_ERROR_CHARS)


def _reason(name: str, error: SourceError) -> str:
    """The error without a leading ``source NAME:`` (the line and the footer name the source)."""
    message = str(error)
    prefix = f"source {name}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def _failed(store: Store, state: SourceState, error: SourceError, now: datetime) -> SourceStatus:
    message = _message(_reason(state.name, error))
    if isinstance(error, SourceDeferred):  # not a failure of the source: nothing is recorded
        log.warning("source=%s deferred: %s", state.name, message)
        return SourceStatus(state.name, ok=False, error=message)
    log.warning("source=%s failed: %s", state.name, message)  # the one line per failure
    with store.transaction():
        store.save_source_state(
            replace(
                state,
                last_attempt=now,
                last_error=message,
                last_error_at=now,
                consecutive_failures=state.consecutive_failures + 1,
                not_before=error.retry_after or state.not_before,
            )
        )
    return SourceStatus(state.name, ok=False, error=message)


def _stored(
    store: Store,
    src: SourceConfig,
    state: SourceState,
    batch: SourceBatch,
    config: Config,
    now: datetime,
) -> SourceStatus:
    for warning in batch.warnings:
        log.warning("source=%s %s", src.name, one_line(redact_text(warning), limit=1000))
    done = replace(
        state,
        etag=batch.etag,
        last_modified=batch.last_modified,
        not_before=None,
        last_attempt=now,
        last_success=now,
        consecutive_failures=0,
    )
    if batch.files:
        with captured_warnings(log, f"source={src.name} cleaning:"):
            new, failed = _store_files(store, src, batch.files, config, now)
        with store.transaction():
            store.save_source_state(replace(done, last_items=new))
        log.info("source=%s files=%d new=%d failed=%d", src.name, len(batch.files), new, failed)
    else:
        with store.transaction(), captured_warnings(log, f"source={src.name} cleaning:"):
            outcome = _store_items(store, batch.items, config, now, _in_process(store, config, now))
            new = outcome if isinstance(outcome, int) else 0
            if batch.stamps:
                store.save_file_index(src.name, batch.stamps)
            store.save_source_state(replace(done, last_items=new))
        log.info("source=%s items=%d new=%d", src.name, len(batch.items), new)
    return SourceStatus(src.name, ok=True, items=new)


def _store_files(
    store: Store, src: SourceConfig, files: Sequence[FileRecord], config: Config, now: datetime
) -> tuple[int, int]:
    """Clean and store one file at a time; returns (new items, files that failed)."""
    new = failed = 0
    memories: dict[str, LineMemory] = {}

    def memory(key: str) -> LineMemory:
        if key not in memories:
            memories[key] = store.line_memory(key)
        return memories[key]

    worker = CleanWorker(
        tz=config.tz,
        now=now,
        timeout=src.file_timeout,
        memory_limit=src.file_memory_mb * 2**20,
        memories=memory,
    )
    with worker, _Checkpointed(store, CHECKPOINT_SECONDS) as tx:
        for record in files:
            reason = record.skipped
            if reason is None:
                outcome = _store_items(store, record.items, config, now, worker.clean)
                if isinstance(outcome, CleanFailure):
                    failed += 1
                    reason = f"could not be cleaned: {outcome.reason}; skipped until it changes"
                    log.warning("source=%s %s: %s", src.name, record.path, reason)
                else:
                    new += outcome
            store.save_file_index(src.name, [record.stamp], skipped=reason)
            tx.checkpoint()
    return new, failed


def _in_process(store: Store, config: Config, now: datetime) -> Cleaner:
    """Clean in this process (feed entries: already bounded by the feed parser)."""
    memories: dict[str, LineMemory] = {}

    def clean(raws: Sequence[RawItem]) -> list[Outcome]:
        out: list[Outcome] = []
        for raw in raws:
            key = raw.outlet or raw.source
            if key not in memories:
                memories[key] = store.line_memory(key)
            try:
                out.append(clean_item(raw, tz=config.tz, now=now, memory=memories[key]))
            except Exception as exc:  # one bad item never stops its source
                out.append(f"could not be cleaned ({type(exc).__name__}: {exc})")
        return out

    return clean


def _store_items(
    store: Store, raws: Sequence[RawItem], config: Config, now: datetime, cleaner: Cleaner
) -> int | CleanFailure:
    """Clean what is new among ``raws`` and store it; the number of new items (or why the
    cleaner gave up on them all)."""
    fingerprints = [raw_fingerprint(r) for r in raws]
    seen = store.known_fingerprints(fingerprints)
    bases = [raw_item_id(r) for r in raws]
    stored = {
        key: StoredIdentity(*row)
        for key, row in store.item_identities(b for b in bases if b).items()
    }
    todo: list[tuple[RawItem, str, str | None]] = []
    for raw, fingerprint, base in zip(raws, fingerprints, bases):
        if fingerprint in seen:  # exactly this entry was stored before: nothing to clean
            continue
        seen.add(fingerprint)
        known = stored.get(base) if base else None
        if base and known and known.fingerprint is None and known.collector == raw.source:
            store.set_fingerprint(base, fingerprint)  # stored before fingerprints: adopt
            continue
        todo.append((raw, fingerprint, base))
    outcomes = cleaner([raw for raw, _, _ in todo])
    if isinstance(outcomes, CleanFailure):
        return outcomes
    errors = [outcome for outcome in outcomes if isinstance(outcome, str)]
    if errors and len(errors) == len(outcomes):  # nothing of it could be cleaned: the whole fails
        return CleanFailure(one_line(errors[0], limit=300))
    earlier: dict[str, str] = {}  # base id -> content hash of the entry of this run that took it
    new = 0
    for (raw, fingerprint, base), outcome in zip(todo, outcomes):
        if isinstance(outcome, str):
            log.warning(
                "source=%s origin=%s %s", raw.source, one_line(raw.origin), one_line(outcome)
            )
            continue
        if _store_one(store, raw, fingerprint, base, outcome, stored, earlier, config, now):
            new += 1
    return new


def _store_one(
    store: Store,
    raw: RawItem,
    fingerprint: str,
    base: str | None,
    result: CleanResult,
    stored: dict[str, StoredIdentity],
    earlier: dict[str, str],
    config: Config,
    now: datetime,
) -> bool:
    """Store one cleaned item under the id ``resolve_id`` gives it; True if it is new."""
    article = clean_article(result.article)
    if not article.text.strip() and article.title == "(untitled)":
        return False
    item_id, action = resolve_id(
        article, base, stored.get(base) if base else None, earlier.get(base) if base else None
    )
    if base is not None:
        earlier.setdefault(base, article.content_hash)
    article = replace(article, id=item_id)
    day = (article.published or now).astimezone(config.tz).date()
    if action == "skip":
        return False
    if action == "refresh":
        store.set_fingerprint(item_id, fingerprint)
        return False
    if action == "insert" and store.insert_item(article, day, now, fingerprint):
        if result.line_keys:
            store.remember_lines(raw.outlet or raw.source, result.line_keys)
        return True
    store.update_unreported_item(article, day, fingerprint)
    return False


class _Checkpointed:
    """One store transaction, committed and reopened every ``seconds`` by ``checkpoint()``: a run
    killed half-way keeps what was committed, and each file's writes stay whole."""

    def __init__(self, store: Store, seconds: float) -> None:
        self.store, self.seconds = store, seconds
        self._tx: Any = None
        self._since = 0.0

    def __enter__(self) -> _Checkpointed:
        self._open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None:
        tx, self._tx = self._tx, None
        return bool(tx.__exit__(exc_type, exc, tb))

    def checkpoint(self) -> None:
        if time.monotonic() - self._since >= self.seconds:
            tx, self._tx = self._tx, None
            tx.__exit__(None, None, None)
            self._open()

    def _open(self) -> None:
        self._tx = self.store.transaction()
        self._tx.__enter__()
        self._since = time.monotonic()
