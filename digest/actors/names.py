"""Names of actors: cleaning a surface form, folding it to a comparison key, and the curated tables.

Surface forms differ in ways that say nothing about identity: possessives ("Brazil's"), curly
quotes, titles and honorifics ("Mr.", "President"), dotted acronyms ("C.I.A."), diacritics and
their transliterations ("Müller" / "Mueller"), hyphens ("Kim Jong-un"). ``clean_name`` removes
what a reader should not see; ``name_key`` folds the rest so equal keys mean "same name".
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

from digest.models import ActorKind

_SPACE = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"['’]s?$", re.IGNORECASE)
_EDGE = " \t\n.,;:-–—\"'“”‘’()[]{}*|/"
_DOTTED = re.compile(r"^(?:[A-Za-z]\.){2,}[A-Za-z]?\.?$")
_TRANSLIT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d"}
)


@dataclass(frozen=True)
class Tables:
    """The curated tables in digest/data, loaded once."""

    aliases: dict[str, tuple[str, ActorKind]]  # name key -> (canonical name, kind)
    demonym_places: dict[str, str]  # lower-cased demonym -> place name
    demonym_groups: dict[str, str]  # lower-cased party/group word -> group name
    heads: frozenset[str]  # nouns after a demonym that make it stand for its place
    agencies: frozenset[str]  # name keys of news/photo agencies
    media: frozenset[str]  # name keys of news outlets
    honorifics: frozenset[str]
    role_heads: frozenset[str]
    role_modifiers: frozenset[str]
    generic_names: frozenset[str]  # common nouns spaCy sometimes tags as a one-word name
    legal_forms: frozenset[str]  # "Inc", "plc": dropped when comparing company names
    designators: frozenset[str]  # "Airways", "Motor Company": what kind of company, not which


def _read(name: str) -> str:
    return resources.files("digest.data").joinpath(name).read_text(encoding="utf-8")


@functools.cache
def tables() -> Tables:
    raw_aliases = json.loads(_read("aliases.json"))
    aliases: dict[str, tuple[str, ActorKind]] = {}
    for canonical, entry in raw_aliases.items():
        if canonical.startswith("_"):
            continue
        for form in (canonical, *entry["aliases"]):
            aliases[name_key(form)] = (canonical, entry["kind"])
    demo = json.loads(_read("demonyms.json"))
    roles = json.loads(_read("roles.json"))
    orgs = json.loads(_read("organisations.json"))
    agencies = _name_list("agencies.txt")
    return Tables(
        aliases=aliases,
        demonym_places={k.lower(): v for k, v in demo["places"].items()},
        demonym_groups={k.lower(): v for k, v in demo["groups"].items()},
        heads=frozenset(demo["heads"]),
        agencies=agencies,
        media=_name_list("media.txt"),
        honorifics=frozenset(roles["honorifics"]),
        role_heads=frozenset(roles["heads"]),
        role_modifiers=frozenset(roles["modifiers"]),
        generic_names=frozenset(roles["generic_names"]),
        legal_forms=frozenset(orgs["legal"]),
        designators=frozenset(orgs["designators"]),
    )


def _name_list(name: str) -> frozenset[str]:
    return frozenset(
        name_key(line)
        for line in _read(name).splitlines()
        if line.strip() and not line.startswith("#")
    )


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ASCII with German-style transliteration, so "Müller" folds like "Mueller"."""
    text = text.lower().translate(_TRANSLIT)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Comparison key: folded, without a leading "the", punctuation, hyphens or spaces."""
    text = fold(name.replace("’", "'"))
    text = re.sub(r"^the\s+", "", text.strip())
    return re.sub(r"[^a-z0-9]", "", text)


def tokens(name: str) -> list[str]:
    """Folded word tokens of a name; hyphenated parts count as separate words ("Jong-un")."""
    return [t for t in re.split(r"[^a-z0-9]+", fold(name.replace("’", "'"))) if t]


def strip_title(name: str) -> tuple[str, str | None]:
    """Drop leading honorifics and titles; return the bare name and the title (None for
    honorifics)."""
    t = tables()
    words = name.split()
    title: list[str] = []
    while len(words) > 1:
        w = words[0].lower().rstrip(".")
        if w in t.honorifics:
            words = words[1:]
            continue
        if (
            w in t.role_heads
            or (title and w in t.role_modifiers)
            or (w in t.role_modifiers and words[1].lower().rstrip(".") in t.role_heads)
        ):
            title.append(words[0])
            words = words[1:]
            continue
        break
    if title and title[-1].lower() == "of":  # "Secretary of" State... keep the name intact
        return name, None
    return " ".join(words), (" ".join(title) if title else None)


@functools.lru_cache(maxsize=65536)
def clean_name(surface: str, person: bool = True) -> tuple[str, str | None]:
    """The readable name of a mention, and a title found inside it (e.g. "President"). Titles
    are only looked for in people's names ("Major League Baseball" keeps its "Major")."""
    name = _SPACE.sub(" ", surface.replace("’", "'")).strip(_EDGE)
    if name.lower().startswith("the "):
        name = name[4:]
    name = _POSSESSIVE.sub("", name).strip(_EDGE) if not _DOTTED.match(name) else name
    keep = not person or curated(name) is not None  # "General Motors" is no general
    name, title = (name, None) if keep else strip_title(name)
    if (
        _DOTTED.match(name + ("" if name.endswith(".") else "."))
        and name.replace(".", "").isupper()
    ):
        name = name.replace(".", "")  # C.I.A. -> CIA, U.S -> US
    return name.strip(_EDGE), title


