"""GUM news: named people, organizations and places, name level per document, against GUM's gold entities.

The tables of docs/ACCURACY.md's GUM section: briefbot's index beside the model alone, scored the same way.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from corpus.models import IndexExport

KINDS = ("person", "organization", "place")
TOP = 15


def fold(name: str) -> str:
    """A name for comparison: accents, case, possessive 's, periods and apostrophes, other punctuation
    (→ space) and a leading "the" dropped — "the U.S.", "US" and "U.S.'s" all fold to "us"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’]s$", "", text.strip())
    text = re.sub(r"[.'’`]", "", text)
    text = re.sub(r"[\W_]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


@dataclass
class Item:
    """One named entity of one document, as gold or as predicted: its kind, shown name and folded names."""

    kind: str
    name: str
    keys: set[str] = field(default_factory=set)

    def matches(self, other: Item) -> bool:
        return bool(self.keys & other.keys)


def _merge(items: list[Item]) -> list[Item]:
    """Items of one document merged when kind and folded name agree (name level: two gold chains both called
    "Texas" are one name to find)."""
    merged: dict[tuple[str, str], Item] = {}
    for item in items:
        key = (item.kind, fold(item.name))
        if key in merged:
            merged[key].keys |= item.keys
        else:
            merged[key] = item
    return list(merged.values())


def identity_name(identity: str) -> str:
    """A Wikipedia title as a name: "Kim_Min%2Dwoo_%28footballer%29" → "Kim Min-woo"."""
    return re.sub(r"\s*\([^)]*\)$", "", unquote(identity).replace("_", " "))


def load_gold(path: Path, *, with_identity: bool = False) -> dict[str, list[Item]]:
    """doc id → the gold named people, organizations and places of that document; with `with_identity`, an
    entity's Wikipedia title (when GUM links one) is one more of its names."""
    gold = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for doc_id, doc in gold.items():
        items = []
        for e in doc["entities"]:
            if e["kind"] not in KINDS:
                continue
            names = [e["name"], *e["surface_forms"]]
            if with_identity and e.get("identity"):
                names.append(identity_name(e["identity"]))
            items.append(Item(e["kind"], e["name"], {k for k in map(fold, names) if k}))
        out[doc_id] = _merge(items)
    return out


def mention_surfaces(index: Path) -> dict[tuple[str, str], set[str]]:
    """(entity id, doc id) → the capitalised surface forms of the entity's mentions in that document (names,
    not pronouns), read from the index file."""
    surfaces: dict[tuple[str, str], set[str]] = defaultdict(set)
    conn = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    try:
        for entity_id, doc_id, surface in conn.execute("SELECT DISTINCT entity_id, doc_id, surface FROM mentions"):
            if any(c.isupper() or c.isdigit() for c in surface):
                surfaces[(entity_id, doc_id)].add(surface)
    finally:
        conn.close()
    return surfaces


def load_predicted(export: IndexExport, surfaces: dict[tuple[str, str], set[str]] | None = None,
                   ) -> tuple[dict[str, list[Item]], dict[str, list[Item]]]:
    """doc id → the export's person/organization/place entities in that document, and doc id → its `group`
    entities (not scored). An entity's names are its name, its aliases and the surface forms of its mentions in
    that document (`surfaces`)."""
    scored: dict[str, list[Item]] = defaultdict(list)
    groups: dict[str, list[Item]] = defaultdict(list)
    for e in export.entities:
        for doc_id in e.doc_ids:
            names = [e.name, *e.aliases, *(surfaces or {}).get((e.id, doc_id), ())]
            item = Item(e.kind, e.name, {k for k in map(fold, names) if k})
            (groups if e.kind == "group" else scored)[doc_id].append(item)
    return {d: _merge(v) for d, v in scored.items()}, groups


@dataclass
class Counts:
    """Precision counts predicted items that match; recall counts gold items that are matched."""

    predicted: int = 0
    predicted_ok: int = 0
    gold: int = 0
    gold_found: int = 0

    def add(self, other: Counts) -> None:
        self.predicted += other.predicted
        self.predicted_ok += other.predicted_ok
        self.gold += other.gold
        self.gold_found += other.gold_found

    @property
    def precision(self) -> float:
        return self.predicted_ok / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.gold_found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _count(pred: list[Item], gold: list[Item]) -> Counts:
    return Counts(predicted=len(pred), predicted_ok=sum(any(p.matches(g) for g in gold) for p in pred),
                  gold=len(gold), gold_found=sum(any(p.matches(g) for p in pred) for g in gold))


@dataclass
class Scores:
    by_kind: dict[str, Counts]
    overall: Counts
    any_kind: Counts
    per_doc: dict[str, tuple[Counts, Counts, int]]  # doc → (same kind, any kind, groups)
    wrong_kind: Counter[tuple[str, str, str]]  # (our name, our kind, gold kind)
    spurious: Counter[tuple[str, str]]  # (our name, our kind)
    missing: Counter[tuple[str, str]]  # (gold name, gold kind)
    groups: int
    gold_only_as_group: int


def score(gold: dict[str, list[Item]], predicted: dict[str, list[Item]], groups: dict[str, list[Item]]) -> Scores:
    """Name-level scores per document, summed over the gold documents."""
    by_kind = {k: Counts() for k in KINDS}
    overall, any_kind = Counts(), Counts()
    per_doc: dict[str, tuple[Counts, Counts, int]] = {}
    wrong_kind: Counter[tuple[str, str, str]] = Counter()
    spurious: Counter[tuple[str, str]] = Counter()
    missing: Counter[tuple[str, str]] = Counter()
    only_as_group = 0
    for doc_id in sorted(gold):
        g_items, p_items = gold[doc_id], predicted.get(doc_id, [])
        doc_same = Counts()
        for kind in KINDS:
            counts = _count([p for p in p_items if p.kind == kind], [g for g in g_items if g.kind == kind])
            by_kind[kind].add(counts)
            doc_same.add(counts)
        doc_any = _count(p_items, g_items)
        overall.add(doc_same)
        any_kind.add(doc_any)
        per_doc[doc_id] = (doc_same, doc_any, len(groups.get(doc_id, [])))
        for p in p_items:
            hits = [g for g in g_items if p.matches(g)]
            if not hits:
                spurious[(p.name, p.kind)] += 1
            elif all(g.kind != p.kind for g in hits):
                wrong_kind[(p.name, p.kind, hits[0].kind)] += 1
        for g in g_items:
            if not any(p.matches(g) for p in p_items):
                missing[(g.name, g.kind)] += 1
                only_as_group += any(x.matches(g) for x in groups.get(doc_id, []))
    return Scores(by_kind, overall, any_kind, per_doc, wrong_kind, spurious, missing,
                  groups=sum(len(groups.get(d, [])) for d in gold), gold_only_as_group=only_as_group)


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def table(strict: Scores, linked: Scores) -> str:
    """The headline table (markdown): strict gold names, and gold names plus Wikipedia identities."""
    rows = ["| kind | gold | ours | P % | R % | F1 % | P % (+id) | R % (+id) | F1 % (+id) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    pairs = [*((k, strict.by_kind[k], linked.by_kind[k]) for k in KINDS),
             ("**overall (micro)**", strict.overall, linked.overall), ("any kind", strict.any_kind, linked.any_kind)]
    for label, s, x in pairs:
        rows.append(f"| {label} | {s.gold} | {s.predicted} | {_pct(s.precision)} | {_pct(s.recall)} | "
                    f"{_pct(s.f1)} | {_pct(x.precision)} | {_pct(x.recall)} | {_pct(x.f1)} |")
    return "\n".join(rows)


def _top(counter: Counter, fmt: str) -> list[str]:
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], fold(kv[0][0]), kv[0]))[:TOP]
    return [f"{i}. " + fmt.format(*key, n=n) for i, (key, n) in enumerate(ranked, 1)]



