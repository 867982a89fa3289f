"""Key figures: a number, its unit, currency and qualifier, its kind, and what it counts (the subject).

Each pattern is one small rule below. A figure without a subject is not kept: a number nobody can say the
meaning of is worse than none. Dates, years, ages, ordinals, identifiers ("Phase 1", "Case 90"), numbers
inside names and lengths of time that only place an event ("10 years ago", "in two weeks") are not figures.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from corpus.extraction import DocContext, LocalFigure, article_of, context
from corpus.ingest import Article
from corpus.lexicon import QUALIFIERS, VAGUE_AMOUNTS
from corpus.locale import article_dollar
from corpus.numbers import MULTIPLIERS, Amount, currency_table, data_lines, measurement_unit, parse_amount

FIGURE_LABELS = {"CARDINAL", "MONEY", "PERCENT", "QUANTITY"}
SUBJECT_DEPS = {"compound", "amod", "nmod", "poss", "case", "npadvmod"}
TIME_UNITS = {"year", "month", "week", "day", "hour", "minute", "second", "decade", "century", "time", "today",
              "yesterday", "tomorrow", "tonight", "now", "january", "february", "march", "april", "may", "june",
              "july", "august", "september", "october", "november", "december", "monday", "tuesday", "wednesday",
              "thursday", "friday", "saturday", "sunday"}
DURATION_RE = re.compile(r"^(?P<n>.+?)(?: consecutive| straight| successive| full| (?-i:[A-Z][a-z]+))?[ -]"
                         r"(?P<u>hours?|days?|nights?|weeks?|months?|years?|decades?)(?P<ago> ago)?$", re.IGNORECASE)
DURATION_ENDS = ("ago", "hour", "hours", "day", "days", "night", "nights", "week", "weeks", "month", "months", "year",
                 "years", "decade", "decades")
DEEP_TIME = 1000  # "12,000 years ago" is an age that science measures, not a date placing a news event
MONTHS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "january", "february",
          "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}
QUALIFIER_NOUNS = {"region", "order", "tune", "vicinity", "neighbourhood", "neighborhood"}
MONEY_TOKEN_RE = re.compile(r"^([A-Z]{1,3})?\$[\d.,]*\d$")
PHRASAL_OVER = {"take", "hand", "turn", "sign", "give", "pass", "look", "run", "hold", "think", "get", "fall"}
CLOCK_RE = re.compile(r"\d:\d\d|\d\s*(am|pm|a\.m\.|p\.m\.)$", re.IGNORECASE)
YEAR_RE = re.compile(r"^(1[5-9]\d\d|20\d\d)s?$")
PLACING_BEFORE = {"in", "after", "within", "over", "past", "last", "next", "since", "during", "than", "until",
                  "those", "these", "the", "first", "earlier", "later", "per", "for"}
PLACING_AFTER = {"ago", "later", "earlier", "before", "after", "old", "into", "away", "time", "'", "’"}
REFERENCE_WORDS = {"age", "aged", "no", "number", "no.", "page", "chapter", "article", "#", "phase", "case",
                   "level", "stage", "section", "room", "flight", "route", "grade", "class", "category", "step",
                   "covid", "model", "version", "tier", "part", "act", "item", "question"}
POINTING_WORDS = {"the", "these", "those", "both", "its", "their", "his", "her", "our", "my", "your", "all"}
RATE_WORDS = {"per", "a", "an", "each", "every"}
RATE_UNITS = {"year", "month", "week", "day", "hour", "barrel", "share", "head", "person", "capita", "tonne", "ton",
              "kg", "kilogram", "litre", "gallon", "night", "annum", "minute", "second"}


@lru_cache(maxsize=1)
def change_words() -> dict[str, str]:
    """Lemma → "up" / "down" for words that say a quantity changed (corpus/data/change_words.txt)."""
    return {w: d for w, d in data_lines("change_words.txt")}


@lru_cache(maxsize=1)
def duration_nouns() -> frozenset[str]:
    return frozenset(w for (w,) in data_lines("duration_nouns.txt"))


@dataclass(frozen=True)
class Candidate:
    """A number phrase found in the text and its parse."""

    span: Span
    amount: Amount
    duration: str | None = None  # "day", "year"… when the phrase is a length of time
    unit: str | None = None  # a measurement unit ("metre") read off a unit written against the number


# ---- finding candidates --------------------------------------------------------------------------------


def _duration(span: Span) -> tuple[Amount, str] | None:
    """"15 days", "eight years", "15-year" (before a noun of duration_nouns): a length of time that measures."""
    if not span[-1].lower_.endswith(DURATION_ENDS):  # what DURATION_RE needs, without reading the span's text
        return None
    m = DURATION_RE.match(span.text.replace("–", "-"))
    if not m:
        return None
    amount = parse_amount(m.group("n"))
    if amount is None or amount.rest or amount.money or amount.unit or m.group("n").lower() in {"a", "an"}:
        return None
    if m.group("ago") and amount.value < DEEP_TIME:
        return None
    return amount, m.group("u").lower().rstrip("s")


def _placing(span: Span) -> bool:
    """A length of time that places an event rather than measuring something: "10 years ago", "in two weeks",
    "five hours later", "a two-day visit", "75-year-old"."""
    doc = span.doc
    prev = doc[span.start - 1].lower_ if span.start > 0 else ""
    nxt = doc[span.end].lower_ if span.end < len(doc) else ""
    if span.text.lower().endswith(" ago"):
        return False  # reached only for deep time (see _duration)
    if prev in PLACING_BEFORE or nxt in PLACING_AFTER or span.text.lower().endswith("-old"):
        return True
    if "-" in span.text and not span.text.endswith("s"):  # "15-year": a modifier; keep it before a measured noun
        head = span.root.head
        return head.lower_ not in duration_nouns() or head.i < span.end
    return nxt in {"-", "–"}


FRACTION_WORDS = {"half", "quarter", "third", "fifth", "tenth", "thirds", "quarters"}


def _token_candidates(doc: Doc, taken: set[int], texts: list[str]) -> Iterator[tuple[Span, Amount]]:
    """Number words the model gives no entity: "hundreds", "half", "a fifth", "doubled", "twice", "fivefold".
    `texts`: the tokens' texts, which rule out most tokens before any is read as a spaCy Token."""
    for i, text in enumerate(texts):
        low = text.lower()
        if i in taken or not (text[0].isdigit() or "$" in text or low in VAGUE_AMOUNTS or low in MULTIPLIERS
                              or low.endswith("fold") or low in FRACTION_WORDS):
            continue
        t = doc[i]
        if t.ent_type_ == "" and (MONEY_TOKEN_RE.match(t.text) or (t.text[0].isdigit() and t.like_num and
                                                                 t.pos_ == "NUM")):
            end = t.i + 1  # a number the model gave no entity: "more than 900", "10.8 per cent"
            while end < len(doc) and doc[end].lower_ in {"per", "cent", "percent", "%", "million", "billion"}:
                end += 1
            start = t.i
            for phrase, _ in QUALIFIERS:
                n = len(phrase.split())
                if t.i >= n and " ".join(x.lower_ for x in doc[t.i - n:t.i]) == phrase:
                    start = t.i - n
                    break
            amount = parse_amount(doc[start:end].text)
            if amount is not None:
                yield doc[start:end], amount
        elif low in VAGUE_AMOUNTS and t.pos_ in {"NOUN", "NUM"}:
            start = t.i - 2 if t.i >= 2 and doc[t.i - 1].lower_ == "of" and doc[t.i - 2].lower_ in {"tens",
                                                                                                  "hundreds"} else t.i
            amount = parse_amount(doc[start:t.i + 1].text)
            if amount is not None:
                yield doc[start:t.i + 1], amount
        elif low in MULTIPLIERS or re.fullmatch(r"\w+-?fold", low):
            amount = parse_amount(low)
            if amount is not None and (low not in {"double", "triple"} or t.pos_ in {"VERB", "ADV", "NOUN"} or
                                       t.dep_ == "predet"):
                yield doc[t.i:t.i + 1], amount
        elif low in FRACTION_WORDS and \
                t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "of" and t.ent_type_ == "":
            start = t.i - 1 if t.i > 0 and doc[t.i - 1].lower_ in {"a", "one", "two", "three"} else t.i
            amount = parse_amount(doc[start:t.i + 1].text)
            if amount is not None:
                yield doc[start:t.i + 1], amount


