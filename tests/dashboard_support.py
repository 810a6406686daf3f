"""Databases and helpers for the dashboard's tests (AppTest in-process, and the browser test).

- `build_cohort_db(folder)`: the seeded multi-year cohort of `tests/reference/cohort.py`
  (2019-2024, several hundred children), loaded with the engine, flagged synthetic, with a
  population and a locality table: numbers large enough to show.
- `build_tiny_db(folder)`: a council where every count is from 1 to 5, for disclosure tests.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from analytics import config, tables
from analytics.ingest import load_returns
from analytics.present.pages import PAGES as DECLARED_PAGES
from tests.builders import DL1, TS5, ep, header, oc3, write_return

REPO = Path(__file__).resolve().parent.parent
PAGES = {p.key: f"pages/{p.script}" for p in DECLARED_PAGES}
LOCALITIES = {
    "TS1": "Central",
    "TS2": "Central",
    "TS3": "East",
    "TS4": "South",
    "TS5": "West",
    "TS7": "South",
    "TS8": "South",
    "TS6": "East",
    "TS17": "Outside",
}


def _tables(db: Path, years) -> None:
    loc = db.parent / "localities.csv"
    with open(loc, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["district", "locality"])
        w.writerows(LOCALITIES.items())
    tables.load_localities(loc, db, synthetic=True)
    pop = db.parent / "population.csv"
    with open(pop, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["year", "district", "age_band", "children"])
        for y in years:
            for d in LOCALITIES:
                for band, n in (
                    ("Under 1", 150),
                    ("1 to 4", 600),
                    ("5 to 9", 750),
                    ("10 to 15", 900),
                    ("16 and over", 300),
                ):
                    w.writerow([y, d, band, n])
    tables.load_population(pop, db, "E06000002", synthetic=True)


def build_cohort_db(folder: Path) -> Path:
    tests_dir = str(Path(__file__).resolve().parent)
    if tests_dir not in sys.path:
        sys.path.insert(0, tests_dir)
    from reference import cohort

    folder.mkdir(parents=True, exist_ok=True)
    made = cohort.generate(folder / "returns", seed=7, years=range(2019, 2025), n_random=300)
    db = folder / "cohort.duckdb"
    paths = sorted(p for p in (folder / "returns").iterdir() if p.is_dir())
    result = load_returns(paths, db, config.DEMO_SALT, la_code="E06000002", synthetic=True)
    assert result.ok, result.summary_text()
    _tables(db, range(2019, 2025))
    del made
    return db


def tiny_returns(folder: Path) -> list[Path]:
    """Two years, a handful of children: every count shown anywhere is 1 to 5 (or 0)."""
    h = [
        header("A", "2012-05-01"),
        header("B", "2015-07-01", sex="2"),
        header("C", "2008-01-01"),
        header("D", "2020-02-01", sex="2"),
        header("E", "2006-03-01"),
        header("F", "2004-06-01"),
    ]
    y2023 = [
        ep("A", "2022-06-01 S C2 U4 PR1 -> 2022-12-01 P", pl=TS5),
        ep("A", "2022-12-01 P C2 U6 PR4 -> open", pl=DL1),
        ep("B", "2022-09-01 S V2 U3 PR1 -> 2023-02-01 E4A"),
        ep("C", "2021-03-01 S C2 K2 PR4 -> open", pl=DL1),
        ep("D", "2022-11-01 S L1 U6 PR1 -> 2022-11-20 L"),
        ep("D", "2022-11-20 L C1 U6 PR1 -> open"),
    ]
    y2024 = [
        ep("A", "2022-12-01 P C2 U6 PR4 -> 2023-08-01 E45", pl=DL1),
        ep("C", "2021-03-01 S C2 K2 PR4 -> open", pl=DL1),
        ep("D", "2022-11-20 L C1 U6 PR1 -> 2023-06-01 P"),
        ep("D", "2023-06-01 P E1 A6 PR1 -> 2024-01-15 E11"),
        ep("E", "2023-05-01 S V2 H5 PR4 -> open", home=TS5),
        ep("B", "2023-10-01 S C2 U1 PR1 -> open"),
    ]
    care_leavers = [oc3("F", "2004-06-01", "YES", "F2", "D1")]
    return [
        write_return(folder / "2023", h, y2023),
        write_return(folder / "2024", h, y2024, OC3=care_leavers),
    ]


def build_tiny_db(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "tiny.duckdb"
    result = load_returns(
        tiny_returns(folder / "returns"), db, config.DEMO_SALT, la_code="E06000002", synthetic=True
    )
    assert result.ok, result.summary_text()
    _tables(db, (2023, 2024))
    return db


# --- reading what a screen shows ------------------------------------------------------------

# Words around numbers that are part of a definition or a title's wording, not a count.
STATIC = re.compile(
    r"3\+|3 or more|three or more|12 months|20 miles|10-15|10 to 15|1 to 4|5 to 9|under 1|16 and over|"
    r"17-18|19-21|5-16|10-17|under 5|aged 4|10,000|per 10,000|30 months|24 months|365 days|\b(19|20)\d\d(-\d\d)?\b|"
    r"[A-Z]{1,2}\d+(-[A-Z]?\d+)?|0-17|\b1[0-9]\b|formerly [A-Z]+ ?[A-Z]?\d+|NI \d+|B79|TS\d+|DL\d+|"
    r"\b\d+(st|nd|th|rd)\b|31 March|1 April|\d\d? [A-Z][a-z]{2} \d{4}|[A-Z][a-z]{2} \d{4}",
    re.IGNORECASE,
)
SMALL = re.compile(r"(?<![\w.,])([1-5])(?:\.0)?(?![\w.,%]|\.\d)")


def small_counts(text: str) -> list[str]:
    """Standalone numbers 1 to 5 left in a text once the definitions' own numbers are removed.

    >>> small_counts("Starts: c in 2023-24 (c of c)"), small_counts("Starts: 3 in 2023-24")
    ([], ['3'])
    """
    return SMALL.findall(STATIC.sub(" ", str(text)))


# Lines and points of published figures and targets: not counts of the council's children.
REFERENCE_LINES = ("Target", "England", "Region (", "Neighbours' average", "Every council")


def figure_texts(spec: dict) -> list[str]:
    """Every label, hover text and heatmap cell text of a Plotly figure's JSON, and its title."""
    out = [str((spec.get("layout", {}).get("title") or {}).get("text", ""))]
    for trace in spec.get("data", []):
        if str(trace.get("name", "")).startswith(REFERENCE_LINES):
            continue  # published comparators and targets: not counts of the council's children
        for key in ("text", "hovertext"):
            value = trace.get(key)
            if isinstance(value, list):
                for v in value:
                    out.extend(str(x) for x in (v if isinstance(v, list) else [v]))
            elif value is not None:
                out.append(str(value))
    return out


def figure_heights(spec: dict) -> list:
    """(label, height) pairs of bars and points, to check a "c" is never drawn at a height."""
    pairs = []
    for trace in spec.get("data", []):
        if trace.get("type") not in ("bar", "scatter") or str(trace.get("name", "")).startswith(
            REFERENCE_LINES
        ):
            continue
        text = trace.get("text") or []
        heights = trace.get("x") if trace.get("orientation") == "h" else trace.get("y")
        if isinstance(heights, dict):  # plotly's typed-array encoding
            continue
        if isinstance(text, list) and isinstance(heights, list):
            pairs.extend(zip(text, heights))
    return pairs
