"""Resolve across documents: merge local entities into corpus entities, map quotes, mentions and figures
onto them, and group the same figure stated by several documents."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from corpus.aliases import Curated
from corpus.entities import same_person_name
from corpus.extraction import DocExtraction, LocalEntity, LocalFigure
from corpus.gazetteer import fold
from corpus.lexicon import PARTICIPANT_NOUNS
from corpus.models import (
    DateRow,
    DocumentRow,
    EntityKind,
    EntityOut,
    FigureGroupOut,
    FigureRow,
    IndexData,
    MentionRow,
    QuoteRow,
    Role,
    SentenceRow,
)

KIND_ORDER: dict[str, int] = {"person": 0, "organization": 1, "group": 2, "place": 3}
CONFLICT_RATIO = 0.15


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"


class _Cluster:
    def __init__(self) -> None:
        self.locals: list[tuple[str, LocalEntity]] = []

    def add(self, doc_id: str, ent: LocalEntity) -> None:
        self.locals.append((doc_id, ent))

    def kind(self) -> EntityKind:
        votes: Counter[str] = Counter()
        for _, e in self.locals:
            votes[e.kind] += sum(e.forms.values()) + (1000 if e.curated else 0)
        return min(votes, key=lambda k: (-votes[k], KIND_ORDER[k]))  # type: ignore[return-value]

    def name(self) -> str:
        curated = [e.name for _, e in self.locals if e.curated]
        if curated:
            return curated[0]
        names: Counter[str] = Counter()
        for _, e in self.locals:
            names[e.name] += sum(e.forms.values())
        return min(names, key=lambda n: (-len(n.split()), -names[n], n))


def _person_clusters(people: list[tuple[str, LocalEntity]]) -> list[_Cluster]:
    """Same surname and no conflicting forename → one person; a bare surname joins the only full name."""
    by_surname: dict[str, list[tuple[str, LocalEntity]]] = defaultdict(list)
    for doc_id, ent in people:
        by_surname[fold(ent.name).split()[-1] if fold(ent.name) else ent.name].append((doc_id, ent))
    clusters: list[_Cluster] = []
    for items in by_surname.values():
        full = sorted((x for x in items if len(fold(x[1].name).split()) >= 2),
                      key=lambda x: (-len(x[1].name.split()), x[1].name, x[0]))
        bare = [x for x in items if len(fold(x[1].name).split()) < 2]
        local: list[tuple[list[str], _Cluster]] = []
        for doc_id, ent in full:
            toks = fold(ent.name).split()
            for ctoks, cluster in local:
                if toks == ctoks[-len(toks):] or same_person_name(toks, ctoks):
                    cluster.add(doc_id, ent)
                    break
            else:
                cluster = _Cluster()
                cluster.add(doc_id, ent)
                local.append((toks, cluster))
        if bare:
            if len(local) == 1:
                for doc_id, ent in bare:
                    local[0][1].add(doc_id, ent)
            else:
                cluster = _Cluster()
                for doc_id, ent in bare:
                    cluster.add(doc_id, ent)
                clusters.append(cluster)
        clusters.extend(c for _, c in local)
    return clusters


def resolve(extractions: list[DocExtraction], curated: Curated) -> IndexData:
    extractions = sorted(extractions, key=lambda x: x.article.id)
    # corpus-wide alias definitions: "SDF" defined in one article names the same group in another
    defined: dict[str, str] = {}
    for ex in extractions:
        for ent in ex.entities:
            for alias in ent.aliases:
                defined.setdefault(fold(alias), fold(ent.name))
    people: list[tuple[str, LocalEntity]] = []
    others: dict[str, _Cluster] = defaultdict(_Cluster)
    for ex in extractions:
        for ent in ex.entities:
            if ent.kind == "person" and not ent.curated:
                people.append((ex.article.id, ent))
            else:
                key = fold(ent.name)
                others[defined.get(key, key)].add(ex.article.id, ent)
    clusters = [*_person_clusters(people), *others.values()]

    local_to_global: dict[tuple[str, str], str] = {}
    entities: dict[str, EntityOut] = {}
    for cluster in clusters:
        kind = cluster.kind()
        name = cluster.name()
        eid = f"{kind}:{slug(name)}"
        ent = entities.get(eid) or EntityOut(id=eid, name=name, kind=kind)
        entities[eid] = ent
        aliases = set(ent.aliases)
        roles: dict[str, Role] = {r.text.lower(): r for r in ent.roles}
        docs = set(ent.doc_ids)
        for doc_id, local in cluster.locals:
            local_to_global[(doc_id, local.key)] = eid
            docs.add(doc_id)
            aliases.update(local.forms)
            aliases.update(local.aliases)
            for role in local.roles:
                r = roles.setdefault(role.lower(), Role(text=role, doc_ids=[]))
                if doc_id not in r.doc_ids:
                    r.doc_ids = sorted([*r.doc_ids, doc_id])
        group = curated.lookup(name)
        if group is not None:
            aliases.update(group.aliases)
            aliases.add(group.name)
        aliases.discard(ent.name)
        ent.aliases = sorted(aliases)
        ent.roles = sorted(roles.values(), key=lambda r: (-len(r.doc_ids), r.doc_ids[0], r.text))
        ent.doc_ids = sorted(docs)

    data = IndexData()
    for ex in extractions:
        doc_id = ex.article.id
        a = ex.article
        data.documents.append(DocumentRow(
            id=doc_id, title=a.title, date=a.date, date_source=a.date_source, outlet=a.outlet,
            dateline=a.dateline, credits=a.credits, captions=a.captions, path=a.path, sha256=a.sha256,
        ))
        data.sentences += [SentenceRow(doc_id=doc_id, idx=s.idx, para=s.para, text=s.text) for s in ex.sentences]
        for m in ex.mentions:
            eid = local_to_global.get((doc_id, m.key))
            if eid:
                data.mentions.append(MentionRow(entity_id=eid, doc_id=doc_id, sent_idx=m.sent_idx, surface=m.surface))
                entities[eid].mention_count += 1
        for n, q in enumerate(ex.quotes, start=1):
            sid = local_to_global.get((doc_id, q.speaker_key)) if q.speaker_key else None
            data.quotes.append(QuoteRow(
                id=f"{doc_id}:q{n}", text=q.text, speaker_id=sid,
                speaker=entities[sid].name if sid else q.speaker_description,
                speaker_kind=entities[sid].kind if sid else "description" if q.speaker_description else None,
                doc_id=doc_id, partial=q.partial, sent_idx=q.sent_idx,
            ))
        data.dates += [DateRow(doc_id=doc_id, sent_idx=d.sent_idx, text=d.text, iso=d.iso) for d in ex.dates]
    _acronym_mentions(data, entities)
    figures = [(ex.article.id, n, f) for ex in extractions for n, f in enumerate(ex.figures, start=1)]
    data.figures, data.figure_groups = group_figures(figures, local_to_global)
    data.entities = sorted(entities.values(), key=lambda e: e.id)
    return data


def _acronym_mentions(data: IndexData, entities: dict[str, EntityOut]) -> None:
    """An acronym defined in one article ("Syrian Democratic Forces (SDF)") is a mention wherever else it
    stands alone, even in articles that never define it."""
    acronyms = {a: e for e in entities.values() if e.kind != "person"
                for a in e.aliases if re.fullmatch(r"[A-Z]{2,6}", a)}
    if not acronyms:
        return
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(acronyms, key=len, reverse=True))) + r")\b")
    seen = {(m.doc_id, m.sent_idx, m.entity_id) for m in data.mentions}
    for s in data.sentences:
        for match in pattern.finditer(s.text):
            ent = acronyms[match.group(1)]
            if (s.doc_id, s.idx, ent.id) in seen:
                continue
            seen.add((s.doc_id, s.idx, ent.id))
            data.mentions.append(MentionRow(entity_id=ent.id, doc_id=s.doc_id, sent_idx=s.idx, surface=match.group(1)))
            ent.mention_count += 1
            if s.doc_id not in ent.doc_ids:
                ent.doc_ids = sorted([*ent.doc_ids, s.doc_id])


def _counted(head: str) -> str:
    """What a figure counts, for comparing figures: participant nouns (countries, members…) are one thing."""
    return "participant" if head in PARTICIPANT_NOUNS else head


def _qfamily(qclass: str) -> str:
    return "point" if qclass in {"exact", "approx"} else qclass


def _fmt(value: float) -> str:
    return format(value, "f").rstrip("0").rstrip(".")


def group_figures(figures: list[tuple[str, int, LocalFigure]],
                  local_to_global: dict[tuple[str, str], str]) -> tuple[list[FigureRow], list[FigureGroupOut]]:
    """The same value, unit, counted noun and bound, with compatible named subjects → one group."""
    buckets: dict[tuple[str, str, str, str], list[tuple[str, int, LocalFigure, set[str]]]] = defaultdict(list)
    for doc_id, n, f in figures:
        ents = {local_to_global[(doc_id, k)] for k in f.subject_keys if (doc_id, k) in local_to_global}
        buckets[(_fmt(f.value), f.unit or "", f.head, _qfamily(f.qclass))].append((doc_id, n, f, ents))
    rows: list[FigureRow] = []
    groups: list[FigureGroupOut] = []
    meta: dict[str, tuple[str, str, str, set[str], float]] = {}
    for key in sorted(buckets):
        parts: list[tuple[set[str], list[tuple[str, int, LocalFigure, set[str]]]]] = []
        for item in sorted(buckets[key], key=lambda x: (not x[3], x[0], x[1])):
            for ents, members in parts:
                if not ents or not item[3] or ents & item[3]:
                    ents |= item[3]
                    members.append(item)
                    break
            else:
                parts.append((set(item[3]), [item]))
        for i, (ents, members) in enumerate(parts, start=1):
            gid = "fg:" + slug("-".join(p for p in key if p)) + (f"-{i}" if i > 1 else "")
            subjects = Counter(m[2].subject for m in members)
            subject = min(subjects, key=lambda s: (-subjects[s], len(s), s))
            first = members[0][2]
            groups.append(FigureGroupOut(id=gid, value=first.value, unit=first.unit, subject=subject,
                                         doc_ids=sorted({m[0] for m in members})))
            meta[gid] = (key[2], key[1], key[3], ents, first.value)
            for doc_id, n, f, _ in members:
                rows.append(FigureRow(
                    id=f"{doc_id}:f{n}", value=f.value, unit=f.unit, qualifier=f.qualifier, subject=f.subject,
                    text=f.text, sentence=f.sentence, doc_id=doc_id, group_id=gid, sent_idx=f.sent_idx,
                ))
    by_id = {g.id: g for g in groups}
    for a in groups:
        ha, ua, qa, ea, va = meta[a.id]
        if qa == "vague":
            continue
        for b in groups:
            hb, ub, qb, eb, vb = meta[b.id]
            if a.id == b.id or qb == "vague" or _counted(ha) != _counted(hb) or ua != ub or (ea and eb and not ea & eb):
                continue
            close = abs(va - vb) <= CONFLICT_RATIO * max(abs(va), abs(vb))
            if close and (va != vb or qa != qb):
                by_id[a.id].conflicts_with.append(b.id)
    rows.sort(key=lambda r: (r.doc_id, r.sent_idx, r.id))
    return rows, sorted(groups, key=lambda g: g.id)
