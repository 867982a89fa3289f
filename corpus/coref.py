"""Pronouns and role phrases that refer to people ("he", "the secretary of state"), linked to the person
they mean, for the quote speakers and the index's mention counts."""

from __future__ import annotations

from collections import Counter, defaultdict

from spacy.language import Language
from spacy.tokens import Doc, Token

from corpus.entities import HONORIFIC_GENDER, Gender, forename_gender, is_role_word
from corpus.extraction import (
    REFERENCE_SPANS,
    DocContext,
    LocalEntity,
    LocalMention,
    Mention,
    context,
    paragraph_spans,
)
from corpus.lexicon import CUE_VERBS, THIRD_PERSON_PRONOUNS
from corpus.quote_content import quoted_ranges

# A reference to a person: para, sentence, key, subject rank, subject of a speech verb, inside parentheses,
# a name of two or more words.
Event = tuple[int, int, str, int, bool, bool, bool]

PRONOUN_GENDER: dict[str, Gender] = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}

def _subject_like(tok: Token) -> Token:
    """A name in apposition to a subject stands for it ("The finance chief, Ana Ruiz, said"; "A spokesman for
    the bureau, Ana Ruiz, said"): climb appositions and prepositions to a subject that is a role noun."""
    if tok.dep_ == "appos" and tok.head.dep_ in {"nsubj", "nsubjpass"}:
        return tok.head
    cur = tok
    for _ in range(5):
        if cur.dep_ not in {"appos", "pobj", "prep", "compound"} or cur.head is cur:
            break
        cur = cur.head
        if cur.dep_ in {"nsubj", "nsubjpass"} and cur.pos_ == "NOUN" and is_role_word(cur.text):
            return cur
    return tok


def _subject_rank(tok: Token) -> int:
    """0: no subject; 1: the subject of an embedded clause; 2: the subject of the main clause."""
    tok = _subject_like(tok)
    if tok.dep_ not in {"nsubj", "nsubjpass"}:
        return 0
    verb = tok.head
    return 2 if verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT") else 1


def _is_speaker(tok: Token) -> bool:
    """The subject of a speech verb ("Okafor dismissed … and said")."""
    tok = _subject_like(tok)
    if tok.dep_ not in {"nsubj", "nsubjpass"}:
        return False
    verb = tok.head
    return verb.lemma_ in CUE_VERBS or any(c.dep_ == "conj" and c.lemma_ in CUE_VERBS for c in verb.children)


# Modifiers that make another office of a role: "the shadow chancellor" is not "the chancellor".
ROLE_CHANGERS = frozenset({"shadow", "deputy", "vice", "former", "acting", "assistant", "junior", "interim", "ex",
                           "associate", "co", "outgoing", "incoming"})


def _role_phrases(entities: dict[str, LocalEntity]) -> dict[tuple[str, ...], set[str]]:
    """"secretary of state" → the people whose role it is (longest phrases first)."""
    phrases: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for ent in entities.values():
        if ent.kind != "person":
            continue
        for role in ent.roles:
            words = role.lower().split()
            for k in range(len(words)):  # "u.s. finance minister" → also "finance minister", "minister" ...
                if any(is_role_word(w) for w in words[k:]):
                    phrases[tuple(words[k:])].add(ent.key)
                if words[k] in ROLE_CHANGERS:
                    break  # ... but "shadow finance minister" is never "the finance minister"
    return dict(sorted(phrases.items(), key=lambda kv: -len(kv[0])))


def link_references(ctx: DocContext, entities: dict[str, LocalEntity], max_sentences: int = 4) -> None:
    """Link pronouns (he/she/him/his/her) and definite role phrases ("the secretary of state") to people.

    A pronoun takes the most recent person who was a subject, outside parentheses, in the same or the two
    previous paragraphs; when the most recent *speaker* is someone else, it stays unlinked (ambiguous)."""
    roles = _role_phrases(entities)
    events: list[Event] = []
    names = {(m.para, m.start): m for m in ctx.mentions if m.kind == "person" and not any(c.isdigit() for c in m.text)}
    votes = _gender_votes(ctx, entities)
    for p, doc in enumerate(ctx.docs):
        skip_until = -1
        quoted = quoted_ranges(ctx, p)
        wanted = (i for i, low in enumerate(ctx.lowers[p])
                  if (p, i) in names or low in THIRD_PERSON_PRONOUNS or (low == "the" and roles))
        for tok in (doc[i] for i in wanted):
            if tok.i < skip_until:
                continue
            key: str | None = None
            head_tok = tok
            m = names.get((p, tok.i))
            if m is not None:
                key, head_tok = m.key, m.span(ctx.docs).root
                skip_until = m.end
            elif tok.lower_ == "the":
                for words, owners in roles.items():
                    end = tok.i + 1 + len(words)
                    if end > len(doc) or tuple(ctx.lowers[p][tok.i + 1:end]) != words:
                        continue
                    owner = _role_owner(owners, events, p, ctx.sent_idx(p, tok), max_sentences)
                    if owner is not None:
                        phrase = doc[tok.i:end]
                        key, head_tok, skip_until = owner, phrase.root, end
                        for i in range(tok.i, end):
                            ctx.pronoun_links[(p, i)] = owner
                        ctx.references.append((p, tok.i, owner, phrase.text))
                    break  # the longest role phrase decides
            elif tok.lower_ in THIRD_PERSON_PRONOUNS and tok.pos_ == "PRON" and not _quoted(quoted, tok.idx):
                gender = PRONOUN_GENDER[tok.lower_]
                fits = [e for e in events if _gender(votes[e[2]]) in {None, gender}]
                key = _antecedent(fits, p, ctx.sent_idx(p, tok), max_sentences)
                if key is not None and _names_below(tok, key, names, p, quoted):
                    key = None  # "he noted that Ames was surprised": a subject pronoun is never the name below it
                if key is not None:
                    ctx.pronoun_links[(p, tok.i)] = key
                    ctx.references.append((p, tok.i, key, tok.text))
                    votes[key][gender] += 1
            if key is not None and not _quoted(quoted, tok.idx):  # a name inside a quote is no antecedent
                events.append((p, ctx.sent_idx(p, tok), key, _subject_rank(head_tok),
                               _is_speaker(head_tok), ctx.paren_depth[p][tok.i] > 0,
                               m is not None and len(m.text.split()) >= 2))


