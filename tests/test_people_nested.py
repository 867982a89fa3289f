"""People named inside the names of organizations, places and prizes: a mention of their own that overlaps the
name's, which keeps its kind; on made-up text."""

from __future__ import annotations

import pytest


def people(ex):  # type: ignore[no-untyped-def]
    return {e.name for e in ex.entities if e.kind == "person"}


def kinds(ex):  # type: ignore[no-untyped-def]
    return {e.name: e.kind for e in ex.entities}


@pytest.mark.parametrize(("text", "person", "name"), [
    ("The shuttle will go to the Marcus K. Velasquez-Amari Center near the airport.", "Marcus K. Velasquez-Amari",
     "Marcus K. Velasquez-Amari Center"),
    ("Crowds gathered at the Tuan Hoi Lok Memorial in the old town on Saturday.", "Tuan Hoi Lok",
     "Tuan Hoi Lok Memorial"),
    ("The prints went to the Mary & Leigh Brannock Museum of Art in Harbourton.", "Leigh Brannock",
     "Mary & Leigh Brannock Museum of Art"),
])
def test_a_full_personal_name_inside_another_name_is_a_person_too(extract, text: str, person: str,
                                                                 name: str) -> None:  # type: ignore[no-untyped-def]
    ex = extract(text)
    assert person in people(ex)
    assert kinds(ex).get(name) not in {None, "person"}  # the name keeps its kind
    nested = next(e for e in ex.entities if e.name == person)
    assert [m.surface for m in ex.mentions if m.key == nested.key] == [person]


@pytest.mark.parametrize("text", [
    "The study was supported by the Brannock Foundation and the Harbour Trust.",  # a surname alone
    "She studied at the Pavlo Kerenko University in Harbourton.",  # a full name with no other evidence
    "He won the Harbour Science Prize last year.",  # English words
    "The Museo Municipal Dario Velasquez opened in May.",  # no head noun after the name
    "Fans packed the San Marcos Memorial Stadium for the final.",  # a place's name
])
def test_no_person_without_a_full_name_and_evidence(extract, text: str) -> None:  # type: ignore[no-untyped-def]
    assert people(extract(text)) == set()


def test_a_person_named_in_full_elsewhere_is_mentioned_inside_a_name(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Marta Okonkwo opened her first shelter in 2001. The Marta Okonkwo Trust now runs six shelters.")
    person = next(e for e in ex.entities if e.name == "Marta Okonkwo")
    assert person.kind == "person" and person.forms == {"Marta Okonkwo": 2}
    assert kinds(ex).get("Marta Okonkwo Trust") == "organization"


def test_a_person_inside_a_name_is_no_speaker(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract('The Marcus K. Velasquez-Amari Foundation said: "We will build two schools this year."')
    assert "Marcus K. Velasquez-Amari" in people(ex)
    assert all(not (q.speaker_key or "").startswith("person:") for q in ex.quotes)
