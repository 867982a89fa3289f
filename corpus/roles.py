"""Roles stated around people's names ("Foreign Secretary <Name>", "<Name>, a senior fellow at X", "named <Name>
as its chief executive"), and the pipeline component that puts them, and the byline's, onto the article's entities."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from corpus.extraction import DocContext, LocalEntity, LocalMention, article_of, context
from corpus.gazetteer import fold
from corpus.lexicon import HONORIFICS, ROLE_NOUNS

POSSESSIVE = {"'s", "’s", "'", "’"}
DETERMINERS = {"the", "a", "an"}


@lru_cache(maxsize=65536)
def is_role_word(text: str) -> bool:
    low = text.lower().strip(".")
    return low in ROLE_NOUNS or any(part in ROLE_NOUNS for part in low.split("-") if part)


ROLE_FILE = Path(__file__).with_name("data") / "role_nouns.txt"
COURTESY = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "sir", "dame", "dr", "dr."})
PHRASE_PREPS = frozenset({"of", "at", "for", "with", "to", "&"})
APPOINT_VERBS = frozenset({"name", "appoint", "elect", "hire", "choose", "select", "nominate", "install", "promote"})
LIST_LEADS = frozenset({"including", "such", "as", "namely", ":", ";", ","})
STATEMENT_NOUNS = frozenset({"email", "statement", "interview", "letter", "post", "tweet", "message", "video"})
BOUNDARIES = frozenset({",", ";", ":", "(", ")", "—", "–", '"', "“", "”", "--"})


def _word_list(path: Path) -> frozenset[str]:
    """The words of a data file: one a line, comment lines (#) skipped."""
    return frozenset(line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#"))


STATED_ROLES = ROLE_NOUNS | _word_list(ROLE_FILE)


def is_role_noun(tok: Token) -> bool:
    """A job, office or standing noun ("co-founder", "house-keeper", "superstars"), as the head of a stated role."""
    if tok.pos_ not in {"NOUN", "PROPN"}:
        return False
    low = tok.lower_.strip(".")
    if tok.i >= 2 and joined(tok.doc, tok.i - 1) and f"{tok.doc[tok.i - 2].lower_}-{low}" in STATED_ROLES:
        return True
    return low in STATED_ROLES or tok.lemma_.lower() in STATED_ROLES or is_role_word(low)


def _role_text(tokens: list[Token]) -> str | None:
    if len(tokens) > 2 and tokens[0].lower_ == "one" and tokens[1].lower_ == "of":
        tokens = tokens[2:]  # "one of the country's top officials"
    while tokens and (tokens[0].lower_ in DETERMINERS or tokens[0].is_punct or tokens[0].lower_ == "another"
                      or (tokens[0].pos_ == "PRON" and tokens[0].dep_ == "poss")
                      or (tokens[0].ent_type_ in {"DATE", "TIME", "CARDINAL"}
                          and not joined(tokens[0].doc, tokens[0].i + 1))):
        tokens = tokens[1:]
    while tokens and tokens[-1].pos_ not in {"NOUN", "PROPN"} and not (len(tokens) > 1 and joined(*_pair(tokens))):
        tokens = tokens[:-1]
    if not tokens or len(tokens) > 12 or not _head_is_role(tokens):
        return None
    if any(t.pos_ in {"VERB", "AUX", "PRON", "NUM"} and t.tag_ not in {"VBN", "VBG"} and t.text not in POSSESSIVE
           and not (t.pos_ == "NUM" and t.nbor().text == "-") for t in tokens):
        return None
    text = "".join(t.text_with_ws for t in tokens).strip()
    return re.sub(r"\s+", " ", text)


def _head_is_role(tokens: list[Token]) -> bool:
    """The phrase's head noun, its last word before a preposition, is a role ("volunteer rescue group" is none;
    "head of statistics" is)."""
    head = [t for t in itertools.takewhile(lambda t: t.pos_ != "ADP" or t.text in POSSESSIVE, tokens)
            if t.pos_ in {"NOUN", "PROPN"}]
    return bool(head) and is_role_noun(head[-1])


def _pair(tokens: list[Token]) -> tuple[Doc, int]:
    """(doc, index) of the token before the last one, for `joined`."""
    return tokens[-1].doc, tokens[-2].i


def _name_start(doc: Doc, start: int) -> int:
    """The start of a name with its courtesy titles ("Mr", "Dr", "Sir"), which are no roles."""
    while start > 0 and doc[start - 1].lower_ in COURTESY:
        start -= 1
    return start


def joined(doc: Doc, i: int) -> bool:
    """A hyphen written inside a word ("co-founder", "three-time")."""
    return doc[i].text in {"-", "‐"} and i > 0 and not doc[i - 1].whitespace_ and not doc[i].whitespace_


def _phrase_start(doc: Doc, end: int, limit: int = 10, determiners: bool = False) -> int:
    """Walk left from `end` over the words of a noun phrase: nouns, names, adjectives, "of (the)", possessives,
    hyphenated words; with `determiners`, also the article or possessive pronoun that opens it."""
    j = end
    while j > 0 and end - j < limit:
        t = doc[j - 1]
        if joined(doc, j - 1) and j >= 2:
            j -= 2
        elif t.pos_ in {"NOUN", "PROPN", "ADJ"} or t.text in POSSESSIVE or t.lower_ in {"of", "for"} \
                or t.tag_ == "VBN" or (t.lower_ == "the" and j >= 2 and doc[j - 2].lower_ in {"of", "for"}) \
                or (t.lower_ in {"and", "&"} and 2 <= j < end and doc[j - 2].is_title and doc[j].is_title):
            j -= 1
        elif determiners and (t.pos_ == "DET" or (t.pos_ == "PRON" and t.dep_ == "poss")):
            return j - 1
        else:
            break
    return j


def _from_role_segment(tokens: list[Token]) -> list[Token]:
    """"resignation of Foreign Secretary" → "Foreign Secretary": the phrase from the last "of"-segment that holds
    a role noun ("head of statistics" keeps its head)."""
    bounds = [-1, *(k for k, t in enumerate(tokens) if t.lower_ in {"of", "for"}), len(tokens)]
    starts = [a + 1 for a, b in pairwise(bounds) if any(is_role_noun(x) for x in tokens[a + 1:b])]
    return tokens[starts[-1]:] if starts else tokens


def _after_people(tokens: list[Token]) -> list[Token]:
    """"Ms Okafor's colleague" → "colleague": a role never holds another person's name."""
    people = [k for k, t in enumerate(tokens) if (t.ent_type_ == "PERSON" and not is_role_noun(t))
              or (t.text in POSSESSIVE and k > 0 and tokens[k - 1].ent_type_ == "PERSON")]
    return tokens[people[-1] + 1:] if people else tokens


def _headed(tokens: list[Token]) -> list[Token]:
    """A clause phrase that opens with its role noun: "a fellow at X", not "joining forces with X founder Y"
    or "bearish on the future of student loans"."""
    for t in tokens:
        if is_role_noun(t):
            return tokens
        if (t.pos_ == "ADP" and not (t.lower_ == "of" and t.nbor(-1).lower_ == "one")) \
                or (t.pos_ == "VERB" and t.tag_ != "VBN"):
            return []
    return []


def _title_before(doc: Doc, start: int) -> str | None:
    """"BBC head of statistics <Name>", "co-founder <Name>", "Thailand's Prime Minister <Name>"."""
    end = _name_start(doc, start)
    if end == 0 or (doc[end - 1].tag_ in {"NNS", "NNPS"} and is_role_noun(doc[end - 1])):
        return None  # a plural role before a list of names
    if doc[end - 1].text == "]":  # "[then Rivervale prime minister] <Name>": an editor's insertion in a quote
        opening = next((k for k in range(end - 2, max(-1, end - 14), -1) if doc[k].text == "["), None)
        return _role_text(list(doc[opening + 1:end - 1])) if opening is not None else None
    tokens = _after_people(_from_role_segment(list(doc[_phrase_start(doc, end):end])))
    lower_then_title = [k for k in range(1, len(tokens)) if tokens[k - 1].is_lower and tokens[k - 1].pos_ == "NOUN"
                        and tokens[k].text[:1].isupper() and is_role_noun(tokens[k])]
    if lower_then_title:
        tokens = tokens[lower_then_title[-1]:]  # "a figure Foreign Secretary <Name> said"
    while tokens and tokens[0].pos_ == "ADJ" and tokens[0].lower_ in {"much", "many", "more", "most", "such", "other"}:
        tokens = tokens[1:]
    return _role_text(tokens)


def _clause_phrase(doc: Doc, k: int) -> list[Token]:
    """The words from `k` up to a clause boundary: punctuation, a finite verb, a relative word or a
    preposition after the role noun that starts a place or time ("in Baltimore", "on Monday")."""
    out: list[Token] = []
    seen_role = False
    while k < len(doc) and len(out) < 12:
        t = doc[k]
        if t.text in BOUNDARIES or (t.is_sent_start and out) or t.pos_ in {"SCONJ"} or t.lower_ == "than" \
                or (t.pos_ == "CCONJ" and out and k + 1 < len(doc) and doc[k + 1].pos_ == "DET") \
                or t.lower_ in {"who", "which", "that", "whose", "whom", "when", "where"} \
                or (t.pos_ in {"VERB", "AUX"} and t.tag_ not in {"VBN", "VBG"}) \
                or (seen_role and t.pos_ == "ADP" and t.lower_ not in PHRASE_PREPS):
            break
        seen_role = seen_role or is_role_noun(t)
        out.append(t)
        k += 1
    return out


def _appositive_after(doc: Doc, end: int) -> str | None:
    """"<Name>, a senior fellow at X, said", "<Name>, 54, a nurse for 30 years, died", "said <Name> in an email,
    study author and ..."."""
    if end + 3 < len(doc) and doc[end].lower_ == "in" and doc[end + 1].pos_ == "DET" and doc[end + 2].pos_ == "NOUN" \
            and doc[end + 2].lemma_ in STATEMENT_NOUNS:
        end += 3  # the words the person said it in
    if end >= len(doc) or doc[end].text != ",":
        return None
    k = end + 1
    if k + 1 < len(doc) and doc[k].like_num and doc[k + 1].text == ",":
        k += 2  # an age
    phrase = _headed(_clause_phrase(doc, k))
    if any(t.ent_type_ == "PERSON" and (t.nbor(-1).lower_ in HONORIFICS or is_role_noun(t.nbor(-1)))
           for t in phrase):
        return None  # another person's description ("son of the late King <Name>")
    return _role_text(phrase)


def _appositive_before(doc: Doc, start: int) -> str | None:
    """"The chair of X's board, <Name>, said", "its press secretary, <Name>, and ..."."""
    begin = _name_start(doc, start)
    if begin < 2 or doc[begin - 1].text != ",":
        return None
    end = begin - 1
    while end > 0 and doc[end - 1].lower_ in {"here", "there"}:
        end -= 1
    first = _phrase_start(doc, end, determiners=True)
    tokens = _after_people(_from_role_segment(list(doc[first:end])))
    heads = [t for t in tokens if is_role_noun(t) and t.lower_ not in {"of", "for"}]
    one_of = first >= 1 and doc[first].lower_ == "of" and doc[first - 1].lower_ == "one"  # "One of X's top <plural>"
    if not heads or (heads[0].tag_ not in {"NN", "NNP"} and not one_of):
        return None  # one singular role noun heads it ("reporters, <Name> said" is no role)
    return _role_text(tokens)


def _role_after_verb(doc: Doc, start: int, end: int) -> str | None:
    """"named <Name> as its chief executive", "<Name> is co-founder of a marketing agency"."""
    if end + 1 >= len(doc):
        return None
    nxt = doc[end]
    if nxt.lower_ == "as" and start > 0 and doc[start - 1].lemma_.lower() in APPOINT_VERBS:
        return _role_text(_headed(_clause_phrase(doc, end + 1)))
    if nxt.lemma_ == "be" and nxt.tag_ in {"VBZ", "VBD"} and (start == 0 or doc[start - 1].is_sent_start
                                                              or doc[start - 1].is_punct):
        k = end + 1
        while k < len(doc) and doc[k].pos_ == "ADV":
            k += 1
        return _role_text(_headed(_clause_phrase(doc, k)))
    return None


def _work_place(doc: Doc, end: int) -> str | None:
    """"<Name> works for a recruitment firm", "<Name>, who works at a bank", "<Name> runs <Organization>":
    where a person works, as the text says it (a role noun after "works as" is the role itself)."""
    k = end + 2 if end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].lower_ == "who" else end
    if k + 2 >= len(doc) or doc[k].tag_ not in {"VBZ", "VBD"} or doc[k].lemma_ not in {"work", "run"}:
        return None
    verb, nxt = doc[k], doc[k + 1]
    if verb.lemma_ == "work" and nxt.lower_ == "as":
        return _role_text(_headed(_clause_phrase(doc, k + 2)))
    if verb.lemma_ == "run":  # "runs <Organization>", not "runs a marathon"
        j = k + 2 if nxt.lower_ == "the" else k + 1
        if doc[j].ent_type_ != "ORG" or doc[j].ent_iob_ != "B":
            return None
        last = j
        while last + 1 < len(doc) and doc[last + 1].ent_iob_ == "I":
            last += 1
        return doc[k:last + 1].text
    if verb.lemma_ != "work" or nxt.lower_ not in {"for", "at"}:
        return None
    phrase = [verb, nxt]
    for t in doc[k + 2:k + 10]:
        if t.is_punct or t.pos_ in {"VERB", "AUX", "SCONJ", "PRON", "ADP", "CCONJ"}:
            break
        phrase.append(t)
    return " ".join(t.text for t in phrase) if phrase[-1].pos_ in {"NOUN", "PROPN"} else None


def _affiliation(doc: Doc, start: int, end: int) -> str | None:
    """"<Name> of <Organization>", "<Name>, from think tank <Organization>,", "<Organization>'s <Name>": the
    organization a person speaks for, when no role is stated."""
    if start >= 2 and doc[start - 1].text in POSSESSIVE and doc[start - 2].ent_type_ == "ORG":
        first = start - 2
        while first > 0 and doc[first].ent_iob_ == "I":
            first -= 1
        first += doc[first].lower_ in DETERMINERS
        return doc[first:start - 1].text if first < start - 1 else None  # "<Organization>'s <Name>"
    k = end + 1 if end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].lower_ == "from" else end
    if k >= len(doc) or doc[k].lower_ not in {"of", "from"}:
        return None
    phrase = _clause_phrase(doc, k + 1)
    if not phrase or phrase[-1].ent_type_ not in {"ORG", "FAC"} or not any(t.ent_iob_ == "B" for t in phrase) \
            or any(t.ent_type_ == "PERSON" or t.pos_ in {"ADV", "PRON"} or (t.pos_ == "ADP" and t.lower_ not in
                                                                          {"of", "for"}) for t in phrase):
        return None
    return " ".join([doc[k].lower_, *(t.text for t in phrase)]).replace(" 's", "'s")


