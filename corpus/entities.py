"""Entities in one document: names found by the model and the alias lists, corrected by the gazetteer and
the parse, grouped into local entities (surname and possessive mentions join the full name); the roles stated
around them are read by corpus/roles.py."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import gender_guesser.detector
from nicknames import NickNamer
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from corpus.aliases import AliasMatcher, Curated, acronym_definitions, alias_spans, is_case_sensitive, known_as
from corpus.extraction import (
    ALPHA,
    NAME_SPANS,
    SPACE,
    STOP,
    DocContext,
    LocalEntity,
    Mention,
    article_of,
    context,
    curated_of,
    paragraph_spans,
)
from corpus.gazetteer import Gazetteer, fold, gazetteer, without_article
from corpus.lexicon import (
    CUE_VERBS,
    FACILITY_HEADS,
    HONORIFICS,
    LOCATIVE_PREPS,
    ORGANIZATION_HEADS,
    PLACE_NOUNS,
    RELIGIONS,
)
from corpus.models import EntityKind
from corpus.quote_cue import transcript_lines
from corpus.roles import DETERMINERS, POSSESSIVE, is_role_noun, is_role_word, joined, roles_of

LABEL_KINDS: dict[str, EntityKind] = {
    "PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place", "NORP": "group",
}
NAME_LABELS = frozenset(LABEL_KINDS) | {"PRODUCT", "WORK_OF_ART", "EVENT", "LAW"}
ROMAN = re.compile(r"^(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|Jr\.?|Sr\.?)$")


# --- finding names ----------------------------------------------------------------------------------


def _clean(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop leading determiners and trailing possessives/punctuation from a name span."""
    while start < end and (doc[start].lower_ in DETERMINERS or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].text in POSSESSIVE or doc[end - 1].is_punct
                           or doc[end - 1].is_space):
        end -= 1
    return start, end


def _person_bounds(doc: Doc, start: int, end: int, taken: set[int]) -> tuple[int, int]:
    """Strip titles from the left of a person's name and extend a cut name to the right."""
    while end - start > 1 and (doc[start].lower_ in HONORIFICS or is_role_word(doc[start].text)
                               or doc[start].ent_type_ in {"GPE", "NORP"} or doc[start].lower_ == "former"
                               or (not doc[start].text[:1].isupper() and doc[start].pos_ != "PROPN")
                               or doc[start].pos_ == "ADJ"
                               or (doc[start].pos_ == "VERB" and is_english_word(doc[start].lower_)
                                   and not is_forename(doc[start].text) and is_forename(doc[start + 1].text))):
        start += 1  # "Former Prime Minister", "Hammering <Forename> <Name>" of a headline
    while end < len(doc) and end not in taken and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper() \
            and doc[end].text not in POSSESSIVE and _free_or_person(doc[end]) and doc[end].ent_iob_ != "B":
        end += 1
    while end < len(doc) and end not in taken and ROMAN.match(doc[end].text):
        end += 1
    end = _hyphen_tail(doc, end) if end - start == 2 and end + 1 not in taken else end  # "Lam Wai" of "Lam Wai-ting"
    while start > 0 and start - 1 not in taken and not doc[start - 1].ent_type_ and doc[start - 1].pos_ == "PROPN" \
            and is_forename(doc[start - 1].text) and not is_role_word(doc[start - 1].text) \
            and doc[start - 1].lower_ not in HONORIFICS:
        start -= 1  # "Junius" left out of "Ho"
    return start, end


def _free_or_person(tok: Token) -> bool:
    """Not labelled by the model as an organization, place or group (a person, or an odd label)."""
    return tok.ent_type_ == "PERSON" or tok.ent_type_ not in LABEL_KINDS


def _honorific_names(doc: Doc, lowers: list[str], taken: set[int]) -> list[tuple[int, int]]:
    """"King Abdullah II", "Dr. Smith": an honorific directly before capitalised proper nouns."""
    found = []
    for i in (i for i, low in enumerate(lowers) if low in HONORIFICS):
        tok = doc[i]
        if not tok.text[:1].isupper() or tok.i + 1 >= len(doc):
            continue
        j = tok.i + 1
        while j < len(doc) and j not in taken and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper() \
                and not is_role_word(doc[j].text) and doc[j].lower_ not in HONORIFICS and _free_or_person(doc[j]):
            j += 1
        while j < len(doc) and j not in taken and ROMAN.match(doc[j].text):
            j += 1
        if j > tok.i + 1:
            found.append((tok.i + 1, j))
    return found


def _sure_forename(word: str) -> bool:
    """A first name that gender-guesser gives one gender ("Regina", "Vitas"; not "Lam" or "Morgan")."""
    return is_forename(word) and forename_table().get_gender(word) in {"male", "female"}


INITIALS = re.compile(r"^(?:[A-Z]\.){1,3}$|^[A-Z]{1,2}$")


def _untagged_names(ctx: DocContext, para: int, taken: set[int]) -> list[tuple[int, int]]:
    """"Youngspiration's Ada Lum", "athletes Vitas Okafor and <Name>", "a paper by AS Okafor": a first name (or
    initials) the model left untagged or tagged as a product or work, and up to three capitalised proper nouns
    after it (hyphenated ones count as one; the last may be a one-word name the model mistyped), that the text
    treats as a person's: after a possessive, a title or role, in a list with a person, as a work's maker, or with
    a middle initial ("Marek J. Kowal-Brzeski")."""
    doc, found = ctx.docs[para], []
    for i, text in enumerate(ctx.texts[para]):
        if i in taken or not text.lstrip(".")[:1].isupper():  # neither a first name nor initials: no Token read
            continue
        tok = doc[i]
        initials = bool(INITIALS.match(tok.text))
        if i in taken or tok.ent_type_ in LABEL_KINDS or tok.pos_ != "PROPN" \
                or not (_sure_forename(tok.text) or initials) or tok.lower_ in HONORIFICS or is_role_word(tok.text) \
                or (i > 0 and doc[i - 1].pos_ == "PROPN" and doc[i - 1].text[:1].isupper()
                    and not (doc[i - 1].is_sent_start and not is_forename(doc[i - 1].text))) \
                or _headline_case(ctx, para, tok.sent.start, tok.sent.end, stop=True):  # last: only for a likely name
            continue
        end, words = i + 1, 1
        while end < len(doc) and words < 4 and (end not in taken or doc[end].ent_iob_ == "B") \
                and doc[end].pos_ == "PROPN" and doc[end].is_title and not is_role_word(doc[end].text):
            end, words = _hyphen_joined(doc, end + 1), words + 1  # "Kowal-Brzeski" is one word
            if doc[end - 1].ent_type_ in LABEL_KINDS:  # a one-word name the model mistyped ends it
                if doc[end - 1].ent_iob_ != "B" or (end < len(doc) and doc[end].ent_iob_ == "I"):
                    end = i
                break
        span = doc[i:end]
        if end - i < 2 or span[-1].lower_ in FACILITY_HEADS | ORGANIZATION_HEADS:
            continue
        middle = words == 3 and not initials and bool(INITIALS.match(span[1].text)) and span[1].text.endswith(".")
        if _made_by(span) or middle or (not initials and (
                (i > 0 and doc[i - 1].text in POSSESSIVE) or _person_context(span) or roles_of(span)
                or any(_listed_person(t) for t in _listed_with(span)))):
            found.append((i, end))
    return found