def _excluded(span: Span, amount: Amount) -> bool:
    """Years, references, ages, points back ("the two countries"), a lone "one"."""
    doc = span.doc
    text = span.text
    prev = doc[span.start - 1] if span.start > 0 else None
    nxt = doc[span.end] if span.end < len(doc) else None
    if YEAR_RE.match(text) and not (span.root.dep_ == "nummod" and span.root.head.tag_ == "NNS"):
        return True  # "in 2019", but "some 1800 families" is a count
    if prev is not None and prev.lower_ in REFERENCE_WORDS and not amount.money and not amount.unit:
        return True  # an age, a rank, an identifier: "aged 64", "Phase 1", "Case 90"
    if prev is not None and prev.lower_ in {"and", "or", "to", "-"} and span.start >= 3 and \
            doc[span.start - 2].like_num and doc[span.start - 3].lower_ in REFERENCE_WORDS:
        return True  # the "2" of "Phase 1 and 2 studies"
    if nxt is not None and nxt.text in {"-", "–"} and nxt.i + 1 < len(doc) and \
            doc[nxt.i + 1].lower_ in {"year", "years", "day", "days", "month", "week", "old", "hour", "minute"}:
        return True  # "two-day visit", "75-year-old"
    if nxt is not None and nxt.lower_ in {"years", "year"} and nxt.i + 1 < len(doc) and \
            doc[nxt.i + 1].lower_ in {"old", "ago"}:
        return True
    if prev is not None and prev.lower_ in POINTING_WORDS and text.isalpha() and amount.qclass != "vague" and \
            text.lower() not in {"half", "doubled"} and not (nxt is not None and nxt.tag_ == "JJS"):
        return True  # "the two countries" points back; it is not a figure
    month_before = span.start >= 3 and doc[span.start - 3].lower_.rstrip(".") in MONTHS
    if prev is not None and (prev.lower_.rstrip(".") in MONTHS or (prev.lower_ in {"to", "-", "and"} and month_before)):
        return True  # "Aug 17", "from Aug 7 to 16": days of a month
    if text == "One" and span.start == span.sent.start:
        return True  # "One woman was hurt": an example introduced, not a count
    if prev is not None and prev.lower_ == "in" and span.start >= 2 and doc[span.start - 2].like_num:
        return True  # the "10" of "4 in 10 voters"
    if nxt is not None and nxt.text in {"'s", "’s", "s"} and text.isdigit() and not span[-1].whitespace_:
        return True  # "the 90's": a decade
    if CLOCK_RE.search(text):
        return True  # "7.52am"
    return text.lower() == "one" and (span.root.dep_ != "nummod" or (nxt is not None and nxt.lower_ == "of"))


