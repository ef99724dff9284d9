"""Roles of people, read from the text around their names: a title before the name ("Foreign
Minister Pedro Alves", "the group's political bureau chief Dana Okafor") or an apposition
("Dana Whitfield, director of the weather service,"). The whole title as written is kept, and a
title never reaches across another person's name ("President X and Ford CEO Y": Y is the CEO).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from digest.actors.lexicon import FUNCTION_WORDS, word_classes
from digest.actors.names import is_acronym, tables
from digest.text.entities import Mention

_SENTENCE_END = re.compile(r"(?:(?<=[a-z0-9)]{2}[.!?])|(?<=[.!?][\"”]))\s+|\n")
_WORD = re.compile(r"[\w'’.\u2024-]+")
MASK = "\u2024"  # stands for the dot of an abbreviation ("Mr.") so it ends no sentence or phrase
_ABBREV = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|Prof|Jr|Sr|No|Inc|Co|Corp|Ltd|Mt|Ft|Adm|Maj|[A-Z])\.(?=\s|[A-Z])"
)


def mask_abbreviations(text: str) -> str:
    """The text with abbreviation dots replaced by ``MASK`` (same length, so offsets hold)."""
    return _ABBREV.sub(lambda m: m.group()[:-1] + MASK, text)


_NOT_ROLE_START = {
    "who",
    "which",
    "that",
    "said",
    "says",
    "told",
    "added",
    "but",
    "and",
    "while",
    "when",
    "as",
    "in",
    "on",
    "at",
}


def sentence_prefix(text: str, start: int) -> str:
    window = text[max(0, start - 160) : start]
    cut = 0
    for m in _SENTENCE_END.finditer(window):
        cut = m.end()
    return window[cut:]


def covered(spans: Sequence[Mention], pos: int) -> Mention | None:
    for s in spans:
        if s.start <= pos < s.end:
            return s
    return None


_DETERMINERS = {"the", "its", "their", "his", "her", "our", "a", "an"}
_MAX_DESCRIPTIVE = 4  # lowercase words before a title's head word ("political bureau chief")


# Words after which a word that can be a verb is one ("to remove", "will name", "who heads").
_VERB_CONTEXT = frozenset(
    "to will would can could should shall may might must do does did who which that he she they "
    "it we i".split()
)


def _descriptive(tok: str, before: str) -> bool:
    """A lowercase noun or adjective that can describe a title ("political", "bureau", "rights"
    in "civil rights leader"), and is not used as a verb: a word that can be both is a verb after
    "to", a modal or a pronoun ("voted to remove interim President X")."""
    low = tok.lower()
    if not tok.islower() or low in FUNCTION_WORDS:
        return False
    classes = word_classes(low)
    if not {"noun", "adj"} & classes:
        return False
    return "verb" not in classes or before.lower() not in _VERB_CONTEXT


def _title_words(prefix: str, base: int, spans: Sequence[Mention]) -> tuple[list[str], bool]:
    """The words of a title that ends right before ``base + len(prefix)``, and whether it has a
    head word (minister, director...)."""
    t = tables()
    picked: list[str] = []
    has_head = False
    extra = 0
    for w in reversed(list(_WORD.finditer(prefix))):
        tok = w.group()
        if prefix[w.end() :].strip():  # punctuation after this word (a comma ends a title)
            break
        low = tok.replace(MASK, ".").lower().rstrip(".").replace("’", "'")
        bare = re.sub(r"'s$", "", low)
        if not picked and bare in t.honorifics:
            prefix = prefix[: w.start()]
            continue
        entity = covered(spans, base + w.start())
        if entity is not None and entity.label == "PERSON":
            break  # a neighbour's name: what stands before it is their title
        if bare in t.role_heads:
            has_head = True
        elif (
            bare in t.role_modifiers
            or low in t.role_modifiers
            or tok[0].isupper()
            and (entity is not None or bare in t.demonym_places or is_acronym(tok))
        ):
            pass
        elif has_head and low != bare and tok[0].islower():
            picked.insert(0, tok)  # "the group's political bureau chief": the owner ends it
            if (p := prefix[: w.start()].split()) and p[-1].lower() in _DETERMINERS:
                picked.insert(0, p[-1])
            break
        elif (
            has_head
            and extra < _MAX_DESCRIPTIVE
            and _descriptive(tok, (prefix[: w.start()].split() or [""])[-1])
        ):
            extra += 1
        else:
            break
        picked.insert(0, tok)
        prefix = prefix[: w.start()]
    return picked, has_head


def title_before(text: str, start: int, spans: Sequence[Mention]) -> str | None:
    """A title right before a name: "Foreign Minister", "CIA Director", "Kenya's health
    minister", "the group's political bureau chief"."""
    prefix = sentence_prefix(text, start)
    picked, has_head = _title_words(prefix, start - len(prefix), spans)
    while picked and picked[0].lower() in ("of", "and", "for", "a", "an"):
        picked.pop(0)
    if picked and picked[0].lower() == "the" and (len(picked) < 2 or "'" not in picked[1]):
        picked.pop(0)
    if not has_head or not picked:
        return None
    last = picked[-1].lower().rstrip(".")
    if last in ("of", "and", "the", "for"):
        return None
    return " ".join(picked).replace(MASK, ".")


_APPOS_AFTER = re.compile(
    r"\s*,\s*(?:\d{1,3}\s*,\s*)?(?P<role>(?:[^,;:()\n!?.\"“”]|\.(?=\S)){2,90}?)\s*(?:,|;|\.(?:\s|$)|\)|—|–|$)"
)
_APPOS_BEFORE = re.compile(
    r"(?:^|[,;:]\s+|\b(?i:said|says|according to|by|with|and)\s+)"
    r"(?P<role>(?:the|its|their|his|her|a|an)\s+"
    r"(?:[^,;:()\n!?.\"“”]|\.(?=\S)){2,90}?),\s*$"
)


def _role_phrase(phrase: str) -> str | None:
    t = tables()
    words = phrase.split()
    if not 1 <= len(words) <= 9 or words[0].lower() in _NOT_ROLE_START:
        return None
    lows = [re.sub(r"['’]s$", "", w.lower().strip(".,")) for w in words]
    if not any(w in t.role_heads for w in lows):
        return None
    if any(w in ("said", "says", "told", "was", "is", "has", "had", "will", "would") for w in lows):
        return None
    if lows[0] in ("a", "an") or (
        lows[0] == "the" and len(words) > 1 and not re.search(r"['’]s$", words[1])
    ):
        words = words[1:]
    return " ".join(words) or None


def apposition(text: str, start: int, end: int, spans: Sequence[Mention] = ()) -> str | None:
    """A role in an apposition: "Dana Whitfield, director of ...," or "the party's leader, Dana"."""

    def names_someone(a: int, b: int) -> bool:
        return any(s.label == "PERSON" and a <= s.start < b for s in spans)

    m = _APPOS_AFTER.match(text, end, min(len(text), end + 140))
    if m and not names_someone(m.start("role"), m.start("role") + 1):
        role = _role_phrase(m.group("role").replace(MASK, "."))
        if role:
            return role
    prefix = sentence_prefix(text, start)
    m = _APPOS_BEFORE.search(prefix)
    base = start - len(prefix)
    if m and not names_someone(base + m.start("role"), base + m.end("role")):
        return _role_phrase(m.group("role").replace(MASK, "."))
    return None
