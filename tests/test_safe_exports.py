"""Exports safe to open in Excel: no cell starts a formula; download names carry no typed text."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analytics import safe_csv
from analytics.present.model import Section
from tests.builders import run

CORPUS = Path(__file__).parent / "corpus"


@pytest.mark.parametrize(
    "value, written",
    [
        ("=1+2", "'=1+2"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=x", "'\t=x"),
        ("-3", "-3"),
        ("-12.5%", "-12.5%"),
        ("c", "c"),
        (7, 7),
    ],
)
def test_a_cell_that_would_start_a_formula_is_text(value, written):
    assert safe_csv.cell(value) == written


def test_section_download_neutralises_cells_and_headers():
    table = pd.DataFrame({"=HEAD": ["=1+2", "-4", "c"], "n": [1, 2, 3]})
    text = Section("k", "t", None, table, "").csv()
    assert list(csv.reader(text.splitlines())) == [["'=HEAD", "n"], ["'=1+2", "1"], ["-4", "2"], ["c", "3"]]


@pytest.mark.parametrize(
    "typed, safe",
    [("../../etc/passwd", "etc_passwd"), ("=cmd|'/c calc'!A1.csv", "cmd_c_calc_A1.csv"), ("", "download")],
)
def test_file_names_keep_safe_characters_only(typed, safe):
    assert safe_csv.file_name(typed) == safe


def test_the_validation_report_file_is_safe_in_excel(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(CORPUS / "formula_values", folder)
    (folder / "Episodes.csv").rename(folder / "=HYPERLINK(1) 2024.csv")
    report = tmp_path / "report.csv"
    status, printed = run(
        "load", str(folder), "--db", str(tmp_path / "x.duckdb"), "--year", "2024", "--report", str(report)
    )
    assert status == 0, printed
    rows = list(csv.reader(report.open()))
    files = {r[0] for r in rows[1:]}
    assert files == {"'=HYPERLINK(1) 2024.csv"}
    assert not any(c.startswith(safe_csv.FORMULA_START) for r in rows for c in r)
