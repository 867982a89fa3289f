"""Lookup by role: "secretary of state" → the people the articles give that role, newest first."""

from __future__ import annotations

from handlers import query
from handlers.common import STRICT_STAGES
from handlers.index import Index
from handlers.models import HolderItem
from handlers.resolver import Resolution
from handlers.text import fold

FILLER = frozenset({"the", "a", "an"})
QUESTION_WORDS = frozenset({"is", "was", "are", "were", "Is", "Was", "Are", "Were"})  # "who is the minister"
RoleTable = list[tuple[str, str, str, list[str]]]  # entity id, folded role, role text, doc ids


def _table(index: Index) -> RoleTable:
    return index.memo("roles:all", lambda: [(e, f" {fold(text)} ", text, docs)
                                            for e, text, docs in query.all_roles(index.conn)])


def _phrase(text: str) -> str:
    return " ".join(w for w in fold(text).split() if w not in FILLER)


def without_question_words(text: str) -> str:
    """ "is the foreign minister" → "the foreign minister": what `who is …` asks about (never empty)."""
    words = text.split()
    while len(words) > 1 and words[0] in QUESTION_WORDS:  # as typed: "IS" (an acronym) stays
        words = words[1:]
    return " ".join(words)


def names_the_entity(index: Index, text: str, res: Resolution) -> bool:
    """True when `text` is a name, every word of it, of the entity it resolves to (or of the first of
    several it could be), so a name that is also a role word is taken as the name: "Marshal" the person."""
    if res.status == "not_found" or res.stage not in STRICT_STAGES or not res.candidates:
        return False
    if res.stage == "id":
        return True
    n = index.resolver.number[res.entity_id or res.candidates[0].id]
    words = {w for form in index.resolver.forms[n] for w in form.split()}
    return all(w in words or w in FILLER for w in fold(text).split())


def _holding(index: Index, phrase: str) -> dict[str, tuple[dict[str, str], set[str]]]:
    """entity → (its role wordings containing the phrase, the documents stating them)."""
    found: dict[str, tuple[dict[str, str], set[str]]] = {}
    for entity_id, folded, role, doc_ids in _table(index):
        if f" {phrase} " in folded:
            wordings, docs = found.setdefault(entity_id, ({}, set()))
            wordings.setdefault(fold(role), role)
            docs.update(doc_ids)
    return found


def role_holders(index: Index, text: str) -> list[HolderItem]:
    """Who held the role `text` (its words, in order, inside a stated role), one entry per person with
    the fullest wording and every document stating it, the most recent first."""
    words = _phrase(text).split()
    if not any(len(w) > 2 for w in words):
        return []
    phrase = " ".join(words)
    found = _holding(index, phrase)
    if not found and phrase.endswith("s"):  # "ministers": those who were a minister
        found = _holding(index, phrase[:-1])
    dates = query.doc_dates(index.conn, sorted({d for _, docs in found.values() for d in docs}))
    res = index.resolver
    holders = []
    for entity_id, (wordings, docs) in found.items():
        n = res.number.get(entity_id)
        if n is None:
            continue
        known = sorted(d for d in (dates.get(doc) for doc in docs) if d)
        ordered = sorted(docs, key=lambda d: (dates.get(d) or "", d), reverse=True)
        role = max(wordings.values(), key=len)  # the fullest wording ("U.S. Secretary of State")
        holders.append(HolderItem(entity_id=entity_id, name=res.names[n], kind=res.kinds[n], role=role,
                                  doc_ids=ordered, first_date=known[0] if known else None,
                                  last_date=known[-1] if known else None))
    return sorted(holders, key=lambda h: (h.last_date or "", len(h.doc_ids)), reverse=True)
