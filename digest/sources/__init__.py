"""Sources: files, feeds and OPML lists, collected into raw items.

Each kind returns a ``SourceBatch``: the raw items it found plus what the store must remember
(file index entries, conditional-GET validators). Collecting does no writes: the orchestrator
stores the batch and the source state together, in one transaction.
"""

from digest.sources.files import collect_files
from digest.sources.opml import expand_sources
from digest.sources.registry import PARALLEL_MIN_SOURCES, SourceBatch, collect, collect_all

__all__ = [
    "PARALLEL_MIN_SOURCES",
    "SourceBatch",
    "collect",
    "collect_all",
    "collect_files",
    "expand_sources",
]
