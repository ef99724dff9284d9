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
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from digest.clean.dates import find_date, find_date_line
from digest.clean.headline import find_title, headline_above, in_page_headline
from digest.clean.lines import LineInfo, analyse_line
from digest.clean.memory import LineMemory
from digest.clean.prose import opens_with_dateline
from digest.clean.result import CleanedText
from digest.clean.vocabulary import SENTENCE_END_RE

logger = logging.getLogger(__name__)

__all__ = ["clean_text_dump"]

# Weights of the maximum-sum segment. A prose line is worth its word count (capped so one huge
# block cannot swallow a far-away comment thread); every other line costs a little, furniture more.
_PROSE_CAP = 100
_SHORT_COST = 4.0
_HEADLINE_COST = 7.0
_FURNITURE_COST = 12.0
_MAX_CAPTION_WORDS = 40
_MIN_CUT_PARAGRAPH_WORDS = 15
_MAX_LIST_LINES = 200
_LIST_SEARCH_LINES = 8  # how far under the headline a list article's list may start
_MIN_LEADING_LIST = 4
_LIST_JOIN_GAP = 3
_MAX_LIST_ITEM_WORDS = 30
_LIST_ITEM_GAIN = 1.0  # items of a list inside the article neither pull nor push the body
_DATELINE_SEARCH_LINES = 5  # how far into the body segment a dateline may open the article
_MAX_EMBED_LINES = 3  # lines of a quoted social post above its attribution
_MEDIA_COST = 2.0  # captions, credits and gallery counters sit inside articles
_LABEL_COST = 30.0  # "More stories", "You may like": a box of other stories starts here
_SUBHEADING_MAX_WORDS = 14
_MIN_BODY_WORDS_BEFORE_THREAD = 50
_ANCHOR_SHARE = 0.3  # the body below the headline must hold this share of the best segment
_MIN_WRAPPED_LINES = 4
_MAX_WRAP_WIDTH = 100


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


def _scores(infos: list[LineInfo], drop: list[bool], captions: list[bool]) -> list[float]:
    """Weight of each line for the body segment."""
    scores: list[float] = []
    for info, dropped, caption in zip(infos, drop, captions):
        if info.section_label:
            scores.append(-_LABEL_COST)
        elif info.credit or caption:
            scores.append(-_MEDIA_COST)
        elif dropped or info.furniture:
            scores.append(-_FURNITURE_COST)
        elif info.prose:
            scores.append(float(min(info.words, _PROSE_CAP)))
        elif info.list_item:
            scores.append(_LIST_ITEM_GAIN)
        elif info.bare_url:
            scores.append(0.0)
        elif info.headline_like:
            scores.append(-_HEADLINE_COST)
        else:
            scores.append(-_SHORT_COST)
    return scores


