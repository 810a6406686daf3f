"""The whole return, as councils export it: every table as CSV and the same rows as one XML
export give the same numbers; each new table's validation with a small bad file; an XML bomb,
a file of another kind and a file in the wrong year refused; the population and locality
tables written beside the returns loaded too; the load's summary grouped by rule."""

from __future__ import annotations

import csv
import hashlib
import time

import duckdb
import pytest

from analytics import store
from tests.builders import (
    ep,
    header,
    indicators,
    load,
    missing,
    oc2,
    oc3,
    prev_perm,
    review,
    run,
    sw_episode,
    uk,
    write_csv,
    write_return,
    write_xml,
)

BORN = {"A": "2015-03-01", "B": "2010-05-01", "C": "2007-02-01", "D": "2004-06-01"}
HEADERS = [header(c, dob) for c, dob in BORN.items()]
EPISODE_ROWS = [
    ep("A", "2021-06-01 S C2 U4 PR1 -> 2022-09-01 X1"),
    ep("A", "2022-09-01 L E1 U4 PR1 -> 2023-06-01 X1"),
    ep("A", "2023-06-01 P E1 A6 PR1 -> 2024-02-01 E11", urn="SC300001"),
    ep("B", "2022-01-10 S C2 U4 PR1 -> open"),
    ep("C", "2023-05-01 S V2 K2 PR4 -> open"),
]
TABLES = {
    "UASC": [{"CHILD": "C", "SEX": "1", "DOB": uk(BORN["C"]), "DUC": uk("2025-02-01")}],
    "OC3": [oc3("D", BORN["D"], "YES", "F1", "U1")],
    "AD1": [
        {
            "CHILD": "A",
            "DOB": uk(BORN["A"]),
            "DATE_INT": uk("2023-03-01"),
            "DATE_MATCH": uk("2023-04-01"),
            "FOSTER_CARE": "0",
            "NB_ADOPTR": "2",
            "SEX_ADOPTR": "MF",
            "LS_ADOPTR": "L0",
        }
    ],
    "PlacedAdoption": [
        {
            "CHILD": "A",
            "DOB": uk(BORN["A"]),
            "DATE_PLACED": uk("2022-09-01"),
            "DATE_PLACED_CEASED": uk("2024-02-01"),
            "REASON_PLACED_CEASED": "E11",
        }
    ],
    "OC2": [oc2("B", BORN["B"], SDQ_SCORE="15", HEALTH_ASSESSMENT="1", TEETH_CHECK="1", IMMUNISATIONS="0")],
    "Missing": [
        missing("B", BORN["B"], "M", "2023-07-01", "2023-07-03"),
        missing("B", BORN["B"], "M", "2024-03-30"),
        missing("C", BORN["C"], "A", "2023-08-01", "2023-08-01"),
    ],
    "Reviews": [
        review("B", BORN["B"], "2023-07-01", "PN1"),
        review("B", BORN["B"], "2023-12-20", "PN7"),
        review("C", BORN["C"], "2023-05-20", "PN2"),
        review("C", BORN["C"], "2023-08-10", "PN1"),
    ],
    "PrevPerm": [prev_perm("C", BORN["C"], "P2", "E06000004", "2015-06-01")],
    "SWEpisodes": [
        sw_episode("B", BORN["B"], "QZWORKER01", "2022-01-10", "2023-05-01", "MGRJO"),
        sw_episode("B", BORN["B"], "QZWORKER02", "2023-05-01", "2023-11-01", "MGRJO"),
        sw_episode("B", BORN["B"], "QZWORKER03", "2023-11-01"),
    ],
    "DoLo": [{"CHILD": "B", "DOB": uk(BORN["B"]), "DOLO_START": uk("2023-10-01"), "DOLO_END": ""}],
}
SIDE = ("uasc", "care_leavers", "adoption_details", "placed_adoption", "oc2", "missing", "reviews")
SIDE += ("prev_perm", "sw_episodes", "dolo")


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stored_counts(db):
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in SIDE}


@pytest.fixture
def both(tmp_path):
    """The same full export loaded as CSV files and as one XML file."""
    csv_db, xml_db = tmp_path / "csv.duckdb", tmp_path / "xml.duckdb"
    load(csv_db, write_return(tmp_path / "csv" / "2024", HEADERS, EPISODE_ROWS, **TABLES))
    load(xml_db, write_xml(tmp_path / "xml" / "export_2024.xml", HEADERS, EPISODE_ROWS, **TABLES))
    return csv_db, xml_db


