"""The orchestrator: ingest (collect, clean, store) and publish (the stages in order, then the
files); the only stage-level code that talks to the store."""

from digest.pipeline.ingest import ingest
from digest.pipeline.publish import RunResult, publish_day
from digest.pipeline.run import open_store, run_day, run_range

__all__ = [
    "RunResult",
    "ingest",
    "open_store",
    "publish_day",
    "run_day",
    "run_range",
]
