"""The core measures computed again with vectorised pandas (no row loops), over the same
anonymised tables the engine reads: the baseline that the engine's speed is measured against
(benchmarks/run.py) and a second check of its numbers (tests/test_benchmarks.py).

Headline numbers only, for one reporting year, the council or councils as a whole (indicators.md):
children looked after at 31 March, starts, 3+ placements, long-term stability and care leavers
aged 19-21 in education, employment or training.
"""

from __future__ import annotations

import pandas as pd

MEASURE_IDS = (
    "cla_at_31_march",
    "starts",
    "placements_3plus",
    "long_term_stability",
    "care_leavers_19_21_eet",
)
EET = ("F1", "P1", "F2", "P2", "F3", "P3", "F4", "P4", "F5", "P5")
KEY = ["la_code", "child_key"]

_COLUMNS = {
    "episodes": "la_code, child_key, period_no, placement_no, decom, dec, short_break, attr_place",
    "children": "la_code, child_key, birth_ym, born_29_feb",
    "periods": "la_code, child_key, period_no, start_date, is_start",
    "placements": "la_code, child_key, period_no, placement_no, start_date, end_date, previous_start",
    "care_leavers": "la_code, child_key, year, age, in_touch, activ, only_short_breaks, care_transferred",
}


def read_tables(con) -> dict[str, pd.DataFrame]:
    """The tables the measures read, as pandas frames (the columns they need)."""
    frames = {name: con.execute(f"SELECT {cols} FROM {name}").df() for name, cols in _COLUMNS.items()}
    for frame in frames.values():
        frame["la_code"] = frame["la_code"].fillna("")  # the council not named: one key value
    return frames


def _age_at_month_end(birth_ym: pd.Series, born_29_feb: pd.Series, d: pd.Timestamp) -> pd.Series:
    """As the engine's macro: exact from the birth year-month on a month's last day."""
    before = (birth_ym.dt.month > d.month) | ((d.month == 2) & (d.day == 28) & born_29_feb)
    return d.year - birth_ym.dt.year - before.astype(int)


def _stock(t: dict[str, pd.DataFrame], end: pd.Timestamp) -> pd.DataFrame:
    e = t["episodes"]
    open_then = (e["decom"] <= end) & (e["dec"].isna() | (e["dec"] > end)) & ~e["short_break"]
    s = e.loc[open_then, [*KEY, "period_no", "placement_no", "attr_place"]]
    s = s.merge(t["children"], on=KEY).merge(
        t["periods"][[*KEY, "period_no", "start_date"]].rename(columns={"start_date": "care_start"}),
        on=[*KEY, "period_no"],
    )
    s = s.merge(
        t["placements"][[*KEY, "period_no", "placement_no", "start_date", "previous_start"]],
        on=[*KEY, "period_no", "placement_no"],
    )
    s["age"] = _age_at_month_end(s["birth_ym"], s["born_29_feb"], end)
    return s


def compute(t: dict[str, pd.DataFrame], year: int) -> dict[str, tuple[int, int | None]]:
    """{measure id: (numerator, denominator)} for the year ending 31 March `year`."""
    start, end = pd.Timestamp(year - 1, 4, 1), pd.Timestamp(year, 3, 31)
    stock = _stock(t, end)
    out: dict[str, tuple[int, int | None]] = {"cla_at_31_march": (len(stock), None)}

    p = t["periods"]
    started = p[p["is_start"] & p["start_date"].between(start, end)].merge(t["children"][KEY], on=KEY)
    out["starts"] = (int(started[KEY].drop_duplicates().shape[0]), None)

    pl = t["placements"]
    in_year = pl[(pl["start_date"] <= end) & (pl["end_date"].isna() | (pl["end_date"] > start))]
    counts = in_year.groupby(KEY).size().rename("n").reset_index()
    per_child = stock[KEY].merge(counts, on=KEY, how="left")
    out["placements_3plus"] = (int((per_child["n"] >= 3).sum()), len(per_child))

    cohort = stock[(stock["age"] < 16) & (stock["care_start"] <= end - pd.DateOffset(months=30))]
    adoptive = cohort["attr_place"].isin(["A4", "A6"])
    counted_from = cohort["start_date"].where(
        ~adoptive, cohort["previous_start"].fillna(cohort["start_date"])
    )
    stable = counted_from <= end - pd.DateOffset(months=24)
    out["long_term_stability"] = (int(stable.sum()), len(cohort))

    cl = t["care_leavers"]
    leavers = cl[
        (cl["year"] == year)
        & cl["age"].between(19, 21)
        & ~cl["in_touch"].isin(["DIED", "RHOM"])
        & ~cl["only_short_breaks"]
        & ~cl["care_transferred"]
    ]
    out["care_leavers_19_21_eet"] = (int(leavers["activ"].isin(EET).sum()), len(leavers))
    return out


def engine_headlines(results: dict[str, dict]) -> dict[str, tuple[int, int | None]]:
    """The same headline numbers from the engine's results (analytics.measures.compute)."""
    return {m: (results[m]["numerator"], results[m]["denominator"]) for m in MEASURE_IDS}
