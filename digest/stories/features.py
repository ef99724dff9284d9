"""Story evidence of one item: named actors, places, distinctive terms and specific numbers.

Look-alike events (two earthquakes, two trials) share their topic words, so each kind of evidence
is a separate feature family: ``e:`` actors (people, organisations, facilities, named events; a
person also under the surname, so "Ms. Reid" matches "Tara Reid"), ``g:`` places and nationalities,
``n:`` numbers from the entity tagger (magnitudes, sums, tolls), ``t:`` plain terms. Places are
context, not evidence: they form their own family, and their words are not terms, so two items
sharing only a country share no term and no actor. Title terms count extra because the headline
names the event. Markup-looking text (``<script>alert(1)</script>`` shown as text) is dropped
before anything is counted: it says nothing about the event. Weights are applied later with IDF
(``digest.stories.vectors``).
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Sequence
from importlib import resources

from digest.models import StoredItem
from digest.text.entities import Mention
from digest.text.tokens import MARKUP, STOPWORDS, WORD, strip_markup

ACTOR_LABELS = frozenset({"PERSON", "ORG", "FAC", "EVENT"})
PLACE_LABELS = frozenset({"GPE", "LOC", "NORP"})
ENTITY_LABELS = ACTOR_LABELS | PLACE_LABELS
NUMBER_LABELS = frozenset({"MONEY", "QUANTITY", "PERCENT", "CARDINAL"})

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_STRIP = re.compile(r"^(?:the|a|an)\s+|['’]s$")
_SPACE = re.compile(r"\s+")
_LEADING_TAG = re.compile(r"\s*\[[^\]\n]{1,80}\]")


@functools.lru_cache(maxsize=65536)
def normalise_name(text: str) -> str:
    """Lower-cased entity name without a leading article, a trailing possessive or dots, under
    its canonical spelling when it has one ("U.K.", "Britain", "British" -> "united kingdom")."""
    text = _SPACE.sub(" ", text.replace("\n", " ")).strip().lower()
    text = _STRIP.sub("", text)
    text = text.strip(" .,;:-\"'“”")
    key = _SPACE.sub(" ", text.replace(".", "").replace(" - ", "-")).strip()
    return _aliases().get(key, key)


@functools.cache
def _aliases() -> dict[str, str]:
    """Folded spelling -> canonical name, from the curated tables the actors stage also uses
    (aliases.json: "US" -> "united states"; demonyms.json: "Iranian" -> "iran")."""
    data = resources.files("digest.data")
    out: dict[str, str] = {}
    raw = json.loads(data.joinpath("aliases.json").read_text(encoding="utf-8"))
    for canonical, entry in raw.items():
        if canonical.startswith("_"):
            continue
        for form in (canonical, *entry.get("aliases", ())):
            out[_fold(form)] = canonical.lower()
    demonyms = json.loads(data.joinpath("demonyms.json").read_text(encoding="utf-8"))
    for adjective, place in demonyms.get("places", {}).items():
        out.setdefault(_fold(adjective), _fold(place))
    return out


@functools.cache
def _place_names() -> frozenset[str]:
    """Canonical names the curated tables know as places (countries and their demonyms)."""
    data = resources.files("digest.data")
    raw = json.loads(data.joinpath("aliases.json").read_text(encoding="utf-8"))
    places = {
        c.lower() for c, e in raw.items() if not c.startswith("_") and e.get("kind") == "place"
    }
    demonyms = json.loads(data.joinpath("demonyms.json").read_text(encoding="utf-8"))
    places.update(_fold(p) for p in demonyms.get("places", {}).values())
    return frozenset(places)


def _markup_spans(text: str, offset: int) -> list[tuple[int, int]]:
    if "<" not in text and "&" not in text:
        return []
    return [(offset + m.start(), offset + m.end()) for m in MARKUP.finditer(text)]


def _fold(name: str) -> str:
    name = _STRIP.sub("", name.strip().lower())
    return _SPACE.sub(" ", name.replace(".", "")).strip()


def item_features(
    item: StoredItem, mentions: Sequence[Mention], title_boost: int = 2, text_chars: int = 1500
) -> tuple[Counter[str], dict[str, str]]:
    """Feature counts of one item, and a display name per feature (for the "why" explanation).

    Only the first ``text_chars`` of the body give terms and names: the lead carries the event,
    later paragraphs drift into background shared with look-alike stories.
    """
    a = item.article
    counts: Counter[str] = Counter()
    display: dict[str, str] = {}
    title_end = len(a.title)
    limit = title_end + 2 + text_chars
    place_words: set[str] = set()
    skip = _markup_spans(a.title, 0) + _markup_spans(a.text[:text_chars], title_end + 2)
    tag = _LEADING_TAG.match(a.text)
    if tag:  # "[Outlet Name] Nairobi -- ...": the publisher, not an actor of the event
        skip.append((title_end + 2, title_end + 2 + tag.end()))
    own = {normalise_name(a.source)} if a.source else set()
    for m in mentions:
        if m.start >= limit or any(s <= m.start < e for s, e in skip):
            continue
        if normalise_name(m.text) in own:
            continue  # the item's own outlet named in its text is no evidence of the event
        boost = title_boost if m.start < title_end else 1
        if m.label in ENTITY_LABELS:
            name = normalise_name(m.text)
            if len(name) < 2:
                continue
            place = m.label in PLACE_LABELS or name in _place_names()
            if place:
                place_words.update(w.lower() for w in WORD.findall(m.text))
                place_words.update(WORD.findall(name))
                keys = ["g:" + name]
            else:
                keys = ["e:" + name]
                if m.label == "PERSON" and " " in name:
                    keys.append("e:" + name.rsplit(" ", 1)[1])
            for key in keys:
                counts[key] += boost
                display.setdefault(key, _SPACE.sub(" ", m.text).strip())
        elif m.label in NUMBER_LABELS:
            for num in _NUMBER.findall(m.text):
                value = num.replace(",", "")
                if m.label == "CARDINAL" and len(value) < 2:
                    continue  # "one", "3": too common to tell events apart
                key = "n:" + value
                counts[key] += boost
                display.setdefault(key, m.text.strip())
    for text, weight in ((a.title, title_boost), (a.text[:text_chars], 1)):
        for word in WORD.findall(strip_markup(text)):
            w = word.lower()
            if w not in STOPWORDS and len(w) > 2 and w not in place_words:
                counts["t:" + w] += weight
                display.setdefault("t:" + w, w)
    return counts, display
