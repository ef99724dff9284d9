"""From spaCy entity spans to actor mentions, using the text around each span.

This is where a span is judged: page furniture, credits, agency tags and bylines are dropped
(they name sources, not actors; ``furniture``); a dateline's place is kept as a setting; a span
in a Title Case or ALL CAPS line is kept only in the form the running text confirms (``casing``);
a demonym becomes its place only when it heads an institution ("Kenyan officials" -> Kenya,
"Kenyan coffee" -> nothing; ``spans``); a role is read from a title or an apposition (``roles``);
whether a place acts or is a setting, and the position features used for salience (headline,
lead, sentence subject), are recorded (``agency``). Pattern rules only: the dependency parser
costs more than NER.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from digest.actors import agency, casing, gazetteer
from digest.actors.cues import feature_after, has_org_head
from digest.actors.debris import trim_edges
from digest.actors.furniture import (
    credit_context,
    datelines,
    is_furniture_line,
    line_at,
    opening,
    reporters,
)
from digest.actors.lexicon import is_common, is_plain
from digest.actors.names import (
    clean_name,
    is_agency,
    is_demonym,
    is_media,
    name_key,
    tables,
)
from digest.actors.roles import MASK, apposition, mask_abbreviations, title_before
from digest.actors.spans import (
    demonym,
    first_pass,
    known_place,
    missed_repeats,
    places_in_capitals,
    split_compound,
    split_score,
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
# What the model calls an event, a work, a product or a law is no actor; its mentions are kept
# (as organisations) only to outvote the same name's other labels in the story (``evidence``).
THING_LABELS = frozenset({"EVENT", "WORK_OF_ART", "PRODUCT", "LAW"})
LEAD_CHARS = 400  # the lead: the first paragraph of the body, at most this long

_ELLIPSIS = re.compile(r"\s+(?:and|or)\s+[A-Z][\w.'’-]+\s+(?P<head>[A-Z][\w'’-]+)\b")
_IN_TITLE_OF = re.compile(
    r"(?:Secretary|Department|Minister|Ministry|Office|Committee)\s+(?:of|for)\s+(?:the\s+)?$"
)
# Heads of a government title: a one-word name right before one is the portfolio ("Defence" in
# "Defence Minister Dana Okafor"), not an organisation.
_PORTFOLIO = re.compile(r"^\s+(?:Minister|Ministry|Secretary|Department|Minister's)\b", re.I)
_ACRONYM_AFTER = re.compile(r"\s*\(\s*(?P<acr>[A-Z][A-Za-z.&]{1,9})\s*\)")
_NAME_TAIL = re.compile(r"-[a-z]{1,4}\b")
_SCORE_TAIL = re.compile(r"(?:\s+\(?[\d][\d\-/.:=]*\)?)+$")  # "Durham 114", "Kent 108-3"
_POSSESSOR = re.compile(r"^([A-Z][\w.-]*(?: [A-Z][\w.-]*)?)'s (.+)$")
_OPEN_QUOTES = frozenset("\"“‘'«")
_CLOSE_QUOTES = frozenset("\"”’'»")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


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
    acts: bool = False  # a place that acts ("Russia launched", "Kenyan officials said")
    unconfirmed: bool = False  # only ordinary words where case says nothing: needs another mention
    label: str = ""  # the model's label of the span (after the item's majority vote)
    running: bool = False  # in the body, where case can be trusted or the running text confirms it
    midcap: bool = False  # capitalised in running text, not opening a sentence
    titled: bool = False  # after a title or honorific ("President X", "Mr X")
    quoted: bool = False  # the whole span in quotation marks (a title of a work, mostly)


@dataclass(frozen=True)
class _Item:
    """What the rules need to know about one item's text, computed once."""

    text: str
    masked: str  # abbreviation dots masked, same offsets
    title_end: int
    body_start: int
    lead_end: int
    skip: tuple[tuple[int, int], ...]  # datelines and opening tags: no actor named there
    settings: tuple[tuple[int, int], ...]  # datelines: their places are settings
    unreliable: tuple[tuple[int, int], ...]  # Title Case / ALL CAPS lines
    sure: str  # the text with those lines blanked
    own: str  # the item's source, lower-cased


