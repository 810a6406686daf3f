"""The what-if model's mechanics on small hand-made histories (analytics/forecast)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import disclosure
from analytics.__main__ import main
from analytics.filters import FilterError, Filters
from analytics.forecast import GROUPS, History, Scenario, Shift, backtest, cost, fit, project, report
from tests.dashboard_support import PAGES, REPO

IN_HOUSE, PURCHASED = "Foster: in-house", "Foster: purchased"


def steady(years=range(2010, 2021), per_age=10, mixed=False) -> History:
    """Each year 10 children arrive aged 0 (half from TS1, half TS2) and stay, ageing on, until 18:
    180 children on every 31 March, none leaving before 18. In in-house foster care, or `mixed`:
    every other child in purchased foster care (and staying there)."""
    rows = [
        {
            "year": y,
            "child_key": f"{y - a}-{i}",
            "age": a,
            "group": PURCHASED if mixed and i % 2 else IN_HOUSE,
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
    """Half in each foster group, alike in every rate: a quarter of the in-house children placed
    with agencies instead (90 x 0.25 = 22.5 children) costs 22.5 x the weekly difference x 52."""
    model = fit(steady(mixed=True))
    costs = cost.unit_costs()
    base = project(model, 2)
    shifted = project(model, 2, Scenario(shifts=(Shift(IN_HOUSE, PURCHASED, 0.25),)))
    assert base.by_group()[IN_HOUSE].tolist() == pytest.approx([90, 90], rel=0.001)
    assert shifted.by_group()[IN_HOUSE].tolist() == pytest.approx([67.5, 67.5], rel=0.001)
    n = base.by_group()[IN_HOUSE]
    expected = n * 0.25 * (costs[PURCHASED] - costs[IN_HOUSE]) * 52
    diff = cost.annual_cost(shifted.by_group(), costs) - cost.annual_cost(base.by_group(), costs)
    assert diff.tolist() == pytest.approx(expected.tolist())
    assert shifted.totals()["children"].tolist() == pytest.approx(base.totals()["children"].tolist())


def test_a_shift_reroutes_children_onto_the_targets_rates():
    """2019: ten children aged 5 in in-house and ten in purchased foster care; 2020: all ten
    in-house still there, five of the purchased. Leaving rates (pulled towards the band's by two
    pseudo-children): band rate b = (5 + 0.5) / (20 + 1); in-house (0 + 2b) / (10 + 2), purchased
    (5 + 2b) / (10 + 2). Shifting all purchased to in-house puts 2020's five purchased children on
    the in-house rate: 2021 holds 15 x (1 - in-house rate), not 10 x (1 - it) + 5 x (1 - purchased)."""
    rows = [
        {"year": y, "child_key": f"{g} {i}", "age": 5 + y - 2019, "group": g, "district": "TS1", "tic": 2,
         "left_to_permanence": False, "end_date": pd.NaT}
        for y in (2019, 2020) for g in (IN_HOUSE, PURCHASED) for i in range(10)
        if not (y == 2020 and g == PURCHASED and i >= 5)
    ]  # fmt: skip
    h = History(pd.DataFrame(rows), pd.DataFrame(columns=["year", "district", "band", "children"]), ("TS1",))
    b = 5.5 / 21
    p_in, p_pur = 2 * b / 12, (5 + 2 * b) / 12
    model = fit(h)
    base = project(model, 1).by_group().loc[2021]
    assert base[IN_HOUSE] == pytest.approx(10 * (1 - p_in))
    assert base[PURCHASED] == pytest.approx(5 * (1 - p_pur))
    shifted = project(model, 1, Scenario(shifts=(Shift(PURCHASED, IN_HOUSE, 1.0),))).by_group().loc[2021]
    assert shifted[PURCHASED] == pytest.approx(0)
    assert shifted[IN_HOUSE] == pytest.approx(15 * (1 - p_in))


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


def test_time_in_care_is_carried_and_advanced():
    """2019, all aged 5 in in-house foster care: ten in their first year in care (A), of whom five
    are there in 2020; ten in their second (B) and ten in their third or later (C), all there in
    2020; in 2020 ten more arrive aged 5 (D). Leaving rates, pulled towards the band's
    b = (5 + 0.5) / (30 + 1) by two pseudo-children: first year p0 = (5 + 2b) / 12, later years
    p1 = p2 = 2b / 12. From 2020 the first-year children (D, and the ten arrivals a year) leave
    at p0 and a year later at p1; the others at p1."""
    tic = {"A": 0, "B": 1, "C": 2}
    rows = [
        {"year": 2019, "child_key": f"{g}{i}", "age": 5, "group": IN_HOUSE, "district": "TS1", "tic": t,
         "left_to_permanence": False, "end_date": pd.NaT}
        for g, t in tic.items() for i in range(10)
    ] + [
        {"year": 2020, "child_key": f"{g}{i}", "age": 6 if g != "D" else 5, "group": IN_HOUSE, "district": "TS1",
         "tic": min(tic.get(g, -1) + 1, 2), "left_to_permanence": False, "end_date": pd.NaT}
        for g in "ABCD" for i in range(10) if not (g == "A" and i >= 5)
    ]  # fmt: skip
    h = History(pd.DataFrame(rows), pd.DataFrame(columns=["year", "district", "band", "children"]), ("TS1",))
    b = 5.5 / 31
    p0, p1 = (5 + 2 * b) / 12, 2 * b / 12
    totals = project(fit(h), 2).totals()["children"].tolist()
    year1 = 10 * (1 - p0) + 25 * (1 - p1) + 10
    year2 = 10 * (1 - p0) * (1 - p1) + 25 * (1 - p1) ** 2 + 10 * (1 - p0) + 10
    assert totals == pytest.approx([year1, year2])


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


PREVENTION = Scenario(
    "Prevention in TS1 and TS3", -20, ("TS1", "TS3"), ("10 to 15",), (Shift(PURCHASED, IN_HOUSE, 0.1),), 10
)


def test_a_saved_scenario_fills_the_pages_controls_and_back():
    text = json.dumps(PREVENTION.to_json())
    values = report.controls("prevention.json", text, ["TS1", "TS2", "TS3"])
    assert values == {
        "name": "Prevention in TS1 and TS3",
        "starts": -20,
        "districts": ["TS1", "TS3"],
        "age_bands": ["10 to 15"],
        "source": PURCHASED,
        "target": IN_HOUSE,
        "share": 10,
        "permanence": 10,
    }
    assert report.scenario_of(**values) == PREVENTION
    with pytest.raises(FilterError, match=r"prevention.json: no child .* \['TS3'\]"):
        report.controls("prevention.json", text, ["TS1", "TS2"])
    with pytest.raises(FilterError, match="-17% is beyond the page's control"):
        report.controls("odd.json", json.dumps({"starts_change": -17}), ["TS1"])
    with pytest.raises(FilterError, match="odd.json: not a scenario file"):
        report.controls("odd.json", "{not json", ["TS1"])


def test_a_scenario_loaded_on_the_page_gives_the_numbers_of_the_command_line(tmp_path, monkeypatch, capsys):
    """Upload a saved scenario on the What-if page: the controls take its values, and the
    scenario's children and cost are those of `forecast --scenario FILE.json`; its URL does the same."""
    db = REPO / "data" / "synthetic_council.duckdb"
    path = tmp_path / "prevention.json"
    path.write_text(json.dumps(PREVENTION.to_json()), encoding="utf-8")
    assert main(["forecast", "--db", str(db), "--horizon", "3", "--json", "--scenario", str(path)]) == 0
    cli = json.loads(capsys.readouterr().out)["scenario"]["projection"]
    expected = [[f"{p['children']:,.0f}", f"£{p['cost'] / 1e6:,.1f}m"] for p in cli]

    monkeypatch.setenv("CLA_DB", str(db))
    monkeypatch.chdir(REPO)

    def opened(query: dict | None = None) -> AppTest:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
        at.query_params.update(query or {})
        at.run()
        at.switch_page(PAGES["what_if"]).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    at = opened()
    assert at.slider(key="wi_starts").value == 0
    at.file_uploader(key="wi_load").set_value(("prevention.json", path.read_bytes(), "application/json"))
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.text_input(key="wi_name").value == "Prevention in TS1 and TS3"
    assert [at.slider(key=k).value for k in ("wi_starts", "wi_share", "wi_perm")] == [-20, 10, 10]
    assert at.multiselect(key="wi_district").value == ["TS1", "TS3"]
    assert at.multiselect(key="wi_age").value == ["10 to 15"]
    assert [at.selectbox(key=k).value for k in ("wi_from", "wi_to")] == [PURCHASED, IN_HOUSE]
    table = at.table[0].value
    assert table[["Scenario", "Scenario cost"]].values.tolist() == expected

    shared = opened(dict(at.query_params))  # the page's address, opened afresh
    assert shared.table[0].value[["Scenario", "Scenario cost"]].values.tolist() == expected
