"""From spaCy entity spans to actor mentions, using the text around each span.

This is where a span is judged: page furniture, datelines, photo credits and agency bylines are
dropped (they name sources, not actors); a demonym becomes its place only when it heads an
institution ("Kenyan officials" -> Kenya, "Kenyan coffee" -> nothing); a role is read from the
title before a name ("Foreign Minister Pedro Alves") or an apposition around it ("Dana Whitfield,
director of the weather service"); and the position features used for salience (headline, lead,
sentence subject) are recorded. Pattern rules only: the dependency parser costs more than NER.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from digest.actors.names import (
    clean_name,
    curated,
    is_acronym,
    is_agency,
    is_media,
    name_key,
    tables,
)
from digest.models import ActorKind
from digest.text.entities import Mention

KINDS: dict[str, ActorKind] = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "NORP": "group",
}
LEAD_CHARS = 400  # the lead: the first paragraph of the body, at most this long

_FURNITURE = re.compile(
    r"(?i)(?:\b(?:photo(?:graph)?s?|image|picture|credit|copyright|getty|file photo|caption|"
    r"illustration|read more|"
    r"related(?: articles?| stories| coverage)?:|subscribe|sign up|newsletter|follow (?:us|him|"
    r"her)|advertisement|click here|"
    r"all rights reserved|share this|watch:|video:|listen:)\b|©)"
)
_BYLINE = re.compile(
    r"^\s*(?:by|from|reporting by|writing by|editing by|additional reporting by)\s+[A-Z]",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^(?P<dl>[A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3}(?:,\s*[A-Z][A-Za-z.]{1,15}"
    r"(?: [A-Z][A-Za-z.]{1,15})?)?"
    r"(?:,?\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}))?"
    r"\s*(?:\([^)\n]{1,40}\))?\s*(?:[-—–:]+|$))",
    re.MULTILINE,
)
_CUE_BEFORE = re.compile(
    r"(?i)(?:\b(?:told|to|said|according to|citing|cited|quoted by|quoted in|via|by|from|"
    r"reporting by|contributed|"
    r"interview with|speaking to|spoke to|reported in|published by|obtained by|reports? in|on|"
    r"took to|in an?)"
    r"(?:\s+the)?\s*$|[/|©]\s*$|\(\s*$)"
)
_CUE_AFTER = re.compile(
    r"(?i)^\s*(?:\)|/|(?:first |previously |also |has |had )?reported|said|says|reports|wrote|"
    r"writes|published|obtained|"
    r"news agency|agency|photo|contributed|quoted|cited|interview|message|post|posts|account|feed|"
    r"video|live)"
)
_PREP = (
    r"(?:in|at|near|from|to|across|outside|inside|into|around|throughout|within|toward|towards|"
    r"between|along|through|over|via|"
    r"(?:centre|center|district|outskirts|city|streets|town|heart|part|parts|edge|suburbs?|"
    r"province|region|state|capital) of)"
)
_LOCATIVE = re.compile(
    rf"(?i)\b{_PREP}\s+(?:the\s+)?(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,2}}\s*(?:,|\band\b|\bor\b)\s*)?$"
)
_ELLIPSIS = re.compile(r"\s+(?:and|or)\s+[A-Z][\w.'’-]+\s+(?P<head>[A-Z][\w'’-]+)\b")
_IN_TITLE_OF = re.compile(
    r"(?:Secretary|Department|Minister|Ministry|Office|Committee)\s+(?:of|for)\s+(?:the\s+)?$"
)
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


@dataclass(frozen=True)
class ActorMention:
    """One mention that names an actor, with what the text around it says."""

    name: str  # cleaned surface form ("Okafor", "Kenya", "FEA")
    kind: ActorKind
    item: str = ""  # id of the item it was found in
    source: str = ""  # that item's source
    in_title: bool = False
    in_lead: bool = False
    subject: bool = False  # opens its sentence (a cheap stand-in for grammatical subject)
    role: str | None = None
    acronym: str | None = None  # defined right after it: "Federal Emergency Agency (FEA)"
    surface: str = ""  # the text as written, before cleaning
    start: int = -1  # character offset of the span in the analysed text
    locative: bool = False  # a place named as a setting ("in Tijuana"), not as an agent


def datelines(text: str) -> list[tuple[int, int]]:
    """Character ranges of datelines ("NAIROBI, March 3 (Reuters) -") at the start of lines."""
    out = []
    for m in _DATELINE.finditer(text):
        head = m.group("dl")
        if len(head.strip()) < 3 or not re.search(r"[A-Z]{2}", head):
            continue
        line_end = text.find("\n", m.start())
        rest = text[m.end() : line_end if line_end >= 0 else len(text)]
        if not re.search(r"[-—–:(]", head) and rest.strip():
            continue  # an all-caps phrase opening a sentence, not a dateline
        out.append((m.start(), m.end()))
    return out


def _line(text: str, start: int) -> str:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", start)
    return text[a : b if b >= 0 else len(text)]


@functools.lru_cache(maxsize=4096)
def is_furniture_line(line: str) -> bool:
    """Captions, credits, bylines and promo lines: whatever they name is not the story's actor.

    Cached, and the word count is checked before the regexes: a paragraph of prose (most lines)
    is never furniture, and one line holds many mentions."""
    words = len(line.split())
    if words > 30:
        return False
    if words <= 12 and _BYLINE.match(line):
        return True
    return bool(_FURNITURE.search(line))


def _credit_context(text: str, m: Mention) -> bool:
    before = text[max(0, m.start - 30) : m.start]
    after = text[m.end : m.end + 25]
    return bool(_CUE_BEFORE.search(before) or _CUE_AFTER.match(after))


def _sentence_prefix(text: str, start: int) -> str:
    window = text[max(0, start - 160) : start]
    cut = 0
    for m in _SENTENCE_END.finditer(window):
        cut = m.end()
    return window[cut:]


def _covered(spans: Sequence[Mention], pos: int) -> Mention | None:
    for s in spans:
        if s.start <= pos < s.end:
            return s
    return None


def title_before(text: str, start: int, spans: Sequence[Mention]) -> str | None:
    """A title right before a name: "Foreign Minister", "CIA Director", "Kenya's health
    minister"."""
    t = tables()
    prefix = _sentence_prefix(text, start)
    words = list(_WORD.finditer(prefix))
    base = start - len(prefix)
    picked: list[str] = []
    has_head = False
    for w in reversed(words):
        tok = w.group()
        tail = prefix[w.end() :]
        if tail.strip():  # punctuation between this word and the next (a comma ends a title)
            break
        low = tok.replace(MASK, ".").lower().rstrip(".").replace("’", "'")
        bare = re.sub(r"'s$", "", low)
        if not picked and bare in t.honorifics:
            prefix = prefix[: w.start()]
            continue
        entity = _covered(spans, base + w.start())
        if bare in t.role_heads:
            has_head = True
        elif (
            bare in t.role_modifiers
            or low in t.role_modifiers
            or tok[0].isupper()
            and (entity is not None or bare in t.demonym_places or is_acronym(tok))
        ):
            pass
        else:
            break
        picked.insert(0, tok)
        prefix = prefix[: w.start()]
    while picked and picked[0].lower() in ("of", "the", "and", "for", "a", "an"):
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
    prefix = _sentence_prefix(text, start)
    m = _APPOS_BEFORE.search(prefix)
    base = start - len(prefix)
    if m and not names_someone(base + m.start("role"), base + m.end("role")):
        return _role_phrase(m.group("role").replace(MASK, "."))
    return None