def _plural_role(doc: Doc, start: int) -> str | None:
    """"top superstars including <Name>, <Name> and ...", "cousins A and B": a plural role noun before a list
    of names is each one's role."""
    k = _name_start(doc, start)
    listed = False
    while k > 0 and (doc[k - 1].text in {",", "and", "&"} or doc[k - 1].ent_type_ == "PERSON"
                     or (doc[k - 1].pos_ == "PROPN" and doc[k - 1].text[:1].isupper())):
        listed = listed or doc[k - 1].lower_ in {"and", "&"}
        k -= 1
    led = k
    while k > 0 and doc[k - 1].lower_ in LIST_LEADS:
        k -= 1
    if k == 0 or doc[k - 1].tag_ != "NNS" or not is_role_noun(doc[k - 1]):
        return None
    if not listed and any(t.text == "," for t in doc[k:led + 1]) and not any(t.lower_ in LIST_LEADS - {","}
                                                                             for t in doc[k:led]):
        return None  # "a statement to reporters, <Name> said": no list
    head = k - 1
    first = head
    while first > 0 and head - first < 3 and doc[first - 1].pos_ in {"ADJ", "NOUN", "PROPN"}:
        first -= 1
    return " ".join([*(t.text for t in doc[first:head]), doc[head].lemma_])


