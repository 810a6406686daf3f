"""Disclosure control (domain/disclosure.md): every expected value below is worked by hand.

The rules through `disclosure.Declaration` and `suppress`; the indicators JSON through a
`release.Release` (one year declared whole), as the command line's `--suppress` prints it."""

from __future__ import annotations

import ast
import copy
import time
from pathlib import Path

import numpy as np
import pytest

from analytics import disclosure
from analytics.disclosure import (
    AREA_THRESHOLD,
    THRESHOLD,
    Declaration,
    Rules,
    is_primary,
    is_small_area_cross,
    suppress,
)
from analytics.disclosure import SUPPRESSED as C
from analytics.filters import Filters
from analytics.release import Release, shown_indicators, shown_months


def group(cells, total=None, threshold=THRESHOLD):
    """One additive group: (cells as shown, total as shown)."""
    d = Declaration()
    for i, v in enumerate(cells):
        d.count(i, v)
    if total is not None:
        d.count("total", total)
    d.group(list(range(len(cells))), "total" if total is not None else None)
    out = suppress(d, rules=Rules(threshold=threshold))
    return [out[i] for i in range(len(cells))], (out["total"] if total is not None else None)


def crosstab(cells, cell_restrictions=()):
    """rows x columns with row, column and grand totals: (cells, row totals, column totals, grand)."""
    d = Declaration()
    n_rows, n_cols = len(cells), len(cells[0])
    for i in range(n_rows):
        for j in range(n_cols):
            d.count((i, j), cells[i][j], cell_restrictions)
    for i in range(n_rows):
        d.count((i, "T"), sum(cells[i]))
    for j in range(n_cols):
        d.count(("T", j), sum(r[j] for r in cells))
    d.count(("T", "T"), sum(map(sum, cells)))
    for i in range(n_rows):
        d.group([(i, j) for j in range(n_cols)], (i, "T"))
    for j in range(n_cols):
        d.group([(i, j) for i in range(n_rows)], ("T", j))
    d.group([(i, "T") for i in range(n_rows)], ("T", "T"))
    d.group([("T", j) for j in range(n_cols)], ("T", "T"))
    out = suppress(d)
    return (
        [[out[(i, j)] for j in range(n_cols)] for i in range(n_rows)],
        [out[(i, "T")] for i in range(n_rows)],
        [out[("T", j)] for j in range(n_cols)],
        out[("T", "T")],
    )


def ratio(value, numerator, denominator):
    """A share as shown, given its numerator and denominator (counts)."""
    d = Declaration()
    d.count("n", numerator)
    d.count("d", denominator)
    d.ratio("share", value, "n", "d")
    return suppress(d)["share"]


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
    assert group([0, 1, 5, 6]) == ([0, C, C, 6], None)


def test_primary_with_area_threshold_ten():
    # 10 hidden at T=10; it is the only hidden cell, so the smallest other (11) goes too.
    assert group([10, 11, 12], threshold=10) == ([C, C, 12], None)
    assert group([11, 12], threshold=10) == ([11, 12], None)


# --- rule 2: secondary ----------------------------------------------------------------------


def test_secondary_hides_smallest_nonzero_shown_cell_first_of_ties():
    # 3 is hidden; the shown non-zero cells are 8, 8 and 12: the first 8 goes; 0 stays.
    assert group([8, 3, 0, 8, 12], total=31) == ([C, C, 0, 8, 12], 31)


def test_secondary_hides_total_when_no_cell_is_left():
    # 3 is hidden; the only other cell is 0 (never hidden): the total must go.
    assert group([3, 0], total=9) == ([C, 0], C)


def test_zeros_are_never_hidden():
    assert group([0, 0, 3], total=3) == ([0, 0, C], C)
    assert group([0, 0], total=0) == ([0, 0], 0)


def test_total_counts_as_a_cell():
    # the hidden total and the hidden cell are two hidden cells: stable.
    assert group([4, 0], total=4) == ([C, 0], C)
    # nothing hidden: nothing to do
    assert group([6, 7], total=13) == ([6, 7], 13)


