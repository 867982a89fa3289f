"""An open index for the handlers: a read-only SQLite connection plus the resolver's in-memory tables."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from corpus.store import REBUILD_HINT, IndexUnavailable, open_index
from handlers.resolver import Resolver


@dataclass(eq=False)
class Index:
    """What every handler takes. Safe to share between threads: the resolver is read-only, SQLite
    serialises access to the connection, and lazily computed summaries are built once under a lock."""

    path: Path
    conn: sqlite3.Connection
    resolver: Resolver
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def open(cls, path: Path) -> Index:
        """Open the index at `path`; IndexUnavailable (with how to rebuild) when missing, corrupt or old."""
        conn = open_index(Path(path))  # read-only (mode=ro): handlers can never change the index
        try:
            resolver = Resolver.from_connection(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise IndexUnavailable(f"The index at {path} is unreadable ({exc}). {REBUILD_HINT}") from exc
        return cls(Path(path), conn, resolver)

    def close(self) -> None:
        self.conn.close()

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """`compute()` once per open index (the index is read-only, so the value never goes stale)."""
        with self._lock:
            if key not in self._memo:
                self._memo[key] = compute()
            return self._memo[key]

    def figure_positions(self) -> str:
        """A table of (doc_id, sent_idx, group_id) indexed by position, for joining figures to sentences:
        `figures` itself when the schema indexes it so, else an in-memory TEMP copy built on first use."""

        def compute() -> str:
            for _, name, *_ in self.conn.execute("PRAGMA index_list(figures)").fetchall():
                columns = [row[2] for row in self.conn.execute(f"PRAGMA index_info({name})")]
                if columns[:2] == ["doc_id", "sent_idx"]:
                    return "figures"
            with self.conn:
                self.conn.execute("PRAGMA temp_store = MEMORY")
                self.conn.execute("CREATE TEMP TABLE figure_at AS SELECT doc_id, sent_idx, group_id FROM figures")
                self.conn.execute("CREATE INDEX temp.figure_at_position ON figure_at(doc_id, sent_idx)")
            return "temp.figure_at"

        return str(self.memo("figure_positions", compute))

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