_ACRONYM_AFTER = re.compile(r"\s*\(\s*(?P<acr>[A-Z][A-Za-z.&]{1,9})\s*\)")


def _is_subject(text: str, start: int, end: int, spans: Sequence[Mention]) -> bool:
    prefix = _sentence_prefix(text, start).strip()
    if prefix:
        words = prefix.replace(MASK, ".").split()
        t = tables()
        ok = all(
            w.lower().rstrip(".") in t.honorifics
            or w.lower().rstrip(".") in t.role_heads
            or w.lower() in t.role_modifiers
            or w.lower() in ("the", "a", "an")
            or _covered(spans, start - len(prefix) + prefix.find(w)) is not None
            for w in words
        )
        if not ok or len(words) > 4:
            return False
    rest = re.sub(r"^[’']s\b", "", text[end : end + 60])
    rest = re.sub(r"^\s*,[^,]{1,60},", "", rest)
    nxt = re.match(r"\s+([a-z]\w*)", rest)
    return nxt is not None


def _demonym(name: str, text: str, end: int) -> tuple[str, ActorKind] | None:
    """The place or group a NORP mention stands for, or None for a plain adjective."""
    t = tables()
    low = name.lower()
    after = text[end : end + 40].lower()
    nxt = re.findall(r"[a-z][a-z'-]*", after)[:2]
    heads = t.heads | t.role_heads
    heads_next = bool(nxt) and (nxt[0] in heads or " ".join(nxt) in heads)
    if low in t.demonym_groups:
        if low.endswith("s") or heads_next or low == name.lower() and name.endswith("s"):
            return t.demonym_groups[low], "group"
        return None
    singular = low[:-1] if low.endswith("s") and low[:-1] in t.demonym_places else low
    if singular in t.demonym_places:
        if heads_next and singular == low:
            return t.demonym_places[singular], "place"
        if low != singular:
            return name, "group"  # "Kenyans", "the Ukrainians": the people as a group
        return None
    if low.endswith("s") and name[:1].isupper() and not heads_next:
        return name, "group"  # "Palestinians", "Rohingyas", "Catholics"
    if (
        heads_next
        and low.endswith("s") is False
        and nxt
        and nxt[0] in ("party", "members", "lawmakers", "leaders", "government")
    ):
        return name, "group"
    return None