def test_crosstab_row_hide_forces_column_hide():
    #        c0  c1  c2 | total
    # r0:     3  20   0 |  23     3 primary; row 0 then hides 20 (smallest shown non-zero)
    # r1:     7  30   6 |  43     column 0 hides 7; column 1 (20 hidden) hides 30
    # total: 10  50   6 |  66     row 1 then has 7 and 30 hidden: stable, 6 stays
    cells, rows, cols, grand = crosstab([[3, 20, 0], [7, 30, 6]])
    assert cells == [[C, C, 0], [C, C, 6]]
    assert (rows, cols, grand) == ([23, 43], [10, 50, 6], 66)


def test_crosstab_iterates_to_a_fixed_point():
    #        c0  c1  c2 | total
    # r0:     3  20  40 |  63
    # r1:    30   8  50 |  88
    # r2:    25  35   9 |  69
    # total: 58  63  99 | 220
    # pass 1: row 0 hides 20; row 1 (8) hides 30; row 2 (9) hides 25; columns: 0 has 3, 30,
    # 25 hidden; column 1 (20, 8) stable; column 2 (9) hides 40. Pass 2: row 0 has 3, 20, 40
    # hidden: stable. Nothing changes.
    cells, rows, cols, grand = crosstab([[3, 20, 40], [30, 8, 50], [25, 35, 9]])
    assert cells == [[C, C, C], [C, C, 50], [C, 35, C]]
    assert (rows, cols, grand) == ([63, 88, 69], [58, 63, 99], 220)


def test_crosstab_small_area_cells_hide_their_margins():
    # districts x age bands: inner cells at T=10, margins (views by one thing) at T=5.
    # 8 is hidden; row 0 and column 0 have no other non-zero cell, so their totals (8) go;
    # then the row totals and the column totals each have one hidden: 20 goes in both, and
    # row 1 / column 1 then hide the inner 20. The grand total 28 stays.
    cells, rows, cols, grand = crosstab([[8, 0], [0, 20]], cell_restrictions=["district", "age_band"])
    assert cells == [[C, 0], [0, C]]
    assert (rows, cols, grand) == ([C, C], [C, C], 28)


def test_same_children_are_hidden_together():
    d = Declaration()
    d.count("a", 4)
    d.count("b", 4)
    d.count("x", 9)
    d.same("a", "b")
    d.group(["x"], None)
    out = suppress(d)
    assert (out["a"], out["b"], out["x"]) == (C, C, 9)


def test_parts_are_independent_and_remembered():
    first, second = Declaration(), Declaration()
    first.count("a", 3)
    second.count("b", 30)
    out = suppress(first, second)
    assert (out["a"], out["b"]) == (C, 30)
    assert first.solve(disclosure.ON) is first.solve(disclosure.ON)  # solved once, kept
    with pytest.raises(ValueError):
        suppress(first, first)  # a number in two parts


# --- rule 3: percentages, rates, means ------------------------------------------------------


def test_percentages_need_a_denominator_of_ten():
    assert ratio(66.7, 6, 9) == C
    assert ratio(60.0, 6, 10) == 60.0
    assert ratio(60.0, 3, 10) == C  # the numerator is hidden
    assert ratio(60.0, 6, 4) == C
    assert ratio(None, 0, 0) is None  # empty population: no value to hide


# --- rule 4: small areas --------------------------------------------------------------------


def test_small_area_cross():
    assert is_small_area_cross(["district", "age_band"])
    assert is_small_area_cross(["sex", "locality"])
    assert is_small_area_cross(["locality", "month"])
    assert not is_small_area_cross(["district"])  # a view by district
    assert not is_small_area_cross(["district", "district"])
    assert not is_small_area_cross(["district", "council"])
    assert not is_small_area_cross(["age_band", "sex"])


# --- the indicators JSON --------------------------------------------------------------------


def _payload(filters: dict, measures: dict) -> dict:
    return {"filters": filters, "measures": measures}


