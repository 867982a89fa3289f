"""Reply models: what every handler returns and every adapter (Discord, console, --json) renders."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, computed_field

Status = Literal["ok", "ambiguous", "not_found", "error"]

PAGE_LINES = 12
PAGE_CHARS = 3000


class Citation(BaseModel):
    """A source document; lines refer to it as `[n]`."""

    n: int
    doc_id: str
    title: str
    outlet: str | None = None
    date: str | None = None


class ReplyField(BaseModel):
    name: str
    value: str
    inline: bool = False


class Candidate(BaseModel):
    """A possible answer to an ambiguous or unknown name."""

    id: str
    name: str
    kind: str
    score: float = 0.0


class EntityCard(BaseModel):
    id: str
    name: str
    kind: str
    headline_role: str | None = None
    roles: list[str] = []
    aliases: list[str] = []
    doc_count: int = 0
    mention_count: int = 0
    first_date: str | None = None
    last_date: str | None = None


class Reply(BaseModel):
    """One answer. `lines` is the whole body; `pages` splits it for paged rendering."""

    status: Status = "ok"
    command: str
    title: str
    lines: list[str] = []
    fields: list[ReplyField] = []
    citations: list[Citation] = []
    candidates: list[Candidate] = Field(default_factory=list)
    entity: EntityCard | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def pages(self) -> list[list[str]]:
        """`lines` cut into pages of at most PAGE_LINES lines and PAGE_CHARS characters; never cut mid-line."""
        pages: list[list[str]] = []
        current: list[str] = []
        size = 0
        for line in self.lines:
            if current and (len(current) >= PAGE_LINES or size + len(line) + 1 > PAGE_CHARS):
                pages.append(current)
                current, size = [], 0
            current.append(line)
            size += len(line) + 1
        if current:
            pages.append(current)
        return pages

    def cited(self, numbers: list[int]) -> list[Citation]:
        wanted = set(numbers)
        return [c for c in self.citations if c.n in wanted]
