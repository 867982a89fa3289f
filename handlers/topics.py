"""Topics through entities: where a named organisation is meant — by its name, an alias, or a common-noun
reference ("the coalition" after "the Global Coalition to Defeat ISIS" in the same article) — and the
other names a search word has (ISIS → ISIL, Islamic State, Daesh)."""

from __future__ import annotations

from handlers import query
from handlers.common import STRICT_STAGES, fts_query, fts_string, terms
from handlers.index import Index
from handlers.resolver import ALL_KINDS
from handlers.roles import names_the_entity
from handlers.text import BadArgument, fold

REFERRED_KINDS = {"organization"}  # "the coalition", "the agency", "the bank": named bodies
CLAUSE_WORDS = frozenset({"of", "to", "for", "against", "on", "in", "and", "the"})
MAX_ALIASES = 8
EXACT_STAGES = {"id", "alias"}  # a search word stands for an entity only when it is one of its names


def reference_head(name: str) -> str | None:
    """The noun an article uses to refer back to an organisation: the last word of its name before any
    "of/to/for…" clause ("Global Coalition to Defeat ISIS" → "coalition"); None for a one-word name."""
    words = fold(name).split()
    head_words: list[str] = []
    for word in words:
        if word in CLAUSE_WORDS and head_words:
            break
        head_words.append(word)
    if len(head_words) < 2 or not head_words[-1].isalpha() or len(head_words[-1]) < 4:
        return None
    return head_words[-1]


def entity_sentences(index: Index, entity_id: str, limit: int = 2000) -> list[tuple[str, int]]:
    """(doc_id, sentence idx) where the entity is meant: its mentions, and for an organisation the
    sentences that say "the <head noun>" at or after its first mention in the same document."""
    conn = index.conn
    keys = set(query.mention_keys(conn, entity_id, limit))
    n = index.resolver.number.get(entity_id)
    head = reference_head(index.resolver.names[n]) if n is not None and index.resolver.kinds[n] in REFERRED_KINDS \
        else None
    if head:
        first = query.first_mentions(conn, entity_id)
        keys.update((doc_id, idx) for doc_id, idx in query.matching_keys_in(conn, fts_string(f"the {head}"),
                                                                             sorted(first), limit)
                    if idx >= first[doc_id])
    return sorted(keys)


def name_alternatives(index: Index, text: str) -> list[str]:
    """The other names of the entity `text` names exactly (its canonical name and aliases), for a search
    to find them all; empty when `text` names no entity exactly."""
    res = index.resolver.resolve(text, ALL_KINDS)
    if res.status != "ok" or res.stage not in EXACT_STAGES or res.entity_id is None:
        return []
    n = index.resolver.number[res.entity_id]
    seen = {fold(text)}
    names = []
    for name in [index.resolver.names[n], *query.entity_aliases(index.conn, res.entity_id)]:
        key = fold(name)
        # "IS", "US": as a search word, a two-letter name is mostly the everyday word
        if key not in seen and not key.startswith("the ") and (" " in key or len(key) > 2):
            seen.add(key)
            names.append(name)
    return names[:MAX_ALIASES]


def topic_sentences(index: Index, topic: str, limit: int = 2000) -> tuple[str, list[tuple[str, int]]]:
    """(what to call the topic, the sentences about it): those having its words, and those where the
    entity it names is meant. It is called by the entity's name when it is one of its names or a person's
    name part (a surname), as typed when it is only a word of a longer name ("coronavirus")."""
    words = terms(topic)
    if not words:
        raise BadArgument("A topic needs a word or a name, for example `coalition`.")
    keys = set(query.sentence_keys(index.conn, fts_query(words), limit))
    label = topic
    res = index.resolver.resolve(topic, ALL_KINDS)
    if res.status == "ok" and res.stage in STRICT_STAGES and res.entity_id is not None:
        keys.update(entity_sentences(index, res.entity_id, limit))
        n = index.resolver.number[res.entity_id]
        if fold(topic) in index.resolver.forms[n] or (index.resolver.kinds[n] == "person"
                                                      and names_the_entity(index, topic, res)):
            label = index.resolver.names[n]
    return label, sorted(keys)
