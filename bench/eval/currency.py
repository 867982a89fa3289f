"""Is the currency of every money figure of the news dev set right?

The gold lists each key figure's text ("S$79.3 million", "$15 million") but not its currency, so the expected
currency is read from that text: a prefixed or named currency is itself ("US$", "A$", "£", "yuan"); a bare "$"
is the dollar of the outlet's house style — The Straits Times writes the Singapore dollar as "$", CNN and BBC
News write the US dollar so — taken from the article's URL in the rebuilt set's meta.json, never from the text
the extraction reads. Each gold money figure is matched to the exported money figure of its article with the same
value (within 1 %): its amount, or the converted amount of a bracketed conversion ("A$85 million (S$79.3
million)" holds both)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.numbers import currency_table

OUTLET_DOLLAR = {"straitstimes.com": "SGD", "cnn.com": "USD", "bbc.co.uk": "USD", "bbc.com": "USD"}
WORD_RE = re.compile(r"[a-z]+")
ISO_RE = re.compile(r"[A-Z]{3}")


@dataclass
class CurrencyScore:
    gold: int = 0  # gold figures that name a currency
    money: int = 0  # of those, found as amounts of money (money figures, rates, bracketed conversions)
    right: int = 0
    unknown: int = 0
    wrong: list[str] | None = None


def expected_currency(text: str, outlet_dollar: str | None) -> str | None:
    """The currency a gold figure's text names ("S$4 million" → SGD), the outlet's for a bare "$", None when
    the text names no currency."""
    symbols, words = currency_table()
    for sym in sorted(symbols, key=len, reverse=True):
        if sym != "$" and sym in text:
            return symbols[sym]
    if "$" in text:
        return outlet_dollar
    return next((words[w] for w in WORD_RE.findall(text.lower()) if words.get(w)), None)


def _outlet_dollar(url: str) -> str | None:
    return next((code for host, code in OUTLET_DOLLAR.items() if host in url), None)


def score_currency(export: dict[str, Any], gold: dict[str, Any], meta: list[dict[str, Any]]) -> CurrencyScore:
    urls = {m["id"]: m["url"] for m in meta}
    money: dict[str, list[tuple[float, str | None]]] = {}
    for f in export["figures"]:
        amounts = money.setdefault(f["doc_id"], [])
        if f.get("kind") in ("money", "rate") and (f.get("kind") == "money" or f.get("currency")):
            amounts.append((f["value"], f.get("currency")))
        if f.get("alt_value") is not None and ISO_RE.fullmatch(f.get("alt_unit") or ""):
            amounts.append((f["alt_value"], f["alt_unit"]))
    score = CurrencyScore(wrong=[])
    for doc, facts in gold.items():
        for g in facts.get("figures", []):
            want = expected_currency(g["text"], _outlet_dollar(urls.get(doc, "")))
            if want is None:
                continue
            score.gold += 1
            got = [c for v, c in money.get(doc, []) if abs(v - g["value"]) <= 0.01 * abs(g["value"])]
            if not got:
                continue
            score.money += 1
            currency = want if want in got else got[0]
            if currency == want:
                score.right += 1
            elif currency is None:
                score.unknown += 1
            else:
                score.wrong.append(f"{doc}: {g['text']!r} {currency} (want {want})")
    return score


def currency_of_news_dev(export_path: Path, gold_path: Path, meta_path: Path) -> CurrencyScore:
    return score_currency(json.loads(export_path.read_text()), json.loads(gold_path.read_text()),
                          json.loads(meta_path.read_text()))