def test_a_full_export_loads_as_csv_and_as_xml_with_the_same_numbers(both):
    csv_db, xml_db = both
    from_csv, from_xml = indicators(csv_db, 2024), indicators(xml_db, 2024)
    assert from_csv == from_xml
    # Every table is stored, from both: one row each, or as many as written.
    expected = {"uasc": 1, "care_leavers": 1, "adoption_details": 1, "placed_adoption": 1, "oc2": 1}
    expected |= {"missing": 3, "reviews": 4, "prev_perm": 1, "sw_episodes": 3, "dolo": 1}
    assert stored_counts(csv_db) == expected == stored_counts(xml_db)
    m = from_xml
    assert m["cla_at_31_march"]["value"] == 2  # B and C (A adopted on 2024-02-01)
    assert m["adopted"]["numerator"] == 1
    assert m["cla_at_31_march"]["breakdowns"]["uasc"] == {"Not UASC": 1, "UASC": 1}
    assert m["care_leavers_19_21_eet"]["numerator"] == 1  # D, 19 in the year
    assert (m["oc2_cohort"]["value"], m["oc2_health_assessment"]["numerator"]) == (1, 1)
    assert m["missing_incidents"]["value"] == 2 and m["away_incidents"]["value"] == 1
    assert m["starts_after_permanence"]["numerator"] == 1  # C, after a special guardianship order
    assert m["social_workers_3plus"]["numerator"] == 1  # B: three workers in the year
    # B's reviews: D1 2022-02-07 onwards are before the Reviews history (from 1 April 2023), so
    # the chain starts at 2023-07-01: due 2024-01-01, held 2023-12-20. C: D1 2023-05-30 met,
    # D2 2023-08-20 met, D3 2024-02-10 not held: late.
    assert (m["reviews_on_time"]["numerator"], m["reviews_on_time"]["denominator"]) == (1, 2)
    assert (m["review_participation"]["numerator"], m["review_participation"]["denominator"]) == (1, 2)


def test_xml_rows_are_numbered_in_file_order(tmp_path):
    tables = {"Reviews": [*TABLES["Reviews"][:3], review("C", BORN["C"], "2023-08-10", "PN9")]}
    db = tmp_path / "x.duckdb"
    load(db, write_xml(tmp_path / "export_2024.xml", HEADERS, EPISODE_ROWS, **tables))
    with duckdb.connect(str(db), read_only=True) as con:
        lines = con.execute(
            """SELECT file, "row", "column", message FROM validation_report WHERE rule = 'code-invalid'"""
        ).fetchall()
    assert lines == [
        (
            "export_2024.xml[Reviews]",
            4,
            "REVIEW_CODE",
            'REVIEW_CODE = "PN9" is not a code of any year\'s list; counted as unknown',
        )
    ]


def refused(db, *paths):
    status, printed = run("load", *map(str, paths), "--db", str(db), "--la-code", "E06000002")
    assert status == 1, printed
    return printed


@pytest.fixture
def loaded(tmp_path):
    db = tmp_path / "cla.duckdb"
    load(db, write_return(tmp_path / "good", HEADERS[:1], EPISODE_ROWS[:1]))
    return db, digest(db)


def test_an_xml_bomb_is_refused_at_once(tmp_path, loaded):
    db, before = loaded
    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    bomb = tmp_path / "bomb_2024.xml"
    bomb.write_text(
        f'<?xml version="1.0"?><!DOCTYPE EXPSSDA903 [<!ENTITY e0 "lol">{entities}]>'
        "<EXPSSDA903><CHILD><HEADER><CHILDID>&e9;</CHILDID></HEADER></CHILD></EXPSSDA903>"
    )
    started = time.monotonic()
    printed = refused(db, bomb)
    assert time.monotonic() - started < 20
    assert "bomb_2024.xml" in printed and "[file-unreadable]" in printed
    assert digest(db) == before


def test_a_file_of_another_kind_is_refused_saying_so(tmp_path, loaded):
    db, before = loaded
    notes = tmp_path / "Episodes.xls"
    notes.write_bytes(b"\xd0\xcf\x11\xe0 an old Excel file")
    printed = refused(db, write_return(tmp_path / "in", HEADERS, EPISODE_ROWS), notes)
    assert "Episodes.xls" in printed and "[file-type-unknown]" in printed
    assert "neither a CSV file, an Excel workbook (.xlsx) nor an XML export (.xml)" in printed
    assert digest(db) == before


