"""Disclosure control (domain/disclosure.md): every expected value below is worked by hand."""

from __future__ import annotations

import ast
import copy
import math
from pathlib import Path

import pandas as pd
import pytest

from analytics import disclosure
from analytics.disclosure import (
    AREA_THRESHOLD,
    THRESHOLD,
    is_primary,
    is_small_area_cross,
    show_ratio,
    suppress_crosstab,
    suppress_frame,
    suppress_group,
    suppress_indicators,
    suppress_series,
    threshold_for,
)
from analytics.disclosure import (
    SUPPRESSED as C,
)


def test_defaults():
    assert (C, THRESHOLD, AREA_THRESHOLD, disclosure.MIN_DENOMINATOR) == ("c", 5, 10, 10)


# --- rule 1: primary ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "count, threshold, hidden",
    [(0, 5, False), (1, 5, True), (5, 5, True), (6, 5, False), (10, 10, True), (11, 10, False)],
)
def test_primary_suppression(count, threshold, hidden):
    assert is_primary(count, threshold) is hidden


def test_primary_in_a_group_without_total():
    # 1 and 5 hidden (two hidden cells: nothing to add), 0 and 6 shown.
    assert suppress_group([0, 1, 5, 6]) == ([0, C, C, 6], None)


def test_primary_with_area_threshold_ten():
    # 10 hidden at T=10; it is the only hidden cell, so the smallest other (11) goes too.
    assert suppress_group([10, 11, 12], threshold=10) == ([C, C, 12], None)
    assert suppress_group([11, 12], threshold=10) == ([11, 12], None)


# --- rule 2: secondary ----------------------------------------------------------------------


def test_secondary_hides_smallest_nonzero_shown_cell_first_of_ties():
    # 3 is hidden; the shown non-zero cells are 8, 8 and 12: the first 8 goes; 0 stays.
    assert suppress_group([8, 3, 0, 8, 12], total=31) == ([C, C, 0, 8, 12], 31)


def test_secondary_hides_total_when_no_cell_is_left():
    # 3 is hidden; the only other cell is 0 (never hidden): the total must go.
    assert suppress_group([3, 0], total=9) == ([C, 0], C)


def test_zeros_are_never_hidden():
    assert suppress_group([0, 0, 3], total=3) == ([0, 0, C], C)
    assert suppress_group([0, 0], total=0) == ([0, 0], 0)


def test_total_counts_as_a_cell():
    # the hidden total and the hidden cell are two hidden cells: stable.
    assert suppress_group([4, 0], total=4) == ([C, 0], C)
    # nothing hidden: nothing to do
    assert suppress_group([6, 7], total=13) == ([6, 7], 13)


def test_crosstab_row_hide_forces_column_hide():
    #        c0  c1  c2 | total
    # r0:     3  20   0 |  23     3 primary; row 0 then hides 20 (smallest shown non-zero)
    # r1:     7  30   6 |  43     column 0 hides 7; column 1 (20 hidden) hides 30
    # total: 10  50   6 |  66     row 1 then has 7 and 30 hidden: stable, 6 stays
    t = suppress_crosstab([[3, 20, 0], [7, 30, 6]])
    assert t.cells == [[C, C, 0], [C, C, 6]]
    assert (t.row_totals, t.column_totals, t.grand_total) == ([23, 43], [10, 50, 6], 66)


def test_crosstab_iterates_to_a_fixed_point():
    #        c0  c1  c2 | total
    # r0:     3  20  40 |  63
    # r1:    30   8  50 |  88
    # r2:    25  35   9 |  69
    # total: 58  63  99 | 220
    # pass 1: row 0 hides 20; column 0 (3 hidden) hides 25; column 1 (20 hidden) hides 8.
    # pass 2: row 1 (8 hidden) hides 30; row 2 (25 hidden) hides 9; column 2 (9) hides 40.
    # pass 3: nothing changes.
    t = suppress_crosstab([[3, 20, 40], [30, 8, 50], [25, 35, 9]])
    assert t.cells == [[C, C, C], [C, C, 50], [C, 35, C]]
    assert (t.row_totals, t.column_totals, t.grand_total) == ([63, 88, 69], [58, 63, 99], 220)