def find_mentions(ctx: DocContext, curated: Curated, defined: dict[str, EntityKind], body: int | None = None) -> None:
    """Fill ctx.mentions with cleaned, non-overlapping name spans. Paragraphs from `body` on are the title,
    headings and captions: a person named there needs a first name or the same name in the body (a headline's
    capitals make the model see people everywhere: "Thai King Returns"), and any other name there must be named in
    the body too; captions are read as they are."""
    matchers = [curated.matcher()]
    if defined:
        surfaces = {alias: (kind, is_case_sensitive(alias)) for alias, kind in defined.items()
                    if alias not in curated.kinds}
        matchers.append(AliasMatcher(surfaces))
    labels = transcript_labels(ctx.docs[:body], ctx.para_texts[:body])
    for p, doc in enumerate(ctx.docs):
        taken: set[int] = set(range(labels[p].speech)) if p in labels else set()
        spans: list[Mention] = []
        ents = [(e.start, e.end, kind) for e in ctx.ents[p] if (kind := _kind_of(e)) is not None
                and not taken.intersection(range(e.start, e.end))]
        aliases = [a for a in alias_spans(doc, matchers) if a[0] not in taken]
        # an entity that contains an alias wins ("the Global Coalition to Defeat ISIS"); an alias that
        # covers a model entity wins ("Islamic" + "State" → "Islamic State").
        kept_aliases = [a for a in aliases if not any(e[0] <= a[0] and a[1] <= e[1] and (e[1] - e[0]) >
                                                      (a[1] - a[0]) for e in ents)]
        for start, end, kind in kept_aliases:
            spans.append(Mention(p, start, end, kind, doc[start:end].text, source="alias"))
            taken.update(range(start, end))
        for start, end, kind in ents:
            if any(i in taken for i in range(start, end)):
                continue
            start, end = _clean(doc, start, end)
            if start >= end:
                continue
            if kind == "person":
                start, end = _person_bounds(doc, start, end, taken)
            span = doc[start:end]
            if not any(c.isalpha() for c in span.text) or span.text.islower():
                continue
            if _inside_title(span):
                continue
            spans.append(Mention(p, start, end, kind, span.text))
            taken.update(range(start, end))
        for start, end in [] if _headline_case(ctx, p) else _untagged_names(ctx, p, taken):
            spans = [m for m in spans if not (start <= m.start < end)]
            spans.append(Mention(p, start, end, "person", doc[start:end].text, source="forename"))
            taken.update(range(start, end))
        for start, end in _honorific_names(doc, ctx.lowers[p], taken):
            spans.append(Mention(p, start, end, "person", doc[start:end].text, source="honorific"))
            taken.update(range(start, end))
        ctx.mentions.extend(sorted(spans, key=lambda m: m.start))
    _fix_kinds(ctx)
    for p, label in labels.items():  # after the kind corrections: a transcript label names a person
        if label.name is not None:
            start, end = label.name
            ctx.mentions.append(Mention(p, start, end, "person", label.name_text(ctx.docs[p]), source="label"))
    if body is not None:
        _furniture_people(ctx, body)
    propagate_surnames(ctx)
    ctx.index_mentions()


@dataclass(frozen=True)
class TranscriptLabel:
    """A transcript or broadcast speaker label ("FOREIGN MINISTER JANE DOE, SAYING:"): the token where its speech
    starts, the token span of the person it names (None for "MODERATOR:") and the role it states."""

    speech: int
    name: tuple[int, int] | None
    role: str | None

    def name_text(self, doc: Doc) -> str:
        """The name as a name is written ("JANE O'DOE" → "Jane O'Doe")."""
        assert self.name is not None
        return " ".join(t.text.title() if t.is_upper else t.text for t in doc[self.name[0]:self.name[1]])


def transcript_labels(docs: Sequence[Doc], texts: Sequence[str]) -> dict[int, TranscriptLabel]:
    """The speaker labels of a transcript's paragraphs, by paragraph number: the words up to the label's last
    role word are its role ("SECRETARY", "FOREIGN MINISTER"), the words after them the person's name when they
    hold a first name or a word that is no English word ("UNIDENTIFIED MALE", "CROWD" name nobody); a role after
    a comma ("JANE DOE, HARBOUR MASTER") counts too."""
    labels: dict[int, TranscriptLabel] = {}
    for p, line in enumerate(transcript_lines(list(texts))):
        if line is None:
            continue
        doc = docs[p]
        label = doc.char_span(line[0], line[1], alignment_mode="expand")
        speech = doc.char_span(line[2], len(texts[p]), alignment_mode="expand")
        if label is None or speech is None:
            continue
        parts: list[list[Token]] = [[]]
        depth = 0
        for t in label:  # comma-separated parts, without parentheses ("JANE DOE (D-OHIO)")
            depth += (t.text == "(") - (t.text == ")")
            if t.text == "," and depth == 0:
                parts.append([])
            elif depth == 0 and t.text != ")":
                parts[-1].append(t)
        first = parts[0]
        roles = [k for k, t in enumerate(first) if is_role_word(t.text) or t.lower_ in HONORIFICS]
        cut = roles[-1] + 1 if roles else 0
        while cut < len(first) and first[cut].text == ".":  # "SEN. JANE DOE"
            cut += 1
        role_words = [t for t in first[:cut] if is_role_word(t.text) or not (t.lower_ in HONORIFICS or t.text == ".")]
        names = first[cut:]
        after = [t for part in parts[1:] for t in part if t.is_alpha]
        role = " ".join(t.text for t in role_words) or (" ".join(t.text for t in after) if after
                                                        and any(is_role_word(t.text) for t in after) else "")
        named = names and all(t.is_alpha or t.text in {"'", "’", ".", "-"} for t in names) \
            and any(is_forename(t.text.title()) or not is_english_word(t.lower_) for t in names)  # no "CROWD"
        name = (names[0].i, names[-1].i + 1) if named else None
        labels[p] = TranscriptLabel(speech.start, name, role.title() or None)
    return labels


def _headline_case(ctx: DocContext, para: int, start: int = 0, end: int | None = None, stop: bool = False) -> bool:
    """"Thai King Returns Home": most words of a paragraph (or of its tokens start:end) capitalised, as in a
    headline (with `stop`, also one that ends in a full stop)."""
    texts, flags = ctx.texts[para][start:end], ctx.flags[para][start:end]
    words = [text for text, flag in zip(texts, flags, strict=True) if flag & (ALPHA | STOP) == ALPHA]
    capitalised = sum(w[:1].isupper() for w in words)
    last = next((text for text, flag in zip(reversed(texts), reversed(flags), strict=True) if not flag & SPACE),
                None)
    full_stop = last is not None and last.endswith(".")
    return (stop or not full_stop) and len(words) > 1 and capitalised >= 0.75 * len(words)


