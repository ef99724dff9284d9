"""New developments: what today's items say that the story had not reported before.

Today's sentences are compared with everything the story reported before (every sentence and
title of its earlier items, not only earlier developments), by meaning rather than by string: a
sentence is new when its rare words and word pairs were not used before (``digest.text.novelty``).
A figure that counts the same quantity as an earlier one but with another value is a *changed*
development, reported with the earlier value and its date (``figures``), even when the rest of
the sentence is a recap. A story's first report gives its lead facts only. The same fact from
several sources appears once, citing them all, and the rest is ranked by salience (headline,
figures, key actors, event verbs, lead position, confirmation) and cut to ``per_story``.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from digest.config import DevelopmentsConfig
from digest.developments.figures import Figure, extract, same_quantity, same_value
from digest.models import Development, DevelopmentKind, StoredItem
from digest.text.novelty import (
    History,
    body_sentences,
    is_cut_off,
    is_reportable,
    overlap,
    recalls_past,
    terms,
)

log = logging.getLogger(__name__)

EVENT_STEMS = frozenset(
    """kill die dead arrest charg resign announc approv vote sign launch attack explod collaps sink
    sank suspend file su sue rule sentenc convict acquit elect win won lose lost declar order ban
    seiz raid cut fire evacu confirm deni reject pass agre releas recal strike struck crash close
    shut open indict plead appoint nomin fine rescu captur escap bomb invad withdraw withdrew
    bankrupt bail collaps merg acquir bought sold dismiss sack quit
    surrend capitul testifi""".split()  # noqa: SIM905
)
HEADLINE_TELLS = 0.5  # a sentence holding this share of the headline's terms tells the headline
HEADLINE_RELATED = 0.4  # a first report's further lead facts share at least this much of it
SAME_THING_WORDS = 3  # context words two figures share when they count the same thing
RECAP_PENALTY = 0.3  # ranking cost of a sentence anchored on an earlier time
HEADLINE_ECHO = 0.2  # a sentence with at most this share of words beyond its headline repeats it
_LIST_MARK = re.compile(r"^(?:[\u2022\u25aa\u25cf\u25ba*\u2013-]|\d{1,2}[.)])\s+")
MIN_COMPLETION_CHARS = 30  # a cut sentence is completed only from a telling that starts like it


@dataclass(frozen=True)
class Change:
    """A figure that moved: today's figure and the latest earlier figure of the same quantity."""

    now: Figure
    before: Figure
    reported: date


@dataclass
class _Candidate:
    text: str
    item: StoredItem
    position: int
    words: tuple[str, ...]
    novelty: float
    score: float
    headline: float  # share of the item's headline terms the sentence holds
    recap: bool  # anchored on an earlier time ("On April 20th, ...", "last month")
    change: Change | None = None
    echo: bool = False  # only repeats its item's headline
    sources: list[str] = field(default_factory=list)


def story_developments(
    today: Sequence[StoredItem],
    history: Sequence[StoredItem],
    config: DevelopmentsConfig,
    actors: Sequence[str] = (),
) -> tuple[Development, ...]:
    """Developments for one story on one day, most salient first, at most ``config.per_story``.

    ``history`` is what the story reported before today (oldest first); ``actors`` are the
    story's key actor names, which make a sentence more salient.
    """
    originals = [it for it in today if not it.duplicate_of]
    if not originals:
        return ()
    first = not history
    past = History(s for it in history for s in _sentences(it))
    past_figures = [] if first else _history_figures(history)
    actor_terms = [set(terms(a)) for a in actors if terms(a)]
    candidates: list[_Candidate] = []
    pool = [s for it in (*today, *history) for s in body_sentences(it.article.text)]
    headlines = [set(terms(it.article.title)) for it in originals] if first else []
    for it in originals:
        title_terms = set(terms(it.article.title))
        published = it.article.published.date() if it.article.published else it.day
        shown = _shown_sentences(it, pool)
        for position, (sentence, echo) in enumerate(shown):
            words = terms(sentence)
            if first and (echo or any(_repeats_headline(sentence, h) for h in headlines)):
                continue  # beside the new story's title (one of these headlines), it adds nothing
            if (
                first
                and position >= config.lead_sentences
                and _title_share(words, title_terms) < HEADLINE_TELLS
            ):
                continue  # a first report's lead facts: the lead, and wherever the headline is told
            novelty = past.novelty(sentence)
            change = None if first else _change(sentence, past_figures)
            score = novelty + _salience(words, position, title_terms, actor_terms, sentence)
            recap = recalls_past(sentence, published)
            if recap:
                score -= RECAP_PENALTY
            if change is not None:
                score += config.change_bonus
            headline = _title_share(words, title_terms)
            candidates.append(
                _Candidate(
                    sentence, it, position, words, novelty, score, headline, recap, change, echo
                )
            )
    picked = _select(candidates, first, config)
    groups = _group(picked, config)
    for g in groups:
        g.score += config.confirmation_bonus * math.log2(len(g.sources))
    groups.sort(key=lambda g: -g.score)
    limit = config.first_per_story if first else config.per_story
    # A moved figure is the day's most important fact: always reported, and first.
    changes = [g for g in groups if g.change is not None]
    others = [g for g in groups if g.change is None][: max(0, limit - len(changes))]
    dupes = _duplicate_sources(today)
    kind: DevelopmentKind = "first" if first else "new"
    out = [_development(g, kind, dupes) for g in (*changes, *others)]
    log.debug(
        "developments: %d candidates, %d picked, %d reported",
        len(candidates),
        len(picked),
        len(out),
    )
    return tuple(out)


