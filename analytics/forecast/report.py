"""The what-if's numbers as the command line and the page show them.

Projections are model outputs (expected children, fractional) and are not counts of real
children: they are shown rounded to whole children, and when disclosure control is on a
projected cell under `FEW` is shown as "fewer than five" (in words), so that a small district's scenario does
not read as a count of real children. The real counts shown beside them (the backtest's actual
children, the children behind the spend, the care leavers ahead) are declared to
`analytics.disclosure` and suppressed in one pass like every other screen.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import duckdb
import pandas as pd
import plotly.graph_objects as go

from analytics import disclosure, release, store
from analytics.charts import HEIGHT, PALETTE, TEMPLATE
from analytics.filters import AGE_BANDS, FilterError, Filters
from analytics.forecast import cost
from analytics.forecast.model import (
    GROUPS,
    History,
    Projection,
    Scenario,
    Shift,
    backtest,
    fit,
    load_history,
    project,
    read_scenario,
)

FEW = 5
FEWER = "fewer than five"  # in words: a projection, not a count to hide


def projection_json(p: Projection, costs: dict[str, float]) -> list[dict]:
    totals, bands, groups = p.totals(), p.by_age_band(), p.by_group()
    annual = cost.annual_cost(groups, costs)
    return [
        {
            "year": int(row.year),
            "children": round(float(row.children), 1),
            "low": round(float(row.low), 1),
            "high": round(float(row.high), 1),
            "cost": round(float(annual[row.year])),
            "turning_18_in_care": round(float(p.leavers_18[i].sum()), 1),
            "by_age_band": {b: round(float(bands.loc[row.year, b]), 1) for b in AGE_BANDS},
            "by_placement": {g: round(float(groups.loc[row.year, g]), 1) for g in GROUPS},
        }
        for i, row in enumerate(totals.itertuples())
    ]


@dataclass
class WhatIf:
    """Everything the page shows for one area and scenario. With too little history there is no
    projection (`problem` says why) but the history's own tables are still shown."""

    history: History
    costs: dict[str, float]
    baseline: Projection | None = None
    scenario: Projection | None = None
    backtest: dict | None = None
    problem: str | None = None
    scenario_name: str = "scenario"


def build(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    scenario: Scenario,
    horizon: int,
    costs: dict[str, float],
    origin: int,
) -> WhatIf:
    """The what-if of an area under a scenario (kept for the connection, `store.kept`)."""
    kept = store.kept(con).setdefault("what_if", {})
    key = (f, scenario, horizon, tuple(sorted(costs.items())), origin)
    if key not in kept:
        kept[key] = _build(con, f, scenario, horizon, costs, origin)
    return kept[key]


def _build(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    scenario: Scenario,
    horizon: int,
    costs: dict[str, float],
    origin: int,
) -> WhatIf:
    w = WhatIf(load_history(con, f), costs, scenario_name=scenario.name)
    try:
        model = fit(w.history)
    except FilterError as exc:
        w.problem = str(exc)
        return w
    w.baseline, w.scenario = project(model, horizon), project(model, horizon, scenario)
    with contextlib.suppress(FilterError):  # no loaded year after the origin: no backtest shown
        w.backtest = backtest(w.history, origin, 3)
    return w


def money_change(pounds: float) -> str:
    """A change in pounds as text in millions: +£1.2m, -£0.3m."""
    if round(pounds / 1e5) == 0:
        return "£0.0m"
    return f"{'+' if pounds > 0 else '-'}£{abs(pounds) / 1e6:,.1f}m"


def projection_csv(w: WhatIf) -> str:
    """The baseline and scenario by year (expected children, cost) as CSV."""
    rows = [
        {"projection": name, **{k: v for k, v in r.items() if not isinstance(v, dict)}}
        for name, p in (("baseline", w.baseline), (w.scenario_name, w.scenario))
        for r in projection_json(p, w.costs)
    ]
    return pd.DataFrame(rows).to_csv(index=False)


