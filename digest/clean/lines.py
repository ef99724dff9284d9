"""Per-line signals for the text-dump cleaner: shape, language-neutral prose cues and furniture.

Each line of a dump gets a ``LineInfo``: how many words it has, whether it ends like a sentence,
how title-cased and how function-word-dense it is, and whether it matches a furniture shape
(an "N MIN READ" line, a share prompt, a photo credit...). The shapes are generic page
vocabulary, not strings from any one site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from digest.clean.memory import line_key
from digest.clean.vocabulary import (
    AGENCY_CORE,
    AGENCY_WORDS,
    ARTICLE_END_RE,
    AUTHOR_BOX_RE,
    CJK_RE,
    CLOCK_RE,
    COMMENTER_RE,
    COMMENTS_START_RE,
    CREDIT_RE,
    EMBED_ATTRIBUTION_RE,
    FURNITURE_RE,
    GLUED_LABEL_RE,
    INNER_SENTENCE_RE,
    LIST_ITEM_RE,
    SENTENCE_END_RE,
    STOP_WORDS,
    TAIL_LABEL_RE,
    TEASER_RE,
    URL_RE,
    WORD_RE,
)

__all__ = ["LineInfo", "analyse_line", "strip_glued_label"]

_SAMPLE_CHARS = 2000


@dataclass(frozen=True)
class LineInfo:
    """Signals for one non-empty line of a dump."""

    text: str
    key: str
    words: int
    sentence_end: bool
    inner_sentences: int
    title_case: float
    stop_density: float
    furniture: bool
    glued_label: bool
    thread_start: bool = False
    teaser: bool = False
    section_label: bool = False
    credit: bool = False
    list_item: bool = False
    bare_url: bool = False
    embed_attribution: bool = False  # "— Dana Roe (@danaroe) November 18, 2019"

    @property
    def prose(self) -> bool:
        """Reads like running text: long enough and ending like a sentence."""
        if self.furniture or self.teaser:
            return False
        if self.title_case >= 0.75 and self.words <= 20 and self.inner_sentences == 0:
            return False
        if self.words >= 10 and self.sentence_end:
            return True
        if self.words >= 6 and self.sentence_end and self.stop_density >= 0.25:
            return True
        return self.words >= 25 and (self.stop_density >= 0.15 or self.inner_sentences >= 1)

    @property
    def headline_like(self) -> bool:
        """A short title-case line without final punctuation (a link to another story)."""
        return (
            3 <= self.words <= 20
            and not self.sentence_end
            and (self.title_case >= 0.6 or self.stop_density < 0.2)
        )


def _count_words(text: str) -> tuple[int, list[str]]:
    tokens = WORD_RE.findall(text)
    cjk = len(CJK_RE.findall(text))
    if cjk:
        tokens_no_cjk = [t for t in tokens if not CJK_RE.search(t)]
        return len(tokens_no_cjk) + cjk // 2, tokens_no_cjk
    return len(tokens), tokens


def _is_agency_line(tokens: list[str]) -> bool:
    low = [t.lower() for t in tokens]
    if not 1 <= len(low) <= 10:
        return False
    return any(t in AGENCY_CORE for t in low) and all(t in AGENCY_WORDS for t in low)


def strip_glued_label(text: str) -> tuple[str, bool]:
    """Remove a section label glued to a headline ("RelatedCity council..."); True if removed."""
    m = GLUED_LABEL_RE.match(text)
    if not m or m.end() >= len(text):
        return text, False
    return text[m.end() :], True


@lru_cache(maxsize=8192)
def analyse_line(text: str) -> LineInfo:
    """Compute the signals of one stripped, non-empty line."""
    stripped, glued = strip_glued_label(text)
    words, tokens = _count_words(stripped)
    alpha = [t for t in tokens if t[:1].isalpha()]
    cased = [t for t in alpha if t[:1].isupper() or t[:1].islower()]
    title_case = sum(1 for t in cased if t[:1].isupper()) / len(cased) if len(cased) >= 2 else 0.0
    stop_density = sum(1 for t in alpha if t.lower() in STOP_WORDS) / len(alpha) if alpha else 0.0
    # Patterns look at the start and the end of a line only: a pathological 10 MB line must not
    # cost seconds, and furniture is short anyway.
    sample = (
        stripped
        if len(stripped) <= _SAMPLE_CHARS
        else (stripped[: _SAMPLE_CHARS // 2] + "\n" + stripped[-_SAMPLE_CHARS // 4 :])
    )
    credit = bool(CREDIT_RE.search(sample))
    furniture = (
        credit
        or glued
        or COMMENTER_RE.search(sample) is not None
        and words <= 4
        or _is_agency_line(tokens)
        or FURNITURE_RE.search(sample) is not None
    )
    if furniture and words >= 30 and stop_density >= 0.2:
        # A real paragraph that happens to mention a share, a cookie or a photo.
        furniture = bool(re.search(r"\bcookies?\b", sample, re.IGNORECASE))
    section_label = words <= 6 and bool(TAIL_LABEL_RE.search(sample))
    thread_start = (
        words <= 12
        and bool(COMMENTS_START_RE.search(sample) or ARTICLE_END_RE.search(sample))
        or (words <= 5 and bool(AUTHOR_BOX_RE.search(sample)))
        or (bool(COMMENTER_RE.search(sample)) and (words <= 4 or bool(CLOCK_RE.search(sample))))
    )
    return LineInfo(
        teaser=bool(TEASER_RE.search(stripped[-_SAMPLE_CHARS // 4 :])),
        section_label=section_label,
        credit=credit,
        list_item=bool(LIST_ITEM_RE.match(stripped)),
        embed_attribution=bool(EMBED_ATTRIBUTION_RE.match(stripped)),
        bare_url=bool(URL_RE.fullmatch(stripped)),
        text=stripped,
        thread_start=thread_start,
        key=line_key(stripped),
        words=words,
        sentence_end=bool(SENTENCE_END_RE.search(stripped)),
        inner_sentences=len(INNER_SENTENCE_RE.findall(stripped)),
        title_case=title_case,
        stop_density=stop_density,
        furniture=furniture or section_label,
        glued_label=glued,
    )
