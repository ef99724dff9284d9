"""Key actors: the people, organisations, places and groups a story is about, each once, ranked.

Named entities come from the shared spaCy pass (``digest.text.entities``). ``digest.actors.context``
turns entity spans into actor mentions (dropping furniture, datelines, credits; reading roles),
``digest.actors.merge`` groups a story's mentions into actors, and this module ranks them by
salience and builds the briefing's Key actors: the top actors of the day across stories, each with
its stories, marked when the registry has never seen them before.

Salience of an actor in a story (0..5): its share of the story's mentions relative to the most
mentioned actor, plus the share of the story's items that mention it (x1.5), of its sources
(x0.5), of items naming it in the headline (x1) and in the lead (x0.5), plus the share of its
mentions that open a sentence (x0.5, a stand-in for subject position). A place named as a setting
("in Tijuana") weighs a quarter of a mention and half an item: the story happens there, it is not
about it.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from digest.actors import evidence, gazetteer
from digest.actors.context import KINDS, ActorMention, actor_mentions, split_compound
from digest.actors.cues import has_org_head
from digest.actors.merge import Cluster, merge
from digest.actors.names import clean_name, curated, demonym_names, name_key, org_core, tokens
from digest.actors.registry import EMPTY, Learned, Registry
from digest.actors.spans import known_place
from digest.config import Config
from digest.models import Actor, ActorKind, BriefingActor, StoredItem
from digest.text.entities import Mention, analysed_text

log = logging.getLogger(__name__)
LOCATIVE_WEIGHT = 0.25

__all__ = ["ActorsResult", "extract_actors", "learn", "registry_keys", "story_actors"]


@dataclass(frozen=True)
class ActorsResult:
    per_story: dict[str, tuple[Actor, ...]]  # who acts: people, organisations, states, groups
    briefing: tuple[BriefingActor, ...]
    learned: tuple[Learned, ...] = ()  # for the registry: written back by the pipeline
    places: dict[str, tuple[str, ...]] = field(default_factory=dict)  # settings, per story


def _originals(items: Sequence[StoredItem]) -> list[StoredItem]:
    return [it for it in items if not it.duplicate_of]


def _item_mentions(it: StoredItem, spans: Sequence[Mention]) -> list[ActorMention]:
    a = it.article
    return actor_mentions(a.id, a.source, a.title, analysed_text(a), spans)


def registry_keys(
    stories: Mapping[str, Sequence[StoredItem]], mentions: Mapping[str, Sequence[Mention]]
) -> set[str]:
    """Every alias key today's mentions could look up in the registry (cheap: no context rules)."""
    keys: set[str] = set()
    for items in stories.values():
        for it in _originals(items):
            for m in mentions.get(it.article.id, ()):
                if m.label in KINDS:
                    for person in (True, False):
                        name, _ = clean_name(m.text, person=person)
                        names = {name, org_core(name), *split_compound(name), *demonym_names(name)}
                        keys.update(name_key(n) for n in names)
                        keys.update(name_key(c[0]) for c in map(curated, names) if c)
    return keys


def weight(m: ActorMention) -> float:
    """A place named as a setting ("in Tijuana") counts a quarter of a place that acts."""
    return LOCATIVE_WEIGHT if m.locative else 1.0


def salience(cluster: Cluster, n_items: int, n_sources: int, top_mass: float) -> float:
    ms = cluster.mentions
    mass = sum(weight(m) for m in ms)
    items: dict[str, float] = {}
    for m in ms:
        items[m.item] = max(items.get(m.item, 0.0), 1.0 if not m.locative else 0.5)
    sources = {m.source for m in ms}
    title = {m.item for m in ms if m.in_title}
    lead = {m.item for m in ms if m.in_lead}
    subject = sum(1 for m in ms if m.subject)
    return round(
        mass / max(1.0, top_mass)
        + 1.5 * sum(items.values()) / max(1, n_items)
        + 0.5 * len(sources) / max(1, n_sources)
        + 1.0 * len(title) / max(1, n_items)
        + 0.5 * len(lead) / max(1, n_items)
        + 0.5 * subject / max(1, len(ms)),
        4,
    )


