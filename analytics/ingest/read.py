"""Read SSDA903 returns as councils export them, and recognise their tables (ssda903.md).

CSV (UTF-8 with or without a byte-order mark, or Windows-1252), Excel `.xlsx` (one table per
sheet or per file) and the XML export (one file holding every table, ssda903.md "The XML
export", parsed with defusedxml so that an entity bomb is refused, not expanded). Tables are
recognised by their columns; headers are case-insensitive and trimmed; every value is read as
trimmed text (dates are parsed later, by the validator, so that a bad date is reported, not
guessed). The collection year comes from a `YEAR` column, else the path, else `--year`.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from analytics.ingest.report import Refusal


@dataclass(frozen=True)
class TableSpec:
    """A table of the return as exported: its columns in the export's order (ssda903.md), which
    of them may be left out, and the columns that identify it."""

    name: str
    signature: frozenset[str]  # columns that identify the table
    columns: tuple[str, ...]  # in the export's order
    optional: tuple[str, ...] = ()
    year_bound: bool = False

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c not in self.optional)


def _spec(
    name: str, signature: set[str], columns: str, optional: str = "", year_bound: bool = False
) -> TableSpec:
    return TableSpec(name, frozenset(signature), tuple(columns.split()), tuple(optional.split()), year_bound)


TABLES: tuple[TableSpec, ...] = (
    _spec(
        "Episodes",
        {"DECOM", "RNE"},
        "CHILD DECOM RNE LS CIN PLACE PLACE_PROVIDER DEC REC REASON_PLACE_CHANGE HOME_POST PL_POST URN",
        "REASON_PLACE_CHANGE URN",
    ),
    _spec("UASC", {"DUC"}, "CHILD SEX DOB DUC", "SEX"),
    _spec("Header", {"SEX", "ETHNIC"}, "CHILD SEX DOB ETHNIC UPN MOTHER MC_DOB", "UPN MOTHER MC_DOB"),
    _spec("OC3", {"IN_TOUCH"}, "CHILD DOB IN_TOUCH ACTIV ACCOM", year_bound=True),
    _spec(
        "AD1",
        {"DATE_INT"},
        "CHILD DOB DATE_INT DATE_MATCH FOSTER_CARE NB_ADOPTR SEX_ADOPTR LS_ADOPTR",
        "FOSTER_CARE NB_ADOPTR SEX_ADOPTR LS_ADOPTR",
        year_bound=True,
    ),
    _spec(
        "PlacedAdoption",
        {"DATE_PLACED"},
        "CHILD DOB DATE_PLACED DATE_PLACED_CEASED REASON_PLACED_CEASED",
        "DATE_PLACED_CEASED REASON_PLACED_CEASED",
        year_bound=True,
    ),
    _spec(
        "OC2",
        {"SDQ_SCORE"},
        "CHILD DOB SDQ_SCORE SDQ_REASON CONVICTED HEALTH_CHECK IMMUNISATIONS TEETH_CHECK HEALTH_ASSESSMENT "
        "SUBSTANCE_MISUSE INTERVENTION_RECEIVED INTERVENTION_OFFERED",
        "SDQ_SCORE SDQ_REASON CONVICTED HEALTH_CHECK IMMUNISATIONS TEETH_CHECK HEALTH_ASSESSMENT "
        "SUBSTANCE_MISUSE INTERVENTION_RECEIVED INTERVENTION_OFFERED",
        year_bound=True,
    ),
    _spec("Missing", {"MIS_START"}, "CHILD DOB MISSING MIS_START MIS_END", "MIS_END", year_bound=True),
    _spec("Reviews", {"REVIEW"}, "CHILD DOB REVIEW REVIEW_CODE", "REVIEW_CODE", year_bound=True),
    _spec("PrevPerm", {"PREV_PERM"}, "CHILD DOB PREV_PERM LA_PERM DATE_PERM", "LA_PERM DATE_PERM"),
    _spec("SWEpisodes", {"SW_ID"}, "CHILD DOB SW_ID SW_DECOM SW_DEC SW_REASON", "SW_DEC SW_REASON"),
    _spec("DoLo", {"DOLO_START"}, "CHILD DOB DOLO_START DOLO_END", "DOLO_END"),
    # The small tables `synth --out DIR` writes beside the returns (loaded as by the
    # `population` and `localities` commands; analytics/tables.py validates them).
    _spec("population", {"YEAR", "DISTRICT", "AGE_BAND", "CHILDREN"}, "SOURCE", "SOURCE"),
    _spec("localities", {"DISTRICT", "LOCALITY"}, "SOURCE", "SOURCE"),
)
SPECS = {t.name: t for t in TABLES}
SIDE_TABLES = ("population", "localities")
SUFFIXES = (".csv", ".xlsx", ".xml")

# "2023-24" / "2023_24" (the year ending in 2024), or a bare "2024", not inside a longer number.
_SPAN = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_](\d\d)(?!\d)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def year_from_text(text: str) -> int | None:
    m = _SPAN.search(text)
    if m and (int(m.group(1)) + 1) % 100 == int(m.group(2)):
        return int(m.group(1)) + 1
    m = _YEAR.search(text)
    return int(m.group(1)) if m else None


def year_label(year: int) -> str:
    """2024 -> '2023-24'."""
    return f"{year - 1}-{year % 100:02d}"


@dataclass
class RawTable:
    name: str
    source: str  # the file (and sheet) as the report names it
    year: int | None
    frame: pd.DataFrame  # trimmed text, upper-case column names, plus ROW (row number in the file)


# An .xlsx is a zip: refuse one whose parts would decompress to more than this (a zip bomb)
# before any part is opened, so that refusing it takes no time and no memory.
XLSX_MAX_UNPACKED = 512 * 1024 * 1024
XLSX_MAX_RATIO = 200  # a real workbook's XML compresses about 10-fold; a bomb 1000-fold


_CONTROL = bytes(b for b in range(32) if b < 9 or b > 13)  # bytes that plain text hardly holds


def _decode(name: str, data: bytes) -> str:
    """The text of a CSV file, or a Refusal that says what is wrong with it."""
    if not data.strip():
        raise Refusal(name, "file-empty", "is empty: export the table again, with its header row and rows")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:200].count(b"\x00") > len(data[:200]) // 4:
        raise Refusal(
            name,
            "file-encoding",
            'is UTF-16 text (Excel\'s "Unicode Text"): save it from Excel as "CSV UTF-8 (Comma '
            'delimited)" instead',
        )
    if b"\x00" in data:
        raise Refusal(
            name, "file-nul", "contains NUL bytes, so it is not a plain CSV file: export the table again"
        )
    start = data[:4096]
    if len(start) - len(start.translate(None, _CONTROL)) > 8:
        raise Refusal(name, "file-binary", "is not text (binary content): export the table as CSV")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter_refusal(name: str, text: str) -> None:
    """A file whose header row is separated by semicolons or tabs rather than commas."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    for mark, words in ((";", "semicolons"), ("\t", "tabs")):
        if first.count(mark) >= 2 and first.count(mark) > first.count(","):
            raise Refusal(
                name,
                "file-delimiter",
                f'is separated by {words}, not commas: save it as "CSV UTF-8 (Comma delimited)" '
                "(a comma between fields)",
            )


