"""Entities in one document: names found by the model and the alias lists, corrected by the gazetteer and
the parse, grouped into local entities (surname and possessive mentions join the full name), with roles
and the pronouns that refer to people."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from corpus.aliases import AliasIndex, Curated, acronym_definitions, alias_index, is_case_sensitive, known_as
from corpus.extraction import DocContext, LocalEntity, LocalMention, Mention
from corpus.gazetteer import Gazetteer, fold, gazetteer, without_article
from corpus.lexicon import (
    FACILITY_HEADS,
    HONORIFICS,
    LOCATIVE_PREPS,
    ORGANIZATION_HEADS,
    PLACE_NOUNS,
    RELIGIONS,
    ROLE_NOUNS,
)
from corpus.models import EntityKind

LABEL_KINDS: dict[str, EntityKind] = {
    "PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place", "NORP": "group",
}
ROMAN = re.compile(r"^(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|Jr\.?|Sr\.?)$")
POSSESSIVE = {"'s", "’s", "'", "’"}
DETERMINERS = {"the", "a", "an"}


def is_role_word(text: str) -> bool:
    low = text.lower().strip(".")
    return low in ROLE_NOUNS or any(part in ROLE_NOUNS for part in low.split("-") if part)


# --- finding names ----------------------------------------------------------------------------------


def _merge_index(a: AliasIndex, b: AliasIndex) -> AliasIndex:
    merged: AliasIndex = defaultdict(list, {k: list(v) for k, v in a.items()})
    for key, entries in b.items():
        merged[key] = sorted(merged[key] + entries, key=lambda e: -len(e[0]))
    return merged


def _alias_spans(texts: list[str], lowers: list[str], index: AliasIndex) -> list[tuple[int, int, EntityKind]]:
    """Token spans that spell a known alias (curated or defined in this document)."""
    found = []
    i = 0
    n = len(texts)
    while i < n:
        match = None
        for words, kind, exact in index.get(texts[i], []) + index.get(lowers[i], []):
            end = i + len(words)
            seq = texts if exact else lowers
            fits = end <= n and seq[i:end] == words
            if fits and (match is None or end > match[1]):
                match = (i, end, kind)
        if match:
            found.append(match)
            i = match[1]
        else:
            i += 1
    return found


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
                               or doc[start].pos_ == "ADJ"):
        start += 1
    while end < len(doc) and end not in taken and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper() \
            and doc[end].text not in POSSESSIVE and _free_or_person(doc[end]) and doc[end].ent_iob_ != "B":
        end += 1
    while end < len(doc) and end not in taken and ROMAN.match(doc[end].text):
        end += 1
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
                and not is_role_word(doc[j].text) and _free_or_person(doc[j]):
            j += 1
        while j < len(doc) and j not in taken and ROMAN.match(doc[j].text):
            j += 1
        if j > tok.i + 1:
            found.append((tok.i + 1, j))
    return found


def find_mentions(ctx: DocContext, curated: Curated, defined: dict[str, EntityKind]) -> None:
    """Fill ctx.mentions with cleaned, non-overlapping name spans."""
    index = curated.token_index()
    if defined:
        surfaces = {alias: (kind, is_case_sensitive(alias)) for alias, kind in defined.items()
                    if alias not in curated.kinds}
        index = _merge_index(index, alias_index(surfaces))
    for p, doc in enumerate(ctx.docs):
        taken: set[int] = set()
        spans: list[Mention] = []
        ents = [(e.start, e.end, kind) for e in ctx.ents[p] if (kind := _kind_of(e)) is not None]
        aliases = _alias_spans(ctx.texts[p], ctx.lowers[p], index)
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
        for start, end in _honorific_names(doc, ctx.lowers[p], taken):
            spans.append(Mention(p, start, end, "person", doc[start:end].text, source="honorific"))
            taken.update(range(start, end))
        ctx.mentions.extend(sorted(spans, key=lambda m: m.start))
    _fix_kinds(ctx)
    propagate_surnames(ctx)
    ctx.index_mentions()


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
    if k < span.start - 1 and k >= 0 and doc[k].lower_ in PLACE_NOUNS:
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


def _fix_kinds(ctx: DocContext) -> None:
    gaz: Gazetteer = gazetteer()
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
                    and (len(m.text.split()) == 1 or gaz.is_place(m.text)):
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
    # a non-person name that is a person's surname in this document is that person ("Okafor" tagged ORG)
    surnames = {fold(x.text.split()[-1]) for x in ctx.mentions if x.kind == "person" and len(x.text.split()) > 1}
    for m in ctx.mentions:
        if m.kind != "person" and m.source != "alias" and len(m.text.split()) == 1 and fold(m.text) in surnames:
            m.kind = "person"


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


def same_person_name(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two folded full names can be one person: the same surname and no conflicting forename
    (an initial fits any forename it starts)."""
    if a[-1] != b[-1]:
        return False
    fa, fb = a[0], b[0]
    return fa == fb or (len(fa) == 1 and fb.startswith(fa)) or (len(fb) == 1 and fa.startswith(fb))


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