def _item(source: str, title: str, text: str) -> _Item:
    body_start = len(title) + 2
    para_end = text.find("\n\n", body_start)
    lead_end = min(body_start + LEAD_CHARS, para_end if para_end > 0 else len(text))
    dls = [(a + body_start, b + body_start) for a, b in datelines(text[body_start:])]
    tag, dl = opening(text[body_start:])
    skip = list(dls)
    if tag:
        skip.append((tag[0] + body_start, tag[1] + body_start))
    if dl:
        dls.append((dl[0] + body_start, dl[1] + body_start))
    unreliable = casing.unreliable_ranges(text, len(title))
    return _Item(
        text=text,
        masked=mask_abbreviations(text),
        title_end=len(title),
        body_start=body_start,
        lead_end=lead_end,
        skip=tuple(skip),
        settings=tuple(dls),
        unreliable=tuple(unreliable),
        sure=casing.sure_text(text, unreliable),
        own=source.lower(),
    )


def _inside(ranges: Sequence[tuple[int, int]], pos: int) -> bool:
    return any(a <= pos < b for a, b in ranges)


def _trim(m: Mention) -> Mention | None:
    """The span without invisible characters, bracket debris, trailing scores and (for a
    person) the rest of a hyphenated given name the model cut off."""
    text = _INVISIBLE.sub("", m.text)
    start = m.start + (len(m.text) - len(m.text.lstrip("\u200b\u200c\u200d\u2060\ufeff")))
    if "]" in text:
        cut = text.rindex("]") + 1
        start, text = start + cut, text[cut:]
    if "[" in text:
        text = text[: text.index("[")]
    lead, text = trim_edges(text)
    start += lead
    if m.label in ("PERSON", "GPE", "LOC") or re.search(r"\d{3}|\d-\d", text):
        text = _SCORE_TAIL.sub("", text)
    elif (tail := _SCORE_TAIL.search(text)) and not is_common(text[: tail.start()].split()[-1]):
        text = text[: tail.start()]  # "G. Kersey 63", not "Channel 4"
    if not re.search(r"[A-Z0-9]", text):
        return None  # "construction" after an invisible character: no name at all
    return Mention(text, m.label, start, start + len(text))


def _votes(spans: Sequence[Mention]) -> dict[str, Counter[str]]:
    votes: dict[str, Counter[str]] = {}
    for m in spans:
        if m.label in KINDS or m.label in THING_LABELS:
            votes.setdefault(name_key(clean_name(m.text, person=False)[0]), Counter())[m.label] += 1
    return votes


def _casing(m: Mention, it: _Item) -> tuple[Mention, bool] | None:
    """A span in a line whose case says nothing, in the form the running text confirms."""
    if _inside(it.unreliable, m.start):
        kept = casing.confirm(m.text, it.sure, person=m.label == "PERSON")
        if kept is None:
            return None
        name, unconfirmed = kept
        if name != m.text:
            at = m.text.lower().find(name.lower())
            start = m.start + max(0, at)
            m = Mention(name, m.label, start, start + len(name))
        return m, unconfirmed
    if m.start < it.title_end and all(is_common(w) for w in m.text.split()):
        return m, True  # only in the headline, in ordinary words: the body or registry confirms
    if " " not in m.text.strip() and is_plain(m.text):
        before = it.text[max(0, m.start - 3) : m.start].rstrip(" \"“‘'")
        if m.start == it.body_start or not before or before[-1] in ".!?\n:":
            return m, True  # "Tributes poured in": a sentence's first word, capitalised anyway
    return m, False