def _furniture_people(ctx: DocContext, body: int) -> None:
    surnames = {fold(m.text.split()[-1]) for m in ctx.mentions if m.para < body and m.kind == "person"}
    body_names = {fold(m.text) for m in ctx.mentions if m.para < body}
    headline = {p for p in range(body, len(ctx.docs)) if _headline_case(ctx, p)}

    def confirmed(m: Mention) -> bool:
        words = m.text.split()
        if fold(m.text) in body_names:
            return True
        if m.kind != "person":
            return False
        return fold(words[-1]) in surnames or (
            len(words) > 1 and is_forename(words[0])
            and not any(is_role_word(w) or w.lower() in HONORIFICS for w in words))

    ctx.mentions[:] = [m for m in ctx.mentions if m.para not in headline or confirmed(m)]


def _kind_of(ent: Span) -> EntityKind | None:
    """Our kind for a model entity; other labels ("the Sydney Morning Herald" as EVENT) by their head noun."""
    if ent.label_ in LABEL_KINDS:
        return LABEL_KINDS[ent.label_]
    if ent.label_ in {"EVENT", "WORK_OF_ART", "PRODUCT", "LAW"} and ent[-1].text[:1].isupper():
        head = ent[-1].lower_
        if head in ORGANIZATION_HEADS:
            return "organization"
        if head in FACILITY_HEADS:
            return "place"
    return None


def _inside_title(span: Span) -> bool:
    """"State" in "Secretary of State Ada Okafor" is part of a title, not an organization."""
    doc = span.doc
    return (len(span) <= 2 and span.start >= 2 and doc[span.start - 1].lower_ == "of"
            and is_role_word(doc[span.start - 2].text) and span.label_ != "PERSON")


# --- correcting kinds -------------------------------------------------------------------------------


def _place_context(span: Span) -> bool:
    """The parse says place: "the Sahel region", "in Mali", "camps, like al-Hol", "X and Y provinces"."""
    doc = span.doc
    if _before_place_noun(span):
        return True
    root = span.root
    head = root.head
    for _ in range(3):
        if head.lower_ in PLACE_NOUNS and head.i not in range(span.start, span.end):
            return True
        if head.dep_ in {"prep", "appos", "conj", "pobj", "cc"} or head.pos_ in {"ADP", "CCONJ"}:
            head = head.head
        else:
            break
    k = span.start - 1
    while k >= 0 and doc[k].lower_ in {"like", "such", "as", "including", ",", "especially", "notably"}:
        k -= 1
    if k < span.start - 1 and k >= 0 and (doc[k].lower_ in PLACE_NOUNS or doc[k].lemma_ in PLACE_NOUNS):
        return True  # "camps, like al-Hol"
    prev = doc[span.start - 1] if span.start > 0 else None
    return prev is not None and prev.lower_ in LOCATIVE_PREPS and (span.end >= len(doc) or doc[span.end].text
                                                                     not in POSSESSIVE)


def _before_place_noun(span: Span) -> bool:
    return span.end < len(span.doc) and span.doc[span.end].lower_ in PLACE_NOUNS


def _person_context(span: Span) -> bool:
    doc = span.doc
    prev = doc[span.start - 1] if span.start > 0 else None
    return prev is not None and (prev.lower_ in HONORIFICS or is_role_word(prev.text))


class _Forenames(gender_guesser.detector.Detector):
    """gender-guesser's detector, its data file read whole: its own line-by-line codecs reader takes two thirds of
    the load time (the table is the same)."""

    def _parse(self, filename: str) -> None:
        self.names = {}
        with open(filename, encoding="utf-8") as f:
            for line in f.read().splitlines():
                self._eat_name_line(line.strip())


@lru_cache(maxsize=1)
def forename_table() -> gender_guesser.detector.Detector:
    """gender-guesser's first-name table (loaded once per process)."""
    return _Forenames(case_sensitive=False)


Gender = Literal["m", "f"]
HONORIFIC_GENDER: dict[str, Gender] = {"mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f",
                                       "miss": "f", "sir": "m", "lady": "f", "dame": "f", "lord": "m"}


@lru_cache(maxsize=4096)
def forename_gender(forename: str) -> Gender | None:
    """The usual gender of a first name (gender-guesser's table of about 40,000 names); None when it is
    unknown or used for both."""
    guess = forename_table().get_gender(forename.strip("."))
    return "m" if guess in {"male", "mostly_male"} else "f" if guess in {"female", "mostly_female"} else None


NAME_PARTICLES = frozenset({"al", "el", "la", "le", "de", "da", "del", "der", "den", "du", "di", "dos", "das", "van",
                            "von", "bin", "ibn", "san", "santa", "st", "mar"})


@lru_cache(maxsize=16384)
def is_forename(word: str) -> bool:
    """A first name of gender-guesser's list (about 40,000 names from many countries), written as a name,
    that is no common English word ("The"), name particle ("Al", "El") or strong place name ("Asia"); a
    hyphenated first name ("Anna-Maria") when each part is one."""
    w = word.strip(".")
    parts = w.split("-")
    if len(parts) > 1 and forename_table().get_gender(w) == "unknown":
        return all(is_forename(part) for part in parts)
    return (len(w) > 1 and w.istitle() and w.lower() not in STOP_WORDS and w.lower() not in NAME_PARTICLES
            and not gazetteer().is_place(w, strong_only=True) and forename_table().get_gender(w) != "unknown")


ORG_CLASSIFIERS = ORGANIZATION_HEADS | frozenset({"firm", "company", "group", "broadcaster", "network", "brand",
                                                   "chain", "startup", "retailer", "developer", "agency", "platform"})
ORG_POSSESSIONS = frozenset({"board", "shares", "stock", "headquarters", "employees", "staff", "subsidiary",
                             "website", "products", "customers", "shareholders", "app", "platform", "ceo", "cfo"})
CREDIT_LABELS = frozenset({"image", "images", "photo", "photos", "picture", "credit", "source", "video"})
PLATFORM_NOUNS = frozenset({"account", "accounts", "post", "posts", "feed", "page", "followers", "user", "users",
                            "handle", "profile", "video", "livestream", "app"})
PERSON_EVIDENCE_VERBS = CUE_VERBS | frozenset({"die", "marry", "resign", "smile", "laugh", "weep", "retire"})


def _person_evidence(span: Span, strong: bool = False) -> bool:
    """The text treats a name as a person's: a title or honorific before it, a stated role, "who" after it,
    a name joined to a person's in a list, or (not `strong`: organizations speak too) the subject of a speech
    or person-only verb."""
    doc = span.doc
    if _person_context(span) or roles_of(span):
        return True
    root = span.root
    after = doc[span.end:span.end + 2]
    who = [t for t in after if t.lower_ == "who"]
    if who and after[0].text in {",", "who"} and who[0].head.head == root:
        return True
    if any(_listed_person(t) for t in _listed_with(span)):
        return True
    if _named_as(span) or _made_by(span) or _depicted(span) or _leader_of(span):
        return True
    return not strong and root.dep_ in {"nsubj", "nsubjpass"} and root.head.lemma_ in PERSON_EVIDENCE_VERBS


def _listed_with(span: Span) -> list[Token]:
    """The heads of the names joined to `span` in a list ("A, B and C"): its conjunct head, its conjuncts and
    its fellow conjuncts."""
    root = span.root
    head = root.head if root.dep_ == "conj" else root
    linked = [head, *(c for c in head.children if c.dep_ == "conj"), *(c for c in root.children if c.dep_ == "conj")]
    return [t for t in linked if t.i not in range(span.start, span.end)]