def shown_projection(value: float, suppress: bool) -> str:
    """A projected number of children as text: whole children, "fewer than five" when small."""
    if suppress and abs(value) < FEW:
        return FEWER
    return f"{value:,.0f}"


def shown_band(low: float, high: float, suppress: bool) -> str:
    if suppress and high < FEW:
        return FEWER
    if suppress and low < FEW:
        return f"up to {high:,.0f}"
    return f"{low:,.0f} to {high:,.0f}"


def shown_difference(d: float, suppress: bool) -> str:
    """A projected difference in children: +12, -8, and in words under five when small."""
    if suppress and abs(d) < FEW and round(d) != 0:
        return "under five more" if d > 0 else "under five fewer"
    return f"{d:+,.0f}"


def side_by_side(w: WhatIf, suppress: bool) -> pd.DataFrame:
    base, scen = w.baseline.totals(), w.scenario.totals()
    cb = cost.annual_cost(w.baseline.by_group(), w.costs)
    cs = cost.annual_cost(w.scenario.by_group(), w.costs)
    rows = []
    for b, s in zip(base.itertuples(), scen.itertuples()):
        rows.append(
            {
                "31 March": str(b.year),
                "Baseline": shown_projection(b.children, suppress),
                "Baseline band (10th to 90th percentile)": shown_band(b.low, b.high, suppress),
                "Scenario": shown_projection(s.children, suppress),
                "Difference": shown_difference(s.children - b.children, suppress),
                "Baseline cost": f"£{cb[b.year] / 1e6:,.1f}m",
                "Scenario cost": f"£{cs[b.year] / 1e6:,.1f}m",
                "Difference in cost": money_change(cs[b.year] - cb[b.year]),
            }
        )
    return pd.DataFrame(rows)


def by_placement(p: Projection, suppress: bool) -> pd.DataFrame:
    g = p.by_group()
    return pd.DataFrame(
        {
            "Placement": list(GROUPS),
            **{str(y): [shown_projection(g.loc[y, c], suppress) for c in GROUPS] for y in p.years},
        }
    )


# --- a saved scenario on the page's controls -------------------------------------------------

# The page's sliders: (lowest, highest, step) in percent
STARTS_RANGE = PERMANENCE_RANGE = (-50, 50, 5)
SHARE_RANGE = (0, 50, 5)


def _on_slider(label: str, what: str, value: float, rng: tuple[int, int, int]) -> int:
    low, high, step = rng
    if not (low <= value <= high and value % step == 0):
        raise FilterError(
            f"{label}: {what} {value:g}% is beyond the page's control ({low}% to {high}% in steps of "
            f"{step}); run it with `python -m analytics forecast --scenario {label}`"
        )
    return int(value)


def controls(label: str, text: str, districts: list[str]) -> dict:
    """A saved scenario (JSON, as the page or `Scenario.to_json` writes it) as the values of the
    page's controls, or a clear error naming the file and what the page cannot show."""
    s = read_scenario(label, text)
    unknown = sorted(set(s.districts) - set(districts))
    if unknown:
        raise FilterError(f"{label}: no child of the loaded data lives in {unknown}")
    if len(s.shifts) > 1:
        raise FilterError(
            f"{label}: the page shows one placement shift and this scenario has {len(s.shifts)}; "
            f"run it with `python -m analytics forecast --scenario {label}`"
        )
    shift = s.shifts[0] if s.shifts else None
    return {
        "name": s.name,
        "starts": _on_slider(label, "the change in starts", s.starts_change, STARTS_RANGE),
        "districts": list(s.districts),
        "age_bands": list(s.age_bands),
        "source": shift.source if shift else GROUPS[1],
        "target": shift.target if shift else GROUPS[0],
        "share": _on_slider(label, "the share shifted", round(shift.share * 100, 6), SHARE_RANGE)
        if shift
        else 0,
        "permanence": _on_slider(
            label, "the change in leaving to permanence", s.permanence_change, PERMANENCE_RANGE
        ),
    }


