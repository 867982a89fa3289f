"""The place gazetteer: the shipped copy is exactly what the pinned packages give."""

from __future__ import annotations

from corpus.gazetteer import PLACES_FILE, fold, from_packages, gazetteer, read_places


def test_shipped_copy_matches_the_packages() -> None:
    assert read_places(PLACES_FILE) == from_packages(), "regenerate it: python -m corpus.gazetteer"


def test_tiers() -> None:
    gaz = gazetteer()
    for name in ["Mali", "Burkina Faso", "Salah ad Din", "the Sahel", "Jordan", "Şalāḩ ad Dīn"]:
        assert gaz.is_place(name, strong_only=True), name
    assert gaz.is_place("Paris") and not gaz.is_place("Paris", strong_only=True)
    assert not gaz.is_place("Stoltenberg")


def test_fold() -> None:
    assert fold("Jean-Yves Le Drian's") == "jean yves le drian"
    assert fold("U.S.") == "u s"
    assert fold("Şalāḩ ad Dīn") == "salah ad din"