def is_acronym(name: str) -> bool:
    bare = name.replace(".", "").replace("&", "")
    return 2 <= len(bare) <= 8 and bare.isalnum() and bare.isupper()


_INITIAL_SKIP = {"of", "the", "and", "for", "on", "in", "de", "la", "du", "des", "&", "to"}


def initials(name: str) -> str:
    """Initials of the significant words ("Federal Emergency Agency" -> "FEA")."""
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in _INITIAL_SKIP]
    return "".join(w[0] for w in words if w[0].isalnum()).upper()


def curated(name: str) -> tuple[str, ActorKind] | None:
    """The curated canonical name and kind for a name, if the alias table knows it."""
    return tables().aliases.get(name_key(name))


def is_agency(name: str) -> bool:
    return name_key(name) in tables().agencies


_GENERIC_OUTLET_WORDS = {
    "times",
    "post",
    "journal",
    "hill",
    "time",
    "independent",
    "guardian",
    "economist",
    "atlantic",
    "mail",
    "sun",
    "star",
    "mirror",
}


def is_media(name: str) -> bool:
    """A news outlet: by the curated list, or by the words outlets are named with."""
    media = tables().media
    if name_key(name) in media:
        return True
    words = name.split()
    for i in range(1, len(words)):  # "Breitbart London", "Fox News Channel"
        head = " ".join(words[:i])
        if name_key(head) in media and head.lower() not in _GENERIC_OUTLET_WORDS:
            return True
    return bool(
        re.search(
            r"\b(?:Times|Post|Journal|Herald|Tribune|Gazette|Daily|News|Radio|Television|TV|Broadcasting|Magazine)$",
            name,
        )
    )


def is_demonym(word: str) -> bool:
    """A demonym or party adjective from the curated table ("Kenyan", "Kenyans", "Democratic")."""
    t = tables()
    low = word.lower()
    return (
        low in t.demonym_places
        or low in t.demonym_groups
        or (low.endswith("s") and low[:-1] in t.demonym_places)
    )


def org_core(name: str) -> str:
    """A company name without its legal form ("Apple Inc." -> "Apple", "EADS N.V." -> "EADS")."""
    words = name.replace(",", " ").split()
    legal = tables().legal_forms
    while len(words) > 1 and words[-1].lower().rstrip(".") in legal:
        words.pop()
    return " ".join(words)


def demonym_names(word: str) -> list[str]:
    """The place or group a demonym can stand for ("Kenyan" -> ["Kenya"]), if the table knows it."""
    t = tables()
    low = word.lower()
    out = [t.demonym_places[k] for k in (low, low[:-1]) if k in t.demonym_places]
    return out + ([t.demonym_groups[low]] if low in t.demonym_groups else [])
