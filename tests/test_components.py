"""The extraction as spaCy pipeline components: one Doc per article, one component per step, on made-up text."""

from __future__ import annotations

import gc
import weakref

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from corpus.aliases import load_curated
from corpus.build import parse_articles
from corpus.extract import extract_document
from corpus.extraction import NAME_SPANS, REFERENCE_SPANS, context, merge_paragraphs, paragraph_docs
from corpus.ingest import parse_article
from corpus.nlp import COMPONENT_NAMES, load_nlp

ARTICLE = (
    "date 2024-03-08 Ferry board buys boats\n"
    "Mara Quill, the harbour director of Velmora, said on Monday: \"We will buy four boats this year.\" "
    "She added that the fleet would grow by 12%.\n\n"
    "The Velmora Ferry Board (VFB) agreed. The VFB has 12 members, Quill said.\n\n"
    "A new pier opens in June."
)

# what each component writes on the Doc, in pipeline order
WRITES = {
    "briefbot_mentions": ("defined_aliases", "known_as"),
    "briefbot_entities": ("entities",),
    "briefbot_roles": ("mentions",),
    "briefbot_coref": (),
    "briefbot_quotes": ("quotes",),
    "briefbot_figures": ("figures", "figures_without_subject"),
    "briefbot_dates": ("dates",),
}


def article_doc(text: str = ARTICLE) -> Doc:
    [(article, doc)] = list(parse_articles([parse_article("t", text)]))
    doc._.article, doc._.curated = article, load_curated()
    return doc


def pipeline(names: tuple[str, ...]) -> Language:
    """A pipeline of the given extraction components alone, to run over an article's parsed Doc."""
    nlp = spacy.blank("en")
    for name in names:
        nlp.add_pipe(name)
    return nlp


def test_the_briefbot_pipeline_is_the_model_then_one_component_per_step() -> None:
    nlp = load_nlp()
    assert list(COMPONENT_NAMES) == list(WRITES)
    assert nlp.component_names[-len(COMPONENT_NAMES):] == list(COMPONENT_NAMES)
    assert "ner" in nlp.component_names[:-len(COMPONENT_NAMES)]
    assert all(name in nlp.disabled for name in COMPONENT_NAMES)  # nlp(text) is the model alone
    assert all(Language.has_factory(name) for name in COMPONENT_NAMES)
    doc = nlp("Mara Quill spoke.")
    assert doc.ents and doc._.entities is None


@pytest.mark.parametrize("upto", range(1, len(COMPONENT_NAMES) + 1))
def test_each_component_runs_in_a_pipeline_of_its_own(upto: int) -> None:
    """Components added with nlp.add_pipe run with nlp(doc) and write their results on Doc._, reading only what
    the components before them wrote."""
    doc = pipeline(COMPONENT_NAMES[:upto])(article_doc())
    for name in COMPONENT_NAMES:
        written = [getattr(doc._, attr) is not None for attr in WRITES[name]]
        assert all(written) if name in COMPONENT_NAMES[:upto] else not any(written)


def test_components_write_entities_and_spans() -> None:
    doc = pipeline(COMPONENT_NAMES[:COMPONENT_NAMES.index("briefbot_coref") + 1])(article_doc())
    names = {(s.text, s.label_, s._.entity_key) for s in doc.spans[NAME_SPANS]}
    assert ("Mara Quill", "person", "person:mara quill") in names
    assert ("Quill", "person", "person:mara quill") in names
    assert ("VFB", "organization", "organization:velmora ferry board") in names
    assert doc._.defined_aliases == {"VFB": "Velmora Ferry Board"}
    assert "VFB" in doc._.entities["organization:velmora ferry board"].aliases
    assert {(s.text, s._.entity_key) for s in doc.spans[REFERENCE_SPANS]} >= {("She", "person:mara quill")}
    assert any(m.surface == "She" and m.key == "person:mara quill" for m in doc._.mentions)


def test_articles_come_out_whole_and_in_order_however_many_paragraphs_are_held(monkeypatch: pytest.MonkeyPatch) -> None:
    import corpus.build

    texts = ["Mara Quill spoke first.\n\nIt rained on the harbour.", "Tomas Berg replied.",
             "Velmora waited.\n\nThe ferry left at noon.\n\nNobody came back."]
    articles = [parse_article(f"a{n}", text) for n, text in enumerate(texts)]
    held = [(a.id, d.text) for a, d in parse_articles(articles)]  # all three held to the end
    assert held == [(a.id, " ".join(a.paragraphs)) for a in articles]
    monkeypatch.setattr(corpus.build, "EXTRACT_RUN", 1)  # each handed on as soon as the next one starts
    assert [(a.id, d.text) for a, d in parse_articles(articles)] == held