def _named_role(doc: Doc, start: int) -> str | None:
    """"One protester in X, who gave her name as <Name>, said", "A nurse, who asked to be identified as <Name>":
    the role that opens the sentence of a person a relative clause names."""
    if start < 4 or doc[start - 1].lower_ != "as":
        return None
    sent = doc[start].sent
    who = next((k for k in range(start - 2, max(sent.start + 1, start - 10), -1) if doc[k].lower_ == "who"), None)
    if who is None or doc[who - 1].text != "," \
            or not any(t.lemma_ in {"identify", "give", "call", "name"} for t in doc[who + 1:start - 1]):
        return None
    phrase = list(doc[sent.start:who - 1])
    heads = [t for t in phrase if t.pos_ == "NOUN" and is_role_noun(t)]
    if not heads or any(t.pos_ in {"VERB", "AUX"} for t in phrase):
        return None
    k = heads[0].i
    while k > sent.start and doc[k - 1].is_lower and doc[k - 1].pos_ in {"ADJ", "NOUN"}:
        k -= 1
    return _role_text(list(doc[k:heads[0].i + 1]))


def roles_of(span: Span) -> list[str]:
    """Roles stated around a person's name: a title before it, an appositive before or after it, a plural role
    before a list of names, "named <Name> as …", "<Name> is …" or "a nurse, who gave her name as <Name>"."""
    doc = span.doc
    found = (_title_before(doc, span.start), _appositive_before(doc, span.start), _appositive_after(doc, span.end),
             _role_after_verb(doc, span.start, span.end), _plural_role(doc, span.start), _named_role(doc, span.start),
             _work_place(doc, span.end))
    return list(dict.fromkeys(r for r in found if r))


