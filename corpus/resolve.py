"""Resolve across documents, one bucket at a time: a corpus entity is made from the local entities of the
articles that share its bucket (people: the same surname; other kinds: the same folded name or defined acronym),
and a figure group from the figures that share value, unit, counted noun and bound. Every function here is pure
and works on one bucket, so a build re-resolves only the buckets a new, changed or removed article touches
(corpus/indexer.py keeps the buckets in the index)."""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from corpus.entities import NAME_PARTICLES, is_forename, name_core, same_person_name
from corpus.extraction import LocalEntity, LocalFigure
from corpus.gazetteer import fold
from corpus.models import EntityKind

KIND_ORDER: dict[str, int] = {"person": 0, "organization": 1, "group": 2, "place": 3}
CONFLICT_RATIO = 0.15
CONFLICT_DAYS = 14  # figures about one subject stated more than this apart describe different times


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"


CURATED_VOTE = 1000  # a curated entry outvotes the model's kind


def local_weight(ent: LocalEntity) -> int:
    """How often an article writes a local entity (its forms' counts): its vote for a kind and a name."""
    return sum(ent.forms.values())


def voted_kind(votes: Mapping[str, int]) -> EntityKind:
    """The kind most written (curated entries outvote the model); ties go to the more specific kind."""
    return min(votes, key=lambda k: (-votes[k], KIND_ORDER[k]))  # type: ignore[return-value]


def common_name(names: Mapping[str, int]) -> str:
    """The display name of a non-person entity: the longest of its names, then the most written."""
    return min(names, key=lambda n: (-len(n.split()), -names[n], n))


def named_entity(votes: Mapping[str, int], curated: str | None, names: Mapping[str, int]) -> tuple[str, str]:
    """(entity id, display name) of a bucket of non-person names, from its members' kind votes, its first
    curated name and its names' weights: what `cluster_bucket` and `entity_ids` give for such a bucket, computed
    from aggregates (the index sums them in SQL, so re-resolving a big bucket reads no member's JSON)."""
    name = curated if curated is not None else common_name(names)
    return f"{voted_kind(votes)}:{slug(name)}", name


@dataclass
class NameClass:
    """The local entities of one bucket that share a name, kind, curation and stated roles: clustering never
    tells them apart, so it works on these classes (a surname bucket of thousands of articles has few). `first`
    is the first (document, key) of the class, `docs` its first and last document, `forms` the written forms
    summed over its members, `weight` how often they are written, `members` its (document, key) pairs."""

    name: str
    kind: EntityKind
    curated: bool
    roles: tuple[str, ...]
    forms: Counter[str]
    weight: int
    first: tuple[str, str]
    docs: tuple[str, str]
    members: list[tuple[str, str]] = field(default_factory=list)

    def heads(self) -> set[str]:
        return {fold(r).split()[-1] for r in self.roles if fold(r)}

    def core(self) -> list[str]:
        return name_core(fold(self.name).split())


def name_classes(items: Iterable[tuple[str, LocalEntity]]) -> list[NameClass]:
    """The classes of (document, local entity) pairs, in the order of their first member."""
    classes: dict[tuple, NameClass] = {}
    for doc_id, e in sorted(items, key=lambda x: (x[0], x[1].key)):
        k = (e.name, e.kind, e.curated, tuple(e.roles))
        c = classes.get(k)
        if c is None:
            c = classes[k] = NameClass(e.name, e.kind, e.curated, tuple(e.roles), Counter(), 0, (doc_id, e.key),
                                       (doc_id, doc_id))
        c.forms.update(e.forms)
        c.weight += local_weight(e)
        c.docs = (c.docs[0], doc_id)
        c.members.append((doc_id, e.key))
    return list(classes.values())