def test_a_file_in_the_wrong_year_is_refused_naming_the_year_its_dates_point_to(tmp_path, loaded):
    db, before = loaded
    # A folder named by the year the collection starts: 2017 holding the 2017-18 return.
    episodes = [
        ep("A", "2017-05-01 S C2 U4 PR1 -> open"),
        ep("B", "2017-09-01 S C2 U4 PR1 -> 2018-01-01 E4A"),
    ]
    printed = refused(db, write_return(tmp_path / "2017", HEADERS, episodes))
    assert "[year-wrong]" in printed and "Episodes.csv" in printed
    assert "loaded as the return for 2016-17" in printed and "its dates point to 2017-18" in printed
    # Some episodes in the year, but an open one begun after its 31 March.
    episodes = [
        ep("A", "2022-05-01 S C2 U4 PR1 -> 2023-01-01 E4A"),
        ep("B", "2023-06-01 S C2 U4 PR1 -> open"),
    ]
    printed = refused(db, write_return(tmp_path / "2023", HEADERS, episodes))
    assert "[year-wrong]" in printed and "open episodes that began after its 31 March" in printed
    assert digest(db) == before
    # The same file in the right folder loads.
    load(db, write_return(tmp_path / "2024", HEADERS, episodes))


def test_population_and_locality_tables_beside_the_returns_are_loaded(tmp_path):
    root = tmp_path / "synth_out"
    write_return(root / "2024", HEADERS, EPISODE_ROWS)
    label = "synthetic (invented)"
    write_csv(
        root / "population.csv",
        ["year", "district", "age_band", "children", "source"],
        [
            {"year": "2024", "district": "TS1", "age_band": band, "children": "500", "source": label}
            for band in ("Under 1", "1 to 4", "5 to 9", "10 to 15")
        ],
    )
    write_csv(
        root / "localities.csv",
        ["district", "locality", "source"],
        [{"district": "TS1", "locality": "Central", "source": label}],
    )
    db = tmp_path / "synth.duckdb"
    load(db, root)
    m = indicators(db, 2024)
    assert m["cla_rate_per_10k"] == {"numerator": 2, "denominator": 2000, "value": 10.0}
    assert m["cla_at_31_march"]["breakdowns"]["locality"] == {"Central": 2}
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT DISTINCT la_code, synthetic FROM population").fetchall() == [
            ("E06000002", True)
        ]
    # A bad population table refuses the load, naming the file and row.
    (root / "population.csv").write_text("year,district,age_band,children\n2024,TS1,10-15,500\n")
    printed = refused(tmp_path / "other.duckdb", root)
    assert "population.csv" in printed and "row 2" in printed and "[table-invalid]" in printed


# --- each new table's validation, with a small bad file ----------------------------------------

GOOD = "GOODKID1"
BAD = "QZBADKID7"
BAD_DOB = "2011-04-07"


def _row(table, **values):
    base = {
        "OC2": oc2(BAD, BAD_DOB),
        "Missing": missing(BAD, BAD_DOB, "M", "2023-06-01", "2023-06-02"),
        "Reviews": review(BAD, BAD_DOB, "2023-06-01"),
        "PrevPerm": prev_perm(BAD, BAD_DOB, "Z1"),
        "SWEpisodes": sw_episode(BAD, BAD_DOB, "QZWORKER99", "2023-05-01"),
        "DoLo": {"CHILD": BAD, "DOB": uk(BAD_DOB), "DOLO_START": uk("2023-06-01"), "DOLO_END": ""},
        "AD1": {**TABLES["AD1"][0], "CHILD": BAD, "DOB": uk(BAD_DOB)},
        "PlacedAdoption": {**TABLES["PlacedAdoption"][0], "CHILD": BAD, "DOB": uk(BAD_DOB)},
        "UASC": {"CHILD": BAD, "SEX": "1", "DOB": uk(BAD_DOB), "DUC": uk("2029-04-07")},
    }[table]
    return {**base, **values}


