"""The rules of indicators.md "Health, missing, reviews, previous permanence, social workers",
each with its own small hand-worked cohort (year 2024: 1 April 2023 to 31 March 2024). Every
number asserted is worked out by hand from the spec, in the comments beside it."""

from __future__ import annotations

import json

import duckdb

from analytics.measures.registry import HEALTH_AND_MORE
from tests.builders import (
    TS5,
    ep,
    header,
    indicators,
    load,
    missing,
    oc2,
    prev_perm,
    review,
    run,
    sw_episode,
    write_return,
    write_side,
)

NEW_IDS = [m.id for m in HEALTH_AND_MORE]


def triple(m):
    return m["numerator"], m["denominator"], m["value"]


def report_lines(db, rule):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            'SELECT file, "row", "column", severity, message FROM validation_report WHERE rule = $r ORDER BY file, "row"',
            {"r": rule},
        ).fetchall()


# --- OC2: the cohort's edges on 1 April -------------------------------------------------------


def test_oc2_cohort_edges_on_1_april(tmp_path):
    born = {"A": "2015-01-01", "B": "2015-01-01", "C": "2012-01-01", "D": "2012-01-01"}
    born |= {"E": "2019-06-01", "G": "2008-01-01"}
    episodes = [
        ep("A", "2023-04-01 S C2 U4 PR1 -> open"),  # began on 1 April 2023: in
        ep("B", "2023-04-02 S C2 U4 PR1 -> open"),  # a day later: out
        ep("C", "2020-05-01 S C2 U4 PR1 -> 2024-03-31 E13"),  # left on 31 March: out
        ep("D", "2020-05-01 S C2 U4 PR1 -> 2023-06-01 E4A"),  # a new period after 1 April: out
        ep("D", "2023-06-02 S C2 U4 PR1 -> open"),
        ep("E", "2021-01-01 S C2 U4 PR1 -> 2023-06-01 X1"),  # one period joined by X1: in, aged 4
        ep("E", "2023-06-01 P C2 U6 PR1 -> open"),
        ep("G", "2020-01-01 S C2 U4 PR1 -> open"),  # in, aged 16, no OC2 row
    ]
    rows = [
        oc2("A", born["A"], HEALTH_ASSESSMENT="1"),  # row 2
        oc2("B", born["B"], HEALTH_ASSESSMENT="1"),  # row 3: not in the cohort
        oc2("E", born["E"], HEALTH_ASSESSMENT="1", HEALTH_CHECK="1"),  # row 4
        oc2("C", born["C"], HEALTH_ASSESSMENT="1"),  # row 5: not in the cohort
    ]
    folder = write_return(tmp_path / "2024", [header(c, d) for c, d in born.items()], episodes, OC2=rows)
    db = tmp_path / "oc2.duckdb"
    load(db, folder)
    m = indicators(db, 2024)
    assert triple(m["oc2_cohort"]) == (3, None, 3)  # A, E, G
    assert m["oc2_cohort"]["breakdowns"]["age_band"] == {"1 to 4": 1, "5 to 9": 1, "16 and over": 1}
    assert triple(m["oc2_health_assessment"]) == (2, 3, 66.7)  # A and E; G has no row
    assert triple(m["oc2_development_assessment_under_5"]) == (1, 1, 100.0)  # E
    assert triple(m["oc2_convicted_10_17"]) == (0, 1, 0.0)  # G
    # OC2 is annual: an as-of date does not change the cohort.
    assert triple(indicators(db, 2024, "--as-of", "2023-09-30")["oc2_cohort"]) == (3, None, 3)
    assert [line[:3] for line in report_lines(db, "oc2-not-in-cohort")] == [
        ("OC2.csv", 3, "CHILD"),
        ("OC2.csv", 5, "CHILD"),
    ]
    # G is named by the episode open on 31 March (Episodes.csv row 9), never by identifier.
    assert [line[:3] for line in report_lines(db, "oc2-missing")] == [("Episodes.csv", 9, "CHILD")]


