"""Every validation rule of ssda903.md with a small bad file: the report line, the quarantine,
and for refusals, that the previous database is untouched."""

from __future__ import annotations

import hashlib

import duckdb
import pytest

from tests.builders import EPISODES, HEADER, ep, header, load, oc3, run, write_csv, write_return

GOOD_HEADERS = [header("GOOD1", "2012-01-01")]
GOOD_EPISODES = [ep("GOOD1", "2023-05-01 S C2 U4 PR1 -> open")]


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def loaded(tmp_path):
    """A database already holding a good load, and its digest."""
    db = tmp_path / "cla.duckdb"
    load(db, write_return(tmp_path / "good", GOOD_HEADERS, GOOD_EPISODES))
    return db, digest(db)


def refused(db, *paths, extra=()):
    status, printed = run("load", *map(str, paths), "--db", str(db), "--la-code", "E06000002", *extra)
    assert status == 1, printed
    return printed


# --- Refusals: nothing changes -------------------------------------------------------------


def test_a_file_that_cannot_be_read_is_refused(tmp_path, loaded):
    db, before = loaded
    folder = write_return(tmp_path / "bad", GOOD_HEADERS, GOOD_EPISODES)
    (folder / "Broken.xlsx").write_bytes(b"this is not a spreadsheet")
    printed = refused(db, folder)
    assert "Broken.xlsx" in printed and "[file-unreadable]" in printed
    assert digest(db) == before


def test_a_return_whose_every_child_is_set_aside_is_refused(tmp_path, loaded):
    """One child, DEC before DECOM: the only child is set aside, so nothing would be loaded."""
    db, before = loaded
    folder = write_return(
        tmp_path / "bad",
        [header("BAD", "2012-01-01")],
        [ep("BAD", "2023-05-01 S C2 U4 PR1 -> 2023-04-01 E4A")],
    )
    printed = refused(db, folder, extra=("--year", "2024"))
    assert "[no-episodes-kept]" in printed
    assert digest(db) == before


def test_a_file_that_is_no_ssda903_table_is_refused(tmp_path, loaded):
    db, before = loaded
    folder = write_return(tmp_path / "bad", GOOD_HEADERS, GOOD_EPISODES)
    write_csv(folder / "Notes.csv", ["WHAT", "WHO"], [{"WHAT": "x", "WHO": "y"}])
    printed = refused(db, folder)
    assert "Notes.csv" in printed and "[table-unrecognised]" in printed
    assert digest(db) == before


def test_a_required_column_missing_is_refused(tmp_path, loaded):
    db, before = loaded
    folder = tmp_path / "bad"
    write_csv(folder / "Header.csv", HEADER, GOOD_HEADERS)
    write_csv(folder / "Episodes.csv", [c for c in EPISODES if c != "PLACE"], GOOD_EPISODES)
    printed = refused(db, folder)
    assert "Episodes.csv" in printed and "PLACE" in printed and "[column-missing]" in printed
    assert digest(db) == before


def test_a_required_table_missing_is_refused(tmp_path, loaded):
    db, before = loaded
    folder = tmp_path / "bad"
    write_csv(folder / "Episodes.csv", EPISODES, GOOD_EPISODES)
    printed = refused(db, folder)
    assert "no Header table" in printed and "[table-missing]" in printed
    assert digest(db) == before


def test_a_year_bound_file_with_no_year_is_refused_with_how_to_name_it(tmp_path, loaded):
    db, before = loaded
    folder = write_return(
        tmp_path / "bad", GOOD_HEADERS, GOOD_EPISODES, OC3=[oc3("Y", "2005-01-01", "YES", "F1", "U1")]
    )
    printed = refused(db, folder)
    assert "OC3.csv" in printed and "[year-missing]" in printed and "2023-24" in printed
    assert digest(db) == before


def test_several_episodes_files_one_without_a_year_is_refused(tmp_path, loaded):
    db, before = loaded
    dated = write_return(tmp_path / "2024", GOOD_HEADERS, GOOD_EPISODES)
    undated = write_return(tmp_path / "undated", GOOD_HEADERS, GOOD_EPISODES)
    printed = refused(db, dated, undated)
    assert "[year-missing]" in printed
    assert digest(db) == before


def test_an_interrupted_load_leaves_the_previous_database(tmp_path, loaded, monkeypatch):
    db, before = loaded
    import analytics.ingest as ingest

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest, "_write", crash)
    with pytest.raises(KeyboardInterrupt):
        run("load", str(write_return(tmp_path / "new", GOOD_HEADERS, GOOD_EPISODES)), "--db", str(db))
    assert digest(db) == before
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith(".cla")) == []


