"""`sources`: the documents (of a name, or of a date range); `doc`: one document and a cited sentence."""

from __future__ import annotations

import re

from handlers import query
from handlers.cite import Citer
from handlers.common import MAX_LIST, quoted, range_label, safe, split_range, title, unresolved
from handlers.index import Index
from handlers.models import Citation, DocumentItem, Reply, SentenceItem
from handlers.resolver import WHO_KINDS
from handlers.text import BadArgument, check_arg, plural, shorten, shown_date

NEIGHBOURS = 1  # sentences shown either side of a cited one
LEAD_SENTENCES = 3
DATE_SOURCES = {
    "header": "from the article's header line",
    "metadata": "from the page's own metadata",
    "text": "from a full date written in the text",
    "caption": "from a photo caption",
    "copyright": "the copyright year",
    "unknown": "not known",
}
DOC_ARG_RE = re.compile(r"^(.+?)(?:[#:@](\d{1,6}))?$")


def document_item(doc: query.DocRow, counts: dict[str, dict[str, int]] | None = None) -> DocumentItem:
    counts = counts or {}
    return DocumentItem(doc_id=doc.id, title=doc.title, outlet=doc.outlet, date=doc.date, date_source=doc.date_source,
                        path=doc.path, url=doc.url, **{k: v.get(doc.id, 0) for k, v in counts.items()})


@safe("sources")
def sources(index: Index, about: str = "") -> Reply:
    """The documents newest first with their counts: all, those mentioning a name (else those whose
    outlet, title or id has the words), and/or dated in a range ("2019", "2019-11-01..2019-11-30")."""
    about = check_arg(about, "name or date range", "sources 2019-11", required=False)
    conn = index.conn
    rest, date_from, date_to = split_range(about)
    entity_id = doc_ids = None
    what = range_label(date_from, date_to)
    if rest:
        res = index.resolver.resolve(rest, WHO_KINDS)
        if res.status == "ok":
            entity_id = res.entity_id
            assert entity_id is not None
            what = f" mentioning {query.entity(conn, entity_id).name}{what}"
        else:  # an outlet, or words of a title
            doc_ids = query.documents_matching(conn, rest)
            if not doc_ids:
                return unresolved(index, "sources", rest, res, WHO_KINDS)
            what = f" from or titled {quoted(rest)}{what}"
    docs, total = query.newest_documents(conn, MAX_LIST, entity_id=entity_id, doc_ids=doc_ids,
                                         date_from=date_from, date_to=date_to)
    if not docs:
        status = "not_found" if about else "ok"
        return Reply(status=status, command="sources", title=title(f"Sources{what}"),
                     lines=[f"No documents{what} in the index."], total=0, list_sources=False)
    ids = [d.id for d in docs]
    counts = {t: query.counts_per_document(conn, t, ids) for t in ("sentences", "quotes", "figures")}
    cite = Citer(conn)
    lines = []
    for doc in docs:
        by = f" — {doc.outlet}" if doc.outlet else ""
        lines.append(f"{shown_date(doc.date, doc.date_source)} · {shorten(doc.title, 120)}{by} · "
                     f"{_tally(counts, doc.id)} · id {doc.id} {cite([doc.id])}")
    if total > len(docs):
        lines.append(f"… and {total - len(docs):,} older documents")
    return Reply(command="sources", title=title(f"Sources{what} — {plural(total, 'document')}"), lines=lines,
                 citations=cite.citations(), documents=[document_item(d, counts) for d in docs], total=total,
                 list_sources=False)


def _tally(counts: dict[str, dict[str, int]], doc_id: str) -> str:
    return " · ".join(plural(counts[table].get(doc_id, 0), table[:-1]) for table in ("sentences", "quotes", "figures"))


def how_dated(doc: query.DocRow) -> str:
    return DATE_SOURCES.get(doc.date_source, doc.date_source)


@safe("doc")
def doc(index: Index, ref: str, citations: list[Citation] | None = None) -> Reply:
    """One document: title, outlet, file, date and how it is known, and a sentence with its neighbours.
    `ref` is a document id, "id#sentence", or a citation number of `citations` (the previous reply)."""
    ref = check_arg(ref, "document", "doc d1#3")
    conn = index.conn
    if ref.strip("[]").isdigit() and query.document(conn, ref) is None:
        n = int(ref.strip("[]"))
        picked = next((c for c in citations or [] if c.n == n), None)
        if picked is None:
            why = f"The last answer has no source [{n}]" if citations else \
                f"There is no earlier answer here to open source [{n}] of"
            raise BadArgument(f"{why}; give a document id as the sources command lists it, "
                              f"e.g. `doc {_example(index)}`.")
        ref = picked.doc_id
    match = DOC_ARG_RE.match(ref)
    assert match is not None
    doc_id, sentence = match[1], match[2]
    row = query.document(conn, doc_id) or query.document(conn, ref)
    if row is None:
        found = query.documents_matching(conn, ref)
        if len(found) != 1:
            hint = f"{plural(len(found), 'document')} match that" if found else "No document has that id"
            raise BadArgument(f"{hint}; give an id as the sources command lists it, e.g. `doc {_example(index)}`.")
        row, sentence = query.document(conn, found[0]), None
        assert row is not None
    counts = {t: query.counts_per_document(conn, t, [row.id]) for t in ("sentences", "quotes", "figures")}
    n_sentences = counts["sentences"].get(row.id, 0)
    lines = [
        f"Title: {row.title}",
        f"Outlet: {row.outlet or 'not stated'}",
        f"Date: {row.date or 'unknown'} ({how_dated(row)})",
        f"Address: {row.url}" if row.url else f"File: {row.path}",
        f"Id: {row.id} · {_tally(counts, row.id)}",
    ]
    if sentence is not None:
        idx = int(sentence)
        if idx >= n_sentences:
            raise BadArgument(f"{row.id} has {plural(n_sentences, 'sentence')}, numbered 0 to {n_sentences - 1}.")
        shown = query.sentences(conn, row.id, idx - NEIGHBOURS, idx + NEIGHBOURS)
        lines.append(f"Sentence {idx} with its neighbours:")
    else:
        shown = query.sentences(conn, row.id, 0, LEAD_SENTENCES - 1)
        lines.append("Beginning:")
    lines += [("» " if sentence is not None and s.idx == int(sentence) else "  ") + f"{s.idx}: {s.text}"
              for s in shown]
    cite = Citer(conn)
    cite([row.id])
    return Reply(command="doc", title=title(f"Document {row.id} — {row.title}"), lines=lines,
                 citations=cite.citations(), documents=[document_item(row, counts)],
                 sentences=[SentenceItem(doc_id=s.doc_id, idx=s.idx, text=s.text, date=row.date) for s in shown],
                 list_sources=False)


def _example(index: Index) -> str:
    docs, _ = query.newest_documents(index.conn, 1)
    return docs[0].id if docs else "d1"