def _long_row(text: str) -> str:
    """Which line of a CSV file has more fields than its header."""
    rows = csv.reader(io.StringIO(text))
    width = len(next(rows, []))
    line = next((rows.line_num for row in rows if len(row) > width), None)
    where = (
        f"line {line} has more fields than the header" if line else "a row has more fields than the header"
    )
    return f"is not a well-formed CSV file ({where}): a comma inside a value needs quotes"


def _check_workbook(name: str, path: Path) -> None:
    """Refuse a damaged workbook or a zip bomb before openpyxl unpacks anything."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Refusal(
            name,
            "file-unreadable",
            "is not a readable Excel workbook (damaged or not .xlsx): save it again from Excel",
        ) from None
    unpacked = sum(p.file_size for p in parts)
    packed = sum(p.compress_size for p in parts) or 1
    if unpacked > XLSX_MAX_UNPACKED or (unpacked > 10 * 1024 * 1024 and unpacked / packed > XLSX_MAX_RATIO):
        raise Refusal(
            name,
            "file-too-large",
            f"would unpack to {unpacked // (1024 * 1024)} MB from {packed // 1024} KB: refused as a "
            "zip bomb or a workbook too large to read; export the table as CSV",
        )


# --- the XML export ------------------------------------------------------------------------


def _values(name: str, *kept: str) -> tuple[str, ...]:
    """A table's columns that the XML gives as values of the child's HEADER element."""
    return tuple(c for c in SPECS[name].columns if c not in ("CHILD", "DOB") or c in kept)


HEADER_COLUMNS = _values("Header", "DOB")
UASC_COLUMNS = _values("UASC", "DOB")
OC3_COLUMNS = _values("OC3")
AD1_COLUMNS = _values("AD1")


def _text(element) -> str:
    return (element.text or "").strip()


def _tag(element) -> str:
    return str(element.tag).rsplit("}", 1)[-1].strip().upper()


def _values(element) -> dict[str, str]:
    """The element's leaf children as {COLUMN: text}; an empty element is a blank value."""
    return {_tag(c): _text(c) for c in element if len(c) == 0}