def _listed_person(tok: Token) -> bool:
    """`tok` ends a name the model tags as a person's that is or opens with a known first name ("Ada",
    "Ada Okafor")."""
    if tok.ent_type_ != "PERSON" or (tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].ent_iob_ == "I"):
        return False
    start = tok.i
    while start > 0 and tok.doc[start].ent_iob_ == "I":
        start -= 1
    return is_forename(tok.doc[start].text)


MADE_BY_NOUNS = frozenset({"paper", "book", "study", "article", "novel", "painting", "portrait", "photograph",
                           "poem", "essay", "letter", "song", "film", "play", "sculpture", "memoir", "biography"})


def _made_by(span: Span) -> bool:
    """"was founded by X", "a paper by X": the agent of a passive verb or the author of a work, whose last
    word is no English word ("observed by Coral Reef Watch" is an organization's work)."""
    by = span.root.head
    last = span[-1].lower_
    plural = span[-1].tag_ == "NNPS" and is_english_word(last.removesuffix("s"))  # "Latino Decisions"
    return (len(span) > 1 and span.root.dep_ == "pobj" and by.lower_ == "by" and not is_english_word(last)
            and not plural
            and (by.dep_ == "agent" or (by.head.pos_ == "NOUN" and by.head.lemma_ in MADE_BY_NOUNS)))


DEPICTION_NOUNS = frozenset({"portrait", "print", "painting", "photograph", "statue", "bust", "sculpture", "mural",
                             "biography", "biopic", "caricature", "likeness", "memorial", "monument", "plaque",
                             "marker", "mausoleum", "tomb"})


WORK_NOUNS = frozenset({"film", "movie", "novel", "book", "memoir", "album", "song", "single", "series", "sitcom",
                        "documentary", "play", "musical", "opera", "painting", "poem", "game"})


def _titled_work(span: Span) -> bool:
    """"the 1969 film <Title>", "her graphic novel <Title>": a name right after the noun that says what work it
    titles."""
    prev = span.doc[span.start - 1] if span.start > 0 else None
    return prev is not None and prev.is_lower and prev.pos_ == "NOUN" and prev.lemma_ in WORK_NOUNS


def _depicted(span: Span) -> bool:
    """"the <Forename> <Name> screen print", "a <Forename> <Name> statue", "the <Name> commemorative marker": the
    name of whom a work depicts or a monument commemorates (the lower-case nouns and adjectives right after the
    name end in such a noun)."""
    doc = span.doc
    end = span.end
    while end < len(doc) and end - span.end < 3 and doc[end].is_lower and doc[end].pos_ in {"ADJ", "NOUN"}:
        end += 1
    return end > span.end and doc[end - 1].lemma_ in DEPICTION_NOUNS


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """The nouns, verbs, adjectives and adverbs of the model's lemmatizer tables (WordNet's index)."""
    from corpus.nlp import load_nlp

    index = load_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_index")
    return frozenset(w for pos in ("noun", "verb", "adj", "adv") for w in index.get(pos, []))


def is_english_word(word: str) -> bool:
    """A lower-case word of WordNet's index as the model ships it ("watch", "reef"; also a few famous
    surnames such as "evans")."""
    return word in _english_words()


def _named_as(span: Span) -> bool:
    """"asked to be identified as X", "gave her name as X": the text says X is what a person is called."""
    before = span.doc[max(0, span.start - 4):span.start]
    return len(before) >= 2 and before[-1].lower_ == "as" and any(t.lemma_ in {"identify", "name", "call"}
                                                                  for t in before)


def _classified(span: Span) -> bool:
    """"the law firm X", "rescue group X": a common noun that classes the name as an organization's."""
    prev = span.doc[span.start - 1] if span.start > 0 else None
    return prev is not None and prev.is_lower and prev.lemma_ in ORG_CLASSIFIERS


def _organization_evidence(span: Span) -> bool:
    """"law firm X", "X's board", "Thai PBS": the text treats a name as an organization's."""
    doc = span.doc
    if _classified(span):
        return True
    if span.end + 1 < len(doc) and doc[span.end].text in POSSESSIVE and doc[span.end + 1].lower_ in ORG_POSSESSIONS:
        return True
    if span.end < len(doc) and doc[span.end].lower_ in PLATFORM_NOUNS:
        return True  # "a Twitter post", "her Instagram account"
    root = span.root
    linked = [root.head] if root.dep_ == "conj" else []
    linked += [c for c in root.children if c.dep_ == "conj"]
    return any(t.ent_type_ == "ORG" and t.i not in range(span.start, span.end) for t in linked) or _acronym_last(span)


POST_NOMINALS = frozenset({"MP", "MEP", "MSP", "QC", "KC", "MD", "OBE", "MBE", "CBE", "KBE", "PHD", "JR", "SR"})


def _acronym_last(span: Span) -> bool:
    """"Thai PBS", "Harbour FM": a name that ends in an acronym (not a post-nominal "MP") is an organization's."""
    last = span[-1].text
    return (len(span) > 1 and last.isupper() and last.isalpha() and len(last) >= 2 and not ROMAN.match(last)
            and last not in POST_NOMINALS)


def _common_word(spans: list[Span], lowers: set[str]) -> bool:
    """A lone capitalised word that the article also writes in lower case, or only ever at a sentence start
    ("Calm", "Sign"): a common word, not a name."""
    word = spans[0].text.lower()
    modifier = all(sp.root.dep_ == "compound" and sp.root.head.is_lower and not is_role_noun(sp.root.head)
                   for sp in spans)  # "the Holocene period"
    verb = all(sp.end < len(sp.doc) and sp.doc[sp.end].dep_ == "prt" for sp in spans)  # "Sign up here"
    return len(spans[0]) == 1 and (word in lowers or modifier or verb or all(sp[0].is_sent_start for sp in spans))


def _titles_only(words: list[str], groups: set[str]) -> bool:
    """"Thai King", "Foreign Minister": titles and nationality words only, which name no one."""
    return all(is_role_word(w) or w.lower() in HONORIFICS or fold(w) in groups for w in words) \
        and not all(fold(w) in groups for w in words)


def _coded(word: str, texts: list[str]) -> bool:
    """"<Name>-19", "<Name>-2": the text writes the word as a disease's, model's or mission's code."""
    pattern = re.compile(rf"\b{re.escape(word)}-\d")
    return any(pattern.search(text) for text in texts if f"{word}-" in text)


