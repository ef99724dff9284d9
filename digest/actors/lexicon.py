"""Which words are ordinary English words: the word lists of the spaCy model's own lemmatizer.

spaCy's English models ship WordNet-derived lists of nouns, verbs, adjectives and adverbs with
the rules and exceptions that map an inflected form to them (``lemmatizer/lookups``). They answer
one question the actors stage needs where letter case cannot be trusted (a Title Case headline, a
sentence's first word): is "Tributes", "Impeach" or "Invited" a common word, or is "Navalny" a
word no dictionary holds? The tables are read from the installed model package (no download),
once; without them every word counts as unknown, so only the other confirmations apply.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

POS = ("noun", "verb", "adj", "adv")
# Words of the closed classes are not in the WordNet lists; in a Title Case headline they are no
# more a name than a noun is.
FUNCTION_WORDS = frozenset(
    "a an the and or but nor so yet of in on at to for from by with about against between into "
    "through during before after above below over under up down out off again further then once "
    "here there when where why how all any both each few more most other some such no not only "
    "own same than too very can will just should now is are was were be been being have has had "
    "having do does did doing would could might must shall may it its he she they them his her "
    "their our we you your i me my this that these those who whom whose which what as if while "
    "because until amid despite via per vs says said say".split()
)


@dataclass(frozen=True)
class Lexicon:
    index: dict[str, frozenset[str]]  # pos -> base forms
    exceptions: dict[str, dict[str, list[str]]]  # pos -> irregular form -> base forms
    rules: dict[str, list[tuple[str, str]]]  # pos -> (suffix, replacement)


def _model_dir() -> Path | None:
    from digest.errors import ConfigError
    from digest.text import nlp as nlp_loader

    try:
        name = nlp_loader.model_name("auto")
    except ConfigError:
        return None
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        for found in sorted(Path(root).glob("*/lemmatizer/lookups/lookups.bin")):
            return found.parent
    return None


@functools.cache
def lexicon() -> Lexicon:
    folder = _model_dir()
    if folder is None:
        log.warning("no spaCy lemmatizer tables found: common words cannot be recognised")
        return Lexicon({}, {}, {})
    tables = read_lookups(folder / "lookups.bin")
    index = tables.get("lemma_index", {})
    exc = tables.get("lemma_exc", {})
    rules = tables.get("lemma_rules", {})
    return Lexicon(
        index={p: frozenset(index.get(string_id(p), ())) for p in POS},
        exceptions={p: dict(exc.get(string_id(p), {})) for p in POS},
        rules={p: [(a, b) for a, b in rules.get(string_id(p), [])] for p in POS},
    )


def read_lookups(path: Path) -> dict[str, dict[int, Any]]:
    """spaCy's ``lookups.bin`` (a msgpack map of tables, each keyed by spaCy string ids), read
    with plain msgpack: spaCy's own reader imports numpy and the model, which a run that renders
    a known day again must not pay for."""
    import msgpack

    data = msgpack.unpackb(path.read_bytes(), raw=False, strict_map_key=False)
    return {str(name): dict(table) for name, table in data.items()}


def string_id(text: str) -> int:
    """spaCy's id of a string: MurmurHash64A of its UTF-8 bytes with seed 1 (``get_string_id``)."""
    key = text.encode("utf-8")
    m, r, mask = 0xC6A4A7935BD1E995, 47, (1 << 64) - 1
    h = (1 ^ (len(key) * m)) & mask
    blocks = len(key) // 8
    for i in range(blocks):
        k = (int.from_bytes(key[8 * i : 8 * i + 8], "little") * m) & mask
        k = ((k ^ (k >> r)) * m) & mask
        h = ((h ^ k) * m) & mask
    if len(key) & 7:
        h = ((h ^ int.from_bytes(key[8 * blocks :], "little")) * m) & mask
    h = ((h ^ (h >> r)) * m) & mask
    return h ^ (h >> r)


@functools.lru_cache(maxsize=65536)
def word_classes(word: str) -> frozenset[str]:
    """The open classes a word (any case) belongs to, counting inflected forms: "Tributes" ->
    noun, "Invited" -> verb (and adjective), "Navalny" -> none."""
    low = word.lower().strip(".,;:!?\"'‘’“”()")
    low = low.removesuffix("'s").removesuffix("’s")
    if not low.isalpha():
        return frozenset()
    lex = lexicon()
    out = set()
    for pos in POS:
        bases = lex.index.get(pos, frozenset())
        if low in bases or any(b in bases for b in lex.exceptions.get(pos, {}).get(low, ())):
            out.add(pos)
            continue
        for suffix, repl in lex.rules.get(pos, ()):
            if suffix and low.endswith(suffix) and low[: -len(suffix)] + repl in bases:
                out.add(pos)
                break
    return frozenset(out)


def is_plain(word: str) -> bool:
    """A word that is no name's only use: a verb, adjective or adverb form, or a plural noun
    ("Tributes"). The WordNet noun list holds proper nouns too ("london", "putin"), so a
    singular noun alone says nothing here."""
    classes = word_classes(word)
    if classes & {"verb", "adj", "adv"}:
        return "noun" not in classes or _plural(word)
    return _plural(word)


def _plural(word: str) -> bool:
    low = word.lower()
    nouns = lexicon().index.get("noun", frozenset())
    return (
        low.endswith("s")
        and low not in nouns
        and any(
            suffix and low.endswith(suffix) and low[: -len(suffix)] + repl in nouns
            for suffix, repl in lexicon().rules.get("noun", ())
        )
    )


def is_common(word: str) -> bool:
    """An ordinary English word (open or closed class), as opposed to a word only a name has."""
    low = word.lower().strip(".,;:!?\"'‘’“”()")
    return low in FUNCTION_WORDS or bool(word_classes(word))


AUXILIARIES = frozenset(
    "is are was were has have had will would could can may might must shall should does did "
    "wants warns vows plans".split()
)


@functools.lru_cache(maxsize=65536)
def is_finite_verb(word: str) -> bool:
    """A verb form that can follow its subject: a past tense or third-person form ("launched",
    "fined", "says", "struck") or an auxiliary. Base forms are left out: after a name they are
    mostly nouns of a compound ("Iran deal", "Ukraine war")."""
    low = word.lower()
    if low in AUXILIARIES:
        return True
    if not low.isalpha() or len(low) < 3:
        return False
    lex = lexicon()
    verbs = lex.index.get("verb", frozenset())
    irregular = lex.exceptions.get("verb", {}).get(low)
    if irregular and low not in verbs:
        return True
    if not (low.endswith("ed") or low.endswith("s")):
        return False
    return any(
        suffix and low.endswith(suffix) and low[: -len(suffix)] + repl in verbs
        for suffix, repl in lex.rules.get("verb", ())
    )
