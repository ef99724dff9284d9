"""Story evidence of one item: named entities, distinctive terms and specific numbers.

Look-alike events (two earthquakes, two trials) share their topic words, so each kind of evidence
is a separate, weighted feature family: ``e:`` entities (who/where; a person also under the
surname, so "Ms. Reid" matches "Tara Reid"), ``n:`` numbers from the entity tagger (magnitudes,
sums, tolls), ``t:`` plain terms. Title terms count extra because the headline names the event.
Weights are applied later with IDF from the store (``digest.stories.vectors``).
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

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "NORP"})
NUMBER_LABELS = frozenset({"MONEY", "QUANTITY", "PERCENT", "CARDINAL"})

_WORD = re.compile(r"[^\W\d_][\w'\-]*[^\W_]|[^\W\d_]{2}", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_STRIP = re.compile(r"^(?:the|a|an)\s+|['’]s$")
_SPACE = re.compile(r"\s+")
_STOPWORDS_TEXT = """
a about above after again against all almost also although always am among an and another any
are around as at be because been before being below between both but by can cannot could did do
does doing done down during each either else even ever every few for from further get gets got
had has have having he her here hers herself him himself his how however i if in into is it its
itself just last least less like made make many may me might more most much must my myself near
neither never new next no nor not now of off often on once one only or other others our ours
out over own per perhaps put rather really said same say says see seen several shall she should
since so some still such than that the their theirs them themselves then there these they this
those though three through thus to too two under until up upon us very via was we well were
what whatever when where whether which while who whom whose why will with within without would
year years yet you your yours yesterday today tomorrow monday tuesday wednesday thursday friday
saturday sunday week weeks day days time times mr mrs ms dr according told tell including
percent people first second third former latter later early earlier news report reported
reports reporting reuters ap afp cnn update updated
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


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
    for m in mentions:
        if m.start >= limit:
            continue
        boost = title_boost if m.start < title_end else 1
        if m.label in ENTITY_LABELS:
            name = normalise_name(m.text)
            if len(name) < 2:
                continue
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
    for word in _WORD.findall(a.title):
        w = word.lower()
        if w not in STOPWORDS and len(w) > 2:
            counts["t:" + w] += title_boost
            display.setdefault("t:" + w, w)
    for word in _WORD.findall(a.text[:text_chars]):
        w = word.lower()
        if w not in STOPWORDS and len(w) > 2:
            counts["t:" + w] += 1
            display.setdefault("t:" + w, w)
    return counts, display
