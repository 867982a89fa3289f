"""Stated roles in every common form, on made-up text."""

from __future__ import annotations

import pytest


def roles(ex, name):  # type: ignore[no-untyped-def]
    [person] = [e for e in ex.entities if e.kind == "person" and e.name == name]
    return person.roles


@pytest.mark.parametrize(("text", "name", "role"), [
    ("Tournament referee Aldo Brenner said play would resume.", "Aldo Brenner", "Tournament referee"),
    ("Olivia Brennan works for a recruitment firm. She was put on furlough.", "Olivia Brennan",
     "works for a recruitment firm"),
    ("Ayu Lestari, who works at a bank, said colleagues avoided her.", "Ayu Lestari", "works at a bank"),
    ("Mick Hollins runs Harbour Archive Solutions outside Leeds.", "Mick Hollins",
     "runs Harbour Archive Solutions"),
    ("Tomas Bell, from think tank the Harbour Foundation, said the package was big.", "Tomas Bell",
     "from think tank the Harbour Foundation"),
    ("Ms Siska Wirawan of the Centre for Harbour Studies, which has sought reform, said so.", "Siska Wirawan",
     "of the Centre for Harbour Studies"),
    ("The BBC's Carine Velasquez is at the scene.", "Carine Velasquez", "BBC"),
    ("One protester in Harbourton, who gave her name as Velinda, told reporters the marchers were undeterred.",
     "Velinda", "protester"),
    ('"The bones matter," said Tomas Verhoek in an email, study author and head of the imaging lab.',
     "Tomas Verhoek", "study author and head of the imaging lab"),
    ("Harbour Radio head of statistics Robert Hale said the count was late.", "Robert Hale",
     "Harbour Radio head of statistics"),
    ("The firm was started by co-founder Mirela Stanescu in 2009.", "Mirela Stanescu", "co-founder"),
    ("Three-time world champion Dario Velasquez will host the gala.", "Dario Velasquez",
     "Three-time world champion"),
    ("Dr Helen Marlow, a pulmonary physician on the front lines in Leeds, said beds were full.", "Helen Marlow",
     "pulmonary physician"),
    ("Tomas Vrba, 54, a nurse for more than 30 years, died in April.", "Tomas Vrba", "nurse"),
    ("The chair of Ardent Mills' board, Oona Keller, said the vote was fair.", "Oona Keller",
     "chair of Ardent Mills' board"),
    ("The city's mayor, Pavel Dusek, opened the bridge.", "Pavel Dusek", "city's mayor"),
    ("Ardent Mills named Rosa Quintero as its chief executive on Monday.", "Rosa Quintero", "chief executive"),
    ("Greta Lindqvist is co-founder of a small design agency.", "Greta Lindqvist",
     "co-founder of a small design agency"),
    ("The show features top wrestlers including Kyle Borden, Mara Hollis and Ted Quill.", "Mara Hollis",
     "top wrestler"),
    ("Rivervale's Secretary for Trade and Industry Edward Lam said exports rose.", "Edward Lam",
     "Rivervale's Secretary for Trade and Industry"),
    ("The medical director of Rivervale Health, Colm Brannigan, said admissions fell.", "Colm Brannigan",
     "medical director of Rivervale Health"),
    ("Reflecting the gravity of the emergency, Queen Margarethe issued the first Easter message in her reign.",
     "Margarethe", "Queen"),
    ('"We worked with [then Rivervale prime minister] Gordon Pellow," he said.', "Gordon Pellow",
     "then Rivervale prime minister"),
    ("One of Rivervale's top wrestlers, Roman Pellow, will not attend the show this year.", "Roman Pellow",
     "Rivervale's top wrestlers"),
])
def test_stated_role_forms(extract, text: str, name: str, role: str) -> None:  # type: ignore[no-untyped-def]
    assert role in roles(extract(text), name)


def test_a_possessive_person_is_cut_from_the_role(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Yesterday Ms Hollis's colleague Petra Novak told reporters the plan had failed.")
    assert roles(ex, "Petra Novak") == ["colleague"]


def test_plural_nouns_before_a_comma_are_no_role(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("In a statement to reporters, Bruno Castell said the mine would close.")
    assert roles(ex, "Bruno Castell") == []


def test_a_verb_is_no_role(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Lunch was hosted by the embassy, and Ilse Brandt, hosted to lunch, smiled.")
    assert all("hosted" not in r for r in roles(ex, "Ilse Brandt"))


@pytest.mark.parametrize(("text", "name"), [
    ("Oren Blum, joining forces with steel founder Carl Weiss, bought the team.", "Oren Blum"),
    ("Dana Frey, bearish on the future of student loans, sold her shares.", "Dana Frey"),
    ("Standing beside baseball player Nils Moberg, Ada Quist waved.", "Ada Quist"),
    ("Ada Quist runs a marathon every spring.", "Ada Quist"),
    ("Ada Quist of Leeds said the bridge was closed.", "Ada Quist"),
    ("Ada Quist, from her long feud with the Harbour Party, emerged stronger.", "Ada Quist"),
    ("Lars Heller from the Harbour Party and Ada Quist of the Civic League spoke.", "Lars Heller"),
])
def test_phrases_that_are_no_role(extract, text: str, name: str) -> None:  # type: ignore[no-untyped-def]
    assert roles(extract(text), name) == []
