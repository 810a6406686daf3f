"""The engine against an independent reference implementation (tests/reference/).

* ``test_reference_worked_examples``, ``test_reference_worked_example_5``: the reference
  reproduces the five worked examples of ``domain/indicators.md`` exactly (needs no engine).
* ``test_cohort_generator_faults``: the generated cohort's faults are the ones intended (the
  reference quarantines exactly the children the generator broke on purpose).
* ``test_engine_agrees_with_reference``: a seeded multi-year cohort full of edge cases and
  faults is loaded with the engine's command line in-process; for every year, as-of date and
  filter the engine's ``indicators`` JSON must equal the reference for every measure id,
  those of the health / missing / reviews / previous permanence / social worker section
  included (a measure id the engine does not print is a failure, never a skip).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
from pathlib import Path

import pytest

_TESTS = Path(__file__).resolve().parent
for _p in (str(_TESTS), str(_TESTS.parent)):  # tests/ (for `reference`) and the repository
    if _p not in sys.path:
        sys.path.insert(0, _p)

from reference import cohort as cohort_mod  # noqa: E402
from reference.impl import (  # noqa: E402
    COMPARED_BREAKDOWNS,
    MEASURE_IDS,
    Reference,
    load_reference,
)

# --------------------------------------------------------------------------------------------
# Worked examples (indicators.md, "Worked examples"); each a complete history
# --------------------------------------------------------------------------------------------
EP_COLS = [
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
]


def _d(iso):
    return "" if not iso else dt.date.fromisoformat(iso).strftime("%d/%m/%Y")


def _ep(child, decom, rne, ls, place, provider="", dec=None, rec="", pl_post="", urn=""):
    return {
        "CHILD": child,
        "DECOM": _d(decom),
        "RNE": rne,
        "LS": ls,
        "CIN": "N1",
        "PLACE": place,
        "PLACE_PROVIDER": provider,
        "DEC": _d(dec),
        "REC": rec,
        "REASON_PLACE_CHANGE": "",
        "HOME_POST": "",
        "PL_POST": pl_post,
        "URN": urn,
    }


def _hdr(child, dob, sex="1"):
    return {
        "CHILD": child,
        "SEX": sex,
        "DOB": _d(dob),
        "ETHNIC": "WBRI",
        "UPN": "",
        "MOTHER": "",
        "MC_DOB": "",
    }


def _complete(header, episodes, oc3=None):
    tables = {None: {"Header": header, "Episodes": episodes}}
    if oc3 is not None:
        tables[2024] = {"OC3": oc3}
    return Reference.from_tables(tables, la_code="E06000002")


def test_reference_worked_examples():
    # ---------------- Example 1: counts and placements ----------------
    pc, urn = "TS1 1AA", "SC000111"
    eps = [
        _ep("A", "2022-06-01", "S", "C2", "U6", "PR1", "2023-05-10", "X1"),
        _ep("A", "2023-05-10", "P", "C2", "U6", "PR4", "2023-08-01", "X1", pc, urn),
        _ep("A", "2023-08-01", "P", "C2", "T4", "", "2023-08-05", "X1"),
        _ep("A", "2023-08-05", "P", "C2", "U6", "PR4", "2023-11-01", "X1", pc, urn),
        _ep("A", "2023-11-01", "L", "E1", "U6", "PR4", "2024-01-15", "X1", pc, urn),
        _ep("A", "2024-01-15", "U", "E1", "A5", "PR4", None, "", pc, urn),
        _ep("B", "2023-04-20", "S", "V2", "U6", "PR1", "2023-06-01", "X1"),
        _ep("B", "2023-06-01", "P", "V2", "K2", "PR4", "2023-09-01", "X1"),
        _ep("B", "2023-09-01", "B", "C1", "U6", "PR5", "2023-12-01", "E4B"),
        _ep("B", "2024-02-01", "S", "C1", "U4", "PR1"),
        _ep("C", "2023-05-01", "S", "V3", "R1", "PR1", "2023-05-03", "E8"),
        _ep("C", "2023-07-01", "S", "V3", "R1", "PR1", "2023-07-03", "E8"),
        _ep("D", "2023-03-01", "S", "C2", "U6", "PR1", "2024-03-31", "E13"),
    ]
    ref = _complete(
        [
            _hdr("A", "2016-07-15"),
            _hdr("B", "2009-05-02", "2"),
            _hdr("C", "2012-01-01"),
            _hdr("D", "2012-01-10"),
        ],
        eps,
    )
    m = ref.measures(2024)
    assert m["cla_at_31_march"]["numerator"] == 2
    assert m["cla_at_31_march"]["breakdowns"]["age_band"] == {"5 to 9": 1, "10 to 15": 1}
    assert m["starts"]["numerator"] == 1
    assert m["starts"]["breakdowns"]["age_band"] == {"10 to 15": 1}
    assert m["ceased"]["numerator"] == 2
    assert m["ceased"]["breakdowns"]["reason_group"] == {
        "Returned home": 1,
        "Left to live with relatives or others": 1,
    }
    a_pl = [len(p.placements) for p in ref.periods_by_child["A"]]
    b_pl = [len(p.placements) for p in ref.periods_by_child["B"]]
    assert sum(a_pl) == 2 and sum(b_pl) == 4
    assert "C" not in ref.periods_by_child
    p3 = m["placements_3plus"]
    assert (p3["numerator"], p3["denominator"], p3["value"]) == (1, 2, 50.0)
    assert m["placement_moves"]["numerator"] == 3

    # ---------------- Example 2: long-term stability ----------------
    eps = [
        _ep("E", "2021-09-30", "S", "C2", "U4", "PR1", "2022-03-31", "X1"),
        _ep("E", "2022-03-31", "L", "C2", "U4", "PR1", "2023-01-10", "X1"),
        _ep("E", "2023-01-10", "T", "C2", "U4", "PR1"),
        _ep("F", "2020-01-01", "S", "C2", "U6", "PR1", "2022-04-01", "X1"),
        _ep("F", "2022-04-01", "P", "C2", "U4", "PR1"),
        _ep("G", "2015-01-01", "S", "C2", "U4", "PR1"),
        _ep("H", "2021-10-01", "S", "C2", "U4", "PR1"),
    ]
    ref = _complete(
        [_hdr("E", "2012-02-01"), _hdr("F", "2010-01-01"), _hdr("G", "2008-03-31"), _hdr("H", "2019-06-01")],
        eps,
    )
    lts = ref.measures(2024)["long_term_stability"]
    assert (lts["numerator"], lts["denominator"], lts["value"]) == (1, 2, 50.0)

    # ---------------- Example 3: care leavers (OC3 for 2024) ----------------
    def oc3(child, dob, in_touch, activ="", accom=""):
        return {"CHILD": child, "DOB": _d(dob), "IN_TOUCH": in_touch, "ACTIV": activ, "ACCOM": accom}

    rows = [
        oc3("Y1", "2004-06-01", "YES", "F5", "U1"),  # 19
        oc3("Y2", "2003-06-01", "YES", "G5", "S2"),  # 20
        oc3("Y3", "2002-06-01", "NO", "0", "0"),  # 21
        oc3("Y4", "2004-06-01", "NREQ", "0", "G1"),  # 19
        oc3("Y5", "2003-06-01", "DIED"),  # 20
        oc3("Y6", "2006-06-01", "YES", "F2", "D1"),  # 17
    ]
    ref = _complete([_hdr("Z", "2010-01-01")], [_ep("Z", "2020-01-01", "S", "C2", "U4", "PR1")], rows)
    m = ref.measures(2024)

    def nd(mid):
        x = m[mid]
        return x["numerator"], x["denominator"], x["value"]

    assert nd("care_leavers_19_21_eet") == (1, 4, 25.0)
    assert nd("care_leavers_19_21_suitable_accommodation") == (1, 3, 33.3)
    assert nd("care_leavers_19_21_in_touch") == (2, 4, 50.0)
    assert nd("care_leavers_17_18_eet") == (1, 1, 100.0)
    assert nd("care_leavers_17_18_suitable_accommodation") == (1, 1, 100.0)

    # ---------------- Example 4: adoption timeliness ----------------
    eps = [
        _ep("J", "2021-05-01", "S", "C1", "U6", "PR1", "2022-01-01", "X1"),
        _ep("J", "2022-01-01", "L", "E1", "U6", "PR1", "2022-06-01", "X1"),
        _ep("J", "2022-06-01", "P", "E1", "A6", "PR1", "2023-06-30", "E12"),
        _ep("K", "2022-02-01", "S", "C1", "U5", "PR1", "2022-10-01", "X1"),
        _ep("K", "2022-10-01", "U", "E1", "A5", "PR1", "2023-12-01", "E11"),
    ]
    ref = _complete([_hdr("J", "2020-01-01"), _hdr("K", "2021-10-01")], eps)
    m = ref.measures(2024)
    assert nd("adopted") == (2, 2, 100.0)
    assert nd("adoption_entry_to_placed_days") == (396, 2, 198.0)
    assert nd("adoption_entry_to_order_days") == (1458, 2, 729.0)


def test_reference_worked_example_5():
    """Health, missing and reviews (indicators.md, worked example 5)."""
    header = [_hdr("L", "2014-05-10"), _hdr("M", "2020-08-01", "2"), _hdr("N", "2012-01-20")]
    eps = [
        _ep("L", "2022-01-10", "S", "C2", "U4", "PR1"),
        _ep("M", "2023-04-01", "S", "C1", "U6", "PR1"),
        _ep("N", "2023-06-01", "S", "V2", "U6", "PR1"),
    ]
    dob = {r["CHILD"]: r["DOB"] for r in header}

    def oc2(child, **values):
        row = {c: "" for c in ("SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS")}
        row.update({c: "" for c in ("TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE")})
        row.update(INTERVENTION_RECEIVED="", INTERVENTION_OFFERED="", CHILD=child, DOB=dob[child])
        row.update(values)
        return row

    def mis(child, kind, start, end=None):
        return {
            "CHILD": child,
            "DOB": dob[child],
            "MISSING": kind,
            "MIS_START": _d(start),
            "MIS_END": _d(end),
        }

    def rev(child, day, code=""):
        return {"CHILD": child, "DOB": dob[child], "REVIEW": _d(day), "REVIEW_CODE": code}

    tables = {
        None: {"Header": header, "Episodes": eps},
        2022: {"Reviews": [rev("L", "2022-02-04", "PN1")]},
        2023: {
            "Missing": [mis("L", "M", "2023-03-20")],
            "Reviews": [rev("L", "2022-05-01", "PN1"), rev("L", "2022-10-30", "PN1")],
        },
        2024: {
            "OC2": [oc2("L", HEALTH_ASSESSMENT="1", TEETH_CHECK="0", IMMUNISATIONS="1", SDQ_SCORE="18")],
            "Missing": [
                mis("L", "M", "2023-03-20", "2023-04-02"),
                mis("L", "M", "2023-07-01", "2023-07-01"),
                mis("L", "A", "2023-09-05", "2023-09-06"),
                mis("N", "M", "2024-02-10"),
            ],
            "Reviews": [
                rev("L", "2023-05-05", "PN1"),
                rev("L", "2023-11-01", "PN7"),
                rev("M", "2023-05-02", "PN0"),
                rev("M", "2023-07-20", "PN0"),
                rev("M", "2024-01-15", "PN0"),
                rev("N", "2023-06-20", "PN2"),
                rev("N", "2023-09-30", "PN5"),
            ],
        },
    }
    ref = Reference.from_tables(tables, la_code="E06000002")
    m = ref.measures(2024)

    def nd(mid):
        x = m[mid]
        return x["numerator"], x["denominator"], x["value"]

    assert nd("oc2_cohort") == (2, None, 2)
    assert nd("oc2_health_assessment") == (1, 2, 50.0)
    assert nd("oc2_dental_check") == (0, 2, 0.0)
    assert nd("oc2_immunisations_up_to_date") == (1, 2, 50.0)
    assert nd("oc2_development_assessment_under_5") == (0, 1, 0.0)
    assert nd("oc2_sdq_received_5_16") == (1, 1, 100.0)
    assert nd("oc2_sdq_average_5_16") == (18, 1, 18.0)
    assert nd("oc2_sdq_concern_5_16") == (1, 1, 100.0)
    assert m["oc2_sdq_concern_5_16"]["breakdowns"]["sdq_band"] == {
        "Concern": {"numerator": 1, "denominator": 1, "value": 100.0}
    }
    assert nd("cla_during_year") == (3, None, 3)
    assert nd("missing_children_share") == (2, 3, 66.7)
    assert nd("missing_incidents") == (3, None, 3)
    assert nd("missing_incidents_per_child") == (3, 2, 1.5)
    assert nd("away_children_share") == (1, 3, 33.3)
    assert nd("away_incidents") == (1, None, 1)
    # the deadlines of the example, exactly
    d = dt.date.fromisoformat
    deadlines = [x for x, _ in ref.review_deadlines("L", d("2022-01-10"), d("2024-03-31"))]
    assert deadlines[:4] == [d("2022-02-07"), d("2022-05-04"), d("2022-11-01"), d("2023-04-30")]
    deadlines = [x for x, _ in ref.review_deadlines("M", d("2023-04-01"), d("2024-03-31"))]
    assert deadlines[:3] == [d("2023-05-03"), d("2023-08-02"), d("2024-01-20")]
    deadlines = ref.review_deadlines("N", d("2023-06-01"), d("2024-03-31"))
    assert deadlines[1] == (d("2023-09-20"), d("2023-09-30"))
    assert nd("reviews_on_time") == (1, 3, 33.3)
    assert nd("review_participation") == (1, 2, 50.0)
    # OC2 and Reviews are annual: an as-of date changes neither
    q = ref.measures(2024, dt.date(2023, 9, 30))
    for mid in ("oc2_cohort", "oc2_health_assessment", "reviews_on_time", "review_participation"):
        assert q[mid] == m[mid], mid
    # tables not loaded: unavailable, with a reason
    for mid in ("starts_after_permanence", "social_workers_3plus"):
        assert m[mid]["value"] is None and m[mid]["reason"], mid
    assert ref.measures(2023)["oc2_cohort"]["reason"]


# --------------------------------------------------------------------------------------------
# The generator's faults are the intended ones
# --------------------------------------------------------------------------------------------
def test_cohort_generator_faults(tmp_path):
    cohort = cohort_mod.generate(tmp_path / "cohort", seed=5)
    ref = load_reference(cohort.dirs, cohort.la_code)
    assert set(ref.quarantine) == set(cohort.expected_quarantine), sorted(
        set(ref.quarantine) ^ set(cohort.expected_quarantine)
    )
    superseded = {child for child, _ in ref.superseded}
    tagged = {
        c
        for c, tags in cohort.tags.items()
        if any(t.startswith("superseded:") and t != "superseded:stale_field" for t in tags)
    }
    assert superseded == tagged
    # every year's Episodes file has rows, OC3 files exist for every year
    for d in cohort.dirs:
        assert (d / "OC3.csv").exists()
        with open(d / "Episodes.csv") as f:
            assert sum(1 for _ in f) > 50


# --------------------------------------------------------------------------------------------
# Minimal cases of disagreements found by the agreement test (the reference's answer is the
# specification's; the engine is run in-process on the same files)
# --------------------------------------------------------------------------------------------
def _write_tables(root: Path, tables_by_year: dict) -> list[Path]:
    import csv

    dirs = []
    for year, tables in sorted(tables_by_year.items()):
        d = root / str(year)
        d.mkdir(parents=True)
        dirs.append(d)
        for name, rows in tables.items():
            with open(d / f"{name}.csv", "w", newline="") as f:
                w = csv.DictWriter(f, fieldnames=list(rows[0]))
                w.writeheader()
                w.writerows(rows)
    return dirs


def _engine_measures(capsys, tmp_path, monkeypatch, dirs, year):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("CLA_DASHBOARD_HOME", str(home))
    db = tmp_path / "cla.duckdb"
    code, out = _run(capsys, ["load", *map(str, dirs), "--db", str(db), "--la-code", "E06000002"])
    assert code == 0, out[-2000:]
    code, out = _run(capsys, ["indicators", "--year", str(year), "--db", str(db)])
    assert code == 0, out[-2000:]
    return _parse_json(out)["measures"]


def test_reviews_first_known_review_after_the_year(tmp_path, monkeypatch, capsys):
    """indicators.md, Reviews on time: "r1 < r2 < ... the distinct review dates from d0 up to
    31 March" and, for a period begun before 1 April of the first loaded Reviews year, "the
    chain then starts at the first known review of the period (or, when none is known, at
    1 April of the first loaded Reviews year) ... the next deadline is six months after it".
    A's period began in 2018, Reviews are loaded from 2019-20, and A's first review is on
    17 May 2020 (next year's file): for 2019-20 no review up to 31 March is known, so the chain
    starts on 1 April 2019 and its deadline of 1 October 2019 was missed. B is on time."""
    hdr = [_hdr("A", "2010-03-03"), _hdr("B", "2011-04-04")]
    a = _ep("A", "2018-06-05", "S", "C2", "U4", "PR1")
    b = _ep("B", "2019-06-01", "S", "C2", "U4", "PR1")

    def rev(child, day, code="PN1"):
        dob = {"A": "03/03/2010", "B": "04/04/2011"}[child]
        return {"CHILD": child, "DOB": dob, "REVIEW": _d(day), "REVIEW_CODE": code}

    tables = {
        2019: {"Header": hdr, "Episodes": [a]},
        2020: {
            "Header": hdr,
            "Episodes": [a, b],
            "Reviews": [rev("B", "2019-06-20"), rev("B", "2019-09-10"), rev("B", "2020-03-01")],
        },
        2021: {
            "Header": hdr,
            "Episodes": [a, b],
            "Reviews": [rev("A", "2020-05-17"), rev("B", "2020-08-20")],
        },
    }
    dirs = _write_tables(tmp_path / "data", tables)
    ref = load_reference(dirs, "E06000002").measures(2020)["reviews_on_time"]
    assert (ref["numerator"], ref["denominator"]) == (1, 2)
    eng = _engine_measures(capsys, tmp_path, monkeypatch, dirs, 2020)["reviews_on_time"]
    assert (eng["numerator"], eng["denominator"]) == (1, 2), (
        f"engine {eng['numerator']} of {eng['denominator']}, the specification 1 of 2 (A late)"
    )


# --------------------------------------------------------------------------------------------
# Engine against reference
# --------------------------------------------------------------------------------------------
SEEDS = [3, 17, 2024]
COHORT_YEARS = list(range(2019, 2025))
POPULATION_GAPS = {2021, 2023}  # these years take the latest earlier year's population
MONTH_ENDS = [(9, 30), (12, 31), (2, None)]  # 30 September, 31 December, end of February
# Comparisons where the specification is silent and the engine's brief says nothing: a
# difference is reported as a warning, not a failure.  (measure ids, filter kinds)
SOFT = {
    (("cla_rate_per_10k", "starts_rate_per_10k"), "sex"),  # population has no sex
    (("cla_rate_per_10k", "starts_rate_per_10k"), "age_band"),  # population by the band
}


# Every engine call costs ~0.4 s, so by default each seed sweeps the whole year and the
# unfiltered view at every as-of date, and the filtered views at one as-of date, a different one
# per seed: across the seeds every (as-of date, filter) pair is compared.  The years either side
# of the loaded ones (everything unavailable) are swept for the whole year only.
# REFERENCE_FULL_SWEEP=1 sweeps every pair for every seed (about twice as long).
FULL_SWEEP = os.environ.get("REFERENCE_FULL_SWEEP") == "1"


def _sweep(seed, year):
    """[(as_of or None, filter kind, filter)] compared for one seed and year."""
    filters = _filters(seed)
    out = [(None, kind, f) for kind, f in filters]
    if year not in COHORT_YEARS:
        return out
    as_ofs = _as_of_dates(year)[1:]
    mine = as_ofs[SEEDS.index(seed) % len(as_ofs)] if seed in SEEDS else as_ofs[0]
    for as_of in as_ofs:
        out += [(as_of, kind, f) for kind, f in filters if FULL_SWEEP or kind == "none" or as_of == mine]
    return out


def _as_of_dates(year):
    out = [None]
    for month, day in MONTH_ENDS:
        y = year - 1 if month >= 4 else year
        if day is None:
            day = (dt.date(y, 3, 1) - dt.timedelta(days=1)).day
        out.append(dt.date(y, month, day))
    return out


def _filters(seed):
    rng = random.Random(seed)
    one = "TS1"  # the strategy's priority district; scenarios use it
    two = rng.sample(["TS2", "TS3", "TS4", "TS5", "TS7"], 2)
    return [
        ("none", {}),
        ("district", {"districts": [one]}),
        ("district", {"districts": sorted(two)}),
        ("age_band", {"age_band": "10 to 15"}),
        ("sex", {"sex": "Female"}),
    ]


def _run(capsys, argv):
    from analytics.__main__ import main

    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, out


def _parse_json(text):
    start = text.find("{")
    assert start >= 0, f"no JSON in output: {text[:500]!r}"
    obj, _ = json.JSONDecoder().raw_decode(text[start:])
    return obj


def _same(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return abs(float(a) - float(b)) < 1e-6


def _cell_diff(eng_cells, ref_cells):
    diffs = []
    for key in sorted(set(eng_cells) | set(ref_cells), key=str):
        e, r = eng_cells.get(key), ref_cells.get(key)
        if isinstance(r, dict) or isinstance(e, dict):
            e = e or {}
            r = r or {}
            bad = [k for k in ("numerator", "denominator", "value") if not _same(e.get(k), r.get(k))]
            if bad:
                diffs.append(f"{key}: engine {_short(e)} vs reference {_short(r)}")
        elif not _same(e, r):
            diffs.append(f"{key}: engine {e} vs reference {r}")
    return diffs


def _short(x):
    if isinstance(x, dict):
        return (
            "{" + ", ".join(f"{k}={x.get(k)}" for k in ("numerator", "denominator", "value") if k in x) + "}"
        )
    return str(x)


OPEN = "open point: "  # a difference on a point the specification leaves open (a warning)


def compare_measures(eng: dict, ref: dict) -> list[tuple[str, str]]:
    """[(measure id, difference)] between the engine's and the reference's measures."""
    out = []
    for mid in MEASURE_IDS:
        r = ref[mid]
        e = eng.get(mid)
        if e is None:
            out.append((mid, "missing from the engine's JSON"))
            continue
        for k in ("numerator", "denominator", "value"):
            if not _same(e.get(k), r[k]):
                out.append(
                    (
                        mid,
                        f"{k}: engine {e.get(k)} vs reference {r[k]}"
                        f" (reference reason: {r.get('reason', '-')})",
                    )
                )
        if bool(e.get("reason")) != ("reason" in r):
            out.append((mid, f"reason: engine {e.get('reason')!r} vs reference {r.get('reason')!r}"))
        if r["numerator"] is None:
            continue
        for b in COMPARED_BREAKDOWNS.get(mid, ()):
            eb = (e.get("breakdowns") or {}).get(b)
            if eb is None and r["breakdowns"].get(b):
                out.append((mid, f"breakdown {b} missing from the engine's JSON"))
                continue
            for d in _cell_diff(eb or {}, r["breakdowns"].get(b) or {}):
                out.append((mid, f"breakdown {b}: {d}"))
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_engine_agrees_with_reference(seed, tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("CLA_DASHBOARD_HOME", str(home))
    cohort = cohort_mod.generate(tmp_path / "cohort", seed=seed, years=COHORT_YEARS)
    population = tmp_path / "population.csv"
    cohort_mod.write_population(population, COHORT_YEARS, seed=seed, skip_years=POPULATION_GAPS)
    ref = load_reference(cohort.dirs, cohort.la_code, population)

    db = tmp_path / "cla.duckdb"
    code, out = _run(capsys, ["load", *map(str, cohort.dirs), "--db", str(db), "--la-code", cohort.la_code])
    assert code == 0, f"load failed ({code}):\n{out[-3000:]}"
    code, out = _run(capsys, ["population", str(population), "--db", str(db), "--la-code", cohort.la_code])
    assert code == 0, f"population load failed ({code}):\n{out[-3000:]}"

    hard, soft = [], []
    years = [COHORT_YEARS[0] - 1] + COHORT_YEARS + [COHORT_YEARS[-1] + 1]
    for year in years:
        for as_of, kind, f in _sweep(seed, year):
            argv = ["indicators", "--year", str(year), "--db", str(db)]
            if as_of:
                argv += ["--as-of", as_of.isoformat()]
            for d in f.get("districts", []):
                argv += ["--district", d]
            if "age_band" in f:
                argv += ["--age-band", f["age_band"]]
            if "sex" in f:
                argv += ["--sex", f["sex"]]
            label = (
                f"year={year} as_of={as_of or '31 March'} "
                f"{kind}={f.get('districts') or f.get('age_band') or f.get('sex') or '-'}"
            )
            code, out = _run(capsys, argv)
            if code != 0:
                hard.append((label, "*", f"indicators exit code {code}: {out[-300:]!r}"))
                continue
            eng = _parse_json(out).get("measures", {})
            exp = ref.measures(year, as_of, f.get("districts"), f.get("age_band"), f.get("sex"))
            for mid, diff in compare_measures(eng, exp):
                is_soft = diff.startswith(OPEN) or any(mid in ids and kind == k for ids, k in SOFT)
                (soft if is_soft else hard).append((label, mid, diff))

    if soft:
        import warnings

        warnings.warn(
            f"seed {seed}: {len(soft)} differences on points the spec leaves open, "
            "e.g.\n" + "\n".join(f"  {line} | {m} | {d}" for line, m, d in soft[:10]),
            stacklevel=2,
        )
    if hard:
        by_measure: dict[str, int] = {}
        for _, mid, _ in hard:
            by_measure[mid] = by_measure.get(mid, 0) + 1
        lines = [
            f"seed {seed}: {len(hard)} differences between engine and reference",
            "per measure: " + ", ".join(f"{m}={n}" for m, n in sorted(by_measure.items())),
            "",
        ]
        lines += [f"{label} | {mid} | {diff}" for label, mid, diff in hard[:150]]
        if len(hard) > 150:
            lines.append(f"... and {len(hard) - 150} more")
        pytest.fail("\n".join(lines), pytrace=False)