def test_oc2_sdq_bands_and_substance_misuse(tmp_path):
    # Five children aged 5 to 16 in the cohort: scores 13, 14, 16, 17 and none (SDQ4).
    kids = {f"S{i}": "2012-01-01" for i in range(5)}
    episodes = [ep(c, "2021-01-01 S C2 U4 PR1 -> open") for c in kids]
    rows = [
        oc2("S0", kids["S0"], SDQ_SCORE="13", SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="1"),
        oc2("S1", kids["S1"], SDQ_SCORE="14", SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="0"),
        oc2("S2", kids["S2"], SDQ_SCORE="16", SUBSTANCE_MISUSE="0"),
        oc2("S3", kids["S3"], SDQ_SCORE="17"),
        oc2("S4", kids["S4"], SDQ_REASON="SDQ4"),
    ]
    folder = write_return(tmp_path / "2024", [header(c, d) for c, d in kids.items()], episodes, OC2=rows)
    db = tmp_path / "sdq.duckdb"
    load(db, folder)
    m = indicators(db, 2024)
    assert triple(m["oc2_sdq_received_5_16"]) == (4, 5, 80.0)
    assert triple(m["oc2_sdq_average_5_16"]) == (60, 4, 15.0)  # (13 + 14 + 16 + 17) / 4
    assert triple(m["oc2_sdq_concern_5_16"]) == (1, 4, 25.0)
    assert m["oc2_sdq_concern_5_16"]["breakdowns"]["sdq_band"] == {
        "Borderline": {"numerator": 2, "denominator": 4, "value": 50.0},  # 14 and 16
        "Concern": {"numerator": 1, "denominator": 4, "value": 25.0},  # 17
        "Normal": {"numerator": 1, "denominator": 4, "value": 25.0},  # 13
    }
    assert triple(m["oc2_substance_misuse"]) == (2, 5, 40.0)
    assert triple(m["oc2_substance_intervention_received"]) == (1, 2, 50.0)


# --- Missing: incidents carried over, reported twice, of children not looked after ------------


def test_missing_incidents_carried_over_and_reported_twice(tmp_path):
    born = {"P": "2010-01-01", "Q": "2011-01-01", "R": "2009-01-01"}
    history = write_return(
        tmp_path / "history",
        [header(c, d) for c, d in born.items()],
        [
            ep("P", "2022-01-01 S C2 U4 PR1 -> open"),
            ep("Q", "2023-10-01 S C2 U4 PR1 -> open"),
            ep("R", "2020-01-01 S C2 U4 PR1 -> 2023-03-31 E4A"),  # gone before year 2024
        ],
    )
    write_side(
        tmp_path / "2023",
        Missing=[
            missing("P", born["P"], "M", "2023-03-30"),  # open at the end of 2023...
            missing("P", born["P"], "M", "2023-01-05", "2023-03-31"),  # ended on 31 March 2023
            missing("R", born["R"], "M", "2023-02-01", "2023-02-02"),
        ],
    )
    write_side(
        tmp_path / "2024",
        Missing=[
            missing("P", born["P"], "M", "2023-03-30", "2023-04-01"),  # ...reported again, ended 1 April
            missing("P", born["P"], "M", "2024-03-31"),  # still open on 31 March
            missing("Q", born["Q"], "M", "2023-11-01", "2023-11-02"),
            missing("Q", born["Q"], "M", "2023-12-01", "2023-11-30"),  # row 5: ends before it starts
            missing("Q", born["Q"], "A", "2024-01-01", "2024-01-01"),
            missing("R", born["R"], "M", "2023-05-01", "2023-05-02"),  # row 7: R not looked after
        ],
    )
    db = tmp_path / "missing.duckdb"
    load(db, history, tmp_path / "2023", tmp_path / "2024")

    m = indicators(db, 2024)
    assert triple(m["cla_during_year"]) == (2, None, 2)  # P and Q; R left on 31 March 2023
    # P: the carried-over incident (once) and the open one; Q: November. Not P's January one.
    assert triple(m["missing_incidents"]) == (3, None, 3)
    assert triple(m["missing_children_share"]) == (2, 2, 100.0)
    assert triple(m["missing_incidents_per_child"]) == (3, 2, 1.5)
    assert triple(m["away_children_share"]) == (1, 2, 50.0)
    assert triple(m["away_incidents"]) == (1, None, 1)

    m = indicators(db, 2023)
    assert triple(m["cla_during_year"]) == (2, None, 2)  # P and R
    # 30 March (once, though in both files), January (P), February (R); not R's May one.
    assert triple(m["missing_incidents"]) == (3, None, 3)
    assert triple(m["missing_children_share"]) == (2, 2, 100.0)

    assert [line[:3] for line in report_lines(db, "missing-end-before-start")] == [
        ("Missing.csv", 5, "MIS_END")
    ]
    assert [line[:3] for line in report_lines(db, "missing-not-looked-after")] == [
        ("Missing.csv", 7, "CHILD")
    ]