def test_crosstab_small_area_cells_hide_their_margins():
    # districts x age bands: inner cells at T=10, margins (views by one thing) at T=5.
    # 8 is hidden; row 0 and column 0 have no other non-zero cell, so their totals (8) go;
    # then the row totals and the column totals each have one hidden: 20 goes in both, and
    # row 1 / column 1 then hide the inner 20. The grand total 28 stays.
    t = suppress_crosstab([[8, 0], [0, 20]], cell_threshold=10)
    assert t.cells == [[C, 0], [0, C]]
    assert (t.row_totals, t.column_totals, t.grand_total) == ([C, C], [C, C], 28)


def test_series_with_running_total():
    # running totals 9, 17, 20, 27. 3 is hidden; in (17 + 3 = 20) the running total 17 goes;
    # then in (9 + 8 = 17) the smaller of 9 and 8 goes: 8.
    assert suppress_series([9, 8, 3, 7]) == ([9, C, C, 7], [9, C, 20, 27])
    # zeros stay; 4 and its running totals 4, 4 are hidden by rule 1.
    assert suppress_series([0, 4, 0]) == ([0, C, 0], [0, C, C])


# --- rule 3: percentages, rates, means ------------------------------------------------------


def test_percentages_need_a_denominator_of_ten():
    assert show_ratio(66.7, 6, 9) == C
    assert show_ratio(60.0, 6, 10) == 60.0
    assert show_ratio(60.0, C, 10) == C
    assert show_ratio(60.0, 6, C) == C
    assert show_ratio(None, 0, 0) is None  # empty population: no value to hide


# --- rule 4: small areas --------------------------------------------------------------------


def test_small_area_cross():
    assert is_small_area_cross(["district", "age_band"])
    assert is_small_area_cross(["sex", "locality"])
    assert not is_small_area_cross(["district"])  # a view by district
    assert not is_small_area_cross(["district", "district"])
    assert not is_small_area_cross(["district", "council"])
    assert not is_small_area_cross(["age_band", "sex"])
    assert threshold_for(["locality", "month"]) == 10
    assert threshold_for(["age_band"]) == 5


# --- the indicators JSON --------------------------------------------------------------------


def _payload(filters: dict, measures: dict) -> dict:
    return {"year": 2024, "period": ["2023-04-01", "2024-03-31"], "filters": filters, "measures": measures}


def _ratio(n, d, v, **breakdowns):
    """A {numerator, denominator, value} node, with breakdowns when given."""
    node = {"numerator": n, "denominator": d, "value": v}
    return {**node, "breakdowns": breakdowns} if breakdowns else node


def _count(n, **breakdowns):
    return _ratio(n, None, n, **breakdowns)


UNAVAILABLE = {
    "numerator": None,
    "denominator": None,
    "value": None,
    "reason": "returns loaded only from 2023",
}


