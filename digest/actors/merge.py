"""One actor, many names: grouping the mentions of a story into actors.

Names are nodes (one per folded key, so "Brazil's"/"Brazil", "Müller"/"Mueller" and "C.I.A."/"CIA"
are one node from the start); rules join nodes with a union-find:

1. the curated alias table ("Ivory Coast" -> "Côte d'Ivoire", "Zelenskyy" -> "Volodymyr Zelensky");
2. acronyms defined in the text ("Federal Emergency Agency (FEA)") or matching the initials of
   exactly one multi-word name in the story;
3. full names that differ only by middle initials ("Donald J. Trump" / "Donald Trump");
4. partial names: a surname, or any run of words of exactly one longer person name ("Okafor" ->
   "Amara Okafor", "Kim" -> "Kim Jong Un"), surnames first;
5. a one-word name tagged as a place or organisation that is the surname of a person mentioned
   more often (conflicting labels resolved by majority);
6. close spellings of the same kind ("Zelenskyy" / "Zelensky" when not curated);
7. the registry: two names that earlier briefings saw as one actor (a bare surname only when it
   has named exactly one actor, on two days or more).

A node's kind, and then a cluster's kind, is the majority of its mentions' labels, the registry's
kinds breaking ties.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from digest.actors.context import ActorMention
from digest.actors.names import (
    clean_name,
    curated,
    initials,
    is_acronym,
    is_demonym,
    name_key,
    org_core,
    tables,
    tokens,
)
from digest.actors.registry import EMPTY, Registry
from digest.models import ActorKind


@dataclass(frozen=True)
class Cluster:
    """The mentions of one actor in one story, with its best name."""

    key: str  # identity: the registry's key when known, else the key of the best name
    name: str
    kind: ActorKind
    mentions: tuple[ActorMention, ...]
    aliases: tuple[str, ...]  # other names it went by (as written, cleaned)
    role: str | None


class _UnionFind:
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
class _Node:
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


def _nodes(mentions: Sequence[ActorMention], registry: Registry) -> dict[str, _Node]:
    nodes: dict[str, _Node] = {}
    for m in mentions:
        cur = curated(m.name)
        name, kind = cur if cur else (m.name, m.kind)
        key = name_key(org_core(name) if kind == "organization" and not cur else name)
        node = nodes.get(key)
        if node is None:
            node = nodes[key] = _Node(key, Counter(), Counter(), [], curated=name if cur else None)
        node.names[m.name] += 1
        node.kinds[kind] += 1
        node.mentions.append(m)
        if m.acronym:
            acr_key = name_key(m.acronym)
            if acr_key not in nodes:
                nodes[acr_key] = _Node(acr_key, Counter({m.acronym: 0}), Counter({kind: 0}), [])
    for node in nodes.values():  # registry kind votes break ties between labels
        known = registry.actors.get(registry.resolve(node.key) or node.key)
        if known and len(node.kinds) > 1:
            top = node.kinds.most_common(1)[0][1]
            for k, _ in node.kinds.most_common():
                if node.kinds[k] == top and k == known.kind:
                    node.kinds[k] += 0.5  # type: ignore[assignment]
    return nodes


_COMPASS = {"north", "south", "east", "west"}
_GENERATION = {"jr", "sr", "ii", "iii", "iv"}


def _core(toks: list[str]) -> tuple[str, ...]:
    return tuple(t for t in toks if len(t) > 1) if len(toks) > 2 else tuple(toks)


def _contains(longer: list[str], shorter: list[str]) -> int:
    """0 if ``shorter`` is not a run of ``longer``; 3 if it is its end, 2 its start, 1 inside."""
    n = len(shorter)
    if n >= len(longer) or (longer[-1] in _GENERATION and shorter[-1] not in _GENERATION):
        return 0  # "Donald Trump" is not part of "Donald Trump Jr"
    if longer[-n:] == shorter:
        return 3
    if longer[:n] == shorter:
        return 2
    if any(longer[i : i + n] == shorter for i in range(1, len(longer) - n)):
        return 1
    return 0


def merge(mentions: Sequence[ActorMention], registry: Registry = EMPTY) -> list[Cluster]:
    """Group a story's mentions into actors (see the module docstring for the rules)."""
    nodes = _nodes(mentions, registry)
    uf = _UnionFind()
    for k in nodes:
        uf.add(k)
    # 1. curated canonical names are already node keys; 2. acronyms defined in the text
    for node in nodes.values():
        for m in node.mentions:
            if m.acronym:
                uf.union(node.key, name_key(m.acronym))
    multi = [n for n in nodes.values() if n.kind != "person" and len(n.name.split()) > 1]
    for node in nodes.values():
        if node.mentions and is_acronym(node.name) and node.curated is None:
            hits = {uf.find(o.key) for o in multi if initials(o.name) == node.name.replace(".", "")}
            if len(hits) == 1:
                uf.union(node.key, hits.pop())
    # 3. full names equal up to middle initials
    people = [n for n in nodes.values() if n.kind == "person"]
    by_core: dict[tuple[str, ...], str] = {}
    for n in people:
        core = _core(tokens(n.name))
        if len(core) > 1:
            if core in by_core:
                uf.union(n.key, by_core[core])
            else:
                by_core[core] = n.key
    # 4. partial names -> the longer name that holds them (surname matches first); when several hold
    # it, the one mentioned at least twice as often as any other ("Macron": Emmanuel, not Brigitte)
    size: Counter[str] = Counter()
    for n in nodes.values():
        size[uf.find(n.key)] += len(n.mentions)
    toks = {n.key: tokens(n.name) for n in nodes.values()}
    people = [n for n in nodes.values() if n.kinds.get("person", 0) * 5 >= sum(n.kinds.values())]
    full = [n for n in people if n.kind == "person" and len(toks[n.key]) > 1]
    holding: dict[str, list[_Node]] = {}  # word -> the full names with it
    for o in full:
        for t in set(toks[o.key]):
            holding.setdefault(t, []).append(o)
    for n in sorted(people, key=lambda n: len(toks[n.key])):
        if n.curated or not toks[n.key]:
            continue
        mine = toks[n.key]
        best: dict[int, set[str]] = {}
        for o in holding.get(mine[0], []):
            tier = _contains(toks[o.key], mine) if o.key != n.key else 0
            if tier:
                best.setdefault(tier, set()).add(uf.find(o.key))
        for tier in (3, 2, 1):
            roots = best.get(tier, set()) - {uf.find(n.key)}
            if not roots:
                continue
            target = _dominant(roots, size)
            if target is not None:
                merged = size[uf.find(n.key)] + size[target]
                uf.union(n.key, target)
                size[uf.find(n.key)] = merged
            break
    # 4b. "the North" / "the South" for the one place of the story named with that word
    places = [n for n in nodes.values() if n.kind == "place" and len(toks[n.key]) > 1]
    for n in nodes.values():
        if (
            n.kind == "place"
            and toks[n.key]
            and toks[n.key][0] in _COMPASS
            and len(toks[n.key]) == 1
        ):
            roots = {uf.find(o.key) for o in places if toks[o.key][0] == toks[n.key][0]}
            target = _dominant(roots, size) if roots else None
            if target is not None:
                uf.union(n.key, target)
    # 4c. a company's short name: "Ford" = "Ford Motor Company", "Air Force" = "U.S. Air Force"
    orgs = [n for n in nodes.values() if n.kind == "organization" and not n.curated]
    core_words = {n.key: org_core(n.name).lower().split() for n in orgs}
    by_edge: dict[str, list[_Node]] = {}  # first and last word -> the org names with it there
    for n in orgs:
        words = core_words[n.key]
        if words:
            for w in {words[0], words[-1]}:
                by_edge.setdefault(w, []).append(n)
    for n in orgs:
        words = core_words[n.key]
        if not words:
            continue
        cands = {o.key: o for w in {words[0], words[-1]} for o in by_edge.get(w, [])}
        roots = {
            uf.find(o.key) for o in cands.values() if o.key != n.key and _short_form(n.name, o.name)
        }
        roots.discard(uf.find(n.key))
        target = _dominant(roots, size) if roots else None
        if target is not None:
            merged = size[uf.find(n.key)] + size[target]
            uf.union(n.key, target)
            size[uf.find(n.key)] = merged
    # 5. a one-word place/organisation that is the surname of a person mentioned more often
    surnames: dict[str, set[str]] = {}
    for n in full:
        surnames.setdefault(toks[n.key][-1], set()).add(uf.find(n.key))
    for n in nodes.values():
        if n.kinds.get("person") or n.curated or " " in n.name or uf.find(n.key) != n.key:
            continue
        roots = surnames.get(n.key, set())
        target = _dominant(roots, size) if roots else None
        if target is not None and size[target] > len(n.mentions):
            uf.union(n.key, target)
    # 6. close spellings of the same kind (compared within buckets of the same first three
    # letters, so a story with thousands of names stays fast)
    buckets: dict[tuple[str, str], list[_Node]] = {}
    for n in nodes.values():
        if len(n.key) >= 6 and n.mentions:
            buckets.setdefault((n.kind, n.key[:3]), []).append(n)
    for group in buckets.values():
        group.sort(key=lambda n: n.key)
        for i, na in enumerate(group):
            for nb in group[i + 1 :]:
                if uf.find(na.key) == uf.find(nb.key) or (na.curated and nb.curated):
                    continue
                if abs(len(na.key) - len(nb.key)) <= 2 and _close(na, nb):
                    uf.union(na.key, nb.key)
    # 7. the registry: names that earlier briefings saw as one actor
    seen: dict[str, str] = {}
    for n in nodes.values():
        if not _resolvable(n, registry):
            continue
        actor = registry.resolve(n.key)
        if actor is None:
            continue
        if actor in seen:
            uf.union(n.key, seen[actor])
        else:
            seen[actor] = n.key
    groups: dict[str, list[_Node]] = {}
    for n in nodes.values():
        groups.setdefault(uf.find(n.key), []).append(n)
    out = [_cluster(g, registry) for g in groups.values() if any(n.mentions for n in g)]
    return sorted(out, key=lambda c: (-len(c.mentions), c.name))