def _split_range(ent: Span) -> list[tuple[Span, Amount]] | None:
    """Rule: a range is two figures, the low end taking the high end's unit: "between A$7.25 million and
    A$19.5 million", "US$2 million to US$5 million", "one to two weeks"."""
    for k, t in enumerate(ent):
        if t.lower_ not in {"and", "to"} or k == 0 or k == len(ent) - 1:
            continue
        left, right = ent[:k], ent[k + 1:]
        if left[0].lower_ in {"between", "from"}:
            left = left[1:]
        low, high = parse_amount(left.text), parse_amount(right.text)
        if low is None or high is None or (not left[-1].like_num and
                                           left[-1].lower_ not in {"million", "billion", "%", "percent", "cent"}):
            return None
        if not (low.money or low.unit) and (high.money or high.unit):
            low = replace(low, unit=high.unit, currency=high.currency, money=high.money, dollar=high.dollar)
        return [(left, low), (right, high)]
    return None


def _candidates(ctx: DocContext, p: int) -> Iterator[Candidate]:
    doc = ctx.docs[p]
    taken: set[int] = set()
    for ent in ctx.ents[p]:
        parts = _split_range(ent) if ent.label_ in FIGURE_LABELS or _duration(ent) else None
        if parts is not None:
            taken.update(range(ent.start, ent.end))
            unit = _duration(ent)
            for span, amount in parts:
                if not _excluded(span, amount):
                    yield Candidate(span, amount, duration=unit[1] if unit is not None else None)
            continue
        if ent.label_ in FIGURE_LABELS:
            end = ent.end
            while end < len(doc) and ent.label_ == "CARDINAL" and (
                    doc[end].lower_ in {"per", "cent", "percent"} or doc[end].lower_ in currency_table()[1]):
                end += 1  # "almost 11" + "per cent", "over 422,000" + "euros"
            while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ and \
                    not doc[end].whitespace_ and doc[end + 1].is_alpha and ent.label_ == "QUANTITY":
                end += 2  # "4.2 light" + "-years"
            if end < len(doc) and not doc[end - 1].whitespace_ and doc[end].lower_ in {"m", "bn", "mn", "k"} and \
                    ent.label_ == "MONEY":
                end += 1  # "£9.7" + "m"
            if end > ent.end:
                ent = doc[ent.start:end]
            if ent.label_ == "CARDINAL" and ent.end < len(doc) and not ent[-1].whitespace_ and \
                    doc[ent.end].is_alpha and (unit := measurement_unit(doc[ent.start:ent.end + 1].text)):
                amount = parse_amount(ent.text)  # "3" + "m": a measurement the tokenizer split
                if amount is not None and not _excluded(ent, amount):
                    taken.update(range(ent.start, ent.end + 1))
                    yield Candidate(doc[ent.start:ent.end + 1], amount, unit=unit)
                continue
            amount = parse_amount(ent.text)
            prev = doc[ent.start - 1].text if ent.start > 0 else ""
            if amount is not None and not amount.money and not amount.unit and \
                    (prev.endswith("$") or prev in currency_table()[0]):
                amount = parse_amount(prev + ent.text)  # "US$ 20,000": the tokenizer split the symbol off
                ent = doc[ent.start - 1:ent.end]
            if amount is None and ent.label_ == "QUANTITY":
                m = re.match(r"^[\d.,]+", ent.text)
                amount = parse_amount(m.group(0)) if m else None
                amount = replace(amount, rest=ent.text[m.end():].strip()) if amount and m else amount
            unit = measurement_unit(ent.text) if amount is not None and amount.rest else None
            if amount is None or (amount.rest and ent.label_ != "QUANTITY" and not unit) or amount.value == 0 or \
                    _excluded(ent, amount) or any(ctx.mention_at(p, i) for i in range(ent.start, ent.end)):
                continue
            taken.update(range(ent.start, ent.end))
            yield Candidate(ent, amount, unit=unit)
        elif ent.label_ == "DATE":
            found = _duration(ent)
            if found is not None and not _placing(ent):
                taken.update(range(ent.start, ent.end))
                yield Candidate(ent, found[0], duration=found[1])
            else:
                taken.update(range(ent.start, ent.end))
    for span, amount in _token_candidates(doc, taken, ctx.texts[p]):
        if not _excluded(span, amount):
            yield Candidate(span, amount)