_CONJ = re.compile(r"^(?P<a>[A-Z][\w.'’]*) (?:and|&) (?P<b>[A-Z][\w.'’]*) (?P<head>[A-Z][\w'’-]*)$")


def _known_place(name: str) -> bool:
    return curated(name) is not None or name in set(tables().demonym_places.values())


def split_compound(name: str) -> list[str]:
    """Names one span holds together: "North and South Korea" -> North Korea, South Korea;
    "U.S.-Mexico" (border) -> U.S., Mexico (only when each part is a known place)."""
    m = _CONJ.match(name)
    if m:
        parts = [f"{m.group('a')} {m.group('head')}", f"{m.group('b')} {m.group('head')}"]
        if all(_known_place(p) for p in parts):
            return parts
    if "-" in name and " " not in name:
        parts = [p for p in name.split("-") if p]
        if len(parts) > 1 and all(_known_place(p) for p in parts):
            return parts
    return [name]


_NOT_SURNAME = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
}


def _first_pass(spans: Sequence[Mention]) -> list[tuple[str, str]]:
    """(surface, label) of the names worth looking for again: full person names and their
    surnames, and multi-word organisation and place names."""
    out: list[tuple[str, str]] = []
    for m in spans:
        if m.label not in ("PERSON", "ORG", "GPE", "LOC"):
            continue
        name, _ = clean_name(m.text)
        words = name.split()
        if len(words) < 2 or not all(w[:1].isupper() for w in words):
            continue
        out.append((name, m.label))
        if m.label == "PERSON" and words[-1].lower().strip(".") not in _NOT_SURNAME | {
            "jr",
            "sr",
            "ii",
            "iii",
        }:
            out.append((words[-1], "PERSON"))
    return out


@functools.lru_cache(maxsize=8192)
def _whole_name(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.-]){re.escape(name)}(?![\w-])")


def missed_repeats(
    text: str, spans: Sequence[Mention], names: Sequence[tuple[str, str]]
) -> list[Mention]:
    """Later mentions of a name the model tagged once but missed elsewhere in the same text
    ("Pedro Alves ... Alves said"): whole-word, capitalised, never inside another span."""
    taken = [(m.start, m.end) for m in spans]
    found: list[Mention] = []
    for name, label in sorted(set(names), key=lambda nl: -len(nl[0])):
        for mt in _whole_name(name).finditer(text):
            a, b = mt.start(), mt.end()
            if any(x < b and a < y for x, y in taken):
                continue
            if " " not in name and re.search(
                r"(?i)\b(?:in|on|of|since|until|by|last|next)\s+$", text[max(0, a - 8) : a]
            ):
                continue  # "in May": a month, not Theresa May
            taken.append((a, b))
            found.append(Mention(name, label, a, b))
    return found


_NAME_TAIL = re.compile(r"-[a-z]{1,4}\b")
_OF_OUTLET = re.compile(r"^\s+(?:of|from|at|for|with)\s+(?:the\s+)?$", re.IGNORECASE)


