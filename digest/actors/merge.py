"""One actor, many names: grouping the mentions of a story into actors.

Names are nodes (one per folded key, so "Brazil's"/"Brazil", "Müller"/"Mueller" and "C.I.A."/"CIA"
are one node from the start; the curated alias table maps "Ivory Coast" and "Côte d'Ivoire" to one
key too). Rules, one function each and applied in the order of ``RULES``, join nodes with a
union-find:

1. ``_acronyms``: acronyms defined in the text ("Federal Emergency Agency (FEA)") or matching the
   initials of exactly one multi-word name in the story;
2. ``_middle_initials``: full names that differ only by middle initials ("Donald J. Trump");
3. ``_close_spellings``: transliterations ("Alexei" / "Alexey Navalny") and near-identical names
   (first, so a surname then finds one person, not two spellings of one);
4. ``_partial_names``: a surname, or any run of words of exactly one longer person name
   ("Okafor" -> "Amara Okafor", "Kim" -> "Kim Jong Un"), surnames first;
5. ``_compass``: "the North" for the one place of the story named with that word;
6. ``_short_forms``: a company's short name ("Ford" = "Ford Motor Company") and an
   organisation's own bodies ("<Group> Political Bureau" is the group);
7. ``_surname_of_one_person``: a one-word name tagged as a place or organisation that is the
   surname of the story's one person with that surname;
8. ``_known_together``: the registry: two names that earlier briefings saw as one actor (a bare
   surname only when it has named exactly one actor, on two days or more).

Two people who share a surname never merge through it: a surname joins a full name only when one
full name of the story holds it (or one is mentioned twice as often as every other).

A node's kind, and then a cluster's kind, is the majority of its mentions' labels, the registry's
kinds breaking ties.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from digest.actors import gazetteer
from digest.actors.context import ActorMention
from digest.actors.lexicon import is_common
from digest.actors.names import (
    curated,
    initials,
    is_acronym,
    is_media,
    name_key,
    org_core,
    tables,
    tokens,
)
from digest.actors.nodes import Cluster, Node, UnionFind, build_nodes, cluster, resolvable
from digest.actors.registry import EMPTY, Registry
from digest.actors.spans import known_place

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


@dataclass
class _State:
    """The nodes of one story and the union-find over them, with cluster sizes in mentions."""

    nodes: dict[str, Node]
    registry: Registry
    uf: UnionFind = field(default_factory=UnionFind)
    size: Counter[str] = field(default_factory=Counter)
    toks: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for n in self.nodes.values():
            self.uf.add(n.key)
            self.size[n.key] += len(n.mentions)
            self.toks[n.key] = tokens(n.name)

    def root(self, key: str) -> str:
        return self.uf.find(key)

    def join(self, a: str, b: str) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            merged = self.size[ra] + self.size[rb]
            self.uf.union(ra, rb)
            self.size[self.root(ra)] = merged

    def dominant(self, roots: set[str]) -> str | None:
        return _dominant(roots, self.size)


def _acronyms(st: _State) -> None:
    """Acronyms defined in the text ("Federal Emergency Agency (FEA)"), or matching the initials
    of exactly one multi-word name of the story."""
    for node in st.nodes.values():
        for m in node.mentions:
            if m.acronym:
                st.join(node.key, name_key(m.acronym))
    multi = [n for n in st.nodes.values() if n.kind != "person" and len(n.name.split()) > 1]
    for node in st.nodes.values():
        if node.mentions and is_acronym(node.name) and node.curated is None:
            bare = node.name.replace(".", "")
            hits = {st.root(o.key) for o in multi if bare in _initials_of(o.name)}
            if len(hits) == 1:
                st.join(node.key, hits.pop())


def _initials_of(name: str) -> set[str]:
    """The initials of a name, also without a leading country ("U.S. Customs and Border
    Protection" is CBP as well as USCBP)."""
    out = {initials(name)}
    words = name.split()
    if len(words) > 2 and (curated(words[0]) or known_place(words[0])):
        out.add(initials(" ".join(words[1:])))
    return out


def _middle_initials(st: _State) -> None:
    """Full names equal up to middle initials ("Donald J. Trump" / "Donald Trump")."""
    by_core: dict[tuple[str, ...], str] = {}
    for n in st.nodes.values():
        if n.kind != "person":
            continue
        core = _core(st.toks[n.key])
        if len(core) > 1:
            if core in by_core:
                st.join(n.key, by_core[core])
            else:
                by_core[core] = n.key


def _partial_names(st: _State) -> None:
    """A surname, or any run of words of exactly one longer person name ("Okafor" -> "Amara
    Okafor", "Kim" -> "Kim Jong Un"), surnames first; when several hold it, the one mentioned at
    least twice as often as any other ("Macron": Emmanuel, not Brigitte)."""
    toks = st.toks
    people = [n for n in st.nodes.values() if n.kinds.get("person", 0) * 5 >= sum(n.kinds.values())]
    holding: dict[str, list[Node]] = {}  # word -> the full names with it
    for o in people:
        if o.kind == "person" and len(toks[o.key]) > 1:
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
                best.setdefault(tier, set()).add(st.root(o.key))
        for tier in (3, 2, 1):
            roots = best.get(tier, set()) - {st.root(n.key)}
            if roots:
                target = st.dominant(roots)
                if target is not None:
                    st.join(n.key, target)
                break


def _compass(st: _State) -> None:
    """ "the North" / "the South" for the one place of the story named with that word."""
    toks = st.toks
    places = [n for n in st.nodes.values() if n.kind == "place" and len(toks[n.key]) > 1]
    for n in st.nodes.values():
        words = toks[n.key]
        if n.kind == "place" and len(words) == 1 and words[0] in _COMPASS:
            roots = {st.root(o.key) for o in places if toks[o.key][0] == words[0]}
            target = st.dominant(roots) if roots else None
            if target is not None:
                st.join(n.key, target)


def _short_forms(st: _State) -> None:
    """A company's short name: "Ford" = "Ford Motor Company", "Air Force" = "U.S. Air Force"."""
    orgs = [n for n in st.nodes.values() if n.kind == "organization" and not n.curated]
    core_words = {n.key: org_core(n.name).lower().split() for n in orgs}
    by_edge: dict[str, list[Node]] = {}  # first and last word -> the org names with it there
    for n in orgs:
        words = core_words[n.key]
        for w in {words[0], words[-1]} if words else ():
            by_edge.setdefault(w, []).append(n)
    for n in orgs:
        words = core_words[n.key]
        if not words:
            continue
        cands = {o.key: o for w in {words[0], words[-1]} for o in by_edge.get(w, [])}
        roots = {
            st.root(o.key)
            for o in cands.values()
            if o.key != n.key and (_short_form(n.name, o.name) or _body_of(o.name, n.name))
        }
        roots.discard(st.root(n.key))
        target = st.dominant(roots) if roots else None
        if target is not None:
            st.join(n.key, target)


def _body_of(longer: str, shorter: str) -> bool:
    """``longer`` is ``shorter`` followed by ordinary words only: one of its own bodies or units
    ("<Group> Political Bureau", "Apple Computer"), not another organisation (an outlet's name
    is one: "Wall Street Journal")."""
    a, b = shorter.split(), longer.split()
    if len(b) <= len(a) or [w.lower() for w in b[: len(a)]] != [w.lower() for w in a]:
        return False
    return not is_media(longer) and all(is_common(w) for w in b[len(a) :])


def _surname_of_one_person(st: _State) -> None:
    """A one-word name tagged as an organisation or place that is the surname of the story's
    one person with that surname ("Starmer" from "the Starmer government", "Keir Starmer"): the
    full name fixes the type. A place named as a setting ("in Jackson") stays a place."""
    surnames: dict[str, set[str]] = {}
    for n in st.nodes.values():
        words = n.name.split()
        if n.kind == "person" and len(words) > 1:  # "Dex Hunter-Torricke": the surname's key
            surnames.setdefault(name_key(words[-1]), set()).add(st.root(n.key))
    for n in st.nodes.values():
        if n.kind == "person" or n.curated or " " in n.name or st.root(n.key) != n.key:
            continue
        if sum(1 for m in n.mentions if m.locative) * 2 > len(n.mentions):
            continue
        if n.kind == "place" and gazetteer.place(n.name) is not None:
            continue  # "Washington" the city, not George Washington
        roots = surnames.get(n.key, set())
        target = next(iter(roots)) if len(roots) == 1 else None
        if target is not None:
            st.join(n.key, target)


def _close_spellings(st: _State) -> None:
    """Close spellings: transliterations of one person's name ("Alexei" / "Alexey Navalny"),
    whatever the model typed each, and near-identical names of one kind. Compared within buckets
    of the same first three letters, so a story with thousands of names stays fast."""
    buckets: dict[str, list[Node]] = {}
    for n in st.nodes.values():
        if len(n.key) >= 6 and n.mentions:
            buckets.setdefault(n.key[:3], []).append(n)
    for group in buckets.values():
        group.sort(key=lambda n: n.key)
        for i, na in enumerate(group):
            for nb in group[i + 1 :]:
                if st.root(na.key) == st.root(nb.key) or (na.curated and nb.curated):
                    continue
                if abs(len(na.key) - len(nb.key)) <= 2 and _close(na, nb, st.toks):
                    st.join(na.key, nb.key)


def _known_together(st: _State) -> None:
    """The registry: two names that earlier briefings saw as one actor (a bare surname only when
    it has named exactly one actor, on two days or more)."""
    seen: dict[str, str] = {}
    for n in st.nodes.values():
        if not resolvable(n, st.registry):
            continue
        actor = st.registry.resolve(n.key)
        if actor is None:
            continue
        if actor in seen:
            st.join(n.key, seen[actor])
        else:
            seen[actor] = n.key


RULES = (
    _acronyms,
    _middle_initials,
    _close_spellings,
    _partial_names,
    _compass,
    _short_forms,
    _surname_of_one_person,
    _known_together,
)


def merge(mentions: Sequence[ActorMention], registry: Registry = EMPTY) -> list[Cluster]:
    """Group a story's mentions into actors, applying ``RULES`` in order (see the module
    docstring); curated canonical names are joined from the start (they are node keys)."""
    st = _State(build_nodes(mentions, registry), registry)
    for rule in RULES:
        rule(st)
    groups: dict[str, list[Node]] = {}
    for n in st.nodes.values():
        groups.setdefault(st.root(n.key), []).append(n)
    out = [cluster(g, registry) for g in groups.values() if any(n.mentions for n in g)]
    return sorted(out, key=lambda c: (-len(c.mentions), c.name))


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


def _close(a: Node, b: Node, toks: dict[str, list[str]]) -> bool:
    if "person" in (a.kind, b.kind):
        ta, tb = toks[a.key], toks[b.key]
        if len(ta) != len(tb) or len(ta) < 2:
            return False
        if ta[:-1] == tb[:-1]:  # "Zelenskyy" / "Zelensky"
            return SequenceMatcher(None, ta[-1], tb[-1]).ratio() >= 0.85
        if ta[1:] == tb[1:] and ta[0][0] == tb[0][0]:  # "Alexei" / "Alexey Navalny"
            return SequenceMatcher(None, ta[0], tb[0]).ratio() >= 0.8
        return False
    return a.kind == b.kind and SequenceMatcher(None, a.key, b.key).ratio() >= 0.92
