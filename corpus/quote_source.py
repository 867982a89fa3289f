"""Quote sources: who a cue points to — its subject (a name, a resolved pronoun, the one person inside a
subject phrase), an organisation ("…, it said"), a description that speaks for an institution ("a
spokeswoman for the council"), a transcript label, a colon or dash lead-in, or the person whose words the
previous sentence reports. Anything unclear gives None, never a guess."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from corpus.extraction import DocContext
from corpus.quote_content import QuoteSpan, quoted_ranges
from corpus.quote_cue import DASHES, DOCUMENT_NOUNS, SPEECH_NOUNS, is_cue

SPEAKER_KINDS = {"person", "organization"}
def cue_speaker(ctx: DocContext, para: int, cue: Token,
                 inside: frozenset[int] = frozenset()) -> tuple[Token | None, str | None]:
    """(the cue's subject, its entity key), climbing through participles ("…, noting that"); a word of the
    quote itself ("“Thanks, Ben!” replied …") is never the subject, and the climb never enters a quote
    ('Ames said Bo “had a plan,” adding, “…”' is Ames's). "Ames was quoted as saying" is Ames's."""
    subj, key = _governing_subject(ctx, para, cue, inside)
    if key is None and (lead := _participle_lead(ctx, para, cue, inside)) is not None:
        return lead
    return subj, key


def _participle_lead(ctx: DocContext, para: int, cue: Token, inside: frozenset[int]) -> tuple[Token, str] | None:
    """'Ames waved at the hall, telling the room, “…”', 'Ames, who …, issued a statement saying “…”': a
    participle set off by a comma (or hung from a document: "a statement saying") before the quote speaks for
    the subject of its sentence's main verb, wherever the parser hung it (on the quote's own verb, a relative
    clause) — unless another speaker is the subject of a clause between."""
    doc = cue.doc
    if cue.tag_ != "VBG" or cue.i < 2 or not inside or cue.i > min(inside) or not (
            doc[cue.i - 1].text == "," or (cue.dep_ == "acl" and cue.head.lemma_ in DOCUMENT_NOUNS)):
        return None
    quoted = quoted_ranges(ctx, para)
    root = cue.sent.root
    subjects = [c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if not any(a <= root.idx < b for a, b in quoted):
        subjects = subjects if root.i < cue.i else []
    else:  # the parser made a quote's verb the root: its subject outside the quote
        subjects = [c for c in subjects if c.i < cue.i and not any(a <= c.idx < b for a, b in quoted)]
        main = next((t for t in cue.sent if t.i < cue.i and t.dep_ not in {"relcl", "acl", "advcl", "pcomp", "amod"}
                     and not any(a <= t.idx < b for a, b in quoted)
                     and any(c.dep_ in {"nsubj", "nsubjpass"} for c in t.children)), None)
        if not subjects and main is not None:  # ... or the subject of the first main clause before it
            root, subjects = main, [c for c in main.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if root.i in inside or not subjects or subjects[0].i >= cue.i:
        return None
    key = _subject_entity(ctx, para, subjects[0])
    others = {ctx.entity_of(para, t) for t in doc[subjects[0].i + 1:cue.i] if t.dep_ in {"nsubj", "nsubjpass"}}
    if key is None or others - {None, key}:
        return None  # 'Ames wrote when Bo Lin closed the meeting, adding, “…”' may be Bo Lin's
    return subjects[0], key


def _governing_subject(ctx: DocContext, para: int, cue: Token,
                       inside: frozenset[int]) -> tuple[Token | None, str | None]:
    verb = cue
    quoted = quoted_ranges(ctx, para)
    as_saying = False
    for _ in range(3):
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i not in inside and not
                    (c.dep_ == "nsubjpass" and verb.lemma_ in {"quote", "cite"} and not as_saying) and not
                    (c.i > verb.i and any(a <= c.idx < b for a, b in quoted)) and  # 'said on “Fox and Friends”'
                    any(ch.isalnum() for ch in c.text)]  # a dash the parser took for a subject: "― Ames boasted"
        if verb.lemma_ == "accord":  # "according to X"; "according to co-founder X" has two objects
            subjects = [g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
            keys = [k for g in subjects if (k := _subject_entity(ctx, para, g)) is not None]
            return (subjects[0], keys[0]) if subjects and len(set(keys)) <= 1 and keys else \
                (subjects[0] if subjects else None, None)
        if subjects:
            subj = subjects[0]
            if subj.lower_ in {"who", "that"} and verb.dep_ == "relcl":
                subj = _relative_antecedent(ctx, para, verb) or subj  # "Ana Ruiz, who points out “…”"
            return subj, _subject_entity(ctx, para, subj)
        inverted = _inverted_object(verb, inside)
        if inverted is not None:
            return inverted, _subject_entity(ctx, para, inverted)
        fronted = _fronted_name(ctx, para, verb, inside)
        if fronted is not None:
            return fronted
        named = _name_before_participle(ctx, para, verb)
        if named is not None:
            return named
        head = verb.head
        as_saying = verb.dep_ == "pcomp" and head.lower_ == "as" and head.head.lemma_ in {"quote", "cite"}
        if verb.dep_ == "pcomp" and head.pos_ == "ADP" and head.head.pos_ in {"VERB", "AUX"}:
            head = head.head  # "he was quoted as saying", "she sang before asking him"
        elif not (verb.dep_ in {"advcl", "xcomp", "conj", "ccomp", "acl", "pcomp"} and head.pos_ in {"VERB", "AUX"}):
            break
        if any(a <= head.idx < b for a, b in quoted):
            break
        verb = head
    return None, None


def _relative_antecedent(ctx: DocContext, para: int, clause: Token) -> Token | None:
    """The person a relative clause is about: the noun it hangs from, or — when the parser hung it from the
    end of an aside ("Ana Ruiz, a partner at a law firm, who …") — the person that aside describes."""
    tok = clause.head
    for _ in range(5):
        if ctx.kinds.get(ctx.entity_of(para, tok) or "") == "person":
            return tok
        if tok.dep_ not in {"pobj", "prep", "appos", "compound"} or tok.head is tok:
            return None
        tok = tok.head
    return None


def _inverted_object(verb: Token, inside: frozenset[int]) -> Token | None:
    """'“…,” sighed Ana Ruiz': right after a quote, the parser may take the speaker for the verb's object."""
    if not inside:
        return None
    doc = verb.doc
    if verb.i < min(inside) and verb.is_sent_start:  # "Added Ames: “…”"
        names = [t for t in doc[verb.i + 1:min(inside)] if not t.is_punct and not t.is_space]
        return names[-1] if names and all(t.text[:1].isupper() for t in names) and len(names) <= 4 else None
    if verb.i <= max(inside) or not all(t.is_punct or t.is_space for t in doc[max(inside) + 1:verb.i]):
        return None
    objects = [c for c in verb.children if c.dep_ in {"dobj", "attr", "npadvmod"} and c.i > verb.i]
    if objects and objects[0].pos_ == "PROPN":
        return objects[0]
    # '“…,” said urologist Ana Ruiz, …' parsed some other way: the first proper noun right after the verb
    return next((t for t in doc[verb.i + 1:verb.i + 5] if t.pos_ == "PROPN"), None)


def _fronted_name(ctx: DocContext, para: int, verb: Token, inside: frozenset[int]) -> tuple[Token, str] | None:
    """'Ana Ruiz, from the think tank, said …', 'On Monday, Col. Ana Ruiz, a spokeswoman, said …', '“…,” with
    prices up, Acme Bank said' or 'Ana says …' that the parser left without a subject: a person's or an
    organisation's name opening the sentence or its clause after a comma, followed by the verb or by a
    aside between commas with no finite verb ("Ames, the leader after winning the vote, said")."""
    doc = verb.doc
    start = ctx.sentence_range(para, verb).start
    if ctx.mention_at(para, start) is None:  # a forename alone: the one person of the article called so
        key = _by_single_name(ctx, doc[start].text) if verb.i == start + 1 else None
        if key is not None:
            return doc[start], key
    for i in range(verb.i - 1, start - 1, -1):  # the nearest name that opens the clause before the verb
        m = ctx.mention_at(para, i)
        if m is None or m.start != i or ctx.kinds.get(m.key) not in SPEAKER_KINDS:
            continue
        opener = m.start - 1
        while opener >= start and (doc[opener].text == "." or doc[opener].dep_ == "compound"):
            opener -= 1  # a title before the name: "Col.", "Army Capt."
        between = doc[m.end:verb.i]
        if any(m.end <= i < verb.i for i in inside):
            continue  # the quote is inside the aside: 'Ames, holding a “Vote Bo” banner, said' is not its speaker
        if (opener < start or doc[opener].text == "," or doc[opener].is_quote) and (not len(between) or (
                between[0].text == "," and between[-1].text == ",")) and \
                not any(t.pos_ in {"VERB", "AUX"} and t.tag_ not in {"VBG", "VBN"} for t in between):
            return doc[m.end - 1], m.key
    return None


def _name_before_participle(ctx: DocContext, para: int, verb: Token) -> tuple[Token, str] | None:
    """'footage of Ana Ruiz asking, “…”', 'a clip of Ruiz saying “…”': a participle right after a person's name
    (no comma between) is what that person says."""
    if verb.tag_ != "VBG" or verb.i == 0:
        return None
    m = ctx.mention_at(para, verb.i - 1)
    if m is None or m.end != verb.i or ctx.kinds.get(m.key) != "person":
        return None
    return verb.doc[verb.i - 1], m.key


def _subject_entity(ctx: DocContext, para: int, subj: Token) -> str | None:
    """The entity a subject phrase names: the subject itself, or the single person inside its phrase."""
    key = ctx.entity_of(para, subj)
    if key is not None:
        kind = ctx.kinds.get(key)
        if kind == "group":  # "Mexicans say" is the group speaking; "a Republican said" is one anonymous person
            return key if subj.tag_ in {"NNPS", "NNS"} else None
        return key if kind in SPEAKER_KINDS | {"place"} else None
    if subj.pos_ == "PRON":
        return None
    compounds = [c for c in subj.children if c.dep_ == "compound"]
    if subj.pos_ in {"PROPN", "NOUN"} and subj.text[:1].isupper() and all(
            c.pos_ == "PROPN" and c.text[:1].isupper() and c.i < subj.i for c in compounds):
        words = subj.doc[min(c.i for c in [subj, *compounds]):subj.i + 1].text
        by_name = _by_single_name(ctx, words) or _by_single_name(ctx, words, "organization")
        if by_name is not None:
            return by_name  # "Kate says", "Le Pen told", "Acme said" (Acme Mining): the one called so
    named = {ctx.entity_of(para, t) for t in _speaker_phrase(subj)} - {None}
    people = {k for k in named if ctx.kinds.get(k) == "person"}
    if not people and subj.lemma_.lower() in DOCUMENT_NOUNS:
        people = {k for k in named if ctx.kinds.get(k) in SPEAKER_KINDS}  # "the agency's report stated"
    return people.pop() if len(people) == 1 else None




def _by_single_name(ctx: DocContext, word: str, kind: str = "person") -> str | None:
    """The one person named in the article whose forename or surname is `word` ("Kate", "Le Pen"); or the one
    organisation whose name opens with it ("Acme" for Acme Mining)."""
    words = word.split()
    n = len(words)
    keys = {m.key for m in ctx.mentions if ctx.kinds.get(m.key) == kind and len(parts := m.text.split()) > n
            and (parts[:n] == words or (kind == "person" and parts[-n:] == words))}
    return keys.pop() if len(keys) == 1 else None


def _person_named(ctx: DocContext, name: str) -> str | None:
    """The one person of the article named `name` in full, or by that forename or surname alone."""
    keys = {m.key for m in ctx.mentions if m.text == name and ctx.kinds.get(m.key) == "person"}
    if not keys and " " not in name:
        return _by_single_name(ctx, name)
    return keys.pop() if len(keys) == 1 else None


def _speaker_phrase(subj: Token) -> list[Token]:
    """The words of a subject phrase that can name its speaker: not a relative clause, and not a possessor
    ("Ames's son", "the son of Ames" are not Ames) — but the name in apposition is ("Ames's aide, Bo Lin")."""
    out: list[Token] = []
    todo = [subj]
    while todo:
        tok = todo.pop()
        out.append(tok)
        for child in tok.children:
            if child.dep_ in {"relcl", "poss", "acl"} or (child.dep_ == "prep" and child.lower_ == "of"):
                continue
            todo.append(child)
    return out


ACRONYM_RE = re.compile(r"^[A-Z](?:\.?[A-Z]){1,5}\.?$")


def written_name(ctx: DocContext, para: int, subj: Token, key: str) -> str | None:
    """The short form by which the attribution names its organisation, how the article writes the speaker at
    this quote: an acronym ("the WFO said", "the WFO's report stated") or the opening word of its name
    ("Acme said" after Acme Mining)."""
    if ctx.kinds.get(key) != "organization":
        return None
    phrase = _speaker_phrase(subj)
    mentions = [m for tok in phrase if (m := ctx.mention_at(para, tok.i)) is not None and m.key == key]
    if mentions:
        return mentions[0].text if ACRONYM_RE.match(mentions[0].text) else None
    return subj.text if subj.pos_ == "PROPN" and _by_single_name(ctx, subj.text, "organization") == key else None


def names_inside(ctx: DocContext, para: int, tokens: list[Token], key: str) -> bool:
    return any(ctx.by_token.get((para, t.i)) is not None and ctx.by_token[(para, t.i)].key == key for t in tokens)


def colon_lead(ctx: DocContext, para: int) -> str | None:
    """The speaker announced at the end of the previous paragraph: 'Obama tweeted using his account:'."""
    if para == 0 or not ctx.docs[para - 1].text.rstrip().endswith(":"):
        return None
    doc = ctx.docs[para - 1]
    last = ctx.sentence_range(para - 1, doc[len(doc) - 1])
    for tok in reversed([doc[i] for i in last]):
        if is_cue(tok):
            _, speaker = cue_speaker(ctx, para - 1, tok)
            return speaker
    return None


# Heads of a description that speaks for an institution: "the ministry", "a spokeswoman for the council".
INSTITUTION_HEADS = frozenset({
    "ministry", "department", "government", "agency", "company", "firm", "bank", "police", "court", "council",
    "committee", "commission", "office", "embassy", "army", "military", "campaign", "party", "union",
    "organisation", "organization", "board", "authority", "authorities", "administration", "regulator",
    "statement", "spokesman", "spokeswoman", "spokesperson", "representative", "newspaper", "daily", "network",
})


def _bare_name(subj: Token) -> bool:
    """A subject that is nothing but one to three capitalised proper nouns ("Husted", "Murshed Zaheed"), not a
    title in quotes ('on MSNBC's “Morning Joe”')."""
    words = [t for t in subj.subtree if not t.is_punct]
    return subj.tag_ == "NNP" and len(words) <= 3 and not any(t.is_quote for t in subj.subtree) and all(
        t.tag_ == "NNP" and t.text[:1].isupper() and t.is_alpha for t in words)


def described_speaker(ctx: DocContext, para: int, subj: Token, inside: frozenset[int]) -> str | None:
    """A speaker who is described, not named, and speaks for an institution: 'the ministry said', 'a
    spokeswoman for the council said' — or one called by a bare name that the tagger left untagged ('Husted
    said'): the name as written. A pronoun, a description that names a person, one inside the quote, or one
    whose verb reports within another speaker's words ('Ames said the agency urged “…”') gives none."""
    if subj.pos_ not in {"NOUN", "PROPN"} or subj.i in inside or not (
            subj.lemma_.lower() in INSTITUTION_HEADS or _bare_name(subj)):
        return None
    sentence = [subj.doc[i] for i in ctx.sentence_range(para, subj) if i not in inside]
    if any(is_cue(a) for a in subj.head.ancestors) or any(
            is_cue(t) and t is not subj.head and cue_speaker(ctx, para, t, inside)[1] is not None for t in sentence):
        return None  # reported within another speaker's words: "Ames told the BBC the agency was urging “…”"
    clauses = {t.i for c in subj.subtree if c.dep_ in {"relcl", "acl"} for t in c.subtree}
    words = [t for t in subj.subtree if t.i not in clauses]
    if any(t.i in inside for t in words) or len(words) > 10:
        return None
    if any(ctx.kinds.get(ctx.entity_of(para, t) or "") == "person" for t in words):
        return None
    text = "".join(t.text_with_ws for t in subj.doc[words[0].i:words[-1].i + 1]).strip(" ,")
    return text or None


# A transcript line: "SMITH: …", "JANE SMITH (D-OHIO): …", or a broadcast cue
# "(SOUNDBITE OF ARCHIVED RECORDING) JANE SMITH, MAYOR, SAYING: …"; the label is in capitals.
def label_speaker(ctx: DocContext, para: int, label: tuple[int, int]) -> str | None:
    """The person a transcript label names: a mention inside it, else the one person of the article with that
    surname or forename ("SMITH" → Jane Smith)."""
    doc = ctx.docs[para]
    span = doc.char_span(label[0], label[1], alignment_mode="expand")
    if span is None:
        return None
    keys = {m.key for t in span if (m := ctx.mention_at(para, t.i)) is not None
            and ctx.kinds.get(m.key) in SPEAKER_KINDS}
    if len(keys) == 1:
        return keys.pop()
    name = doc.text[label[0]:label[1]].split(",")[0].split("(")[0].split()
    found = {k for w in name if (k := _by_single_name(ctx, w.title().strip(".'’"))) is not None}
    return found.pop() if len(found) == 1 else None


def _after_dash(ctx: DocContext, para: int, tokens: list[Token]) -> int | None:
    """The first word after a dash that follows the quote ('“…” ― Ana Ruiz'), if one does."""
    doc = ctx.docs[para]
    i = tokens[-1].i + 1
    while i < len(doc) and (doc[i].is_quote or doc[i].is_space or doc[i].text in {",", "."}):
        i += 1
    if i >= len(doc) or doc[i].text.lstrip("”\"’'") not in DASHES:  # the tokenizer may glue ”― together
        return None
    i += 1
    while i < len(doc) and doc[i].is_space:
        i += 1
    return i


def dash_signature(ctx: DocContext, para: int, tokens: list[Token]) -> str | None:
    """A signature the tagger left untagged after the quote and a dash, ending the paragraph or its line:
    '“…” ― Ana N Ruiz' (two to five capitalised words), as written."""
    i = _after_dash(ctx, para, tokens)
    if i is None:
        return None
    doc = ctx.docs[para]
    end = next((t.i for t in doc[i:] if t.is_quote or "\n" in t.text_with_ws), len(doc) - 1) + 1
    words = [t for t in doc[i:end] if not t.is_space and not t.is_quote and t.text != "."]
    if not 2 <= len(words) <= 5 or not all(t.is_alpha and t.text[:1].isupper() for t in words) or \
            any(ctx.mention_at(para, t.i) is not None for t in words):
        return None
    return " ".join(t.text for t in words)


def dash_trailer(ctx: DocContext, para: int, tokens: list[Token]) -> str | None:
    """A name signed after the quote with a dash, ending the paragraph: '“…” ― Ana Ruiz.'"""
    doc = ctx.docs[para]
    i = _after_dash(ctx, para, tokens)
    if i is None:
        return None
    m = ctx.mention_at(para, i)
    if m is None or m.start != i or ctx.kinds.get(m.key) not in SPEAKER_KINDS:
        return None
    rest = [t for t in doc[m.end:] if not t.is_punct and not t.is_space]
    nxt = doc[m.end] if m.end < len(doc) else None
    return m.key if not rest or nxt is None or nxt.text in {",", "."} or nxt.is_quote else None




def _colon_before(doc: Doc, tokens: list[Token]) -> int | None:
    """The index of the colon right before a quote's opening mark (spaces and other marks between), if any."""
    i = tokens[0].i - 1
    while i >= 0 and (doc[i].is_quote or doc[i].is_space):
        i -= 1
    return i if i >= 0 and doc[i].text == ":" else None


def _colon_lead(ctx: DocContext, para: int, tokens: list[Token]) -> tuple[Span, bool] | None:
    """The verbless lead-in closed by a colon right before the quote, in its sentence, and whether a heading and
    a dash come before it ('COUNTS CAME LATE - Ana Ruiz: “…”')."""
    doc = ctx.docs[para]
    i = _colon_before(doc, tokens)
    if i is None:
        return None
    start = ctx.sentence_range(para, doc[i]).start
    dashes = [t.i for t in doc[start:i] if t.text in DASHES and t.i > 0 and doc[t.i - 1].whitespace_]
    lead = doc[dashes[-1] + 1 if dashes else start:i]
    if len(lead) > 1 and lead[-1].lemma_ == "be":
        lead = lead[:-1]  # "Ruiz's reply was: “…”"
    if not 0 < len(lead) <= 10 or any(t.pos_ in {"VERB", "AUX"} or t.is_quote for t in lead):
        return None
    return lead, bool(dashes)


def lead_signature(ctx: DocContext, para: int, tokens: list[Token]) -> str | None:
    """A name the tagger left untagged that leads a quote after a heading and a dash: 'COUNTS CAME LATE - Ana
    Ruiz: “…”' (two to four capitalised proper nouns), as written."""
    found = _colon_lead(ctx, para, tokens)
    if found is None or not found[1]:
        return None
    lead = found[0]
    if not 2 <= len(lead) <= 4 or any(ctx.mention_at(para, t.i) is not None for t in lead) or not all(
            t.pos_ == "PROPN" and t.is_alpha and t.text[:1].isupper() for t in lead):
        return None
    return lead.text


def colon_subject(ctx: DocContext, para: int, tokens: list[Token]) -> str | None:
    """The named subject of the main clause that a colon closes right before the quote: 'Ana Ruiz rebuked him:
    “…,” she said' — who an unresolved pronoun of the attribution after the quote is."""
    doc = ctx.docs[para]
    i = _colon_before(doc, tokens)
    if i is None:
        return None
    verb = doc[i].head  # the clause the colon closes, the first of its sentence: not 'Ames said Bo won it: “…”'
    start = ctx.sentence_range(para, doc[i]).start
    if not verb.i < i or verb.pos_ not in {"VERB", "AUX"} or any(
            t.dep_ in {"nsubj", "nsubjpass"} and t.head.i != verb.i for t in doc[start:verb.i]):
        return None
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ != "PRON"]
    key = _subject_entity(ctx, para, subjects[0]) if subjects else None
    return key if key is not None and ctx.kinds.get(key) in SPEAKER_KINDS else None