def _dropped(m: Mention, kind: ActorKind, name: str, it: _Item) -> bool:
    """Spans that name no actor of the story: credits, portfolios, common nouns."""
    text = it.text
    in_title = m.start < it.title_end
    if len(name) < 2 or not re.search(r"[^\W\d_]{2}", name) or name.lower() == it.own:
        return True  # "S/S", "4-1": no two letters in a row
    if (is_agency(name) or is_media(name)) and not in_title and credit_context(text, m):
        return True
    if kind == "organization" and " " not in name:
        if _IN_TITLE_OF.search(text[max(0, m.start - 40) : m.start]):
            return True  # "State" in "Secretary of State"
        if _PORTFOLIO.match(text, m.end) and is_common(name):
            return True  # "Defence" in "Defence Minister Dana Okafor"
    return kind != "person" and " " not in name and name.lower() in tables().generic_names


def _retyped(
    m: Mention, kind: ActorKind, it: _Item, spans: Sequence[Mention]
) -> tuple[ActorKind, Mention]:
    """The kind the words in and around a span say, where the model's label is less likely:
    a title makes a person ("Field Marshal Munir", "President Dana Okafor" typed ORG), an
    organisation's head word a body ("Central Hilal Committee" typed PERSON), a demonym a
    people ("Emirati" typed ORG), a lower-case feature noun after it a place ("the Tarsk
    valley")."""
    if m.label in THING_LABELS or kind in ("place", "group"):
        return kind, m
    bare = clean_name(m.text, person=False)[0]
    words = bare.split()
    plain = all(w[:1].isupper() for w in words)  # "General Confederation of Labor" is a body
    if kind == "organization" and plain and not has_org_head(bare) and not is_media(bare):
        heads = tables().role_heads
        last = max(
            (i for i, w in enumerate(words[:-1]) if w.lower().rstrip(".") in heads), default=-1
        )
        owner = re.search(r"['’]s\s*$", it.text[max(0, m.start - 4) : m.start])
        if last >= 0:  # "Field Marshal Ivo Marsk": the name after the title
            at = m.text.rfind(words[last + 1])
            return "person", Mention(m.text[at:], "PERSON", m.start + at, m.end)
        if not owner and title_before(it.masked, m.start, spans):
            return "person", m  # (not "the president's Office of Management")
    if kind == "person" and " " in m.text.strip() and has_org_head(m.text.split()[-1]):
        return "organization", m
    if len(words) == 1 and is_demonym(bare):
        return "group", Mention(m.text, "NORP", m.start, m.end)
    if feature_after(it.text, m.end):
        return "place", m
    return kind, m