class _Cluster:
    def __init__(self) -> None:
        self.classes: list[NameClass] = []

    def add(self, c: NameClass) -> None:
        self.classes.append(c)

    def first(self) -> tuple[str, str]:
        return min(c.first for c in self.classes)

    def kind(self) -> EntityKind:
        votes: Counter[str] = Counter()
        for c in self.classes:
            votes[c.kind] += c.weight + (CURATED_VOTE if c.curated else 0)
        return voted_kind(votes)

    def name(self) -> str:
        curated = sorted((c.first, c.name) for c in self.classes if c.curated)
        if curated:
            return curated[0][1]
        if self.kind() == "person":
            full = self.full_forms()
            if full:  # the most frequent full form, not the longest ("Crooked <Name>" is rare)
                return min(full, key=lambda n: (-full[n], -len(n.split()), n))
        names: Counter[str] = Counter()
        for c in self.classes:
            names[c.name] += c.weight
        return common_name(names)

    def full_forms(self) -> Counter[str]:
        """Written forms of two or more words that are all names or initials ("Ada B. Okafor", "Okafor Jr.")."""
        full: Counter[str] = Counter()
        for c in self.classes:
            for form, n in c.forms.items():
                words = form.split()
                if len(words) >= 2 and all(w[:1].isupper() or w in NAME_PARTICLES for w in words[1:-1]) \
                        and words[0][:1].isupper() and words[-1][:1].isupper():
                    full[form] += n
        return full

    def weak(self) -> bool:
        """A full name seen once whose first word is no known first name: often a word glued on ("Crooked X")."""
        one_doc = len({d for c in self.classes for d in c.docs}) == 1
        return one_doc and not any(is_forename(c.name.split()[0]) for c in self.classes)

    def role_heads(self) -> set[str]:
        return {h for c in self.classes for h in c.heads()}


def _bucket_clusters(classes: list[NameClass]) -> list[_Cluster]:
    """Same surname and no conflicting forename (initials, nicknames and suffixes agree) → one person; a bare
    surname joins the only full name, or the one full name that shares a stated role with it; otherwise the
    bare surnames stay apart (two people who share a surname stay two)."""
    full = sorted((c for c in classes if len(c.core()) >= 2),
                  key=lambda c: (len(fold(c.name).split()[0]) == 1, -len(c.name.split()), c.name, c.first))
    bare = sorted((c for c in classes if len(c.core()) < 2), key=lambda c: c.first)
    local: list[tuple[list[str], _Cluster]] = []
    for c in full:  # full first names first: an initial then joins the one person it fits
        toks = c.core()
        fits = [cluster for ctoks, cluster in local if toks == ctoks[-len(toks):] or same_person_name(toks, ctoks)]
        if fits and not (len(toks[0]) == 1 and len(fits) > 1):  # "J. Okafor" beside "Jonah" and "Jeffrey Okafor"
            fits[0].add(c)
        else:
            cluster = _Cluster()
            cluster.add(c)
            local.append((toks, cluster))
    strong = [c for _, c in local if not c.weak()]  # "Derelict <Name>" makes no surname ambiguous
    role_heads = [c.role_heads() for c in strong]  # kept up to date as bare surnames join (one pass, not n²)
    rest = _Cluster()
    for c in bare:
        heads = c.heads()
        sharing = [i for i, h in enumerate(role_heads) if heads & h]
        if len(strong) == 1 and (len(local) == 1 or heads & role_heads[0]):
            joined = 0
        elif len(sharing) == 1:
            joined = sharing[0]
        else:
            rest.add(c)
            continue
        strong[joined].add(c)
        role_heads[joined] |= heads
    return [c for _, c in local] + ([rest] if rest.classes else [])


def entity_bucket(ent: LocalEntity, defined: Mapping[str, str]) -> str:
    """The bucket a local entity is resolved in: people by surname, others by name (or the name an acronym
    defined anywhere in the corpus stands for: "SDF" defined in one article names the same group in another)."""
    if ent.kind == "person" and not ent.curated:
        toks = name_core(fold(ent.name).split())
        return "p:" + (toks[-1] if toks else ent.name)
    key = fold(ent.name)
    return "o:" + defined.get(key, key)


