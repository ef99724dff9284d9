"""The actor registry as plain records: what earlier briefings learnt about actors' names.

The store keeps, per actor, its best name, kind votes and the day it was first seen, and per alias
key the actor it named and on how many days. The actors stage reads a ``Registry`` snapshot (only
the keys of today's mentions), uses it to join names ("FEA" alone today, defined as "Federal
Emergency Agency" last week) and to mark first sightings, and returns ``Learned`` records that the
pipeline writes back. Nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from digest.models import ActorKind


@dataclass(frozen=True)
class KnownActor:
    key: str
    name: str
    kind: ActorKind
    first_seen: date
    kinds: Mapping[str, int] = field(default_factory=dict)  # kind -> days seen with that kind


@dataclass(frozen=True)
class Registry:
    """A read-only snapshot: actors by key and, per alias key, the (actor key, days) it named."""

    actors: Mapping[str, KnownActor] = field(default_factory=dict)
    aliases: Mapping[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)

    def resolve(self, alias_key: str) -> str | None:
        """The actor an alias names most often (ties: the alphabetically first key, for
        stability)."""
        named = self.aliases.get(alias_key)
        if not named:
            return None
        return min(named, key=lambda kv: (-kv[1], kv[0]))[0]


EMPTY = Registry()


@dataclass(frozen=True)
class Learned:
    """What one day taught about one actor: its best name, kind, and the names it went by."""

    key: str
    name: str
    kind: ActorKind
    day: date
    aliases: tuple[tuple[str, str], ...]  # (alias key, alias as written)


def fold(registry: Registry, learned: Iterable[Learned]) -> Registry:
    """The registry after ``learned`` (what the store does, in memory; benchmarks and tests)."""
    actors = dict(registry.actors)
    aliases = {k: dict(v) for k, v in registry.aliases.items()}
    for rec in learned:
        old = actors.get(rec.key)
        kinds = dict(old.kinds) if old else {}
        kinds[rec.kind] = kinds.get(rec.kind, 0) + 1
        first = min(old.first_seen, rec.day) if old else rec.day
        actors[rec.key] = KnownActor(rec.key, rec.name, rec.kind, first, kinds)
        for alias_key, _ in rec.aliases:
            named = aliases.setdefault(alias_key, {})
            named[rec.key] = named.get(rec.key, 0) + 1
    return Registry(
        actors=actors, aliases={k: tuple(sorted(v.items())) for k, v in aliases.items()}
    )
