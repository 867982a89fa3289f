"""A small hand-made index (made-up names) for fast handler and resolver tests: no spaCy, no seeds."""

from __future__ import annotations

from pathlib import Path

from corpus.models import (
    DateRow,
    DocumentRow,
    EntityOut,
    FigureGroupOut,
    FigureRow,
    IndexData,
    MentionRow,
    QuoteRow,
    Role,
    SentenceRow,
)
from corpus.store import create_index, write_index

DOCS = {
    "d1": ("2021-03-01", "Talks open on Valdoria relief", "Harbour Post", "2021-03-01T09:00:00+00:00", [
        "Foreign Minister Ada Okafor opened talks with the Northern Relief Agency on Monday.",
        "“We will not leave anyone behind,” Okafor said.",
        "The agency said some 30 countries attended and that 12,000 refugees remain in camps.",
        "Lena Marsh, the agency's director, said funding of $436 million was pledged.",
    ]),
    "d2": ("2021-03-03", "Relief talks stall", "Coastal Times", "2021-03-03T09:00:00+00:00", [
        "Ada Okafor, the chief negotiator, warned that the talks could stall.",
        "“There is, candidly, a difference of opinion,” Okafor told reporters on Wednesday.",
        "More than 30 countries sent delegates, and 12,000 refugees still wait, officials said.",
        "Tom Marsh of the Coastal League said two-thirds of the refugees are children.",
    ]),
    "d3": (None, "League statement", None, "2021-03-10T09:00:00+00:00", [
        "The Coastal League, also known as the CL, said 31 countries joined the appeal.",
        "“The appeal is working,” Tom Marsh said.",
        "Pieter van der Berg said Valdorians in the north need water.",
    ]),
}

ENTITIES = [
    ("person:ada-okafor", "Ada Okafor", "person", ["Okafor", "Okafor's"],
     [("Foreign Minister", ["d1"]), ("the chief negotiator", ["d2"])], 5),
    ("person:lena-marsh", "Lena Marsh", "person", ["Marsh"], [("the agency's director", ["d1"])], 1),
    ("person:tom-marsh", "Tom Marsh", "person", ["Marsh"], [], 2),
    ("person:pieter-van-der-berg", "Pieter van der Berg", "person", ["van der Berg"], [], 1),
    ("person:mira-sales", "Mira Sales", "person", ["Sales", "Sales'"], [], 1),
    ("organization:northern-relief-agency", "Northern Relief Agency", "organization", ["NRA", "the agency"], [], 2),
    ("organization:coastal-league", "Coastal League", "organization", ["CL", "the League"], [], 2),
    ("place:valdoria", "Valdoria", "place", [], [], 1),
    ("group:valdorians", "Valdorians", "group", ["Valdorian"], [], 1),
]

# (entity, doc, sentence)
MENTIONS = [
    ("person:ada-okafor", "d1", 0), ("person:ada-okafor", "d1", 1), ("person:ada-okafor", "d2", 0),
    ("person:ada-okafor", "d2", 1), ("organization:northern-relief-agency", "d1", 0),
    ("organization:northern-relief-agency", "d1", 2), ("person:lena-marsh", "d1", 3),
    ("person:tom-marsh", "d2", 3), ("organization:coastal-league", "d2", 3), ("organization:coastal-league", "d3", 0),
    ("person:tom-marsh", "d3", 1), ("person:pieter-van-der-berg", "d3", 2), ("group:valdorians", "d3", 2),
    ("place:valdoria", "d1", 0), ("person:ada-okafor", "d1", 2),
]

QUOTES = [
    ("q1", "d1", 1, "We will not leave anyone behind", "person:ada-okafor", False),
    ("q2", "d2", 1, "There is, candidly, a difference of opinion", "person:ada-okafor", False),
    ("q3", "d3", 1, "The appeal is working", "person:tom-marsh", False),
    ("q4", "d2", 2, "officials", None, True),
]

