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
from dataclasses import dataclass
from datetime import date

from digest.actors.context import KINDS, ActorMention, actor_mentions, split_compound
from digest.actors.merge import Cluster, merge
from digest.actors.names import clean_name, curated, demonym_names, name_key, org_core, tokens
from digest.actors.registry import EMPTY, Learned, Registry
from digest.config import Config
from digest.models import Actor, BriefingActor, StoredItem
from digest.text.entities import Mention, analysed_text

log = logging.getLogger(__name__)
LOCATIVE_WEIGHT = 0.25

__all__ = ["ActorsResult", "extract_actors", "learn", "registry_keys", "story_actors"]


@dataclass(frozen=True)
class ActorsResult:
    per_story: dict[str, tuple[Actor, ...]]
    briefing: tuple[BriefingActor, ...]
    learned: tuple[Learned, ...] = ()  # for the registry: written back by the pipeline


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


def story_actors(
    mentions: Sequence[ActorMention], registry: Registry = EMPTY, day: date | None = None
) -> list[tuple[Actor, Cluster]]:
    """A story's actors, most salient first, with the clusters they came from."""
    clusters = merge(mentions, registry)
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
            kind=c.kind,
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
    """Actors per story and for the whole briefing, plus what the registry should learn."""
    per_story: dict[str, tuple[Actor, ...]] = {}
    ranked: dict[str, list[tuple[Actor, Cluster]]] = {}
    for sid, items in stories.items():
        found: list[ActorMention] = []
        for it in _originals(items):
            found.extend(_item_mentions(it, mentions.get(it.article.id, ())))
        ranked[sid] = story_actors(found, registry, day)
        per_story[sid] = tuple(a for a, _ in ranked[sid][: config.actors.per_story])
    weights = {sid: len({it.article.source for it in items}) or 1 for sid, items in stories.items()}
    briefing = _briefing(ranked, weights, config.actors.per_briefing)
    learned = learn(ranked, day) if day is not None else ()
    log.debug("stories=%d actors=%d", len(stories), sum(len(v) for v in ranked.values()))
    return ActorsResult(per_story, briefing, learned)


def _briefing(
    ranked: Mapping[str, list[tuple[Actor, Cluster]]], weights: Mapping[str, int], limit: int
) -> tuple[BriefingActor, ...]:
    """The day's top actors across stories: joined by identity, and a bare surname by the day's
    one full name ending with it; ranked by salience summed over stories, each story weighted by
    its number of sources (the actor of the day's biggest story outranks the actor of a brief)."""
    full: dict[str, set[str]] = {}
    for acs in ranked.values():
        for a, c in acs:
            if a.kind == "person" and len(tokens(a.name)) > 1:
                full.setdefault(tokens(a.name)[-1], set()).add(c.key)
    score: dict[str, float] = {}
    mentions: Counter[str] = Counter()
    stories: dict[str, list[str]] = {}
    best: dict[str, Actor] = {}
    aliases: dict[str, set[str]] = {}
    roles: dict[str, Counter[str]] = {}
    for sid, acs in ranked.items():
        for a, c in acs:
            key = c.key
            if (
                a.kind == "person"
                and len(tokens(a.name)) == 1
                and len(full.get(tokens(a.name)[0], ())) == 1
            ):
                key = next(iter(full[tokens(a.name)[0]]))
            score[key] = score.get(key, 0.0) + a.salience * weights.get(sid, 1)
            mentions[key] += a.mentions
            if sid not in stories.setdefault(key, []):
                stories[key].append(sid)
            if key not in best or (len(a.name.split()), a.mentions) > (
                len(best[key].name.split()),
                best[key].mentions,
            ):
                if key in best:
                    aliases.setdefault(key, set()).add(best[key].name)
                best[key] = a
            else:
                aliases.setdefault(key, set()).add(a.name)
            aliases.setdefault(key, set()).update(a.aliases)
            if a.role:
                roles.setdefault(key, Counter())[a.role] += a.mentions
    order = sorted(score, key=lambda k: (-score[k], -mentions[k], best[k].name))
    out = []
    for k in order[:limit]:
        a = best[k]
        role = roles[k].most_common(1)[0][0] if k in roles else None
        out.append(
            BriefingActor(
                name=a.name,
                kind=a.kind,
                mentions=mentions[k],
                stories=tuple(stories[k]),
                role=role,
                aliases=tuple(sorted(aliases.get(k, set()) - {a.name})),
                first_seen=a.first_seen,
            )
        )
    return tuple(out)


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


def mentions_of_texts(texts: Sequence[str], model: str = "auto") -> list[list[Mention]]:
    """spaCy entity mentions of plain texts (benchmarks and tools; the pipeline caches its own)."""
    from digest.text import nlp as nlp_loader
    from digest.text.entities import LABELS

    nlp = nlp_loader.load(model)
    return [
        [
            Mention(e.text, e.label_, e.start_char, e.end_char)
            for e in doc.ents
            if e.label_ in LABELS
        ]
        for doc in nlp.pipe(texts, batch_size=32)
    ]


def actors_of_texts(texts: Sequence[str], model: str = "auto") -> list[list[Actor]]:
    """Each text as a one-item story: its actors (benchmarks: name sets per document)."""
    out = []
    for i, (text, spans) in enumerate(zip(texts, mentions_of_texts(texts, model))):
        found = actor_mentions(f"d{i}", "", "", "\n\n" + text, [_shift(m, 2) for m in spans])
        out.append([a for a, _ in story_actors(found)])
    return out


def _shift(m: Mention, by: int) -> Mention:
    return Mention(m.text, m.label, m.start + by, m.end + by)
