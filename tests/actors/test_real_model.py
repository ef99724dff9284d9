"""The actors stage over the real spaCy model (loaded offline from the installed package)."""

from __future__ import annotations

import pytest

from digest.actors.context import actor_mentions
from digest.actors.rank import story_actors
from digest.models import Actor
from digest.text import nlp as nlp_loader
from digest.text.entities import LABELS, Mention


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return nlp_loader.load("auto")


def actors_of(nlp, title: str, body: str) -> list[Actor]:  # type: ignore[no-untyped-def]
    text = f"{title}\n\n{body}"
    spans = [
        Mention(e.text, e.label_, e.start_char, e.end_char)
        for e in nlp(text).ents
        if e.label_ in LABELS
    ]
    return [a for a, _ in story_actors(actor_mentions("i1", "Wire", title, text, spans))]


def test_actors_of_plain_text_with_the_real_model(nlp) -> None:  # type: ignore[no-untyped-def]
    body = (
        "Foreign Minister Pedro Alves of Brazil met Kenyan officials in Nairobi on Monday. "
        "Alves said Brazil's offer was final. Kenyan coffee exports rose."
    )
    by_name = {a.name: a for a in actors_of(nlp, "", body)}
    assert "Pedro Alves" in by_name and "Alves" not in by_name
    assert by_name["Pedro Alves"].role == "Foreign Minister"
    assert by_name["Pedro Alves"].mentions == 2
    assert "Kenya" in by_name
    assert by_name["Brazil"].mentions == 2
