"""What-if projections of children looked after, care leavers ahead and placement cost
(a stock-and-flow model learnt from the loaded history; see `model.py`)."""

from analytics.forecast.model import (
    GROUPS,
    History,
    Model,
    Projection,
    Scenario,
    Shift,
    backtest,
    fit,
    load_history,
    project,
)

__all__ = [
    "GROUPS",
    "History",
    "Model",
    "Projection",
    "Scenario",
    "Shift",
    "backtest",
    "fit",
    "load_history",
    "project",
]
