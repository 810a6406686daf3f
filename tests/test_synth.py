"""The synthetic returns look like a council's export (issue 3, items 1 and 2; ssda903.md)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest

from analytics import codes
from analytics.synth import params
from analytics.synth.generate import generate
from analytics.synth.writer import COLUMNS, upns

FIRST, LAST = 2006, 2025
DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


@pytest.fixture(scope="module")
def returns(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "council"
    generate(out, scale="council", seed=11, log=lambda *a: None)
    return out


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def iso(d: str) -> str:
    return f"{d[6:]}-{d[3:5]}-{d[:2]}" if d else ""


def collection_year(d: str) -> int:
    y, m = int(d[6:]), int(d[3:5])
    return y + (m >= 4)


def test_one_folder_per_year_with_the_six_tables(returns):
    for year in range(FIRST, LAST + 1):
        for table, columns in COLUMNS.items():
            with (returns / str(year) / f"{table}.csv").open(encoding="utf-8") as f:
                assert next(csv.reader(f)) == columns, (year, table)
    assert (returns / "population.csv").exists() and (returns / "localities.csv").exists()


def test_episodes_hold_the_year_with_dec_blank_when_open_on_31_march(returns):
    previous_open: set[tuple[str, str]] = set()
    for year in range(FIRST, LAST + 1):
        rows = read(returns / str(year) / "Episodes.csv")
        start, end = f"{year - 1}-04-01", f"{year}-03-31"
        keys = set()
        for r in rows:
            assert DATE.match(r["DECOM"]) and iso(r["DECOM"]) <= end
            if r["DEC"]:
                assert DATE.match(r["DEC"]) and start <= iso(r["DEC"]) <= end
                assert iso(r["DEC"]) > iso(r["DECOM"])
                assert r["REC"]
            else:
                assert r["REC"] == "" and r["REASON_PLACE_CHANGE"] == ""
            keys.add((r["CHILD"], r["DECOM"]))
        assert len(keys) == len(rows), "one row per episode in a year's file"
        # every episode open at the end of last year is in this year's file
        assert previous_open <= keys, year
        previous_open = {(r["CHILD"], r["DECOM"]) for r in rows if not r["DEC"]}


def test_periods_chain_with_x1_and_start_with_s(returns):
    rows = read(returns / "2025" / "Episodes.csv")
    by_child: dict[str, list[dict]] = {}
    for r in rows:
        by_child.setdefault(r["CHILD"], []).append(r)
    for eps in by_child.values():
        eps.sort(key=lambda r: iso(r["DECOM"]))
        for a, b in zip(eps, eps[1:]):
            if a["REC"] == "X1":
                assert a["DEC"] == b["DECOM"]
                assert b["RNE"] != "S"
            else:
                assert b["RNE"] == "S"
        for r in eps:
            if r["PLACE"].startswith("T"):
                assert r["RNE"] in ("P", "B") and r["PLACE_PROVIDER"] == ""


def test_code_lists_follow_the_collection_year(returns):
    for year in range(FIRST, LAST + 1):
        header = read(returns / str(year) / "Header.csv")
        sexes = {r["SEX"] for r in header}
        assert sexes <= ({"1", "2"} if year <= 2024 else {"M", "F"}), year
        eps = read(returns / str(year) / "Episodes.csv")
        for r in eps:
            y_rec = collection_year(r["DEC"]) if r["DEC"] else year
            assert codes.is_valid("RNE", r["RNE"], year)
            assert codes.is_valid("LS", r["LS"], year)
            assert codes.is_valid("CIN", r["CIN"], year)
            assert r["PLACE"] not in ("Q1", "Q2")
            assert codes.is_valid("PLACE", r["PLACE"], collection_year(r["DECOM"])), r
            if r["PLACE"] == "K3":
                assert iso(r["DECOM"]) >= "2023-10-28"
            if r["PLACE_PROVIDER"]:
                assert codes.is_valid("PLACE_PROVIDER", r["PLACE_PROVIDER"], year)
            if r["REC"]:
                assert codes.is_valid("REC", r["REC"], y_rec), r
                if r["REC"] in ("E45", "E46", "E47", "E48"):
                    assert y_rec >= 2021
            if r["REASON_PLACE_CHANGE"]:
                assert codes.is_valid("REASON_PLACE_CHANGE", r["REASON_PLACE_CHANGE"], year)
        for r in read(returns / str(year) / "OC3.csv"):
            assert codes.is_valid("IN_TOUCH", r["IN_TOUCH"], year)
            assert codes.is_valid("ACTIV", r["ACTIV"], year), (year, r)
            assert codes.is_valid("ACCOM", r["ACCOM"], year)
            if year >= 2023:
                assert r["ACTIV"] not in ("F3", "P3")


def test_postcodes_are_real_and_homes_in_the_council(returns):
    import pandas as pd

    from analytics.ingest.location import lookup

    eps = read(returns / "2025" / "Episodes.csv")
    home = pd.Series([r["HOME_POST"] for r in eps if r["HOME_POST"]])
    placed = pd.Series([r["PL_POST"] for r in eps])
    h, p = lookup(home), lookup(placed)
    assert h["found"].all() and p["found"].all()
    assert set(h["council"]) == {params.MIDDLESBROUGH}
    councils = set(p["council"].dropna())
    assert {params.MIDDLESBROUGH, *params.NEIGHBOURS[:2]} <= councils
    assert len(councils) > 5  # and further away


def test_upn_check_letters():
    # the check letter makes the weighted sum of the 12 other characters work out (DfE)
    (upn,) = upns(806, np.array([1234567]), np.array([15]))
    assert len(upn) == 13 and upn[1:4] == "806"
    total = sum(int(c) * w for c, w in zip(upn[1:], range(2, 14)))
    assert upn[0] == "ABCDEFGHJKLMNPQRTUVWXYZ"[total % 23]


def test_population_and_localities_are_labelled_synthetic(returns):
    pop = read(returns / "population.csv")
    assert all("synthetic" in r["source"] for r in pop)
    assert {r["age_band"] for r in pop} == {"Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over"}
    total_2025 = sum(int(r["children"]) for r in pop if r["year"] == "2025")
    assert abs(total_2025 - params.UNDER18_2025) < 50
    assert {int(r["year"]) for r in pop} == set(range(FIRST, LAST + 1))
    loc = read(returns / "localities.csv")
    assert all("synthetic" in r["source"] for r in loc) and len({r["locality"] for r in loc}) >= 3


def test_synth_command_line(tmp_path):
    from analytics.__main__ import parser

    args = parser().parse_args(
        [
            "synth",
            "--out",
            str(tmp_path),
            "--scale",
            "england",
            "--first-year",
            "2010",
            "--last-year",
            "2012",
            "--seed",
            "3",
        ]
    )
    assert (args.scale, args.first_year, args.last_year, args.seed) == ("england", 2010, 2012, 3)
    with pytest.raises(SystemExit):
        parser().parse_args(["synth", "--out", "x", "--scale", "region", "--children", "50"])
    args = parser().parse_args(["build-demo", "--db", str(tmp_path / "x.duckdb")])
    assert args.seed == 2008
