"""Text analysis shared by the stages: sentences, terms and novelty, named entities (spaCy)."""

from digest.text.entities import LABELS, Mention, analyse, analysed_text
from digest.text.novelty import (
    CALENDAR_WORDS,
    STOPWORDS,
    History,
    body_sentences,
    is_cut_off,
    is_reportable,
    overlap,
    recalls_past,
    stem,
    terms,
)
from digest.text.sentences import split_sentences

__all__ = [
    "CALENDAR_WORDS",
    "History",
    "LABELS",
    "Mention",
    "STOPWORDS",
    "analyse",
    "analysed_text",
    "body_sentences",
    "is_cut_off",
    "is_reportable",
    "overlap",
    "recalls_past",
    "split_sentences",
    "stem",
    "terms",
]
