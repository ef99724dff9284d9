"""New developments: what today's items say that the story had not reported before.

A sentence is new when no earlier sentence of the story shares most of its content words. A
story's first report gives its lead sentences. The same fact from several sources appears once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from digest.clean import split_sentences
from digest.config import DevelopmentsConfig
from digest.models import Development, StoredItem

_WORD = re.compile(r"\w+")
_STOP = frozenset(
    "a an the and or but of to in on at for with by from as is are was were be been has have had it its "
    "this that these those he she they we you i his her their our not no will would said says".split()
)
NOVELTY_OVERLAP = 0.5
LEAD_SENTENCES = 3


def _content(sentence: str) -> set[str]:
    return {w for w in (m.group(0).lower() for m in _WORD.finditer(sentence)) if w not in _STOP}


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def story_developments(
    today: Sequence[StoredItem], history: Sequence[StoredItem], config: DevelopmentsConfig
) -> tuple[Development, ...]:
    """Developments for one story on one day, most salient first, at most ``config.per_story``."""
    originals = [it for it in today if not it.duplicate_of]
    if not originals:
        return ()
    seen = [_content(s) for it in history for s in split_sentences(it.article.text)]
    seen += [_content(it.article.title) for it in history]
    first = not history
    picked: list[tuple[Development, set[str]]] = []
    for it in originals:
        sentences = split_sentences(it.article.text)
        if first:
            sentences = sentences[:LEAD_SENTENCES]
        for s in sentences:
            words = _content(s)
            if len(words) < 4 or s.rstrip().endswith("?"):
                continue
            if any(_overlap(words, old) >= NOVELTY_OVERLAP for old in seen):
                continue
            dup = next((i for i, (_, w) in enumerate(picked) if _overlap(words, w) >= 0.6), None)
            if dup is not None:
                d, w = picked[dup]
                if it.article.source != d.source and it.article.source not in d.also_reported_by:
                    picked[dup] = (
                        Development(**{**d.__dict__, "also_reported_by": d.also_reported_by + (it.article.source,)}),
                        w,
                    )
                continue
            picked.append(
                (
                    Development(
                        text=s.strip(),
                        item_id=it.article.id,
                        kind="first" if first else "new",
                        source=it.article.source,
                        url=it.article.url,
                        published=it.article.published,
                    ),
                    words,
                )
            )
        if first and picked:
            break
    return tuple(d for d, _ in picked[: config.per_story])
