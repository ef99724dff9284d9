"""Helpers the actors benchmarks share: spaCy mentions of plain texts (NER only), each text as a
one-item story, and the registry folded in memory (what the store does between two days).

These are benchmark tools, not part of the pipeline: the pipeline caches its own mentions per item
(``digest.text.entities``) and lets the store keep the registry.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import date

from digest.actors.context import actor_mentions
from digest.actors.rank import story_actors
from digest.models import Actor, KnownActor, Learned, Registry
from digest.text import nlp as nlp_loader
from digest.text.entities import LABELS, Mention


def mentions_of_texts(texts: Sequence[str], model: str = "auto") -> list[list[Mention]]:
    """spaCy entity mentions of plain texts, with the pipeline's own loader and model."""
    nlp = nlp_loader.load(model)
    return [
        [
            Mention(e.text, e.label_, e.start_char, e.end_char)
            for e in doc.ents
            if e.label_ in LABELS
        ]
        for doc in nlp.pipe(texts, batch_size=32)
    ]


def ner_speed(texts: Sequence[str], model: str = "auto") -> tuple[float, int, float]:
    """Words per second of the pipeline's NER pass over ``texts`` (model loaded beforehand)."""
    nlp = nlp_loader.load(model)
    words = sum(len(t.split()) for t in texts)
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    secs = time.perf_counter() - started
    return words / secs, words, secs


def _shift(m: Mention, by: int) -> Mention:
    return Mention(m.text, m.label, m.start + by, m.end + by)


def actors_of_texts(texts: Sequence[str], model: str = "auto") -> list[list[Actor]]:
    """Each text as a one-item story without a headline: its actors (name sets per document)."""
    out = []
    for i, (text, spans) in enumerate(zip(texts, mentions_of_texts(texts, model))):
        found = actor_mentions(f"d{i}", "", "", "\n\n" + text, [_shift(m, 2) for m in spans])
        out.append([a for a, _ in story_actors(found)])
    return out


def fold(registry: Registry, learned: Iterable[Learned]) -> Registry:
    """The registry after ``learned``: what the store does, in memory."""
    actors = dict(registry.actors)
    aliases = {k: dict(v) for k, v in registry.aliases.items()}
    for rec in learned:
        old = actors.get(rec.key)
        kinds = dict(old.kinds) if old else {}
        kinds[rec.kind] = kinds.get(rec.kind, 0) + 1
        first: date = min(old.first_seen, rec.day) if old else rec.day
        actors[rec.key] = KnownActor(rec.key, rec.name, rec.kind, first, kinds)
        for alias_key, _ in rec.aliases:
            named = aliases.setdefault(alias_key, {})
            named[rec.key] = named.get(rec.key, 0) + 1
    return Registry(
        actors=actors, aliases={k: tuple(sorted(v.items())) for k, v in aliases.items()}
    )
