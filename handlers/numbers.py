"""How figure values read: 10,000 · $436 million · two-thirds (66.7%) · 12.5% · thousands."""

from __future__ import annotations

from corpus.lexicon import CURRENCY_SYMBOLS, VAGUE_AMOUNTS

SYMBOLS = {code: sym for sym, code in sorted(CURRENCY_SYMBOLS.items(), key=lambda kv: -len(kv[0]))}  # "$", not "US$"
SCALE_WORDS = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
FRACTION_WORDS = {
    0.5: "half", 1 / 3: "one-third", 2 / 3: "two-thirds", 0.25: "a quarter", 0.75: "three-quarters",
    0.2: "one-fifth", 0.1: "one-tenth",
}


def _plain(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _scaled(value: float) -> str:
    for size, word in SCALE_WORDS:
        if abs(value) >= size:
            return f"{_plain(round(value / size, 2))} {word}"
    return _plain(value)


def format_value(value: float, unit: str | None, qualifier: str | None = None) -> str:
    """The value as a reader would write it, without the qualifier (vague amounts are their own words)."""
    if qualifier and qualifier.lower() in VAGUE_AMOUNTS:
        return qualifier.lower()
    if unit == "%":
        return f"{_plain(value)}%"
    if unit:
        amount = _scaled(value)
        symbol = SYMBOLS.get(unit)
        return f"{symbol}{amount}" if symbol else f"{amount} {unit}"
    if 0 < value < 1:
        for fraction, word in FRACTION_WORDS.items():
            if abs(value - fraction) < 0.0015:
                return f"{word} ({_plain(round(value * 100, 1))}%)"
        return f"{_plain(round(value * 100, 1))}%"
    return _scaled(value)


def with_qualifier(value: float, unit: str | None, qualifier: str | None) -> str:
    """ "some 30", "more than 30", "31", "thousands" — how one document states the figure."""
    shown = format_value(value, unit, qualifier)
    if qualifier and qualifier.lower() not in VAGUE_AMOUNTS:
        return f"{qualifier} {shown}"
    return shown
