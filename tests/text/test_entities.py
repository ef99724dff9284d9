"""The shared spaCy pass: only the ``ner`` component, each distinct text analysed once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from digest.config import NlpConfig
from digest.models import Article, Mention, StoredItem
from digest.store import Store
from digest.text import entities
from digest.text import nlp as nlp_loader
from digest.text.entities import analyse, analysed_text, ner_text, text_key


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return nlp_loader.load("auto")  # lru-cached: every later load() in this module reuses it


def _item(ident: str, title: str, text: str) -> StoredItem:
    art = Article(
        id=ident,
        source="wire",
        origin=ident,
        title=title,
        text=text,
        url=None,
        canonical_url=None,
        published=None,
        date_source="first-seen",
        content_hash=ident,
    )
    return StoredItem(
        article=art, day=date(2025, 3, 4), first_seen=datetime(2025, 3, 4, tzinfo=UTC)
    )


def test_only_the_ner_component_is_loaded(nlp) -> None:  # type: ignore[no-untyped-def]
    # In the small English pipeline ``ner`` has its own encoder: nothing else is needed.
    assert nlp.pipe_names == ["ner"]


def test_mentions_are_offsets_into_the_analysed_text_and_cached(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    it = _item(
        "a1",
        "Brazil and Kenya sign a trade pact",
        "Foreign Minister Pedro Alves signed for Brazil in Nairobi on Monday.",
    )
    store = Store.open(tmp_path / "s.db")
    try:
        first = analyse([it], store, NlpConfig())
        text = analysed_text(it.article)
        assert first.mentions["a1"]
        assert all(text[m.start : m.end] == m.text for m in first.mentions["a1"])
        assert {"Brazil", "Kenya"} <= {m.text for m in first.mentions["a1"]}
        assert list(first.fresh.values()) == [first.mentions["a1"]]
        with store.transaction():
            store.save_mentions(first.fresh)
        again = analyse([it], store, NlpConfig())
        assert again.fresh == {} and again.mentions == first.mentions
    finally:
        store.close()


class _Cache:
    def __init__(self, known: dict[str, tuple[Mention, ...]]) -> None:
        self.known = known
        self.asked: list[str] = []

    def cached_mentions(self, keys: Sequence[str]) -> dict[str, tuple[Mention, ...]]:
        self.asked.extend(keys)
        return {k: self.known[k] for k in keys if k in self.known}


def test_a_text_is_analysed_once_whatever_the_items_carrying_it(nlp) -> None:  # type: ignore[no-untyped-def]
    body = "Mayor Ilse Varga opened the new bridge in Tarnow on Friday."
    a, b = _item("a", "Bridge opens", body), _item("b", "Bridge opens", body)
    changed = _item("a2", "Bridge opens", body.replace("Friday", "Saturday"))
    result = analyse([a, b], _Cache({}), NlpConfig())
    assert len(result.fresh) == 1  # one analysis for the two items
    assert result.mentions["a"] == result.mentions["b"]
    # The cache is keyed by the text: an item whose text changed is analysed again.
    cached = analyse([a, changed], _Cache(dict(result.fresh)), NlpConfig())
    assert len(cached.fresh) == 1 and cached.fresh.keys() != result.fresh.keys()
    assert "Saturday" in {m.text for m in cached.mentions["a2"]}
    assert cached.mentions["a"] == result.mentions["a"]


def test_cached_texts_never_load_the_model() -> None:
    it = _item("a", "Bridge opens", "Mayor Ilse Varga opened it.")
    known = (Mention("Ilse Varga", "PERSON", 20, 30),)
    config = NlpConfig(model="no_such_model")  # loading it would raise
    key = text_key(analysed_text(it.article), "no_such_model")
    result = analyse([it], _Cache({key: known}), config)
    assert result.mentions == {"a": known} and result.fresh == {}


def test_many_texts_in_worker_processes_match_one_process(nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    items = [
        _item(
            f"i{n}", f"Council of Orvik votes {n}", f"Mayor Ilse Varga met {n} residents in Orvik."
        )
        for n in range(24)
    ]
    monkeypatch.setattr(entities, "MIN_TEXTS_PER_PROCESS", 4)
    one = analyse(items, _Cache({}), NlpConfig(processes=1, batch_size=5))
    two = analyse(items, _Cache({}), NlpConfig(processes=2, batch_size=5))
    assert one == two
    assert len(one.fresh) == 24
    assert all("Ilse Varga" in {m.text for m in ms} for ms in one.mentions.values())


def test_long_texts_are_read_up_to_the_sentence_crossing_the_limit() -> None:
    body = "The Orvik council met on Monday. " * 10 + "Mayor Ilse Varga spoke last."
    it = _item("a", "Council meets", body)
    whole = analysed_text(it.article)
    assert ner_text(it.article, 10_000) == whole
    cut = ner_text(it.article, 50)
    assert whole.startswith(cut) and cut.endswith("Monday.") and 50 <= len(cut) < 90
    endless = _item("b", "Council meets", "no sentence ends here " * 10).article
    assert ner_text(endless, 20) == analysed_text(endless)  # never cut inside a sentence


def test_a_model_given_as_a_folder_loads_with_only_ner() -> None:
    import spacy

    package = spacy.util.get_package_path(nlp_loader.model_name("auto"))
    folder = next(p.parent for p in package.glob("*/config.cfg"))
    assert nlp_loader.load(str(folder)).pipe_names == ["ner"]


def test_a_dead_worker_never_hangs_the_run(nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import os

    parent, real = os.getpid(), entities._batch_mentions

    def dies_in_a_worker(job):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            os._exit(9)  # as if the kernel killed it
        return real(job)

    # Sent to the workers by name, as the module attribute it replaces.
    dies_in_a_worker.__module__, dies_in_a_worker.__qualname__ = (
        entities.__name__,
        "_batch_mentions",
    )
    monkeypatch.setattr(entities, "_batch_mentions", dies_in_a_worker)
    monkeypatch.setattr(entities, "MIN_TEXTS_PER_PROCESS", 2)
    items = [
        _item(f"i{n}", f"Orvik ferry {n}", f"Mayor Ilse Varga sailed {n} times.") for n in range(6)
    ]
    result = analyse(items, _Cache({}), NlpConfig(processes=2, batch_size=2))
    assert len(result.mentions) == 6 and len(result.fresh) == 6