def _keep_short(i: int, infos: list[LineInfo], start: int, end: int, drop: list[bool]) -> bool:
    """Keep a short non-prose line inside the body: a subheading or a short paragraph."""
    info = infos[i]
    if info.furniture or drop[i] or info.words == 0 or info.bare_url:
        return False
    if info.list_item:
        return True
    if info.teaser and info.words >= _MIN_CUT_PARAGRAPH_WORDS:
        # A paragraph cut short (paywall) right after the article text.
        return i - 1 >= start and infos[i - 1].prose and not drop[i - 1]
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
    raw_lines = _join_wrapped(_unwrap_blocks(text))
    infos = [analyse_line(ln) for ln in raw_lines]
    line_keys = tuple(dict.fromkeys(i.key for i in infos if i.key))
    if not infos:
        return CleanedText(title=None, body="", line_keys=line_keys)

    counts = Counter(i.key for i in infos if i.key)
    embeds = _embedded_posts(infos)
    drop = [False] * len(infos)
    captions = [False] * len(infos)
    for n, info in enumerate(infos):
        if counts[info.key] > 1 and not info.prose:
            # Short lines that recur (nav at top and bottom) are furniture.
            drop[n] = True
        if _is_caption(infos, n, counts):
            drop[n] = captions[n] = True
        if _seen_elsewhere(info, memory):
            drop[n] = True
    if memory is not None and not any(i.prose and not d for i, d in zip(infos, drop)):
        logger.debug("line memory would remove every paragraph; ignoring it for prose lines")
        drop = [d and not i.prose for i, d in zip(infos, drop)]

    # The page's <title> line (first line of a dump) and its echoes are never body; the body
    # follows the in-page headline when there is one.
    title = find_title(infos, title_hint)
    scores = _scores(infos, drop, captions)
    for n in embeds:
        scores[n] = max(scores[n], _LIST_ITEM_GAIN)  # a quoted post neither pulls nor pushes
    for n, info in enumerate(infos):
        if info.key in title.keys:
            scores[n] = -_FURNITURE_COST
    start, end = _best_segment(scores)
    best = sum(scores[start:end])
    end = _thread_start(infos, drop, start, end)
    if title.anchor >= 0:
        first = title.anchor + 1
        cut = _thread_start(infos, drop, first, len(infos))
        a_start, a_end = _best_segment(scores[first:cut])
        if a_end > a_start and sum(scores[first + a_start : first + a_end]) >= _ANCHOR_SHARE * best:
            start, end = first + a_start, first + a_end
    start = _dateline_start(infos, start, end)
    if (
        start < end < len(infos)
        and infos[end].teaser
        and infos[end].words >= _MIN_CUT_PARAGRAPH_WORDS
        and infos[end - 1].prose
    ):
        end += 1
    list_from = end
    end = _extend_list(infos, drop, end)
    leading = _list_below_headline(infos, title.anchor, start)
    if leading is not None:
        # A list article (a schedule, results): the list right under the headline is the body;
        # prose that starts right after it joins it.
        run_start, run_end = leading
        between = infos[run_end:start]
        if start > run_end + _LIST_JOIN_GAP or any(i.furniture for i in between):
            end = run_end
        start = list_from = run_start
    title_text = title.text or headline_above(infos, start)
    if not (title_hint and title_hint.strip()):
        title_text = in_page_headline(infos, start, title_text) or title_text
    title_keys = set(title.keys)
    if title_text:
        title_keys.add(analyse_line(title_text).key)

    body: list[str] = []
    kept_keys: set[str] = set()
    for n in range(start, end):
        info = infos[n]
        if not info.key or info.key in title_keys or info.key in kept_keys:
            continue
        if (info.prose and not drop[n]) or n in embeds:
            keep = True
        elif n >= list_from:
            keep = not (info.furniture or drop[n] or info.bare_url)
        else:
            keep = _keep_short(n, infos, start, end, drop)
        if keep:
            body.append(info.text)
            kept_keys.add(info.key)

    # Dates near the top of the body; long furniture (cookie notices) carries policy dates.
    head = [i.text for i in infos[: start + 3] if not (i.furniture and i.words > 20)]
    published = find_date("\n".join(head[-40:]), reference_time=reference_time)
    if published is None and start > 40:
        published = find_date("\n".join(head[:40]), reference_time=reference_time)
    if published is None:  # the date line nearest above the body, however far down it is
        published = find_date_line("\n".join(head), reference_time=reference_time)
    return CleanedText(
        title=title_text or None,
        body="\n\n".join(body),
        published=published,
        date_source="content" if published else None,
        line_keys=line_keys,
    )


def _dateline_start(infos: list[LineInfo], start: int, end: int) -> int:
    """An article's first paragraph opens with a wire dateline ("PORT ELM, Northland \u2014"):
    what the segment holds just above it (a box of other stories) is not the article."""
    for n in range(start + 1, min(end, start + _DATELINE_SEARCH_LINES)):
        if infos[n].prose and opens_with_dateline(infos[n].text):
            return n
    return start


def _embedded_posts(infos: list[LineInfo]) -> set[int]:
    """Lines of social posts quoted in an article: the attribution line ("— Dana Roe (@danaroe)
    November 18, 2019") and the post's text just above it (up to the previous paragraph)."""
    out: set[int] = set()
    for n, info in enumerate(infos):
        if not info.embed_attribution:
            continue
        out.add(n)
        for m in range(n - 1, max(-1, n - 1 - _MAX_EMBED_LINES), -1):
            if infos[m].prose or infos[m].furniture or infos[m].embed_attribution:
                break
            out.add(m)
    return out


def _shape(text: str) -> str:
    """The punctuation skeleton of a line's start: "June 9 -- Arena, City" -> "w w -- w"."""
    return " ".join(re.sub(r"\w+", "w", text).split()[:3])


