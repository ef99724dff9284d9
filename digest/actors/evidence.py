"""Whether a merged name is an actor at all, whether it is worth listing, and what kind it is.

**Recognised** (``recognised``: a name of an actor or a place, kept for the story):

- **running text**: the name is written in the body of an item, where letter case can be trusted
  or the running text confirms the form (a Title Case headline makes the model call any
  capitalised phrase a name), or the registry knows it from earlier briefings;
- **not a thing**: events, works, products, laws, storms and illnesses are named like
  organisations ("Munich Security Conference", "Tropical Cyclone Gezani", "Havana Syndrome").
  What the model itself labels EVENT / WORK_OF_ART / PRODUCT / LAW outvotes its other labels of
  the same name; a year in the name, a whole name in quotation marks, a leading storm or
  operation word and an event, law or illness head noun as the last word (``things.json``) mark
  one too;
- **an ordinary word is capitalised where case means something**: a one-word name that is also an
  English word ("Malaria", "Format") needs a capital inside a sentence of running text;
- **an acronym is no place** unless the registry or a curated table knows it ("AI" typed as a
  country).

**Listed** (``listable``: a story's list is short, and an analyst lists fewer names rather than a
wrong one): a person needs a full name, a title or an honorific ("President Okafor", "Mr
Okafor") or the registry's record of a person with a full name; an organisation needs a head
word ("Tana Water Board"), an acronym defined with it, or a second mention with one inside a
sentence.

Kinds: a geographic feature ("River Almen", "Victoria Harbour") and a place GeoNames knows (a
country whatever its label; a big city the model called an organisation; a town typed as a
one-word person) are places.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date

from digest.actors import gazetteer
from digest.actors.context import THING_LABELS
from digest.actors.cues import cues, has_org_head, is_feature, words_of
from digest.actors.lexicon import is_common, is_plain
from digest.actors.names import curated, is_acronym, is_media, name_key
from digest.actors.nodes import Cluster
from digest.models import ActorKind, KnownActor, Registry

_YEAR = re.compile(r"^(?:19|20)\d\d$")


def is_thing(c: Cluster) -> bool:
    """An event, work, product, law, storm or illness rather than an actor."""
    if curated(c.name) is not None:
        return False
    labels = Counter(m.label in THING_LABELS for m in c.mentions)
    people = any(m.label == "PERSON" for m in c.mentions)
    if labels[True] > labels[False] or (labels[True] == labels[False] and not people):
        return True
    words = words_of(c.name)
    cue = cues()
    if len(words) > 1 and words[0] in cue.first:
        return True  # "Cyclone Gezani", "Operation Sindoor"
    if any(_YEAR.match(w) for w in words):
        return True  # "Milano Cortina 2026"
    if c.kind == "person":
        return False  # "Doris Day": a person's surname may be any word
    if words and (words[-1] in cue.last or " ".join(words[-2:]) in cue.last):
        return True  # "Munich Security Conference", "Carnival", "Havana Syndrome"
    return all(m.quoted for m in c.mentions)


def _full_person(c: Cluster) -> bool:
    return any(len(n.split()) > 1 for n in (c.name, *c.aliases) if not is_acronym(n))


def kind_of(c: Cluster) -> ActorKind:
    """The cluster's kind, corrected where a place is named in a way the model mistook."""
    if curated(c.name) is not None:
        return c.kind
    if c.kind == "person" and is_media(c.name):
        return "organization"  # "Ars Technica" typed as a person
    if is_feature(c.name):
        return "place"
    where = gazetteer.place(c.name)
    if where is None or c.kind in ("place", "state"):
        return c.kind
    if where.cls == "country":
        return "place"  # "Austria" typed as a person or an organisation
    if c.kind == "organization" and gazetteer.is_big_place(c.name) and not is_plain(c.name):
        return "place"  # "Budapest said": the city (for its government) named like a body
    if c.kind == "person" and not _full_person(c) and not any(m.titled for m in c.mentions):
        return "place"  # a one-word "person" that is a town of the story ("Kadugli")
    return c.kind


def _earlier(registry: Registry, key: str | None, day: date | None) -> KnownActor | None:
    """The registry's record of ``key`` if it was first seen before ``day`` (what a rerun of the
    same day learnt must not change that day's briefing)."""
    rec = registry.actors.get(key) if key else None
    if rec is None or (day is not None and rec.first_seen >= day):
        return None
    return rec


def known(c: Cluster, registry: Registry, day: date | None = None) -> bool:
    """The registry has listed this actor on an earlier day (or a curated table knows it)."""
    if curated(c.name) is not None:
        return True
    return any(
        _earlier(registry, key, day) is not None
        for key in (c.key, registry.resolve(name_key(c.name)))
    )


def _known_person(c: Cluster, registry: Registry, day: date | None) -> bool:
    rec = _earlier(registry, c.key, day)
    return rec is not None and rec.kind == "person" and len(rec.name.split()) > 1


def recognised(c: Cluster, registry: Registry, day: date | None = None) -> bool:
    """Whether ``c`` names an actor or a place at all (a name, not a thing or a headline's
    capitalised phrase), whether or not it is worth listing."""
    if is_thing(c):
        return False
    sure = known(c, registry, day)
    if not sure and not any(m.running for m in c.mentions):
        return False  # only in headlines or Title Case lines
    if is_acronym(c.name) and gazetteer.place(c.name) is None:
        return sure or c.kind not in ("place", "state")  # "AI" typed as a country
    if " " not in c.name and is_common(c.name) and not sure and gazetteer.place(c.name) is None:
        return any(m.midcap for m in c.mentions)  # "Malaria claims one", "Format:"
    return True


def listable(c: Cluster, registry: Registry, day: date | None = None) -> bool:
    """Whether a recognised actor has the evidence a story's list needs: a person a full name,
    a title or the registry's record; an organisation the evidence of ``_organisation``."""
    if known(c, registry, day):
        return True
    if c.kind == "person" and not _full_person(c):
        return any(m.titled for m in c.mentions) or _known_person(c, registry, day)
    if c.kind == "organization":
        return _organisation(c)
    return True


def _organisation(c: Cluster) -> bool:
    """An organisation's name needs more than one capitalised phrase seen once: a head word of
    organisations ("Tana Water Board"), an acronym it is defined with, or two mentions of which
    one inside a sentence of running text (a body that acts in the story is named again)."""
    if has_org_head(c.name) or any(m.acronym for m in c.mentions):
        return True
    return len(c.mentions) >= 2 and any(m.running and m.midcap for m in c.mentions)


def vetted(clusters: list[Cluster], registry: Registry, day: date | None = None) -> list[Cluster]:
    """The recognised clusters, with their corrected kinds."""
    out = []
    for c in clusters:
        fixed = replace(c, kind=kind_of(c))
        if recognised(fixed, registry, day):
            out.append(fixed)
    return out
