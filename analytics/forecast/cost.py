"""Weekly unit costs by placement group and provider (`config/unit_costs.csv`, illustrative
defaults: edit them), and annual cost: children on 31 March x weekly cost x 52."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analytics.filters import FilterError
from analytics.forecast.model import GROUPS

COSTS_FILE = Path(__file__).resolve().parents[2] / "config" / "unit_costs.csv"
WEEKS = 52


def unit_costs(path: Path = COSTS_FILE) -> dict[str, float]:
    """Weekly cost of each placement group, from the CSV (group, weekly_cost, source)."""
    table = pd.read_csv(path)
    missing = set(GROUPS) - set(table["group"])
    if missing:
        raise FilterError(f"{path.name}: no weekly cost for {sorted(missing)}")
    return {g: float(c) for g, c in zip(table["group"], table["weekly_cost"]) if g in GROUPS}


def sources(path: Path = COSTS_FILE) -> pd.DataFrame:
    return pd.read_csv(path)


def annual_cost(by_group: pd.DataFrame, costs: dict[str, float]) -> pd.Series:
    """Annual cost of each row of children by placement group (columns named by group)."""
    return sum(by_group[g] * costs[g] * WEEKS for g in GROUPS if g in by_group)
