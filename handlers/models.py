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
    date_source: str | None = None  # how the date is known: header, text, caption, copyright, unknown
    path: str | None = None  # the article file the index was built from
    url: str | None = None  # the page's address, for an article added from the web
    also_in: int = 0  # other indexed articles carrying the same story (a wire story republished elsewhere)


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


class RoleItem(BaseModel):
    """A role as the articles state it, with the documents that state it and their date span."""

    text: str
    doc_ids: list[str] = []
    first_date: str | None = None
    last_date: str | None = None


class EntityCard(BaseModel):
    id: str
    name: str
    kind: str
    headline_role: str | None = None
    roles: list[RoleItem] = []
    aliases: list[str] = []
    doc_count: int = 0
    mention_count: int = 0
    first_date: str | None = None
    last_date: str | None = None


class QuoteItem(BaseModel):
    """One quotation (merged across the documents that carry it)."""

    text: str
    kind: Literal["full", "partial"]
    speaker_id: str | None = None  # None: no entity of the index (a described speaker, or unknown)
    speaker: str | None = None  # the entity's name, or the speaker as the text writes it ("a spokeswoman for X")
    speaker_kind: str | None = None  # the entity's kind, "description", or None: the speaker is unknown
    sentence: str | None = None  # the sentence of the first document that carries it
    doc_id: str
    sent_idx: int
    date: str | None = None
    doc_ids: list[str] = []


class FigureItem(BaseModel):
    """One key figure: a group of statements of the same number about the same thing."""

    id: str
    value: float
    unit: str | None = None
    display: str  # the value as a reader writes it: "$436 million", "two-thirds (66.7%)"
    subject: str | None = None
    qualifiers: list[str] = []  # how the sources qualify it: "some", "more than"
    sources: list[str] = []  # document ids
    conflicts_with: list[str] = []  # ids of near-conflicting figure groups


class DocumentItem(BaseModel):
    doc_id: str
    title: str
    outlet: str | None = None
    date: str | None = None
    date_source: str | None = None
    path: str | None = None
    url: str | None = None
    sentences: int | None = None
    quotes: int | None = None
    figures: int | None = None


class SentenceItem(BaseModel):
    """A sentence of a document (search hits, the sentence behind a citation and its neighbours)."""

    doc_id: str
    idx: int
    text: str
    date: str | None = None
    doc_ids: list[str] = []  # every document carrying the same sentence (search)


class EventItem(BaseModel):
    """A dated statement or a dated article on a timeline."""

    date: str
    said: str | None = None  # how the text says the date ("Monday"); None for an article's own date
    text: str
    doc_ids: list[str] = []


class HolderItem(BaseModel):
    """Someone who held a role: the role as stated, where and when."""

    entity_id: str
    name: str
    kind: str
    role: str
    doc_ids: list[str] = []
    first_date: str | None = None
    last_date: str | None = None


class TrendPoint(BaseModel):
    """Mentions in one period (a week, named by its Monday, or a month)."""

    period: str
    count: int


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
    holders: list[HolderItem] = []
    quotes: list[QuoteItem] = []
    figures: list[FigureItem] = []
    documents: list[DocumentItem] = []
    sentences: list[SentenceItem] = []
    events: list[EventItem] = []
    total: int | None = None  # how many results there are in all (lists show at most a page of them)
    page: int | None = None  # which page of `total` this reply is (search), from 1
    series: list[TrendPoint] = []
    image: str | None = None  # path of a PNG the reply shows (trend)
    list_sources: bool = True  # False when the lines themselves list the documents (sources)

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
