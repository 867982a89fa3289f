"""Quote cues: the speech verb that governs a quote or sits beside it ("…,” he said; "according to"), the
quote's sentence frame, and transcript labels ("SMITH:", "(SOUNDBITE) JANE SMITH, MAYOR, SAYING:")."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from corpus.extraction import DocContext
from corpus.lexicon import CUE_VERBS

# What a document says speaks for its author: "the agency's report stated", "a statement saying".
DOCUMENT_NOUNS = frozenset({"report", "statement", "letter", "note", "study", "release", "memo", "filing",
                            "survey", "analysis", "notice", "announcement", "email", "tweet", "post"})
DASHES = {"―", "—", "–", "-", "--"}
# Nouns of something said: "Ruiz's reply: “…”", "Ruiz has a new slogan for the fair: “…”".
SPEECH_NOUNS = frozenset({"reply", "response", "statement", "message", "answer", "tweet", "post", "words",
                          "comment", "comments", "remarks", "retort", "verdict", "view", "take", "advice"})


def quote_frame(ctx: DocContext, para: int, tokens: list[Token]) -> list[Token]:
    """The tokens of the quote's sentences that are outside the quote, with the short attribution that the
    parser split off after a closing "?", "!" or '."' ("“Why not?” | said Ames.")."""
    doc = ctx.docs[para]
    inside = {t.i for t in tokens}
    first = ctx.sentence_range(para, tokens[0])
    last = ctx.sentence_range(para, tokens[-1])
    stop = last.stop
    if stop < len(doc) and all(t.is_punct or t.is_space for t in doc[tokens[-1].i + 1:stop]):
        after = ctx.sentence_range(para, doc[stop])
        words = [t for t in doc[after.start:after.stop] if not t.is_punct and not t.is_space]
        if len(words) <= 8 and any(is_cue(t) and words_between(doc, after.start - 1, t.i) <= 4 for t in words):
            stop = after.stop
    return [doc[i] for i in range(first.start, stop) if i not in inside]


def is_cue(tok: Token) -> bool:
    if tok.lemma_ == "accord" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
        return True
    if tok.lemma_ == "put" and any(c.lower_ == "it" and c.dep_ == "dobj" for c in tok.children):
        return True  # "as Ames put it, “…”"
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if tok.is_sent_start and nxt is not None and nxt.text[:1].isupper() and nxt.is_alpha and (
            tok.lower_.removesuffix("ed") in CUE_VERBS or tok.lower_.removesuffix("d") in CUE_VERBS):
        return True  # "Added Ames: “…”", which the tagger may take for an adjective
    # a speech verb, or one the tagger took for a noun but the parser gave a subject ("The agency notes, …")
    return tok.lemma_ in CUE_VERBS and (tok.pos_ in {"VERB", "AUX"} or any(c.dep_ == "nsubj" for c in tok.children))


def tail_attribution(tokens: list[Token], frame: list[Token]) -> Token | None:
    """The verb of the attribution that follows a quote opening its sentence and ending in a comma, "?" or
    "!" ('“…,” Ames pressed.', '“…?” she shot back'). A listed speech verb always speaks there; another verb
    does when its subject is a name or a pronoun and it takes no object of its own. After "?" or "!" a
    capitalised pronoun opens a new sentence ('“…!” She replied …'), not an attribution."""
    doc = tokens[0].doc
    end = tokens[-1]
    if end.text not in {",", "?", "!"} or any(t.i < tokens[0].i and not (t.is_punct or t.is_space) for t in frame):
        return None
    i = end.i + 1
    while i < len(doc) and (doc[i].is_quote or doc[i].is_space):
        i += 1
    if i >= len(doc) or i == end.i + 1:
        return None
    if doc[i].tag_ == "VBD" and i + 1 < len(doc) and doc[i + 1].pos_ == "PROPN":
        return doc[i]  # '“…!” beamed Ana Ruiz': a verb in the past with the name after it
    subj = doc[i]
    while subj.dep_ in {"compound", "amod", "det", "poss", "case", "nmod"} and subj.head.i > subj.i:
        subj = subj.head
    verb = subj.head
    if subj.dep_ not in {"nsubj", "nsubjpass"} or verb.i < subj.i or words_between(doc, subj.i, verb.i) > 0 or \
            any(t.is_quote for t in doc[i:verb.i]):
        return None
    if subj.pos_ == "PRON" and end.text in {"?", "!"} and doc[i].text[:1].isupper():
        return None
    if is_cue(verb):
        return verb
    if verb.pos_ != "VERB" or not (subj.pos_ == "PRON" or subj.text[:1].isupper()) or \
            _has_object(verb, {t.i for t in tokens}):
        return None
    return verb


def _has_object(verb: Token, inside: set[int]) -> bool:
    """The verb takes an object or complement of its own, outside the quote (a quote is no object)."""
    doc = verb.doc
    return any(c.i not in inside and not doc[c.left_edge.i - 1].is_quote and c.dep_ in {
        "dobj", "ccomp", "xcomp", "attr", "acomp", "dative", "oprd"} for c in verb.children)


def words_between(doc: Doc, a: int, b: int) -> int:
    """The words strictly between two tokens, leaving out punctuation and parentheses ("Ames (D-Ohio) said")."""
    depth, n = 0, 0
    for t in doc[a + 1:b]:
        depth += (t.text == "(") - (t.text == ")")
        n += depth == 0 and t.text != ")" and not t.is_punct and not t.is_space
    return n


def find_cue(tokens: list[Token], frame: list[Token]) -> Token | None:
    """The speech verb for a quote: the verb of an attribution right after it, an ancestor of the quote
    outside it, else one right beside it."""
    tail = tail_attribution(tokens, frame)
    if tail is not None:
        return tail
    inside = {t.i for t in tokens}
    first, last = tokens[0].i, tokens[-1].i
    doc = tokens[0].doc
    before = first - 1
    while before >= 0 and (doc[before].is_quote or doc[before].is_space):
        before -= 1
    colon = before >= 0 and doc[before].text == ":"

    def headed(cue: Token) -> bool:  # 'Analysts concur - Ames: “…”': a heading's verb, then a dash, then the lead
        return colon and cue.i < before and any(x.text in DASHES and doc[x.i - 1].whitespace_
                                                 for x in doc[cue.i + 1:before])

    for tok in tokens:
        if tok.head.i in inside and tok.head is not tok:
            continue
        for anc in tok.ancestors:
            if anc.i not in inside and is_cue(anc) and not headed(anc):
                return anc
    if colon:  # "Reel told the self-employed: “…”"
        led = [t for t in frame if is_cue(t) and 0 < before - t.i <= 12 and not headed(t)]
        if led:
            return led[-1]
        verb = doc[before - 1] if before > 0 else None  # "Ames gloated: “…”": any verb right before the colon
        while verb is not None and verb.dep_ in {"prt", "advmod"} and verb.i - 2 <= verb.head.i < verb.i:
            verb = verb.head  # "Ames shot back: “…”", "Ames fired back forcefully: “…”"
        if verb is not None and verb.pos_ == "VERB" and not _has_object(verb, inside):
            return verb
        if verb is not None and verb.lemma_ in SPEECH_NOUNS | DOCUMENT_NOUNS and verb.dep_ == "dobj" and \
                verb.head.pos_ == "VERB" and not any(c.dep_ in {"poss", "prep"} for c in verb.children):
            return verb.head  # "Ames unveiled a new slogan: “…”", but not "… Bo's statement: “…”"
    near = [t for t in frame if is_cue(t) and not headed(t) and (
        (t.i > last and words_between(doc, last, t.i) <= 4) or 0 < first - t.i <= 4 or (
            0 < first - t.i <= 9 and not any(x.pos_ in {"VERB", "AUX"} for x in doc[t.i + 1:first])))]
    return min(near, key=lambda t: min(abs(t.i - last), abs(first - t.i))) if near else None


TRANSCRIPT_RE = re.compile(
    r"^(?:\((?:SOUNDBITE|BEGIN VIDEO CLIP|VIDEO CLIP)[^)]*\)\s*(?:\([A-Z][a-z]+\)\s*)?)?"  # "(SOUNDBITE) (English)"
    r"(?P<label>[A-Z][A-Z.'’\- ]{1,40}?(?:\s*\([^)]{1,30}\))?(?:,\s*[A-Z][A-Z.'’\-, ]{1,60}?)?)"
    r"(?:,\s*(?:SAYING|VOICE-OVER))?:\s+(?=\S)")


def transcript_line(text: str) -> tuple[int, int, int] | None:
    """(label start, label end, speech start) of a transcript paragraph, or None. The label must hold a word
    of two or more capitals, so "Q:" or "NOTE:" style one-letter tags and headings in title case do not count."""
    m = TRANSCRIPT_RE.match(text)
    if m is None or not re.search(r"[A-Z]{2}", m.group("label")) or len(text) - m.end() < 3:
        return None
    if m.group("label").strip() in {"NOTE", "UPDATE", "CORRECTION", "EDITOR'S NOTE", "WATCH", "READ MORE"}:
        return None
    return m.start("label"), m.end("label"), m.end()


def transcript_lines(paragraphs: list[str]) -> list[tuple[int, int, int] | None]:
    """`transcript_line` of each paragraph, when two or more are transcript lines (one "WORD:" paragraph is a
    dateline or a heading, not a transcript)."""
    lines = [transcript_line(text) for text in paragraphs]
    return lines if sum(line is not None for line in lines) >= 2 else [None] * len(paragraphs)


def continues(ctx: DocContext, para: int, cue: int, first: Token, whole: bool) -> bool:
    """The quote opens right after the attribution of the previous one: in the cue's sentence or the next,
    with no other clause between (only the attribution's own words) — or, when it is a whole sentence, as
    the very next sentence, whatever the attribution's sentence goes on to say ('“…,” Ames said, adding
    that Bo Lin had left. “…”')."""
    doc = ctx.docs[para]
    if not cue < first.i:
        return False
    between = doc[cue + 1:first.i]
    if whole and sum(t.text in {".", "?", "!"} for t in between) == 1:
        return True  # one full stop between: the parser's sentence breaks around '' marks are not trusted
    return ctx.sent_of[para][first.i] - ctx.sent_of[para][cue] <= 1 and \
        not any(is_cue(t) or (t.pos_ == "VERB" and t.dep_ == "ROOT") for t in between)