# --- Reviews on time: bank holidays, month ends, the short history ----------------------------


def test_review_deadlines_across_bank_holidays_and_month_ends(tmp_path):
    cases = {
        # child: (start, reviews, on time?)
        # D1 = 2024-01-04: 25, 26 December and 1 January are bank holidays (else 2024-01-01).
        "HOL1": ("2023-12-04", ["2024-01-04"], True),
        "HOL2": ("2023-12-04", ["2024-01-05"], False),
        # D1 = 2023-12-01; D2 = 30 November + 3 months = 29 February 2024 (the month's last day).
        "EOM1": ("2023-11-03", ["2023-11-30", "2024-02-29"], True),
        "EOM2": ("2023-11-03", ["2023-11-30", "2024-03-01"], False),
        # D1 = 2023-06-01 (8 and 29 May are bank holidays); D2 = 2023-08-31; D3 = 31 August + 6
        # months = 29 February 2024.
        "SIX1": ("2023-05-02", ["2023-05-31", "2023-08-31", "2024-02-29"], True),
        "SIX2": ("2023-05-02", ["2023-05-31", "2023-08-31", "2024-03-01"], False),
        # D1 = 2023-06-29 passed with no review held: missed.
        "NONE": ("2023-06-01", [], False),
        # Begun 28 days before 31 March: in the population; D1 = 2024-04-02 (Good Friday and
        # Easter Monday) is after the year: nothing missed.
        "NEW": ("2024-03-03", [], True),
        # Begun 27 days before 31 March: not in the population.
        "TOO_NEW": ("2024-03-04", [], None),
    }
    born = "2010-01-01"
    history = write_return(
        tmp_path / "history",
        [header(c, born) for c in cases],
        [ep(c, f"{start} S C2 U4 PR1 -> open") for c, (start, _, _) in cases.items()],
    )
    write_side(
        tmp_path / "2024",
        Reviews=[review(c, born, r) for c, (_, reviews, _) in cases.items() for r in reviews],
    )
    db = tmp_path / "reviews.duckdb"
    load(db, history, tmp_path / "2024")
    # On time: HOL1, EOM1, SIX1, NEW; late: HOL2, EOM2, SIX2, NONE.
    assert triple(indicators(db, 2024)["reviews_on_time"]) == (4, 8, 50.0)
    # The Reviews table is annual: an as-of date changes nothing.
    assert triple(indicators(db, 2024, "--as-of", "2023-12-31")["reviews_on_time"]) == (4, 8, 50.0)


