"""The per-document extraction result (cached by content hash), the article as one spaCy Doc (its paragraphs
merged as `Doc.from_docs` would, from token arrays; their token ranges kept on `Doc._.paragraphs`), and the
parsed-document context the extraction components share (`Doc._.context`: paragraph views and lookups derived from
that one Doc)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import InitVar, dataclass, field
from typing import Literal, NamedTuple

import numpy
from pydantic import BaseModel
from spacy.tokens import Doc, Span, Token

from corpus.aliases import Curated, load_curated
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
    # the speaker as the attribution writes it: "a spokeswoman for the ministry" or a name the tagger left untagged
    # (no entity), or an organisation's short form there ("the IMF said", with its speaker_key)
    speaker_description: str | None = None
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
    _span: tuple[tuple[int, int, int], Span] | None = field(default=None, repr=False, compare=False)

    def span(self, docs: list[Doc]) -> Span:
        """The name's span of its paragraph's Doc (made once while the mention keeps its place)."""
        where = (self.para, self.start, self.end)
        if self._span is None or self._span[0] != where:
            self._span = (where, docs[self.para][self.start:self.end])
        return self._span[1]


class Paragraph(NamedTuple):
    """A paragraph's tokens in the article's Doc; `trailing_space`: its own text ended in a space (the merge adds
    one between paragraphs, which the paragraph's view leaves out)."""

    start: int
    end: int
    trailing_space: bool


# What the extraction components read and write on the article's Doc, in pipeline order (corpus/nlp.py).
DOC_EXTENSIONS = (
    "paragraphs",  # list[Paragraph], set when the paragraphs are merged
    "paragraph_docs",  # list[Doc]: the paragraphs as parsed, kept by the merge (not serialised)
    "article",  # the Article (article_of)
    "curated",  # the curated aliases, Curated (curated_of)
    "context",  # DocContext: paragraph views and token lookups, made on first use
    "token_texts",  # merge_paragraphs: the token texts it made the Doc from, which the context reads again
    "defined_aliases",  # briefbot_mentions: acronyms defined in the text, short → long
    "known_as",  # briefbot_mentions: "known as" aliases, (para, char offset, alias)
    "entities",  # briefbot_entities: dict[str, LocalEntity] by key
    "mentions",  # briefbot_roles (names) and briefbot_coref (pronouns, role phrases): list[LocalMention]
    "quotes",  # briefbot_quotes: list[LocalQuote]
    "figures",  # briefbot_figures: list[LocalFigure]
    "figures_without_subject",  # briefbot_figures: numbers dropped for want of a subject
    "dates",  # briefbot_dates: list[LocalDate]
)
for _name in DOC_EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
if not Span.has_extension("entity_key"):  # a name, pronoun or role phrase: the local entity it refers to, kept as
    Span.set_extension("entity_key", getter=lambda span: span.kb_id_ or None)  # the span's kb_id (no user_data)

NAME_SPANS = "briefbot_names"  # doc.spans key: names, labelled with their kind, with Span._.entity_key
REFERENCE_SPANS = "briefbot_references"  # doc.spans key: pronouns and role phrases linked to a person

# Token attributes the article's Doc and its paragraph views carry over from the parse: all that the model sets
# but the morphology, which no rule reads (setting it again is a fifth of the merge's time).
VIEW_ATTRS = ("NORM", "LEMMA", "TAG", "POS", "DEP", "HEAD", "SENT_START", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID")


def _paragraph(doc: Doc, start: int = 0) -> Paragraph:
    """The range a paragraph's Doc takes in an article's Doc when it starts at token `start`."""
    return Paragraph(start, start + len(doc), bool(len(doc)) and bool(doc[-1].whitespace_))


def merge_paragraphs(docs: list[Doc]) -> Doc:
    """One Doc for an article parsed paragraph by paragraph (at least one): sentence boundaries and entities kept,
    a space between paragraphs, each paragraph's token range on `Doc._.paragraphs`. What `Doc.from_docs` makes,
    from token arrays alone (it reads every token as a Python object: a sixth of the extraction's time); the
    paragraph docs stay on `Doc._.paragraph_docs` as the context's views."""
    vocab = docs[0].vocab
    arrays = [par.to_array(["ORTH", "SPACY", *VIEW_ATTRS]) for par in docs]
    paragraphs: list[Paragraph] = []
    for par, array in zip(docs, arrays, strict=True):
        paragraphs.append(_paragraph(par, paragraphs[-1].end if paragraphs else 0))
        if len(par) and par is not docs[-1] and not par[-1].is_space:
            array[-1, 1] = 1  # a space between paragraphs
    merged = numpy.concatenate(arrays)
    words = [vocab.strings[orth] for orth in merged[:, 0].tolist()]
    doc = Doc(vocab, words=words, spaces=merged[:, 1].astype(bool).tolist())
    doc.from_array(list(VIEW_ATTRS), merged[:, 2:])
    doc._.token_texts = words
    doc._.paragraphs = paragraphs
    doc._.paragraph_docs = docs
    return doc


def paragraph_docs(doc: Doc) -> list[Doc]:
    """The paragraphs of an article's Doc as Docs of their own (token.i counts from the paragraph's start), equal
    to the paragraph docs it was merged from (those, when the merge kept them)."""
    if doc._.paragraph_docs is not None:
        return doc._.paragraph_docs
    array = doc.to_array(["ORTH", "SPACY", *VIEW_ATTRS])
    words = [doc.vocab.strings[orth] for orth in array[:, 0].tolist()]
    spaces = array[:, 1].astype(bool).tolist()
    out = []
    for par in doc._.paragraphs:
        own_spaces = spaces[par.start:par.end]
        if own_spaces:
            own_spaces[-1] = par.trailing_space
        view = Doc(doc.vocab, words=words[par.start:par.end], spaces=own_spaces)
        view.from_array(list(VIEW_ATTRS), array[par.start:par.end, 2:])
        out.append(view)
    return out


def context(doc: Doc) -> DocContext:
    """The extraction context of an article's Doc, made on first use and shared by the components. A Doc that was
    not merged from paragraphs (`nlp(text)`) is one paragraph."""
    if doc._.context is None:
        if doc._.paragraphs is None:
            doc._.paragraphs = [_paragraph(doc)]
        doc._.context = DocContext(doc)
    return doc._.context


def paragraph_spans(doc: Doc, spans: Iterable[tuple[int, int, int, str, str]]) -> list[Span]:
    """(paragraph, start, end, label, entity key) token ranges of paragraphs as labelled spans of the article's
    Doc, with the entity each names or refers to on `Span._.entity_key`."""
    offsets = [par.start for par in doc._.paragraphs]
    return [Span(doc, offsets[p] + start, offsets[p] + end, label=label, kb_id=key)
            for p, start, end, label, key in spans]


def article_of(doc: Doc) -> Article:
    """The article a Doc was parsed from; for a Doc of bare text, an article of its paragraphs alone (no title,
    date or byline)."""
    if doc._.article is None:
        doc._.article = Article(id="", path="", sha256="", title="", paragraphs=[p.text for p in context(doc).docs])
    return doc._.article


def curated_of(doc: Doc) -> Curated:
    """The curated aliases the Doc is read with: the build's, else the shipped alias file."""
    if doc._.curated is None:
        doc._.curated = load_curated()
    return doc._.curated


ALPHA, STOP, SPACE = 1, 2, 4  # a token's word flags in DocContext.flags: alphabetic, a stop word, whitespace


@dataclass
class DocContext:
    """Views of an article's Doc for the extraction rules: its paragraphs as Docs (the rules address a token as
    paragraph number and token.i within it), lookups from tokens to sentences, and the mentions found so far."""

    doc: InitVar[Doc]  # the article's Doc (not kept: it keeps the context on Doc._.context)
    docs: list[Doc] = field(init=False)  # [para] → the paragraph's view (paragraph_docs)
    sent_of: list[list[int]] = field(default_factory=list)  # [para][token.i] → sentence number
    sent_bounds: list[tuple[int, int, int]] = field(default_factory=list)  # sentence number → (para, start, end)
    paren_depth: list[list[int]] = field(default_factory=list)  # [para][token.i] → open parentheses before it
    texts: list[list[str]] = field(default_factory=list)  # [para][token.i] → token text
    flags: list[bytes] = field(default_factory=list)  # [para][token.i] → ALPHA | STOP | SPACE (no per-token object)
    para_texts: list[str] = field(default_factory=list)  # [para] → the paragraph's text
    quoted: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # [para] → its quotes' character ranges
    lowers: list[list[str]] = field(default_factory=list)  # [para][token.i] → lowercased token text
    ents: list[list[Span]] = field(default_factory=list)  # [para] → the model's entities
    sentences: list[str] = field(default_factory=list)  # sentence number → text
    mentions: list[Mention] = field(default_factory=list)
    by_token: dict[tuple[int, int], Mention] = field(default_factory=dict)
    pronoun_links: dict[tuple[int, int], str] = field(default_factory=dict)  # (para, token.i) → entity key
    references: list[tuple[int, int, str, str]] = field(default_factory=list)  # para, token.i, key, surface
    kinds: dict[str, EntityKind] = field(default_factory=dict)

    def __post_init__(self, doc: Doc) -> None:
        self.docs = paragraph_docs(doc)
        # token texts and flags from one array of the article: Doc.text, Span.text and Token attributes would read
        # every token as a Python object
        array = doc.to_array(["ORTH", "SPACY", "IS_ALPHA", "IS_STOP", "IS_SPACE"])
        words = doc._.token_texts or [doc.vocab.strings[orth] for orth in array[:, 0].tolist()]
        spaces = array[:, 1].tolist()
        flags = (array[:, 2] * ALPHA | array[:, 3] * STOP | array[:, 4] * SPACE).astype(numpy.uint8).tobytes()
        n = 0
        for p, (par, view) in enumerate(zip(doc._.paragraphs, self.docs, strict=True)):
            texts = words[par.start:par.end]
            with_ws = [text + " " * space for text, space in zip(texts, spaces[par.start:par.end], strict=True)]
            if with_ws:  # the space the merge put between paragraphs is not the paragraph's own
                with_ws[-1] = texts[-1] + " " * par.trailing_space
            self.texts.append(texts)
            self.flags.append(flags[par.start:par.end])
            self.para_texts.append("".join(with_ws))
            self.lowers.append([t.lower() for t in texts])
            self.ents.append(list(view.ents))
            of: list[int] = []
            depth = [0] * len(view)
            for sent in view.sents:
                self.sent_bounds.append((p, sent.start, sent.end))
                self.sentences.append("".join(with_ws[sent.start:sent.end - 1]) + texts[sent.end - 1])
                of += [n] * (sent.end - sent.start)
                if "(" in texts[sent.start:sent.end]:
                    level = 0
                    for i in range(sent.start, sent.end):
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
