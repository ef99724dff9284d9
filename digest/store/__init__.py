"""The state store: one object over one SQLite connection that owns all SQL.

``Store`` combines one mixin per family of tables (``core``: items, stories, briefings, sources;
later modules add their own). Each mixin module also lists its migrations in ``MIGRATIONS``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from digest.store.actors import ActorsStore
from digest.store.core import BriefingRecord, CoreStore, SourceState, StoredLineMemory
from digest.store.db import connect, transaction
from digest.store.delivery import DeliveryStore
from digest.store.entities import EntitiesStore
from digest.store.stories import StoriesStore

__all__ = ["BriefingRecord", "SourceState", "Store", "StoredLineMemory"]


class Store(CoreStore, DeliveryStore, ActorsStore, StoriesStore, EntitiesStore):
    """The state database. Open with ``Store.open(path)``; group writes in
    ``store.transaction()``."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: Path) -> Store:
        return cls(connect(path), path)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with transaction(self.conn):
            yield

    def close(self) -> None:
        self.conn.close()
