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


def test_the_model_loads_offline_and_quietly(monkeypatch: pytest.MonkeyPatch) -> None:
    """The model loads from the installed package with the network refused, and without a
    warning reaching the user."""
    import socket
    import warnings

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("the model tried to use the network")

    nlp_loader.load.cache_clear()
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nlp = nlp_loader.load("auto")
    assert nlp_loader.model_name("auto") in nlp_loader.MODEL_CANDIDATES
    assert "ner" in nlp.pipe_names
    ents = {(e.text, e.label_) for e in nlp("Dana Okafor met officials in London on Monday.").ents}
    assert ("London", "GPE") in ents