def _confirmed(c: Cluster, registry: Registry) -> bool:
    """A cluster named only where case says nothing, in ordinary words ("Tributes", "Beat
    Trump"), stands only if the registry knows the name from earlier days."""
    if not all(m.unconfirmed for m in c.mentions):
        return True
    return c.key in registry.actors or registry.resolve(name_key(c.name)) is not None


def _kind(c: Cluster) -> ActorKind:
    """A place that acts in the story ("Russia launched", "Kenyan officials said") is a state at
    work; a place only named as a setting stays a place."""
    if c.kind == "place" and any(m.acts for m in c.mentions):
        if known_place(c.name) or gazetteer.is_big_place(c.name):
            return "state"  # a country, or a capital for its government ("Moscow said")
        if any(m.label == "PERSON" for m in c.mentions):
            return "person"  # a name the model took for a country once ("Hasina said")
        return "place"  # no country we know of: a setting at most ("Yunus said" typed GPE)
    return c.kind


def story_actors(
    mentions: Sequence[ActorMention], registry: Registry = EMPTY, day: date | None = None
) -> list[tuple[Actor, Cluster]]:
    """A story's actors and places, most salient first, with the clusters they came from."""
    merged = [c for c in merge(mentions, registry) if _confirmed(c, registry)]
    clusters = evidence.vetted(merged, registry, day)
    if not clusters:
        return []
    n_items = len({m.item for m in mentions})
    n_sources = len({m.source for m in mentions})
    top = max(sum(weight(m) for m in c.mentions) for c in clusters)
    scored = []
    for c in clusters:
        known = registry.actors.get(c.key)
        first = known is None or (day is not None and known.first_seen >= day)
        actor = Actor(
            name=c.name,
            kind=_kind(c),
            mentions=len(c.mentions),
            role=c.role,
            aliases=c.aliases,
            salience=salience(c, n_items, n_sources, top),
            first_seen=first,
        )
        scored.append((actor, c))
    scored.sort(key=lambda ac: (-ac[0].salience, -ac[0].mentions, ac[0].name))
    return scored


def extract_actors(
    stories: Mapping[str, Sequence[StoredItem]],
    config: Config,
    mentions: Mapping[str, Sequence[Mention]],
    registry: Registry = EMPTY,
    day: date | None = None,
) -> ActorsResult:
    """Actors and places per story and for the whole briefing, plus what the registry should
    learn."""
    per_story: dict[str, tuple[Actor, ...]] = {}
    places: dict[str, tuple[str, ...]] = {}
    ranked: dict[str, list[tuple[Actor, Cluster]]] = {}
    everything: dict[str, list[tuple[Actor, Cluster]]] = {}
    for sid, items in stories.items():
        found: list[ActorMention] = []
        for it in _originals(items):
            found.extend(_item_mentions(it, mentions.get(it.article.id, ())))
        everything[sid] = story_actors(found, registry, day)
    everything = surnames_of_the_day(everything)
    for sid, scored in everything.items():
        ranked[sid] = [
            ac for ac in scored if ac[0].kind != "place" and evidence.listable(ac[1], registry, day)
        ][: config.actors.per_story]
        places[sid] = tuple(a.name for a, _ in scored if a.kind == "place")[
            : config.actors.places_per_story
        ]
        per_story[sid] = tuple(a for a, _ in ranked[sid])
    weights = {sid: len({it.article.source for it in items}) or 1 for sid, items in stories.items()}
    briefing = _briefing(ranked, weights, config.actors.per_briefing)
    shown = {
        sid: ranked[sid] + [ac for ac in everything[sid] if ac[0].kind == "place"] for sid in ranked
    }
    learned = learn(shown, day) if day is not None else ()  # what was listed, and the places
    log.debug("stories=%d actors=%d", len(stories), sum(len(v) for v in ranked.values()))
    return ActorsResult(per_story, briefing, learned, places)