# (id, doc, sentence, value, unit, qualifier, subject, text, group)
FIGURES = [
    ("f1", "d1", 2, 30.0, None, "some", "countries", "some 30", "g30a"),
    ("f2", "d2", 2, 30.0, None, "more than", "countries", "More than 30", "g30b"),
    ("f3", "d3", 0, 31.0, None, None, "countries", "31", "g31"),
    ("f4", "d1", 2, 12000.0, None, None, "refugees in camps", "12,000", "g12k"),
    ("f5", "d2", 2, 12000.0, None, None, "refugees", "12,000", "g12k"),
    ("f6", "d1", 3, 436e6, "USD", None, "funding", "$436 million", "g436"),
    ("f7", "d2", 3, 0.667, None, None, "refugees are children", "two-thirds", "g23"),
]
GROUPS = [
    ("g30a", 30.0, None, "countries", ["d1"], ["g30b", "g31"]),
    ("g30b", 30.0, None, "countries", ["d2"], ["g30a", "g31"]),
    ("g31", 31.0, None, "countries", ["d3"], ["g30a", "g30b"]),
    ("g12k", 12000.0, None, "refugees in camps", ["d1", "d2"], []),
    ("g436", 436e6, "USD", "funding", ["d1"], []),
    ("g23", 0.667, None, "refugees who are children", ["d2"], []),
]

DATES = [("d1", 0, "Monday", "2021-03-01"), ("d2", 1, "Wednesday", "2021-03-03"), ("d3", 0, "last year", "2020")]


def index_data() -> IndexData:
    entity_docs: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    for eid, doc, _ in MENTIONS:
        entity_docs.setdefault(eid, [])
        if doc not in entity_docs[eid]:
            entity_docs[eid].append(doc)
        counts[eid] = counts.get(eid, 0) + 1
    return IndexData(
        documents=[
            DocumentRow(id=d, title=t, date=date, date_source="header" if date else "unknown", outlet=o,
                        path=f"{d}.txt", sha256=d * 8)
            for d, (date, t, o, _, _) in DOCS.items()
        ],
        sentences=[
            SentenceRow(doc_id=d, idx=i, para=i, text=text)
            for d, (*_, sents) in DOCS.items() for i, text in enumerate(sents)
        ],
        entities=[
            EntityOut(id=eid, name=name, kind=kind, aliases=[name, *aliases],
                      roles=[Role(text=t, doc_ids=ds) for t, ds in roles], doc_ids=entity_docs.get(eid, []),
                      mention_count=counts.get(eid, 0))
            for eid, name, kind, aliases, roles, _ in ENTITIES
        ],
        mentions=[MentionRow(entity_id=e, doc_id=d, sent_idx=i, surface="") for e, d, i in MENTIONS],
        quotes=[QuoteRow(id=q, doc_id=d, sent_idx=i, text=t, speaker_id=s, partial=p) for q, d, i, t, s, p in QUOTES],
        figures=[
            FigureRow(id=f, doc_id=d, sent_idx=i, value=v, unit=u, qualifier=q, subject=s, text=t,
                      sentence=DOCS[d][4][i], group_id=g)
            for f, d, i, v, u, q, s, t, g in FIGURES
        ],
        figure_groups=[
            FigureGroupOut(id=g, value=v, unit=u, subject=s, doc_ids=ds, conflicts_with=c)
            for g, v, u, s, ds, c in GROUPS
        ],
        dates=[DateRow(doc_id=d, sent_idx=i, text=t, iso=iso) for d, i, t, iso in DATES],
    )


def build_mini_index(path: Path) -> Path:
    """Write the mini index to `path` (documents added at the times in DOCS)."""
    conn = create_index(path)
    cache = [(d, d * 8, f"{d}.txt", "{}", added) for d, (_, _, _, added, _) in DOCS.items()]
    write_index(conn, index_data(), cache)
    conn.close()
    return path