def shown(payload: dict, rules: Rules = disclosure.ON, months=()) -> dict:
    """The measures of one year (2024) under these filters, as `indicators --suppress` shows them."""
    f = payload["filters"]
    filters = Filters(
        2024,
        council=f.get("council"),
        districts=tuple(f.get("district", ())),
        age_bands=tuple(f.get("age_band", ())),
    )
    year = Release(filters, copy.deepcopy(payload["measures"]), list(months))
    return {"measures": shown_indicators(year, rules)}


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
    out = shown(payload)
    assert payload == before  # pure
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
    out = shown(_payload({}, _district_measures()))["measures"]
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
    out = shown(_payload({"district": ["TS1"]}, _district_measures()))["measures"]
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
    out = shown(_payload(filters, {"starts": _count(8)}))["measures"]
    assert out["starts"] == {"numerator": C, "denominator": None, "value": C}
    out = shown(_payload({"council": "E06000002"}, {"starts": _count(8)}))
    assert out["measures"]["starts"] == _count(8)


def test_area_threshold_parameter():
    filters = {"district": ["TS1"]}
    measures = {"starts": _count(30, sex={"Male": 23, "Female": 7})}
    out = shown(_payload(filters, measures), Rules(area_threshold=6))["measures"]
    assert out["starts"] == _count(30, sex={"Male": 23, "Female": 7})
    out = shown(_payload(filters, measures), Rules(area_threshold=7))["measures"]
    assert out["starts"] == _count(30, sex={"Male": C, "Female": C})


def test_hidden_total_follows_into_other_measures_counting_the_same_children():
    # In TS1 all 8 children are 10 to 15: the cell is hidden (T=10) and equals the total, so
    # the total goes; it is also the rate's numerator and placements_3plus's denominator.
    measures = {
        "cla_at_31_march": _count(8, age_band={"10 to 15": 8}),
        "cla_rate_per_10k": _ratio(8, 2000, 40.0),
        "placements_3plus": _ratio(0, 8, 0.0),
    }
    out = shown(_payload({"district": ["TS1"]}, measures))["measures"]
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
    out = shown(_payload({}, measures))["measures"]
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
    out = shown(_payload({}, measures))["measures"]
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
    out = shown(_payload(filters, measures()))
    small = [n for n in _numbers(out) if n in {1, 2, 3, 4, 5}]
    assert small == []
    assert all(v != C for v in _numbers(out["measures"]["long_term_stability"]))


# --- what adds up inside a year: the rest of a share, remainders, the months ----------------


def test_a_share_hides_the_rest_of_its_denominator():
    # 4 of 30 purchased: the numerator is hidden; in-house (26) would give it away with the
    # denominator 30 shown, so the rest is hidden (secondary, within numerator + rest = 30).
    year = Release(Filters(2024), {"purchased_foster_share": _ratio(4, 30, 13.3)}, [])
    out = suppress(year.declaration)
    assert out[year.key("purchased_foster_share", "numerator")] == C
    assert out[year.key("purchased_foster_share", "rest")] == C
    assert out[year.key("purchased_foster_share", "denominator")] == 30


def test_a_breakdown_that_does_not_add_up_is_completed_by_its_remainder():
    # 20 children: TS1 16, TS3 0, and 4 with no district. The remainder (4) is hidden, so the
    # only other non-zero cell, TS1's 16, goes too: else 20 - 16 gives the 4 away.
    out = shown(_payload({}, {"starts": _count(20, district={"TS1": 16, "TS3": 0})}))["measures"]
    assert out["starts"] == _count(20, district={"TS1": C, "TS3": 0})


def _month(month, starts, ceased=0, **by):
    return {
        "month": month,
        "starts": starts,
        "ceased": ceased,
        "starts_by_age_band": by.get("starts_by_age_band", {}),
        "starts_by_district": {},
        "ceased_by_age_band": {},
        "ceased_by_district": {},
    }