# ---- the subject: what a number counts ------------------------------------------------------------------


def _np_text(head: Token, exclude: set[int]) -> tuple[str, list[Token]]:
    """A noun phrase around `head`: its contiguous left modifiers, the noun, and one conjoined noun."""
    doc = head.doc
    run = [head]
    i = head.i - 1
    while i >= 0 and i not in exclude and head.is_ancestor(doc[i]):  # in head's subtree, read token by token
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
    while i < len(doc) and (doc[i].pos_ == "DET" or doc[i].like_num or doc[i].tag_ == "PRP$"):  # "131 of 385 cases"
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


Subject = tuple[str, Token, list[Token]]


def _np(tok: Token, exclude: set[int]) -> Subject:
    text, toks = _np_text(tok, exclude)
    return text, tok, toks


def _nominal(children: Iterator[Token] | list[Token], deps: set[str]) -> Token | None:
    return next((c for c in children if c.dep_ in deps and c.pos_ in {"NOUN", "PROPN"}), None)


def _of_complement(span: Span, named: set[int], exclude: set[int]) -> Subject | None:
    """Rule: "two-thirds of the staff", "$5m in aid", "half of all incidents" → the complement."""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    complement = {"of", "in", "for", "worth"} if span.label_ == "MONEY" else {"of"}
    if after is None or after.lower_ not in complement:
        return None
    pobj = [g for g in after.children if g.dep_ == "pobj" and g.pos_ in {"NOUN", "PROPN"}]
    if pobj and after.head.i in exclude:
        return _np(pobj[0], exclude)
    return _chunk_after(doc, span.end + 1, named)