def test_one_doc_per_article_keeps_paragraphs_and_sentences() -> None:
    nlp = load_nlp()
    paragraphs = ["Mara Quill spoke first.  It rained.", "Tomas Berg replied. ", "Velmora waited."]
    parsed = list(nlp.pipe(paragraphs))
    doc = merge_paragraphs(parsed)
    assert doc.text == "Mara Quill spoke first.  It rained. Tomas Berg replied. Velmora waited."
    assert [doc[p.start:p.end].text for p in doc._.paragraphs] == [p.strip() for p in paragraphs]
    assert [s.text for s in doc.sents] == [s.text for d in parsed for s in d.sents]
    assert [e.text for e in doc.ents] == [e.text for d in parsed for e in d.ents]
    spacys = Doc.from_docs(parsed, exclude=["tensor"]).to_json()  # what spaCy's own merge makes, but the morphology
    spacys["tokens"] = [{k: v for k, v in t.items() if k != "morph"} for t in spacys["tokens"]]
    assert doc.to_json() == spacys
    assert paragraph_docs(doc) is doc._.paragraph_docs
    doc._.paragraph_docs = None  # a Doc that did not keep its paragraphs: views rebuilt from its arrays
    views = paragraph_docs(doc)
    for view, original in zip(views, parsed, strict=True):
        assert view.text == original.text
        assert [(t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, t.is_sent_start, t.ent_iob_, t.ent_type_)
                for t in view] == \
               [(t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, t.is_sent_start, t.ent_iob_, t.ent_type_)
                for t in original]
    ctx = context(doc)
    assert ctx.docs and ctx is context(doc)
    assert [(p, ctx.sentences[n].strip()) for n, (p, _, _) in enumerate(ctx.sent_bounds)] == [
        (0, "Mara Quill spoke first."), (0, "It rained."), (1, "Tomas Berg replied."), (2, "Velmora waited.")]


def test_extraction_is_what_the_components_wrote() -> None:
    doc = article_doc()
    ex = extract_document(doc._.article, doc, doc._.curated)
    other = pipeline(COMPONENT_NAMES)(article_doc())
    assert ex.entities == sorted(other._.entities.values(), key=lambda e: e.key)
    assert (ex.mentions, ex.quotes, ex.dates) == (other._.mentions, other._.quotes, other._.dates)
    assert (ex.figures, ex.figures_without_subject) == (other._.figures, other._.figures_without_subject)
    assert [s.para for s in ex.sentences] == [0, 0, 1, 1, 2, 3]  # the title, read for names, comes last
    [quote] = ex.quotes
    assert quote.speaker_key == "person:mara quill" and quote.sent_idx == 0
    assert {f.value for f in ex.figures} == {12.0, 4.0}
    assert all(f.sent_idx < 5 for f in ex.figures)  # none from the title


def test_the_components_run_on_a_doc_of_bare_text() -> None:
    """With the components enabled, nlp(text) reads the text as an article of one paragraph, as the build does."""
    text = ("Mara Quill, the harbour director of Velmora, said on Monday: \"We will buy four boats this year.\" "
            "She added that the fleet would grow by 12%.")
    nlp = load_nlp()
    for name in COMPONENT_NAMES:
        nlp.enable_pipe(name)
    try:
        doc = nlp(text)
    finally:
        for name in COMPONENT_NAMES:
            nlp.disable_pipe(name)
    [(article, built)] = list(parse_articles([parse_article("t", text)]))
    ex = extract_document(article, built, load_curated())
    assert [e.model_dump() for e in sorted(doc._.entities.values(), key=lambda e: e.key)] == \
        [e.model_dump() for e in ex.entities]
    assert (doc._.mentions, doc._.quotes, doc._.figures, doc._.dates) == (ex.mentions, ex.quotes, ex.figures, ex.dates)
    assert doc._.paragraphs == [(0, len(doc), False)] and doc._.article.paragraphs == [text]
    assert nlp.disabled == [name for name in nlp.component_names if name in COMPONENT_NAMES or name == "senter"]


def test_an_article_doc_is_freed_as_soon_as_it_is_read() -> None:
    """No reference cycle between the Doc and its context: a build frees each article's Doc by reference counting."""
    doc = article_doc()
    extract_document(doc._.article, doc, doc._.curated)
    ref = weakref.ref(doc)
    gc.disable()
    try:
        del doc
        assert ref() is None
    finally:
        gc.enable()
