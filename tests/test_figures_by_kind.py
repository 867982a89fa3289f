"""`!figures money`, `!figures %`: a reader asks for a kind of figure, not for the word."""

from __future__ import annotations

from pathlib import Path

from handlers.commands import dispatch
from handlers.index import Index


def test_figures_by_kind_on_the_seeds(seed_index: Path) -> None:
    with Index.open(seed_index) as index:
        money = dispatch(index, "!figures money")
        assert money.title == "Figures — money"
        assert any(line.startswith("$436 million humanitarian aid") for line in money.lines)
        assert all(f.unit in {"USD", "$", "EUR", "GBP"} for f in money.figures)
        shares = dispatch(index, "!figures %")
        assert shares.title == "Figures — percentages and shares"
        assert any("two-thirds" in line for line in shares.lines)
        assert dispatch(index, "!figures fighters").title.startswith("Figures about")