BAD_ROWS = {
    # case: (table, bad values, column, rule, severity)
    "oc2-flag": ("OC2", {"CONVICTED": "7"}, "CONVICTED", "code-invalid", "warning"),
    "oc2-sdq": ("OC2", {"SDQ_SCORE": "45"}, "SDQ_SCORE", "sdq-invalid", "warning"),
    "oc2-reason": ("OC2", {"SDQ_REASON": "SDQ9", "SDQ_SCORE": ""}, "SDQ_REASON", "code-invalid", "warning"),
    "missing-date": ("Missing", {"MIS_START": "31/02/2024"}, "MIS_START", "date-unparseable", "warning"),
    "missing-code": ("Missing", {"MISSING": "X"}, "MISSING", "code-invalid", "warning"),
    "missing-dob": ("Missing", {"DOB": "32/01/2011"}, "DOB", "date-unparseable", "error"),
    "reviews-date": ("Reviews", {"REVIEW": "2023/06/01"}, "REVIEW", "date-unparseable", "warning"),
    "reviews-code": ("Reviews", {"REVIEW_CODE": "PN9"}, "REVIEW_CODE", "code-invalid", "warning"),
    "prevperm-code": ("PrevPerm", {"PREV_PERM": "P9"}, "PREV_PERM", "code-invalid", "warning"),
    "prevperm-date": ("PrevPerm", {"DATE_PERM": "99/99/2015"}, "DATE_PERM", "date-unparseable", "warning"),
    "sw-id": ("SWEpisodes", {"SW_ID": ""}, "SW_ID", "sw-id-missing", "warning"),
    "sw-date": ("SWEpisodes", {"SW_DECOM": ""}, "SW_DECOM", "date-missing", "warning"),
    "dolo-date": ("DoLo", {"DOLO_START": "soon"}, "DOLO_START", "date-unparseable", "warning"),
    "ad1-date": ("AD1", {"DATE_INT": "1/13/2023"}, "DATE_INT", "date-unparseable", "warning"),
    "placed-date": (
        "PlacedAdoption",
        {"DATE_PLACED_CEASED": "2024-02-30"},
        "DATE_PLACED_CEASED",
        "date-unparseable",
        "warning",
    ),
    "uasc-date": ("UASC", {"DUC": "07.04.2029"}, "DUC", "date-unparseable", "warning"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_each_new_table_reports_a_bad_row_by_file_row_and_rule_and_leaks_nothing(tmp_path, case):
    table, values, column, rule, severity = BAD_ROWS[case]
    headers = [header(GOOD, "2012-01-01"), header(BAD, BAD_DOB)]
    episodes = [ep(GOOD, "2023-05-01 S C2 U4 PR1 -> open"), ep(BAD, "2022-05-01 S C2 U4 PR1 -> open")]
    good_row = _row(table) | {"CHILD": GOOD, "DOB": uk("2012-01-01")}
    folder = write_return(tmp_path / "2024", headers, episodes, **{table: [good_row, _row(table, **values)]})
    db = tmp_path / "cla.duckdb"
    status, printed = run("load", str(folder), "--db", str(db), "--report", str(tmp_path / "report.csv"))
    assert status == 0, printed
    with duckdb.connect(str(db), read_only=True) as con:
        lines = con.execute(
            'SELECT file, "row", "column", severity, message FROM validation_report WHERE rule = $r',
            {"r": rule},
        ).fetchall()
        quarantined = con.execute("SELECT DISTINCT table_name FROM quarantine").fetchall()
    assert [line[:4] for line in lines] == [(f"{table}.csv", 3, column, severity)]
    if severity == "error":  # the child is set aside whole, with its row of this table
        assert {table, "Header", "Episodes"} <= {q[0] for q in quarantined}
    report = (tmp_path / "report.csv").read_text()
    for text in (printed, report, *(line[4] for line in lines)):
        for secret in (BAD, uk(BAD_DOB), BAD_DOB, "QZWORKER99", "32/01/2011"):
            assert secret not in text


def test_a_row_of_a_new_table_for_a_child_with_no_header_row_is_left_out(tmp_path):
    folder = write_return(
        tmp_path / "2024",
        [header(GOOD, "2012-01-01")],
        [ep(GOOD, "2023-05-01 S C2 U4 PR1 -> open")],
        Reviews=[review(GOOD, "2012-01-01", "2023-05-20"), review(BAD, BAD_DOB, "2023-06-01")],
    )
    db = tmp_path / "cla.duckdb"
    load(db, folder)
    with duckdb.connect(str(db), read_only=True) as con:
        lines = con.execute(
            """SELECT file, "row", "column", severity FROM validation_report WHERE rule = 'header-missing'"""
        ).fetchall()
        assert con.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
    assert lines == [("Reviews.csv", 3, "CHILD", "warning")]


# --- the load's summary -----------------------------------------------------------------------


def test_the_summary_groups_the_report_by_rule_and_the_report_file_keeps_every_line(tmp_path):
    headers = [header(c, "2010-01-01") for c in "ABC"]
    episodes = [
        ep("C", "2023-05-01 S C2 Q9 PR1 -> open"),
        ep("A", "2023-05-01 S C2 Q8 PR1 -> open", home=""),
        ep("B", "2023-05-01 S C2 Q7 PR1 -> open"),
    ]
    folder = write_return(
        tmp_path / "in", headers, episodes, Reviews=[review("A", "2010-01-01", "2023-06-01", "PN9")]
    )
    report = tmp_path / "report.csv"
    status, printed = run(
        "load", str(folder), "--db", str(tmp_path / "x.duckdb"), "--year", "2024", "--report", str(report)
    )
    assert status == 0
    # one line per rule: code-invalid 4 times (three PLACE, one REVIEW_CODE), postcode-blank once
    assert '[code-invalid] warning x 4, e.g. Episodes.csv row 2 PLACE: PLACE = "Q9"' in printed
    assert "[postcode-blank] warning x 1, e.g. Episodes.csv row 3 HOME_POST" in printed
    assert printed.count("[code-invalid]") == 1
    with open(report, newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["file"], r["row"], r["rule"]) for r in rows] == [
        ("Episodes.csv", "2", "code-invalid"),
        ("Episodes.csv", "3", "code-invalid"),
        ("Episodes.csv", "3", "postcode-blank"),
        ("Episodes.csv", "4", "code-invalid"),
        ("Reviews.csv", "2", "code-invalid"),
    ]


def test_the_schema_keeps_every_table_of_the_return():
    for table in store.SIDE_TABLES.values():
        assert f"CREATE TABLE IF NOT EXISTS {table} (" in store.SCHEMA
    assert "sw_id" not in store.SCHEMA.lower().replace("sw_episodes", "")


def test_a_database_made_before_the_new_tables_still_answers_and_a_new_load_upgrades_it(tmp_path):
    db = tmp_path / "old.duckdb"
    folder = write_return(tmp_path / "2024", HEADERS, EPISODE_ROWS, **TABLES)
    load(db, folder)
    with duckdb.connect(str(db)) as con:  # as an older version left it
        con.execute("ALTER TABLE episodes DROP COLUMN age_at_last_day")
        con.execute("ALTER TABLE loads DROP COLUMN tables_loaded")
    m = indicators(db, 2024)
    assert m["cla_at_31_march"]["value"] == 2
    assert m["cla_during_year"]["value"] is None and "older version" in m["cla_during_year"]["reason"]
    assert m["oc2_cohort"]["value"] is None and m["oc2_cohort"]["reason"]
    load(db, folder)
    m = indicators(db, 2024)
    assert (m["cla_during_year"]["value"], m["oc2_cohort"]["value"]) == (3, 1)


def test_synth_out_then_load_of_the_same_folder(tmp_path):
    out = tmp_path / "synthetic"
    status, printed = run(
        "synth", "--out", str(out), "--children", "40", "--first-year", "2024", "--last-year", "2024"
    )
    assert status == 0, printed
    db = tmp_path / "synth.duckdb"
    load(db, out)  # the population and locality tables beside the returns are recognised
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM population WHERE synthetic").fetchone()[0] > 0
        assert con.execute("SELECT count(*) FROM localities WHERE synthetic").fetchone()[0] > 0
    assert indicators(db, 2024)["cla_rate_per_10k"]["value"] is not None


def test_an_xml_file_that_is_no_export_is_refused(tmp_path, loaded):
    db, before = loaded
    other = tmp_path / "feed_2024.xml"
    other.write_text('<?xml version="1.0"?><rss><channel><title>news</title></channel></rss>')
    printed = refused(db, other)
    assert "feed_2024.xml" in printed and "[table-unrecognised]" in printed and "no CHILD elements" in printed
    assert digest(db) == before
