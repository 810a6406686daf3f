"""Read SSDA903 returns as councils export them, and recognise their tables (ssda903.md).

CSV (UTF-8 with or without a byte-order mark, or Windows-1252) and Excel `.xlsx` (one table per
sheet or per file). Tables are recognised by their columns; headers are case-insensitive and
trimmed; every value is read as trimmed text (dates are parsed later, by the validator, so that
a bad date is reported, not guessed). The collection year comes from a `YEAR` column, else the
path, else `--year`.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analytics.ingest.report import Refusal


@dataclass(frozen=True)
class TableSpec:
    name: str
    signature: frozenset[str]  # columns that identify the table
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    year_bound: bool = False


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "Episodes",
        frozenset({"DECOM", "RNE"}),
        (
            "CHILD",
            "DECOM",
            "RNE",
            "LS",
            "CIN",
            "PLACE",
            "PLACE_PROVIDER",
            "DEC",
            "REC",
            "HOME_POST",
            "PL_POST",
        ),
        ("REASON_PLACE_CHANGE", "URN"),
    ),
    TableSpec("UASC", frozenset({"DUC"}), ("CHILD", "DOB", "DUC"), ("SEX",)),
    TableSpec(
        "Header", frozenset({"SEX", "ETHNIC"}), ("CHILD", "SEX", "DOB", "ETHNIC"), ("UPN", "MOTHER", "MC_DOB")
    ),
    TableSpec(
        "OC3", frozenset({"IN_TOUCH"}), ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"), year_bound=True
    ),
    TableSpec(
        "AD1",
        frozenset({"DATE_INT"}),
        ("CHILD", "DOB", "DATE_INT", "DATE_MATCH"),
        ("FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
        year_bound=True,
    ),
    TableSpec(
        "PlacedAdoption",
        frozenset({"DATE_PLACED"}),
        ("CHILD", "DOB", "DATE_PLACED"),
        ("DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
        year_bound=True,
    ),
    TableSpec(
        "OC2",
        frozenset({"SDQ_SCORE"}),
        ("CHILD", "DOB"),
        (
            "SDQ_SCORE",
            "SDQ_REASON",
            "CONVICTED",
            "HEALTH_CHECK",
            "IMMUNISATIONS",
            "TEETH_CHECK",
            "HEALTH_ASSESSMENT",
            "SUBSTANCE_MISUSE",
            "INTERVENTION_RECEIVED",
            "INTERVENTION_OFFERED",
        ),
        year_bound=True,
    ),
    TableSpec(
        "Missing",
        frozenset({"MIS_START"}),
        ("CHILD", "DOB", "MISSING", "MIS_START"),
        ("MIS_END",),
        year_bound=True,
    ),
    TableSpec(
        "Reviews", frozenset({"REVIEW"}), ("CHILD", "DOB", "REVIEW"), ("REVIEW_CODE",), year_bound=True
    ),
)
SPECS = {t.name: t for t in TABLES}

# "2023-24" / "2023_24" (the year ending in 2024), or a bare "2024", not inside a longer number.
_SPAN = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_](\d\d)(?!\d)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def year_from_text(text: str) -> int | None:
    m = _SPAN.search(text)
    if m and (int(m.group(1)) + 1) % 100 == int(m.group(2)):
        return int(m.group(1)) + 1
    m = _YEAR.search(text)
    return int(m.group(1)) if m else None


@dataclass
class RawTable:
    name: str
    source: str  # the file (and sheet) as the report names it
    year: int | None
    frame: pd.DataFrame  # trimmed text, upper-case column names, plus ROW (row number in the file)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _frames(path: Path) -> list[tuple[str, pd.DataFrame]]:
    """The tables in a file as (source name, frame of text), header row excluded."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            text = _decode(path.read_bytes())
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
            return [(path.name, frame)]
        sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False, engine="openpyxl")
    except Exception as exc:  # any reader failure is a refusal naming the file
        raise Refusal(path.name, "file-unreadable", f"cannot be read ({type(exc).__name__})") from None
    return [(f"{path.name}[{sheet}]", frame) for sheet, frame in sheets.items() if len(frame.columns)]


