"""The synthetic returns look like a council's export (issue 3, items 1 and 2; issue 8, item 7;
ssda903.md)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest

from analytics import codes
from analytics.synth import params
from analytics.synth.generate import generate
from analytics.synth.writer import COLUMNS, tables_for, upns

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


def test_one_folder_per_year_with_the_tables_of_that_year(returns):
    for year in range(FIRST, LAST + 1):
        names = tables_for(year)
        for table in names:
            with (returns / str(year) / f"{table}.csv").open(encoding="utf-8") as f:
                assert next(csv.reader(f)) == COLUMNS[table], (year, table)
        assert sorted(p.stem for p in (returns / str(year)).glob("*.csv")) == sorted(names)
    assert "SWEpisodes" in tables_for(2024) and "SWEpisodes" not in tables_for(2023)
    assert "Missing" in tables_for(2015) and "Missing" not in tables_for(2014)
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


# ---------------------------------------------------------------- the side tables (issue 8, item 7)
def _dates(rows, *cols):
    for r in rows:
        for c in cols:
            assert r[c] == "" or DATE.match(r[c]), (c, r)


def _episodes_by_child(returns: Path, year: int) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in read(returns / str(year) / "Episodes.csv"):
        out.setdefault(r["CHILD"], []).append(r)
    for eps in out.values():
        eps.sort(key=lambda r: iso(r["DECOM"]))
    return out


def _age(dob: str, when: str) -> int:
    b, w = iso(dob), when
    return int(w[:4]) - int(b[:4]) - (w[5:] < b[5:])


def test_oc2_rows_are_the_oc2_cohort_with_dfe_age_rules(returns):
    for year in (2016, 2021, 2024, 2025):
        start, end = f"{year - 1}-04-01", f"{year}-03-31"
        eps = _episodes_by_child(returns, year)
        # the cohort: looked after on 31 March, the period (all synthetic periods begin S) begun by
        # 1 April a year earlier; the period's start is in an earlier year's file when not here
        first_decom = {}
        for y in range(FIRST, year + 1):
            for r in read(returns / str(y) / "Episodes.csv"):
                first_decom.setdefault(r["CHILD"], iso(r["DECOM"]))
        cohort = {
            c
            for c, e in eps.items()
            if (e[-1]["DEC"] == "" or iso(e[-1]["DEC"]) > end) and first_decom[c] <= start
        }
        rows = read(returns / str(year) / "OC2.csv")
        assert {r["CHILD"] for r in rows} == cohort and len(rows) == len(cohort), year
        header = {r["CHILD"]: r["DOB"] for r in read(returns / str(year) / "Header.csv")}
        for r in rows:
            assert r["DOB"] == header[r["CHILD"]]
            for c in ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE"):
                assert r[c] in ("0", "1"), (c, r)
            age = _age(r["DOB"], end)
            assert (r["HEALTH_CHECK"] != "") == (age < 5), r  # DfE 545, 546
            if age < 10:
                assert r["CONVICTED"] == "", r
            elif age >= 11:
                assert r["CONVICTED"] in ("0", "1"), r  # DfE 543
            if r["SUBSTANCE_MISUSE"] == "1":  # DfE 158, 159, 192, 193
                assert r["INTERVENTION_RECEIVED"] in ("0", "1")
                assert (r["INTERVENTION_OFFERED"] == "") == (r["INTERVENTION_RECEIVED"] == "1")
            else:
                assert r["INTERVENTION_RECEIVED"] == r["INTERVENTION_OFFERED"] == ""
            if r["SDQ_SCORE"]:
                assert 0 <= int(r["SDQ_SCORE"]) <= 40 and r["SDQ_REASON"] == ""
            elif r["SDQ_REASON"]:
                assert codes.is_valid("SDQ_REASON", r["SDQ_REASON"], year)
            if 5 <= age <= 15:
                assert r["SDQ_SCORE"] or r["SDQ_REASON"] in ("SDQ2", "SDQ3", "SDQ4", "SDQ5"), r
            if age < 4 or _age(r["DOB"], start) >= 17:
                assert r["SDQ_SCORE"] == r["SDQ_REASON"] == "", r  # DfE 188, 189


def test_missing_incidents_of_children_looked_after_carried_over_1_april(returns):
    carried = 0
    previous_open: set[tuple[str, str, str]] = set()
    for year in range(params.TABLE_FROM["Missing"], LAST + 1):
        start, end = f"{year - 1}-04-01", f"{year}-03-31"
        eps = _episodes_by_child(returns, year)
        rows = read(returns / str(year) / "Missing.csv")
        _dates(rows, "MIS_START", "MIS_END")
        keys = {(r["CHILD"], r["MISSING"], r["MIS_START"]) for r in rows}
        assert previous_open <= keys, "an incident open on 31 March is reported again"
        carried += len(previous_open)
        by_child: dict[str, list[tuple[str, str]]] = {}
        for r in rows:
            assert codes.is_valid("MISSING", r["MISSING"], year)
            s, e = iso(r["MIS_START"]), iso(r["MIS_END"])
            assert s <= end and (e == "" or start <= e <= end) and (e == "" or e >= s), r
            e_ = eps[r["CHILD"]]
            assert iso(e_[0]["DECOM"]) <= s  # looked after when it began (DfE 581)
            if e == "":  # still missing on 31 March: the child is still looked after (DfE 577)
                assert e_[-1]["DEC"] == ""
            else:
                assert e_[-1]["DEC"] == "" or e < iso(e_[-1]["DEC"])  # DfE 575, 580
            by_child.setdefault(r["CHILD"], []).append((s, e or "9999"))
        for spans in by_child.values():  # no incident overlaps another (DfE 574)
            spans.sort()
            for (_, e1), (s2, _) in zip(spans, spans[1:]):
                assert s2 > e1
        previous_open = {(r["CHILD"], r["MISSING"], r["MIS_START"]) for r in rows if not r["MIS_END"]}
    assert carried > 0


def test_reviews_follow_the_statutory_timescales_mostly_on_time(returns):
    import datetime as dt

    reviews: dict[str, list[str]] = {}
    for year in range(FIRST, LAST + 1):
        rows = read(returns / str(year) / "Reviews.csv")
        _dates(rows, "REVIEW")
        for r in rows:
            assert codes.is_valid("REVIEW_CODE", r["REVIEW_CODE"], year)
            assert (r["REVIEW_CODE"] == "PN0") == (_age(r["DOB"], iso(r["REVIEW"])) < 4)  # DfE 440/441
            assert dt.date.fromisoformat(iso(r["REVIEW"])).weekday() < 5
            reviews.setdefault(r["CHILD"], []).append(iso(r["REVIEW"]))
    eps = _episodes_by_child(returns, 2025)
    gaps_first, gaps_later = [], []
    for child, e in eps.items():
        if e[0]["RNE"] != "S" or child not in reviews:
            continue
        d0 = dt.date.fromisoformat(iso(e[0]["DECOM"]))
        rs = sorted(dt.date.fromisoformat(x) for x in reviews[child])
        assert rs[0] > d0
        gaps_first.append((rs[0] - d0).days)
        gaps_later += [(b - a).days for a, b in zip(rs[1:], rs[2:])]
    assert sum(g <= 28 for g in gaps_first) / len(gaps_first) > 0.9  # 20 working days
    assert sum(g <= 183 for g in gaps_later) / len(gaps_later) > 0.9  # 6 months
    codes_2025 = [r["REVIEW_CODE"] for r in read(returns / "2025" / "Reviews.csv")]
    older = [c for c in codes_2025 if c != "PN0"]
    assert sum(c in ("PN1", "PN2", "PN3", "PN4", "PN5", "PN6") for c in older) / len(older) > 0.9


def test_previous_permanence_for_every_start_of_the_year(returns):
    some = 0
    for year in range(params.TABLE_FROM["PrevPerm"], LAST + 1):
        start, end = f"{year - 1}-04-01", f"{year}-03-31"
        starts = {
            r["CHILD"]: iso(r["DECOM"])
            for r in read(returns / str(year) / "Episodes.csv")
            if r["RNE"] == "S" and start <= iso(r["DECOM"]) <= end
        }
        rows = read(returns / str(year) / "PrevPerm.csv")
        _dates(rows, "DATE_PERM")
        assert {r["CHILD"] for r in rows} == set(starts)  # DfE 630
        for r in rows:
            assert codes.is_valid("PREV_PERM", r["PREV_PERM"], year)
            if r["PREV_PERM"] == "Z1":
                assert r["LA_PERM"] == r["DATE_PERM"] == ""  # DfE 635
            else:
                some += 1
                assert r["LA_PERM"] and iso(r["DATE_PERM"]) < starts[r["CHILD"]]  # DfE 632
                assert iso(r["DOB"]) < iso(r["DATE_PERM"])
                if r["PREV_PERM"] == "P4":
                    assert iso(r["DATE_PERM"]) < "2014-04-22"
    assert some > 0


def test_social_worker_episodes_from_2023_24_chained_and_changing(returns):
    for year in range(params.TABLE_FROM["SWEpisodes"], LAST + 1):
        start, end = f"{year - 1}-04-01", f"{year}-03-31"
        eps = _episodes_by_child(returns, year)
        rows = read(returns / str(year) / "SWEpisodes.csv")
        _dates(rows, "SW_DECOM", "SW_DEC")
        by_child: dict[str, list[dict]] = {}
        for r in rows:
            assert r["SW_ID"].startswith("SW") and r["SW_REASON"] in (
                [
                    "MANAGE",
                    "FCONTA",
                    "LEFTRL",
                    "ORGRST",
                    "TSPROC",
                    "ABSENC",
                    "CHCHAN",
                    "PCCHAN",
                    "SWDIED",
                    "OTHERS",
                ]
            )
            assert iso(r["SW_DECOM"]) <= end and (r["SW_DEC"] == "" or iso(r["SW_DEC"]) >= start)
            by_child.setdefault(r["CHILD"], []).append(r)
        looked_after_31_march = {c for c, e in eps.items() if e[-1]["DEC"] == ""}
        assert looked_after_31_march <= set(by_child)  # DfE SW01
        for child, sw in by_child.items():
            sw.sort(key=lambda r: iso(r["SW_DECOM"]))
            for a, b in zip(sw, sw[1:]):
                assert a["SW_DEC"] == b["SW_DECOM"] and a["SW_ID"] != b["SW_ID"]
            assert all(r["SW_DEC"] != r["SW_DECOM"] for r in sw)  # DfE SW09
            assert (sw[-1]["SW_DEC"] == "") == (child in looked_after_31_march)
        three = sum(len({r["SW_ID"] for r in by_child[c]}) >= 3 for c in looked_after_31_march)
        assert 0.03 < three / len(looked_after_31_march) < 0.3


def test_blank_home_postcodes_only_for_unaccompanied_children(returns):
    # DfE rule 392b: a child who is not (and was not) an unaccompanied asylum-seeking child has
    # home and placement postcodes
    for year in (2023, 2024, 2025):
        uasc = {r["CHILD"] for r in read(returns / str(year) / "UASC.csv")}
        for r in read(returns / str(year) / "Episodes.csv"):
            assert r["PL_POST"], r
            assert r["HOME_POST"] or r["CHILD"] in uasc, r


def test_side_tables_leave_the_other_tables_unchanged(tmp_path, monkeypatch):
    import hashlib

    from analytics.synth import side

    def digest(root: Path, names) -> dict[str, str]:
        return {
            str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*.csv"))
            if p.stem in names
        }

    main = ("Header", "Episodes", "OC3", "AD1", "PlacedAdoption", "UASC")
    generate(tmp_path / "a", seed=5, first_year=2020, log=lambda *a: None)
    monkeypatch.setattr(side, "SIDE_STREAM_KEY", 904)  # another side stream, another side history
    generate(tmp_path / "b", seed=5, first_year=2020, log=lambda *a: None)
    assert digest(tmp_path / "a", main) == digest(tmp_path / "b", main)
    assert digest(tmp_path / "a", ("OC2", "Reviews")) != digest(tmp_path / "b", ("OC2", "Reviews"))
