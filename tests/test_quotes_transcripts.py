"""Transcripts and broadcast scripts: the label gives the speaker of the line (made-up text)."""

from __future__ import annotations

from corpus.quotes import transcript_line


def speaker_of(ex, fragment):  # type: ignore[no-untyped-def]
    names = {e.key: e.name for e in ex.entities}
    [q] = [q for q in ex.quotes if fragment in q.text]
    return names.get(q.speaker_key) if q.speaker_key else None


def test_transcript_labels() -> None:
    text = "(SOUNDBITE OF ARCHIVED RECORDING) WANDA PIKE, HARBOUR MASTER, SAYING: The ships are late again."
    start, end, speech = transcript_line(text)  # type: ignore[misc]
    assert text[start:end] == "WANDA PIKE, HARBOUR MASTER" and text[speech:] == "The ships are late again."
    assert transcript_line("The plan: it works for everyone.") is None
    assert transcript_line("Q: Where were you on that night?") is None


def test_speaker_labels_in_a_transcript(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Interview transcript\n\n"
                 "Presenter Gus Lindqvist spoke to harbour master Wanda Pike on Tuesday about the late ships.\n\n"
                 "LINDQVIST: Why are the ships late again this week, and who is going to pay for it?\n\n"
                 "PIKE: The cranes broke down twice and we are waiting for parts from the makers.")
    assert speaker_of(ex, "Why are the ships late") == "Gus Lindqvist"
    assert speaker_of(ex, "cranes broke down") == "Wanda Pike"


def test_a_single_capitalised_lead_is_no_transcript(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Port news\n\nDOVER: The harbour reopened on Monday after the storm, officials said.")
    assert ex.quotes == []


def test_plural_group_speaks_but_a_single_member_is_anonymous(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Poll shows shift\n\n"
                 '"We have never been this unsure about a race," a New Hampshire Republican said.')
    [q] = ex.quotes
    assert q.speaker_key is None