def _evidence_kinds(ctx: DocContext) -> None:
    """Correct the model's person / non-person calls from evidence in the whole article:
    a name with a known first name and a person's context is a person even when tagged as an organization;
    a "person" with no known first name and no person's context anywhere in the article, that the text treats as
    an organization (or a lone word that no person context supports), is no person."""
    lowers = {text for para in ctx.texts for i, text in enumerate(para) if text.islower()
              and (i == 0 or para[i - 1] not in {"-", "‐"})}  # "Wai-keung" writes no common word "keung"
    for m in ctx.mentions:
        if m.kind != "person" and m.source != "alias" and m.end - m.start > 3:
            _person_at_end(ctx, m)
        if m.kind != "person" and m.source != "alias" and (k := _after_possessive(ctx.docs[m.para], m, lowers)):
            m.start, m.kind = k, "person"  # "Rivervale Radio's Ada Okafor" tagged as one organization
            m.text = ctx.docs[m.para][m.start:m.end].text
        if m.kind != "person" and m.source != "alias" and (k := _hyphenated_given_name(ctx.docs[m.para], m)):
            m.start, m.end, m.kind = *k, "person"
            m.text = ctx.docs[m.para][m.start:m.end].text
    for m in ctx.mentions:
        doc = ctx.docs[m.para]
        if m.kind == "person" and m.end < len(doc) and doc[m.end].text == ":" \
                and doc[m.end - 1].lower_ in CREDIT_LABELS:
            m.end -= 1  # "Belle Image: <photographer>": a caption's credit label
            m.text = doc[m.start:m.end].text
        if m.kind == "person" and any(c.isdigit() for c in m.text):
            m.kind = "organization"  # "STS-1": no person's name holds a digit
        if m.kind == "person" and m.end - m.start >= 2 and doc[m.start].lower_ in lowers \
                and is_forename(doc[m.start + 1].text) and not is_forename(doc[m.start].text):
            m.start += 1  # "Nonpartisan <Forename> <Name>": a common word glued on
            m.text = doc[m.start:m.end].text
    ctx.mentions[:] = [m for m in ctx.mentions if m.end > m.start]
    by_surface: dict[str, list[Mention]] = defaultdict(list)
    for m in ctx.mentions:
        if m.source != "alias":
            by_surface[fold(m.text)].append(m)
    groups = {fold(e.text) for ents in ctx.ents for e in ents if e.label_ == "NORP"}  # "Thai" is no forename
    drop: set[int] = set()
    name_words = {fold(w) for m in ctx.mentions if m.kind == "person" and not _titles_only(m.text.split(), groups)
                  for w in m.text.split()[1:]}
    # "Firefox" where the article also says "Mozilla Firefox" (an organization) or "Rivervale Chrome" (a product)
    tails = {fold(e[-1].text): LABEL_KINDS.get(e.label_, "") for ents in ctx.ents for e in ents
             if len(e) > 1 and e.label_ in NAME_LABELS - {"PERSON"} and all(t.is_title for t in e if t.is_alpha)
             and not any(t.text in POSSESSIVE for t in e)}  # not "Rivervale Radio's <Forename> <Name>"
    for group in by_surface.values():
        words = group[0].text.split()
        if len(words) == 1 and fold(words[0]) in name_words:
            continue  # a surname of a person named in full
        spans = [m.span(ctx.docs) for m in group]
        forename = is_forename(words[0]) and fold(words[0]) not in groups
        initials = len(words) == 2 and bool(INITIALS.match(words[0])) and not is_english_word(words[1].lower())
        named = (forename or initials) and (words[-1].lower() not in FACILITY_HEADS | ORGANIZATION_HEADS
                                            or any(sp[-1].ent_type_ == "PERSON" for sp in spans))
        if any(m.kind == "person" for m in group) and (all(_titled_work(sp) for sp in spans) or (
                _titles_only(words, groups) and not any(_person_context(sp) for sp in spans)) or (
                len(words) == 1 and _coded(words[0], ctx.para_texts)
                and not any(_person_evidence(sp, strong=True) for sp in spans))):
            kind: str | None = ""  # "the 1969 film <Title>", "Thai King", "Covid" of "Covid-19": no name of ours
        elif any(m.kind == "person" for m in group) and all(_acronym_last(sp) for sp in spans):
            kind = "organization"
        elif any(m.kind != "person" for m in group) and not (
                len(words) == 1 and gazetteer().is_place(words[0])
                and all(sp.root.ent_type_ in {"GPE", "LOC", "FAC"} for sp in spans)) and (
                (len(words) == 1 and any(_named_as(sp) for sp in spans))
                or (named and len(words) <= 3 and all(w.istitle() or INITIALS.match(w) for w in words)
                    and any(_person_evidence(sp, strong=True) for sp in spans))):
            kind = "person"
        elif len(words) == 1 and fold(words[0]) in tails and any(m.kind == "person" for m in group) \
                and not any(_person_evidence(sp) for sp in spans):
            kind = tails[fold(words[0])]
        elif any(m.kind == "person" for m in group) and not forename and (
                not any(_person_evidence(sp) for sp in spans)
                or (all(_classified(sp) for sp in spans) and not any(_person_context(sp) for sp in spans))):
            kind = _non_person_kind(group[0].text, spans, lowers)
        else:
            kind = None
        if kind == "":
            drop.update(id(m) for m in group)
        for m in group if kind else ():
            m.kind = kind  # type: ignore[assignment]
    ctx.mentions[:] = [m for m in ctx.mentions if id(m) not in drop]


def _person_at_end(ctx: DocContext, m: Mention) -> None:
    """"Secretary for Food and Health Ada Lam" tagged as one organization: the first name and surname at its end,
    with a title before them, are a person."""
    doc = ctx.docs[m.para]
    for k in range(m.end - 3, m.end - 1):
        rest = doc[k:m.end]
        if k > m.start and is_forename(doc[k].text) and all(t.is_title and t.pos_ == "PROPN" for t in rest) \
                and any(is_role_word(t.text) for t in doc[max(0, m.start - 4):k]):
            m.start, m.text, m.kind = k, rest.text, "person"
            return


def _after_possessive(doc: Doc, m: Mention, lowers: set[str]) -> int | None:
    """Where "<Forename> <Name>" starts after an organization's possessive inside one mention ("National
    Chronicle's Ada Okafor"): two or three capitalised words that open with a first name of one gender and end
    in a word the article never writes in lower case."""
    k = next((k for k in range(m.end - 2, m.start, -1) if doc[k - 1].text in POSSESSIVE), None)
    if k is None or m.end - k > 3 or not _sure_forename(doc[k].text) or not all(t.is_title for t in doc[k:m.end]) \
            or doc[m.end - 1].lower_ in lowers:  # "Rivervale's Latino Problem" where the text says "problem"
        return None
    return k


def _hyphen_joined(doc: Doc, end: int) -> int:
    """The end of a hyphenated name word ("Kowal-Brzeski") whose first part ends at `end`."""
    while end + 1 < len(doc) and joined(doc, end) and doc[end + 1].is_title:
        end += 2
    return end


def _hyphen_tail(doc: Doc, end: int) -> int:
    """The end of a name the model cut at a hyphen ("Lam Wai" of "Lam Wai-ting"): past a lower-case syllable
    joined to its last word."""
    if end + 1 >= len(doc) or end < 2 or not joined(doc, end) or not _second_syllable(doc[end + 1]):
        return end
    second = doc[end + 1]
    suffix = second.pos_ == "NOUN" and len(second) >= 3 and is_english_word(second.lower_)
    western = _sure_forename(doc[end - 2].text) or len(doc[end - 1]) > 5
    return end if suffix and western else end + 2  # "<Forename> <Name>-style", "Los Angeles-area" are no names


def _second_syllable(tok: Token) -> bool:
    """"ting" of "Wai-ting": a short lower-case word that is no verb or adjective ("Kong-based") and ends the word
    ("Mar-a-Lago")."""
    last = tok.i + 1 == len(tok.doc) or not joined(tok.doc, tok.i + 1)
    return last and tok.is_lower and tok.is_alpha and 2 <= len(tok) <= 5 and tok.pos_ not in {"VERB", "ADJ"}


