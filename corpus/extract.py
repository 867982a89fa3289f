"""Per-document extraction: an article's Doc (its paragraphs parsed by the model and merged) in, a cacheable
`DocExtraction` out, read off what the extraction components (corpus/nlp.py) wrote on `Doc._`."""

from __future__ import annotations

from spacy.tokens import Doc

from corpus.aliases import Curated
from corpus.extraction import DocExtraction, LocalSentence, context
from corpus.ingest import Article
from corpus.nlp import run_components


def extract_document(article: Article, doc: Doc, curated: Curated) -> DocExtraction:
    """Entities, mentions, roles, aliases, quotes, figures and dates of one article."""
    doc._.article, doc._.curated = article, curated
    doc = run_components(doc)
    ctx = context(doc)
    sentences = [LocalSentence(idx=n, para=p, text=ctx.sentences[n].strip())
                 for n, (p, _, _) in enumerate(ctx.sent_bounds)]
    return DocExtraction(
        article=article.model_copy(update={"paragraphs": []}),
        sentences=sentences,
        entities=sorted(doc._.entities.values(), key=lambda e: e.key),
        mentions=doc._.mentions,
        quotes=doc._.quotes,
        figures=doc._.figures,
        dates=doc._.dates,
        figures_without_subject=doc._.figures_without_subject,
    )