def _mentions_of(
    m: Mention, item: str, source: str, it: _Item, spans: Sequence[Mention]
) -> list[ActorMention]:
    kind = KINDS.get(m.label, "organization")
    text = it.text
    in_title = m.start < it.title_end
    setting = _inside(it.settings, m.start)
    if not in_title and (_inside(it.skip, m.start) and not setting):
        return []
    if setting and kind != "place":
        return []
    if not in_title and not setting and is_furniture_line(line_at(text, m.start)):
        return []
    judged = _casing(m, it)
    if judged is None:
        return []
    m, unconfirmed = judged
    tail = _NAME_TAIL.match(text, m.end) if kind == "person" else None
    if tail:  # "Moon Jae-in": the model's span stopped at the hyphen
        m = Mention(m.text + tail.group(), m.label, m.start, tail.end())
    kind, m = _retyped(m, kind, it, spans)
    name, inner_title = clean_name(m.text, person=kind == "person")
    if setting and name.isupper() and len(name) > 4:
        name = name.title()  # "NAIROBI, March 3 -": the dateline's capitals are typography
    if _dropped(m, kind, name, it):
        return []
    acts = False
    ell = _ELLIPSIS.match(text, m.end, min(len(text), m.end + 40))
    if ell and " " not in name and kind == "place" and known_place(f"{name} {ell.group('head')}"):
        name = f"{name} {ell.group('head')}"  # "North and South Korea": "North" is North Korea
    if m.label == "NORP":
        resolved = demonym(name, text, m.end)
        if resolved is None:
            return []
        name, kind = resolved
        acts = kind == "place"  # "Kenyan officials": the state at work
    elif (kind == "place" and m.label == "GPE" or gazetteer.is_country(name)) and not setting:
        acts = agency.acts(text, m.start, m.end, any_case=_inside(it.unreliable, m.start))
    own = _POSSESSOR.match(name) if kind == "organization" else None
    if own and (known_place(own.group(1)) or gazetteer.place(own.group(1))):
        name = own.group(2)  # "Peru's Congress": the country's own body, named as the body
    parts = [
        part
        for half in split_score(name)
        for part in (split_compound(half) if kind in ("place", "organization") else [half])
    ]
    running = m.start >= it.body_start and not unconfirmed  # (a Title Case line: confirmed)
    role = None
    if kind == "person" and not _inside(it.unreliable, m.start):
        role = (
            title_before(it.masked, m.start, spans)
            or inner_title
            or apposition(it.masked, m.start, m.end, spans)
        )
    acr = _ACRONYM_AFTER.match(text, m.end, min(len(text), m.end + 16))
    acronym = None
    if acr and kind != "person" and " " in name:
        cand = acr.group("acr").replace(".", "")
        if cand.isupper() and cand[0] == name[0].upper():
            acronym = cand
    return [
        ActorMention(
            name=part,
            kind=kind,
            item=item,
            source=source,
            in_title=in_title,
            in_lead=it.body_start <= m.start < it.lead_end,
            subject=agency.is_subject(it.masked, m.start, m.end, spans),
            role=role,
            acronym=acronym,
            surface=m.text,
            start=m.start,
            locative=kind == "place" and (setting or agency.locative(text, m.start)),
            acts=acts,
            unconfirmed=unconfirmed,
            label=m.label,
            running=running,
            midcap=running and _mid_sentence(text, m.start, it.body_start),
            titled=role is not None or _honorific(it.masked, m.start, m.text),
            quoted=text[m.start - 1 : m.start] in _OPEN_QUOTES
            and text[m.end : m.end + 1] in _CLOSE_QUOTES,
        )
        for part in parts
    ]


def _mid_sentence(text: str, start: int, body_start: int) -> bool:
    """Whether the word at ``start`` stands inside a sentence, where a capital marks a name."""
    before = text[max(body_start, start - 4) : start].rstrip(" \t\"“‘'(")
    return bool(before) and before[-1] not in ".!?\n:;•-–—|])"


def _honorific(masked: str, start: int, surface: str) -> bool:
    """ "Mr Okafor", "Dr. Okafor": an honorific before the name or opening its span."""
    honorifics = tables().honorifics
    first = surface.split()[0].lower().rstrip(".") if surface.split() else ""
    before = masked[max(0, start - 12) : start].split()
    prev = before[-1].replace(MASK, ".").lower().rstrip(".") if before else ""
    return first in honorifics or prev in honorifics


def actor_mentions(
    item: str, source: str, title: str, text: str, spans: Sequence[Mention]
) -> list[ActorMention]:
    """Actor mentions of one item; ``text`` is ``analysed_text`` and ``title`` its first part."""
    it = _item(source, title, text)
    spans = [t for t in map(_trim, spans) if t is not None]
    extra = missed_repeats(text, spans, first_pass(spans))
    extra += places_in_capitals(text, [*spans, *extra])
    credits = reporters(text, spans)
    votes = _votes(spans)
    out: list[ActorMention] = []
    for m in sorted([*spans, *extra], key=lambda s: s.start):
        vote = votes.get(name_key(clean_name(m.text, person=False)[0]))
        if vote and (m.label in KINDS or m.label in THING_LABELS):
            top, n = vote.most_common(1)[0]
            if n > vote[m.label]:
                m = Mention(m.text, top, m.start, m.end)  # the same string's majority label
        if (m.label not in KINDS and m.label not in THING_LABELS) or (m.start, m.end) in credits:
            continue
        out.extend(_mentions_of(m, item, source, it, spans))
    return out