def _hyphenated_given_name(doc: Doc, m: Mention) -> tuple[int, int] | None:
    """(start, end) of "Lam Wai-ting", "Kim Jong-un" at the end of a mention, which the model may have cut at
    the hyphen: a one-word surname and a given name of two short syllables joined by a hyphen, the second in lower
    case and no verb or adjective ("Hong Kong-based", "Wall Street Journal-ers" are none)."""
    end = _hyphen_tail(doc, m.end)
    k = end - 4
    if k < m.start or not joined(doc, k + 2):
        return None
    surname, given = doc[k], doc[k + 1]
    if not (surname.is_title and surname.is_alpha and given.is_title and given.is_alpha and len(given) <= 5
            and _second_syllable(doc[k + 3])) or (k > 0 and joined(doc, k - 1)):
        return None
    return k, end


def _non_person_kind(text: str, spans: list[Span], lowers: set[str]) -> str | None:
    """What a "person" with no known first name and no person's context is, where the text says: a place
    ("in Point Piper"), an organization ("law firm X"), or no name at all ("" for "Calm" at a sentence start)."""
    locative = any(sp.start > 0 and sp.doc[sp.start - 1].lower_ in {"in", "at", "near", "to", "from"} for sp in spans)
    if gazetteer().is_place(text, strong_only=True) or (gazetteer().is_place(text) and locative):
        return "place"
    if any(_organization_evidence(sp) for sp in spans):
        return "organization"
    if (len(spans[0]) > 1 and locative) or any(_place_context(sp) for sp in spans):
        return "place"
    if any(sp.start > 1 and sp.doc[sp.start - 1].text == "(" and sp.doc[sp.start - 2].pos_ == "NOUN"
           and sp.doc[sp.start - 2].is_lower for sp in spans):
        return "organization"  # "community health centres (Puskesmas)": a local word for a common noun
    if len(spans[0]) > 1 and any(t.lower_ in lowers for t in spans[0][:-1] if t.is_alpha and t.is_title):
        return "organization"  # "Space Shuttle Endeavour" where the text also says "the space shuttle"
    if any(_posting_platform(sp) for sp in spans):
        return "organization"
    return "" if _common_word(spans, lowers) else None


def _posting_platform(span: Span) -> bool:
    """"posted on Twitter", "the top trend on Weibo": a lone name after "on" that posting governs."""
    prev = span.doc[span.start - 1] if span.start > 0 else None
    return (len(span) == 1 and prev is not None and prev.lower_ in {"on", "via"}
            and prev.head.lemma_ in {"post", "write", "tweet", "share", "announce", "comment", "publish", "say",
                                     "message", "stream", "broadcast", "upload", "trend", "video", "photo",
                                     "statement", "appear"})


# Words that open a street's or square's name in languages that put them first ("Jalan <Name>", "Rue <Name>").
STREET_PREFIXES = frozenset({"jalan", "jln", "lorong", "rue", "calle", "avenida", "rua", "via", "viale", "piazza",
                             "strada", "ulica", "ulitsa", "sokak", "caddesi"})


def _street_names(ctx: DocContext) -> None:
    """"Jalan <Forename> <Name>": a name after a street prefix is the street's, one place with the prefix (the
    prefix's own mention joins it)."""
    streets = [m for m in ctx.mentions if m.kind == "person" and m.start > 0
               and ctx.docs[m.para][m.start - 1].is_title and ctx.lowers[m.para][m.start - 1] in STREET_PREFIXES]
    for m in streets:
        prefix = next((x for x in ctx.mentions if x.para == m.para and x.start < m.start <= x.end and x is not m),
                      None)
        if prefix is not None:
            ctx.mentions.remove(prefix)
        m.start, m.kind = (prefix.start if prefix else m.start - 1), "place"
        m.text = ctx.docs[m.para][m.start:m.end].text


def _fix_kinds(ctx: DocContext) -> None:
    gaz: Gazetteer = gazetteer()
    _street_names(ctx)
    full_person_tokens: set[str] = set()
    for m in ctx.mentions:
        words = m.text.split()
        if m.kind == "person" and len(words) >= 2:
            full_person_tokens.update(fold(w) for w in words)
    surface_kinds: dict[str, Counter[str]] = defaultdict(Counter)
    for m in ctx.mentions:
        surface_kinds[fold(m.text)][m.kind] += 1
    for m in ctx.mentions:
        if m.kind != "person" or m.source == "alias":
            continue
        span = m.span(ctx.docs)
        key = fold(m.text)
        if _person_context(span) or (len(m.text.split()) == 1 and key in full_person_tokens):
            continue
        if gaz.is_place(m.text, strong_only=True) or surface_kinds[key]["place"] > surface_kinds[key]["person"]:
            m.kind = "place"
        elif _place_context(span) and (len(m.text.split()) == 1 or gaz.is_place(m.text) or _before_place_noun(span)):
            m.kind = "place"  # a full name needs more than a preposition to become a place
    # lists: a name conjoined with places is a place ("Niger, Mali and Burkina Faso")
    for _ in range(2):
        place_roots = {(m.para, m.span(ctx.docs).root.i) for m in ctx.mentions if m.kind == "place"}
        for m in ctx.mentions:
            if m.kind != "person" or m.source == "alias":
                continue
            root = m.span(ctx.docs).root
            linked = [root.head.i] if root.dep_ == "conj" else []
            linked += [c.i for c in root.children if c.dep_ == "conj"]
            if any((m.para, i) in place_roots for i in linked) and not _person_context(m.span(ctx.docs)) \
                    and ((len(m.text.split()) == 1 and not is_forename(m.text)) or gaz.is_place(m.text)):
                m.kind = "place"
    # a name whose last word is a facility or organization noun is no person ("Castlefrank Road")
    for m in ctx.mentions:
        last = m.text.split()[-1].lower()
        if m.source != "alias" and m.kind == "person" and len(m.text.split()) > 1:
            if last in FACILITY_HEADS:
                m.kind = "place"
            elif last in ORGANIZATION_HEADS:
                m.kind = "organization"
        if fold(m.text) in RELIGIONS:
            m.kind = "group"
    _evidence_kinds(ctx)
    # a non-person name that is a person's surname in this document is that person ("Okafor" tagged ORG)
    surnames = {fold(surname(x.text)) for x in ctx.mentions if x.kind == "person" and len(x.text.split()) > 1}
    for m in ctx.mentions:
        if m.kind == "person" or m.source == "alias":
            continue
        if (len(m.text.split()) == 1 and (fold(m.text) in surnames or (
                m.kind in {"group", "organization"} and not gaz.is_place(m.text) and _leader_of(m.span(ctx.docs))))) \
                or _commemorated(m.span(ctx.docs)):
            m.kind = "person"


def _commemorated(span: Span) -> bool:
    """"the <Name> <Name> commemorative marker": two or three capitalised words that are no English words or
    places, before what depicts or commemorates someone."""
    return 2 <= len(span) <= 3 and _depicted(span) and all(
        t.is_title and t.is_alpha and not is_english_word(t.lower_) and not gazetteer().is_place(t.text)
        for t in span)


LEADER_NOUNS = frozenset({"government", "administration", "cabinet", "presidency", "premiership", "regime"})