def _shown_sentences(item: StoredItem, pool: Sequence[str]) -> list[tuple[str, bool]]:
    """The item's sentences that can be shown as a development, in order, each with whether it
    only echoes the item's headline.

    A sentence the feed cut ("... ahead of…") is replaced by a fuller telling of it in the story
    (another item, or a later version, that starts with the same words), else left out: it is
    never shown cut. A title-only entry gives its headline, as an echo."""
    sentences = body_sentences(item.article.text)
    title = set(terms(item.article.title))
    out: list[tuple[str, bool]] = []
    for n, sentence in enumerate(sentences):
        if is_cut_off(sentence, last=n == len(sentences) - 1):
            completed = _complete(sentence, pool)
            if completed is None:
                continue
            sentence = completed
        sentence = _LIST_MARK.sub("", sentence)
        if is_reportable(sentence):
            out.append((sentence, _repeats_headline(sentence, title)))
    headline = item.article.title.strip()
    if not sentences and is_reportable(headline + "."):
        out.append((headline, True))
    return out


def _complete(sentence: str, pool: Sequence[str]) -> str | None:
    """A full sentence of the story that the cut ``sentence`` is the start of."""
    start = re.sub(r"""\s*(?:…|\.\.\.)["'”’)\]]*$""", "", sentence).rstrip(" ,;-–—").casefold()
    if len(start) < MIN_COMPLETION_CHARS:
        return None
    for other in pool:
        if (
            len(other) > len(start) + 3
            and other.casefold().startswith(start)
            and not is_cut_off(other, last=True)
        ):
            return other
    return None


def _repeats_headline(sentence: str, title: set[str]) -> bool:
    words = set(terms(sentence))
    return bool(title) and bool(words) and len(words - title) <= HEADLINE_ECHO * len(words)


def _sentences(item: StoredItem) -> list[str]:
    return [item.article.title, *body_sentences(item.article.text)]


def _history_figures(history: Sequence[StoredItem]) -> list[tuple[Figure, date]]:
    out: list[tuple[Figure, date]] = []
    for it in history:
        when = it.reported_on or it.day
        for s in _sentences(it):
            out.extend((f, when) for f in extract(s))
    return out


def _change(sentence: str, past: Sequence[tuple[Figure, date]]) -> Change | None:
    """The first figure of ``sentence`` that moved.

    Its quantity was reported before, never with this value (a value the story already gave,
    under any wording, is a recap), and it is the same quantity: told about the same thing (three
    informative context words in common), or worded as a running total ("the toll rose to", "has
    killed") about the same place or subject, or about the story's only figure of that kind. So
    a new incident's count does not "change" the previous incident's. The previous figure is the
    latest of those sharing the most context words. A running total over a span that no earlier
    figure's context matches is compared with the largest earlier count (``_cumulative_change``)."""
    for fig in extract(sentence):
        if not fig.key or any(
            same_value(fig.value, f.value) and f.kind == fig.kind for f, _ in past
        ):
            continue
        mine = fig.informative_context()
        earlier = [
            (len(mine & f.informative_context()), i, f, d)
            for i, (f, d) in enumerate(past)
            if same_quantity(fig, f)
        ]
        values = {f.value for _, _, f, _ in earlier}
        earlier = [
            e
            for e in earlier
            if e[0] >= SAME_THING_WORDS or fig.running and (e[0] >= 1 or len(values) == 1)
        ]
        if not earlier:
            change = _cumulative_change(fig, past)
            if change is not None:
                return change
            continue
        _, _, before, reported = max(earlier, key=lambda e: (e[0], e[1]))
        return Change(fig, before, reported)
    return None


