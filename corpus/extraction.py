"""The per-document extraction result (cached by content hash) and the parsed-document context the
extraction rules share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel
from spacy.tokens import Doc, Span, Token

from corpus.ingest import Article
from corpus.models import EntityKind, FigureKind


class LocalEntity(BaseModel):
    key: str
    name: str
    kind: EntityKind
    forms: dict[str, int] = {}
    roles: list[str] = []
    aliases: list[str] = []
    curated: bool = False


class LocalMention(BaseModel):
    key: str
    sent_idx: int
    surface: str


class LocalQuote(BaseModel):
    text: str
    speaker_key: str | None = None
    speaker_description: str | None = None  # "a spokeswoman for the ministry", when no entity is named
    sent_idx: int
    partial: bool = False


class LocalFigure(BaseModel):
    value: float
    unit: str | None = None
    kind: FigureKind = "count"
    currency: str | None = None
    direction: Literal["up", "down"] | None = None
    alt_value: float | None = None
    alt_unit: str | None = None
    qualifier: str | None = None
    qclass: str = "exact"
    subject: str
    head: str
    subject_keys: list[str] = []
    text: str
    sentence: str
    sent_idx: int


class LocalDate(BaseModel):
    text: str
    iso: str | None = None
    sent_idx: int


class LocalSentence(BaseModel):
    idx: int
    para: int
    text: str


class DocExtraction(BaseModel):
    article: Article
    sentences: list[LocalSentence] = []
    entities: list[LocalEntity] = []
    mentions: list[LocalMention] = []
    quotes: list[LocalQuote] = []
    figures: list[LocalFigure] = []
    dates: list[LocalDate] = []
    figures_without_subject: int = 0

    def body_sentences(self) -> list[str]:
        """The article's own sentences (not its title, headings or captions, read for names only)."""
        body = self.article.body_count
        return [s.text for s in self.sentences if body is None or s.para < body]


@dataclass
class Mention:
    """A name in the text: paragraph number, token span, kind; `key` is its local entity once grouped."""

    para: int
    start: int
    end: int
    kind: EntityKind
    text: str
    key: str = ""
    source: str = "ner"

    def span(self, docs: list[Doc]) -> Span:
        return docs[self.para][self.start:self.end]


@dataclass
class DocContext:
    """Parsed paragraphs plus lookups from tokens to sentences and mentions."""

    docs: list[Doc]
    sent_of: list[list[int]] = field(default_factory=list)  # [para][token.i] → sentence number
    sent_bounds: list[tuple[int, int, int]] = field(default_factory=list)  # sentence number → (para, start, end)
    paren_depth: list[list[int]] = field(default_factory=list)  # [para][token.i] → open parentheses before it
    texts: list[list[str]] = field(default_factory=list)  # [para][token.i] → token text
    lowers: list[list[str]] = field(default_factory=list)  # [para][token.i] → lowercased token text
    ents: list[list[Span]] = field(default_factory=list)  # [para] → the model's entities
    sentences: list[str] = field(default_factory=list)  # sentence number → text
    mentions: list[Mention] = field(default_factory=list)
    by_token: dict[tuple[int, int], Mention] = field(default_factory=dict)
    pronoun_links: dict[tuple[int, int], str] = field(default_factory=dict)  # (para, token.i) → entity key
    references: list[tuple[int, int, str, str]] = field(default_factory=list)  # para, token.i, key, surface
    kinds: dict[str, EntityKind] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = 0
        for p, doc in enumerate(self.docs):
            texts = [t.text for t in doc]
            self.texts.append(texts)
            self.lowers.append([t.lower() for t in texts])
            self.ents.append(list(doc.ents))
            of = [0] * len(doc)
            depth = [0] * len(doc)
            for sent in doc.sents:
                self.sent_bounds.append((p, sent.start, sent.end))
                self.sentences.append(sent.text)
                level = 0
                for i in range(sent.start, sent.end):
                    of[i] = n
                    depth[i] = level
                    level = max(0, level + (texts[i] == "(") - (texts[i] == ")"))
                n += 1
            self.sent_of.append(of)
            self.paren_depth.append(depth)

    def sent_idx(self, para: int, token: Token) -> int:
        return self.sent_of[para][token.i]

    def sentence_range(self, para: int, token: Token) -> range:
        """Token indexes of the sentence that holds `token`."""
        _, start, end = self.sent_bounds[self.sent_of[para][token.i]]
        return range(start, end)

    def index_mentions(self) -> None:
        self.by_token = {(m.para, i): m for m in self.mentions for i in range(m.start, m.end)}

    def mention_at(self, para: int, i: int) -> Mention | None:
        return self.by_token.get((para, i))

    def entity_of(self, para: int, token: Token) -> str | None:
        """The entity a token names or refers to (a name, or a resolved pronoun)."""
        m = self.by_token.get((para, token.i))
        if m is not None:
            return m.key
        return self.pronoun_links.get((para, token.i))