def label_lead(ctx: DocContext, para: int, tokens: list[Token]) -> str | None:
    """A verbless lead-in closed by a colon, in the quote's sentence, that names one speaker:
    'Ana Ruiz, on Twitter: “…”', 'Ruiz's reply: “…”', 'Rival coach Ana Ruiz: “…”'."""
    found = _colon_lead(ctx, para, tokens)
    if found is None:
        return None
    lead = found[0]
    doc = ctx.docs[para]
    keys = {m.key for t in lead if (m := ctx.mention_at(para, t.i)) is not None}
    if not keys and len(lead) <= 3 and all(t.text[:1].isupper() for t in lead):
        return _person_named(ctx, lead.text)  # a headline's 'Ruiz: “…”' that the tagger left untagged
    if len(keys) != 1:
        return None
    key = keys.pop()
    if ctx.kinds.get(key) not in SPEAKER_KINDS:
        return None
    owner = next(t for t in lead if ctx.mention_at(para, t.i) is not None)
    m = ctx.mention_at(para, owner.i)
    after = doc[m.end] if m is not None and m.end < len(doc) else None
    if after is not None and after.text in {"'s", "’s", "'", "’"}:
        nxt = [t for t in doc[m.end + 1:lead.end] if not t.is_punct]
        return key if nxt and nxt[-1].lower_ in SPEECH_NOUNS else None  # "Ruiz's son:" is not Ruiz
    return key