def _reporters(text: str, spans: Sequence[Mention]) -> set[tuple[int, int]]:
    """Spans of journalist credits: "Jennifer Jacobs of Bloomberg News" names a source twice."""
    out: set[tuple[int, int]] = set()
    people = {m.end: m for m in spans if m.label == "PERSON"}
    for m in spans:
        if m.label != "ORG" or not (is_media(m.text) or is_agency(m.text)):
            continue
        for end, person in people.items():
            if end < m.start and _OF_OUTLET.match(text[end : m.start]):
                out.update({(person.start, person.end), (m.start, m.end)})
    return out


def actor_mentions(
    item: str, source: str, title: str, text: str, spans: Sequence[Mention]
) -> list[ActorMention]:
    """Actor mentions of one item; ``text`` is ``analysed_text`` and ``title`` its first part."""
    title_end = len(title)
    body_start = title_end + 2
    para_end = text.find("\n\n", body_start)
    lead_end = min(body_start + LEAD_CHARS, para_end if para_end > 0 else len(text))
    dls = datelines(text[body_start:])
    dls = [(a + body_start, b + body_start) for a, b in dls]
    own = source.lower()
    out: list[ActorMention] = []
    spans = list(spans)
    extra = missed_repeats(text, spans, _first_pass(spans))
    reporters = _reporters(text, spans)
    masked = mask_abbreviations(text)
    votes: dict[str, Counter[str]] = {}
    for m in spans:
        if m.label in KINDS:
            votes.setdefault(name_key(clean_name(m.text, person=False)[0]), Counter())[m.label] += 1
    for m in sorted([*spans, *extra], key=lambda s: s.start):
        vote = votes.get(name_key(clean_name(m.text, person=False)[0]))
        if vote and m.label in KINDS:
            top, n = vote.most_common(1)[0]
            if n > vote[m.label]:
                m = Mention(m.text, top, m.start, m.end)  # the same string's majority label
        kind = KINDS.get(m.label)
        if kind is None or (m.start, m.end) in reporters:
            continue
        in_title = m.start < title_end
        if not in_title:
            if any(a <= m.start < b for a, b in dls):
                continue
            if is_furniture_line(_line(text, m.start)):
                continue
        tail = _NAME_TAIL.match(text, m.end) if kind == "person" else None
        if tail:  # "Moon Jae-in": the model's span stopped at the hyphen
            m = Mention(m.text + tail.group(), m.label, m.start, tail.end())
        name, inner_title = clean_name(m.text, person=kind == "person")
        if len(name) < 2 or not any(c.isalpha() for c in name) or name.lower() == own:
            continue
        if (is_agency(name) or is_media(name)) and not in_title and _credit_context(text, m):
            continue
        if (
            kind == "organization"
            and " " not in name
            and _IN_TITLE_OF.search(text[max(0, m.start - 40) : m.start])
        ):
            continue  # "State" in "Secretary of State"
        ell = _ELLIPSIS.match(text, m.end, min(len(text), m.end + 40))
        if (
            ell
            and " " not in name
            and kind == "place"
            and _known_place(f"{name} {ell.group('head')}")
        ):
            name = f"{name} {ell.group('head')}"  # "North and South Korea": "North" is North Korea
        if m.label == "NORP":
            resolved = _demonym(name, text, m.end)
            if resolved is None:
                continue
            name, kind = resolved
        if kind != "person" and " " not in name and name.lower() in tables().generic_names:
            continue  # "Department", "Committee": a common noun tagged as a name
        parts = split_compound(name) if kind in ("place", "organization") else [name]
        role = None
        if kind == "person":
            role = (
                title_before(masked, m.start, spans)
                or inner_title
                or apposition(masked, m.start, m.end, spans)
            )
        acr = _ACRONYM_AFTER.match(text, m.end, min(len(text), m.end + 16))
        acronym = None
        if acr and kind != "person" and " " in name:
            cand = acr.group("acr").replace(".", "")
            if cand.isupper() and cand[0] == name[0].upper():
                acronym = cand
        out.extend(
            ActorMention(
                name=part,
                kind=kind,
                item=item,
                source=source,
                in_title=in_title,
                in_lead=body_start <= m.start < lead_end,
                subject=_is_subject(masked, m.start, m.end, spans),
                role=role,
                acronym=acronym,
                surface=m.text,
                start=m.start,
                locative=kind == "place"
                and bool(_LOCATIVE.search(text[max(0, m.start - 60) : m.start])),
            )
            for part in parts
        )
    return out
