"""Per-document extraction: parsed paragraphs in, a cacheable `DocExtraction` out."""

from __future__ import annotations

from spacy.tokens import Doc

from corpus.aliases import Curated
from corpus.coref import link_references, reference_mentions
from corpus.dates import extract_dates
from corpus.entities import (
    add_author,
    attach_known_as,
    collect,
    defined_aliases,
    find_mentions,
    group_entities,
)
from corpus.extraction import DocContext, DocExtraction, LocalSentence
from corpus.figures import extract_figures
from corpus.ingest import Article
from corpus.models import EntityKind
from corpus.quotes import extract_quotes


def extract_document(article: Article, docs: list[Doc], curated: Curated) -> DocExtraction:
    """Entities, mentions, roles, aliases, quotes, figures and dates of one article."""
    ctx = DocContext(docs=docs)
    short_to_long, known = defined_aliases(ctx)
    defined: dict[str, EntityKind] = {}
    for short, long in short_to_long.items():
        group = curated.lookup(long)
        defined[short] = group.kind if group else "organization"
        defined.setdefault(long, defined[short])
    find_mentions(ctx, curated, defined, article.body_count)
    entities = group_entities(ctx, curated, short_to_long)
    for short, long in short_to_long.items():
        owner = next((e for e in entities.values() if long in e.forms or e.name == long), None)
        if owner is not None and short not in owner.aliases:
            owner.aliases.append(short)
    attach_known_as(ctx, entities, known)
    ctx.kinds = {k: e.kind for k, e in entities.items()}
    mentions = collect(ctx, entities)
    add_author(entities, article.author, article.author_role)
    link_references(ctx, entities)
    mentions += reference_mentions(ctx)
    quotes = extract_quotes(ctx, article.body)
    figures, dropped = extract_figures(ctx, article)
    body = len(article.body)
    figures = [f for f in figures if ctx.sent_bounds[f.sent_idx][0] < body]  # none from titles and captions
    sentences = [LocalSentence(idx=n, para=p, text=ctx.sentences[n].strip())
                 for n, (p, _, _) in enumerate(ctx.sent_bounds)]
    return DocExtraction(
        article=article.model_copy(update={"paragraphs": []}),
        sentences=sentences,
        entities=sorted(entities.values(), key=lambda e: e.key),
        mentions=mentions,
        quotes=quotes,
        figures=figures,
        dates=extract_dates(ctx, article.date),
        figures_without_subject=dropped,
    )
