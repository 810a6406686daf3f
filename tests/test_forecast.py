"""The what-if model's mechanics on small hand-made histories (analytics/forecast)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analytics import disclosure
from analytics.__main__ import main
from analytics.filters import Filters
from analytics.forecast import GROUPS, History, Scenario, Shift, backtest, cost, fit, project, report

IN_HOUSE, PURCHASED = "Foster: in-house", "Foster: purchased"


def steady(years=range(2010, 2021), per_age=10) -> History:
    """Each year 10 children arrive aged 0 (half from TS1, half TS2) and stay, ageing on, until 18:
    180 children on every 31 March, none leaving before 18."""
    rows = [
        {
            "year": y,
            "child_key": f"{y - a}-{i}",
            "age": a,
            "group": IN_HOUSE,
            "district": "TS1" if i < per_age // 2 else "TS2",
            "tic": min(a, 2),
            "left_to_permanence": False,
            "end_date": pd.NaT,
        }
        for y in years
        for a in range(18)
        for i in range(per_age)
    ]
    return History(
        pd.DataFrame(rows), pd.DataFrame(columns=["year", "district", "band", "children"]), ("TS1", "TS2")
    )


def test_a_steady_state_stays_steady():
    p = project(fit(steady()), 3)
    totals = p.totals()
    assert totals["children"].tolist() == pytest.approx([180, 180, 180], rel=0.01)
    assert (totals["low"] <= totals["children"]).all() and (totals["children"] <= totals["high"] + 1e-9).all()
    assert p.by_group()[IN_HOUSE].tolist() == pytest.approx([180] * 3, rel=0.01)


def test_a_cut_in_starts_lowers_the_projection_by_what_the_flow_implies():
    model = fit(steady())
    base = project(model, 3).totals()["children"]
    cut = project(model, 3, Scenario(starts_change=-20)).totals()["children"]
    # 10 arrivals a year, 2 fewer each year, and none of them leaves: 2, 4, 6 fewer
    assert (base - cut).tolist() == pytest.approx([2, 4, 6], abs=0.05)
    in_ts1 = project(model, 3, Scenario(starts_change=-20, districts=("ts1",))).totals()["children"]
    assert (base - in_ts1).tolist() == pytest.approx([1, 2, 3], abs=0.05)  # TS1 brings half of them
    older = project(model, 3, Scenario(starts_change=-20, age_bands=("10 to 15",))).totals()["children"]
    assert (base - older).tolist() == pytest.approx([0, 0, 0], abs=1e-9)  # no one arrives at 10 to 15


def test_shifting_placements_moves_cost_by_the_unit_cost_difference():
    model = fit(steady())
    costs = cost.unit_costs()
    base = project(model, 2)
    shifted = project(model, 2, Scenario(shifts=(Shift(IN_HOUSE, PURCHASED, 0.25),)))
    n = base.by_group()[IN_HOUSE]
    expected = n * 0.25 * (costs[PURCHASED] - costs[IN_HOUSE]) * 52
    diff = cost.annual_cost(shifted.by_group(), costs) - cost.annual_cost(base.by_group(), costs)
    assert diff.tolist() == pytest.approx(expected.tolist())
    assert shifted.totals()["children"].tolist() == pytest.approx(base.totals()["children"].tolist())


def test_cost_is_children_times_unit_cost():
    costs = {g: 0.0 for g in GROUPS} | {IN_HOUSE: 500.0, PURCHASED: 900.0}
    children = pd.DataFrame({IN_HOUSE: [2.0, 0.5], PURCHASED: [1.0, 3.0]}, index=[2026, 2027])
    assert cost.annual_cost(children, costs).tolist() == [(2 * 500 + 900) * 52, (0.5 * 500 + 3 * 900) * 52]


def test_ageing_moves_children_across_bands():
    """Ten children aged 3 in 2019 and 4 in 2020, none arriving: a year on they are 5 to 9."""
    h = steady(years=[2019, 2020])
    h.stock = h.stock[h.stock["child_key"].str.startswith("2016-")].reset_index(drop=True)
    bands = project(fit(h), 1).by_age_band().loc[2021]
    assert bands["1 to 4"] == pytest.approx(0)
    assert bands["5 to 9"] == pytest.approx(10, abs=0.2)


def test_backtest_against_a_steady_history():
    b = backtest(steady(), 2017, 3)
    assert b["years"] == [2018, 2019, 2020]
    assert b["actual"].sum(axis=1).tolist() == [180, 180, 180]
    assert b["mape"] < 1


def test_care_leavers_ahead_hide_small_cells():
    h = steady()
    model = fit(h)
    w = report.WhatIf(h, cost.unit_costs(), project(model, 1), project(model, 1), backtest(h, 2017, 3))
    shown = disclosure.suppress(report.declare(w, Filters(2020)))
    by_group, by_district = report.leavers_tables(w, shown)
    # 10 children aged 17 in foster care: shown; 5 of them in each district: hidden (a small area)
    assert by_group.set_index("Placement now").loc[IN_HOUSE].tolist() == ["10", "10", "10"]
    assert by_district.set_index("District").loc["TS1"].tolist() == ["c", "c", "c"]


def test_a_scenario_round_trips_through_json():
    s = Scenario("Fewer starts", -20, ("TS3", "TS1"), ("10 to 15",), (Shift(PURCHASED, IN_HOUSE, 0.1),), 10)
    assert Scenario.from_json(json.loads(json.dumps(s.to_json()))) == s


def test_the_command_line(capsys, tmp_path):
    assert main(["forecast", "--db", "data/synthetic_council.duckdb", "--backtest", "--origin", "2019"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("MAPE ")
    args = ["forecast", "--db", "data/synthetic_council.duckdb", "--horizon", "2", "--json"]
    assert main([*args, "--starts-change", "-20", "--district", "TS1", "--district", "TS3"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [p["year"] for p in out["projection"]] == [2026, 2027]
    assert out["scenario"]["districts"] == ["TS1", "TS3"]
    assert out["scenario"]["projection"][1]["children"] < out["projection"][1]["children"]