def test_the_first_known_review_when_the_reviews_history_is_short(tmp_path):
    # Reviews are loaded for 2024 (from 1 April 2023) and 2025; every period began long before.
    cases = {
        # first known review 15 June 2023, taken as a later review: next due 15 December
        "U": ("2020-01-01", ["2023-06-15", "2023-12-10"]),  # on time
        "V": ("2020-01-01", ["2023-06-15", "2024-01-10"]),  # late (due 2023-12-15)
        # none known: the chain starts at 1 April 2023, next due 1 October 2023: missed
        "W": ("2020-01-01", []),
        # the first known review is late in the year: no deadline before it is judged
        "X": ("2019-05-01", ["2023-09-20", "2024-03-01"]),  # on time (due 2024-03-20)
        # none known by 31 March 2024 (the first is in the 2025 file): in 2024 the chain starts
        # at 1 April 2023 and 1 October 2023 is missed; in 2025 it starts at 17 May 2024, next
        # due 17 November 2024, met on 10 November
        "Z": ("2020-01-01", ["2024-05-17", "2024-11-10"]),
    }
    born = "2010-01-01"
    history = write_return(
        tmp_path / "history",
        [header(c, born) for c in cases],
        [ep(c, f"{start} S C2 U4 PR1 -> open") for c, (start, _) in cases.items()],
    )
    for year in (2024, 2025):
        write_side(
            tmp_path / str(year),
            Reviews=[
                review(c, born, r)
                for c, (_, rs) in cases.items()
                for r in rs
                if f"{year - 1}-04-01" <= r <= f"{year}-03-31"
            ],
        )
    db = tmp_path / "short.duckdb"
    load(db, history, tmp_path / "2024", tmp_path / "2025")
    assert triple(indicators(db, 2024)["reviews_on_time"]) == (2, 5, 40.0)  # U and X
    # 2025: U (due 2024-06-10), V (2024-07-10) and X (2024-09-01) missed; Z met 17 November.
    # W has no deadline in 2025: the spec's chain defines none after a review never held.
    assert triple(indicators(db, 2025)["reviews_on_time"]) == (2, 5, 40.0)  # W and Z


def test_review_participation(tmp_path):
    cases = {
        "K3": ("2020-06-01", [("2023-06-01", "PN1")]),  # 3 on 31 March: out
        "K4A": ("2019-06-01", [("2023-06-01", "PN0")]),  # only PN0: out
        "K4B": ("2019-06-01", [("2023-06-01", "PN1"), ("2023-12-01", "PN6")]),  # took part
        "K4C": ("2012-01-01", [("2023-06-01", "PN1"), ("2023-12-01", "PN7")]),  # views not conveyed
        "K4E": ("2012-01-01", [("2023-06-01", "PN0"), ("2023-12-01", "PN4")]),  # took part
    }
    history = write_return(
        tmp_path / "history",
        [header(c, dob) for c, (dob, _) in cases.items()] + [header("K4D", "2012-01-01")],
        [ep(c, "2022-01-01 S C2 U4 PR1 -> open") for c in [*cases, "K4D"]],
    )
    write_side(
        tmp_path / "2024",
        Reviews=[review(c, dob, on, code) for c, (dob, rs) in cases.items() for on, code in rs]
        + [review("K4D", "2012-01-01", "2023-09-01", "PN3")],
    )
    # K4D's PN7 was in the year before: it does not count against 2024.
    write_side(tmp_path / "2023", Reviews=[review("K4D", "2012-01-01", "2023-03-01", "PN7")])
    db = tmp_path / "participation.duckdb"
    load(db, history, tmp_path / "2023", tmp_path / "2024")
    # In the population: K4B, K4C, K4D, K4E; took part: K4B, K4D, K4E.
    assert triple(indicators(db, 2024)["review_participation"]) == (3, 4, 75.0)


# --- Previous permanence, social workers ------------------------------------------------------