def _same_shape_run(infos: list[LineInfo], n: int) -> int:
    """End of the run of list-like lines sharing the shape of line ``n``."""
    shape = _shape(infos[n].text)
    m = n
    while (
        m < len(infos)
        and m - n < _MAX_LIST_LINES
        and _shape(infos[m].text) == shape
        and not infos[m].furniture
        and infos[m].words <= _MAX_LIST_ITEM_WORDS
    ):
        m += 1
    return m


def _list_below_headline(infos: list[LineInfo], anchor: int, start: int) -> tuple[int, int] | None:
    """A punctuated list (>= 4 lines of one shape) within a few lines under the headline."""
    if anchor < 0:
        return None
    for n in range(anchor + 1, min(anchor + 1 + _LIST_SEARCH_LINES, len(infos))):
        if infos[n].prose or n >= start:
            return None
        if infos[n].furniture:
            continue
        stop = _same_shape_run(infos, n)
        if stop - n >= _MIN_LEADING_LIST and re.search(r"[^\sw]", _shape(infos[n].text)):
            return n, stop
    return None


def _extend_list(infos: list[LineInfo], drop: list[bool], end: int) -> int:
    """Carry the body through a list that closes the article.

    Either the last sentence announces it ("Tour dates:"), or a short heading is followed by
    lines of one punctuated shape ("June 9 - Arena, City"). Plain title-case lines all share the
    shape "w w w w", so a list of other headlines never qualifies by shape.
    """
    if end >= len(infos):
        return end
    n = end
    announced = n > 0 and infos[n - 1].text.endswith(":")
    head = infos[n]
    if not announced and not head.furniture and not drop[n] and head.words <= 20:
        if head.text.endswith(":"):
            announced, n = True, n + 1
        elif head.words <= 10 and n + 1 < len(infos):
            n += 1  # a heading such as "Tour dates" above a shaped list
    if n >= len(infos):
        return end
    stop = _same_shape_run(infos, n)
    shaped = bool(re.search(r"[^\sw]", _shape(infos[n].text)))
    if stop - n >= (2 if announced else 3) and (announced or shaped):
        return stop
    return end


def _is_caption(infos: list[LineInfo], n: int, counts: Counter[str]) -> bool:
    """An image caption: printed twice in a row, or sitting on a photo-credit line."""
    info = infos[n]
    if info.words > _MAX_CAPTION_WORDS or not info.key:
        return False
    doubled = counts[info.key] >= 2 and any(
        0 <= m < len(infos) and infos[m].key == info.key for m in (n - 1, n + 1)
    )
    # Only a short line above a credit: a paragraph followed by a credit stays body text.
    credited = n + 1 < len(infos) and infos[n + 1].credit and not info.credit and not info.prose
    return doubled or credited


def _unwrap_blocks(text: str) -> list[str]:
    """Non-empty lines; a text hard-wrapped at a fixed width gets each paragraph on one line.

    A page dump has one block per line and lines of every length. A wrapped text (an e-mail, a
    72-column note) has blank-line separated paragraphs whose lines, except each paragraph's
    last, all come close to one width.
    """
    blocks = [
        [ln.strip() for ln in b.split("\n") if ln.strip()] for b in re.split(r"\n\s*\n", text)
    ]
    blocks = [b for b in blocks if b]
    inner = [len(ln) for b in blocks if len(b) > 1 for ln in b[:-1]]
    lines = [ln for b in blocks for ln in b]
    if len(inner) >= _MIN_WRAPPED_LINES and len(inner) >= len(lines) / 2:
        width = max(inner)
        if width <= _MAX_WRAP_WIDTH and sum(n >= 0.6 * width for n in inner) >= 0.8 * len(inner):
            return [" ".join(b) for b in blocks]
    return lines


def _join_wrapped(lines: list[str]) -> list[str]:
    """Re-join prose hard-wrapped across lines (a line running on into a lower-case line)."""
    out: list[str] = []
    for line in lines:
        if out:
            prev = out[-1]
            if len(prev.split()) >= 6 and line[:1].islower() and not SENTENCE_END_RE.search(prev):
                out[-1] = prev + " " + line
                continue
        out.append(line)
    return out


def _thread_start(infos: list[LineInfo], drop: list[bool], start: int, end: int) -> int:
    """Where a comment thread begins inside the body segment (after some article text)."""
    prose_words = 0
    for n in range(start, end):
        info = infos[n]
        if info.thread_start and prose_words >= _MIN_BODY_WORDS_BEFORE_THREAD:
            return n
        if info.prose and not drop[n]:
            prose_words += info.words
    return end