def surnames_of_the_day(
    scored: Mapping[str, list[tuple[Actor, Cluster]]],
) -> dict[str, list[tuple[Actor, Cluster]]]:
    """A one-word name typed as an organisation ("Trump drops climate rule") that is the surname
    of the day's one person with that surname, listed with a full name in two stories or more:
    that person. Two people of one surname that day: nothing changes."""
    people: dict[str, set[str]] = {}
    stories: Counter[str] = Counter()
    for acs in scored.values():
        for a, c in acs:
            if a.kind == "person" and len(a.name.split()) > 1:
                people.setdefault(name_key(a.name.split()[-1]), set()).add(c.key)
                stories[c.key] += 1
    out: dict[str, list[tuple[Actor, Cluster]]] = {}
    for sid, acs in scored.items():
        fixed = []
        for a, c in acs:
            who = people.get(name_key(a.name), set())
            if (
                a.kind == "organization"
                and " " not in a.name
                and len(who) == 1
                and stories[next(iter(who))] >= 2
                and not has_org_head(a.name)
            ):
                a, c = replace(a, kind="person"), replace(c, kind="person")
            fixed.append((a, c))
        out[sid] = fixed
    return out


def _identity(a: Actor, c: Cluster, full: Mapping[str, set[str]]) -> str:
    """The actor's key across stories: a bare surname is the day's one full name ending with it."""
    words = tokens(a.name)
    if a.kind == "person" and len(words) == 1 and len(full.get(words[0], ())) == 1:
        return next(iter(full[words[0]]))
    return c.key


def _briefing(
    ranked: Mapping[str, list[tuple[Actor, Cluster]]], weights: Mapping[str, int], limit: int
) -> tuple[BriefingActor, ...]:
    """The day's top actors across stories (places that are only settings are not actors):
    joined by identity, ranked by salience summed over the stories that list them, each story
    weighted by its number of sources (the actor of the day's biggest story outranks the actor
    of a brief). Each actor's stories come in the order of what the actor weighs in them."""
    full: dict[str, set[str]] = {}
    for acs in ranked.values():
        for a, c in acs:
            if a.kind == "person" and len(tokens(a.name)) > 1:
                full.setdefault(tokens(a.name)[-1], set()).add(c.key)
    share: dict[str, dict[str, float]] = {}  # key -> story -> weighted salience
    mentions: Counter[str] = Counter()
    best: dict[str, Actor] = {}
    aliases: dict[str, set[str]] = {}
    roles: dict[str, Counter[str]] = {}
    for sid, acs in ranked.items():
        for a, c in acs:
            key = _identity(a, c, full)
            per = share.setdefault(key, {})
            per[sid] = per.get(sid, 0.0) + a.salience * weights.get(sid, 1)
            mentions[key] += a.mentions
            names = aliases.setdefault(key, set())
            if key not in best or (len(a.name.split()), a.mentions) > (
                len(best[key].name.split()),
                best[key].mentions,
            ):
                if key in best:
                    names.add(best[key].name)
                best[key] = a
            else:
                names.add(a.name)
            names.update(a.aliases)
            if a.role:
                roles.setdefault(key, Counter())[a.role] += a.mentions
    score = {k: sum(v.values()) for k, v in share.items()}
    order = sorted(score, key=lambda k: (-score[k], -mentions[k], best[k].name))
    return tuple(
        BriefingActor(
            name=best[k].name,
            kind=best[k].kind,
            mentions=mentions[k],
            stories=tuple(sorted(share[k], key=lambda sid: (-share[k][sid], sid))),
            role=roles[k].most_common(1)[0][0] if k in roles else None,
            aliases=tuple(sorted(aliases.get(k, set()) - {best[k].name})),
            first_seen=best[k].first_seen,
        )
        for k in order[:limit]
    )


def learn(ranked: Mapping[str, list[tuple[Actor, Cluster]]], day: date) -> tuple[Learned, ...]:
    """What the registry should remember of a day: per actor identity, its name, kind and names."""
    merged: dict[str, Learned] = {}
    for acs in ranked.values():
        for a, c in acs:
            names = {a.name, *c.aliases} | {m.acronym for m in c.mentions if m.acronym}
            pairs = {(name_key(n), n) for n in names if name_key(n)}
            prev = merged.get(c.key)
            if prev is not None:
                pairs |= set(prev.aliases)
                if len(prev.name.split()) > len(a.name.split()):
                    a = Actor(name=prev.name, kind=prev.kind, mentions=a.mentions)
            merged[c.key] = Learned(c.key, a.name, a.kind, day, tuple(sorted(pairs)))
    return tuple(merged[k] for k in sorted(merged))
