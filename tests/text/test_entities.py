"""The shared spaCy pass: loaded once per session, only NER enabled, results cached in the store."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from digest.config import NlpConfig
from digest.models import Article, StoredItem
from digest.store import Store
from digest.text import nlp as nlp_loader
from digest.text.entities import analyse, analysed_text


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


def test_only_the_components_ner_needs_are_enabled(nlp) -> None:  # type: ignore[no-untyped-def]
    assert set(nlp.pipe_names) <= {"tok2vec", "ner"}


def test_mentions_are_offsets_into_the_analysed_text_and_cached(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    it = _item(
        "a1",
        "Brazil and Kenya sign a trade pact",
        "Foreign Minister Pedro Alves signed for Brazil in Nairobi on Monday.",
    )
    store = Store.open(tmp_path / "s.db")
    try:
        with store.transaction():
            first = analyse([it], store, NlpConfig())
        text = analysed_text(it.article)
        assert first["a1"]
        assert all(text[m.start : m.end] == m.text for m in first["a1"])
        assert {"Brazil", "Kenya"} <= {m.text for m in first["a1"]}
        assert store.cached_mentions(["a1"])["a1"] == first["a1"]
    finally:
        store.close()
