"""Citations: documents numbered in the order a reply first refers to them, rendered as `[n]`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from handlers.models import Citation

SQL_CHUNK = 500  # ids per IN (…) list, well under SQLite's variable limit


class Citer:
    """Numbers the documents one reply cites; `citations()` fetches their titles, outlets and dates."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.numbers: dict[str, int] = {}

    def __call__(self, doc_ids: Iterable[str], limit: int = 8) -> str:
        """ "[1][2]" for these documents (numbered on first use); at most `limit` markers, then "+k"."""
        unique = list(dict.fromkeys(doc_ids))
        marks = []
        for doc_id in unique[:limit]:
            n = self.numbers.setdefault(doc_id, len(self.numbers) + 1)
            marks.append(f"[{n}]")
        extra = len(unique) - limit
        return "".join(marks) + (f" +{extra}" if extra > 0 else "")

    def citations(self) -> list[Citation]:
        ids = list(self.numbers)
        meta: dict[str, tuple[str, str | None, str | None]] = {}
        for start in range(0, len(ids), SQL_CHUNK):
            chunk = ids[start:start + SQL_CHUNK]
            marks = ",".join("?" * len(chunk))
            for doc_id, title, outlet, date in self.conn.execute(
                f"SELECT id, title, outlet, date FROM documents WHERE id IN ({marks})", chunk
            ):
                meta[doc_id] = (title, outlet, date)
        out = []
        for doc_id, n in self.numbers.items():
            title, outlet, date = meta.get(doc_id, (doc_id, None, None))
            out.append(Citation(n=n, doc_id=doc_id, title=title, outlet=outlet, date=date))
        return out
