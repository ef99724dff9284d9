"""Clean a whole web page copied as plain text: keep the article body, drop the furniture.

No markup is left in a dump, so the decision is made per line from signals (see ``lines``):
prose lines carry positive weight, furniture and short link-like lines negative weight, and the
body is the best-scoring contiguous run (a maximum-sum segment), which bridges subheadings and
stops at navigation, "more stories" lists and comment threads. Inside that run, furniture,
repeated captions, the repeated headline and runs of headline-like links are dropped. Lines that
recur in many documents of the same source (``LineMemory``) count as furniture.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from digest.clean.dates import find_date
from digest.clean.lines import LineInfo, analyse_line
from digest.clean.memory import LineMemory
from digest.clean.result import CleanedText
from digest.clean.titles import clean_title

logger = logging.getLogger(__name__)

__all__ = ["clean_text_dump"]

# Weights of the maximum-sum segment. A prose line is worth its word count (capped so one huge
# block cannot swallow a far-away comment thread); every other line costs a little, furniture more.
_PROSE_CAP = 60
_SHORT_COST = 4.0
_HEADLINE_COST = 7.0
_FURNITURE_COST = 12.0
_SUBHEADING_MAX_WORDS = 14
_MAX_TITLE_WORDS = 40


@dataclass(frozen=True)
class _Params:
    """Memory thresholds: how often a line must recur across one source's items to be furniture."""

    short_min_count: int = 2
    short_min_ratio: float = 0.2
    prose_min_count: int = 3
    prose_min_ratio: float = 0.3


_PARAMS = _Params()


def _seen_elsewhere(info: LineInfo, memory: LineMemory | None) -> bool:
    if memory is None or not info.key:
        return False
    docs = memory.documents()
    if docs <= 0:
        return False
    count = memory.count(info.key)
    if count <= 0:
        return False
    ratio = count / docs
    if info.prose and info.words >= 12:
        return count >= _PARAMS.prose_min_count and ratio >= _PARAMS.prose_min_ratio
    return count >= _PARAMS.short_min_count or ratio >= _PARAMS.short_min_ratio or docs < 3


def _best_segment(scores: list[float]) -> tuple[int, int]:
    """Indices [start, end) of the maximum-sum contiguous segment (Kadane)."""
    best, best_range = 0.0, (0, 0)
    run, run_start = 0.0, 0
    for i, s in enumerate(scores):
        if run <= 0:
            run, run_start = s, i
        else:
            run += s
        if run > best:
            best, best_range = run, (run_start, i + 1)
    return best_range


def _find_title(
    infos: list[LineInfo], body_start: int, title_hint: str | None
) -> tuple[str | None, set[str]]:
    """The headline and the keys of every line that repeats it (to keep them out of the body)."""
    keys: set[str] = set()
    candidates: list[str] = []
    if title_hint and title_hint.strip():
        candidates.append(clean_title(title_hint))
    if infos and infos[0].words >= 2:
        candidates.append(clean_title(infos[0].text))
        keys.add(infos[0].key)
    by_key = {info.key: info for info in infos[:body_start]}
    title: str | None = None
    for cand in candidates:
        ck = analyse_line(cand).key
        if not ck:
            continue
        keys.add(ck)
        # Prefer the in-page headline ("h1") that matches the page title without the site suffix.
        match = by_key.get(ck)
        if match is not None or ck:
            title = match.text if match is not None else cand
            break
    if title is None:
        # No page-title line: the last headline-like line above the body.
        for info in reversed(infos[:body_start]):
            if info.furniture or not 3 <= info.words <= _MAX_TITLE_WORDS:
                continue
            if info.sentence_end and not info.text.endswith("?"):
                continue
            title = clean_title(info.text)
            break
    if title is not None:
        keys.add(analyse_line(title).key)
        # Variants: "Section|Headline" crumbs and headlines glued to breadcrumbs end with it.
        tk = analyse_line(title).key
        for info in infos[:body_start]:
            if tk and info.key.endswith(tk) and len(info.key) <= len(tk) + 40:
                keys.add(info.key)
    keys.discard("")
    return title, keys