def _leader_of(span: Span) -> bool:
    """"the <Name> government", "the <Name> administration": a one-word name before a government that is named
    after its leader, when the word is no English word, place or religion ("the Labour government", "the Thai
    government", "the Kremlin administration" name no one)."""
    doc, word = span.doc, span[0]
    return (len(span) == 1 and span.end < len(doc) and doc[span.end].lower_ in LEADER_NOUNS and word.is_title
            and word.is_alpha
            and not is_english_word(word.lower_) and not gazetteer().is_place(word.text, strong_only=True)
            and fold(word.text) not in RELIGIONS)


# --- grouping into local entities -------------------------------------------------------------------


@lru_cache(maxsize=16384)
def _name_tokens(text: str) -> tuple[str, ...]:
    return tuple(f for w in text.split() if (f := fold(w)))


def group_entities(ctx: DocContext, curated: Curated, defined_long: dict[str, str]) -> dict[str, LocalEntity]:
    """Assign every mention a local entity key; return the entities by key."""
    entities: dict[str, LocalEntity] = {}
    persons = [m for m in ctx.mentions if m.kind == "person"]
    full = sorted({m.text for m in persons if len(m.text.split()) >= 2}, key=lambda t: (-len(t.split()), t))
    clusters: list[list[str]] = []  # each a list of full names, fullest first
    for name in full:
        toks = _name_tokens(name)
        for cluster in clusters:
            ctoks = _name_tokens(cluster[0])
            if toks == ctoks[-len(toks):] or same_person_name(toks, ctoks):
                cluster.append(name)
                break
        else:
            clusters.append([name])
    by_name = {fold(n): cluster[0] for cluster in clusters for n in cluster}
    for m in persons:
        key_name = by_name.get(fold(m.text))
        if key_name is None:
            toks = _name_tokens(m.text)
            hits = [c[0] for c in clusters if toks and _name_tokens(c[0])[-len(toks):] == toks]
            said = _honorific_gender(m.span(ctx.docs))
            hits = [h for h in hits if not said or forename_gender(h.split()[0]) in {said, None}]
            if not hits:
                hits = [c[0] for c in clusters if toks and len(toks) == 1 and _name_tokens(c[0])[0] == toks[0]]
            key_name = hits[0] if len(hits) == 1 else m.text
        _attach(entities, m, "person:" + fold(key_name), key_name, "person")
    for m in ctx.mentions:
        if m.kind == "person":
            continue
        group = curated.lookup(m.text)
        long = defined_long.get(m.text)
        if group is not None:
            _attach(entities, m, f"{group.kind}:{fold(group.name)}", group.name, group.kind, curated=True)
        elif long is not None:
            lg = curated.lookup(long)
            name, kind = (lg.name, lg.kind) if lg else (long, m.kind)
            _attach(entities, m, f"{kind}:{fold(name)}", name, kind)
        else:
            name = without_article(m.text)
            _attach(entities, m, f"{m.kind}:{fold(name)}", name, m.kind)
    return entities


NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


@lru_cache(maxsize=1)
def _nicknames() -> NickNamer:
    return NickNamer()


def name_core(tokens: Sequence[str]) -> list[str]:
    """Folded name words without a generational suffix ("joseph r biden jr" → "joseph r biden")."""
    out = list(tokens)
    while len(out) > 1 and out[-1] in NAME_SUFFIXES:
        out.pop()
    return out


def _honorific_gender(span: Span) -> Gender | None:
    """"Mr. Okafor" → "m", "Mrs Okafor" → "f"."""
    return HONORIFIC_GENDER.get(span.doc[span.start - 1].lower_) if span.start > 0 else None