# --- Errors: the child is set aside whole ----------------------------------------------------


def load_report(tmp_path, headers, episodes, **tables):
    db = tmp_path / "cla.duckdb"
    load(db, write_return(tmp_path / "2024", headers, episodes, **tables))
    with duckdb.connect(str(db), read_only=True) as con:
        report = con.execute(
            'SELECT file, "row", "column", rule, severity, message FROM validation_report'
        ).fetchall()
        quarantine = con.execute(
            'SELECT table_name, file, "row", rule FROM quarantine ORDER BY table_name, "row"'
        ).fetchall()
        kept = con.execute("SELECT count(DISTINCT child_key) FROM episodes").fetchone()[0]
    return report, quarantine, kept


ERROR_CASES = {
    # rule: (headers, episodes, expected report line (file, row, column), extra tables)
    "date-unparseable": (
        [header("BAD", "2012-01-01")],
        [
            ep("BAD", "2023-05-01 S C2 U4 PR1 -> 2023-06-01 X1"),
            {**ep("BAD", "2023-06-01 P C2 U4 PR1 -> open"), "DECOM": "31/02/2023"},
        ],
        ("Episodes.csv", 3, "DECOM"),
    ),
    "date-missing": (
        [{**header("BAD", "2012-01-01"), "DOB": ""}],
        [ep("BAD", "2023-05-01 S C2 U4 PR1 -> open")],
        ("Header.csv", 2, "DOB"),
    ),
    "dec-before-decom": (
        [header("BAD", "2012-01-01")],
        [ep("BAD", "2023-05-01 S C2 U4 PR1 -> 2023-04-01 E4A")],
        ("Episodes.csv", 2, "DEC"),
    ),
    "episodes-overlap": (
        [header("BAD", "2012-01-01")],
        [ep("BAD", "2023-05-01 S C2 U4 PR1 -> 2023-08-01 E4A"), ep("BAD", "2023-07-01 S C2 U4 PR1 -> open")],
        ("Episodes.csv", 3, "DECOM"),
    ),
    "episode-duplicate": (
        [header("BAD", "2012-01-01")],
        [ep("BAD", "2023-05-01 S C2 U4 PR1 -> open"), ep("BAD", "2023-05-01 S C2 U6 PR1 -> open")],
        ("Episodes.csv", 2, "DECOM"),
    ),
    "header-missing": (
        [],
        [ep("BAD", "2023-05-01 S C2 U4 PR1 -> open")],
        ("Episodes.csv", 2, "CHILD"),
    ),
}


@pytest.mark.parametrize("rule", sorted(ERROR_CASES))
def test_an_error_sets_the_child_aside_whole(tmp_path, rule):
    headers, episodes, (file, row, column) = ERROR_CASES[rule]
    report, quarantine, kept = load_report(tmp_path, GOOD_HEADERS + headers, GOOD_EPISODES + episodes)
    lines = [line for line in report if line[3] == rule]
    assert lines and lines[0][:3] == (
        file,
        row + (1 if file == "Episodes.csv" else len(GOOD_HEADERS)),
        column,
    )
    assert lines[0][4] == "error"
    assert kept == 1  # only GOOD1 is left
    assert quarantine and {q[3] for q in quarantine} == {rule}
    tables_aside = {q[0] for q in quarantine}
    assert "Episodes" in tables_aside or rule == "date-missing"


def test_conflicting_dates_of_birth_set_the_child_aside_with_all_its_rows(tmp_path):
    headers = GOOD_HEADERS + [header("BAD", "2005-01-01")]
    episodes = GOOD_EPISODES + [ep("BAD", "2021-05-01 S C2 U4 PR1 -> 2022-06-01 E4A")]
    report, quarantine, kept = load_report(
        tmp_path, headers, episodes, OC3=[oc3("BAD", "2005-02-01", "YES", "F1", "U1")]
    )
    assert ("dob-conflict", "error") in {(line[3], line[4]) for line in report}
    assert {(q[0], q[3]) for q in quarantine} == {
        ("Header", "dob-conflict"),
        ("Episodes", "dob-conflict"),
        ("OC3", "dob-conflict"),
    }
    assert kept == 1


def test_a_row_with_no_child_identifier_is_set_aside(tmp_path):
    report, quarantine, kept = load_report(
        tmp_path, GOOD_HEADERS, GOOD_EPISODES + [ep("", "2023-05-01 S C2 U4 PR1 -> open")]
    )
    assert ("Episodes.csv", 3, "CHILD", "child-missing", "error") in [line[:5] for line in report]
    assert kept == 1


# --- Warnings: the row stays, the value counts as unknown ------------------------------------


