"""Pydantic models of the index: what `briefbot export` prints and what the store writes.

The export schema (documented in README.md) is `IndexExport`; `IndexData` adds the parts that are
stored but not exported (sentences, mentions, dates).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

EntityKind = Literal["person", "organization", "place", "group"]
SpeakerKind = Literal["person", "organization", "place", "group", "description"]
DateSource = Literal["header", "metadata", "text", "caption", "copyright", "unknown"]


class DocumentOut(BaseModel):
    id: str
    title: str
    date: str | None = Field(None, description="YYYY-MM-DD, or YYYY when only a year is known")
    date_source: DateSource = "unknown"
    outlet: str | None = None
    dateline: str | None = None
    author: str | None = Field(None, description="the byline's author(s), when the article names them")
    credits: list[str] = []
    captions: list[str] = []
    url: str | None = None
    story_id: str | None = Field(None, description="the first article of the story this one republishes "
                                                    "(near-duplicate text), else its own id")


class Role(BaseModel):
    text: str
    doc_ids: list[str]


class EntityOut(BaseModel):
    id: str
    name: str
    kind: EntityKind
    aliases: list[str] = []
    roles: list[Role] = []
    doc_ids: list[str] = []
    mention_count: int = 0


class QuoteOut(BaseModel):
    id: str
    text: str
    speaker_id: str | None = Field(None, description="the speaking entity; null for a description or unknown")
    speaker: str | None = Field(None, description="the speaker as the attribution names it: the entity's short form "
                                "there ('the IMF said'), else its name without a generational suffix; or the "
                                "description ('a spokeswoman for X') or a name the index has no entity for")
    speaker_kind: SpeakerKind | None = Field(None, description="the entity's kind, 'description', or null: unknown")
    doc_id: str
    partial: bool = False


FigureKind = Literal["count", "money", "percent", "change", "measurement", "rate"]


class FigureOut(BaseModel):
    id: str
    value: float
    unit: str | None = None
    kind: FigureKind = "count"
    currency: str | None = Field(None, description="ISO 4217 code of a money figure; null when unknown")
    direction: Literal["up", "down"] | None = None
    alt_value: float | None = Field(None, description="the bracketed conversion: \"$12.5m (£9.7m)\" → 9,700,000")
    alt_unit: str | None = None
    qualifier: str | None = None
    subject: str | None = None
    text: str
    sentence: str
    doc_id: str
    group_id: str


class FigureGroupOut(BaseModel):
    id: str
    value: float
    unit: str | None = None
    subject: str | None = None
    doc_ids: list[str]
    conflicts_with: list[str] = []


class IndexExport(BaseModel):
    schema_version: int
    documents: list[DocumentOut]
    entities: list[EntityOut]
    quotes: list[QuoteOut]
    figures: list[FigureOut]
    figure_groups: list[FigureGroupOut]


# --- stored, not exported -------------------------------------------------------------------------


class SentenceRow(BaseModel):
    doc_id: str
    idx: int
    para: int
    text: str


class MentionRow(BaseModel):
    entity_id: str
    doc_id: str
    sent_idx: int
    surface: str


class DateRow(BaseModel):
    doc_id: str
    sent_idx: int
    text: str
    iso: str | None = None


class QuoteRow(QuoteOut):
    sent_idx: int = 0


class FigureRow(FigureOut):
    sent_idx: int = 0


class DocumentRow(DocumentOut):
    path: str = ""
    sha256: str = ""


class IndexData(BaseModel):
    documents: list[DocumentRow] = []
    entities: list[EntityOut] = []
    quotes: list[QuoteRow] = []
    figures: list[FigureRow] = []
    figure_groups: list[FigureGroupOut] = []
    sentences: list[SentenceRow] = []
    mentions: list[MentionRow] = []
    dates: list[DateRow] = []