def scenario_of(
    name: str,
    starts: int,
    districts: list[str],
    age_bands: list[str],
    source: str,
    target: str,
    share: int,
    permanence: int,
) -> Scenario:
    """The scenario the page's controls set (the inverse of `controls`)."""
    return Scenario(
        name=name,
        starts_change=float(starts),
        districts=tuple(districts),
        age_bands=tuple(age_bands),
        shifts=(Shift(source, target, share / 100),) if share and source != target else (),
        permanence_change=float(permanence),
    )


# --- the real counts, through disclosure control --------------------------------------------


def declare(w: WhatIf, f: Filters) -> disclosure.Declaration:
    """The real counts of the page: backtest actuals by age band, children by placement group
    behind the spend, care leavers ahead by placement group and by district."""
    decl = disclosure.Declaration()
    base = release._filtered_by(f)
    actual = w.backtest["actual"] if w.backtest else pd.DataFrame()
    for y in actual.index:
        decl.count(("actual", y), int(actual.loc[y].sum()), base)
        cells = [("actual", y, b) for b in AGE_BANDS]
        for b in AGE_BANDS:
            decl.count(("actual", y, b), int(actual.loc[y, b]), [*base, "age_band"])
        decl.group(cells, ("actual", y))
    spend = spend_counts(w.history)
    for y in spend.index:
        decl.count(("stock", y), int(spend.loc[y].sum()), base)
        for g in GROUPS:
            decl.count(("stock", y, g), int(spend.loc[y, g]), [*base, "placement_group"])
            decl.ratio(
                ("spend", y, g),
                float(spend.loc[y, g] * w.costs[g] * cost.WEEKS),
                ("stock", y, g),
                ("stock", y),
            )
        decl.group([("stock", y, g) for g in GROUPS], ("stock", y))
    for k, (by_group, by_district) in enumerate(leavers_ahead(w.history), start=1):
        decl.count(("leavers", k), int(by_group.sum()), [*base, "age_band"])
        for g in GROUPS:
            decl.count(
                ("leavers", k, "group", g), int(by_group.get(g, 0)), [*base, "age_band", "placement_group"]
            )
        decl.group([("leavers", k, "group", g) for g in GROUPS], ("leavers", k))
        districts = list(by_district.index)
        for d in districts:
            decl.count(("leavers", k, "district", d), int(by_district[d]), [*base, "age_band", "district"])
        decl.group([("leavers", k, "district", d) for d in districts], ("leavers", k))
    return decl


def spend_counts(h: History) -> pd.DataFrame:
    """Children on each loaded 31 March by placement group (real counts)."""
    t = h.stock.pivot_table(index="year", columns="group", values="child_key", aggfunc="count", fill_value=0)
    return t.reindex(columns=list(GROUPS), fill_value=0)


def leavers_ahead(h: History) -> list[tuple[pd.Series, pd.Series]]:
    """Children looked after on the last 31 March who turn 18 in each of the next three years
    (now 17, 16, 15), by current placement group and by district (real counts)."""
    last = h.stock[h.stock["year"] == h.years[-1]]
    out = []
    for age in (17, 16, 15):
        s = last[last["age"] == age]
        out.append(
            (s.groupby("group").size(), s.groupby("district").size().reindex(h.districts, fill_value=0))
        )
    return out


def _text(v) -> str:
    if v == disclosure.SUPPRESSED or v is None:
        return "c" if v else "–"
    return f"{v:,.0f}"


def backtest_table(w: WhatIf, shown: disclosure.Disclosed, suppress: bool) -> pd.DataFrame:
    b = w.backtest
    rows = []
    for y in b["years"]:
        proj = b["projected"].loc[y]
        act = shown[("actual", y)]
        err = (
            "–"
            if act in (disclosure.SUPPRESSED, None) or not act
            else f"{(proj.sum() - act) / act * 100:+.1f}%"
        )
        rows.append(
            {
                "31 March": str(y),
                "Projected": shown_projection(proj.sum(), suppress),
                "Actual": _text(act),
                "Error": err,
            }
            | {
                f"{band}: projected / actual": f"{shown_projection(proj[band], suppress)} / {_text(shown[('actual', y, band)])}"
                for band in AGE_BANDS
            }
        )
    return pd.DataFrame(rows)


