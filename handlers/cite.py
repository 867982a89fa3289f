"""Citations: documents numbered in the order a reply first refers to them, rendered as `[n]`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from handlers import query
from handlers.models import Citation

CITED_TITLE_CHARS = 120  # a source's title in a list of sources, as the lines show titles


class Citer:
    """Numbers the documents one reply cites; `citations()` fetches their titles, outlets and dates."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.numbers: dict[str, int] = {}

    def __call__(self, doc_ids: Iterable[str], limit: int = 8) -> str:
        """ "[1][2]" for these documents (numbered on first use, shown in number order); at most `limit`
        markers, then "+k"."""
        unique = list(dict.fromkeys(doc_ids))
        shown = sorted(self.numbers.setdefault(d, len(self.numbers) + 1) for d in unique[:limit])
        extra = len(unique) - limit
        return "".join(f"[{n}]" for n in shown) + (f" +{extra}" if extra > 0 else "")

    def citations(self) -> list[Citation]:
        meta = query.documents(self.conn, list(self.numbers))
        out = []
        for doc_id, n in self.numbers.items():
            doc = meta.get(doc_id)
            if doc is None:
                out.append(Citation(n=n, doc_id=doc_id, title=doc_id))
            else:
                out.append(Citation(n=n, doc_id=doc_id, title=doc.title, outlet=doc.outlet, date=doc.date,
                                    date_source=doc.date_source, path=doc.path, url=doc.url))
        return sorted(out, key=lambda c: c.n)
