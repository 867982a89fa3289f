"""`search`: sentences matching words, "phrases", OR, NOT/-word, from:/to: dates and source:, paged."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from handlers import query
from handlers.cite import Citer
from handlers.common import DATE_RE, SEARCH_STOPWORDS, fts_string, quoted, range_label, safe, title
from handlers.index import Index
from handlers.models import Reply, SentenceItem
from handlers.text import BadArgument, check_arg, fold
from handlers.topics import name_alternatives

PAGE_SIZE = 20
MAX_TERMS = 12
MAX_PAGE = 500
TOKEN_RE = re.compile(r'(-?)(?:(\w+):)?"([^"]*)"?|(\S+)')
FILTER_KEYS = {"from", "to", "source", "page", "since", "until"}
EXAMPLE = 'search "foreign fighters" OR camps -Syria from:2019-11 source:Herald'


@dataclass
class SearchQuery:
    """A parsed search: groups of alternatives (all groups must match), excluded words or phrases, and
    filters. Terms are kept as typed; `match` makes each one a quoted FTS5 string."""

    groups: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    source: str | None = None
    page: int = 1
    operators: bool = False  # phrases, OR or NOT were used: no fallback to any of the words

    def match(self, any_word: bool = False) -> str:
        """The FTS5 expression; with `any_word`, any alternative of any group."""
        if any_word:
            return " OR ".join(_term(alt) for group in self.groups for alt in group)
        expr = " AND ".join("(" + " OR ".join(_term(alt) for alt in group) + ")" for group in self.groups)
        return expr + "".join(f" NOT {_term(term)}" for term in self.excluded)


def _words(text: str) -> str:
    """The letters-and-digits words of a term, space-separated (empty when it has none)."""
    return " ".join(w[:50] for w in re.findall(r"\w+", text))


def _term(text: str) -> str:
    """A quoted FTS5 string for a word or phrase: user text can never be FTS syntax."""
    return fts_string(_words(text))


def _date(value: str, key: str) -> str:
    if not re.fullmatch(DATE_RE, value):
        raise BadArgument(f"{key}: takes a date such as 2019, 2019-11 or 2019-11-15, not {quoted(value)}.")
    return value


def parse_search(text: str) -> SearchQuery:
    """User text → a SearchQuery; user text can never become raw FTS5 syntax."""
    parsed = SearchQuery()
    pending_or = pending_not = False
    stop_groups: list[list[str]] = []
    for negative, key, phrase, word in (m.groups() for m in TOKEN_RE.finditer(text)):
        if word is not None and word in {"OR", "|"}:
            pending_or = bool(parsed.groups)
            parsed.operators = True
            continue
        if word is not None and word == "NOT":
            pending_not = parsed.operators = True
            continue
        if word is not None and ":" in word and word.split(":", 1)[0].lower() in FILTER_KEYS:
            key, phrase = word.split(":", 1)
        if key is not None and key.lower() in FILTER_KEYS:
            value = phrase.strip()
            name = key.lower()
            if name in {"from", "since"}:
                parsed.date_from = _date(value, name)
            elif name in {"to", "until"}:
                parsed.date_to = _date(value, name)
            elif name == "source":
                parsed.source = value or None
            elif not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
                raise BadArgument(f"page: takes a number from 1 to {MAX_PAGE}.")
            else:
                parsed.page = int(value)
            continue
        raw = phrase if phrase is not None else (word or "")
        if word is not None and word.startswith("-") and len(word) > 1:
            negative, raw = "-", word[1:]
        term = _words(raw)
        if not term:
            continue
        if phrase is not None:
            parsed.operators = True
        if negative or pending_not:
            parsed.excluded.append(term)
            parsed.operators = True
        elif pending_or:
            parsed.groups[-1].append(term)
        elif phrase is None and fold(raw) in SEARCH_STOPWORDS:
            stop_groups.append([term])
        else:
            parsed.groups.append([term])
        pending_or = pending_not = False
    if not parsed.groups:
        parsed.groups = stop_groups
    if not parsed.groups:
        raise BadArgument(f"Search needs at least one word to look for, for example `{EXAMPLE}`.")
    if len(parsed.groups) + len(parsed.excluded) > MAX_TERMS:
        raise BadArgument(f"That search has too many words; at most {MAX_TERMS}.")
    return parsed


@safe("search")
def search(index: Index, words: str) -> Reply:
    """Sentences matching the search, best first (BM25), highlighted, cited; the same sentence in several
    documents is one line. Pages of PAGE_SIZE sentences, with the total count."""
    words = check_arg(words, "search", "search prisoners")
    parsed = parse_search(words)
    also = []
    for group in parsed.groups:  # a name stands for all the entity's names: ISIS → ISIL, Islamic State
        for alt in list(group):
            names = name_alternatives(index, alt)
            group += names
            if names:
                also.append(f"{quoted(alt)} also as " + ", ".join(names))
    conn = index.conn
    doc_ids = None
    if parsed.source:
        doc_ids = query.documents_matching(conn, parsed.source)
        if not doc_ids:
            head = f"No source matches {quoted(parsed.source)}"
            return Reply(status="not_found", command="search", title=title(head),
                         lines=["No document's outlet, title or id contains that; see the sources command."],
                         total=0)
    offset = (parsed.page - 1) * PAGE_SIZE

    def run(any_word: bool) -> tuple[list[query.SearchHit], int]:
        return query.search_sentences(conn, parsed.match(any_word), doc_ids=doc_ids, date_from=parsed.date_from,
                                      date_to=parsed.date_to, limit=PAGE_SIZE, offset=offset)

    hits, total = run(False)
    note = ""
    if not total and not parsed.operators and len(parsed.groups) > 1:
        hits, total = run(True)
        note = "No sentence has all the words; these have some of them."
    where = range_label(parsed.date_from, parsed.date_to) + (f" in {quoted(parsed.source)}" if parsed.source else "")
    if not total:
        return Reply(status="not_found", command="search", title=title(f"Nothing matches {quoted(words)}"),
                     lines=[f"No sentence in the index{where} matches that."], total=0, page=parsed.page)
    merged: dict[str, tuple[query.SearchHit, list[str]]] = {}
    for hit in hits:
        _, docs = merged.setdefault(fold(hit.text), (hit, []))
        docs.append(hit.doc_id)
    cite = Citer(conn)
    last = offset + len(hits)
    lines = ([note] if note else []) + (["Searched " + "; ".join(also) + "."] if also else [])
    if not hits:
        lines.append(f"Page {parsed.page} is past the end: there are {total:,} matching sentences.")
    lines += [f"{hit.snippet} {cite(docs)}" for hit, docs in merged.values()]
    if last < total:
        lines.append(f"Sentences {offset + 1}–{last} of {total:,}; for more add page:{parsed.page + 1}")
    items = [SentenceItem(doc_id=hit.doc_id, idx=hit.idx, text=hit.text, date=hit.date, doc_ids=docs)
             for hit, docs in merged.values()]
    head = f"Search: {quoted(words)} — {total:,} sentence{'s' if total != 1 else ''}"
    return Reply(command="search", title=title(head), lines=lines, citations=cite.citations(), sentences=items,
                 total=total, page=parsed.page)
