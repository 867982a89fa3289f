"""Key figures: a number, its unit and qualifier, and what it counts (the subject).

A figure without a subject is not kept: a number nobody can say the meaning of is worse than none.
Dates, years, times, ages, ordinals and numbers inside names ("Abdullah II") are not figures.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from corpus.extraction import DocContext, LocalFigure
from corpus.lexicon import (
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    FRACTIONS,
    NUMBER_WORDS,
    QUALIFIERS,
    SCALES,
    VAGUE_AMOUNTS,
)

FIGURE_LABELS = {"CARDINAL", "MONEY", "PERCENT", "QUANTITY"}
NOT_FIGURE_LABELS = {"DATE", "TIME", "ORDINAL"}
SUBJECT_DEPS = {"compound", "amod", "nmod", "poss", "case", "npadvmod"}
TIME_UNITS = {"year", "month", "week", "day", "hour", "minute", "second", "decade", "century", "time", "today",
              "yesterday", "tomorrow", "tonight", "now"}
YEAR_RE = re.compile(r"^(1[5-9]\d\d|20\d\d)$")


def parse_number(text: str) -> tuple[float, str | None, str | None, str] | None:
    """(value, unit, qualifier, qualifier class) of a number phrase such as "some 10,000", "$436 million",
    "two-thirds", "thousands", "12.5%"; None when it is not a number."""
    t = " ".join(text.replace("\u00a0", " ").split())
    t = re.sub(r"(\d)(bn|mn|m|k)\b", r"\1 \2", t, flags=re.IGNORECASE)
    qualifier, qclass = None, "exact"
    low = t.lower()
    for phrase, cls in QUALIFIERS:
        if low.startswith(phrase + " "):
            qualifier, qclass = phrase, cls
            t = t[len(phrase) + 1:]
            low = t.lower()
            break
    if low in VAGUE_AMOUNTS:
        return float(VAGUE_AMOUNTS[low]), None, qualifier or low, "vague"
    unit = None
    for sym, code in sorted(CURRENCY_SYMBOLS.items(), key=lambda kv: -len(kv[0])):
        if t.startswith(sym):
            unit, t = code, t[len(sym):].strip()
            break
    words = t.replace("-", " ").split()
    if words and words[-1].lower() in CURRENCY_WORDS:
        unit = CURRENCY_WORDS[words.pop().lower()]
    if words and words[-1] in {"%", "percent", "per", "cent"}:
        while words and words[-1] in {"%", "percent", "per", "cent"}:
            words.pop()
        unit = "%"
    if len(words) == 1 and words[0].endswith("%"):
        words, unit = [words[0][:-1]], "%"
    value = _words_value([w.lower() for w in words])
    if value is None:
        return None
    return value, unit, qualifier, qclass


def _words_value(words: list[str]) -> float | None:
    if not words:
        return None
    if len(words) == 2 and words[1] in FRACTIONS and words[0] in NUMBER_WORDS:  # two-thirds, a third
        return round(NUMBER_WORDS[words[0]] * FRACTIONS[words[1]], 3)
    if len(words) == 1 and words[0] in {"half"}:
        return 0.5
    total, current, seen = 0.0, 0.0, False
    for w in words:
        w = w.strip(",")
        if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?", w):
            current += float(w.replace(",", ""))
            seen = True
        elif w in NUMBER_WORDS and w not in {"a", "an"}:
            current += NUMBER_WORDS[w]
            seen = True
        elif w in {"a", "an"} and not seen:
            current, seen = 1.0, True
        elif w in SCALES and seen:
            scale = SCALES[w]
            if scale >= 1000:
                total += (current or 1) * scale
                current = 0.0
            else:
                current = (current or 1) * scale
        elif w == "and":
            continue
        else:
            return None
    return total + current if seen else None


def _qualifier_before(span: Span) -> tuple[str | None, str]:
    doc = span.doc
    before = " ".join(t.lower_ for t in doc[max(0, span.start - 3):span.start])
    for phrase, cls in QUALIFIERS:
        if before.endswith(phrase) and (len(before) == len(phrase) or before[-len(phrase) - 1] == " "):
            return phrase, cls
    return None, "exact"


def _np_text(head: Token, exclude: set[int]) -> tuple[str, list[Token]]:
    """A noun phrase around `head`: its contiguous left modifiers, the noun, and one conjoined noun."""
    doc = head.doc
    subtree = {t.i for t in head.subtree}
    run = [head]
    i = head.i - 1
    while i >= 0 and i in subtree and i not in exclude:
        t = doc[i]
        if t.dep_ in SUBJECT_DEPS or (t.text in {"-", "–"} and t.whitespace_ == ""):
            run.insert(0, t)
            i -= 1
        else:
            break
    while run and (run[0].is_punct or run[0].dep_ == "case"):
        run = run[1:]
    text = "".join(t.text_with_ws for t in run).strip()
    conj = [c for c in head.children if c.dep_ == "conj" and c.pos_ in {"NOUN", "PROPN"}]
    if conj:
        mods = [t for t in conj[0].lefts if t.dep_ in {"compound", "amod"}]
        text += " and " + " ".join(t.text for t in [*mods, conj[0]])
        run = [*run, *mods, conj[0]]
    return text, run


def _chunk_after(doc: Doc, i: int, named: set[int]) -> tuple[str, Token, list[Token]] | None:
    """A noun phrase read off the surface from token `i` on, for when the parse went astray
    ("10,000 IS family members", where the model read "IS" as a verb)."""
    while i < len(doc) and doc[i].pos_ == "DET":
        i += 1
    run: list[Token] = []
    while i < len(doc):
        t = doc[i]
        if t.pos_ in {"ADJ", "NOUN", "PROPN"} or t.tag_ == "VBN" or t.i in named or \
                (t.text in {"-", "–"} and not t.whitespace_ and run):
            run.append(t)
            i += 1
        else:
            break
    while run and run[-1].pos_ not in {"NOUN", "PROPN"}:
        run.pop()
    if not run:
        return None
    return "".join(t.text_with_ws for t in run).strip(), run[-1], run


def _subject(span: Span, named: set[int]) -> tuple[str, Token, list[Token]] | None:
    """What a number counts: its "of"/"in" complement, the noun it modifies, or the thing a verb sets."""
    doc = span.doc
    root = span.root
    exclude = set(range(span.start, span.end))
    after = doc[span.end] if span.end < len(doc) else None
    complement = {"of", "in", "for", "worth"} if span.label_ == "MONEY" else {"of"}
    if after is not None and after.lower_ in complement:  # "two-thirds of the …", "$5m in aid"
        pobj = [g for g in after.children if g.dep_ == "pobj" and g.pos_ in {"NOUN", "PROPN"}]
        if pobj and after.head.i in exclude:
            text, toks = _np_text(pobj[0], exclude)
            return text, pobj[0], toks
        return _chunk_after(doc, span.end + 1, named)
    head = root.head
    if root.dep_ in {"nummod", "quantmod", "amod", "compound"} and head.pos_ in {"NOUN", "PROPN"} \
            and head.i >= span.end:
        text, toks = _np_text(head, exclude)
        return text, head, toks
    if after is not None and (after.pos_ in {"NOUN", "PROPN", "ADJ"} or after.i in named):
        return _chunk_after(doc, span.end, named)
    if span.label_ in {"MONEY", "PERCENT"} and root.dep_ == "pobj" and head.lower_ in {"to", "at", "by"}:
        verb = head.head
        objs = [c for c in verb.children if c.dep_ in {"dobj", "nsubj", "nsubjpass"} and c.pos_ in {"NOUN", "PROPN"}]
        if objs:
            text, toks = _np_text(objs[0], exclude)
            return text, objs[0], toks
    return None


def _excluded(span: Span) -> bool:
    doc = span.doc
    text = span.text
    if YEAR_RE.match(text) or span.label_ in NOT_FIGURE_LABELS:
        return True
    prev = doc[span.start - 1] if span.start > 0 else None
    nxt = doc[span.end] if span.end < len(doc) else None
    if prev is not None and prev.lower_ in {"age", "aged", "no", "number", "no.", "page", "chapter", "article", "#"}:
        return True  # an age, a rank or a reference, not a count
    if nxt is not None and nxt.text in {"-", "–"}:
        return True  # "one-day", "six-member": part of a compound adjective
    if nxt is not None and nxt.lower_ in {"years", "year"} and nxt.i + 1 < len(doc) and \
            doc[nxt.i + 1].lower_ in {"old", "ago"}:
        return True
    if nxt is not None and nxt.lower_ in {"year", "day", "month", "week"} and nxt.whitespace_ == "":
        return True
    if prev is not None and prev.lower_ in {"the", "these", "those", "both", "its", "their", "his", "her"} \
            and span.text.isalpha():
        return True  # "the two countries" points back; it is not a figure
    return bool(span.label_ == "CARDINAL" and span.root.lower_ in {"one"} and len(span) == 1)


def extract_figures(ctx: DocContext) -> tuple[list[LocalFigure], int]:
    """The figures of a document, and how many numbers were dropped for want of a subject."""
    figures: list[LocalFigure] = []
    dropped = 0
    for p, doc in enumerate(ctx.docs):
        named = {i for (q, i) in ctx.by_token if q == p}
        for ent in ctx.ents[p]:
            if ent.label_ not in FIGURE_LABELS or _excluded(ent):
                continue
            if any(ctx.mention_at(p, t.i) for t in ent):
                continue  # a number inside a name
            parsed = parse_number(ent.text)
            if parsed is None:
                continue
            value, unit, qualifier, qclass = parsed
            if unit is None and ent.start > 0 and doc[ent.start - 1].text in CURRENCY_SYMBOLS:
                unit = CURRENCY_SYMBOLS[doc[ent.start - 1].text]  # "US$ 20,000" split by the tokenizer
            if qualifier is None:
                qualifier, qclass = _qualifier_before(ent)
                if qclass == "exact" and qualifier is None and ent.start > 0 and \
                        doc[ent.start - 1].lower_ == "estimated":
                    qualifier, qclass = "an estimated", "approx"
            subject = _subject(ent, named)
            if subject is None:
                dropped += 1
                continue
            text, head, toks = subject
            if not text or head.pos_ not in {"NOUN", "PROPN"} or head.lemma_.lower() in TIME_UNITS:
                dropped += 1
                continue
            keys = sorted({k for t in toks if (k := ctx.entity_of(p, t)) is not None})
            figures.append(LocalFigure(
                value=value, unit=unit, qualifier=qualifier, qclass=qclass, subject=text,
                head=head.lemma_.lower(), subject_keys=keys, text=ent.text, sentence=ent.sent.text.strip(),
                sent_idx=ctx.sent_idx(p, ent.root),
            ))
    return figures, dropped