def stated_roles(span: Span) -> list[str]:
    """The roles stated around a person's name (roles_of), or else the organization the text places the person in
    (which is no evidence that a name is a person's: "<Broadcaster>'s <Show>")."""
    return roles_of(span) or list(filter(None, [_affiliation(span.doc, span.start, span.end)]))


def add_author(entities: dict[str, LocalEntity], author: str | None, role: str | None) -> None:
    """The byline's author is a person of the article, with the byline's role ("reporter" when it states none)."""
    if not author:
        return
    for name in re.split(r"\s+and\s+", author):
        ent = next((e for e in entities.values() if e.kind == "person" and fold(name) in {fold(f) for f in e.forms}),
                   None)
        if ent is not None and (role or "reporter").lower() not in {r.lower() for r in ent.roles}:
            ent.roles.append(role or "reporter")


def collect(ctx: DocContext, entities: dict[str, LocalEntity]) -> list[LocalMention]:
    """Roles onto the entities, and the name mentions for the index."""
    from corpus.entities import transcript_labels  # entities reads roles as evidence of a person: imported late

    out = []
    labels = transcript_labels(ctx.docs, ctx.para_texts) if any(m.source == "label" for m in ctx.mentions) else {}
    for m in ctx.mentions:
        span = m.span(ctx.docs)
        if m.kind == "person":
            found = [labels[m.para].role or ""] if m.source == "label" else stated_roles(span)
            for role in filter(None, found):
                ent = entities[m.key]
                if role.lower() not in {r.lower() for r in ent.roles}:
                    ent.roles.append(role)
        out.append(LocalMention(key=m.key, sent_idx=ctx.sent_idx(m.para, span.root), surface=m.text))
    return out


def nested_mentions(doc: Doc) -> list[LocalMention]:
    """The mentions for the index of the people named inside other names (corpus.entities.nested_people)."""
    from corpus.entities import NESTED_SPANS

    ctx = context(doc)
    starts = [par.start for par in doc._.paragraphs]
    out = []
    for span in doc.spans.get(NESTED_SPANS, []):
        para = bisect_right(starts, span.root.i) - 1
        out.append(LocalMention(key=span._.entity_key, sent_idx=ctx.sent_of[para][span.root.i - starts[para]],
                                surface=span.text))
    return out


# --- pipeline component (assembled in corpus/nlp.py) -------------------------------------------------


@Language.component("briefbot_roles")
def roles_component(doc: Doc) -> Doc:
    """Roles stated around each person's name, and the byline's, onto the entities; the name mentions for the index
    (Doc._.mentions), with the people named inside other names."""
    article = article_of(doc)
    doc._.mentions = collect(context(doc), doc._.entities) + nested_mentions(doc)
    add_author(doc._.entities, article.author, article.author_role)
    return doc