def same_person_name(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two folded full names can be one person: the same surname (suffixes aside) and no conflicting forename
    (an initial fits any forename it starts; a nickname of the curated `nicknames` list fits its name)."""
    a, b = name_core(a), name_core(b)
    if a[-1] != b[-1]:
        return False
    fa, fb = a[0], b[0]
    return fa == fb or (len(fa) == 1 and fb.startswith(fa)) or (len(fb) == 1 and fa.startswith(fb)) \
        or fb in _nicknames().nicknames_of(fa) or fa in _nicknames().nicknames_of(fb)


def _attach(entities: dict[str, LocalEntity], m: Mention, key: str, name: str, kind: EntityKind,
            curated: bool = False) -> None:
    ent = entities.get(key)
    if ent is None:
        ent = entities[key] = LocalEntity(key=key, name=name, kind=kind, curated=curated)
    elif len(name) > len(ent.name) and not ent.curated:
        ent.name = name
    surface = without_article(m.text)
    ent.forms[surface] = ent.forms.get(surface, 0) + 1
    m.key = key


# --- people named inside other names ----------------------------------------------------------------


NESTED_SPANS = "briefbot_nested_people"  # doc.spans key: people named inside another name, with Span._.entity_key
COMMEMORATIVE_HEADS = frozenset({"memorial", "monument", "prize", "award", "medal", "trophy"})


def _nested_names(span: Span) -> list[tuple[int, int]]:
    """People named in full inside an organization's, place's or event's name, before the noun that heads it:
    a first name, a middle initial and a surname ("the <Forename> Q. <Name> Center"); the second of a couple
    ("the <Forename> & <Forename> <Name> Foundation"); the two to four words before "Memorial", "Prize" or
    "Award" when none is an English word or a place. A founder's surname alone ("<Name> Foundation"), and a
    full name without such evidence ("<Forename> <Name> University"), name no one here."""
    doc = span.doc
    found = []
    heads = [k for k in range(span.start + 1, span.end)
             if doc[k].lower_ in FACILITY_HEADS | ORGANIZATION_HEADS | COMMEMORATIVE_HEADS and doc[k].is_title]
    for head in heads[:1]:  # the first head noun ("<Name> Memorial Hall")
        words: list[tuple[int, int]] = []  # the capitalised words right before the head, as (start, end)
        k = head
        while k > span.start:
            start = k - 1
            while start - 2 >= span.start and joined(doc, start - 1):
                start -= 2  # "Kowal-Brzeski"
            tok = doc[start]
            if not (INITIALS.match(tok.text) or (tok.is_title and tok.is_alpha and not is_role_word(tok.text)
                                                  and tok.lower_ not in HONORIFICS)):
                break
            words.insert(0, (start, k))
            k = start
        if len(words) >= 3 and _sure_forename(doc[words[-3][0]].text) and doc[words[-2][0]].text.endswith(".") \
                and INITIALS.match(doc[words[-2][0]].text):
            found.append((words[-3][0], head))  # "<Forename> Q. <Name>"
        elif len(words) >= 2 and doc[head].lower_ in COMMEMORATIVE_HEADS and len(words) <= 4 \
                and not any(is_english_word(doc[a].lower_) or gazetteer().is_place(doc[a:b].text, strong_only=True)
                            or INITIALS.match(doc[a].text) for a, b in words) \
                and not gazetteer().is_place(doc[words[0][0]:head].text):  # "<City> <City> Memorial Arena"
            found.append((words[0][0], head))  # "<Name> <Name> <Name> Memorial"
        elif len(words) >= 2 and (k := words[-2][0]) - 2 >= span.start and doc[k - 1].lower_ in {"&", "and"} \
                and all(forename_table().get_gender(doc[i].text) != "unknown" and doc[i].is_title
                        for i in (k - 2, k)):
            found.append((k, head))  # "<Forename> & <Forename> <Name>": the second of the couple
    return found


def nested_people(ctx: DocContext, entities: dict[str, LocalEntity]) -> list[Mention]:
    """People named inside the article's other names (an organization, place, event or work named after them),
    as mentions of their own that overlap the name's, which stays what it is: a person the article names
    elsewhere in full, or a new person where the name holds a full personal name (`_nested_names`)."""
    people = {fold(form): e.key for e in entities.values() if e.kind == "person" for form in e.forms
              if len(form.split()) >= 2}
    first_words = {name.split()[0] for name in people}
    found = []
    for m in ctx.mentions:
        if m.kind == "person" or m.end - m.start < 2:
            continue
        span = m.span(ctx.docs)
        spans = {(a, b) for a in range(m.start, m.end - 1) if fold(ctx.texts[m.para][a]) in first_words
                 for b in range(a + 2, m.end) if fold(ctx.docs[m.para][a:b].text) in people}
        spans.update(_nested_names(span))
        for start, end in sorted(spans):
            if any(a <= start and end <= b and (a, b) != (start, end) for a, b in spans):
                continue  # the longest name
            nested = Mention(m.para, start, end, "person", ctx.docs[m.para][start:end].text, source="nested")
            key = people.get(fold(nested.text)) or next((e.key for e in entities.values() if e.kind == "person" and
                                                         same_person_name(_name_tokens(nested.text),
                                                                          _name_tokens(e.name))), None)
            name = entities[key].name if key else nested.text
            _attach(entities, nested, key or "person:" + fold(name), name, "person")
            found.append(nested)
    return found


def defined_aliases(ctx: DocContext) -> tuple[dict[str, str], list[tuple[int, int, str]]]:
    """Acronyms defined in the text (short → long) and "known as" aliases (para, char offset, alias)."""
    short_to_long: dict[str, str] = {}
    known: list[tuple[int, int, str]] = []
    for n, (p, start, _) in enumerate(ctx.sent_bounds):
        text = ctx.sentences[n]
        if "(" in text:
            for long, short in acronym_definitions(text):
                short_to_long.setdefault(short, long)
        if " as " in text:
            for offset, alias in known_as(text):
                known.append((p, ctx.docs[p][start].idx + offset, alias))
    return short_to_long, known


def attach_known_as(ctx: DocContext, entities: dict[str, LocalEntity], known: list[tuple[int, int, str]]) -> None:
    """"Islamic State, also referred to as IS …": the alias joins the name just before the phrase, and
    mentions of the alias become mentions of that entity."""
    for p, char, alias in known:
        doc = ctx.docs[p]
        before = [m for m in ctx.mentions if m.para == p and m.key and m.span(ctx.docs).end_char <= char
                  and re.fullmatch(r"[\s,]*", doc.text[m.span(ctx.docs).end_char:char])]
        if not before:
            continue
        owner = entities[before[-1].key]
        if fold(alias) == fold(owner.name):
            continue
        if alias not in owner.aliases:
            owner.aliases.append(alias)
        for m in ctx.mentions:
            if m.key != owner.key and fold(without_article(m.text)) == fold(alias):
                old = entities.get(m.key)
                if old is not None:
                    for form, n in old.forms.items():
                        owner.forms[form] = owner.forms.get(form, 0) + n
                    del entities[m.key]
                    for other in ctx.mentions:
                        if other.key == old.key:
                            other.key = owner.key


# --- pronouns and other references to people -----------------------------------------------------


EAST_ASIAN_NAME = re.compile(r"^[A-Z][a-z]+ [A-Z][a-z]+-[a-z]+$")


def surname(name: str) -> str:
    """The family name of a full name: its last word, or the first of "Lam Wai-ting" (surname, then a hyphenated
    given name)."""
    words = name.split()
    return words[0] if EAST_ASIAN_NAME.match(name) else words[-1]


def propagate_surnames(ctx: DocContext) -> None:
    """A person's surname alone ("Okafor told reporters", "Ortiz' comments") is a mention of that person,
    even where the model did not tag it."""
    surnames = {surname(m.text) for m in ctx.mentions if m.kind == "person" and len(m.text.split()) >= 2}
    taken = {(m.para, i) for m in ctx.mentions for i in range(m.start, m.end)}
    for p, doc in enumerate(ctx.docs):
        for i in (i for i, text in enumerate(ctx.texts[p]) if text in surnames and (p, i) not in taken):
            tok = doc[i]
            if not tok.text[:1].isupper():
                continue
            prev = doc[tok.i - 1] if tok.i > 0 else None
            if prev is not None and prev.pos_ == "PROPN" and prev.text[:1].isupper():
                continue  # part of another name
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if tok.is_sent_start and not (nxt is not None and (nxt.text in POSSESSIVE or nxt.pos_ in {"VERB", "AUX"}
                                                                or nxt.text == ",")):
                continue
            ctx.mentions.append(Mention(p, tok.i, tok.i + 1, "person", tok.text, source="surname"))
    ctx.mentions.sort(key=lambda m: (m.para, m.start))


# --- pipeline components (assembled in corpus/nlp.py) ----------------------------------------------


@Language.component("briefbot_mentions")
def mentions_component(doc: Doc) -> Doc:
    """The names of an article with their kinds (DocContext.mentions): the model's entities, the curated aliases
    and the acronyms the text defines (Doc._.defined_aliases), cleaned and corrected from evidence."""
    ctx = context(doc)
    curated = curated_of(doc)
    short_to_long, known = defined_aliases(ctx)
    defined: dict[str, EntityKind] = {}
    for short, long in short_to_long.items():
        group = curated.lookup(long)
        defined[short] = group.kind if group else "organization"
        defined.setdefault(long, defined[short])
    find_mentions(ctx, curated, defined, article_of(doc).body_count)
    doc._.defined_aliases, doc._.known_as = short_to_long, known
    return doc


@Language.component("briefbot_entities")
def entities_component(doc: Doc) -> Doc:
    """The mentions grouped into the article's entities (Doc._.entities) with their aliases; each name a span of
    doc.spans["briefbot_names"] labelled with its kind, its entity on Span._.entity_key; the people named inside
    other names ("the <Forename> Q. <Name> Center") on doc.spans["briefbot_nested_people"], out of the mentions that
    coreference and quotes read (a person inside an organization's name neither speaks nor is referred back to)."""
    ctx = context(doc)
    short_to_long: dict[str, str] = doc._.defined_aliases
    entities = group_entities(ctx, curated_of(doc), short_to_long)
    for short, long in short_to_long.items():
        owner = next((e for e in entities.values() if long in e.forms or e.name == long), None)
        if owner is not None and short not in owner.aliases:
            owner.aliases.append(short)
    attach_known_as(ctx, entities, doc._.known_as)
    nested = nested_people(ctx, entities)
    ctx.kinds = {k: e.kind for k, e in entities.items()}
    doc._.entities = entities
    doc.spans[NAME_SPANS] = paragraph_spans(doc, ((m.para, m.start, m.end, m.kind, m.key) for m in ctx.mentions))
    doc.spans[NESTED_SPANS] = paragraph_spans(doc, ((m.para, m.start, m.end, m.kind, m.key) for m in nested))
    return doc
