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

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