def _modified_noun(span: Span, named: set[int], exclude: set[int]) -> Subject | None:
    """Rule: the noun the number modifies, "6,000 troops", "a 15-year prison sentence"."""
    root = span.root
    head = root.head
    if root.dep_ in {"nummod", "quantmod", "amod", "compound", "npadvmod", "predet"} and \
            head.pos_ in {"NOUN", "PROPN"} \
            and head.i >= span.end:
        return _np(head, exclude)
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and (after.pos_ in {"NOUN", "PROPN", "ADJ"} or after.i in named):
        return _chunk_after(doc, span.end, named)
    return None


def _changed_thing(span: Span, exclude: set[int]) -> tuple[Subject | None, str] | None:
    """Rule: a change — "profits plunged 73%", "grow by 4.3 per cent", "spiked by a record 25%", "doubled" —
    is about the subject of the verb. Returns (subject or None, direction)."""
    root = span.root
    verb = root if root.lower_ in MULTIPLIERS else root.head
    if verb.dep_ == "prep" or verb.lower_ in {"by", "to"}:
        verb = verb.head
    if verb.dep_ == "xcomp" and verb.lemma_.lower() not in change_words():  # "expected to rise 5%"
        verb = verb.head
    if root.dep_ == "conj":
        return None  # "cut 2,000 jobs and a further 1,000": the second number shares the first's noun
    direction = change_words().get(verb.lemma_.lower())
    if direction is None and verb.lemma_.lower() in {"double", "triple", "quadruple"}:
        direction = "up"
    if direction is None:
        return None
    if root.head.lower_ in {"to", "from"} and root.dep_ == "pobj":
        return None  # "fell to 10%", "rose from $264": a level, not the change
    subj = _nominal(verb.children, {"nsubj", "nsubjpass"})
    for _ in range(3):  # "after losing 11 per cent": the subject of the clause the change hangs from
        if subj is not None or verb.dep_ not in {"xcomp", "ccomp", "conj", "advcl", "relcl", "pcomp", "prep"}:
            break
        if verb.dep_ == "relcl" and verb.head.pos_ in {"NOUN", "PROPN"}:
            subj = verb.head
            break
        verb = verb.head
        subj = _nominal(verb.children, {"nsubj", "nsubjpass"})
    return (_np(subj, exclude) if subj is not None else None), direction


def _level_of(span: Span, exclude: set[int]) -> Subject | None:
    """Rule: "stands at 10,000", "rose to $20", "The total is 29,315", "priced at A$7 million" → what the
    verb's subject or object names."""
    root = span.root
    head = root.head
    verb = head
    while root.dep_ == "pobj" and verb.pos_ == "ADP" and verb.head.i != verb.i:
        verb = verb.head  # "rose to $20", "fell to below US$15", "priced at"
    if root.dep_ not in {"pobj", "attr", "dobj", "npadvmod", "nsubj", "appos", "conj"} and verb is head:
        return None
    if root.dep_ == "nsubj" and verb.lemma_ != "be":
        return None  # "36% said ...": the clause says what the share did
    while verb.lemma_.lower() in QUALIFIER_NOUNS and verb.head.i != verb.i:
        verb = verb.head  # "a loan in the region of $1.5 billion": the loan
        if verb.pos_ == "ADP":
            verb = verb.head
    while verb.pos_ in {"ADJ", "ADV"} and verb.dep_ in {"acomp", "advmod", "amod"} and verb.head.i != verb.i:
        verb = verb.head  # "was 30% smaller than": what the copula's subject names
    if verb.pos_ in {"NOUN", "PROPN", "NUM"} and verb.i < span.start:  # "a price of $2", "80% (up to £2,500)"
        if verb.is_punct or verb.pos_ == "NUM":
            of = next((c for c in verb.children if c.lower_ == "of"), None)
            pobj = _nominal(of.children, {"pobj"}) if of is not None else None
            return _np(pobj, exclude) if pobj is not None else None
        return _np(verb, exclude)
    deps = {"nsubj", "nsubjpass"} if root.dep_ in {"dobj", "attr", "pobj", "npadvmod"} else {"dobj", "attr"}
    if root.dep_ == "pobj":
        deps = {"dobj", "nsubj", "nsubjpass"}
    noun = _nominal([c for c in verb.children if c.i not in exclude], deps)
    if noun is None and verb.dep_ == "conj" and "nsubj" in deps:  # "orbits ... and lies 4.2 light-years away"
        noun = _nominal(verb.head.children, {"nsubj", "nsubjpass"})
    if noun is not None and noun.lower_ not in {"it", "they", "this", "that"}:
        return _np(noun, exclude)
    return None


