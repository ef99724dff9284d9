"""What sticks to the edges of an entity span but is no part of the name.

The model's spans pick up list bullets ("• OIC"), a bracket it did not close ("Foreign Office (FO"),
a dangling conjunction ("Merck &"), lower-case words of the sentence around them ("Thames Estuary
in", "del concierto de los Backstreet Boys") and a hyphenated participle ("Musk-owned",
"Iran-backed"). ``trim_edges`` cuts them off and says where the name now starts.
"""

from __future__ import annotations

import re

from digest.actors.lexicon import is_common

_LEAD_PUNCT = "•·*▪►◆●■–—-|/>»:;,. \t"
_TAIL_PUNCT = "&+–—-|/:;,( \t"
# One lower-case particle may open a name ("de Gaulle", "van Dijk", "al Nahyan").
_PARTICLES = frozenset(
    "de del della di da dos das do du van von der den ter la le al el bin ibn bint ben".split()
)
_PARTICIPLE = re.compile(r"-([a-z]{3,})$")


def _lower(word: str) -> bool:
    """A word of the sentence, not of a name: no capital letter or digit in it ("al-Assad" and
    "iX3" have one)."""
    return not any(c.isupper() or c.isdigit() for c in word)


def _open_bracket(text: str) -> int:
    """The position of a "(" never closed after it, or -1."""
    depth_at = -1
    for i, c in enumerate(text):
        if c == "(":
            depth_at = i if depth_at < 0 else depth_at
        elif c == ")" and depth_at >= 0:
            depth_at = -1
    return depth_at


_MONTHS = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun "
    "january february march april june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
_DATE_TAIL = re.compile(r"\s+(?:on|in|at|by|from|since|until)\s+\d.*$")  # "Bank on 1 September"
_OPENING_QUOTES = "‘“«"
_CLOSING_QUOTES = "’”»"


def _after_open_quote(text: str) -> int:
    """Where the name starts after an opening quotation mark never closed ("Trump's ‘Board of
    Peace"), or 0."""
    last = max(text.rfind(q) for q in _OPENING_QUOTES)
    if last < 0 or any(q in text[last:] for q in _CLOSING_QUOTES):
        return 0
    return last + 1 if text[last + 1 :].strip()[:1].isupper() else 0


def trim_edges(text: str) -> tuple[int, str]:
    """(offset of the kept part in ``text``, the kept part); the part may be empty."""
    text = _DATE_TAIL.sub("", text)
    start = _after_open_quote(text)
    close = text.find(")")
    if close >= 0 and "(" not in text[:close]:  # "Nigeria) Olabisi Afolabi"
        start = max(start, close + 1)
    cut = _open_bracket(text)
    if cut >= 0:
        text = text[:cut]
    words = [(m.start() + start, m.group()) for m in re.finditer(r"\S+", text[start:])]
    lower_lead = 0
    while lower_lead < len(words) and _lower(words[lower_lead][1]):
        lower_lead += 1
    if lower_lead and (lower_lead > 1 or words[0][1] not in _PARTICLES or lower_lead == len(words)):
        words = words[lower_lead:]
    if len(words) > 2 and words[-1][1].isdigit() and words[-2][1].lower().rstrip(".") in _MONTHS:
        words.pop()  # "Pauline Hanson Jan 20": a date after the name
    while words and (
        _lower(words[-1][1]) or len(words) > 1 and words[-1][1].lower().rstrip(".") in _MONTHS
    ):
        words.pop()  # "Thames Estuary in", "Pauline Hanson Jan"
    if not words:
        return 0, ""
    begin = words[0][0]
    body = text[begin : words[-1][0] + len(words[-1][1])]
    lead = len(body) - len(body.lstrip(_LEAD_PUNCT))
    body = body[lead:].rstrip(_TAIL_PUNCT)
    hyph = _PARTICIPLE.search(body)
    if hyph and (hyph.group(1).endswith(("ed", "ing")) and is_common(hyph.group(1))):
        body = body[: hyph.start()]  # "Musk-owned", "Iran-backed"
    return begin + lead, body