def test_starts_after_permanence_with_not_recorded(tmp_path):
    born = "2012-01-01"
    codes = {"A": "P1", "B": "P2", "C": "P3", "D": "P4", "E": "Z1"}
    children = [*codes, "F", "G"]
    episodes = [ep(c, "2023-05-01 S C2 U4 PR1 -> open") for c in children[:-1]]
    episodes.append(ep("G", "2022-05-01 S C2 U4 PR1 -> open"))  # not a start in 2024
    rows = [prev_perm(c, born, code) for c, code in codes.items()] + [prev_perm("G", born, "P1")]
    folder = write_return(tmp_path / "2024", [header(c, born) for c in children], episodes, PrevPerm=rows)
    db = tmp_path / "pp.duckdb"
    load(db, folder)
    m = indicators(db, 2024)["starts_after_permanence"]
    assert triple(m) == (4, 6, 66.7)  # A-D of the six starts A-F
    assert m["breakdowns"]["previous_order"] == {
        "Adoption": {"numerator": 1, "denominator": 1, "value": 100.0},
        "Child arrangements or residence": {"numerator": 2, "denominator": 2, "value": 100.0},
        "None": {"numerator": 0, "denominator": 1, "value": 0.0},
        "Not recorded": {"numerator": 0, "denominator": 1, "value": 0.0},
        "Special guardianship": {"numerator": 1, "denominator": 1, "value": 100.0},
    }


def test_three_or_more_social_workers(tmp_path):
    born = "2012-01-01"
    workers = {
        "S1": [
            ("W1", "2023-01-01", "2023-06-01"),
            ("W2", "2023-06-01", "2023-12-01"),
            ("W3", "2023-12-01", ""),
        ],
        # the same worker twice is one worker
        "S2": [
            ("W1", "2023-04-01", "2023-06-01"),
            ("W2", "2023-06-01", "2023-09-01"),
            ("W1", "2023-09-01", ""),
        ],
        # ended 31 March 2023: not open in the year
        "S3": [
            ("W1", "2022-01-01", "2023-03-31"),
            ("W2", "2023-03-31", "2023-10-01"),
            ("W3", "2023-10-01", ""),
        ],
        # ended 1 April 2023: open in the year
        "S4": [
            ("W1", "2022-01-01", "2023-04-01"),
            ("W2", "2023-04-01", "2023-10-01"),
            ("W3", "2023-10-01", ""),
        ],
        # begins 1 April 2024: after the year
        "S5": [
            ("W1", "2023-01-01", "2023-10-01"),
            ("W2", "2023-10-01", "2024-04-01"),
            ("W4", "2024-04-01", ""),
        ],
        # three workers, but not looked after on 31 March: not in the population
        "S6": [
            ("W1", "2023-01-01", "2023-06-01"),
            ("W2", "2023-06-01", "2023-09-01"),
            ("W3", "2023-09-01", ""),
        ],
    }
    episodes = [ep(c, "2022-01-01 S C2 U4 PR1 -> open") for c in workers if c != "S6"]
    episodes.append(ep("S6", "2022-01-01 S C2 U4 PR1 -> 2024-01-01 E4A"))
    rows = [sw_episode(c, born, w, s, e) for c, ws in workers.items() for w, s, e in ws]
    folder = write_return(tmp_path / "2024", [header(c, born) for c in workers], episodes, SWEpisodes=rows)
    db = tmp_path / "sw.duckdb"
    load(db, folder)
    m = indicators(db, 2024)["social_workers_3plus"]
    assert triple(m) == (2, 5, 40.0)  # S1 and S4
    assert m["breakdowns"]["age_band"] == {"10 to 15": {"numerator": 2, "denominator": 5, "value": 40.0}}


# --- Unavailable without the table; --suppress ----------------------------------------------


def test_each_new_measure_is_unavailable_with_a_reason_when_its_table_is_not_loaded(tmp_path):
    born = "2012-01-01"
    folder = write_return(
        tmp_path / "2024",
        [header("A", born)],
        [ep("A", "2021-01-01 S C2 U4 PR1 -> open")],
        Missing=[missing("A", born, "M", "2023-06-01", "2023-06-02")],
    )
    db = tmp_path / "partial.duckdb"
    load(db, folder)
    m = indicators(db, 2024)
    assert set(NEW_IDS) <= set(m)
    for mid in NEW_IDS:
        table = next(x.table for x in HEALTH_AND_MORE if x.id == mid)
        if table in (None, "Missing"):
            assert m[mid]["value"] is not None, mid
        else:
            assert triple(m[mid]) == (None, None, None), mid
            assert m[mid]["reason"] == f"no {table} table loaded for 2024", mid
    assert triple(m["missing_children_share"]) == (1, 1, 100.0)