def _elided_noun(span: Span, exclude: set[int]) -> Subject | None:
    """Rule: a count whose noun stands earlier in the sentence — "cut 2,000 jobs and a further 1,000 in
    finance", "Of the 20 firms, only four meet the test" → the nearest plural noun before it."""
    doc = span.doc
    root = span.root
    if root.dep_ == "conj":
        noun = root.head if root.head.pos_ in {"NOUN", "PROPN"} else _nominal(root.head.children, {"dobj"})
        if noun is not None:
            return _np(noun, exclude)
    sent = span.sent
    for i in range(span.start - 1, sent.start - 1, -1):
        t = doc[i]
        if t.tag_ in {"NNS", "NNPS"} and t.lemma_.lower() not in TIME_UNITS and t.ent_type_ not in {"DATE", "TIME"}:
            return _np(t, exclude)
    return None


def _governor(span: Span, exclude: set[int], c: Candidate) -> Subject | None:
    """Last rule for sums of money and lengths of time: the verb or noun that governs them, "served eight
    years", "earn under £50,000". Not for counts: in "They counted 42" a verb does not say what was counted."""
    h = span.root.head
    if not (c.amount.money or c.duration or c.unit or c.span.label_ == "QUANTITY"):
        return None
    if h.pos_ == "ADP" and h.head.i != h.i:
        h = h.head
    if h.i in exclude or h.pos_ not in {"VERB", "NOUN"} or h.lemma_.lower() in TIME_UNITS | {"be", "have"}:
        return None
    if h.pos_ == "NOUN":
        return _np(h, exclude)
    return h.text, h, [h]


def _clause_of(span: Span, exclude: set[int]) -> Subject | None:
    """Rule: a percentage or share that is the subject of its clause — "53% named Ames", "half doubt it" —
    is about what the clause says: the verb and its object."""
    root = span.root
    verb = root.head
    if root.dep_ not in {"nsubj", "nsubjpass"} or verb.pos_ not in {"VERB", "AUX"}:
        return None
    obj = _nominal(verb.children, {"dobj", "attr", "acomp", "xcomp", "ccomp", "prep"})
    toks = [verb] + ([obj] if obj is not None else [])
    text = verb.text + (" " + _np_text(obj, exclude)[0] if obj is not None else "")
    return text, verb, toks


# ---- what kind of figure ---------------------------------------------------------------------------------


def _rate_after(span: Span) -> str | None:
    """"US$2 a barrel", "10 million barrels per day", "four times a week" → the unit of the rate."""
    doc = span.doc
    for i in range(span.end, min(span.end + 3, len(doc) - 1)):
        if doc[i].lower_ in RATE_WORDS and doc[i + 1].lemma_.lower() in RATE_UNITS:
            return doc[i + 1].lemma_.lower()
    prev = doc[span.start - 1] if span.start > 0 else None
    if prev is not None and prev.lower_ == "every":
        return "every"
    return None


def _conversions(found: list[Candidate]) -> dict[int, Candidate]:
    """Rule: an amount in brackets right after another is its conversion, one fact with two amounts —
    "$12.5m (£9.7m)", "3m (9.8ft)"; a bracketed range after a range pairs end with end: "US$2 million to
    US$5 million (S$2.8 million to S$7.1 million)". Keyed by the start of the converted amount."""
    alts: dict[int, Candidate] = {}
    for c in found:
        doc = c.span.doc
        if c.span.end + 1 >= len(doc) or doc[c.span.end].text != "(":
            continue
        close = next((t.i for t in doc[c.span.end:] if t.text == ")"), len(doc))
        inner = [x for x in found if c.span.end < x.span.start < close]
        low = next((x for x in found if x.span.end == c.span.start - 1), None)
        if len(inner) == 2 and low is not None and doc[c.span.start - 1].lower_ in {"to", "and", "-"}:
            alts[low.span.start], alts[c.span.start] = inner
        elif inner:
            alts[c.span.start] = inner[0]
    return alts


