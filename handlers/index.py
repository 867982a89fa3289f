"""An open index for the handlers: a read-only SQLite connection plus the resolver's in-memory tables,
reloaded when a build commits a new state of the index."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from corpus.store import REBUILD_HINT, IndexUnavailable, open_index
from handlers.resolver import Resolver


def _build_id(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = 'build_id'").fetchone()
    return row[0] if row else ""


@dataclass(eq=False)
class Index:
    """What every handler takes. Safe to share between threads: the resolver is read-only, reads of one
    command run in one read transaction under a lock (so a build committing meanwhile is never half seen),
    and lazily computed summaries are built once per state of the index."""

    path: Path
    conn: sqlite3.Connection
    resolver: Resolver
    build_id: str = ""
    _data_version: int = -1
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _depth: int = field(default=0, repr=False)

    @classmethod
    def open(cls, path: Path) -> Index:
        """Open the index at `path`; IndexUnavailable (with how to rebuild) when missing, corrupt or old."""
        conn = open_index(Path(path))  # read-only (mode=ro): handlers can never change the index
        try:
            build_id = _build_id(conn)
            resolver = Resolver.from_connection(conn)
            version = conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise IndexUnavailable(f"The index at {path} is unreadable ({exc}). {REBUILD_HINT}") from exc
        return cls(Path(path), conn, resolver, build_id, version)

    def sync(self) -> bool:
        """Reload the resolver and forget memoised summaries if a build committed a new state since the last
        call. Cheap when nothing changed (one pragma). True when it reloaded."""
        with self._lock:
            version = self.conn.execute("PRAGMA data_version").fetchone()[0]
            if version == self._data_version:
                return False
            self._data_version = version
            build_id = _build_id(self.conn)
            if build_id == self.build_id:
                return False  # another commit (a build's checkpoint of parsed articles): nothing readers see
            self.resolver = Resolver.from_connection(self.conn)
            self.build_id = build_id
            self._memo.clear()
            return True

    @contextmanager
    def reading(self) -> Iterator[Self]:
        """One command's reads: the latest build, seen whole (nested uses share the outer transaction)."""
        with self._lock:
            if self._depth == 0:
                if self.conn.in_transaction:  # left open by a failed statement: nothing to keep (read-only)
                    self.conn.rollback()
                self.sync()
                self.conn.execute("BEGIN")
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self.conn.execute("COMMIT")

    def run(self, handler: Callable[..., Any], *args: object) -> Any:
        """`handler(self, *args)` over the latest build, seen whole."""
        with self.reading():
            return handler(self, *args)

    def close(self) -> None:
        self.conn.close()

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """`compute()` once per state of the index (cleared when a new build is seen)."""
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
