"""Figures in news sentences and the quantity each one counts, so a moved figure can be reported.

"The death toll rose to 212" and "148 people were killed" count the same quantity: a figure's
key is the measure named next to it (deaths, injured, missing, cases, votes...; a small lexicon of
stems with synonyms folded), else the noun it counts ("8,000 barrels"), with money and percentages
kept apart. Dates, years, times, ordinals, ages and identifiers are not figures. Pure regex and
Snowball stems: this runs on every sentence of every briefing.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from digest.text.novelty import STOPWORDS, stem

_NUMBER = re.compile(
    r"(?<![\w.,/:-])(?P<cur>US\$|\$|£|€)?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<mult>million|billion|trillion|thousand|bn|mn|m|k)\b)?"
    r"(?P<pct>\s?%|\s?percent\b|\s?per cent\b)?"
    r"(?P<tail>[\w-]*)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.,]\d+)*|[,;:()]")
_MONTHS = frozenset(
    """january february march april may june july august september october november december jan feb
    mar apr jun jul aug sep sept oct nov dec""".split()  # noqa: SIM905
)
_MONTH_STEMS = frozenset(stem(m) for m in _MONTHS)
_ID_BEFORE = frozenset(
    """no number flight route article section page chapter room highway interstate""".split()  # noqa: SIM905
)
_MULTIPLIERS = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
}
# Words that qualify a figure without naming what it counts.
_HEDGES = frozenset(
    """approximately about nearly almost around roughly some estimated least more less fewer than
    over under up to at by of further another additional total totalling total of rose rise rises
    risen fell fall falls fallen climbed climb climbs jumped jump soared surged dropped drop reached
    reach reaches stood stands stand hit hits increased increase decreased decrease declined decline
    gained lost now already only just still least most possibly probably likely reportedly suspected
    confirmed new first""".split()  # noqa: SIM905
)
# Measure stems -> the quantity they count (synonyms folded).
_MEASURES: dict[str, str] = {
    **dict.fromkeys(
        ("kill", "dead", "death", "die", "toll", "fatal", "bodi", "live", "perish"), "deaths"
    ),
    **dict.fromkeys(("injur", "wound", "hurt"), "injured"),
    **dict.fromkeys(("miss", "unaccount"), "missing"),
    **dict.fromkeys(("case", "infect", "infecti"), "cases"),
    **dict.fromkeys(("hospit", "hospitalis", "hospitaliz"), "hospitalised"),
    **dict.fromkeys(("arrest", "detain", "detaine"), "arrests"),
    **dict.fromkeys(("evacu",), "evacuated"),
    **dict.fromkeys(("displac", "homeless"), "displaced"),
    **dict.fromkeys(("vote", "ballot"), "votes"),
    **dict.fromkeys(("seat",), "seats"),
    **dict.fromkeys(("rescu",), "rescued"),
    **dict.fromkeys(("survivor",), "survivors"),
}
# Nouns that say "people" without saying what happened to them.
_GENERIC = frozenset(
    """peopl person resid worker civilian children child men women victim
    individu soldier troop""".split()  # noqa: SIM905
)
WINDOW = 5
_DELTA = frozenset(("by", "up", "down", "another", "further", "additional", "extra"))
_CHANGE_VERBS = frozenset(
    """rose rise rises fell fall falls dropped drop drops gained gain gains lost lose loses climbed
    climbs jumped jumps plunged plunges tumbled tumbles soared soars surged surges rallied rallies
    slid slips slipped sank sinks declined declines increased increases decreased decreases grew
    grows shed sheds added adds""".split()  # noqa: SIM905
)
_APPROX = frozenset(
    """nearly almost about around roughly some more than over under
    approximately just only least at""".split()  # noqa: SIM905
)
_PERFECT = frozenset(("has", "have", "had"))
_RATE = frozenset(("per", "daily", "day", "hour", "week", "month", "year", "annual", "annually"))
# Words (raw hedges or stems) that word a figure as a running total that replaces earlier ones.
_RUNNING = frozenset(
    """toll total tally tot overal cumul rose rise rises risen climbed climb climbs jumped reached
    reach reaches now bring brought rais revis updat increased soared surged""".split()  # noqa: SIM905
)
# A running total counted over a span, so it covers every earlier count of its quantity.
_CUMULATIVE = re.compile(
    r"\b(?:since|so far|to date|in total|in all|altogether|overall|total|tally|toll)\b",
    re.IGNORECASE,
)
_BREAKS = frozenset((",", ";", ":", "(", ")", "and", "or", "but", "while", "whereas", "whilst"))


@dataclass(frozen=True)
class Figure:
    """One figure as written (``text``), its value, and the quantity it counts (``key``)."""

    text: str
    value: float
    kind: str  # "" for a count, "%" for a percentage, else the currency sign
    key: str  # "" when the text does not say what is counted
    # The key comes from the measure lexicon (deaths, cases...), not just from a counted noun.
    measured: bool
    running: bool  # worded as a running total ("the toll rose to", "bringing the total to")
    context: frozenset[str]
    # A running total over a span ("has killed nearly 4,500 people ... since April 2023").
    cumulative: bool = False

    def informative_context(self) -> frozenset[str]:
        """Context words that say *which* quantity (a place, a subject), not just that it moved."""
        return frozenset(
            w for w in self.context if w not in _HEDGES and w not in _MEASURES and w not in _GENERIC
        )


def same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 0.005 * max(abs(a), abs(b))


@functools.lru_cache(maxsize=50_000)
def extract(sentence: str) -> tuple[Figure, ...]:
    """The figures of one sentence, in order (``key`` is empty when the quantity cannot be told)."""
    out: list[Figure] = []
    for m in _NUMBER.finditer(sentence):
        fig = _figure(sentence, m)
        if fig is not None:
            out.append(fig)
    return tuple(out)


def _figure(sentence: str, m: re.Match[str]) -> Figure | None:
    num, cur, mult, pct, tail = (
        m.group("num"),
        m.group("cur"),
        m.group("mult"),
        m.group("pct"),
        m.group("tail"),
    )
    if tail.lower() in ("st", "nd", "rd", "th", "am", "pm") or tail.startswith("-"):
        return None  # an ordinal, a time, or a compound adjective ("22-month-old", "21-inch")
    if tail and not mult and not pct:
        return None  # glued to letters: a code, not a figure
    if (
        sentence[m.end("num") : m.end("num") + 1] in (":", "/")
        or sentence[m.start() - 1 : m.start()] == "#"
    ):
        return None
    value = float(num.replace(",", ""))
    before = [w.lower() for w in _WORD.findall(sentence[: m.start()])]
    after = [w.lower() for w in _WORD.findall(sentence[m.end() :])]
    if (
        before
        and (before[-1] in _MONTHS or before[-1] in _ID_BEFORE)
        or after
        and after[0] in _MONTHS
    ):
        return None
    if not (cur or mult or pct) and "," not in num and "." not in num and 1800 <= value <= 2100:
        return None  # a year
    if before and before[-1] in ("aged", "age"):
        return None
    if mult:
        value *= _MULTIPLIERS[mult.lower()]
    kind = "%" if pct else (cur.upper() if cur else "")
    near_before = _clause(reversed(before))
    near_after = _clause(after)
    measure = _nearest_measure(near_before, near_after)
    unit = next((w for w in near_after if w not in _HEDGES and w not in _MONTH_STEMS), None)
    noun_before = next((w for w in near_before if w not in _HEDGES and w not in _MONTH_STEMS), None)
    key: str | None
    if measure:
        key, measured = measure, True
    elif kind == "%":  # a percentage: of what it is said before ("unemployment stood at 9.5%")
        key, measured = noun_before or unit, False
    else:  # a count or an amount of money: the noun it counts or buys
        key, measured = unit or (noun_before if kind else None), False
    if key and _RATE & set(after[:6]):
        key += "/rate"  # "8,000 barrels a day" is not the same quantity as "4.4m barrels"
    context = frozenset(near_before + near_after) - {key or ""}
    raw_before = [w for w in before[-4:] if w not in _BREAKS]
    verb = next((w for w in reversed(raw_before) if w not in _APPROX), None)
    if verb in _DELTA or verb in _CHANGE_VERBS:
        key = None  # "rose 500 points", "up $2bn", "by 4%": the move, not the level
    running = bool(_RUNNING & context) or bool(_PERFECT & set(raw_before))
    cumulative = running and measure is not None and bool(_CUMULATIVE.search(sentence))
    return Figure(
        m.group(0).strip(),
        value,
        kind,
        f"{kind}{key}" if key else "",
        measured,
        running,
        context,
        cumulative,
    )


def _clause(words: object) -> list[str]:
    """Stemmed content words next to a figure, stopping at clause punctuation, a conjunction (which
    starts the next figure's phrase: "killed 11 and injured 17") or another number."""
    out: list[str] = []
    for w in words:  # type: ignore[attr-defined]
        if w in _BREAKS or w[0].isdigit() or len(out) >= WINDOW:
            break
        if w in STOPWORDS:
            continue
        out.append(w if w in _HEDGES else stem(w))
    return out


def _nearest_measure(before: list[str], after: list[str]) -> str | None:
    best: tuple[int, str] | None = None
    for distance, w in enumerate(after):
        if w in _MEASURES:
            best = (distance, _MEASURES[w])
            break
    for distance, w in enumerate(before):
        if w in _MEASURES and (best is None or distance < best[0]):
            best = (distance, _MEASURES[w])
            break
    return best[1] if best else None


def same_quantity(a: Figure, b: Figure) -> bool:
    """Two figures count the same thing: same key, and for a plain counted noun a shared word."""
    if not a.key or a.key != b.key:
        return False
    return a.measured or b.measured or bool(a.context & b.context)