def _xml_tables(path: Path, name: str) -> list[tuple[str, pd.DataFrame, int, str]]:
    """The tables of an XML export as (source, frame, first row number, table name).

    One CHILD element per child: HEADER holds the Header columns (the id in CHILDID), UASC and
    DUC, the OC3 and AD1 values, and nested row elements (AREVIEW, AMISSING, OC2, PERMANENCE,
    AD_PLACED...); beside it, one EPISODE per episode (placement type in PL). A nested element
    is recognised by its columns, like a CSV file. Rows are numbered by their order in the file.
    """
    from defusedxml import ElementTree

    root = ElementTree.parse(str(path)).getroot()
    rows: dict[str, list[dict]] = defaultdict(list)

    def add_nested(element, child_id: str, dob: str) -> None:
        values = _values(element)
        if "PL" in values and "PLACE" not in values:
            values["PLACE"] = values.pop("PL")
        spec = next((t for t in TABLES if t.name not in SIDE_TABLES and t.signature <= set(values)), None)
        if spec is None:
            return  # an element the return does not define: left alone
        row = {"CHILD": child_id, **values}
        if "DOB" in spec.required:
            row.setdefault("DOB", dob)
        rows[spec.name].append(row)

    for child in root.iter():
        if _tag(child) != "CHILD" or not len(child):
            continue
        header = next((c for c in child if _tag(c) == "HEADER"), None)
        values = _values(header) if header is not None else {}
        child_id = values.get("CHILDID", values.get("CHILD", ""))
        dob = values.get("DOB", "")
        rows["Header"].append({"CHILD": child_id, **{c: values.get(c, "") for c in HEADER_COLUMNS}})
        if values.get("UASC", "") not in ("", "0", "N", "FALSE") or values.get("DUC", ""):
            rows["UASC"].append({"CHILD": child_id, **{c: values.get(c, "") for c in UASC_COLUMNS}})
        oc3 = {c: values.get(c, "") for c in OC3_COLUMNS}
        if any(oc3.values()):
            rows["OC3"].append({"CHILD": child_id, "DOB": dob, **oc3})
        ad1 = {c: values.get(c, "") for c in AD1_COLUMNS}
        if any(ad1.values()):
            rows["AD1"].append({"CHILD": child_id, "DOB": dob, **ad1})
        for nested in [*(header if header is not None else []), *child]:
            if len(nested) and nested is not header:
                add_nested(nested, child_id, dob)
    if not rows:
        raise Refusal(
            name,
            "table-unrecognised",
            "is an XML file with no CHILD elements: not an SSDA903 export (a root element such as "
            "EXPSSDA903 holding one CHILD per child)",
        )
    out = []
    for spec in TABLES:
        if rows.get(spec.name):
            frame = pd.DataFrame(rows[spec.name], dtype=str).fillna("")
            out.append((f"{name}[{spec.name}]", frame, 1, spec.name))
    return out


