"""Key actors: people, organisations, places and groups named in a story, ranked by mentions.

Named entities come from spaCy. Possessives and titles are stripped, and a surname alone is merged
into the full name seen in the same story.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from digest.config import Config
from digest.entities import Mention
from digest.models import Actor, ActorKind, BriefingActor, StoredItem

LABELS: dict[str, ActorKind] = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "NORP": "group",
}
_TITLES = re.compile(r"^(?:mr|mrs|ms|dr|president|prime minister|minister|sen|senator|gov|governor|rep)\.?\s+", re.I)
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(frozen=True)
class ActorsResult:
    per_story: dict[str, tuple[Actor, ...]]
    briefing: tuple[BriefingActor, ...]


def _normalise(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" .,;:-\"'“”")
    name = _POSSESSIVE.sub("", name)
    name = _TITLES.sub("", name)
    if name.lower().startswith("the "):
        name = name[4:]
    return name.strip()


def extract_actors(
    stories: Mapping[str, Sequence[StoredItem]],
    config: Config,
    mentions: Mapping[str, Sequence[Mention]],
) -> ActorsResult:
    """Actors per story and for the whole briefing."""
    per_story_counts: dict[str, Counter[tuple[str, ActorKind]]] = defaultdict(Counter)
    for sid, items in stories.items():
        for it in items:
            if it.duplicate_of:
                continue
            for m in mentions.get(it.article.id, ()):
                kind = LABELS.get(m.label)
                name = _normalise(m.text)
                if kind and len(name) > 1:
                    per_story_counts[sid][(name, kind)] += 1
    per_story: dict[str, tuple[Actor, ...]] = {}
    overall: dict[tuple[str, ActorKind], list[str]] = defaultdict(list)
    totals: Counter[tuple[str, ActorKind]] = Counter()
    for sid in stories:
        counts = _merge_surnames(per_story_counts.get(sid, Counter()))
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))[: config.actors.per_story]
        per_story[sid] = tuple(Actor(name=n, kind=k, mentions=c) for (n, k), c in ranked)
        for (n, k), c in counts.items():
            overall[(n, k)].append(sid)
            totals[(n, k)] += c
    top = sorted(totals.items(), key=lambda kv: (-len(overall[kv[0]]), -kv[1], kv[0][0]))
    briefing = tuple(
        BriefingActor(name=n, kind=k, mentions=c, stories=tuple(overall[(n, k)]))
        for (n, k), c in top[: config.actors.per_briefing]
    )
    return ActorsResult(per_story, briefing)


def _merge_surnames(counts: Counter[tuple[str, ActorKind]]) -> Counter[tuple[str, ActorKind]]:
    """Fold "Okafor" into "Amara Okafor" when the full name appears in the same story."""
    people = [n for (n, k) in counts if k == "person" and " " in n]
    merged: Counter[tuple[str, ActorKind]] = Counter()
    for (name, kind), c in counts.items():
        target = name
        if kind == "person" and " " not in name:
            fulls = [p for p in people if p.split()[-1] == name]
            if len(fulls) == 1:
                target = fulls[0]
        merged[(target, kind)] += c
    return merged
