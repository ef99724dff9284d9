"""Key actors: people, organisations and places named in a story, merged across name variants,
with their roles, ranked per story and across the briefing."""

from digest.actors.rank import ActorsResult, extract_actors, registry_keys
from digest.actors.registry import KnownActor, Learned, Registry

__all__ = [
    "ActorsResult",
    "KnownActor",
    "Learned",
    "Registry",
    "extract_actors",
    "registry_keys",
]