def spend_table(w: WhatIf, shown: disclosure.Disclosed) -> pd.DataFrame:
    years = spend_counts(w.history).index[-10:]
    rows = []
    for y in years:
        row = {"31 March": str(y), "Children": _text(shown[("stock", y)])}
        for g in GROUPS:
            v = shown[("spend", y, g)]
            row[g] = "c" if v == disclosure.SUPPRESSED else f"£{v / 1e6:,.2f}m"
        rows.append(row)
    return pd.DataFrame(rows)


def leavers_tables(w: WhatIf, shown: disclosure.Disclosed) -> tuple[pd.DataFrame, pd.DataFrame]:
    last = w.history.years[-1]
    heads = [f"Turn 18 in {last + k - 1}-{(last + k) % 100:02d}" for k in (1, 2, 3)]
    by_group = pd.DataFrame(
        {"Placement now": [*GROUPS, "All"]}
        | {
            h: [_text(shown[("leavers", k, "group", g)]) for g in GROUPS] + [_text(shown[("leavers", k)])]
            for k, h in enumerate(heads, 1)
        }
    )
    ds = list(w.history.districts)
    by_district = pd.DataFrame(
        {"District": ds}
        | {h: [_text(shown[("leavers", k, "district", d)]) for d in ds] for k, h in enumerate(heads, 1)}
    )
    return by_group, by_district


def figure(w: WhatIf, shown: disclosure.Disclosed, title: str):
    """Children looked after: the history (shown counts), the backtest, the baseline with its
    band and the scenario."""
    history = spend_counts(w.history).index[-10:]
    fig = go.Figure()
    actual = [shown[("stock", y)] for y in history]
    fig.add_scatter(
        x=list(history),
        y=[v if isinstance(v, int | float) else None for v in actual],
        name="Looked after on 31 March (actual)",
        mode="lines+markers",
        line={"color": PALETTE[7]},
    )
    if w.backtest:
        b = w.backtest
        fig.add_scatter(
            x=b["years"],
            y=b["projected"].sum(axis=1).round(0).tolist(),
            name=f"Backtest: projected from {b['origin']}",
            mode="lines+markers",
            line={"color": PALETTE[1], "dash": "dot"},
        )
    base, scen = w.baseline.totals(), w.scenario.totals()
    # the lines start from the last 31 March as shown (a gap if it is hidden)
    last = float(actual[-1]) if isinstance(actual[-1], int | float) else float("nan")
    start = pd.DataFrame({"year": [history[-1]], "children": [last], "low": [last], "high": [last]})
    base, scen = pd.concat([start, base], ignore_index=True), pd.concat([start, scen], ignore_index=True)
    x = base["year"].tolist()
    fig.add_scatter(
        x=x, y=base["high"].round(0), mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip"
    )
    fig.add_scatter(
        x=x,
        y=base["low"].round(0),
        mode="lines",
        line={"width": 0},
        fill="tonexty",
        fillcolor="rgba(0,114,178,0.18)",
        name="Baseline: 10th to 90th percentile",
        hoverinfo="skip",
    )
    fig.add_scatter(
        x=x, y=base["children"].round(0), name="Baseline", mode="lines+markers", line={"color": PALETTE[0]}
    )
    fig.add_scatter(
        x=x,
        y=scen["children"].round(0),
        name="Scenario",
        mode="lines+markers",
        line={"color": PALETTE[5], "dash": "dash"},
    )
    fig.update_layout(  # the legend (five entries, up to three rows) under the axis, clear of the title
        template=TEMPLATE,
        title={"text": title, "x": 0, "xanchor": "left"},
        height=HEIGHT + 60,
        margin={"t": 60, "b": 130},
        xaxis_title="31 March",
        xaxis_dtick=1,
        yaxis_title="Children looked after",
        yaxis_rangemode="tozero",
        legend={"orientation": "h", "y": -0.18, "yanchor": "top", "x": 0},
    )
    return fig