def test_suppress_applies_to_every_new_measure(tmp_path):
    born = "2012-01-01"
    kids = [f"C{i}" for i in range(12)]
    folder = write_return(
        tmp_path / "2024",
        [header(c, born) for c in kids],
        [ep(c, "2021-01-01 S C2 U4 PR1 -> open") for c in kids],
        OC2=[oc2(c, born, HEALTH_ASSESSMENT="1", SDQ_SCORE="20") for c in kids[:3]],
        Missing=[missing(c, born, "M", "2023-06-01", "2023-06-02") for c in kids[:2]],
        Reviews=[review(c, born, "2023-06-01") for c in kids[:4]],
        PrevPerm=[prev_perm(c, born, "P1") for c in kids[:1]],
        SWEpisodes=[sw_episode(c, born, f"W{i}", "2023-05-01") for c in kids[:2] for i in range(3)],
    )
    db = tmp_path / "small.duckdb"
    load(db, folder)
    status, printed = run("indicators", "--year", "2024", "--db", str(db), "--suppress")
    assert status == 0
    measures = json.loads(printed)["measures"]

    def numbers(node):
        if isinstance(node, dict):
            for v in node.values():
                yield from numbers(v)
        elif isinstance(node, int | float) and not isinstance(node, bool):
            yield node

    for mid in NEW_IDS:
        assert not [n for n in numbers(measures[mid]) if 0 < n <= 5], mid
    assert measures["oc2_health_assessment"]["numerator"] == "c"  # 3 of 12
    assert measures["oc2_sdq_average_5_16"]["value"] == "c"  # a mean of 3 children
    assert measures["missing_incidents"]["value"] == "c"
    assert measures["cla_during_year"]["value"] == 12


def test_during_the_year_filters_use_the_last_episode_and_the_last_day_looked_after(tmp_path):
    born = {"J": "2008-02-10", "K": "2008-02-10", "L": "2012-01-01"}
    episodes = [
        # J leaves on their 16th birthday: the last day looked after they were still 15.
        ep("J", "2022-01-01 S C2 U4 PR1 -> 2024-02-10 E4A"),
        # K moves home district in the year: the last episode open in the year decides (TS5).
        ep("K", "2022-01-01 S C2 U4 PR1 -> 2023-09-01 X1"),
        ep("K", "2023-09-01 P C2 U6 PR1 -> open", home=TS5),
        ep("L", "2023-06-01 S C2 U4 PR1 -> open"),
    ]
    folder = write_return(
        tmp_path / "2024",
        [header(c, d) for c, d in born.items()],
        episodes,
        Missing=[
            missing("K", born["K"], "M", "2023-05-01", "2023-05-02"),
            missing("J", born["J"], "A", "2023-05-01"),
        ],
    )
    db = tmp_path / "during.duckdb"
    load(db, folder)
    m = indicators(db, 2024)
    assert m["cla_during_year"]["breakdowns"]["age_band"] == {"10 to 15": 2, "16 and over": 1}
    assert indicators(db, 2024, "--age-band", "10 to 15")["cla_during_year"]["value"] == 2  # J and L
    ts5 = indicators(db, 2024, "--district", "TS5")
    assert triple(ts5["cla_during_year"]) == (1, None, 1)  # K
    assert triple(ts5["missing_children_share"]) == (1, 1, 100.0)
    assert triple(ts5["away_children_share"]) == (0, 1, 0.0)
    ts1 = indicators(db, 2024, "--district", "TS1")
    assert triple(ts1["missing_incidents"]) == (0, None, 0)  # K's incident goes with K, in TS5
    assert triple(ts1["away_incidents"]) == (1, None, 1)  # J's
