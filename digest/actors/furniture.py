"""Text around a name that says it is not an actor of the story: page furniture, datelines, source
credits, agency tags and journalists' bylines.

Captions, credits and promo lines name sources, photographers and outlets; a dateline names where
the report was filed (a setting, kept as a place); "told Reuters" or "(AP) -" cite a channel.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from digest.actors.names import is_agency, is_media
from digest.text.entities import Mention

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

# A body that opens with an agency or outlet tag in brackets and/or a dateline in ordinary case:
# "[Capital FM] Nairobi -- The stage is set", "Harare — The minister said".
_OPENING = re.compile(
    r"^\s*(?P<tag>\[[^\]\n]{2,60}\]\s*)?"
    r"(?P<dl>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}(?:, [A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)?)?"
    r"\s+(?:--|—|–)\s+)?"
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


def line_at(text: str, start: int) -> str:
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


def credit_context(text: str, m: Mention) -> bool:
    before = text[max(0, m.start - 30) : m.start]
    after = text[m.end : m.end + 25]
    return bool(_CUE_BEFORE.search(before) or _CUE_AFTER.match(after))


_OF_OUTLET = re.compile(r"^\s+(?:of|from|at|for|with)\s+(?:the\s+)?$", re.IGNORECASE)


def reporters(text: str, spans: Sequence[Mention]) -> set[tuple[int, int]]:
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


def opening(body: str) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The ranges of a bracketed tag and of a dateline in ordinary case at the start of ``body``
    (each None when absent). A dateline needs the tag or a dash after one to four capitalised
    words, so "Protesters -- " at the start of a sentence is a dateline only with a tag before."""
    m = _OPENING.match(body)
    if not m:
        return None, None
    tag = m.span("tag") if m.group("tag") else None
    dl = m.span("dl") if m.group("dl") else None
    return tag, dl
