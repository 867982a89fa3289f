"""Canonical people across documents, on a small made-up corpus built through the real pipeline."""

from __future__ import annotations

import json

import pytest

from corpus.build import build_index
from corpus.entities import same_person_name
from corpus.store import open_index, read_export

ARTICLES = {
    "a1": "Senator Ada Okafor said on Monday that the bridge would be rebuilt. Okafor said the work starts soon.\n\n"
          "Ada Okafor later told reporters that the money was ready.",
    "a2": "Ada Okafor told a rally on Tuesday that taxes would fall. Crooked Ada Okafor, a rival shouted.\n\n"
          "Ada Okafor said she would not respond.",
    "a3": "Ben Okafor, a farmer in Rivervale, said on Friday that the harvest was poor.",
    "a4": "Mr Okafor said on Sunday that nobody had called him.",
    "a5": "Joseph R. Brandt Jr. said on Monday that the port would reopen.",
    "a6": "Joe Brandt told reporters on Wednesday that the port had reopened.",
    "a7": "Mayor Lena Vasquez said on Monday that the library would close. Vasquez said it was sad.",
    "a8": "Ms Vasquez said on Thursday that the library had closed.",
    "a9": "Hammering Nora Delacroix, Marsh Tells Rivervale Supporters To Vote\n\n"
          "Tom Marsh told supporters in Rivervale on Saturday that Nora Delacroix had failed them. "
          "Delacroix did not respond.",
    "b1": "The Pellworth team said on Monday that its new car was fast. Pellworth finished third in the race.",
    "b2": "Lead author Dr Cara Pellworth said on Tuesday that the ice sheet was melting faster than thought.",
    "b3": "Jonah Quillan, a columnist, said on Monday that the race was close.",
    "b4": "Jeffrey Quillan, an editor, said on Tuesday that the paper would endorse nobody.",
    "b5": "J. Quillan wrote on Wednesday that the polls were wrong.",
}


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    root = tmp_path_factory.mktemp("multi")
    (root / "docs").mkdir()
    for doc_id, text in ARTICLES.items():
        title = "" if "\n\n" in text else f"Story {doc_id}\n\n"
        (root / "docs" / f"{doc_id}.txt").write_text(f" date 2021-06-0{doc_id[1]} {title}{text}\n")
    build_index([root / "docs"], root / "i.sqlite3")
    conn = open_index(root / "i.sqlite3")
    try:
        export = json.loads(read_export(conn).model_dump_json())
    finally:
        conn.close()
    return {e["name"]: sorted(d.removesuffix(".txt") for d in e["doc_ids"])
            for e in export["entities"] if e["kind"] == "person"}


def test_display_name_is_the_most_frequent_full_form(people: dict[str, list[str]]) -> None:
    assert "Ada Okafor" in people and not any(n.startswith("Crooked") for n in people)


def test_people_sharing_a_surname_stay_two_and_a_bare_surname_stays_apart(people: dict[str, list[str]]) -> None:
    assert people["Ada Okafor"] == ["a1", "a2"]
    assert people["Ben Okafor"] == ["a3"]
    assert people["Okafor"] == ["a4"]  # ambiguous between the two: not merged


def test_initials_suffixes_and_nicknames_join(people: dict[str, list[str]]) -> None:
    [brandt] = [n for n in people if n.endswith("Brandt") or n.endswith("Jr.")]
    assert people[brandt] == ["a5", "a6"]


def test_a_bare_surname_joins_the_only_full_name(people: dict[str, list[str]]) -> None:
    assert people["Lena Vasquez"] == ["a7", "a8"]


def test_same_person_name() -> None:
    assert same_person_name(["joseph", "r", "brandt", "jr"], ["joe", "brandt"])
    assert same_person_name(["a", "okafor"], ["ada", "okafor"])
    assert not same_person_name(["ada", "okafor"], ["ada", "brandt"])
    assert not same_person_name(["ada", "okafor"], ["ben", "okafor"])


def test_a_headline_verb_is_never_part_of_a_name(people: dict[str, list[str]]) -> None:
    assert people["Nora Delacroix"] == ["a9"] and people["Tom Marsh"] == ["a9"]
    assert not any("Hammering" in n or "Tells" in n or "Supporters" in n for n in people)


def test_one_name_in_unrelated_articles_stays_apart(people: dict[str, list[str]]) -> None:
    assert people["Cara Pellworth"] == ["b2"]  # the racing team of b1 is no part of her
    assert "Pellworth" not in people


def test_an_initial_that_fits_two_people_joins_neither(people: dict[str, list[str]]) -> None:
    assert people["Jonah Quillan"] == ["b3"] and people["Jeffrey Quillan"] == ["b4"]
    assert people["J. Quillan"] == ["b5"]
