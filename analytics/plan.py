"""The strategy's action plan: what the council said it would do, and how far it has got.

`config/action_plan.csv` (or the file named by `CLA_ACTION_PLAN`), one row an action, edited in
any spreadsheet: `id`, `action`, `priority` (the key of the page of its strategic priority:
reduce, placements, permanence, stability, care_leavers, health, missing), `lead`, `due` (a
date, 2008-09-30, or blank while ongoing), `milestone` (as the plan words it), `status` (one of
`STATUSES`), `measures` (the measure ids it is judged by, separated by spaces) and `indicator`
(the plan's own words for its evidence). The bundled file is Middlesbrough's Children Looked
After Strategy Action Plan 2008-2009 (its 34 actions); its statuses are illustrative.

Counts here are of actions, not children: disclosure control has nothing to hide in them. The
measures an action is judged by are read, like every number of a screen, from the shown numbers
(`analytics.present.action_plan`).
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from analytics.config import REPO_ROOT
from analytics.measures.registry import MEASURES
from analytics.present.pages import PAGES

STATUSES = ("Achieved", "On track", "Behind", "Not started")  # from done to not begun
COLUMNS = ("id", "action", "priority", "lead", "due", "milestone", "status", "measures", "indicator")
PRIORITIES = tuple(p.key for p in PAGES if p.tabs)


def plan_path() -> Path:
    return Path(os.environ.get("CLA_ACTION_PLAN") or REPO_ROOT / "config" / "action_plan.csv")


class PlanError(ValueError):
    """The action plan cannot be read: the message names the file, the row and the rule."""


@dataclass(frozen=True)
class Action:
    id: str
    action: str
    priority: str  # a priority page's key
    lead: str
    due: date | None
    milestone: str
    status: str
    measures: tuple[str, ...]
    indicator: str

    def overdue(self, on: date) -> bool:
        return self.status != "Achieved" and self.due is not None and self.due < on


def load_plan(path: Path | None = None) -> tuple[Action, ...]:
    """The actions of the plan file, in its order; () when there is no file."""
    path = path or plan_path()
    if not path.exists():
        return ()
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise PlanError(f"{path.name}: the columns {', '.join(missing)} are missing")
        actions = [_action(path.name, i, row) for i, row in enumerate(reader, start=2)]
    seen: set[str] = set()
    for i, a in enumerate(actions, start=2):
        if a.id in seen:
            raise PlanError(f"{path.name}, row {i}: the id {a.id} is used twice")
        seen.add(a.id)
    return tuple(actions)


def _action(name: str, row_number: int, row: dict) -> Action:
    v = {c: str(row.get(c) or "").strip() for c in COLUMNS}
    where = f"{name}, row {row_number}"
    if not v["id"] or not v["action"]:
        raise PlanError(f"{where}: an action needs an id and its words")
    status = next((s for s in STATUSES if s.lower() == v["status"].lower()), None)
    if status is None:
        raise PlanError(f"{where}: status {v['status']!r} is not one of {', '.join(STATUSES)}")
    if v["priority"] not in PRIORITIES:
        raise PlanError(f"{where}: priority {v['priority']!r} is not one of {', '.join(PRIORITIES)}")
    unknown = [m for m in v["measures"].split() if m not in MEASURES]
    if unknown:
        raise PlanError(f"{where}: {', '.join(unknown)} is not a measure id")
    try:
        due = date.fromisoformat(v["due"]) if v["due"] else None
    except ValueError:
        raise PlanError(f"{where}: due {v['due']!r} is not a date (2008-09-30) or blank") from None
    return Action(
        v["id"], v["action"], v["priority"], v["lead"], due, v["milestone"], status,
        tuple(v["measures"].split()), v["indicator"],
    )  # fmt: skip


def progress(actions: tuple[Action, ...]) -> pd.DataFrame:
    """Actions by priority (in the pages' order) and status (in `STATUSES` order): every pair,
    zeros included, as a chart and a table read them."""
    rows = [
        {"priority": p, "status": s, "actions": sum(a.priority == p and a.status == s for a in actions)}
        for p in PRIORITIES
        if any(a.priority == p for a in actions)
        for s in STATUSES
    ]
    return pd.DataFrame(rows, columns=["priority", "status", "actions"])


def summary(actions: tuple[Action, ...]) -> str:
    """The plan's progress in the words boards use: "20 of 34 achieved"."""
    done = sum(a.status == "Achieved" for a in actions)
    return f"{done} of {len(actions)} achieved"
