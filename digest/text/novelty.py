"""Sentence-level text tools for the developments stage: terms, filters and novelty.

A follow-up article restates a story's background in new words, so novelty is measured on
stemmed content words weighted by their rarity in the story (a recap reuses the story's
vocabulary *and* its word pairs), never on exact strings. Stemming is Snowball (pure Python,
cheap); no parse is needed.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date

import snowballstemmer

from digest.text.sentences import split_sentences

_STEMMER = snowballstemmer.stemmer("english")
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:st|nd|rd|th)\b|\d+(?:[.,]\d+)*")
_YEAR_OR_ORDINAL = re.compile(r"(?:1[89]|20)\d\d|\d+(?:st|nd|rd|th)")
CALENDAR_WORDS = frozenset(
    """january february march april june july august september october november december jan feb
    mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday
    sunday""".split()  # noqa: SIM905
)
STOPWORDS = frozenset(
    """a an the and or but nor of to in on at for with by from as into onto over under about up down
    out off is are was were be been being am has have had having do does did it its it's this that
    these those he she they we you i him her them us me my your our their his hers theirs ours yours
    who whom whose which what when where while why how than then there here not no yes will would
    shall should can could may might must also said says say saying told according just very so such
    only other others some any all each every both more most much many few own same too again
    further once s t if because until after before during since against
    between through among""".split()  # noqa: SIM905
)
_FURNITURE = re.compile(
    r"^(?:read more|read also|click here|sign up|subscribe|follow us|share (?:this|on)|"
    r"advertisement|"
    r"related(?: stories| articles)?:|see also|more on this|watch:|listen:|photo:|image:|caption:|"
    r"pictured:|file photo|copyright|all rights reserved|©|\(c\)|editor'?s note|"
    r"this story has been|"
    r"this article (?:was|has been)|recommended|most read|trending|newsletter|get (?:our|the) )",
    re.IGNORECASE,
)
_CAPTION = re.compile(
    r"\((?:photo|picture|image|file)\b|\b(?:getty images|ap photo|afp photo|reuters/|photograph:|"
    r"photo credit|image credit|image caption|media caption)\b",
    re.IGNORECASE,
)
_READER = re.compile(
    r"^(?:what do you think|have your say|tell us|let us know|do you|are you|would you|can you|"
    r"share your|send us|email us|comment below)\b",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"""[.!…]["'”’)\]]*$""")
_ELLIPSIS_END = re.compile(r"""(?:…|\.\.\.)["'”’)\]]*$""")
_FINAL = re.compile(r"""[.!?:;]["'”’)\]]*$""")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# Words a sentence cannot end on: it was cut after them ("... who became a close associate of").
_NO_END = frozenset(
    """a an the of to in on at for with by from and or but nor as into onto than that which who
    whose whom its their his her our your my is are was were be been has have had will would
    can could should may might must very""".split()  # noqa: SIM905
)
MIN_TERMS = 4
MAX_CHARS = 600


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


@functools.lru_cache(maxsize=100_000)
def terms(sentence: str) -> tuple[str, ...]:
    """Stemmed content words in order (numbers keep their digits, without thousands commas).

    Calendar words (months, weekdays, ordinals, years) are left out: they anchor a statement in
    time but do not tell what happened, and a recap re-dates what it restates."""
    out: list[str] = []
    for m in _TOKEN.finditer(sentence):
        word = m.group(0).lower().replace("’", "'")
        if word in STOPWORDS or word in CALENDAR_WORDS:
            continue
        if word[0].isdigit():
            if not _YEAR_OR_ORDINAL.fullmatch(word):
                out.append(word.replace(",", ""))
        else:
            word = word.removesuffix("'s")
            if len(word) > 1 and word not in STOPWORDS:
                out.append(stem(word))
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def body_sentences(text: str) -> tuple[str, ...]:
    """Sentences of an article body, cached: a story's recent items are read again on every
    later day, by the stories stage (recaps) and by this one (history)."""
    return tuple(split_sentences(text))


def pairs(words: Sequence[str]) -> set[tuple[str, str]]:
    """Adjacent content-word pairs: a recap keeps many of them even when it reorders the rest."""
    return set(itertools.pairwise(words))


def is_cut_off(sentence: str, *, last: bool = False) -> bool:
    """A sentence that lost its end: it ends in an ellipsis (a feed summary cut at a length), or,
    as the last sentence of a text, it stops on a comma, a dash or a word no sentence ends on."""
    s = sentence.rstrip()
    if _ELLIPSIS_END.search(s):
        return True
    if not last or _FINAL.search(s):
        return False
    if s.endswith((",", "-", "\u2013", "\u2014")):
        return True
    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", s)
    return bool(words) and words[-1].lower() in _NO_END