def _county_measures() -> dict:
    return {
        "cla_at_31_march": _count(
            60,
            age_band={"Under 1": 3, "1 to 4": 9, "5 to 9": 14, "10 to 15": 20, "16 and over": 14},
            sex={"Male": 32, "Female": 28},
            district={"TS1": 52, "TS3": 8},
        ),
        "cla_rate_per_10k": _ratio(60, 25000, 24.0),
        "starts": _count(12, sex={"Male": 8, "Female": 4}),
        "starts_rate_per_10k": _ratio(12, 25000, 4.8),
        "police_protection_starts": _count(4, age_band={"10 to 15": 4}),
        "ceased": _count(15, reason_group={"Returned home": 5, "Adopted": 8, "SGO": 2}),
        "placements_3plus": _ratio(
            7,
            60,
            11.7,
            age_band={
                "Under 1": _ratio(0, 3, 0.0),
                "1 to 4": _ratio(1, 9, 11.1),
                "5 to 9": _ratio(2, 14, 14.3),
                "10 to 15": _ratio(4, 20, 20.0),
                "16 and over": _ratio(0, 14, 0.0),
            },
        ),
        "kinship_foster_share": _ratio(0, 60, 0.0),
        "long_term_stability": dict(UNAVAILABLE),
        "adopted": _ratio(8, 15, 53.3),
        "adoption_entry_to_order_days": _ratio(5832, 8, 729.0),
        "adoption_entry_to_placed_days": _ratio(2376, 12, 198.0),
        "adoption_placed_within_12_months_of_decision": _ratio(6, 9, 66.7),
        "care_leavers_19_21_eet": _ratio(6, 10, 60.0),
    }


def test_suppress_indicators_without_area_filter():
    payload = _payload({}, _county_measures())
    before = copy.deepcopy(payload)
    out = suppress_indicators(payload)
    assert payload == before  # pure
    assert (out["year"], out["period"], out["filters"]) == (2024, ["2023-04-01", "2024-03-31"], {})
    assert out["measures"] == {
        # age band: 3 hidden, then the smallest shown (9); sex and the one-level district
        # breakdown use T = 5, so TS3's 8 is shown.
        "cla_at_31_march": _count(
            60,
            age_band={"Under 1": C, "1 to 4": C, "5 to 9": 14, "10 to 15": 20, "16 and over": 14},
            sex={"Male": 32, "Female": 28},
            district={"TS1": 52, "TS3": 8},
        ),
        "cla_rate_per_10k": _ratio(60, 25000, 24.0),
        # Female 4 hidden, so Male 8 too; the total 12 stays.
        "starts": _count(12, sex={"Male": C, "Female": C}),
        "starts_rate_per_10k": _ratio(12, 25000, 4.8),
        "police_protection_starts": {
            "numerator": C,
            "denominator": None,
            "value": C,
            "breakdowns": {"age_band": {"10 to 15": C}},
        },
        # 5 and 2 hidden: two hidden cells, nothing more.
        "ceased": _count(15, reason_group={"Returned home": C, "Adopted": 8, "SGO": C}),
        # numerators 1, 2, 4 hidden; denominators as the age bands of cla_at_31_march; every
        # cell value but the last has a hidden part; 0 of 14 is shown.
        "placements_3plus": _ratio(
            7,
            60,
            11.7,
            age_band={
                "Under 1": _ratio(0, C, C),
                "1 to 4": _ratio(C, C, C),
                "5 to 9": _ratio(C, 14, C),
                "10 to 15": _ratio(C, 20, C),
                "16 and over": _ratio(0, 14, 0.0),
            },
        ),
        "kinship_foster_share": _ratio(0, 60, 0.0),
        "long_term_stability": UNAVAILABLE,
        "adopted": _ratio(8, 15, 53.3),
        # 8 children: shown, but under 10, so the days and the mean are hidden.
        "adoption_entry_to_order_days": _ratio(C, 8, C),
        "adoption_entry_to_placed_days": _ratio(2376, 12, 198.0),
        "adoption_placed_within_12_months_of_decision": _ratio(6, 9, C),  # denominator 9
        "care_leavers_19_21_eet": _ratio(6, 10, 60.0),  # denominator 10
    }


def _district_measures() -> dict:
    return {
        "cla_at_31_march": _count(
            40,
            age_band={"5 to 9": 7, "10 to 15": 12, "16 and over": 21},
            sex={"Male": 22, "Female": 18},
            district={"TS1": 40},
        ),
        "placements_3plus": _ratio(
            11,
            40,
            27.5,
            age_band={
                "5 to 9": _ratio(0, 7, 0.0),
                "10 to 15": _ratio(4, 12, 33.3),
                "16 and over": _ratio(7, 21, 33.3),
            },
        ),
        "starts": _count(8),
        "long_term_stability": dict(UNAVAILABLE),
    }