def _resolvable(n: _Node, registry: Registry) -> bool:
    """Whether the registry may say who a name is. A bare surname only when it has named one
    actor and no other, on at least two days ("Trump" in a story that never says "Donald")."""
    if n.kind != "person" or len(tokens(n.name)) > 1:
        return True
    named = registry.aliases.get(n.key, ())
    return len(named) == 1 and named[0][1] >= 2


def _short_form(short: str, long: str) -> bool:
    """``short`` names the same company as ``long``: the rest is designators ("Motor Company")
    or a leading country ("U.S.", "American")."""
    a, b = org_core(short).split(), org_core(long).split()
    if len(a) >= len(b):
        return False
    t = tables()
    if [w.lower() for w in b[: len(a)]] == [w.lower() for w in a]:
        rest = [w.lower().rstrip(".") for w in b[len(a) :]]
        return all(w in t.designators for w in rest) or " ".join(rest) in t.designators
    if [w.lower() for w in b[-len(a) :]] == [w.lower() for w in a]:
        lead = " ".join(b[: len(b) - len(a)])
        cur = curated(lead)
        return (cur is not None and cur[1] == "place") or lead.lower() in t.demonym_places
    return False


def _dominant(roots: set[str], size: Counter[str]) -> str | None:
    """The one root, or the root mentioned at least twice as often as every other."""
    ranked = sorted(roots, key=lambda r: (-size[r], r))
    if len(ranked) == 1 or size[ranked[0]] >= 2 * max(1, size[ranked[1]]):
        return ranked[0]
    return None


