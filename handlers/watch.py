"""What is new about an entity: the articles indexed after a moment that mention or quote it (for `/watch`
alerts), each with its first quote by the entity, if any."""

from __future__ import annotations

from pydantic import BaseModel

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
    """The sequence number of the last document indexed (documents get increasing row ids as they come in)."""
    return int(index.conn.execute("SELECT coalesce(max(rowid), 0) FROM documents").fetchone()[0])


def new_articles(index: Index, entity_id: str, after: int, limit: int = 20) -> list[NewArticle]:
    """Articles indexed after document number `after` (see `last_document`) that mention or quote
    `entity_id`, oldest first."""
    rows = index.conn.execute(
        "SELECT d.id, d.title, d.date, d.outlet, d.url, d.added_at FROM documents d WHERE d.rowid > ? AND"
        " (d.id IN (SELECT doc_id FROM entity_docs WHERE entity_id = ?)"
        "  OR d.id IN (SELECT doc_id FROM quotes WHERE speaker_id = ?))"
        " ORDER BY d.rowid LIMIT ?", (after, entity_id, entity_id, limit)).fetchall()
    out = []
    for doc_id, title, day, outlet, url, added in rows:
        quote = index.conn.execute("SELECT text FROM quotes WHERE doc_id = ? AND speaker_id = ? ORDER BY sent_idx"
                                   " LIMIT 1", (doc_id, entity_id)).fetchone()
        out.append(NewArticle(doc_id=doc_id, title=title, date=day, outlet=outlet, url=url, added_at=added,
                              quote=quote[0] if quote else None))
    return out


def entity_name(index: Index, entity_id: str) -> str | None:
    row = index.conn.execute("SELECT name FROM entities WHERE id = ?", (entity_id,)).fetchone()
    return row[0] if row else None