def cluster_bucket(bucket: str, classes: list[NameClass]) -> list[_Cluster]:
    """The corpus entities of one bucket, as clusters of name classes."""
    if bucket.startswith("p:"):
        return _bucket_clusters(classes)
    cluster = _Cluster()
    for c in classes:
        cluster.add(c)
    return [cluster]


def entity_ids(bucket: str, clusters: list[_Cluster]) -> list[tuple[str, str]]:
    """(entity id, display name) of each cluster. Clusters of other kinds with the same name are one entity
    (curated aliases, "Al-Hol" / "Al Hol"); two people of one name who were kept apart get "-2", "-3" … in the
    order of their first article, so ids are unique by construction."""
    taken: Counter[str] = Counter()
    ids: dict[int, tuple[str, str]] = {}
    for i in sorted(range(len(clusters)), key=lambda i: clusters[i].first()):
        name = clusters[i].name()
        eid = f"{clusters[i].kind()}:{slug(name)}"
        if bucket.startswith("p:"):
            taken[eid] += 1
            if taken[eid] > 1:
                eid = f"{eid}-{taken[eid]}"
        ids[i] = (eid, name)
    return [ids[i] for i in range(len(clusters))]


# --- figures ---------------------------------------------------------------------------------------------------


UNIT_WORDS = {"%": "percent", "$": "dollar"}


def _qfamily(qclass: str) -> str:
    return "point" if qclass in {"exact", "approx"} else qclass


def _fmt(value: float) -> str:
    return format(value, "f").rstrip("0").rstrip(".")


def figure_bucket(f: LocalFigure) -> str:
    """Figures that can state the same fact: the same value, unit, counted noun and kind of bound."""
    return json.dumps([_fmt(f.value), f.unit or "", f.head, _qfamily(f.qclass)], ensure_ascii=False)


def conflict_key(f: LocalFigure) -> str:
    """Figures that can contradict each other: the same counted noun in the same unit."""
    return json.dumps([f.head, f.unit or ""], ensure_ascii=False)


_UNIT_SLUGS = {"%": "pct", "$": "dollar"}  # "$" is a dollar of unknown country; currencies are ISO codes


def group_id(bucket: str, part: int) -> str:
    """A readable id ("fg:55-pct-case-point-…") made unique by a hash of the whole bucket key, whatever
    characters the value, unit or noun hold; `part` tells apart groups of one bucket with different subjects."""
    value, unit, head, family = json.loads(bucket)
    words = [value.replace(".", "_"), _UNIT_SLUGS.get(unit, unit), head, family]
    readable = slug("-".join(w for w in words if w))[:48].strip("-")
    digest = hashlib.blake2s(bucket.encode(), digest_size=5).hexdigest()
    return f"fg:{readable}-{digest}" + (f"-{part}" if part > 1 else "")


@dataclass
class FigureItem:
    """A figure as grouping sees it: where it stands, the figure, and the corpus entities its subject names."""

    doc_id: str
    n: int
    figure: LocalFigure
    entities: set[str] = field(default_factory=set)

    @property
    def id(self) -> str:
        return f"{self.doc_id}:f{self.n}"


@dataclass
class GroupOut:
    id: str
    value: float
    unit: str | None
    subject: str
    qclass: str
    members: list[FigureItem]
    entities: set[str]

    @property
    def doc_ids(self) -> list[str]:
        return sorted({m.doc_id for m in self.members})


def group_bucket(bucket: str, items: Iterable[FigureItem]) -> list[GroupOut]:
    """One bucket's figures as groups: figures whose named subjects are compatible (no entity named, or a
    shared one) state one fact."""
    parts: list[tuple[set[str], list[FigureItem]]] = []
    for item in sorted(items, key=lambda x: (not x.entities, x.doc_id, x.n)):
        for ents, members in parts:
            if not ents or not item.entities or ents & item.entities:
                ents |= item.entities
                members.append(item)
                break
        else:
            parts.append((set(item.entities), [item]))
    groups = []
    for i, (ents, members) in enumerate(parts, start=1):
        subjects = Counter(m.figure.subject for m in members)
        subject = min(subjects, key=lambda s: (-subjects[s], len(s), s))
        # one exact statement makes the group exact ("13" and "some 13" are one fact, stated exactly once)
        qclass = "exact" if any(m.figure.qclass == "exact" for m in members) else members[0].figure.qclass
        first = members[0].figure
        groups.append(GroupOut(id=group_id(bucket, i), value=first.value, unit=first.unit, subject=subject,
                               qclass=qclass, members=sorted(members, key=lambda m: (m.doc_id, m.n)), entities=ents))
    return groups


