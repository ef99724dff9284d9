"""Who acts and where things happen, read from the words around a name (no parser).

A place named after a preposition ("in Tijuana", "the streets of Kyiv") is a setting. A country
followed by a finite verb ("Russia launched", "Iran says", "Russia and Ukraine confirm"), or
heading one of its institutions ("Russia's military", "Kenyan officials"), acts: it is a state at
work, not a setting. Subject position (a name opening its sentence, before a lowercase word) is a
cheap salience feature.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from digest.actors.lexicon import is_finite_verb, word_classes
from digest.actors.names import tables
from digest.actors.roles import MASK, covered, sentence_prefix
from digest.text.entities import Mention

_PREP = (
    r"(?:in|at|near|from|to|across|outside|inside|into|around|throughout|within|toward|towards|"
    r"between|along|through|over|via|visit|visits|visited|visiting|"
    r"(?:centre|center|district|outskirts|city|streets|town|heart|part|parts|edge|suburbs?|"
    r"province|region|state|capital) of)"
)
_LOCATIVE = re.compile(
    rf"(?i)\b{_PREP}\s+(?:the\s+)?(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,2}}\s*(?:,|\band\b|\bor\b)\s*)?$"
)
_CONJOINED = re.compile(r"\s*,?\s+(?:and|&)\s+(?:the\s+)?(?:[A-Z][\w.'’-]*\s*){1,4}")
_NEXT_WORD = re.compile(r"\s+(?:[A-Za-z]+ly\s+)?([A-Za-z]+)\b")
_POSSESSIVE_HEAD = re.compile(r"['’]s\s+([a-z]+(?:\s+[a-z]+)?)")
# Reporting verbs whose third-person form is also a plural noun ("says", "warns"): after a
# country they are verbs. Other -s forms ("talks", "sanctions") are more often nouns there.
_SPEECH = frozenset(
    "says warns vows urges insists denies rejects accuses threatens demands announces "
    "confirms agrees refuses".split()
)


def locative(text: str, start: int) -> bool:
    """Whether the name at ``start`` is named as a setting ("in Tijuana")."""
    return bool(_LOCATIVE.search(text[max(0, start - 60) : start]))


def _verb_after(rest: str, any_case: bool, plural: bool) -> bool:
    m = _NEXT_WORD.match(rest)
    if not m:
        return False
    word = m.group(1)
    if not any_case and not word.islower():
        return False
    low = word.lower()
    if low in _SPEECH:
        return True
    if low.endswith("s") and not low.endswith("ss") and "noun" in word_classes(low[:-1]):
        return False  # "Iran talks", "Russia sanctions": a noun compound more often than not
    if is_finite_verb(low):
        return True
    classes = word_classes(low)
    return plural and "verb" in classes and "noun" not in classes


def acts(text: str, start: int, end: int, any_case: bool = False) -> bool:
    """Whether the place named at ``start:end`` acts: a finite verb follows it (past its own
    conjunct: "Russia and Ukraine confirm"), or it heads an institution ("Russia's military")."""
    if locative(text, start):
        return False
    rest = text[end : end + 80]
    pos = _POSSESSIVE_HEAD.match(rest)
    if pos:
        words = pos.group(1).split()
        heads = tables().heads
        return words[0] in heads or " ".join(words) in heads
    conj = _CONJOINED.match(rest)
    if conj:
        return _verb_after(rest[conj.end() - 1 :], any_case, plural=True)
    return _verb_after(rest, any_case, plural=False)


def is_subject(text: str, start: int, end: int, spans: Sequence[Mention]) -> bool:
    """The name opens its sentence (titles, honorifics and other names aside) and a lowercase
    word follows it."""
    prefix = sentence_prefix(text, start).strip()
    if prefix:
        words = prefix.replace(MASK, ".").split()
        t = tables()
        ok = all(
            w.lower().rstrip(".") in t.honorifics
            or w.lower().rstrip(".") in t.role_heads
            or w.lower() in t.role_modifiers
            or w.lower() in ("the", "a", "an")
            or covered(spans, start - len(prefix) + prefix.find(w)) is not None
            for w in words
        )
        if not ok or len(words) > 4:
            return False
    rest = re.sub(r"^[’']s\b", "", text[end : end + 60])
    rest = re.sub(r"^\s*,[^,]{1,60},", "", rest)
    nxt = re.match(r"\s+([a-z]\w*)", rest)
    return nxt is not None
