"""Dates mentioned in a document, resolved against the document's own date where they are relative."""

from __future__ import annotations

import re
from datetime import date, timedelta

from spacy.language import Language
from spacy.tokens import Doc

from corpus.extraction import DocContext, LocalDate, article_of, context
from corpus.ingest import MONTHS, find_full_dates

BOUND_RE = re.compile(r"^(?:since|until|till|through|by|before|after)\b")
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "a": 1, "an": 1}


def _anchor(doc_date: str | None) -> date | None:
    if doc_date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc_date):
        return date.fromisoformat(doc_date)
    return None


def _month_shift(d: date, months: int) -> str:
    y, m = divmod(d.year * 12 + d.month - 1 + months, 12)
    return f"{y:04d}-{m + 1:02d}"


def resolve_date(text: str, doc_date: str | None) -> str | None:
    """An ISO date (YYYY-MM-DD, YYYY-MM or YYYY) for a date expression, or None when it cannot be placed."""
    low = " ".join(text.lower().replace(".", " ").split())
    full = find_full_dates(text)
    if full:
        return full[0][1]
    anchor = _anchor(doc_date)
    if BOUND_RE.match(low):
        return None  # "since 2011", "by 2030": a bound, not the date of an event
    year_only = re.fullmatch(r"(?:(?:in|from|early|late|mid)\s+)?((?:19|20)\d\d)", low)
    if year_only:
        return year_only.group(1)
    m = re.search(r"\b([a-z]+)\s+(\d{1,2})\b(?:\s*,?\s*((?:19|20)\d\d))?", low)
    if m and m.group(1) in MONTHS:
        year = int(m.group(3)) if m.group(3) else (anchor.year if anchor else None)
        if year is not None:
            try:
                return date(year, MONTHS[m.group(1)], int(m.group(2))).isoformat()
            except ValueError:
                return None
    m = re.search(r"\b([a-z]+)\s+((?:19|20)\d\d)\b", low)
    if m and m.group(1) in MONTHS:
        return f"{m.group(2)}-{MONTHS[m.group(1)]:02d}"
    if anchor is None:
        return None
    for i, name in enumerate(WEEKDAYS):
        if re.search(rf"\b{name}\b", low):
            back = (anchor.weekday() - i) % 7
            if "next" in low:
                return (anchor + timedelta(days=(i - anchor.weekday()) % 7 or 7)).isoformat()
            return (anchor - timedelta(days=back)).isoformat()
    if re.search(r"\btoday\b|\bthis (morning|afternoon|evening)\b|\btonight\b", low):
        return anchor.isoformat()
    if "yesterday" in low:
        return (anchor - timedelta(days=1)).isoformat()
    if "tomorrow" in low:
        return (anchor + timedelta(days=1)).isoformat()
    if re.search(r"\blast month\b", low):
        return _month_shift(anchor, -1)
    if re.search(r"\bnext month\b", low):
        return _month_shift(anchor, 1)
    if re.search(r"\bthis month\b", low):
        return _month_shift(anchor, 0)
    if re.search(r"\blast year\b", low):
        return f"{anchor.year - 1:04d}"
    if re.search(r"\bnext year\b", low):
        return f"{anchor.year + 1:04d}"
    if re.search(r"\bthis year\b", low):
        return f"{anchor.year:04d}"
    if re.search(r"\bthis week\b", low):
        return (anchor - timedelta(days=anchor.weekday())).isoformat()
    m = re.fullmatch(r"(\w+) years? ago", low)
    if m and (m.group(1) in NUMBERS or m.group(1).isdigit()):
        n = NUMBERS.get(m.group(1)) or int(m.group(1))
        return f"{anchor.year - n:04d}" if anchor.year - n > 0 else None
    m = re.fullmatch(r"(?:in |last )?([a-z]+)", low)
    if m and m.group(1) in MONTHS and len(m.group(1)) > 3:
        month = MONTHS[m.group(1)]
        year = anchor.year if month <= anchor.month else anchor.year - 1
        return f"{year:04d}-{month:02d}"
    return None


def extract_dates(ctx: DocContext, doc_date: str | None) -> list[LocalDate]:
    out = []
    for p in range(len(ctx.docs)):
        for ent in ctx.ents[p]:
            if ent.label_ != "DATE":
                continue
            before = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
            iso = None if BOUND_RE.match(before) else resolve_date(ent.text, doc_date)
            out.append(LocalDate(text=ent.text, iso=iso,
                                 sent_idx=ctx.sent_idx(p, ent.root)))
    return out


# --- pipeline component (assembled in corpus/nlp.py) -----------------------------------------------


@Language.component("briefbot_dates")
def dates_component(doc: Doc) -> Doc:
    """The article's dates, resolved against its own date where they can be (Doc._.dates)."""
    doc._.dates = extract_dates(context(doc), article_of(doc).date)
    return doc