def test_a_code_not_valid_for_the_year_counts_as_unknown_and_names_the_years(tmp_path):
    episodes = [
        ep("A", "2023-05-01 S C2 Q9 PR1 -> open"),
        ep("B", "2023-05-01 S C2 K3 PR4 -> open"),  # K3: valid from 2023-24
        ep("C", "2022-05-01 S C2 K3 PR4 -> open"),  # K3 in 2022-23: not yet valid
        ep("D", "2023-11-01 S C2 P2 PR4 -> open"),  # P2 for new placements after 28 Oct 2023
    ]
    headers = [header(c, "2010-01-01") for c in "ABCD"]
    report, _, kept = load_report(tmp_path, headers, episodes)
    invalid = {(line[1], line[3]): line[5] for line in report if line[2] == "PLACE"}
    assert invalid[(2, "code-invalid")].startswith('PLACE = "Q9" is not a code of any year')
    assert invalid[(4, "code-invalid")].startswith('PLACE = "K3" is valid from 2023-24')
    assert (3, "code-invalid") not in invalid
    assert invalid[(5, "code-invalid")].startswith(
        'PLACE = "P2" is not valid for placements starting on or after 28/10/2023'
    )
    assert kept == 4
    with duckdb.connect(str(tmp_path / "cla.duckdb"), read_only=True) as con:
        places = dict(con.execute("SELECT source_row, place FROM episodes").fetchall())
    assert places == {2: None, 3: "K3", 4: None, 5: None}


def test_older_codes_are_recognised_in_any_year(tmp_path):
    episodes = [ep("A", "2023-05-01 S C2 Q2 PR1 -> 2023-09-01 E44")]
    report, _, _ = load_report(tmp_path, [header("A", "2010-01-01")], episodes)
    assert [line for line in report if line[3] == "code-invalid"] == []


def test_blank_and_unknown_postcodes_are_warned_without_showing_them(tmp_path):
    episodes = [
        ep("A", "2023-05-01 S C2 U4 PR1 -> open", home=""),
        ep("B", "2023-05-01 S C2 U4 PR1 -> open", pl="ZZ99 9ZZ"),
    ]
    report, _, kept = load_report(tmp_path, [header("A", "2010-01-01"), header("B", "2010-01-01")], episodes)
    rules = {(line[1], line[2], line[3]) for line in report}
    assert (2, "HOME_POST", "postcode-blank") in rules
    assert (3, "PL_POST", "postcode-unknown") in rules
    assert not any("ZZ99" in line[5] for line in report)
    assert kept == 2


def test_an_adopted_child_with_no_adoption_placement_is_listed(tmp_path):
    episodes = [ep("A", "2022-05-01 S C2 U4 PR1 -> 2023-09-01 E11")]
    report, _, _ = load_report(tmp_path, [header("A", "2020-01-01")], episodes)
    assert ("Episodes.csv", 2, "PLACE", "adopted-no-placement", "warning") in [line[:5] for line in report]


def test_a_period_not_starting_with_s_is_listed_and_not_a_start(tmp_path):
    episodes = [ep("A", "2023-05-01 P C2 U4 PR1 -> open")]
    report, _, _ = load_report(tmp_path, [header("A", "2010-01-01")], episodes)
    assert ("Episodes.csv", 2, "RNE", "period-no-start", "warning") in [line[:5] for line in report]


def test_the_report_printed_names_file_row_column_and_rule(tmp_path):
    folder = write_return(
        tmp_path / "in", [header("A", "2010-01-01")], [ep("A", "2023-05-01 S C2 Q9 PR1 -> open")]
    )
    status, printed = run("load", str(folder), "--db", str(tmp_path / "x.duckdb"))
    assert status == 0
    assert '[code-invalid] warning x 1, e.g. Episodes.csv row 2 PLACE: PLACE = "Q9"' in printed


def test_oc3_without_header_or_episodes_still_loads(tmp_path):
    folder = write_return(
        tmp_path / "2024",
        GOOD_HEADERS,
        GOOD_EPISODES,
        OC3=[oc3("LEFT_LONG_AGO", "2004-06-01", "YES", "F1", "U1")],
    )
    db = tmp_path / "cl.duckdb"
    load(db, folder)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM care_leavers").fetchone()[0] == 1


def test_a_reason_for_ceasing_is_judged_by_the_year_it_was_recorded(tmp_path):
    # E45 (valid from 2020-21) ending an episode that began in 2019: valid, an SGO.
    episodes = [ep("A", "2019-05-01 S C2 U1 PR1 -> 2023-09-01 E45")]
    report, _, _ = load_report(tmp_path, [header("A", "2012-01-01")], episodes)
    assert [line for line in report if line[3] == "code-invalid"] == []