def _close(a: _Node, b: _Node) -> bool:
    if a.kind == "person":
        ta, tb = tokens(a.name), tokens(b.name)
        if len(ta) != len(tb) or len(ta) < 2 or ta[0] != tb[0]:
            return False
        return SequenceMatcher(None, ta[-1], tb[-1]).ratio() >= 0.85
    return SequenceMatcher(None, a.key, b.key).ratio() >= 0.92


def _best_name(group: list[_Node], registry: Registry, key: str | None) -> str:
    cur = [n.curated for n in group if n.curated]
    if cur:
        return Counter(cur).most_common(1)[0][0]
    names: Counter[str] = Counter()
    for n in group:
        names.update(n.names)
    if not names:
        names.update(n.name for n in group)

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


def _cluster(group: list[_Node], registry: Registry) -> Cluster:
    mentions = tuple(m for n in group for m in n.mentions)
    kinds: Counter[str] = Counter()
    for n in group:
        kinds.update(n.kinds)
    identity = None
    for n in sorted(group, key=lambda n: -len(n.mentions)):
        if not _resolvable(n, registry):
            continue
        identity = registry.resolve(n.key) or (n.key if n.key in registry.actors else None)
        if identity:
            break
    name = _best_name(group, registry, identity)
    kind: ActorKind = kinds.most_common(1)[0][0]  # type: ignore[assignment]
    if any(n.kind == "person" and len(tokens(n.name)) > 1 for n in group) and kinds[
        "person"
    ] * 4 >= sum(kinds.values()):
        kind = (
            "person"  # a full name tagged as a person outweighs its bare surname tagged otherwise
        )
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
