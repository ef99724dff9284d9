"""The state store: one object over one SQLite connection that owns all SQL.

``Store`` combines one mixin per family of tables (``core``: items, stories, briefings, runs;
``sources``: fetch state, file index, line memory; later modules add their own). Each module with
tables of its own lists their migrations in ``MIGRATIONS``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from digest.models import SourceState
from digest.store.actors import ActorsStore
from digest.store.core import BriefingRecord, CoreStore
from digest.store.db import connect, transaction
from digest.store.delivery import DeliveryStore
from digest.store.entities import EntitiesStore
from digest.store.sources import SourcesStore, StoredLineMemory
from digest.store.stories import StoriesStore

__all__ = ["BriefingRecord", "SourceState", "Store", "StoredLineMemory"]


class Store(CoreStore, SourcesStore, DeliveryStore, ActorsStore, StoriesStore, EntitiesStore):
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