def _plain_csv(text: str) -> pd.DataFrame | None:
    """The rows of a plain CSV file read by Arrow, or None when the file is not plain: no quote,
    no byte-order mark left, no lone carriage return, a header of distinct named columns with no
    surrounding whitespace, at least one row, every row as wide as the header and with a value,
    and no value with surrounding whitespace. Such a file reads as pandas reads it (`_frames`),
    its values trimmed text already and none of its rows blank."""
    header = text.split("\n", 1)[0].removesuffix("\r").split(",")
    names = [n.strip().upper() for n in header]
    if '"' in text or text.startswith("\ufeff") or text.count("\r") != text.count("\r\n"):
        return None
    if "" in names or len(set(names)) < len(names) or any(n != n.strip() for n in header):
        return None
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(text.encode()),
            read_options=pa_csv.ReadOptions(use_threads=False),
            parse_options=pa_csv.ParseOptions(quote_char=False),
            convert_options=pa_csv.ConvertOptions(column_types={n: pa.string() for n in header}),
        )
    except pa.ArrowInvalid:
        return None
    if table.column_names != header or not table.num_rows:
        return None
    if not all(pc.all(pc.equal(pc.utf8_trim_whitespace(c), c)).as_py() for c in table.columns):
        return None
    if not pc.all(functools.reduce(pc.or_, (pc.not_equal(c, "") for c in table.columns))).as_py():
        return None
    return table.to_pandas()