def test_suppress_indicators_same_numbers_county_wide():
    out = suppress_indicators(_payload({}, _district_measures()))["measures"]
    assert out["cla_at_31_march"] == _district_measures()["cla_at_31_march"]  # all above 5
    assert out["placements_3plus"] == _ratio(
        11,
        40,
        27.5,
        age_band={
            "5 to 9": _ratio(0, 7, C),  # denominator under 10
            "10 to 15": _ratio(C, 12, C),  # 4 hidden
            "16 and over": _ratio(C, 21, C),  # ...so the smallest shown numerator, 7
        },
    )
    assert out["starts"] == _count(8)


def test_suppress_indicators_with_district_filter_uses_area_threshold_for_cells():
    out = suppress_indicators(_payload({"district": ["TS1"]}, _district_measures()))["measures"]
    # age band cells are TS1 crossed with age: 7 hidden at T=10, then 12; sex 22/18 shown;
    # the district breakdown (TS1 only) is not a cross; the headline 40 is a view of TS1.
    assert out["cla_at_31_march"] == _count(
        40,
        age_band={"5 to 9": C, "10 to 15": C, "16 and over": 21},
        sex={"Male": 22, "Female": 18},
        district={"TS1": 40},
    )
    assert out["placements_3plus"] == _ratio(
        11,
        40,
        27.5,
        age_band={
            "5 to 9": _ratio(0, C, C),
            "10 to 15": _ratio(C, C, C),  # 4 and 12 hidden
            "16 and over": _ratio(C, 21, C),  # 7 hidden at T=10
        },
    )
    assert out["starts"] == _count(8)  # headline: T=5
    assert out["long_term_stability"] == UNAVAILABLE


def test_headline_crossed_by_area_and_age_filters_uses_area_threshold():
    filters = {"district": ["TS3"], "age_band": ["Under 1"]}
    out = suppress_indicators(_payload(filters, {"starts": _count(8)}))["measures"]
    assert out["starts"] == {"numerator": C, "denominator": None, "value": C}
    out = suppress_indicators(_payload({"council": "E06000002"}, {"starts": _count(8)}))
    assert out["measures"]["starts"] == _count(8)


def test_area_threshold_parameter():
    filters = {"district": ["TS1"]}
    measures = {"starts": _count(30, sex={"Male": 23, "Female": 7})}
    out = suppress_indicators(_payload(filters, measures), area_threshold=6)["measures"]
    assert out["starts"] == _count(30, sex={"Male": 23, "Female": 7})
    out = suppress_indicators(_payload(filters, measures), area_threshold=7)["measures"]
    assert out["starts"] == _count(30, sex={"Male": C, "Female": C})


def test_hidden_total_follows_into_other_measures_counting_the_same_children():
    # In TS1 all 8 children are 10 to 15: the cell is hidden (T=10) and equals the total, so
    # the total goes; it is also the rate's numerator and placements_3plus's denominator.
    measures = {
        "cla_at_31_march": _count(8, age_band={"10 to 15": 8}),
        "cla_rate_per_10k": _ratio(8, 2000, 40.0),
        "placements_3plus": _ratio(0, 8, 0.0),
    }
    out = suppress_indicators(_payload({"district": ["TS1"]}, measures))["measures"]
    assert out == {
        "cla_at_31_march": {
            "numerator": C,
            "denominator": None,
            "value": C,
            "breakdowns": {"age_band": {"10 to 15": C}},
        },
        "cla_rate_per_10k": _ratio(C, 2000, C),
        "placements_3plus": _ratio(0, C, C),
    }
    out = suppress_indicators(_payload({}, measures))["measures"]
    assert out["cla_at_31_march"] == _count(8, age_band={"10 to 15": 8})
    assert out["cla_rate_per_10k"] == _ratio(8, 2000, 40.0)
    assert out["placements_3plus"] == _ratio(0, 8, C)  # denominator under 10