@dataclass
class ConflictCandidate:
    """What the conflict pass needs of a figure group."""

    id: str
    value: float
    qclass: str
    entities: set[str]
    dates: list[date]


def _contradict(a: ConflictCandidate, b: ConflictCandidate) -> bool:
    """Two statements of one quantity that cannot both be true. An approximate figure within the tolerance of
    another is consistent with it; a bound contradicts only a value on the wrong side of it."""
    qa, qb = sorted((a, b), key=lambda c: c.qclass)  # approx < exact < lower < upper < vague
    if "vague" in (qa.qclass, qb.qclass) or "approx" in (qa.qclass, qb.qclass):
        return False
    if qa.qclass == qb.qclass == "exact":
        return qa.value != qb.value
    if {qa.qclass, qb.qclass} == {"lower", "upper"}:
        low, up = (qa, qb) if qa.qclass == "lower" else (qb, qa)
        return low.value >= up.value
    if qa.qclass == "exact" and qb.qclass == "lower":
        return qa.value <= qb.value
    if qa.qclass == "exact" and qb.qclass == "upper":
        return qa.value >= qb.value
    return False


def _same_time(a: ConflictCandidate, b: ConflictCandidate) -> bool:
    """Stated in articles dated within CONFLICT_DAYS of each other (undated figures are never compared)."""
    if not a.dates or not b.dates:
        return False
    db = sorted(b.dates)
    for d in a.dates:
        i = bisect.bisect_left(db, d)
        near = [db[j] for j in (i - 1, i) if 0 <= j < len(db)]
        if any(abs((d - x).days) <= CONFLICT_DAYS for x in near):
            return True
    return False


def find_conflicts(groups: list[ConflictCandidate]) -> dict[str, list[str]]:
    """Conflicts among the groups of one conflict key (same counted noun and unit): values within
    CONFLICT_RATIO of each other that contradict, about compatible named subjects, at the same time.
    Approximate and vague groups contradict nothing and are left out; the rest are put in time slots of
    CONFLICT_DAYS, and inside a slot and the next one sorted by value, so each group is compared only with
    its neighbours in time and value: O(n log n) for news, whatever the size of the corpus."""
    out: dict[str, set[str]] = {g.id: set() for g in groups}
    slots: dict[int, list[ConflictCandidate]] = defaultdict(list)
    for g in groups:
        if g.qclass in {"exact", "lower", "upper"}:
            for slot in {d.toordinal() // CONFLICT_DAYS for d in g.dates}:
                slots[slot].append(g)
    for slot, members in slots.items():
        near = {g.id: g for g in (*members, *slots.get(slot + 1, ()))}
        ordered = sorted(near.values(), key=lambda g: (g.value, g.id))
        values = [g.value for g in ordered]
        for i, a in enumerate(ordered):
            limit = a.value / (1 - CONFLICT_RATIO) if a.value > 0 else a.value * (1 - CONFLICT_RATIO)
            for b in ordered[i + 1:bisect.bisect_right(values, limit)]:
                if b.id in out[a.id] or (a.entities and b.entities and not a.entities & b.entities):
                    continue
                close = abs(a.value - b.value) <= CONFLICT_RATIO * max(abs(a.value), abs(b.value))
                if close and _contradict(a, b) and _same_time(a, b):
                    out[a.id].add(b.id)
                    out[b.id].add(a.id)
    return {k: sorted(v) for k, v in out.items()}


def parse_date(text: str | None) -> date | None:
    """A document date (YYYY-MM-DD) as a date; None for a year alone or no date."""
    if text and re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    return None
