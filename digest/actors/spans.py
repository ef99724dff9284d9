"""What one entity span stands for: a demonym's place or group ("Kenyan officials" -> Kenya),
the names a compound span holds ("North and South Korea"), and later mentions of a name the model
tagged once but missed elsewhere ("Pedro Alves ... Alves said")."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from digest.actors import gazetteer
from digest.actors.lexicon import is_common, is_plain
from digest.actors.names import clean_name, curated, tables
from digest.models import ActorKind
from digest.text.entities import Mention


def demonym(name: str, text: str, end: int) -> tuple[str, ActorKind] | None:
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


def known_place(name: str) -> bool:
    """A country or territory: curated, the place of a demonym, or a GeoNames country."""
    return (
        curated(name) is not None
        or name in set(tables().demonym_places.values())
        or gazetteer.is_country(name)
    )


_SCORE_BETWEEN = re.compile(r"^(?P<a>[A-Z][^\d]*?)\s+\d{1,3}\s+(?P<b>[A-Z][^\d]*?)(?:\s+\d{1,3})?$")


def split_score(name: str) -> list[str]:
    """The two names of a result line the model read as one: "Atlanta 5 Pittsburgh 1" (a score
    after each), "Pohang 3 Ulsan" (two single words no dictionary holds); not "Formula 1 Group"
    or "Apollo 11 Mission Control"."""
    m = _SCORE_BETWEEN.match(name)
    if m is None:
        return [name]
    a, b = m.group("a").strip(), m.group("b").strip()
    scored = bool(re.search(r"\d$", name))
    if scored or all(" " not in w and not is_common(w) for w in (a, b)):
        return [a, b]
    return [name]


def split_compound(name: str) -> list[str]:
    """Names one span holds together: "North and South Korea" -> North Korea, South Korea;
    "U.S.-Mexico" (border) -> U.S., Mexico (only when each part is a known place)."""
    m = _CONJ.match(name)
    if m:
        parts = [f"{m.group('a')} {m.group('head')}", f"{m.group('b')} {m.group('head')}"]
        if all(known_place(p) for p in parts):
            return parts
    if "-" in name and " " not in name:
        parts = [p for p in name.split("-") if p]
        if len(parts) > 1 and all(known_place(p) for p in parts):
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


def first_pass(spans: Sequence[Mention]) -> list[tuple[str, str]]:
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
    ("Pedro Alves ... Alves said", "PEDRO ALVES" in an ALL CAPS line): whole-word, capitalised,
    never inside another span."""
    taken = [(m.start, m.end) for m in spans]
    found: list[Mention] = []
    forms = {(form, label) for name, label in names for form in (name, name.upper())}
    for name, label in sorted(forms, key=lambda nl: (-len(nl[0]), nl)):
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


_CAPS_RUN = re.compile(r"\b[A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,2}\b")


def places_in_capitals(text: str, spans: Sequence[Mention]) -> list[Mention]:
    """Places GeoNames knows, written in ALL CAPS lines the model reads poorly ("MILWAUKEE 64 71",
    "KANSAS CITY AT DETROIT"): from left to right, the longest run of one to three capitalised
    words that is a country, a US state or a city, never inside another span. A single word that
    is also an ordinary English word needs a big place ("BATH" is no place here, "LONDON" is)."""
    taken = [(m.start, m.end) for m in spans]
    found: list[Mention] = []
    a = 0
    for line in text.split("\n"):
        if line.strip() and not any(c.islower() for c in line):
            for run in _CAPS_RUN.finditer(line):
                found += _places_in_run(run, a, taken)
        a += len(line) + 1
    return found


def _places_in_run(run: re.Match[str], base: int, taken: list[tuple[int, int]]) -> list[Mention]:
    words = [(m.start() + run.start(), m.group()) for m in re.finditer(r"\S+", run.group())]
    out = []
    i = 0
    while i < len(words):
        for size in range(min(3, len(words) - i), 0, -1):
            cand = " ".join(w for _, w in words[i : i + size])
            a = base + words[i][0]
            b = a + len(cand)
            if _is_capital_place(cand, size) and not any(x < b and a < y for x, y in taken):
                out.append(Mention(cand, "GPE", a, b))
                taken.append((a, b))
                i += size
                break
        else:
            i += 1
    return out


def _is_capital_place(cand: str, size: int) -> bool:
    """A place name, and one no English word spells unless the place is a country, a US state,
    a continent or a city of ``BIG_CITY`` (an English word that is only a verb or adjective
    form never)."""
    where = gazetteer.place(cand)
    if where is None or len(cand.replace(" ", "")) < 4:
        return False
    if size > 1 or where.cls != "city" or not is_common(cand):
        return True
    return not is_plain(cand) and where.population >= gazetteer.BIG_CITY
