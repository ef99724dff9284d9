"""The headline of a page copied as text.

A dump opens with the page's ``<title>`` (headline plus site name, sometimes an SEO wording) and
prints the visible headline again above the article, among kickers ("date 2025-01-13 NORTHLAND",
"4 MIN READ"), section names, bylines and links to other stories. The headline is the line that
reads like one and is echoed: printed twice, or sharing its words with the page title or the lead.
A kicker, section, date or reading-time line never is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from digest.clean.dates import find_date
from digest.clean.lines import LineInfo, analyse_line
from digest.clean.titles import clean_title
from digest.clean.vocabulary import STOP_WORDS, WORD_RE

__all__ = ["Title", "find_title", "headline_above", "in_page_headline"]

MAX_TITLE_WORDS = 40
_ANCHOR_MIN_WORDS = 30  # prose words within 15 lines below an in-page headline
_ABOVE_LINES = 25  # how far above the body the printed headline may stand
_MIN_SHARED = 2  # content words a printed headline shares with the page title or the lead
_MIN_SHARED_SHARE = 0.3  # ... and that share of its own content words
_LEAD_LINES = 3


@dataclass(frozen=True)
class Title:
    """The headline, the keys of lines that repeat it, and where it stands above the body."""

    text: str | None
    keys: frozenset[str]
    anchor: int  # index of the in-page headline the body follows, or -1


def _echoes(key: str, info: LineInfo) -> bool:
    """The line repeats the headline, maybe glued to a breadcrumb ("HomeNewsHeadline")."""
    if not key or not info.key:
        return False
    if info.key == key:
        return True
    return info.key.endswith(key) and len(info.key) - len(key) <= 40 and len(key) >= 12


def _kicker(info: LineInfo) -> bool:
    """Not a headline: a date or reading-time line, a section label, furniture, a credit."""
    if info.furniture or info.credit or info.section_label or info.list_item or info.bare_url:
        return True
    return info.words <= 8 and find_date(info.text) is not None


def find_title(infos: list[LineInfo], title_hint: str | None) -> Title:
    """The page title (the hint, else the dump's first line unless it is a kicker), the keys of
    the lines that repeat it and the in-page headline the body follows."""
    candidates: list[str] = []
    if title_hint and title_hint.strip():
        candidates.append(clean_title(title_hint))
    opening = bool(infos) and infos[0].words >= 3 and not _kicker(infos[0])
    if opening:
        candidates.append(clean_title(infos[0].text))
    keys: set[str] = {infos[0].key} if opening else set()
    for cand in candidates:
        key = analyse_line(cand).key
        echoes = [n for n in range(1, len(infos)) if _echoes(key, infos[n])]
        if not key:
            continue
        keys.add(key)
        keys.update(infos[n].key for n in echoes)
        anchor = -1
        for n in echoes:
            following = sum(i.words for i in infos[n + 1 : n + 16] if i.prose)
            if following >= _ANCHOR_MIN_WORDS:
                anchor = n
        if anchor < 0 and echoes:
            anchor = echoes[0]
        text = infos[anchor].text if anchor >= 0 and infos[anchor].key == key else cand
        return Title(text or None, frozenset(keys), anchor)
    return Title(None, frozenset(keys), -1)


def _headline_shaped(info: LineInfo) -> bool:
    """3 to 40 words, no kicker, no teaser, and no full stop at the end (a question may be)."""
    if _kicker(info) or info.teaser or not 3 <= info.words <= MAX_TITLE_WORDS:
        return False
    if info.text.rstrip("\"'\u201d\u2019)").endswith(("?", "!")):
        return True
    return not info.prose and not info.sentence_end


def headline_above(infos: list[LineInfo], start: int) -> str | None:
    """Without a page title: the nearest headline-like line above the body."""
    for info in reversed(infos[max(0, start - 12) : start]):
        if _headline_shaped(info):
            return clean_title(info.text)
    return None


def _content(text: str) -> set[str]:
    return {
        w.lower()
        for w in WORD_RE.findall(text)
        if w.lower() not in STOP_WORDS and (len(w) >= 3 or w.isdigit())
    }


def _share(line: set[str], other: set[str]) -> float:
    """Share of the line's content words found in ``other`` (0 below the minimum overlap)."""
    shared = len(line & other)
    if not line or shared < _MIN_SHARED or shared < _MIN_SHARED_SHARE * len(line):
        return 0.0
    return shared / len(line)


def in_page_headline(infos: list[LineInfo], start: int, page_title: str | None) -> str | None:
    """The headline printed above the body: of the headline-shaped lines a few lines above it,
    the one that best echoes the page title (else, with no page title, the lead), the nearest on
    a tie. Without a page title, a line printed twice is the headline if the lead shares its
    words (share buttons and menus repeat too). The page title's SEO wording gives way to it."""
    if not 0 < start <= len(infos):
        return None
    lead = _content(" ".join(i.text for i in infos[start : start + _LEAD_LINES]))
    echo = _content(page_title) if page_title else set()
    counts: dict[str, int] = {}
    for info in infos[:start]:
        counts[info.key] = counts.get(info.key, 0) + 1
    best: tuple[float, int, str] | None = None
    for n in range(max(1, start - _ABOVE_LINES), start):
        info = infos[n]
        if not _headline_shaped(info):
            continue
        words = _content(info.text)
        score = _share(words, echo) if echo else _share(words, lead)
        if not echo and counts.get(info.key, 0) >= 2 and _share(words, lead) > 0:
            score = max(score, 1.0)
        if score > 0 and (best is None or (score, n) >= best[:2]):
            best = (score, n, info.text)
    if best is None:
        return None
    return re.sub(r"\s+", " ", clean_title(best[2])).strip() or None