def _recognise(source: str, columns: set[str]) -> TableSpec:
    matches = [t for t in TABLES if t.signature <= columns]
    if not matches:
        raise Refusal(
            source,
            "table-unrecognised",
            "is not a recognised SSDA903 table (columns identify Episodes by DECOM and RNE, Header "
            "by SEX and ETHNIC, OC3 by IN_TOUCH, AD1 by DATE_INT, PlacedAdoption by DATE_PLACED, "
            "UASC by DUC, OC2 by SDQ_SCORE, Missing by MIS_START, Reviews by REVIEW)",
        )
    return matches[0]


def _path_year(path: Path, root: Path) -> int | None:
    """The year in the file's name, else in the nearest folder name up to the path given."""
    names = [path.name]
    if root != path:
        names += [p.name for p in path.relative_to(root).parents if p.name] + [root.name]
    for name in names:
        year = year_from_text(name)
        if year:
            return year
    return None


def files_under(paths: list[Path]) -> list[tuple[Path, Path]]:
    """(file, the path it was found under) for every CSV and Excel file, in a stable order."""
    found = []
    for root in paths:
        if not root.exists():
            raise Refusal(root.name, "file-unreadable", "does not exist")
        if root.is_dir():
            files = sorted(
                p for p in root.rglob("*") if p.suffix.lower() in (".csv", ".xlsx") and p.is_file()
            )
            found += [(f, root) for f in files]
        else:
            found.append((root, root))
    return found


def read_returns(paths: list[Path], default_year: int | None = None) -> list[RawTable]:
    """Every table in the given files and folders; raises Refusal for what cannot be loaded."""
    tables: list[RawTable] = []
    for path, root in files_under(paths):
        for source, frame in _frames(path):
            frame.columns = [str(c).strip().upper() for c in frame.columns]
            frame = frame.loc[:, ~frame.columns.duplicated()]
            spec = _recognise(source, set(frame.columns))
            missing = [c for c in spec.required if c not in frame.columns]
            if missing:
                raise Refusal(
                    source,
                    "column-missing",
                    f"{spec.name} table lacks required column(s) {', '.join(missing)}",
                )
            frame = frame.apply(lambda col: col.astype(str).str.strip())
            frame.insert(0, "ROW", range(2, len(frame) + 2))
            frame = frame[frame.drop(columns="ROW").ne("").any(axis=1)]
            for c in spec.optional:
                if c not in frame.columns:
                    frame[c] = ""
            if "YEAR" in frame.columns:
                years = frame["YEAR"].map(year_from_text)
                if years.isna().any():
                    raise Refusal(source, "year-missing", "has a YEAR column with a value that is not a year")
                for year, part in frame.groupby(years.astype(int)):
                    tables.append(RawTable(spec.name, source, int(year), part.drop(columns="YEAR")))
                continue
            year = _path_year(path, root) or default_year
            if spec.year_bound and year is None:
                raise Refusal(
                    source,
                    "year-missing",
                    f"{spec.name} is a yearly table and its collection year cannot be found: put the "
                    "year in the file or folder name (e.g. 2024, 2023-24 or 2023_24 for the year "
                    "ending 31 March 2024), add a YEAR column, or load it with --year",
                )
            tables.append(RawTable(spec.name, source, year, frame))
    for required in ("Header", "Episodes"):
        if not any(t.name == required for t in tables):
            raise Refusal("(all files)", "table-missing", f"no {required} table among the files loaded")
    episodes = [t for t in tables if t.name == "Episodes"]
    if len(episodes) > 1 and any(t.year is None for t in episodes):
        nameless = next(t for t in episodes if t.year is None)
        raise Refusal(
            nameless.source,
            "year-missing",
            "several Episodes files are loaded and this one's collection year cannot be found: put "
            "the year in the file or folder name (e.g. 2024, 2023-24 or 2023_24) or add a YEAR column",
        )
    return tables
