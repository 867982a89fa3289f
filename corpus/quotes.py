"""Direct quotations and their speakers, as small resolvers (after Citron and the Gender Gap Tracker):

1. marks: pair straight and curly double quotes in each paragraph (apostrophes are never marks; an
   opening mark left open runs to the paragraph's end, and the next paragraph may continue it);
2. cue: the speech verb that governs the quote, or sits beside it ("…,” he said), or "according to";
3. speaker: the cue's subject — a name, or a pronoun resolved to a person; a subject that names no one
   (or names two) leaves the speaker unknown;
4. floating quotes (a quote that is a whole sentence with no cue) inherit the previous quote's speaker
   when it is the last person referred to before them.
Precision over recall: anything unclear gives speaker unknown, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from corpus.extraction import DocContext, LocalQuote, article_of, context
from corpus.lexicon import CUE_VERBS

OPENERS = {"“", '"', "«", "„"}
CLOSERS = {"”", '"', "»", "“"}
SPEAKER_KINDS = {"person", "organization"}
# marks paired the wrong way round leave the attribution itself between them ("Wilkins said,")
FRAME_ONLY_RE = re.compile(r"^(?:[A-Z][\w.'’-]*\s+){1,3}(?:said|says|told|added|wrote|asked)[.,:]?$")


@dataclass
class QuoteSpan:
    para: int
    start_char: int  # first character inside the marks
    end_char: int  # one past the last character inside
    open_end: bool = False  # ran to the paragraph's end without a closing mark
    open_start: bool = False  # continues a quote left open in the previous paragraph
    label: tuple[int, int] | None = None  # transcript: character range of the speaker's label ("SMITH:")


TAG_RE = re.compile(r"<[^<>\n]*>")  # markup such as <tweet author="…">: its attribute quotes are no speech
WORD_CHAR = re.compile(r"\w")


def _marks(text: str) -> list[tuple[int, int, str]]:
    """(position, length, mark) of the double quotation marks of a paragraph; two apostrophes ('') are one
    straight double mark, as some feeds write them. Marks inside markup tags are left out."""
    tags = [(m.start(), m.end()) for m in TAG_RE.finditer(text)] if "<" in text else []
    marks: list[tuple[int, int, str]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "'" and text[i + 1:i + 2] == "'" and text[i + 2:i + 3] != "'":
            mark, size = '"', 2
        elif ch in OPENERS or ch in CLOSERS:
            mark, size = ch, 1
        else:
            i += 1
            continue
        if not any(a <= i < b for a, b in tags):
            marks.append((i, size, mark))
        i += size
    return marks


def find_quote_spans(text: str) -> list[tuple[int, int, bool, bool]]:
    """(start, end, open_end, open_start) character ranges of the quoted passages in one paragraph: double
    marks first, then ‘single curly’ quotes outside them (inside a double quote they stay part of it)."""
    spans: list[tuple[int, int, bool, bool]] = []
    open_at: int | None = None
    for i, size, ch in _marks(text):
        prev = text[i - 1] if i else " "
        nxt = text[i + size] if i + size < len(text) else " "
        if ch == '"':
            is_open = open_at is None and (prev.isspace() or prev in "([{—–-/" or i == 0) and not nxt.isspace()
        elif ch == "“" and open_at is not None and not nxt.isspace() and (prev.isspace() or i == 0):
            spans.append((open_at, i, True, False))  # a stray “ while open: a new opening closes the previous quote
            open_at = i + 1
            continue
        else:
            is_open = ch in OPENERS and open_at is None
        if is_open:
            open_at = i + size
        elif open_at is not None:
            spans.append((open_at, i, False, False))
            open_at = None
        elif not spans and ch in {"”", '"'} and i > 0:
            spans.append((0, i, False, True))  # a paragraph that continues a quote without reopening it
    if open_at is not None:
        spans.append((open_at, len(text), True, False))
    spans = [s for s in spans if WORD_CHAR.search(text[s[0]:s[1]])]
    return sorted(spans + _single_quotes(text, spans))


SINGLE_RE = re.compile(r"(?:^|(?<=[\s(\[—–-]))‘(?=\S)([^‘’]*?(?:’\w[^‘’]*?)*)(?<=\S)’(?!\w)")


def _single_quotes(text: str, doubles: list[tuple[int, int, bool, bool]]) -> list[tuple[int, int, bool, bool]]:
    """‘…’ quotes that lie outside every double quote (an apostrophe inside a word does not close them)."""
    if "‘" not in text:
        return []
    out: list[tuple[int, int, bool, bool]] = []
    for m in SINGLE_RE.finditer(text):
        a, b = m.start(1), m.end(1)
        if WORD_CHAR.search(m.group(1)) and not any(s <= a - 1 < e or a - 1 < s < b + 1 for s, e, _, _ in doubles):
            out.append((a, b, False, False))
    return out


def _quote_tokens(doc: Doc, q: QuoteSpan) -> list[Token]:
    span = doc.char_span(q.start_char, q.end_char, alignment_mode="expand")
    if span is None:
        return []
    return [t for t in span if q.start_char <= t.idx < q.end_char]


def _frame(ctx: DocContext, para: int, tokens: list[Token]) -> list[Token]:
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
        if len(words) <= 8 and any(_is_cue(t) for t in words[:5]):
            stop = after.stop
    return [doc[i] for i in range(first.start, stop) if i not in inside]


def _cue_speaker(ctx: DocContext, para: int, cue: Token,
                 inside: frozenset[int] = frozenset()) -> tuple[Token | None, str | None]:
    """(the cue's subject, its entity key), climbing through participles ("…, noting that"); a word of the
    quote itself ("“Thanks, Ben!” replied …") is never the subject."""
    verb = cue
    for _ in range(3):
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i not in inside and not
                    (c.dep_ == "nsubjpass" and verb.lemma_ in {"quote", "cite"})]
        if verb.lemma_ == "accord":  # "according to X"; "according to co-founder X" has two objects
            subjects = [g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
            keys = [k for g in subjects if (k := _subject_entity(ctx, para, g)) is not None]
            return (subjects[0], keys[0]) if subjects and len(set(keys)) <= 1 and keys else \
                (subjects[0] if subjects else None, None)
        if subjects:
            return subjects[0], _subject_entity(ctx, para, subjects[0])
        inverted = _inverted_object(verb, inside)
        if inverted is not None:
            return inverted, _subject_entity(ctx, para, inverted)
        if verb.dep_ in {"advcl", "xcomp", "conj", "ccomp", "acl", "pcomp"} and verb.head.pos_ in {"VERB", "AUX"}:
            verb = verb.head
        else:
            break
    return None, None


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
    if subj.pos_ in {"PROPN", "NOUN"} and subj.text[:1].isupper() and not any(c.dep_ == "compound"
                                                                            for c in subj.children):
        by_name = _by_single_name(ctx, subj.text)
        if by_name is not None:
            return by_name  # "Kate says": the one person of the article with that forename or surname
    named = {ctx.entity_of(para, t) for t in _speaker_phrase(subj)} - {None}
    people = {k for k in named if ctx.kinds.get(k) == "person"}
    if not people and subj.lemma_.lower() in DOCUMENT_NOUNS:
        people = {k for k in named if ctx.kinds.get(k) in SPEAKER_KINDS}  # "the agency's report stated"
    return people.pop() if len(people) == 1 else None


DOCUMENT_NOUNS = frozenset({"report", "statement", "letter", "note", "study", "release", "memo", "filing",
                            "survey", "analysis", "notice", "announcement", "email", "tweet", "post"})


def _by_single_name(ctx: DocContext, word: str) -> str | None:
    """The one person named in the article whose forename or surname is `word`."""
    keys = {m.key for m in ctx.mentions if ctx.kinds.get(m.key) == "person" and len(m.text.split()) >= 2
            and word in (m.text.split()[0], m.text.split()[-1])}
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


TITLE_CUES = {"named", "titled", "entitled", "called", "dubbed", "on", "in", "at", "from", "of"}


def _is_title(doc: Doc, first: Token) -> bool:
    """A quoted name or title, not speech: 'a robot named "…"', 'says on "The … Countdown"'."""
    i = first.i - 1
    while i >= 0 and (doc[i].is_quote or doc[i].is_space):
        i -= 1
    return i >= 0 and doc[i].lower_ in TITLE_CUES and (doc[i].pos_ == "ADP" or doc[i].tag_ == "VBN")


def _names_inside(ctx: DocContext, para: int, tokens: list[Token], key: str) -> bool:
    return any(ctx.by_token.get((para, t.i)) is not None and ctx.by_token[(para, t.i)].key == key for t in tokens)


def _is_cue(tok: Token) -> bool:
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


def _colon_lead(ctx: DocContext, para: int) -> str | None:
    """The speaker announced at the end of the previous paragraph: 'Obama tweeted using his account:'."""
    if para == 0 or not ctx.docs[para - 1].text.rstrip().endswith(":"):
        return None
    doc = ctx.docs[para - 1]
    last = ctx.sentence_range(para - 1, doc[len(doc) - 1])
    for tok in reversed([doc[i] for i in last]):
        if _is_cue(tok):
            _, speaker = _cue_speaker(ctx, para - 1, tok)
            return speaker
    return None


def _find_cue(tokens: list[Token], frame: list[Token]) -> Token | None:
    """The speech verb for a quote: an ancestor of the quote outside it, else one right beside it."""
    inside = {t.i for t in tokens}
    for tok in tokens:
        if tok.head.i in inside and tok.head is not tok:
            continue
        for anc in tok.ancestors:
            if anc.i not in inside and _is_cue(anc):
                return anc
    first, last = tokens[0].i, tokens[-1].i
    doc = tokens[0].doc
    before = first - 1
    while before >= 0 and (doc[before].is_quote or doc[before].is_space):
        before -= 1
    if before >= 0 and doc[before].text == ":":  # "Reel told the self-employed: “…”"
        led = [t for t in frame if _is_cue(t) and 0 < before - t.i <= 12]
        if led:
            return led[-1]
    near = [t for t in frame if _is_cue(t) and (0 < t.i - last <= 6 or 0 < first - t.i <= 4 or (
        0 < first - t.i <= 9 and not any(x.pos_ in {"VERB", "AUX"} for x in doc[t.i + 1:first])))]
    return min(near, key=lambda t: min(abs(t.i - last), abs(first - t.i))) if near else None


def _is_whole_sentence(frame: list[Token]) -> bool:
    """No words outside the marks in the quote's sentences: a floating quote."""
    return not any(not t.is_punct and not t.is_space for t in frame)


def _partial(frame: list[Token], tokens: list[Token], text: str) -> bool:
    """A fragment inside the writer's sentence (reported speech), or a one- or two-word scare quote."""
    if len(re.findall(r"\w+(?:[’']\w+)?", text)) <= 2:
        return True
    first = tokens[0].i
    before = [t for t in frame if t.i < first and not t.is_punct and not t.is_space]
    return text[:1].islower() or len(before) >= 3


def extract_quotes(ctx: DocContext, paragraphs: list[str]) -> list[LocalQuote]:
    quotes: list[LocalQuote] = []
    spans: list[QuoteSpan] = []
    lines = transcript_lines(paragraphs)
    for p, text in enumerate(paragraphs):
        line = lines[p]
        if line is not None:
            spans.append(QuoteSpan(p, line[2], len(text.rstrip()), label=(line[0], line[1])))
            continue
        for start, end, open_end, open_start in find_quote_spans(text):
            spans.append(QuoteSpan(p, start, end, open_end, open_start))
    last_speaker: str | None = None
    last_para = -2
    prev_open_end = False
    last_cue: tuple[int, int] | None = None  # (para, token) of the cue that named the last speaker
    for q in spans:
        doc = ctx.docs[q.para]
        tokens = _quote_tokens(doc, q)
        raw = paragraphs[q.para][q.start_char:q.end_char]
        text = raw.strip().rstrip(",").strip()
        if not tokens or not text or FRAME_ONLY_RE.match(text):
            continue
        inside = frozenset(t.i for t in tokens)
        frame = _frame(ctx, q.para, tokens)
        cue = None if _is_title(doc, tokens[0]) or q.label else _find_cue(tokens, frame)
        speaker: str | None = None
        description: str | None = None
        if q.label is not None:
            speaker = _label_speaker(ctx, q.para, q.label)  # "SMITH:" / "JANE SMITH, MAYOR, SAYING:"
        elif cue is not None:
            subj, speaker = _cue_speaker(ctx, q.para, cue, inside)
            if speaker is not None and subj is not None and subj.pos_ == "PRON" and \
                    _names_inside(ctx, q.para, tokens, speaker):
                speaker = None  # "he" resolved to someone the quote itself talks about: unsure
            elif speaker is None and subj is not None and subj.lower_ == "it" and last_speaker and \
                    ctx.kinds.get(last_speaker) == "organization" and q.para - last_para <= 1:
                speaker = last_speaker  # "…, it added": the organization quoted just before
            elif speaker is None and subj is not None and subj.lower_ == "it":
                speaker = _organization_before(ctx, q.para, subj)  # "The bank cut its forecast. “…,” it said."
            elif speaker is None and subj is not None:
                description = _description(ctx, q.para, subj, inside)
        elif (trailer := _dash_trailer(ctx, q.para, tokens)) is not None:
            speaker = trailer  # '“…” ― Ana Ruiz'
        elif (label := _label_lead(ctx, q.para, tokens)) is not None:
            speaker = label  # 'Ana Ruiz, on Twitter: “…”'
        elif q.start_char <= 1 and _is_whole_sentence(frame) and (lead := _colon_lead(ctx, q.para)):
            speaker = lead  # 'He said:' closing the previous paragraph
        elif (q.open_start or (prev_open_end and q.para == last_para + 1 and q.start_char <= 1)) and last_speaker:
            speaker = last_speaker  # a paragraph that continues an open quote
        elif last_speaker and last_cue is not None and last_cue[0] == q.para and \
                _continues(ctx, q.para, last_cue[1], tokens[0]):
            speaker = last_speaker  # the second half of '“…,” said Ames, an aide to Bo Lin. “…”'
        elif _is_whole_sentence(frame) and last_speaker and q.para - last_para <= 1 \
                and _last_person_before(ctx, q, tokens[0]) in {None, last_speaker}:
            speaker = last_speaker
        elif _is_whole_sentence(frame) and not WORD_CHAR.search(paragraphs[q.para][q.end_char:]) and \
                (reporter := _reported_speaker(ctx, q, tokens[0])) is not None:
            speaker = reporter  # 'Ames says the reef is dying. | “The ocean has absorbed …”'
        sent_idx = ctx.sent_idx(q.para, tokens[0])
        quotes.append(LocalQuote(text=text, speaker_key=speaker, speaker_description=description,
                                 sent_idx=sent_idx, partial=_partial(frame, tokens, text)))
        if cue is not None or speaker is not None:
            last_speaker, last_para = speaker, q.para
            last_cue = (q.para, cue.i) if cue is not None and speaker is not None else None
        prev_open_end = q.open_end
    return quotes


# Heads of a description that speaks for an institution: "the ministry", "a spokeswoman for the council".
INSTITUTION_HEADS = frozenset({
    "ministry", "department", "government", "agency", "company", "firm", "bank", "police", "court", "council",
    "committee", "commission", "office", "embassy", "army", "military", "campaign", "party", "union",
    "organisation", "organization", "board", "authority", "authorities", "administration", "regulator",
    "statement", "spokesman", "spokeswoman", "spokesperson", "representative", "newspaper", "daily", "network",
})


def _description(ctx: DocContext, para: int, subj: Token, inside: frozenset[int]) -> str | None:
    """A speaker who is described, not named, and speaks for an institution: 'the ministry said', 'a
    spokeswoman for the council said'. A pronoun, a description that names a person, one inside the quote,
    or one whose verb reports within another speaker's words ('Ames said the agency urged “…”') gives none."""
    if subj.pos_ not in {"NOUN", "PROPN"} or subj.i in inside or subj.lemma_.lower() not in INSTITUTION_HEADS:
        return None
    sentence = [subj.doc[i] for i in ctx.sentence_range(para, subj) if i not in inside]
    if any(_is_cue(a) for a in subj.head.ancestors) or any(
            _is_cue(t) and t is not subj.head and _cue_speaker(ctx, para, t, inside)[1] is not None for t in sentence):
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


def _label_speaker(ctx: DocContext, para: int, label: tuple[int, int]) -> str | None:
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


def _continues(ctx: DocContext, para: int, cue: int, first: Token) -> bool:
    """The quote opens right after the attribution of the previous one: in the cue's sentence or the next,
    with no other clause between (only the attribution's own words)."""
    doc = ctx.docs[para]
    if not cue < first.i:
        return False
    between = doc[cue + 1:first.i]
    return ctx.sent_of[para][first.i] - ctx.sent_of[para][cue] <= 1 and \
        not any(_is_cue(t) or (t.pos_ == "VERB" and t.dep_ == "ROOT") for t in between)


DASHES = {"―", "—", "–", "-", "--"}


def _dash_trailer(ctx: DocContext, para: int, tokens: list[Token]) -> str | None:
    """A name signed after the quote with a dash, ending the paragraph: '“…” ― Ana Ruiz.'"""
    doc = ctx.docs[para]
    i = tokens[-1].i + 1
    while i < len(doc) and (doc[i].is_quote or doc[i].is_space or doc[i].text in {",", "."}):
        i += 1
    if i >= len(doc) or doc[i].text.lstrip("”\"’'") not in DASHES:  # the tokenizer may glue ”― together
        return None
    i += 1
    while i < len(doc) and doc[i].is_space:
        i += 1
    m = ctx.mention_at(para, i)
    if m is None or m.start != i or ctx.kinds.get(m.key) not in SPEAKER_KINDS:
        return None
    rest = [t for t in doc[m.end:] if not t.is_punct and not t.is_space]
    nxt = doc[m.end] if m.end < len(doc) else None
    return m.key if not rest or nxt is None or nxt.text in {",", "."} or nxt.is_quote else None


SPEECH_NOUNS = frozenset({"reply", "response", "statement", "message", "answer", "tweet", "post", "words",
                          "comment", "comments", "remarks", "retort", "verdict", "view", "take", "advice"})


def _label_lead(ctx: DocContext, para: int, tokens: list[Token]) -> str | None:
    """A verbless lead-in closed by a colon, in the quote's sentence, that names one speaker:
    'Ana Ruiz, on Twitter: “…”', 'Ruiz's reply: “…”', 'Rival coach Ana Ruiz: “…”'."""
    doc = ctx.docs[para]
    i = tokens[0].i - 1
    while i >= 0 and (doc[i].is_quote or doc[i].is_space):
        i -= 1
    if i < 0 or doc[i].text != ":":
        return None
    start = ctx.sentence_range(para, doc[i]).start
    lead = doc[start:i]
    if not 0 < len(lead) <= 10 or any(t.pos_ in {"VERB", "AUX"} or t.is_quote for t in lead):
        return None
    keys = {m.key for t in lead if (m := ctx.mention_at(para, t.i)) is not None}
    if len(keys) != 1:
        return None
    key = keys.pop()
    if ctx.kinds.get(key) not in SPEAKER_KINDS:
        return None
    owner = next(t for t in lead if ctx.mention_at(para, t.i) is not None)
    m = ctx.mention_at(para, owner.i)
    after = doc[m.end] if m is not None and m.end < len(doc) else None
    if after is not None and after.text in {"'s", "’s", "'", "’"}:
        nxt = [t for t in doc[m.end + 1:i] if not t.is_punct]
        return key if nxt and nxt[-1].lower_ in SPEECH_NOUNS else None  # "Ruiz's son:" is not Ruiz
    return key


def _organization_before(ctx: DocContext, para: int, it: Token) -> str | None:
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


def _reported_speaker(ctx: DocContext, q: QuoteSpan, first: Token) -> str | None:
    """The person whose words the sentence just before a floating quote reports ('Ames says …'), when that
    person is also the last one named or referred to before the quote."""
    n = ctx.sent_idx(q.para, first) - 1
    if n < 0:
        return None
    para, start, end = ctx.sent_bounds[n]
    if para not in {q.para, q.para - 1}:
        return None
    doc = ctx.docs[para]
    quoted = {t.i for a, b, _, _ in find_quote_spans(doc.text) for t in doc if a <= t.idx < b}
    speakers = {_cue_speaker(ctx, para, t)[1] for t in doc[start:end] if _is_cue(t) and t.i not in quoted} - {None}
    if not speakers and q.start_char <= 1 and para == q.para - 1:  # 'Ames runs the gym. | “…”': the subject
        root = next((t for t in doc[start:end] if t.dep_ == "ROOT"), None)
        speakers = {ctx.entity_of(para, c) for c in root.children if c.dep_ == "nsubj"} - {None} if root else set()
    if len(speakers) != 1:
        return None
    key = speakers.pop()
    return key if ctx.kinds.get(key) == "person" and _last_person_before(ctx, q, first) == key else None


def _last_person_before(ctx: DocContext, q: QuoteSpan, first: Token) -> str | None:
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


# --- pipeline component (assembled in corpus/nlp.py) -----------------------------------------------


@Language.component("briefbot_quotes")
def quotes_component(doc: Doc) -> Doc:
    """The article's direct quotes with their speakers (Doc._.quotes)."""
    doc._.quotes = extract_quotes(context(doc), article_of(doc).body)
    return doc
