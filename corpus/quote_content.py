"""Quote content: the quotation marks of a paragraph and the passages between them (straight and curly double
marks, two apostrophes, ‘single curly’ quotes outside double ones; a quote inside a quote stays part of it;
markup attributes, inch marks and stage directions are left out), the tokens of a quote, and whether it is a
name (a show, a book, a nickname), a signed quote, a whole sentence, or a fragment of the writer's sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Token

from corpus.extraction import DocContext

OPENERS = {"“", '"', "«", "„"}
CLOSERS = {"”", '"', "»", "“"}
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


FEET_RE = re.compile(r"\d['’]\d{1,2}$")  # 6'3" or 5’11”: feet and inches, no quotation mark
TAG_RE = re.compile(r"<[^<>\n]*>")  # markup such as <tweet author="…">: its attribute quotes are no speech
WORD_CHAR = re.compile(r"\w")


MARK_RE = re.compile("''(?!')|[" + re.escape("".join(sorted(OPENERS | CLOSERS))) + "]")


def _marks(text: str) -> list[tuple[int, int, str]]:
    """(position, length, mark) of the double quotation marks of a paragraph; two apostrophes ('') are one
    straight double mark, as some feeds write them. Marks inside markup tags and inch marks are left out."""
    tags = [(m.start(), m.end()) for m in TAG_RE.finditer(text)] if "<" in text else []
    return [(m.start(), len(m.group()), '"' if m.group() == "''" else m.group()) for m in MARK_RE.finditer(text)
            if not any(a <= m.start() < b for a, b in tags) and not _inches(text, m.start())]


def _inches(text: str, i: int) -> bool:
    """Whether the mark at i closes a height in feet and inches (6'3", 5’9”)."""
    return i > 2 and text[i - 1].isdigit() and text[i] != "'" and FEET_RE.search(text, max(0, i - 5), i) is not None


CURLY = {"“", "”", "«", "»", "„"}
STAGE_RE = re.compile(r"\s*(?:\([^()]*\)|\[[^\[\]]*\])[\s.,]*$")  # '"(CROSSTALK)', '“[inaudible]”': no words said


def _opens(text: str, i: int, size: int, ch: str) -> bool:
    """Whether a mark stands where a quote opens: before a word, after a space, a bracket, a dash or a colon."""
    prev = text[i - 1] if i else " "
    nxt = text[i + size] if i + size < len(text) else " "
    if nxt.isspace():
        return False
    return ch in "«„" or (ch in {'"', "“"} and (prev.isspace() or prev in "([{—–-/:" or i == 0))


def _nested(text: str, marks: list[tuple[int, int, str]], k: int, outer: str) -> int:
    """How many marks a quote inside the open quote takes up from marks[k] ('“… “x” …”', '"… “x” …"'): its
    opening and closing pair, and any further pairs, when a closing mark of the outer quote's kind follows them;
    0 when the mark at k opens no inner quote."""
    j = k
    while j + 1 < len(marks) and _opens(text, *marks[j]) and not _opens(text, *marks[j + 1]):
        j += 2
        if j < len(marks) and not _opens(text, *marks[j]) and (marks[j][2] in CURLY) == (outer in CURLY):
            return j - k
    return 0


def find_quote_spans(text: str) -> list[tuple[int, int, bool, bool]]:
    """(start, end, open_end, open_start) character ranges of the quoted passages in one paragraph: double
    marks first (a quote inside a quote stays part of it), then ‘single curly’ quotes outside them."""
    spans: list[tuple[int, int, bool, bool]] = []
    open_at: int | None = None
    outer = ""
    marks = _marks(text)
    k = 0
    while k < len(marks):
        i, size, ch = marks[k]
        k += 1
        if open_at is not None and _opens(text, i, size, ch) and (inner := _nested(text, marks, k - 1, outer)):
            k += inner - 1  # '“They chanted “Lock her up” all night,” she said': one quote
            continue
        if ch == '"':
            is_open = open_at is None and _opens(text, i, size, ch)
        elif ch == "“" and open_at is not None and _opens(text, i, size, ch):
            spans.append((open_at, i, True, False))  # a stray “ while open: a new opening closes the previous quote
            open_at = i + 1
            continue
        else:
            is_open = ch in OPENERS and open_at is None
        if is_open:
            open_at, outer = i + size, ch
        elif open_at is not None:
            spans.append((open_at, i, False, False))
            open_at = None
        elif not spans and ch in {"”", '"'} and i > 0:
            spans.append((0, i, False, True))  # a paragraph that continues a quote without reopening it
    if open_at is not None:
        spans.append((open_at, len(text), True, False))
    spans = [s for s in spans if WORD_CHAR.search(text[s[0]:s[1]]) and not STAGE_RE.match(text[s[0]:s[1]])]
    return sorted(spans + _single_quotes(text, spans))


TITLE_SMALL_WORDS = {"a", "an", "the", "and", "or", "nor", "but", "of", "in", "on", "at", "to", "for", "with", "by",
                     "from", "as", "vs"}
# after one of these words a quoted name in capitals is the work's title: 'the memoir, “A Long Way Home”'
WORK_NOUNS = frozenset(
    w for line in (Path(__file__).parent / "data" / "work_nouns.txt").read_text(encoding="utf-8").splitlines()
    if (w := line.split("#", 1)[0].strip())
)
POSSESSIVE_RE = re.compile(r"\w['’]s\s*$")
LAST_WORD_RE = re.compile(r"([\w-]+)[\s,:]*$")
NICKNAME_BEFORE_RE = re.compile(r"(?:^|\s)[A-Z][\w.'’-]*\s$")  # 'Juan ' before 'Juan “Chico” Ruiz'
NICKNAME_AFTER_RE = re.compile(r"\s[A-Z]")
LOWER_WORD_RE = re.compile(r"(?:^|\s)[a-z]")


def named_title(text: str, start: int, end: int) -> bool:
    """A name in marks, not speech: a title in capitals after a possessive ('MSNBC's “Morning Joe”', 'the
    author's “The Long Road Home”'), after 'on' ('said on “Good Evening Harbour”'), after the kind of work
    ('her memoir, “A Long Way Home”') or after 'of' unless chanted ('an episode of “…”', not 'chants of “Go!”'),
    or a nickname inside a name in a sentence ('Juan “Chico” Ruiz'). Its marks still keep a speaker from being
    read inside it."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text[start:end])
    if not words or len(words) > 14 or not words[0][0].isupper() or \
            not all(w[0].isupper() or w in TITLE_SMALL_WORDS for w in words):
        return False
    before = text[max(0, start - 80):start].rstrip("\"“«„'‘")  # the words just before the marks
    last = LAST_WORD_RE.search(before)
    lead = last.group(0).rstrip() if last is not None else ""  # the word before, if no comma follows it
    if POSSESSIVE_RE.search(before) or (last is not None and last.group(1).lower() in WORK_NOUNS) or \
            lead == "on" or (lead == "of" and not re.search(r"[!?]", text[start:end])):
        return True
    after = text[end:].lstrip("\"”»'’")
    return len(words) <= 3 and all(w[0].isupper() for w in words) and not re.search(r"\W$", text[start:end]) \
        and NICKNAME_BEFORE_RE.search(before) is not None and NICKNAME_AFTER_RE.match(after) is not None \
        and len(LOWER_WORD_RE.findall(text[:start] + " " + after)) >= 3


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


def quote_tokens(doc: Doc, q: QuoteSpan) -> list[Token]:
    span = doc.char_span(q.start_char, q.end_char, alignment_mode="expand")
    if span is None:
        return []
    return [t for t in span if q.start_char <= t.idx < q.end_char]


TITLE_CUES = {"named", "titled", "entitled", "called", "dubbed", "on", "in", "at", "from", "of"}
TERM_NOUNS = {"word", "phrase", "term", "expression", "slogan", "label", "hashtag", "catchphrase"}


def is_title(doc: Doc, first: Token) -> bool:
    """A quoted name, title or term, not speech: 'a robot named "…"', 'says on "The … Countdown"', 'refused
    to use the words "…"'."""
    i = first.i - 1
    while i >= 0 and (doc[i].is_quote or doc[i].is_space):
        i -= 1
    return i >= 0 and ((doc[i].lower_ in TITLE_CUES and (doc[i].pos_ == "ADP" or doc[i].tag_ == "VBN")) or
                       doc[i].lemma_.lower() in TERM_NOUNS)


SIGNATURE_RE = re.compile(r"^[\s,.”\"’']*(?:―|—|–|--?)\s*[^\W\d_]")


def signed(after: str) -> bool:
    """A dash and a name after the closing mark ('“…” ― Ana Ruiz'): the quote is signed, so it continues no
    earlier speaker's words even when the name is not known."""
    return SIGNATURE_RE.match(after) is not None


def is_whole_sentence(frame: list[Token]) -> bool:
    """No words outside the marks in the quote's sentences: a floating quote."""
    return not any(not t.is_punct and not t.is_space for t in frame)


def partial(frame: list[Token], tokens: list[Token], text: str) -> bool:
    """A fragment inside the writer's sentence (reported speech), or a one- or two-word scare quote."""
    if len(re.findall(r"\w+(?:[’']\w+)?", text)) <= 2:
        return True
    first = tokens[0].i
    before = [t for t in frame if t.i < first and not t.is_punct and not t.is_space]
    return text[:1].islower() or len(before) >= 3


def quoted_ranges(ctx: DocContext, para: int) -> list[tuple[int, int]]:
    """The character ranges of a paragraph's quotes (found once per paragraph, kept on the context)."""
    if para not in ctx.quoted:
        ctx.quoted[para] = [(a, b) for a, b, _, _ in find_quote_spans(ctx.para_texts[para])]
    return ctx.quoted[para]