# --- roles ------------------------------------------------------------------------------------------


def _role_text(tokens: list[Token]) -> str | None:
    while tokens and (tokens[0].lower_ in DETERMINERS or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].lower_ in {"and", "or"}):
        tokens = tokens[:-1]
    if not tokens or len(tokens) > 12 or not any(is_role_word(t.text) for t in tokens):
        return None
    if any(t.pos_ in {"VERB", "AUX", "PRON", "NUM"} and t.tag_ != "VBN" for t in tokens):
        return None
    text = "".join(t.text_with_ws for t in tokens).strip()
    return re.sub(r"\s+", " ", text)


def roles_of(span: Span) -> list[str]:
    """Roles stated around a person's name: a title before it, an appositive, or ", <role>, told"."""
    doc, roles = span.doc, []
    # title before the name: the contiguous left part of the name's phrase
    j = span.start
    root = span.root
    subtree = {t.i for t in root.subtree}
    while j > 0 and (j - 1) in subtree and doc[j - 1].dep_ not in {"appos", "relcl", "acl"} \
            and doc[j - 1].text not in {",", "(", "—", "–"}:
        j -= 1
    role = _role_text(list(doc[j:span.start]))
    if role:
        roles.append(role)
    # appositive
    for child in root.children:
        if child.dep_ == "appos" and child.i > span.end - 1:
            sub = [t for t in child.subtree if t.i >= span.end]
            role = _role_text(sub)
            if role:
                roles.append(role)
    # "X, <role>, told …" when the parse missed the appositive
    if not roles and span.end < len(doc) and doc[span.end].text == ",":
        for k in range(span.end + 1, min(len(doc), span.end + 14)):
            if doc[k].text == ",":
                nxt = doc[k + 1] if k + 1 < len(doc) else None
                if nxt is not None and nxt.pos_ in {"VERB", "AUX"}:
                    role = _role_text(list(doc[span.end + 1:k]))
                    if role:
                        roles.append(role)
                break
    return roles


def collect(ctx: DocContext, entities: dict[str, LocalEntity]) -> list[LocalMention]:
    """Roles onto the entities, and the name mentions for the index."""
    out = []
    for m in ctx.mentions:
        span = m.span(ctx.docs)
        if m.kind == "person":
            for role in roles_of(span):
                ent = entities[m.key]
                if role.lower() not in {r.lower() for r in ent.roles}:
                    ent.roles.append(role)
        out.append(LocalMention(key=m.key, sent_idx=ctx.sent_idx(m.para, span.root), surface=m.text))
    return out


# --- pronouns and other references to people -----------------------------------------------------


def propagate_surnames(ctx: DocContext) -> None:
    """A person's surname alone ("Okafor told reporters", "Ortiz' comments") is a mention of that person,
    even where the model did not tag it."""
    surnames = {m.text.split()[-1] for m in ctx.mentions if m.kind == "person" and len(m.text.split()) >= 2}
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
