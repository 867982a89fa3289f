"""What is new about an entity: the articles indexed after a moment that mention or quote it (for `/watch`
alerts), each with its first quote by the entity, if any."""

from __future__ import annotations

from pydantic import BaseModel

from handlers import query
from handlers.index import Index


class NewArticle(BaseModel):
    doc_id: str
    title: str
    date: str | None = None
    outlet: str | None = None
    url: str | None = None
    added_at: str
    quote: str | None = None


def last_document(index: Index) -> int:
    """The sequence number of the last document indexed: a watch made now announces later ones."""
    return query.last_document(index.conn)


def new_articles(index: Index, entity_id: str, after: int, limit: int = 20) -> list[NewArticle]:
    """Articles indexed after document number `after` (see `last_document`) that mention or quote
    `entity_id`, oldest first, each with the entity's first quote there."""
    return [NewArticle(doc_id=d.id, title=d.title, date=d.date, outlet=d.outlet, url=d.url, added_at=d.added_at,
                       quote=query.first_quote_in(index.conn, d.id, entity_id))
            for d in query.documents_about_since(index.conn, entity_id, after, limit)]


def entity_name(index: Index, entity_id: str) -> str | None:
    return query.entity_names(index.conn, [entity_id]).get(entity_id)
