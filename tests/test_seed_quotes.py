"""Every quotation in the seeds with its speaker, checked by hand: a regression guard for attribution.

A wrong speaker is the worst error briefbot can make, so this table is exact: each quote's opening words,
its speaker (None = speaker unknown, which is right where the text names no one or is ambiguous) and
whether it is partial. Changing a row needs a reason in the commit message.
"""

from __future__ import annotations

EXPECTED = [
    ('000', 'That work begins with carrying out justi', 'Mike Pompeo', False),
    ('000', 'Coalition members must take back the tho', 'Mike Pompeo', False),
    ('000', 'Ask them if there’s a deficit of America', 'Mike Pompeo', False),
    ('000', 'is outpacing the ability of regional gov', 'Mike Pompeo', True),
    ('000', 'The fight against ISIS is a long-term te', 'Mike Pompeo', False),
    ('000', 'We know where we stand. Let’s work toget', 'Mike Pompeo', False),
    ('001', 'irresponsible.', 'Washington', True),
    ('001', 'Coalition members must take back the tho', 'Mike Pompeo', False),
    ('001', 'there is, candidly, a difference of opin', 'Nathan Sales', True),
    ('001', "The U.S. thinks that it's inappropriate ", 'Nathan Sales', False),
    ('001', 'is outpacing the ability of regional gov', 'Mike Pompeo', True),
    ('001', 'remains fragile and difficult.', 'Jens Stoltenberg', True),
    ('001', 'But at the same time, we agreed on the n', 'Jens Stoltenberg', False),
    ('002', 'Our fight against ISIS continues, and it', 'Mike Pompeo', False),
    ('002', 'We must continue to root out ISIS cells ', 'Mike Pompeo', False),
    ('002', 'They’ve made incremental, localized impr', None, False),
    ('002', 'spread like cancer', None, True),
    ('002', 'threatening to undo years of global effo', 'Abdullah II', True),
    ('002', 'military backbone', 'Mike Pompeo', True),
    ('002', 'Each of us needs to keep fighting, all o', 'Mike Pompeo', False),
    ('002', 'We are counting on this coalition to fun', 'Mike Pompeo', False),
    ('002', 'States must get on the front foot and ge', 'Edmund Fitton-Brown', False),
    ('002', "They're going to become increasingly des", 'Edmund Fitton-Brown', False),
    ('003', 'repatriate, rehabilitate, and where appl', 'Antony Blinken', True),
    ('003', 'untenable', 'Antony Blinken', True),
    ('003', 'It just can’t persist indefinitely', 'Antony Blinken', False),
    ('003', 'release', None, True),
    ('003', 'one of the few Western European countrie', 'Antony Blinken', True),
    ('003', 'undermining its brand', None, True),
    ('003', 'sharing positive alternative narratives', None, True),
    ('003', 'We are seeing fighters of 13 and 14 year', 'Antony Blinken', False),
    ('003', 'the movement of foreign fighters into Sy', 'Antony Blinken', True),
    ('003', 'significant achievements', 'Antony Blinken', True),
    ('003', 'We’ve made great progress because we’ve ', 'Antony Blinken', False),
    ('004', 'No one should expect the United States o', 'Nathan Sales', False),
    ('004', 'Our view is that it is not a feasible op', 'Nathan Sales', False),
    ('004', 'It’s Syria – we all know that things can', 'Nathan Sales', False),
    ('004', 'should be brought to justice as close (a', 'Jean-Yves Le Drian', True),
]


def test_every_seed_quote_and_its_speaker(seed_export: dict) -> None:
    got = [(q["doc_id"][:3], q["text"][:40], q["speaker"], q["partial"]) for q in seed_export["quotes"]]
    assert got == EXPECTED


def test_quote_ids_cite_their_document(seed_export: dict) -> None:
    docs = {d["id"] for d in seed_export["documents"]}
    for q in seed_export["quotes"]:
        assert q["doc_id"] in docs and q["id"].startswith(q["doc_id"] + ":q")