def test_rate_population_and_empty_populations():
    measures = {
        "cla_rate_per_10k": _ratio(0, 4, 0.0),  # a population of 4: hidden, so is the rate
        "adopted": {"numerator": 0, "denominator": 0, "value": None, "reason": "no one ceased"},
        "adoption_entry_to_order_days": {
            "numerator": 0,
            "denominator": 0,
            "value": None,
            "reason": "no one adopted",
        },
        "adoption_entry_to_placed_days": _ratio(0, 3, 0.0),  # 0 days still gives the mean away
    }
    out = suppress_indicators(_payload({}, measures))["measures"]
    assert out == {
        "cla_rate_per_10k": _ratio(0, C, C),
        "adopted": measures["adopted"],
        "adoption_entry_to_order_days": measures["adoption_entry_to_order_days"],
        "adoption_entry_to_placed_days": _ratio(C, C, C),
    }


def _numbers(node):
    if isinstance(node, dict):
        for v in node.values():
            yield from _numbers(v)
    elif isinstance(node, list):
        for v in node:
            yield from _numbers(v)
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        yield node


@pytest.mark.parametrize("filters", [{}, {"district": ["TS1"]}, {"age_band": ["Under 1"]}])
@pytest.mark.parametrize("measures", [_county_measures, _district_measures])
def test_no_count_from_one_to_five_survives(filters, measures):
    out = suppress_indicators(_payload(filters, measures()))
    small = [n for n in _numbers(out) if n in {1, 2, 3, 4, 5}]
    assert small == []
    assert all(v != C for v in _numbers(out["measures"]["long_term_stability"]))


# --- tidy frames ----------------------------------------------------------------------------


def test_frame_one_breakdown_with_margin_and_chart_helpers():
    df = pd.DataFrame({"age_band": ["Under 1", "1 to 4", "5 to 9"], "count": [3, 12, 20]})
    s = suppress_frame(df, margins=True)
    assert s.table.to_dict("list") == {
        "age_band": ["Under 1", "1 to 4", "5 to 9", "Total"],
        "count": [C, C, 20, 35],
    }
    assert s.table["count"].dtype == object
    assert s.hidden["count"].tolist() == [True, True, False, False]
    heights = s.heights("count").tolist()
    assert math.isnan(heights[0]) and math.isnan(heights[1]) and heights[2:] == [20.0, 35.0]
    assert s.labels("count").tolist() == [C, C, "20", "35"]
    assert df["count"].tolist() == [3, 12, 20]  # input untouched


def test_frame_cross_tab_matches_suppress_crosstab_in_category_order():
    grid = [[3, 20, 40], [30, 8, 50], [25, 35, 9]]
    months, bands = ["2023-04", "2023-05", "2023-06"], ["1 to 4", "5 to 9", "10 to 15"]
    rows = [(m, b, grid[i][j]) for i, m in enumerate(months) for j, b in enumerate(bands)]
    df = pd.DataFrame(rows[::-1], columns=["month", "age_band", "starts"])  # shuffled rows
    df["month"] = pd.Categorical(df["month"], categories=months)
    df["age_band"] = pd.Categorical(df["age_band"], categories=bands)
    s = suppress_frame(df, "starts")
    got = {(r.month, r.age_band): r.starts for r in s.table.itertuples()}
    t = suppress_crosstab(grid)
    assert got == {(m, b): t.cells[i][j] for i, m in enumerate(months) for j, b in enumerate(bands)}


