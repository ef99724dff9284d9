"""Sources: a small registry keyed by the config's ``type:``.

Each kind returns a ``SourceBatch``: the raw items it found plus what the store must remember
(file index entries, conditional-GET validators). Collecting does no writes: the orchestrator
stores the batch and the source state together, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from digest.config import Config, SourceConfig
from digest.errors import SourceError
from digest.models import RawItem
from digest.store import SourceState, Store


@dataclass
class SourceBatch:
    items: list[RawItem] = field(default_factory=list)
    stamps: list[tuple[str, int, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None


Collector = Callable[[SourceConfig, Config, Store, SourceState, datetime], SourceBatch]


def _files(src: SourceConfig, config: Config, store: Store, state: SourceState, now: datetime) -> SourceBatch:
    from digest.sources.files import collect_files

    found = collect_files(src, store.file_index(src.name))
    return SourceBatch(items=found.items, stamps=found.stamps, warnings=found.warnings)


def _feed(src: SourceConfig, config: Config, store: Store, state: SourceState, now: datetime) -> SourceBatch:
    from digest.sources.feed import collect_feed

    found = collect_feed(src, state, config.fetch, now, known=store.file_index(src.name))
    return SourceBatch(
        items=found.items,
        stamps=found.stamps,
        warnings=found.warnings,
        etag=found.etag,
        last_modified=found.last_modified,
    )


REGISTRY: dict[str, Collector] = {"files": _files, "feed": _feed}


def collect(src: SourceConfig, config: Config, store: Store, state: SourceState, now: datetime) -> SourceBatch:
    """Collect one source. Raises ``SourceError`` (never anything else) when it fails as a whole."""
    collector = REGISTRY.get(src.type)
    if collector is None:
        raise SourceError(f"source {src.name}: type {src.type!r} is not supported yet")
    try:
        return collector(src, config, store, state, now)
    except SourceError:
        raise
    except Exception as exc:  # a bug or an unexpected library error must not stop the run
        raise SourceError(f"source {src.name}: unexpected {type(exc).__name__}: {exc}") from exc
