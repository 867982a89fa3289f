"""The yardsticks: spaCy's model alone, and the quote baseline that names the nearest preceding person.

Both read an article as the model would be given it with no rules: the file's text after the header line, split
into blocks at blank lines, each block run through the same pipeline briefbot loads (corpus/nlp.py).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bench.eval.dates import split_header
from corpus.ingest import find_full_dates
from corpus.models import DocumentOut, EntityOut, IndexExport, QuoteOut
from corpus.nlp import load_nlp

# spaCy's labels as briefbot's entity kinds; other labels (dates, numbers, works of art…) are not entities here
KINDS = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place",
         "NORP": "group"}


@dataclass(frozen=True)
class Ent:
    """A named entity the model tagged: its label, text and character offset in its block."""

    label: str
    text: str
    start: int


@dataclass
class Block:
    """One block of an article: its text, sentences as (start, end) character offsets, and entities."""

    text: str
    sentences: list[tuple[int, int]] = field(default_factory=list)
    ents: list[Ent] = field(default_factory=list)


@dataclass
class Parsed:
    """An article as the model alone reads it."""

    doc_id: str
    title: str
    date: str | None
    blocks: list[Block]


def blocks_of(text: str) -> list[str]:
    """The blocks of a text: separated by blank lines, inner whitespace collapsed."""
    return [re.sub(r"\s+", " ", b).strip() for b in re.split(r"\n\s*\n", text) if b.strip()]


def parse_files(files: Iterable[Path]) -> list[Parsed]:
    """Every article through the model, block by block."""
    nlp = load_nlp()
    parsed = []
    for path in files:
        header = split_header(path.read_text(encoding="utf-8"))
        texts = blocks_of(header.body)
        blocks = [Block(doc.text, [(s.start_char, s.end_char) for s in doc.sents],
                        [Ent(e.label_, e.text, e.start_char) for e in doc.ents])
                  for doc in nlp.pipe(texts)]
        parsed.append(Parsed(path.stem, header.title or (texts[0] if texts else ""), header.date, blocks))
    return parsed


def first_full_date(parsed: Parsed) -> str | None:
    """The first DATE entity that is a full calendar date: the model-alone guess at an undated article's date."""
    for block in parsed.blocks:
        for ent in block.ents:
            if ent.label == "DATE" and (found := find_full_dates(ent.text)):
                return found[0][1]
    return None


def model_alone_export(parsed: list[Parsed]) -> IndexExport:
    """An export holding only the model's own entities (one per kind and exact text, no roles, quotes or
    figures) and, for an article without a header date, the first full date the model tags."""
    docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    mentions: dict[tuple[str, str], int] = defaultdict(int)
    documents = []
    for p in parsed:
        guess = None if p.date else first_full_date(p)
        documents.append(DocumentOut(id=p.doc_id, title=p.title, date=p.date or guess,
                                     date_source="header" if p.date else "text" if guess else "unknown"))
        for block in p.blocks:
            for ent in block.ents:
                if ent.label in KINDS:
                    key = (KINDS[ent.label], ent.text)
                    docs[key].add(p.doc_id)
                    mentions[key] += 1
    entities = [EntityOut(id=f"{kind}:{n}", name=name, kind=kind, doc_ids=sorted(docs[(kind, name)]),
                          mention_count=mentions[(kind, name)])
                for n, (kind, name) in enumerate(sorted(docs))]
    return IndexExport(schema_version=0, documents=documents, entities=entities, quotes=[], figures=[],
                       figure_groups=[])


def nearest_person(parsed: Parsed, quote: str, sentences_back: int = 1) -> str | None:
    """The PERSON named last before `quote` (its first occurrence in the article) within its sentence or the
    `sentences_back` sentences before it; None when there is none or the quote is not in the text."""
    probe = quote.strip()[:40]
    order = [(b, s) for b, block in enumerate(parsed.blocks) for s in block.sentences]
    for b, block in enumerate(parsed.blocks):
        at = block.text.find(probe) if probe else -1
        if at < 0:
            continue
        here = next((i for i, (bb, (s, e)) in enumerate(order) if bb == b and s <= at < e), None)
        if here is None:
            return None
        window = {(bb, span) for bb, span in order[max(0, here - sentences_back):here + 1]}
        before = [(bb, ent.start, ent.text) for bb, (s, e) in window for ent in parsed.blocks[bb].ents
                  if ent.label == "PERSON" and s <= ent.start < e and (bb, ent.start) < (b, at)]
        return max(before)[2] if before else None
    return None


def with_baseline_speakers(export: IndexExport, parsed: list[Parsed]) -> IndexExport:
    """briefbot's export with every quote's speaker replaced by the nearest preceding person."""
    by_id = {p.doc_id: p for p in parsed}
    quotes: list[QuoteOut] = []
    for q in export.quotes:
        speaker = nearest_person(by_id[q.doc_id], q.text) if q.doc_id in by_id else None
        quotes.append(q.model_copy(update={"speaker": speaker, "speaker_id": None}))
    return export.model_copy(update={"quotes": quotes})