def _currency(c: Candidate, dollar: str | None) -> str | None:
    """The ISO code of a money amount: its own symbol or word, else the article's dollar for a bare "$"
    ("US $20" split by the tokenizer counts as "US$"; "A $3 million" is the article "a", not "A$")."""
    a = c.amount
    if not a.money:
        return None
    if a.currency or not a.dollar:
        return a.currency
    doc, start = c.span.doc, c.span.start
    symbols = currency_table()[0]
    prev = doc[start - 1] if start > 0 else None
    attached = prev is not None and (not prev.whitespace_ or len(prev.text) > 1)
    split = symbols.get(prev.text + "$") if prev is not None and attached else None
    return split or dollar


def _unit_and_kind(c: Candidate, currency: str | None) -> tuple[str | None, str]:
    """Rule: the unit (currency, "%", a measurement unit or a length of time) and the first reading of the
    kind — money, percent (shares too: "a fifth"), measurement, else count."""
    a, span = c.amount, c.span
    quantity = bool(a.rest and span.label_ == "QUANTITY")
    if a.money:
        return currency or "$", "money"
    unit = a.unit or c.duration or c.unit or ((measurement_unit(span.text) or a.rest) if quantity else None)
    if unit == "%" or (0 < a.value < 1 and not a.rest):
        return unit, "percent"
    return unit, "measurement" if (c.duration or c.unit or quantity) else "count"


def _alt_unit(alt: Candidate, kind: str, dollar: str | None) -> str | None:
    if kind == "measurement":
        return measurement_unit(alt.span.text) or alt.amount.rest or None
    return _currency(alt, dollar) or alt.amount.unit or (measurement_unit(alt.span.text) if alt.amount.rest else None)


def _figure(ctx: DocContext, p: int, c: Candidate, alt: Candidate | None, dollar: str | None,
            named: set[int]) -> LocalFigure | None:
    """One figure from a candidate, or None when no rule says what it counts."""
    span, a = c.span, c.amount
    doc = span.doc
    exclude = set(range(span.start, span.end))
    qualifier, qclass = a.qualifier, a.qclass
    if qualifier is None:
        qualifier, qclass = _qualifier_before(span)
    elif span[0].dep_ == "prt" or _phrasal(span[0]):
        qualifier, qclass = None, "exact"
    currency = _currency(c, dollar)
    unit, kind = _unit_and_kind(c, currency)
    direction = None
    subject: Subject | None = None
    if span.end + 1 < len(doc) and doc[span.end].lower_ == "times" and doc[span.end + 1].tag_ in {"JJR", "RBR", "RB"}:
        kind = "change"  # "six times more than": a multiple
        exclude.add(span.end)
    change = _changed_thing(span, exclude)
    if span.text.lower() in {"twice", "thrice"}:
        kind = "count"  # "visited twice": how many times, not a change
        verb = span.root.head
        subject = (verb.text, verb, [verb]) if verb.pos_ == "VERB" else None
    elif change is not None or a.multiplier:
        subject, direction = change if change is not None else (None, "up")
        kind = "change"
    if kind != "change" and _rate_after(span) is not None:
        kind = "rate"
    value, in_of = _in_of(span)
    if in_of is not None:
        subject, kind, unit = in_of, "percent", "%"
    subject = subject or _of_complement(span, named, exclude) or _modified_noun(span, named, exclude) or \
        (_elided_noun(span, exclude) if span.root.dep_ == "conj" else None) or _level_of(span, exclude) or \
        _clause_of(span, exclude) or _governor(span, exclude, c) or _elided_noun(span, exclude)
    if subject is None:
        return None
    text, head, toks = subject
    if not text or head.lemma_.lower() in TIME_UNITS or head.ent_type_ in {"DATE", "TIME"} or \
            head.pos_ not in {"NOUN", "PROPN", "VERB", "AUX"}:
        return None
    keys = sorted({k for t in toks if (k := ctx.entity_of(p, t)) is not None})
    shown = span
    if alt is not None and alt.span.end < len(doc) and doc[alt.span.end].text == ")":
        shown = doc[span.start:alt.span.end + 1]
    return LocalFigure(
        value=value if in_of is not None else a.value, unit=unit, qualifier=qualifier, qclass=qclass,
        subject=text, head=head.lemma_.lower(), subject_keys=keys, text=shown.text, sentence=_sentence(ctx, p, span),
        sent_idx=ctx.sent_idx(p, span.root), kind=kind, currency=currency, direction=direction,
        alt_value=alt.amount.value if alt is not None else None,
        alt_unit=_alt_unit(alt, kind, dollar) if alt is not None else None,
    )