def organization_before(ctx: DocContext, para: int, it: Token) -> str | None:
    """What "it" speaks for: the one organisation named in its sentence before it and the sentence before
    that (none named, or two, gives None)."""
    n = ctx.sent_of[para][it.i]
    keys: set[str] = set()
    for m in ctx.mentions:
        sent = ctx.sent_of[m.para][m.start]
        before_it = sent == n and m.para == para and m.start < it.i
        if (before_it or sent == n - 1) and m.key and ctx.kinds.get(m.key) in {"organization", "person"}:
            keys.add(m.key)
    if len(keys) != 1:
        return None
    key = keys.pop()
    return key if ctx.kinds.get(key) == "organization" else None


def reported_speaker(ctx: DocContext, q: QuoteSpan, first: Token) -> str | None:
    """The person whose words the sentence just before a floating quote reports ('Ames says …'), when that
    person is also the last one named or referred to before the quote."""
    n = ctx.sent_idx(q.para, first) - 1
    if n < 0:
        return None
    para, start, end = ctx.sent_bounds[n]
    if para not in {q.para, q.para - 1}:
        return None
    doc = ctx.docs[para]
    quoted = {t.i for a, b in quoted_ranges(ctx, para) for t in doc if a <= t.idx < b}
    speakers = {cue_speaker(ctx, para, t)[1] for t in doc[start:end] if is_cue(t) and t.i not in quoted} - {None}
    if not speakers and q.start_char <= 1 and para == q.para - 1:  # 'Ames runs the gym. | “…”': the subject
        root = next((t for t in doc[start:end] if t.dep_ == "ROOT"), None)
        speakers = {ctx.entity_of(para, c) for c in root.children if c.dep_ == "nsubj"} - {None} if root else set()
    if len(speakers) != 1:
        return None
    key = speakers.pop()
    return key if ctx.kinds.get(key) == "person" and last_person_before(ctx, q, first) == key else None


