"""Returns as councils export them: encodings, Excel, loose headers, years from paths, several
years and several councils in one database."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from analytics.ingest.read import year_from_text
from tests.builders import EPISODES, HEADER, csv_text, ep, header, indicators, load, write_return

HEADERS = [header("A", "2012-01-01", sex="2"), header("B", "2011-01-01")]
EPISODES_ROWS = [ep("A", "2023-05-01 S C2 U4 PR1 -> open"), ep("B", "2023-06-01 S C2 U6 PR1 -> open")]


def cla(db, year=2024, *options):
    return indicators(db, year, *options)["cla_at_31_march"]["value"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_encodings(tmp_path, encoding):
    folder = tmp_path / "in"
    folder.mkdir()
    rows = [{**HEADERS[0], "ETHNIC": "WOTH"}, HEADERS[1]]
    (folder / "Header.csv").write_bytes(csv_text(HEADER, rows).encode(encoding))
    episodes = csv_text(EPISODES, EPISODES_ROWS).replace("SC000001", "SC\u00e9001")  # é is one byte in cp1252
    (folder / "Episodes.csv").write_bytes(episodes.encode(encoding))
    db = tmp_path / "x.duckdb"
    load(db, folder)
    assert cla(db) == 2
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT DISTINCT urn FROM episodes").fetchall() == [("SC\u00c9001",)]


def test_headers_are_case_insensitive_trimmed_and_in_any_order(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    messy = {c: f"  {c.lower()} " for c in EPISODES}
    frame = pd.DataFrame(EPISODES_ROWS)[list(reversed(EPISODES))].rename(columns=messy)
    frame.to_csv(folder / "episodes export.csv", index=False)
    pd.DataFrame(HEADERS).to_csv(folder / "children.csv", index=False)
    db = tmp_path / "x.duckdb"
    load(db, folder)
    assert cla(db) == 2


def test_excel_one_table_per_sheet(tmp_path):
    path = tmp_path / "return_2024.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame(HEADERS).to_excel(writer, sheet_name="Header", index=False)
        pd.DataFrame(EPISODES_ROWS).to_excel(writer, sheet_name="Episodes", index=False)
    db = tmp_path / "x.duckdb"
    load(db, path)
    assert cla(db) == 2


def test_excel_dates_stored_as_dates(tmp_path):
    folder = tmp_path / "2024"
    folder.mkdir()
    headers = pd.DataFrame(HEADERS)
    headers["DOB"] = pd.to_datetime(headers["DOB"], format="%d/%m/%Y")
    headers.to_excel(folder / "Header.xlsx", index=False)
    episodes = pd.DataFrame(EPISODES_ROWS)
    episodes["DECOM"] = pd.to_datetime(episodes["DECOM"], format="%d/%m/%Y")
    episodes.to_excel(folder / "Episodes.xlsx", index=False)
    db = tmp_path / "x.duckdb"
    load(db, folder)
    assert cla(db) == 2


@pytest.mark.parametrize(
    "text, year",
    [
        ("2024", 2024),
        ("2023-24", 2024),
        ("2023_24", 2024),
        ("ssda903_2023-24_episodes.csv", 2024),
        ("returns 1999-00", 2000),
        ("v12024", None),
        ("Episodes.csv", None),
        ("20245", None),
    ],
)
def test_year_from_a_path(text, year):
    assert year_from_text(text) == year


def test_year_from_a_year_column_splits_one_file_into_years(tmp_path):
    folder = tmp_path / "all"
    folder.mkdir()
    y2023 = [{**ep("A", "2022-05-01 S C2 U4 PR1 -> open"), "YEAR": "2023"}]
    y2024 = [{**ep("A", "2022-05-01 S C2 U4 PR1 -> 2023-06-01 E4A"), "YEAR": "2024"}]
    pd.DataFrame(y2023 + y2024).to_csv(folder / "Episodes.csv", index=False)
    pd.DataFrame(HEADERS).to_csv(folder / "Header.csv", index=False)
    db = tmp_path / "x.duckdb"
    load(db, folder)
    m = indicators(db, 2024)
    assert (m["ceased"]["value"], m["cla_at_31_march"]["value"]) == (1, 0)
    assert m["long_term_stability"]["reason"].startswith("returns loaded only from 2023")


def test_several_councils_each_load_replaces_only_its_own_data(tmp_path):
    db = tmp_path / "region.duckdb"
    load(db, write_return(tmp_path / "m", HEADERS, EPISODES_ROWS), la_code="E06000002")
    load(db, write_return(tmp_path / "s", HEADERS[:1], EPISODES_ROWS[:1]), la_code="E06000004")
    assert cla(db) == 3
    assert cla(db, 2024, "--council", "E06000002") == 2
    assert cla(db, 2024, "--council", "E06000004") == 1
    load(db, write_return(tmp_path / "m2", HEADERS[:1], EPISODES_ROWS[:1]), la_code="E06000002")
    assert cla(db, 2024, "--council", "E06000002") == 1
    assert cla(db, 2024, "--council", "E06000004") == 1


def test_without_a_council_placed_outside_is_unavailable(tmp_path):
    db = tmp_path / "x.duckdb"
    load(db, write_return(tmp_path / "in", HEADERS, EPISODES_ROWS), la_code=None)
    m = indicators(db, 2024)["placed_outside_la"]
    assert m["value"] is None and "--la-code" in m["reason"]


def test_several_councils_in_one_step_by_council_folders(tmp_path):
    root = tmp_path / "england"
    write_return(root / "E06000002" / "2024", HEADERS, EPISODES_ROWS)
    write_return(root / "E06000004" / "2024", HEADERS[:1], EPISODES_ROWS[:1])
    db = tmp_path / "england.duckdb"
    load(db, root, la_code=None, extra=("--by-council",))
    assert cla(db, 2024, "--council", "E06000002") == 2
    assert cla(db, 2024, "--council", "E06000004") == 1