def _sentence(ctx: DocContext, p: int, span: Span) -> str:
    """The text of the sentence that holds the span (of the sentences it spans), from the context's texts."""
    first, last = ctx.sent_of[p][span.start], ctx.sent_of[p][span.end - 1]
    return (ctx.sentences[first] if first == last else span.sent.text).strip()


def _in_of(span: Span) -> tuple[float, Subject | None]:
    """Rule: "4 in 10 voters", "six in 10 locals" → 40 %, about the voters."""
    doc = span.doc
    i = span.end
    if i + 1 < len(doc) and doc[i].lower_ in {"in", "out"}:
        j = i + 2 if doc[i].lower_ == "out" and doc[i + 1].lower_ == "of" else i + 1
        if j < len(doc) and doc[j].like_num and span.label_ == "CARDINAL" and not YEAR_RE.match(doc[j].text):
            n, m = parse_amount(span.text), parse_amount(doc[j].text)
            if n is not None and m is not None and 2 <= m.value <= 1000 and n.value <= m.value:
                after = _chunk_after(doc, j + 1, set())
                return round(100 * n.value / m.value, 2), after
    return 0.0, None


def _phrasal(word: Token) -> bool:
    """"took over 100 percent": "over" belongs to the verb ("take over"), it does not bound the number."""
    prev = word.doc[word.i - 1] if word.i > 0 else None
    return word.lower_ == "over" and prev is not None and prev.pos_ == "VERB" and prev.lemma_.lower() in PHRASAL_OVER


def _qualifier_before(span: Span) -> tuple[str | None, str]:
    doc = span.doc
    before = " ".join(t.lower_ for t in doc[max(0, span.start - 4):span.start])
    for phrase, cls in QUALIFIERS:
        if before.endswith(phrase) and (len(before) == len(phrase) or before[-len(phrase) - 1] == " "):
            first = doc[span.start - len(phrase.split())]
            if first.dep_ == "prt" or _phrasal(first):
                continue  # "took over 100 percent": "over" belongs to the verb
            return phrase, cls
    if span.start > 0 and doc[span.start - 1].lower_ == "estimated":
        return "an estimated", "approx"
    return None, "exact"


def extract_figures(ctx: DocContext, article: Article | None = None) -> tuple[list[LocalFigure], int]:
    """The figures of a document, and how many numbers were dropped for want of a subject."""
    dollar = article_dollar(article) if article is not None else None
    figures: list[LocalFigure] = []
    dropped = 0
    named_in: dict[int, set[int]] = defaultdict(set)  # paragraph → its tokens inside a name
    for q, i in ctx.by_token:
        named_in[q].add(i)
    for p in range(len(ctx.docs)):
        named = named_in[p]
        found = list({c.span.start: c for c in _candidates(ctx, p)}.values())
        alts = _conversions(found)
        inside = {alt.span.start for alt in alts.values()}
        for c in found:
            if c.span.start in inside:
                continue
            alt = alts.get(c.span.start)
            fig = _figure(ctx, p, c, alt, dollar, named)
            if fig is None:
                dropped += 1
                continue
            figures.append(fig)
    return figures, dropped


# --- pipeline component (assembled in corpus/nlp.py) -----------------------------------------------


@Language.component("briefbot_figures")
def figures_component(doc: Doc) -> Doc:
    """The key figures of the article's body (Doc._.figures; none from its title, headings and captions) and how
    many numbers were left out for want of a subject (Doc._.figures_without_subject)."""
    ctx = context(doc)
    article = article_of(doc)
    figures, doc._.figures_without_subject = extract_figures(ctx, article)
    body = len(article.body)
    doc._.figures = [f for f in figures if ctx.sent_bounds[f.sent_idx][0] < body]
    return doc
