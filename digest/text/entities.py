"""Named-entity analysis, done once per distinct text and cached by the caller.

Both the stories stage (who/where separates look-alike events) and the actors stage read the same
mentions, so spaCy runs once per text, batched, in ``NlpConfig.processes`` worker processes for a
large day, and never again for a text analysed before: ``analyse`` looks texts up by their key (a
hash of the analysed text) through a read-only ``MentionCache`` and returns the fresh mentions for
the caller to store. Items with the same text (a syndicated story) share one analysis. Offsets
are character offsets into ``analysed_text(article)``.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Protocol

from digest.config import NlpConfig
from digest.models import Article, Mention, StoredItem
from digest.text import nlp as nlp_loader

log = logging.getLogger(__name__)

__all__ = [
    "LABELS",
    "MAX_CHARS",
    "Analysis",
    "Mention",
    "MentionCache",
    "analyse",
    "analysed_text",
    "ner_text",
    "text_key",
]

MAX_CHARS = 20_000  # longer bodies are read up to here (actors' context): the news is at the top
LABELS = frozenset(
    {
        "PERSON",
        "ORG",
        "GPE",
        "LOC",
        "NORP",
        "FAC",
        "EVENT",
        "WORK_OF_ART",  # these three and EVENT outvote an ORG label of the same name (actors)
        "PRODUCT",
        "LAW",
        "DATE",
        "CARDINAL",
        "QUANTITY",
        "MONEY",
        "PERCENT",
    }
)
# Below this many texts per process, forking workers costs more than it saves.
MIN_TEXTS_PER_PROCESS = 100
# Where a sentence (or paragraph) ends: NER stops at the first one past ``NlpConfig.max_chars``.
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s|\n\s*\n")


class MentionCache(Protocol):
    """Read-only lookup of earlier analyses by text key (the store provides it)."""

    def cached_mentions(self, keys: Sequence[str]) -> Mapping[str, tuple[Mention, ...]]: ...


@dataclass(frozen=True)
class Analysis:
    """Every item's mentions, and the analyses made now (by text key) for the caller to cache."""

    mentions: dict[str, tuple[Mention, ...]]
    fresh: dict[str, tuple[Mention, ...]]


def analysed_text(article: Article) -> str:
    return f"{article.title}\n\n{article.text}"[:MAX_CHARS]


def ner_text(article: Article, max_chars: int) -> str:
    """The part of ``analysed_text`` that NER reads: up to the end of the sentence that crosses
    ``max_chars`` (a prefix, so offsets stay valid in the whole analysed text)."""
    text = analysed_text(article)
    if len(text) <= max_chars:
        return text
    end = _SENTENCE_END.search(text, max_chars)
    return text[: end.end()].rstrip() if end else text


def text_key(text: str, model: str) -> str:
    """The cache key of one NER input: its mentions depend on the text, the model and the labels
    kept (a release that keeps more labels must not reuse mentions cached without them)."""
    labels = ",".join(sorted(LABELS))
    return hashlib.blake2b(f"{model}\0{labels}\0{text}".encode(), digest_size=16).hexdigest()


def analyse(items: Sequence[StoredItem], cache: MentionCache, config: NlpConfig) -> Analysis:
    """Mentions for every item: cached ones looked up, each other distinct text analysed once."""
    model = nlp_loader.model_name(config.model)
    texts = {it.article.id: ner_text(it.article, config.max_chars) for it in items}
    keys = {item_id: text_key(text, model) for item_id, text in texts.items()}
    known = dict(cache.cached_mentions(sorted(set(keys.values()))))
    todo: dict[str, str] = {}
    for item_id, key in keys.items():
        if key not in known and key not in todo:
            todo[key] = texts[item_id]
    fresh = dict(zip(todo, _recognise(list(todo.values()), config))) if todo else {}
    known.update(fresh)
    return Analysis({item_id: known[key] for item_id, key in keys.items()}, fresh)


def _recognise(texts: list[str], config: NlpConfig) -> list[tuple[Mention, ...]]:
    """spaCy NER over ``texts``, in order: in this process, or in forked workers for many texts."""
    nlp_loader.load(config.model)  # loaded before forking: the workers share it
    processes = min(config.processes, os.cpu_count() or 1, len(texts) // MIN_TEXTS_PER_PROCESS)
    batches = [texts[i : i + config.batch_size] for i in range(0, len(texts), config.batch_size)]
    jobs = [(config.model, batch) for batch in batches]
    if processes < 2:
        return [m for job in jobs for m in _batch_mentions(job)]
    context = multiprocessing.get_context("fork")
    # Leaving the block joins the workers, so their CPU time counts as this process's children's.
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        try:
            return [m for result in pool.map(_batch_mentions, jobs) for m in result]
        except BrokenProcessPool:  # a worker was killed (out of memory?): never hang, go on here
            log.warning("an entity-recognition worker died; analysing in this process")
    return [m for job in jobs for m in _batch_mentions(job)]


def _batch_mentions(job: tuple[str, list[str]]) -> list[tuple[Mention, ...]]:
    model, texts = job
    nlp = nlp_loader.load(model)
    return list(_mentions(nlp.pipe(texts, batch_size=len(texts))))


def _mentions(docs: Iterator) -> Iterator[tuple[Mention, ...]]:  # type: ignore[type-arg]
    for doc in docs:
        yield tuple(
            Mention(e.text, e.label_, e.start_char, e.end_char)
            for e in doc.ents
            if e.label_ in LABELS
        )