def _names_below(pronoun: Token, key: str, names: dict[tuple[int, int], Mention],
                 para: int, quoted: list[tuple[int, int]]) -> bool:
    """A subject pronoun whose clause names `key` after it, outside quotes (the binding rule that keeps "he"
    in "he said Ames would win" from being Ames)."""
    if pronoun.dep_ not in {"nsubj", "nsubjpass"}:
        return False
    return any((m := names.get((para, t.i))) is not None and m.key == key and not _quoted(quoted, t.idx)
               for t in pronoun.head.subtree if t.i > pronoun.i)


def _role_owner(owners: set[str], events: list[Event], para: int, sent: int,
                max_sentences: int) -> str | None:
    """Who "the <role>" is: the one person holding that role, or, when several do ("the president" of two
    countries), the one of them referred to within reach — None when none or two are."""
    if len(owners) == 1:
        return next(iter(owners))
    near = {e[2] for e in events if e[2] in owners and e[0] >= para - 2 and sent - e[1] <= max_sentences}
    return near.pop() if len(near) == 1 else None


def _gender_votes(ctx: DocContext, entities: dict[str, LocalEntity]) -> defaultdict[str, Counter[str]]:
    """Evidence of each person's gender: an honorific before a mention ("Mrs. Ames": 3 votes), the
    forename of the full name (2); each pronoun linked to the person adds one as linking goes on."""
    votes: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for m in ctx.mentions:
        if m.kind != "person" or not m.key or m.start == 0:
            continue
        honorific = HONORIFIC_GENDER.get(ctx.lowers[m.para][m.start - 1])
        if honorific is not None:
            votes[m.key][honorific] += 3
    for ent in entities.values():
        words = ent.name.split()
        if ent.kind == "person" and len(words) >= 2 and (g := forename_gender(words[0])) is not None:
            votes[ent.key][g] += 2
    return votes


def _gender(votes: Counter[str]) -> Gender | None:
    if votes["m"] > votes["f"]:
        return "m"
    return "f" if votes["f"] > votes["m"] else None


def reference_mentions(ctx: DocContext) -> list[LocalMention]:
    """Mentions by pronoun or role phrase, for the index's mention counts."""
    return [LocalMention(key=key, sent_idx=ctx.sent_idx(p, ctx.docs[p][i]), surface=surface)
            for p, i, key, surface in ctx.references]


def _quoted(spans: list[tuple[int, int]], char: int) -> bool:
    """Inside a quotation: the speaker's own "he" points into the speaker's world, not the article's."""
    return any(a <= char < b for a, b in spans)


def _antecedent(events: list[Event], para: int, sent: int, max_sentences: int) -> str | None:
    """The most salient person within reach: the last subject (a main clause's subject before an embedded
    one of the same sentence), agreeing with the last speaker; None when they disagree — unless the subject
    is named in full as a main clause's subject in a later paragraph than any mention of the speaker — or when
    another person of that gender is named in a later sentence than the antecedent's last mention."""
    reach = [e for e in events if e[0] >= para - 2 and sent - e[1] <= max_sentences]
    subjects = [e for e in reach if e[3] and not e[5]]
    if subjects:
        latest = [e for e in subjects if e[1] == subjects[-1][1]]
        top = max(e[3] for e in latest)
        a: str | None = [e[2] for e in latest if e[3] == top][-1]
    else:
        a = None
    speakers = [e[2] for e in reach if e[4]]
    b = speakers[-1] if speakers else None
    if a and b and a != b:
        last = subjects[-1]
        if not (top == 2 and last[2] == a and last[6] and last[0] > max(e[0] for e in reach if e[2] == b)):
            return None
        b = None  # '“…,” Ames said. | Minister Bo Lin sent his condolences. | “…,” he said.': Bo Lin
    if a or b:
        chosen = a or b
        mine = [e[1] for e in reach if e[2] == chosen]
        later = [e for e in reach if e[2] != chosen and not e[5] and e[1] > mine[-1]]
        return None if later else chosen  # someone else named since: "… Ames said. Officer Bo Lin too. He …"
    distinct = {e[2] for e in reach if not e[5]}
    return distinct.pop() if len(distinct) == 1 else None


# --- pipeline component (assembled in corpus/nlp.py) -----------------------------------------------


@Language.component("briefbot_coref")
def coref_component(doc: Doc) -> Doc:
    """Pronouns and definite role phrases linked to the people they refer to: each a span of
    doc.spans["briefbot_references"] with its entity on Span._.entity_key, and a mention on Doc._.mentions."""
    ctx = context(doc)
    link_references(ctx, doc._.entities)
    doc._.mentions = doc._.mentions + reference_mentions(ctx)
    spans = []
    for p, i, key, surface in ctx.references:
        view = ctx.docs[p]
        end = i + 1
        while end < len(view) and view[end].idx < view[i].idx + len(surface):
            end += 1
        spans.append((p, i, end, "person", key))
    doc.spans[REFERENCE_SPANS] = paragraph_spans(doc, spans)
    return doc
