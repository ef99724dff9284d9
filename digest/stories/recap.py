"""Recap evidence: a follow-up restates what its story reported recently.

A day's incident in a long-running story (a war, a crisis, a trial) shares few words with the
story's accumulated profile: its lead is about today. Its background paragraph, though, restates
what the story reported in its last days, in the same or in new words. When the vector similarity
leaves a group just short of a stored story, the group still joins it if enough of its sentences
are already *known* to the story's recent items, by the developments stage's novelty measure
(``digest.text.novelty.History``: rare words and word pairs used before, not exact strings).

A restated sentence must also name the story's own people and places. An article about another
event written on the same template (the same sentences with other names and figures) restates
nothing: its names are unknown to the story.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from digest.text.novelty import CALENDAR_WORDS, History, body_sentences, is_reportable

KNOWN_NAMES = 0.8  # a restated sentence has at least this share of its names in the story
# restated sentences whose names the story knows outnumber those naming strangers by this factor
KNOWN_MAJORITY = 1.5
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
# capitalised words that are not names: calendar words ("May" mid-sentence is the month), titles
_NOT_NAMES = CALENDAR_WORDS | {"may", "dr", "mr", "mrs", "ms"}


@dataclass(frozen=True)
class Recap:
    """How many of a group's sentences restate a story's recent reports."""

    restated: int
    sentences: int

    @property
    def share(self) -> float:
        return self.restated / self.sentences if self.sentences else 0.0

    def describe(self) -> str:
        """The "why" of a join made on this evidence."""
        return f"restates {self.restated} of {self.sentences} sentences of recent reports"


def group_sentences(texts: Iterable[str]) -> list[str]:
    """The statements of a group's bodies (no furniture, captions or questions)."""
    return [s for text in texts for s in body_sentences(text) if is_reportable(s)]


def measure_recap(
    sentences: Sequence[str], recent: Sequence[tuple[str, str]], max_novelty: float
) -> Recap:
    """How many of ``sentences`` restate the story's ``recent`` items (title, body pairs).

    A sentence is restated when its novelty against those items is at most ``max_novelty`` and
    its names (capitalised words after the first) are mostly known to them; a sentence without
    names counts on novelty alone. None count unless the restated sentences that name the story's
    own actors outnumber those naming strangers ``KNOWN_MAJORITY`` to 1 (one at least): generic
    wording alone, or a template told with other names, is not a recap.
    """
    if not sentences or not recent:
        return Recap(0, len(sentences))
    history = History(s for title, text in recent for s in (title, *body_sentences(text)))
    known_words = {w.lower() for title, text in recent for w in _WORD.findall(f"{title}\n{text}")}
    known = strangers = nameless = 0
    for sentence in sentences:
        if history.novelty(sentence) > max_novelty:
            continue
        names = [
            w.lower()
            for w in _WORD.findall(sentence)[1:]
            if w[0].isupper() and w.lower() not in _NOT_NAMES
        ]
        if not names:
            nameless += 1
        elif sum(1 for n in names if n in known_words) >= KNOWN_NAMES * len(names):
            known += 1
        else:
            strangers += 1
    if known <= KNOWN_MAJORITY * strangers:
        return Recap(0, len(sentences))
    return Recap(known + nameless, len(sentences))