def _cumulative_change(fig: Figure, past: Sequence[tuple[Figure, date]]) -> Change | None:
    """A running total over a span ("has killed nearly 4,500 people ... since April 2023") covers
    every earlier count of its quantity, incidents included: when it exceeds them all, it moved
    on from the largest (the latest telling of it)."""
    if not fig.cumulative:
        return None
    same = [(n, f, d) for n, (f, d) in enumerate(past) if same_quantity(fig, f)]
    if not same:
        return None
    top = max(f.value for _, f, _ in same)
    if fig.value <= top:
        return None
    _, before, reported = max((e for e in same if e[1].value == top), key=lambda e: e[0])
    return Change(fig, before, reported)


def _title_share(words: tuple[str, ...], title: set[str]) -> float:
    return len(title & set(words)) / len(title) if title else 0.0


def _salience(
    words: tuple[str, ...], position: int, title: set[str], actors: list[set[str]], sentence: str
) -> float:
    """Evidence that a sentence carries the day's news rather than colour (0 to about 1)."""
    score = 0.0
    score += 0.5 * _title_share(words, title)
    if extract(sentence):
        score += 0.1
    if any(a <= set(words) for a in actors):
        score += 0.1
    if EVENT_STEMS & set(words):
        score += 0.1
    if position < 2:
        score += 0.1
    return score


def _select(
    candidates: list[_Candidate], first: bool, config: DevelopmentsConfig
) -> list[_Candidate]:
    """First report: the best lead sentence, then those that bear on the headline. Later: new
    sentences and moved figures, else the most novel sentence when it is new enough, so a day
    with news is never reported empty; after the best, a sentence must bear on its item's
    headline or be clearly new (context that is new to the story but off the day's news, such
    as a general explainer, stays out)."""
    if first:
        ranked = sorted(candidates, key=lambda c: -c.score)
        return ranked[:1] + [
            c for c in ranked[1:] if c.headline >= HEADLINE_RELATED and not c.recap
        ]
    kept = [c for c in candidates if c.novelty >= config.min_novelty or c.change is not None]
    if not kept:
        best = max(candidates, key=lambda c: (c.novelty, c.score), default=None)
        if best is not None and best.novelty >= config.fallback_novelty:
            kept = [best]
    # An echo of its item's headline is the item's news only when nothing else of it is.
    informative = {id(c.item) for c in kept if not c.echo}
    kept = [c for c in kept if not c.echo or id(c.item) not in informative]
    kept.sort(key=lambda c: -c.score)
    return kept[:1] + [
        c
        for c in kept[1:]
        if c.headline > 0 or c.novelty >= config.clear_novelty or c.change is not None
    ]


def _group(candidates: list[_Candidate], config: DevelopmentsConfig) -> list[_Candidate]:
    """Fold the same fact told by several items into its best-scored telling, collecting sources."""
    groups: list[_Candidate] = []
    for c in candidates:
        home = next((g for g in groups if _same_fact(g, c, config)), None)
        if home is None:
            c.sources = [c.item.article.source]
            groups.append(c)
        elif c.item.article.source not in home.sources:
            home.sources.append(c.item.article.source)
    return groups


def _same_fact(a: _Candidate, b: _Candidate, config: DevelopmentsConfig) -> bool:
    """The same moved figure, or mostly the same words; fewer of them when both tell the same
    count ("More than 80 artists signed..." / "More than 80 film figures issued...")."""
    if (
        a.change is not None
        and b.change is not None
        and a.change.now.key == b.change.now.key
        and same_value(a.change.now.value, b.change.now.value)
    ):
        return True
    shared = overlap(a.words, b.words)
    if shared >= config.same_fact:
        return True
    return shared >= config.same_fact_figure and _same_count(a.text, b.text)


def _same_count(a: str, b: str) -> bool:
    """Both sentences give one figure of the same value and kind (a year or a date is no figure)."""
    return any(
        f.kind == g.kind and same_value(f.value, g.value) for f in extract(a) for g in extract(b)
    )


def _duplicate_sources(today: Sequence[StoredItem]) -> dict[str, list[str]]:
    """Sources that carried an item's exact article (folded duplicates) cite it too."""
    out: dict[str, list[str]] = {}
    for it in today:
        if it.duplicate_of:
            out.setdefault(it.duplicate_of, []).append(it.article.source)
    return out


def _development(c: _Candidate, kind: DevelopmentKind, dupes: dict[str, list[str]]) -> Development:
    a = c.item.article
    also: list[str] = []
    for s in c.sources[1:] + dupes.get(a.id, []):
        if s != a.source and s not in also:
            also.append(s)
    previous = None
    if c.change is not None:
        kind = "changed"
        previous = f"{c.change.before.text} reported on {c.change.reported.isoformat()}"
    return Development(
        text=c.text.strip(),
        item_id=a.id,
        kind=kind,
        source=a.source,
        url=a.url,
        published=a.published,
        previous=previous,
        also_reported_by=tuple(also),
        score=round(c.score, 3),
    )
