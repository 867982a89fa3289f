"""Reading a number phrase: "some 10,000", "$12.5m", "two dozen", "half a million", "60-70%", "50 cents",
"120,000 euros", "1,205 square miles", "fivefold".

Values, money and percentages are parsed here by hand: on the news dev set this finds more gold values than
price-parser (money: 60 against 57, it leaves "billion" unscaled) and text2num (number words: 81 against 65).
Measurement units come from quantulum3, which names them well ("9.8ft" → foot, "1,205 square miles").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from corpus.lexicon import FRACTIONS, NUMBER_WORDS, QUALIFIERS, SCALES, VAGUE_AMOUNTS

DATA = Path(__file__).with_name("data")
MULTIPLIERS = {"double": 2, "doubled": 2, "doubles": 2, "doubling": 2, "twice": 2, "triple": 3, "tripled": 3,
               "triples": 3, "tripling": 3, "quadrupled": 4, "quadruple": 4, "halved": 0.5}
FOLD_RE = re.compile(r"^(\w+)-?fold$")
NUMBER_RE = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$|^\.\d+$")
PERCENT_WORDS = {"%", "percent", "per", "cent", "pc", "percentage", "points", "point"}
CENT_WORDS = {"cent", "cents", "c", "p", "pence", "penny"}
EXTRA_WORDS = {"dozen": 12, "couple": 2}


def data_lines(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split() for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def currency_table() -> tuple[dict[str, str], dict[str, str | None]]:
    """(symbol → ISO code, currency word → ISO code or None when the word alone does not say which)."""
    symbols: dict[str, str] = {}
    words: dict[str, str | None] = {}
    for form, code in data_lines("currencies.txt"):
        if form.isalpha() and form.islower():
            words[form] = None if code == "-" else code
        else:
            symbols[form] = code
    return symbols, words


@dataclass(frozen=True)
class Amount:
    """A parsed number phrase. `currency` is an ISO code; `dollar` says a bare "$" whose currency the
    article's locale must settle; `unit` is "%" or a measurement unit's name."""

    value: float
    unit: str | None = None
    currency: str | None = None
    money: bool = False
    dollar: bool = False
    qualifier: str | None = None
    qclass: str = "exact"
    multiplier: bool = False
    rest: str = ""


def _split_qualifier(text: str) -> tuple[str, str | None, str]:
    low = text.lower()
    for phrase, cls in QUALIFIERS:
        if low.startswith(phrase + " "):
            return text[len(phrase) + 1:], phrase, cls
    return text, None, "exact"


def _normalise(text: str) -> str:
    t = " ".join(text.replace("\u00a0", " ").replace("–", "-").replace("—", "-").split())
    t = re.sub(r"^(an?|the) (\w+ )?(?=[$£€¥]|[A-Z]{1,3}\$|\d)", "", t)  # "a combined $20 million", "a record 25%"
    t = re.sub(r"(\d)(bn|mn|m|k|tn)\b", r"\1 \2", t, flags=re.IGNORECASE)
    t = re.sub(r"(\d)%", r"\1 %", t)
    t = re.sub(r"(\d)\s*-\s*(\d)", r"\1 - \2", t)  # a range "60-70"
    return re.sub(r"(\d)([a-zA-Z°])", r"\1 \2", t)


def words_value(words: list[str]) -> tuple[float, int] | None:
    """The value of the longest leading run of number words and digits, and how many words it took:
    "two dozen" → 24, "half a million" → 500,000, "3.8 million people" → (3,800,000, 2), "60 - 70" → 60."""
    total, current, seen, used, half = 0.0, 0.0, False, 0, False
    for n, raw in enumerate(words):
        w = raw.lower().strip(",")
        if NUMBER_RE.match(w) and not seen:
            current, seen = float(w.replace(",", "")), True
        elif w in NUMBER_WORDS and w not in {"a", "an", "dozen"}:
            v = NUMBER_WORDS[w]
            if seen and not (current == 0 or (v < 10 <= current and current % 10 == 0) or
                             (v < 100 <= current and current % 100 == 0)):
                break
            current, seen = current + v, True
        elif w in {"a", "an"} and (not seen or half):
            if not half:
                current, seen = 1.0, True
        elif w == "half" and not seen:
            current, seen, half = 0.5, True, True
        elif w in EXTRA_WORDS:
            current, seen = (current or 1) * EXTRA_WORDS[w], True
        elif w in SCALES and seen and (w not in {"m", "k"} or NUMBER_RE.match(words[n - 1].strip(","))):
            scale = SCALES[w]
            if scale >= 1000:
                total += (current or 1) * scale
                current = 0.0
            else:
                current = (current or 1) * scale
        elif w in {"and", "of"} and seen and n + 1 < len(words) and \
                (words[n + 1].lower() in NUMBER_WORDS or words[n + 1].lower() in SCALES):
            continue
        elif w in {"-", "to"} and seen and n + 1 < len(words) and (NUMBER_RE.match(words[n + 1]) or
                                                                 words[n + 1].lower() in NUMBER_WORDS):
            return total + current, n + 2  # a range: its low end
        else:
            break
        used = n + 1
    return (total + current, used) if seen else None


def parse_amount(text: str) -> Amount | None:
    """The value, unit, currency and qualifier of a number phrase; None when it holds no number."""
    t, qualifier, qclass = _split_qualifier(re.sub(r"^(between|from) ", "", _normalise(text), flags=re.IGNORECASE))
    low = t.lower()
    if low in VAGUE_AMOUNTS:
        return Amount(float(VAGUE_AMOUNTS[low]), qualifier=qualifier or low, qclass="vague")
    for vague in sorted(VAGUE_AMOUNTS, key=len, reverse=True):
        if low.startswith(vague + " of "):  # "thousands of people"
            return Amount(float(VAGUE_AMOUNTS[vague]), qualifier=qualifier or vague, qclass="vague",
                          rest=t[len(vague) + 4:])
    if low in MULTIPLIERS:
        return Amount(float(MULTIPLIERS[low]), qualifier=qualifier, qclass=qclass, multiplier=True)
    fold = FOLD_RE.match(low)
    if fold and (fold.group(1) in NUMBER_WORDS or fold.group(1).isdigit()):
        n = NUMBER_WORDS.get(fold.group(1)) or float(fold.group(1))
        return Amount(float(n), qualifier=qualifier, qclass=qclass, multiplier=True)
    symbols, currency_words = currency_table()
    currency, money, dollar = None, False, False
    for sym in sorted(symbols, key=len, reverse=True):
        after = t[len(sym):len(sym) + 1]
        if t.startswith(sym) and (not sym.isalpha() or after in {" ", ""} or after.isdigit()):  # "RM5", not "RMB"
            currency, money, t = symbols[sym], True, t[len(sym):].strip()
            break
    else:
        if t.startswith("$"):
            money, dollar, t = True, True, t[1:].strip()
    words = t.split()
    fraction = _fraction(words)
    if fraction is not None:
        return Amount(fraction, qualifier=qualifier, qclass=qclass)
    parsed = words_value(words)
    if parsed is None:
        return None
    value, used = parsed
    rest = [w.lower() for w in words[used:]]
    unit = None
    if rest and rest[0] in PERCENT_WORDS:
        unit = "%"
        while rest and rest[0] in PERCENT_WORDS:
            rest.pop(0)
    elif rest and rest[0] in CENT_WORDS and (money or rest[0] != "c"):  # "50 cents", "20p"; "1.2C" is a temperature
        value, money = round(value / 100, 4), True
        if rest[0] in {"p", "pence", "penny"}:
            currency = "GBP"
        elif not currency:
            dollar = True
        rest.pop(0)
    elif rest and rest[0] in currency_words:
        money = True
        code = currency_words[rest.pop(0)]
        if code:
            currency, dollar = code, False
        elif not currency:
            dollar = True
    return Amount(value, unit=unit, currency=currency, money=money, dollar=dollar and not currency,
                  qualifier=qualifier, qclass=qclass, rest=" ".join(rest))


def _fraction(words: list[str]) -> float | None:
    """"two-thirds", "a fifth", "one third", "half" (alone)."""
    low = [w.lower() for w in words]
    if len(low) == 1 and "-" in low[0]:
        low = low[0].split("-")
    if len(low) == 1 and low[0] == "half":
        return 0.5
    if len(low) == 2 and low[1] in FRACTIONS and low[0] in NUMBER_WORDS:
        return round(NUMBER_WORDS[low[0]] * FRACTIONS[low[1]], 3)
    return None


# Metric prefixes as quantulum3's unit catalogue writes them (its "prefixes" field holds the symbols).
PREFIXES = {"E": "exa", "P": "peta", "T": "tera", "G": "giga", "M": "mega", "k": "kilo", "h": "hecto", "da": "deca",
            "d": "deci", "c": "centi", "m": "milli", "µ": "micro", "n": "nano", "p": "pico", "f": "femto"}
IRREGULAR_PLURALS = {"foot": "feet", "inch": "inches", "degree celsius": "degrees celsius",
                     "degree fahrenheit": "degrees fahrenheit"}


@lru_cache(maxsize=1)
def unit_table() -> tuple[dict[str, str], dict[str, str]]:
    """(written form → unit name, symbol → unit name) from quantulum3's unit catalogue (its units.json), read
    as data: importing quantulum3's parser costs about 4.6 s per process (inflect under typeguard), more than
    an incremental build of one article, for the same figures on the news dev set."""
    import importlib.util
    import json

    spec = importlib.util.find_spec("quantulum3")
    assert spec is not None and spec.origin is not None, "quantulum3 is a dependency"
    units = json.loads((Path(spec.origin).parent / "units.json").read_text(encoding="utf-8"))
    words: dict[str, str] = {}
    symbols: dict[str, str] = {}
    for name, unit in units.items():
        if unit.get("entity") in {"dimensionless", "currency"}:
            continue
        forms = [f.lower() for f in unit.get("surfaces", [])]
        for prefix in unit.get("prefixes", []):
            word = PREFIXES.get(prefix)
            if word:
                forms += [word + f for f in forms if " " not in f]
                for sym in unit.get("symbols", []):
                    symbols.setdefault(prefix + sym, word + name)
        for form in forms:
            unit_name = name if not form.startswith(tuple(PREFIXES.values())) or form in {
                f.lower() for f in unit.get("surfaces", [])} else form
            for written in (form, IRREGULAR_PLURALS.get(form, form + ("es" if form.endswith(("s", "x", "ch"))
                                                                      else "s"))):
                words.setdefault(written, unit_name)
        for sym in unit.get("symbols", []):
            symbols.setdefault(sym, name)
    return words, symbols


@lru_cache(maxsize=4096)
def measurement_unit(text: str) -> str | None:
    """The unit of a measurement phrase as quantulum3's catalogue names it ("1,205 square miles" → "square
    mile", "3m" → "metre", "4.2 light-years" → "light-year"); a temperature "1.2C" is degrees Celsius, not
    coulombs. The longest written form after the number wins; a symbol must match its case."""
    if re.search(r"\d\s*°?C\b", text):
        return "degree Celsius"
    m = re.search(r"\d(?:[\d,.]*\d)?\s*(.*)$", text)
    if not m or not m.group(1):
        return None
    rest = m.group(1).replace("-", " ").split()
    words, symbols = unit_table()
    for n in range(min(3, len(rest)), 0, -1):
        phrase = " ".join(rest[:n])
        for key in (phrase.lower(), phrase.lower().replace(" ", "-")):
            if key in words:
                return words[key]
    head = rest[0].strip(".,;:()")
    if head in symbols:
        return symbols[head]
    parts = head.split("/")
    if len(parts) == 2 and all(p in symbols or p.lower() in words for p in parts):  # "km/h"
        a, b = (symbols.get(p) or words[p.lower()] for p in parts)
        return f"{a} per {b}"
    return None