def _frames(path: Path, name: str) -> list[tuple[str, pd.DataFrame, int, str | None, bool]]:
    """The tables in a file as (source name, frame of text, first row number, table name if
    known, whether it is plain: trimmed text already and no blank row), header row excluded.
    `name` is how the report names the file."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise Refusal(
            name,
            "file-type-unknown",
            "is neither a CSV file, an Excel workbook (.xlsx) nor an XML export (.xml): export the "
            "return in one of those forms",
        )
    try:
        if suffix == ".csv":
            text = _decode(name, path.read_bytes())
            _delimiter_refusal(name, text)
            plain = _plain_csv(text)
            if plain is not None:
                return [(name, plain, 2, None, True)]
            with warnings.catch_warnings():
                warnings.simplefilter("error", pd.errors.ParserWarning)
                try:
                    frame = pd.read_csv(
                        io.StringIO(text),
                        dtype=str,
                        keep_default_na=False,
                        skipinitialspace=True,
                        index_col=False,
                    )
                except (pd.errors.ParserError, pd.errors.ParserWarning):
                    raise Refusal(name, "row-fields", _long_row(text)) from None
            return [(name, frame, 2, None, False)]
        if suffix == ".xml":
            return [(*t, False) for t in _xml_tables(path, name)]
        _check_workbook(name, path)
        sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False, engine="openpyxl")
    except Refusal:
        raise
    except Exception as exc:  # any reader failure is a refusal naming the file
        raise Refusal(name, "file-unreadable", f"cannot be read ({type(exc).__name__})") from None
    return [
        (f"{name}[{sheet}]", frame, 2, None, False) for sheet, frame in sheets.items() if len(frame.columns)
    ]


def _recognise(source: str, columns: set[str]) -> TableSpec:
    matches = [t for t in TABLES if t.signature <= columns]
    if not matches:
        raise Refusal(
            source,
            "table-unrecognised",
            "is not a recognised SSDA903 table (columns identify Episodes by DECOM and RNE, Header "
            "by SEX and ETHNIC, OC3 by IN_TOUCH, AD1 by DATE_INT, PlacedAdoption by DATE_PLACED, "
            "UASC by DUC, OC2 by SDQ_SCORE, Missing by MIS_START, Reviews by REVIEW, PrevPerm by "
            "PREV_PERM, SWEpisodes by SW_ID, DoLo by DOLO_START; the population table by year, "
            "district, age_band and children, the locality table by district and locality)",
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
    """(file, the path it was found under) for every CSV, Excel and XML file, in a stable order.

    In a folder, other files (notes, PDFs) are passed over; a file named on its own must be one
    of those three forms."""
    found = []
    for root in paths:
        if not root.exists():
            raise Refusal(root.name, "file-unreadable", "does not exist")
        if root.is_dir():
            files = sorted(p for p in root.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
            found += [(f, root) for f in files]
        else:
            found.append((root, root))
    return found


def source_name(path: Path, root: Path) -> str:
    """How the report names a file: its path inside the folder given (e.g. `2023/Episodes.csv`,
    so that several years' files of one name stay apart), or its name when given on its own."""
    return path.name if root == path else path.relative_to(root).as_posix()


@dataclass
class SideTable:
    """A population or locality table found among the returns."""

    name: str  # "population" or "localities"
    source: str
    frame: pd.DataFrame  # lower-case column names, as analytics/tables.py reads them


def read_returns(paths: list[Path], default_year: int | None = None) -> list[RawTable]:
    """Every table in the given files and folders; raises Refusal for what cannot be loaded.

    Population and locality tables found among them are returned too, as SideTable."""
    tables: list = []
    for path, root in files_under(paths):
        for source, frame, first_row, known, plain in _frames(path, source_name(path, root)):
            frame.columns = [str(c).strip().upper() for c in frame.columns]
            if frame.columns.duplicated().any():
                frame = frame.loc[:, ~frame.columns.duplicated()]
            nameless = [c for c in frame.columns if c.startswith("UNNAMED:")]
            if any(frame[c].astype(str).str.strip().ne("").any() for c in nameless):
                raise Refusal(
                    source,
                    "header-blank",
                    "has values under a column with no name in its header row: the header and the rows "
                    "are out of step (a stray comma?)",
                )
            if nameless:
                frame = frame.drop(columns=nameless)
            spec = SPECS[known] if known else _recognise(source, set(frame.columns))
            if spec.name in SIDE_TABLES:
                frame.columns = [c.lower() for c in frame.columns]
                tables.append(SideTable(spec.name, source, frame))
                continue
            missing = [c for c in spec.required if c not in frame.columns]
            if missing:
                raise Refusal(
                    source,
                    "column-missing",
                    f"{spec.name} table lacks required column(s) {', '.join(missing)}",
                )
            if plain:
                frame.insert(0, "ROW", range(first_row, len(frame) + first_row))
            else:  # values trimmed, rows with no value left out (their numbers are kept)
                frame = frame.apply(lambda col: col.astype(str).str.strip())
                filled = frame.ne("").any(axis=1)
                frame.insert(0, "ROW", range(first_row, len(frame) + first_row))
                frame = frame[filled]
            if frame.empty and spec.name in ("Header", "Episodes"):
                raise Refusal(
                    source,
                    "table-empty",
                    f"is an {spec.name} table with its header row and no rows: export it again with its rows",
                )
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
    returns = [t for t in tables if isinstance(t, RawTable)]
    for required in ("Header", "Episodes"):
        if not any(t.name == required for t in returns):
            raise Refusal("(all files)", "table-missing", f"no {required} table among the files loaded")
    episodes = [t for t in returns if t.name == "Episodes"]
    if len(episodes) > 1 and any(t.year is None for t in episodes):
        nameless = next(t for t in episodes if t.year is None)
        raise Refusal(
            nameless.source,
            "year-missing",
            "several Episodes files are loaded and this one's collection year cannot be found: put "
            "the year in the file or folder name (e.g. 2024, 2023-24 or 2023_24) or add a YEAR column",
        )
    check_years(episodes)
    return tables


def check_years(episodes: list[RawTable]) -> None:
    """Refuse an Episodes file whose dates belong to another year than the one it is loaded as
    (ssda903.md, "A file in the wrong year"): every episode starts after that year, or an open
    episode began after its 31 March."""
    from analytics.ingest.prepare import parse_dates

    for t in episodes:
        if t.year is None or t.frame.empty:
            continue
        decom, _ = parse_dates(t.frame["DECOM"])
        end = pd.Timestamp(t.year, 3, 31)
        starts = decom.dropna()
        if starts.empty:
            continue
        open_late = (decom > end) & t.frame["DEC"].eq("")
        if not ((starts > end).all() or open_late.any()):
            continue
        latest = starts.max()
        points = latest.year + (1 if latest.month > 3 else 0)
        why = (
            "every episode starts after its 31 March"
            if (starts > end).all()
            else "it holds open episodes that began after its 31 March"
        )
        raise Refusal(
            t.source,
            "year-wrong",
            f"is loaded as the return for {year_label(t.year)} (the year ending 31 March {t.year}), "
            f"but {why}: its dates point to {year_label(points)}. A folder named by the year the "
            f"collection starts ({points - 1} for {year_label(points)}) is the usual cause: name it "
            f"{points} or {year_label(points)}, or give the year with a YEAR column",
        )
