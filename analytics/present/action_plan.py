"""The action plan's screen: progress ("20 of 34 achieved", by priority and status) and each
action with the measures it is judged by, their shown values and their RAG as the scorecard
rates them (`scorecard.assess`).

A screen like any other: the measures are read from one disclosure pass over the releases of
the view (`release.numbers`), and every number written is a shown one. The counts of actions
are not counts of children (`analytics.plan`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from analytics import release, safe_csv
from analytics.comparators import Benchmarks, Published
from analytics.measures.registry import MEASURES
from analytics.plan import STATUSES, Action, progress, summary
from analytics.present.formats import fmt, n_of_d
from analytics.present.model import Chart, Metric, View
from analytics.present.scorecard import assess, rag_period
from analytics.release import Release
from analytics.strategy import Strategy

STATUS_COLOURS = {  # colour-blind safe, and the scorecard's RAG greens and amber
    "Achieved": "#009E73",
    "On track": "#56B4E9",
    "Behind": "#E69F00",
    "Not started": "#999999",
}


@dataclass
class PlanScreen:
    summary: str  # "20 of 34 achieved"
    metrics: list[Metric]
    chart: Chart | None
    progress: pd.DataFrame  # priority by status, with the total
    table: pd.DataFrame  # one row an action, as shown
    notes: list[str] = field(default_factory=list)
    audit: dict = field(default_factory=dict)  # {release Key: shown value} of every number read

    def csv(self) -> str:
        return safe_csv.to_csv(self.table)

    def by_priority(self) -> list[tuple[str, pd.DataFrame]]:
        """Each priority's actions, in the plan's order, as the page lists them."""
        columns = ["Action", "Status", "What", "Measures", "Due", "Lead"]
        return [
            (p, rows[columns].set_index("Action")) for p, rows in self.table.groupby("Priority", sort=False)
        ]

    def texts(self) -> list[str]:
        out = [self.summary, *self.notes, *(t for m in self.metrics for t in (m.label, m.value, m.detail))]
        out += self.chart.texts() if self.chart else []
        return out + [str(v) for v in self.table.to_numpy().ravel()]


def build(
    rels: Sequence[Release],
    view: View,
    strategy: Strategy,
    benchmarks: Benchmarks | None,
    actions: tuple[Action, ...],
    today: date | None = None,
) -> PlanScreen:
    """The plan's screen under a view: progress, and each action's measures for the RAG year."""
    bench = benchmarks or Benchmarks(Published.empty())
    n = release.numbers(rels, view.rules)
    on = today or date.today()
    _, rag_label = rag_period(view)
    titles = {p: strategy.page(p).title for p in {a.priority for a in actions}}
    rated: dict[str, str] = {}
    for mid in dict.fromkeys(m for a in actions for m in a.measures):
        a = assess(n, mid, view, strategy, bench)
        unit = MEASURES[mid].unit
        value = fmt(a.shown["value"], unit)
        if not unit.is_count:
            value += f" ({n_of_d(a.shown['numerator'], a.shown['denominator'])})"
        rated[mid] = f"{MEASURES[mid].title}: {value}" + (f", {a.rag}" if a.rag != "–" else "")
    table = pd.DataFrame(
        [
            {
                "Action": a.id,
                "What": a.action,
                "Priority": titles[a.priority],
                "Lead": a.lead,
                "Due": a.due.strftime("%d %b %Y") if a.due else a.milestone,
                "Status": a.status + (" (overdue)" if a.overdue(on) else ""),
                "Measures": "; ".join(rated[m] for m in a.measures) or "–",
                "Indicator": a.indicator,
            }
            for a in actions
        ],
        columns=["Action", "What", "Priority", "Lead", "Due", "Status", "Measures", "Indicator"],
    )
    by = progress(actions)
    grid = by.pivot(index="priority", columns="status", values="actions").reindex(
        index=list(dict.fromkeys(by.priority)), columns=list(STATUSES)
    )
    grid["All"] = grid.sum(axis=1)
    grid.index = [titles[p] for p in grid.index]
    grid = grid.rename_axis("Priority").reset_index()
    metrics = [
        Metric(
            s,
            str(sum(a.status == s for a in actions)),
            f"of {len(actions)} actions",
            "Overdue: past their due date and not achieved."
            if s != "Achieved"
            else "Achieved: done, as the lead officer reports.",
        )
        for s in STATUSES
    ]
    overdue = sum(a.overdue(on) for a in actions)
    chart = None
    if actions:
        drawn = by.assign(category=by.priority.map(titles)).rename(columns={"status": "group"})
        chart = Chart(
            "bars",
            drawn[["category", "group", "actions"]],
            dict(
                category="category",
                value="actions",
                labels=[str(v) for v in drawn.actions],
                title=f"The action plan: {summary(actions)}, by priority",
                footnote=(
                    "Actions by the status their lead officer reports (config/action_plan.csv). "
                    f"{overdue} of {len(actions)} are past their due date and not achieved."
                ),
                value_title="Actions",
                colour_by="group",
                stacked=True,
                colours=STATUS_COLOURS,
            ),
        )
    notes = [
        f"Measures: each action's measures for {rag_label}, as the scorecard shows them (its RAG rule: "
        + (
            "by quartile band where DfE publishes the measure, else "
            if strategy.rag_basis == "quartile"
            else ""
        )
        + "against the council's target; a dash where there is none).",
        "Counts on this page are of actions, not children.",
    ]
    if view.part_of_council:
        notes.append("The plan is the council's; its measures here are for the filters chosen.")
    return PlanScreen(summary(actions), metrics, chart, grid, table, notes, dict(n.read))
