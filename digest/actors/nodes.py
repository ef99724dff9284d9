"""The building blocks of merging: one node per folded name key, a union-find over them, and the
cluster (one actor of a story) a group of joined nodes becomes: its best name, kind, aliases and
role.

A cluster's kind is fixed by its full names when it has any ("Donald Trump" tagged PERSON
outweighs "Trump" tagged ORG in "the Trump administration"), else by the registry's record of
the name, else by the majority of its mentions' labels; a curated name's kind wins over all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from digest.actors.context import ActorMention
from digest.actors.names import (
    clean_name,
    curated,
    is_acronym,
    is_demonym,
    name_key,
    org_core,
    tokens,
)
from digest.models import ActorKind, KnownActor, Registry


@dataclass(frozen=True)
class Cluster:
    """The mentions of one actor in one story, with its best name."""

    key: str  # identity: the registry's key when known, else the key of the best name
    name: str
    kind: ActorKind
    mentions: tuple[ActorMention, ...]
    aliases: tuple[str, ...]  # other names it went by (as written, cleaned)
    role: str | None


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def add(self, x: str) -> None:
        self.parent.setdefault(x, x)

    def find(self, x: str) -> str:
        self.add(x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class Node:
    key: str
    names: Counter[str]
    kinds: Counter[str]
    mentions: list[ActorMention]
    curated: str | None = None

    @property
    def kind(self) -> ActorKind:
        return self.kinds.most_common(1)[0][0]  # type: ignore[return-value]

    @property
    def name(self) -> str:
        return self.names.most_common(1)[0][0]


def build_nodes(mentions: Sequence[ActorMention], registry: Registry) -> dict[str, Node]:
    nodes: dict[str, Node] = {}
    for m in mentions:
        cur = curated(m.name)
        name, kind = cur if cur else (m.name, m.kind)
        key = name_key(org_core(name) if kind == "organization" and not cur else name)
        node = nodes.get(key)
        if node is None:
            node = nodes[key] = Node(key, Counter(), Counter(), [], curated=name if cur else None)
        node.names[m.name] += 1
        node.kinds[kind] += 1
        node.mentions.append(m)
        if m.acronym:
            acr_key = name_key(m.acronym)
            if acr_key not in nodes:
                nodes[acr_key] = Node(acr_key, Counter({m.acronym: 0}), Counter({kind: 0}), [])
    for node in nodes.values():  # registry kind votes break ties between labels
        known = registry.actors.get(registry.resolve(node.key) or node.key)
        if known and len(node.kinds) > 1:
            top = node.kinds.most_common(1)[0][1]
            for k, _ in node.kinds.most_common():
                if node.kinds[k] == top and k == known.kind:
                    node.kinds[k] += 0.5  # type: ignore[assignment]
    return nodes


def resolvable(n: Node, registry: Registry) -> bool:
    """Whether the registry may say who a name is. A bare surname only when it has named one
    actor and no other, on at least two days ("Trump" in a story that never says "Donald")."""
    if n.kind != "person" or len(tokens(n.name)) > 1:
        return True
    named = registry.aliases.get(n.key, ())
    return len(named) == 1 and named[0][1] >= 2


def best_name(group: list[Node], registry: Registry, key: str | None) -> str:
    cur = [n.curated for n in group if n.curated]
    if cur:
        return Counter(cur).most_common(1)[0][0]
    names: Counter[str] = Counter()
    for n in group:
        names.update(n.names)
    if not names:
        names.update(n.name for n in group)
    running = {m.name for n in group for m in n.mentions if m.running}
    if running & set(names):  # a form only a Title Case headline wrote is no better name
        names = Counter({k: v for k, v in names.items() if k in running})

    def score(name: str) -> tuple[int, int, int, int, int, str]:
        words = len(name.split())
        return (
            0 if is_acronym(name) else 1,
            min(words, 2),
            names[name],
            words,
            1 if any(ord(c) > 127 for c in name) else 0,
            name,
        )

    best = max(names, key=score)
    known = registry.actors.get(key) if key else None
    if known and score(known.name)[:2] > score(best)[:2]:
        return known.name
    return best


def cluster(group: list[Node], registry: Registry) -> Cluster:
    mentions = tuple(m for n in group for m in n.mentions)
    kinds: Counter[str] = Counter()
    for n in group:
        kinds.update(n.kinds)
    identity = None
    for n in sorted(group, key=lambda n: -len(n.mentions)):
        if not resolvable(n, registry):
            continue
        identity = registry.resolve(n.key) or (n.key if n.key in registry.actors else None)
        if identity:
            break
    name = best_name(group, registry, identity)
    kind = _kind(group, kinds, registry.actors.get(identity) if identity else None)
    if any(n.curated for n in group):
        cur = curated(name)
        if cur:
            kind = cur[1]
    names = {a for n in group for a in n.names} | {n.name for n in group}
    names |= {clean_name(m.surface, m.kind == "person")[0] for m in mentions if m.surface}
    names = {a for a in names if not is_demonym(a)}  # "Kenyan" stood for Kenya; it is not a name
    aliases = sorted(a for a in names if a and a != name)
    roles = Counter(m.role for m in mentions if m.role)
    role = roles.most_common(1)[0][0] if roles else None
    return Cluster(
        key=identity or name_key(name),
        name=name,
        kind=kind,
        mentions=mentions,
        aliases=tuple(aliases),
        role=role,
    )


def _kind(group: list[Node], kinds: Counter[str], known: KnownActor | None) -> ActorKind:
    """Full names decide (their majority label); else the registry; else all mentions. Only
    names written in running text count when there are any ("George Washington" in a Title Case
    headline does not make the body's "Washington" a person); a hyphenated surname
    ("Hunter-Torricke") is one word."""
    full: Counter[str] = Counter()
    running = [n for n in group if any(m.running for m in n.mentions)]
    for n in running or group:
        if len(n.name.split()) > 1 and not is_acronym(n.name):
            full.update(n.kinds)
    if full.get("person") and full["person"] * 2 >= sum(full.values()):
        return "person"
    if not full and known is not None and known.kinds and len(group) == 1:
        top = max(known.kinds.items(), key=lambda kv: (kv[1], kv[0]))[0]
        if top in ("person", "organization") and set(kinds) <= {"person", "organization"}:
            return top  # type: ignore[return-value]
    chosen = full or kinds
    return chosen.most_common(1)[0][0]  # type: ignore[return-value]