def people_between(ctx: DocContext, start: tuple[int, int], end: tuple[int, int]) -> set[str]:
    """The people named or referred to after `start` and before `end`, both (para, token) positions."""
    found: set[str] = set()
    for p in range(start[0], end[0] + 1):
        lo = start[1] + 1 if p == start[0] else 0
        hi = end[1] if p == end[0] else len(ctx.docs[p])
        found.update(k for t in ctx.docs[p][lo:hi] if (k := ctx.entity_of(p, t)) is not None
                     and ctx.kinds.get(k) == "person")
    return found


def last_person_before(ctx: DocContext, q: QuoteSpan, first: Token) -> str | None:
    """The person most recently named or referred to before the quote (same or previous paragraph)."""
    best: tuple[tuple[int, int], str] | None = None
    for p in (q.para - 1, q.para):
        if p < 0:
            continue
        for tok in ctx.docs[p]:
            if p == q.para and tok.i >= first.i:
                break
            key = ctx.entity_of(p, tok)
            if key is not None and ctx.kinds.get(key) == "person":
                best = ((p, tok.i), key)
    return best[1] if best else None


def lede_speaker(ctx: DocContext, para: int) -> str | None:
    """A feature that opens with a quote and names its speaker next: '“…” | Ana Ruiz works for a law firm.'
    The quote's paragraph comes before anyone is named, and the next paragraph opens with a person's full name
    as its subject."""
    if para + 1 >= len(ctx.docs) or any(m.para <= para and ctx.kinds.get(m.key) == "person" for m in ctx.mentions):
        return None
    m = ctx.mention_at(para + 1, 0)
    if m is None or m.start != 0 or ctx.kinds.get(m.key) != "person" or len(m.text.split()) < 2:
        return None
    return m.key if m.span(ctx.docs).root.dep_ in {"nsubj", "nsubjpass"} else None
