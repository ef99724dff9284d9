"""Named-entity analysis, done once per item and cached in the store.

Both the stories stage (who/where separates look-alike events) and the actors stage read the same
mentions, so spaCy runs once per item, batched, and never again for an item already analysed.
Offsets are character offsets into ``analysed_text(article)``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from digest.config import NlpConfig
from digest.models import Article, StoredItem
from digest.text import nlp as nlp_loader

if TYPE_CHECKING:
    from digest.store import Store

MAX_CHARS = 20_000  # longer bodies are analysed up to here: the news is at the top
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


@dataclass(frozen=True)
class Mention:
    text: str
    label: str
    start: int
    end: int


def analysed_text(article: Article) -> str:
    return f"{article.title}\n\n{article.text}"[:MAX_CHARS]


def analyse(
    items: Sequence[StoredItem], store: Store, config: NlpConfig
) -> dict[str, tuple[Mention, ...]]:
    """Mentions for every item, from the cache or from one batched spaCy pass over the rest."""
    ids = [it.article.id for it in items]
    cached = store.cached_mentions(ids)
    todo = [it for it in items if it.article.id not in cached]
    if todo:
        nlp = nlp_loader.load(config.model)
        texts = [analysed_text(it.article) for it in todo]
        n_process = max(1, min(config.processes, os.cpu_count() or 1)) if len(texts) >= 200 else 1
        fresh: dict[str, tuple[Mention, ...]] = {}
        for it, doc in zip(
            todo, nlp.pipe(texts, batch_size=config.batch_size, n_process=n_process)
        ):
            fresh[it.article.id] = tuple(
                Mention(e.text, e.label_, e.start_char, e.end_char)
                for e in doc.ents
                if e.label_ in LABELS
            )
        store.save_mentions(fresh)
        cached.update(fresh)
    return {i: cached[i] for i in ids}