def test_the_months_add_up_to_the_year():
    # Starts 9, 8, 5: 5 is hidden; the months add up to the year's 22 (the headline), so the
    # smallest other month, 8, goes too; the year's total stays.
    months = [_month("2023-04", 9), _month("2023-05", 8), _month("2023-06", 5)]
    year = Release(Filters(2024), {"starts": _count(22)}, months)
    out = suppress(year.declaration)
    assert [out[k] for k in year.month_keys("starts")] == [9, C, C]
    assert out[year.month_total_key("starts")] == 22
    assert year.month_total_key("starts") == year.key("starts", "numerator")
    assert shown_months(year)[0]["starts"] == 9


def test_a_month_by_age_band_is_a_cross_tab_of_the_year():
    # One month, 12 starts: 3 under 1 and 9 aged 10-15 (both hidden: a month crossed with an
    # age band is not a small area, so 9 shows... but 3 is hidden and 9 is the only other cell).
    months = [_month("2023-04", 12, starts_by_age_band={"Under 1": 3, "10 to 15": 9})]
    year = Release(Filters(2024), {"starts": _count(12, age_band={"Under 1": 3, "10 to 15": 9})}, months)
    out = shown_months(year)[0]
    assert out["starts"] == 12 and out["starts_by_age_band"] == {"Under 1": C, "10 to 15": C}


def _fixed_by_one_svd(values, groups, hidden):
    """The reference: which hidden counts one SVD of all the equations fixes (the null space)."""
    unknown = sorted(hidden, key=repr)
    rows = []
    for cells, total in groups:
        if total is None:  # a total shown elsewhere: no equation here
            continue
        row = [cells.count(k) - (k == total) for k in unknown]
        if any(row):
            rows.append(row)
    if not rows:
        return []
    _, s, vt = np.linalg.svd(np.array(rows, dtype=float))
    null = vt[int((s > 1e-9 * max(s.max(), 1)).sum()) :]
    return [k for i, k in enumerate(unknown) if not len(null) or np.abs(null[:, i]).max() < 1e-9]


def test_hidden_counts_fixed_block_by_block_as_by_one_matrix():
    # Random systems of sums (tall, wide, chained, disconnected): solving each block of linked
    # equations on its own finds exactly the counts one SVD of the whole system finds.
    rng = np.random.default_rng(13)
    for _ in range(300):
        keys = list(range(int(rng.integers(2, 40))))
        groups = []
        for _ in range(int(rng.integers(1, 25))):
            members = [
                int(k) for k in rng.choice(keys, int(rng.integers(1, min(len(keys), 6) + 1)), replace=False)
            ]
            groups.append((members[1:], members[0]) if rng.random() < 0.7 else (members, None))
        hidden = {k for k in keys if rng.random() < 0.6}
        values = dict.fromkeys(keys, 7)
        assert disclosure._determined(values, groups, [], hidden) == _fixed_by_one_svd(values, groups, hidden)


def test_a_wide_cross_tab_is_solved_quickly_and_exactly():
    # 12 months x 1,500 districts, every cell hidden but the margins shown except one month's:
    # nothing is fixed; shown month 1 row but one cell: that cell is fixed by its month's sum.
    months, districts = range(12), range(1500)
    groups = [([(m, d) for d in districts], ("month", m)) for m in months]
    groups += [([(m, d) for m in months], ("district", d)) for d in districts]
    cells = {(m, d) for m in months for d in districts}
    values = dict.fromkeys(
        [*cells, *((("month", m)) for m in months), *((("district", d)) for d in districts)], 7
    )
    start = time.perf_counter()
    assert disclosure._determined(values, groups, [], cells) == []
    assert time.perf_counter() - start < 20
    assert disclosure._determined(values, groups, [], cells - {(0, d) for d in range(1, 1500)}) == [(0, 0)]


def test_never_imports_streamlit():
    tree = ast.parse(Path(disclosure.__file__).read_text())
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any(m and m.split(".")[0] == "streamlit" for m in imported)
