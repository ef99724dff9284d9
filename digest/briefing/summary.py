"""A one-line summary per story: its most informative lead sentence.

Candidates are the first ``LEAD_SENTENCES`` reportable sentences of each distinct article in the
story (news puts the essentials first). Each candidate scores the story-wide support of its
content words: a word counts once per article whose title or lead uses it, so a sentence about
what the articles share beats one about a detail only one of them mentions; the story's title
counts as half the articles, so the summary tells the story its heading names. The sum is divided
by the square root of the word count, so length alone does not win, and lowered by
``POSITION_DECAY`` per sentence after an article's first. A sentence that only restates the
story's title, or that a feed cut off ("..."), is passed over when anything else is left.
Deterministic: ties go to the earlier article and the earlier sentence.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from digest.models import StoredItem
from digest.text import body_sentences, is_reportable, terms

__all__ = ["LEAD_SENTENCES", "MAX_CHARS", "summarise"]

LEAD_SENTENCES = 3
MAX_CHARS = 320  # longer candidates are skipped: a summary is one line, never cut mid-sentence
TITLE_ECHO = 0.8  # share of a sentence's words found in the title at which it only restates it
POSITION_DECAY = 0.15  # each later sentence of an article counts this much less (news leads first)
_CUT_OFF = re.compile(r"(?:\.\.\.|…|\[\s*(?:\.\.\.|…)\s*\])\W*$")


def _leads(item: StoredItem) -> list[str]:
    out: list[str] = []
    for sentence in body_sentences(item.article.text):
        if len(out) >= LEAD_SENTENCES:
            break
        if is_reportable(sentence):
            out.append(" ".join(sentence.split()))
    return out


def summarise(title: str, items: Sequence[StoredItem]) -> str | None:
    """The story's most informative lead sentence, or None when no article has one."""
    originals = [it for it in items if it.duplicate_of is None] or list(items)
    leads = [(it, _leads(it)) for it in originals]
    support: Counter[str] = Counter()
    for it, sentences in leads:
        words = set(terms(it.article.title))
        for s in sentences:
            words.update(terms(s))
        support.update(words)
    title_terms = set(terms(title))
    for w in title_terms:  # the heading counts as half the articles: the summary tells its story
        support[w] += max(1, len(leads) // 2)
    best: tuple[tuple[int, float, int, int], str] | None = None
    for i, (_, sentences) in enumerate(leads):
        for j, s in enumerate(sentences):
            if len(s) > MAX_CHARS:
                continue
            words = set(terms(s))
            if not words:
                continue
            echo = len(words & title_terms) / len(words) >= TITLE_ECHO
            plain = 0 if (echo or _CUT_OFF.search(s)) else 1
            value = sum(support[w] for w in words) / math.sqrt(len(words))
            value *= 1 - POSITION_DECAY * j
            key = (plain, round(value, 6), -i, -j)
            if best is None or key > best[0]:
                best = (key, s)
    return best[1] if best else None