def _scores(infos: list[LineInfo], drop: list[bool]) -> list[float]:
    scores: list[float] = []
    for info, dropped in zip(infos, drop):
        if dropped or info.furniture:
            scores.append(-_FURNITURE_COST)
        elif info.prose:
            scores.append(float(min(info.words, _PROSE_CAP)))
        elif info.headline_like:
            scores.append(-_HEADLINE_COST)
        else:
            scores.append(-_SHORT_COST)
    return scores


def _keep_short(i: int, infos: list[LineInfo], start: int, end: int, drop: list[bool]) -> bool:
    """Keep a short non-prose line inside the body: a subheading or a short paragraph."""
    info = infos[i]
    if info.furniture or drop[i] or info.words == 0:
        return False
    prev_prose = i - 1 >= start and infos[i - 1].prose and not drop[i - 1]
    next_prose = i + 1 < end and infos[i + 1].prose and not drop[i + 1]
    if info.sentence_end and info.words >= 2:
        # A short paragraph ("Please." / a one-line quote) between paragraphs.
        return prev_prose or next_prose
    # A subheading sits alone between two paragraphs; runs of short lines are link lists.
    return prev_prose and next_prose and info.words <= _SUBHEADING_MAX_WORDS


def clean_text_dump(
    text: str,
    *,
    memory: LineMemory | None = None,
    reference_time: datetime | None = None,
    title_hint: str | None = None,
) -> CleanedText:
    """Article title, body and date from a page copied as plain text (one block per line)."""
    raw_lines = [ln.strip() for ln in text.split("\n")]
    infos = [analyse_line(ln) for ln in raw_lines if ln]
    line_keys = tuple(dict.fromkeys(i.key for i in infos if i.key))
    if not infos:
        return CleanedText(title=None, body="", line_keys=line_keys)

    counts = Counter(i.key for i in infos if i.key)
    drop = [False] * len(infos)
    for n, info in enumerate(infos):
        repeated_short = counts[info.key] > 1 and not info.prose
        if repeated_short and not (n > 0 and infos[n - 1].key == info.key):
            # Short lines that recur apart (nav at top and bottom) are furniture; a caption
            # repeated right below itself is collapsed further down instead.
            drop[n] = counts[info.key] > 2 or not _adjacent_repeat(infos, info.key)
        if _seen_elsewhere(info, memory):
            drop[n] = True
    if memory is not None and not any(i.prose and not d for i, d in zip(infos, drop)):
        logger.debug("line memory would remove every paragraph; ignoring it for prose lines")
        drop = [d and not i.prose for i, d in zip(infos, drop)]

    # The page's <title> line (first line of a dump) and its echoes are never body.
    pre_title, title_keys = _find_title(infos, len(infos), title_hint)
    scores = _scores(infos, drop)
    for n, info in enumerate(infos):
        if info.key in title_keys:
            scores[n] = -_FURNITURE_COST
    start, end = _best_segment(scores)

    title, title_keys = _find_title(infos, start, title_hint)
    if title is None:
        title = pre_title

    body: list[str] = []
    kept_keys: set[str] = set()
    for n in range(start, end):
        info = infos[n]
        if not info.key or info.key in title_keys or info.key in kept_keys:
            continue
        if info.prose and not drop[n]:
            keep = True
        else:
            keep = _keep_short(n, infos, start, end, drop)
        if keep:
            body.append(info.text)
            kept_keys.add(info.key)

    date_text = "\n".join(i.text for i in infos[: min(len(infos), end if end else len(infos))])
    head = [i.text for i in infos[: start + 3]]
    published = find_date(
        "\n".join(head[-40:]) if head else date_text, reference_time=reference_time
    )
    if published is None and start > 40:
        published = find_date("\n".join(head[:40]), reference_time=reference_time)
    return CleanedText(
        title=title or None,
        body="\n\n".join(body),
        published=published,
        date_source="content" if published else None,
        line_keys=line_keys,
    )


def _adjacent_repeat(infos: list[LineInfo], key: str) -> bool:
    """True when the two copies of a line are next to each other (a doubled caption)."""
    positions = [n for n, i in enumerate(infos) if i.key == key]
    return len(positions) == 2 and positions[1] - positions[0] == 1
