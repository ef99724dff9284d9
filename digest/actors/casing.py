"""Names where letter case says nothing: Title Case and ALL CAPS lines, and a sentence's first word.

In a headline written in Title Case ("Obama Invited to Beat Trump Over Tributes") the NER model
calls any capitalised run a name. A span found there is kept in the form the item's running text
confirms ("Obama"); without that confirmation, ordinary English words are trimmed from its edges
("Obama Invited" -> "Obama"), and a span made only of ordinary words ("Tributes", "Beat Trump")
stays only if another mention of the story or the registry confirms it (``needs_confirmation``).
"""

from __future__ import annotations

import functools
import re

from digest.actors.lexicon import FUNCTION_WORDS, is_common, is_plain
from digest.actors.names import tables

_WORDS = re.compile(r"[A-Za-z][\w'’.-]*")


MAX_WORDS = 25  # a longer line is prose, whatever its capitals
_CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)


def _ordinary(word: str) -> bool:
    """An ordinary word that prose writes in lower case: not a function word (headline styles
    differ on those), a title ("President") or a calendar word."""
    low = word.lower().rstrip(".")
    t = tables()
    if low in FUNCTION_WORDS or low in _CALENDAR or low in t.role_heads or low in t.honorifics:
        return False
    return len(word) >= 3 and not word.isupper() and is_common(word)


@functools.lru_cache(maxsize=4096)
def is_case_unreliable(line: str) -> bool:
    """A Title Case or ALL CAPS line: at least two capitalised words that only ordinary words
    are (verbs, adjectives, plural nouns: "Stinging", "Touches"), and nearly all of its ordinary
    words capitalised. Singular nouns do not count as evidence: the dictionary holds many names
    among them ("Tiger Woods", "Sweden")."""
    words = _WORDS.findall(line)
    if len(words) > MAX_WORDS:
        return False
    letters = [c for c in line if c.isalpha()]
    if len(words) >= 3 and letters and sum(c.isupper() for c in letters) >= 0.8 * len(letters):
        return True
    common = [w for w in words if _ordinary(w)]
    plain_upper = sum(1 for w in common if w[0].isupper() and is_plain(w))
    upper = sum(1 for w in common if w[0].isupper())
    return plain_upper >= 2 and upper >= 0.75 * len(common)


def unreliable_ranges(text: str, title_end: int) -> list[tuple[int, int]]:
    """Character ranges of the lines of ``text`` whose case cannot be trusted."""
    out = []
    pos = 0
    for line in text.split("\n"):
        if line.strip() and is_case_unreliable(line):
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _sure_text(text: str, ranges: list[tuple[int, int]]) -> str:
    """The text with unreliable lines blanked out (same length, so offsets hold)."""
    chars = list(text)
    for a, b in ranges:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def _found(words: list[str], sure: str, any_case: bool) -> str | None:
    """The run of ``words`` as the sure text writes it, if it does, not opening a sentence."""
    pattern = r"(?<![\w.-])" + r"\s+".join(re.escape(w) for w in words) + r"(?![\w-])"
    for m in re.finditer(pattern, sure, re.IGNORECASE if any_case else 0):
        found = m.group()
        before = sure[: m.start()].rstrip()
        if not found[0].isupper():
            continue
        if before and before[-1] not in '.!?\n"“:' or len(words) > 1 or not is_common(found):
            return found
    return None


def confirm(span: str, sure: str, person: bool = False) -> tuple[str, bool] | None:
    """The name to keep for ``span`` found in an unreliable line, and whether it still needs a
    confirmation; None when nothing of it is a name. A span of ordinary words only is kept (to
    be confirmed) when it is one word, or, for a person, as its first word ("Trump Threatens
    Military Action": a headline's name comes first)."""
    words = span.split()
    any_case = span.isupper()
    for size in range(len(words), 0, -1):
        for i in range(len(words) - size + 1):
            run = words[i : i + size]
            if size == 1 and (run[0].lower() in FUNCTION_WORDS or len(run[0]) < 2):
                continue
            found = _found(run, sure, any_case)
            if found:
                return found, False
    while words and is_common(words[0]):
        words = words[1:]
    while words and is_common(words[-1]):
        words = words[:-1]
    if words:
        return " ".join(words), False
    first = span.split()
    if len(first) == 1 or (person and first[0].lower() not in FUNCTION_WORDS):
        return first[0], True
    return None


def sure_text(text: str, ranges: list[tuple[int, int]]) -> str:
    return _sure_text(text, ranges)