def is_reportable(sentence: str) -> bool:
    """False for page furniture, captions, headline lists, questions, links and other
    non-statements."""
    s = sentence.strip()
    if not s or len(s) > MAX_CHARS or len(terms(_URL.sub(" ", s))) < MIN_TERMS:
        return False
    if s.rstrip("\"'”’) ").endswith("?") or _READER.match(s):
        return False
    if _FURNITURE.match(s) or _CAPTION.search(s):
        return False
    if not _TERMINAL.search(s):
        words = [w for w in re.findall(r"[^\W\d_]+", s) if len(w) > 3]
        capitalised = sum(1 for w in words if w[0].isupper())
        if not words or capitalised / len(words) >= 0.6:  # a headline or a list of them
            return False
    return True


def overlap(a: Iterable[str], b: Iterable[str]) -> float:
    """Share of the smaller term set found in the other: the same fact told at two lengths."""
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


class History:
    """Everything a story reported before today, indexed for novelty.

    Terms are weighted by inverse frequency over the history's sentences, so a sentence made of
    the story's common words (its names, its place) is not new just because it is worded anew,
    while a rare new name or a new word pair counts.
    """

    def __init__(self, sentences: Iterable[str]) -> None:
        self.df: Counter[str] = Counter()
        self.pairs: set[tuple[str, str]] = set()
        self.size = 0
        for s in sentences:
            words = terms(s)
            if not words:
                continue
            self.size += 1
            self.df.update(set(words))
            self.pairs.update(pairs(words))

    def __bool__(self) -> bool:
        return self.size > 0

    def idf(self, word: str) -> float:
        return math.log((self.size + 1) / (self.df.get(word, 0) + 1)) + 1.0

    def novelty(self, sentence: str) -> float:
        """0 (everything already said) to 1 (nothing of it said before) for one sentence."""
        words = terms(sentence)
        if not words:
            return 0.0
        if not self.size:
            return 1.0
        weights = [self.idf(w) for w in words]
        seen_words = sum(wt for w, wt in zip(words, weights) if w in self.df) / sum(weights)
        sentence_pairs = list(itertools.pairwise(words))
        seen_pairs = (
            sum(1 for p in sentence_pairs if p in self.pairs) / len(sentence_pairs)
            if sentence_pairs
            else seen_words
        )
        return 1.0 - (seen_words + seen_pairs) / 2.0


_MONTH_NUMBERS = {
    name: i + 1
    for i, names in enumerate(
        (
            "january jan",
            "february feb",
            "march mar",
            "april apr",
            "may",
            "june jun",
            "july jul",
            "august aug",
            "september sep sept",
            "october oct",
            "november nov",
            "december dec",
        )
    )
    for name in names.split()
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_DATED = (
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+(?P<year>(?:19|20)\d\d))?", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b(?:,?\s+(?P<year>(?:19|20)\d\d))?", re.IGNORECASE),
)
_RECALL = re.compile(
    r"\b(?:last (?:week|month|year|spring|summer|autumn|fall|winter|january|february|march|april|"
    r"june|july|august|september|october|november|december)|earlier this (?:month|year)|"
    r"(?:days|weeks|months|years) ago|"
    r"in the (?:days|weeks|months) since|since then)\b|^(?:recently|originally|earlier),\s",
    re.IGNORECASE,
)
RECALL_DAYS = 3


def recalls_past(sentence: str, published: date | None) -> bool:
    """True when a sentence is anchored on a time well before its article ("On April 20th, the rig
    exploded", "last month", "two weeks ago"): the mark of a recap rather than of the day's news. A
    month alone ("In September, sales fell") is not one: monthly figures are news when published."""
    if _RECALL.search(sentence):
        return True
    if published is None:
        return False
    for pattern in _DATED:
        for m in pattern.finditer(sentence):
            try:
                month, day = _MONTH_NUMBERS[m.group("month").lower()], int(m.group("day"))
                year = int(m.group("year")) if m.group("year") else published.year
                when = date(year, month, day)
            except (KeyError, ValueError):
                continue
            if not m.group("year") and when > published:
                when = when.replace(year=year - 1) if not (month == 2 and day == 29) else when
            if (published - when).days > RECALL_DAYS:
                return True
    return False