def test_frame_shares_from_unrounded_counts():
    df = pd.DataFrame(
        {
            "age_band": ["Under 1", "1 to 4", "5 to 9"],
            "numerator": [0, 6, 7],
            "denominator": [9, 12, 30],
        }
    )
    s = suppress_frame(df, ["numerator", "denominator"], shares={"pct": ("numerator", "denominator")})
    assert s.table["pct"].tolist() == [C, 50.0, 23.3]  # 0 of 9: denominator under 10
    assert s.table["numerator"].tolist() == [0, 6, 7]
    assert s.hidden["pct"].tolist() == [True, False, False]
    assert s.hidden["denominator"].tolist() == [False, False, False]
    # 2 of 12 = 16.666...: the numerator is hidden, so the share; 1 of 3 and 4 of 17 likewise
    df2 = pd.DataFrame({"g": ["a", "b", "c"], "n": [2, 1, 4], "d": [12, 3, 17]})
    s2 = suppress_frame(df2, ["n", "d"], shares={"pct": ("n", "d")})
    assert s2.table["pct"].tolist() == [C, C, C]
    assert s2.table["d"].tolist() == [C, C, 17]  # 3 hidden, then the smaller of 12 and 17


def test_frame_rate_with_population_denominator_and_margins():
    df = pd.DataFrame({"district": ["TS1", "TS3"], "cla": [40, 7], "population": [9000, 4]})
    s = suppress_frame(df, "cla", shares={"rate": ("cla", "population")}, scale=10_000, margins=True)
    # 7 is above 5 (a view by district, not crossed); the population 4 is hidden, so is its
    # rate, and 9000 (else 9004 - 9000 gives it away). Rates: 40/9000 = 44.44, 47/9004 = 52.20.
    assert s.table.to_dict("list") == {
        "district": ["TS1", "TS3", "Total"],
        "cla": [40, 7, 47],
        "population": [C, C, 9004],
        "rate": [C, C, 52.2],
    }


def test_frame_separately_and_filtered_by():
    df = pd.DataFrame(
        {"year": [2023, 2023, 2024, 2024], "sex": ["Male", "Female"] * 2, "count": [30, 4, 22, 18]}
    )
    s = suppress_frame(df, separately=["year"])
    assert s.table["count"].tolist() == [C, C, 22, 18]  # 2023's 4 does not reach 2024
    # under a district filter the cells are small-area crosses: 1..10 hidden.
    s = suppress_frame(df, separately=["year"], filtered_by=["district"])
    assert s.table["count"].tolist() == [C, C, 22, 18]
    df = pd.DataFrame({"sex": ["Male", "Female"], "count": [30, 8]})
    assert suppress_frame(df).table["count"].tolist() == [30, 8]
    assert suppress_frame(df, filtered_by=["locality"]).table["count"].tolist() == [C, C]


def test_frame_district_by_age_uses_area_threshold_inside_only():
    df = pd.DataFrame(
        {
            "district": ["TS1", "TS1", "TS3", "TS3"],
            "age_band": ["5 to 9", "10 to 15"] * 2,
            "count": [8, 0, 0, 20],
        }
    )
    s = suppress_frame(df, margins=True)
    # as test_crosstab_small_area_cells_hide_their_margins
    assert s.table.values.tolist() == [
        ["TS1", "5 to 9", C],
        ["TS1", "10 to 15", 0],
        ["TS3", "5 to 9", 0],
        ["TS3", "10 to 15", C],
        ["TS1", "Total", C],
        ["TS3", "Total", C],
        ["Total", "5 to 9", C],
        ["Total", "10 to 15", C],
        ["Total", "Total", 28],
    ]


def test_frame_rejects_rows_that_do_not_add_up():
    df = pd.DataFrame({"sex": ["Male", "Male"], "count": [10, 12]})
    with pytest.raises(ValueError):
        suppress_frame(df)


def test_never_imports_streamlit():
    tree = ast.parse(Path(disclosure.__file__).read_text())
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any(m and m.split(".")[0] == "streamlit" for m in imported)