@dataclass
class GumScores:
    """briefbot's and the model alone's scores, against the gold names (strict) and names plus identities."""

    strict: Scores
    linked: Scores
    model_strict: Scores
    model_linked: Scores


def evaluate(gold_path: Path, export: IndexExport, surfaces: dict[tuple[str, str], set[str]],
             model_export: IndexExport) -> GumScores:
    """Both exports scored against both readings of the gold."""
    strict_gold, linked_gold = load_gold(gold_path), load_gold(gold_path, with_identity=True)
    ours, model = load_predicted(export, surfaces), load_predicted(model_export)
    return GumScores(score(strict_gold, *ours), score(linked_gold, *ours),
                     score(strict_gold, *model), score(linked_gold, *model))


def section(s: GumScores) -> str:
    """The GUM entity part of docs/ACCURACY.md (markdown, from a level-3 heading down)."""
    strict, linked = s.strict, s.linked
    per_doc = ["| document | gold | ours | gold found | ours correct | gold found, any kind | groups (unscored) |",
               "|---|---:|---:|---:|---:|---:|---:|"]
    for doc_id, (same, any_, groups) in strict.per_doc.items():
        per_doc.append(f"| {doc_id} | {same.gold} | {same.predicted} | {same.gold_found} | {same.predicted_ok} "
                       f"| {any_.gold_found} | {groups} |")

    def errors(x: Scores) -> tuple[int, int, int]:
        return sum(x.wrong_kind.values()), sum(x.missing.values()), sum(x.spurious.values())

    (sw, sm, ss), (lw, lm, ls) = errors(strict), errors(linked)
    return "\n".join([
        "### Named people, organizations and places (name level, per document)",
        "",
        table(strict, linked),
        "",
        "P = share of our entities whose names match a gold entity of the same kind; R = share of gold entities "
        "that one of ours of the same kind matches; F1 their harmonic mean; the overall row is micro-averaged "
        "over kinds and documents. *Any kind* ignores the kind (an entity found with the wrong kind counts). "
        "The first three score columns match against the gold's names and surface forms only (the headline "
        "figures); the *(+id)* columns also accept the gold entity's Wikipedia title where GUM links one, because "
        "many gold names are partial spans (\"Kingdom\" for the United Kingdom, \"Protection Agency\", "
        "\"York\"), which a full name on our side cannot equal.",
        "",
        f"Our `group` entities (nationalities, religious and political groups: spaCy's NORP) have no gold "
        f"counterpart and are not scored: {strict.groups} (entity, document) pairs here. "
        f"{strict.gold_only_as_group} gold entities that no scored entity matched were found as a `group` "
        "(GUM types some group nouns, e.g. \"Muslims\", as person).",
        "",
        "#### The model alone",
        "",
        "The same articles scored the same way, with only spaCy's own entities (see *How it is measured* at the "
        "end: no gazetteer or parse corrections, no name repair, no coreference, no aliases):",
        "",
        table(s.model_strict, s.model_linked),
        "",
        "### Errors",
        "",
        "| error | count | count (+id) | meaning |",
        "|---|---:|---:|---|",
        f"| wrong kind | {sw} | {lw} | one of ours matches only gold entities of another kind |",
        f"| missing | {sm} | {lm} | a gold entity that none of ours matches, of any kind |",
        f"| spurious | {ss} | {ls} | one of ours that matches no gold entity of any kind |",
        "",
        "The lists below use the *(+id)* matching, so that they show extraction errors rather than partial gold "
        "spans; the count after each name is the number of documents.",
        "",
        f"#### The {TOP} most frequent spurious names (ours)",
        "",
        *_top(linked.spurious, "{0} ({1}) — {n}"),
        "",
        f"#### The {TOP} most frequent missing names (gold)",
        "",
        *_top(linked.missing, "{0} ({1}) — {n}"),
        "",
        f"#### The {TOP} most frequent wrong kinds (ours → gold)",
        "",
        *_top(linked.wrong_kind, "{0}: {1} → {2} — {n}"),
        "",
        "### Per document (strict matching)",
        "",
        *per_doc,
        "",
        "### How the entity tables are measured",
        "",
        "Ours for a document are the person, organization and place entities of the export whose `doc_ids` "
        "contain it; their names for matching are the canonical name, the aliases and the capitalised surface "
        "forms of their mentions in that document. A gold entity's names are its name and surface forms (and, "
        "in the *(+id)* columns, its Wikipedia title without a parenthesised disambiguation). Two entities match "
        "when any of their names are equal after folding: accents, case, a possessive 's, periods and "
        "apostrophes dropped, other punctuation read as a space, a leading \"the\" dropped (so \"U.S.\" = \"US\", "
        "\"Udvar - Hazy\" = \"Udvar-Hazy\"). Within a document, entities with the same kind and folded name count "
        "once on each side (GUM sometimes has two chains for one name). Precision counts our entities that match "
        "a gold entity; recall counts gold entities that one of ours matches; so one gold entity split in two on "
        "our side is not penalised. The gold is GUM's annotation and includes forms a name extractor is not "
        "expected to produce (\"Republican\" as a surface form of a senator, \"Museum\" of a person), so 100% is "
        "out of reach.",
    ])
