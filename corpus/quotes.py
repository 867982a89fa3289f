"""Direct quotations and their speakers, as small resolvers (after Citron and the Gender Gap Tracker), one
module each: content (corpus.quote_content), cue (corpus.quote_cue), source (corpus.quote_source), and
coreference (corpus.coref, run before this):

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

from spacy.language import Language
from spacy.tokens import Doc

from corpus.extraction import DocContext, LocalQuote, article_of, context
from corpus.quote_content import (
    FRAME_ONLY_RE,
    WORD_CHAR,
    QuoteSpan,
    find_quote_spans,
    is_title,
    is_whole_sentence,
    named_title,
    partial,
    quote_tokens,
    signed,
)
from corpus.quote_cue import continues, find_cue, quote_frame, transcript_line, transcript_lines
from corpus.quote_source import (
    colon_lead,
    colon_subject,
    cue_speaker,
    dash_signature,
    dash_trailer,
    described_speaker,
    label_lead,
    label_speaker,
    lead_signature,
    lede_speaker,
    names_inside,
    organization_before,
    people_between,
    reported_speaker,
    written_name,
)

__all__ = ["extract_quotes", "find_quote_spans", "transcript_line"]

WORD_RE = re.compile(r"\w+")


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
    last_written: str | None = None  # how the attribution of the last speaker writes it ("WFO"), when it differs
    last_para = -2
    last_end = (0, 0)  # (para, token) where the last attributed quote ends
    prev_open_end = False
    last_cue: tuple[int, int] | None = None  # (para, token) of the cue that named the last speaker
    open_unknown: tuple[int, LocalQuote] | None = None  # a quote left open at its paragraph's end, speaker unknown
    headline: list[LocalQuote] = []  # the first paragraph's quotes (a headline's), speaker unknown
    for q in spans:
        doc = ctx.docs[q.para]
        tokens = quote_tokens(doc, q)
        raw = paragraphs[q.para][q.start_char:q.end_char]
        text = raw.strip().rstrip(",").strip()
        if not tokens or not text or FRAME_ONLY_RE.match(text) or \
                named_title(paragraphs[q.para], q.start_char, q.end_char):
            continue  # '… on MSNBC's “Morning Joe”' names a show
        inside = frozenset(t.i for t in tokens)
        frame = quote_frame(ctx, q.para, tokens)
        cue = None if is_title(doc, tokens[0]) or q.label else find_cue(tokens, frame)
        speaker: str | None = None
        description: str | None = None
        written: str | None = None
        if q.label is not None:
            speaker = label_speaker(ctx, q.para, q.label)  # "SMITH:" / "JANE SMITH, MAYOR, SAYING:"
        elif cue is not None:
            subj, speaker = cue_speaker(ctx, q.para, cue, inside)
            written = written_name(ctx, q.para, subj, speaker) if subj is not None and speaker else None
            if speaker is not None and subj is not None and subj.pos_ == "PRON" and \
                    names_inside(ctx, q.para, tokens, speaker):
                speaker = None  # "he" resolved to someone the quote itself talks about: unsure
            elif speaker is None and subj is not None and subj.lower_ == "it" and last_speaker and \
                    ctx.kinds.get(last_speaker) == "organization" and q.para - last_para <= 1:
                speaker, written = last_speaker, last_written  # "…, it added": the organization quoted before
            elif speaker is None and subj is not None and subj.lower_ == "it":
                speaker = organization_before(ctx, q.para, subj)  # "The bank cut its forecast. “…,” it said."
            elif speaker is None and subj is not None and subj.pos_ == "PRON" and \
                    (lead := colon_subject(ctx, q.para, tokens)) is not None:
                speaker = lead  # 'Ana Ruiz rebuked him: “…,” she said.'
            elif speaker is None and subj is not None:
                description = described_speaker(ctx, q.para, subj, inside)
        elif (trailer := dash_trailer(ctx, q.para, tokens)) is not None:
            speaker = trailer  # '“…” ― Ana Ruiz'
        elif (signature := dash_signature(ctx, q.para, tokens)) is not None:
            description = signature  # '“…” ― Ana N Ruiz', untagged
        elif (label := label_lead(ctx, q.para, tokens)) is not None:
            speaker = label  # 'Ana Ruiz, on Twitter: “…”'
        elif (signature := lead_signature(ctx, q.para, tokens)) is not None:
            description = signature  # 'COUNTS CAME LATE - Ana Ruiz: “…”', untagged
        elif q.start_char <= 1 and (is_whole_sentence(frame) or q.open_end) and (lead := colon_lead(ctx, q.para)):
            speaker = lead  # 'He said:' closing the previous paragraph
        elif (q.open_start or (prev_open_end and q.para == last_para + 1 and q.start_char <= 1)) and last_speaker:
            speaker, written = last_speaker, last_written  # a paragraph that continues an open quote
        elif last_speaker and last_cue is not None and last_cue[0] == q.para and \
                continues(ctx, q.para, last_cue[1], tokens[0], is_whole_sentence(frame)):
            speaker, written = last_speaker, last_written  # the second half of '“…,” said Ames, an aide to Bo Lin. “…”'
        elif is_whole_sentence(frame) and last_speaker and q.para - last_para <= 1 \
                and not signed(paragraphs[q.para][q.end_char:]) \
                and people_between(ctx, last_end, (q.para, tokens[0].i)) <= {last_speaker}:
            speaker, written = last_speaker, last_written
        elif is_whole_sentence(frame) and not WORD_CHAR.search(paragraphs[q.para][q.end_char:]) and \
                (reporter := reported_speaker(ctx, q, tokens[0])) is not None:
            speaker = reporter  # 'Ames says the reef is dying. | “The ocean has absorbed …”'
        elif q.start_char <= 1 and is_whole_sentence(frame) and not WORD_CHAR.search(paragraphs[q.para][q.end_char:]) \
                and (lede := lede_speaker(ctx, q.para)) is not None:
            speaker = lede  # '“…” | Ana Ruiz works for a law firm.'
        sent_idx = ctx.sent_idx(q.para, tokens[0])
        if open_unknown is not None and cue is not None and speaker is not None and \
                q.para == open_unknown[0] + 1 and q.start_char <= 1:
            open_unknown[1].speaker_key = speaker  # '“… | “…,” said Ames.': the quote runs on to its attribution
        quote = LocalQuote(text=text, speaker_key=speaker, speaker_description=written if speaker else description,
                           sent_idx=sent_idx, partial=partial(frame, tokens, text))
        quotes.append(quote)
        open_unknown = (q.para, quote) if q.open_end and speaker is None and description is None and \
            not any(ctx.kinds.get(ctx.entity_of(q.para, t) or "") == "person" for t in tokens) else None
        if q.para == 0 and speaker is None and description is None:
            headline.append(quote)
        if cue is not None or speaker is not None:
            last_speaker, last_written, last_para, last_end = speaker, written, q.para, (q.para, tokens[-1].i)
            last_cue = (q.para, cue.i) if cue is not None and speaker is not None else None
        prev_open_end = q.open_end
    for quote in headline:  # 'Ruiz Slams Bank: ‘You Should Resign’' | '… “You should resign,” Ruiz said.'
        quote.speaker_key = _repeated_by(quote, quotes)
    return quotes


def _repeated_by(quote: LocalQuote, quotes: list[LocalQuote]) -> str | None:
    """The one speaker of the body's quotes that repeat a headline's quote of four or more words (a shorter one
    is a catchphrase that anyone may say: ‘family values’)."""
    words = WORD_RE.findall(quote.text.lower())
    if len(words) < 4:
        return None
    keys = {x.speaker_key for x in quotes if x is not quote and x.speaker_key and
            f" {' '.join(words)} " in f" {' '.join(WORD_RE.findall(x.text.lower()))} "}
    return keys.pop() if len(keys) == 1 else None


# --- pipeline component (assembled in corpus/nlp.py) -----------------------------------------------


@Language.component("briefbot_quotes")
def quotes_component(doc: Doc) -> Doc:
    """The article's direct quotes with their speakers (Doc._.quotes)."""
    doc._.quotes = extract_quotes(context(doc), article_of(doc).body)
    return doc
