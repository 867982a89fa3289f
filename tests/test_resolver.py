"""The fuzzy resolver: general cases on made-up names, then the seed cases on the real seed index."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.index import Index
from handlers.resolver import WHO_KINDS, Resolver
from handlers.text import fold

ENTITIES = [
    ("person:ada-okafor", "Ada Okafor", "person", 12),
    ("person:lena-marsh", "Lena Marsh", "person", 4),
    ("person:tom-marsh", "Tom Marsh", "person", 3),
    ("person:mira-sales", "Mira Sales", "person", 9),
    ("person:pieter-van-der-berg", "Pieter van der Berg", "person", 2),
    ("person:zoe-lindqvist", "Zoë Lindqvist", "person", 2),
    ("person:jordan-reyes", "Jordan Reyes", "person", 1),
    ("organization:northern-relief-agency", "Northern Relief Agency", "organization", 7),
    ("organization:harbour-state", "Harbour State", "organization", 5),
    ("group:coastal-league", "Coastal League", "group", 6),
    ("place:jordan", "Jordan", "place", 8),
    ("place:valdoria", "Valdoria", "place", 3),
]
ALIASES = [
    ("person:ada-okafor", "Okafor"), ("person:ada-okafor", "Okafor's"), ("person:lena-marsh", "Marsh"),
    ("person:tom-marsh", "Marsh"), ("person:mira-sales", "Sales"), ("person:mira-sales", "Sales'"),
    ("organization:northern-relief-agency", "NRA"), ("organization:northern-relief-agency", "N.R.A."),
    ("group:coastal-league", "the League"), ("group:coastal-league", "CL"),
    ("organization:harbour-state", "HS"), ("organization:harbour-state", "Harbour State group"),
]


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(ENTITIES, ALIASES)


def resolved(resolver: Resolver, query: str, kinds: tuple[str, ...] | None = WHO_KINDS) -> str | None:
    res = resolver.resolve(query, kinds)
    return res.entity_id if res.status == "ok" else None


def test_fold_handles_case_accents_punctuation_and_possessives() -> None:
    assert fold("Jean-Yves Le Drian") == "jean yves le drian"
    assert fold("Okafor's") == fold("Okafor’s") == fold("OKAFOR") == "okafor"
    assert fold("Sales'") == "sales"
    assert fold("N.R.A.") == "nra"
    assert fold("Zoë  Lindqvist") == "zoe lindqvist"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Ada Okafor", "person:ada-okafor"),
        ("ada okafor", "person:ada-okafor"),
        ("Okafor's", "person:ada-okafor"),
        ("OKAFOR", "person:ada-okafor"),
        ("okafor ada", "person:ada-okafor"),  # any word order
        ("Ada", "person:ada-okafor"),  # forename
        ("n.r.a.", "organization:northern-relief-agency"),
        ("NRA", "organization:northern-relief-agency"),
        ("zoe lindqvist", "person:zoe-lindqvist"),  # accents folded
        ("Lindqvist", "person:zoe-lindqvist"),
        ("van der berg", "person:pieter-van-der-berg"),
        ("Berg", "person:pieter-van-der-berg"),
        ("Sales", "person:mira-sales"),
        ("sales'", "person:mira-sales"),
        ("Mira Salse", "person:mira-sales"),  # typo inside a full name
        ("Okafr", "person:ada-okafor"),  # dropped letter
        ("Okafore", "person:ada-okafor"),
        ("Lindquist", "person:zoe-lindqvist"),
        ("Valdorai", "place:valdoria"),
        ("the Coastal League", "group:coastal-league"),  # an article in front
        ("President Okafor", "person:ada-okafor"),  # a title in front
        ("person:tom-marsh", "person:tom-marsh"),  # an exact id, as a select menu sends it
    ],
)
def test_resolves(resolver: Resolver, query: str, expected: str) -> None:
    assert resolved(resolver, query) == expected


def test_exact_alias_wins_over_a_word_of_a_longer_name(resolver: Resolver) -> None:
    # "Jordan" is the place's name and the person's forename: the exact name decides.
    assert resolved(resolver, "Jordan") == "place:jordan"
    assert resolved(resolver, "Jordan Reyes") == "person:jordan-reyes"


def test_shared_surname_is_ambiguous_with_ranked_candidates(resolver: Resolver) -> None:
    res = resolver.resolve("Marsh", WHO_KINDS)
    assert res.status == "ambiguous"
    assert [c.name for c in res.candidates] == ["Lena Marsh", "Tom Marsh"]  # most mentioned first
    assert resolved(resolver, "Tom Marsh") == "person:tom-marsh"
    assert resolved(resolver, "Lena") == "person:lena-marsh"


@pytest.mark.parametrize("query", ["sales tax", "Salesforce", "salesman", "Okafor Holdings", "Marshall"])
def test_common_words_and_fragments_do_not_resolve(resolver: Resolver, query: str) -> None:
    assert resolver.resolve(query, WHO_KINDS).status == "not_found"


def test_a_real_entity_named_like_a_surname_wins_when_it_exists() -> None:
    res = Resolver([*ENTITIES, ("organization:salesforce", "Salesforce", "organization", 1)], ALIASES)
    assert resolved(res, "Salesforce") == "organization:salesforce"
    assert resolved(res, "Sales") == "person:mira-sales"


def test_not_found_offers_the_nearest_names(resolver: Resolver) -> None:
    res = resolver.resolve("Okafur Smith", WHO_KINDS)
    assert res.status == "not_found"
    assert res.candidates[0].name == "Ada Okafor"
    assert resolver.resolve("Xyzzy", WHO_KINDS).candidates == []
    assert resolver.resolve("   ", WHO_KINDS).status == "not_found"


def test_close_typos_of_two_names_are_ambiguous() -> None:
    res = Resolver([("person:a", "Anna Berger", "person", 2), ("person:b", "Anna Burger", "person", 2)], [])
    out = res.resolve("Anna Borger", WHO_KINDS)
    assert out.status == "ambiguous"
    assert {c.id for c in out.candidates} == {"person:a", "person:b"}


def test_kind_filter_and_people_first(resolver: Resolver) -> None:
    assert resolved(resolver, "Valdoria", ("person",)) is None
    assert resolved(resolver, "Valdoria", ("place",)) == "place:valdoria"
    res = Resolver([("person:k-state", "Kim State", "person", 1), *ENTITIES], ALIASES)
    out = res.resolve("State", WHO_KINDS)
    assert out.status == "ambiguous"
    assert out.candidates[0].kind == "person"  # people first among equals


def test_autocomplete_prefixes_and_ranking(resolver: Resolver) -> None:
    assert [c.name for c in resolver.complete("")][:3] == ["Ada Okafor", "Mira Sales", "Jordan"]
    assert [c.name for c in resolver.complete("oka")] == ["Ada Okafor"]
    assert [c.name for c in resolver.complete("van der b")] == ["Pieter van der Berg"]
    assert {c.name for c in resolver.complete("mars")} == {"Lena Marsh", "Tom Marsh"}
    assert [c.name for c in resolver.complete("Lindqvsit")] == ["Zoë Lindqvist"]  # typo filled in
    assert resolver.complete("jordan")[0].name == "Jordan"  # exact name first
    assert all(c.kind == "person" for c in resolver.complete("", kinds=("person",)))
    assert len(resolver.complete("", limit=3)) == 3
    assert resolver.complete("qqqq") == []


def test_autocomplete_with_a_huge_shared_prefix_stays_bounded() -> None:
    people = [(f"person:p{i}", f"Name{i:05d} Person", "person", i) for i in range(5000)]
    res = Resolver(people, [])
    out = res.complete("name", limit=25)
    assert len(out) == 25
    assert out[0].name == "Name04999 Person"  # most mentioned first


# --- the seeds (the real index, built once per session by conftest) ------------------------------------


@pytest.fixture(scope="module")
def seeds(seed_index: Path) -> Resolver:
    with Index.open(seed_index) as index:
        return index.resolver


def seed_name(resolver: Resolver, query: str) -> str | None:
    res = resolver.resolve(query, WHO_KINDS)
    return resolver.names[resolver.number[res.entity_id]] if res.entity_id else None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Sales", "Nathan Sales"), ("sales", "Nathan Sales"), ("nathan", "Nathan Sales"),
        ("Natan Sales", "Nathan Sales"), ("Sales'", "Nathan Sales"),
        ("pompeo", "Mike Pompeo"), ("Pompei", "Mike Pompeo"),
        ("le drian", "Jean-Yves Le Drian"), ("Drian", "Jean-Yves Le Drian"),
        ("Stoltenburg", "Jens Stoltenberg"),
        ("ISIL", "Islamic State"), ("daesh", "Islamic State"),
        ("SDF", "Syrian Democratic Forces"),
    ],
)
def test_seed_names_resolve(seeds: Resolver, query: str, expected: str) -> None:
    assert seed_name(seeds, query) == expected


@pytest.mark.parametrize("query", ["Macron", "sales tax", "Salesforce"])
def test_seed_non_names_do_not_resolve_to_a_person(seeds: Resolver, query: str) -> None:
    res = seeds.resolve(query, WHO_KINDS)
    assert res.status != "ok"
    if query == "Macron":
        assert res.status == "not_found"


def test_seed_autocomplete(seeds: Resolver) -> None:
    assert "Nathan Sales" in [c.name for c in seeds.complete("sal")]
    assert seeds.complete("stolten")[0].name == "Jens Stoltenberg"
    assert len(seeds.complete("")) <= 25
