"""The actor registry as the actors stage sees it: what earlier briefings learnt about names.

The store keeps, per actor, its best name, kind votes and the day it was first seen, and per alias
key the actor it named and on how many days. The actors stage reads a ``Registry`` snapshot (only
the keys of today's mentions, records defined in ``digest.models``), uses it to join names ("FEA"
alone today, defined as "Federal Emergency Agency" last week) and to mark first sightings, and
returns ``Learned`` records that the pipeline writes back. Nothing here does I/O.
"""

from __future__ import annotations

from digest.models import KnownActor, Learned, Registry

EMPTY = Registry()

__all__ = ["EMPTY", "KnownActor", "Learned", "Registry"]
