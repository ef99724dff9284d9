"""The lemmatizer word lists are read from the model package without spaCy, and read the same."""

from __future__ import annotations

import subprocess
import sys

import pytest

from digest.actors import lexicon

spacy = pytest.importorskip("spacy")


@pytest.mark.parametrize(
    "text", ["noun", "verb", "adj", "adv", "lemma_index", "x", "Ünïcødé", "a" * 17]
)
def test_string_ids_are_spacys(text: str) -> None:
    from spacy.strings import get_string_id

    assert lexicon.string_id(text) == get_string_id(text)


def test_the_tables_match_spacys_own_reader() -> None:
    from spacy.lookups import Lookups

    folder = lexicon._model_dir()
    if folder is None:
        pytest.skip("no English model with lemmatizer tables is installed")
    ours = lexicon.lexicon()
    theirs = Lookups().from_disk(folder)
    for pos in lexicon.POS:
        assert ours.index[pos] == frozenset(theirs.get_table("lemma_index").get(pos, ()))
        assert ours.exceptions[pos] == dict(theirs.get_table("lemma_exc").get(pos, {}))
        assert ours.rules[pos] == [tuple(r) for r in theirs.get_table("lemma_rules").get(pos, [])]
    assert lexicon.word_classes("Tributes") == frozenset({"noun"})
    assert not lexicon.word_classes("Navalny")


def test_reading_the_tables_imports_neither_spacy_nor_numpy() -> None:
    code = (
        "import sys; from digest.actors import lexicon; lexicon.lexicon(); "
        "print(sorted(m for m in ('spacy', 'numpy', 'thinc') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
