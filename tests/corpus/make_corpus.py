"""Writes the committed corpus of bad returns (tests/corpus/*/): each case a folder holding a
good Header.csv or Episodes.csv and the one bad file. Run from the repository root:
`.venv/bin/python -m tests.corpus.make_corpus`. The big cases (a 200 MB file, a zip bomb, a 5 MB
field) are made at run time by tests/test_corpus.py, never committed."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.builders import EPISODES, HEADER, csv_text, ep, header

HERE = Path(__file__).parent
KID, KID2 = "QZ7731", "QZ7732"  # identifiers that must never appear in a message
DOB = "2012-01-01"
HEADERS = [header(KID, DOB), header(KID2, "2011-01-01")]
GOOD_EPISODES = [ep(KID, "2023-05-01 S C2 U4 PR1 -> open"), ep(KID2, "2023-06-01 S C2 U6 PR1 -> open")]
H = csv_text(HEADER, HEADERS)
E = csv_text(EPISODES, GOOD_EPISODES)


def episodes(*rows: dict) -> str:
    return csv_text(EPISODES, list(rows))


def swap(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)


# case -> the bad file's name and bytes (the other table is the good one)
CASES: dict[str, tuple[str, bytes]] = {
    "empty": ("Episodes.csv", b""),
    "header_only": ("Episodes.csv", E.splitlines()[0].encode() + b"\r\n"),
    "semicolons": ("Episodes.csv", E.replace(",", ";").encode()),
    "tabs": ("Episodes.csv", E.replace(",", "\t").encode()),
    "utf16": ("Episodes.csv", E.replace(",", "\t").encode("utf-16")),
    "missing_column": ("Episodes.csv", swap(E, ",PLACE_PROVIDER,", ",PROVIDER,").encode()),
    "extra_column": ("Episodes.csv", swap(E, "URN\r\n", "URN,NOTES\r\n").encode()),
    "unquoted_comma": ("Episodes.csv", swap(E, "TS5 4AF,SC000001", "TS5 4AF,SC00,0001").encode()),
    "damaged_xlsx": ("Episodes.xlsx", b"PK\x03\x04\x14\x00\x00\x00broken workbook" * 20),
    "binary": ("Episodes.csv", bytes((i * 37 + 11) % 255 + 1 for i in range(3000))),
    "nul_bytes": ("Episodes.csv", swap(E, f"{KID},", f"{KID}\x00,").encode()),
    "dates_iso": ("Episodes.csv", swap(E, "01/05/2023", "2023-05-01").encode()),
    "dates_short_year": ("Episodes.csv", swap(E, "01/05/2023", "1/5/23").encode()),
    "dates_excel_serial": ("Episodes.csv", swap(E, "01/05/2023", "45047").encode()),
    "future_date": (
        "Episodes.csv",
        episodes(GOOD_EPISODES[0], ep(KID2, "2023-06-01 S C2 U6 PR1 -> 2031-01-01 E11")).encode(),
    ),
    "dec_before_decom": (
        "Episodes.csv",
        episodes(ep(KID, "2023-05-01 S C2 U4 PR1 -> 2023-04-01 E11"), GOOD_EPISODES[1]).encode(),
    ),
    "overlapping": (
        "Episodes.csv",
        episodes(
            ep(KID, "2023-05-01 S C2 U4 PR1 -> 2023-08-01 X1"),
            ep(KID, "2023-07-01 P C2 U5 PR1 -> open"),
            GOOD_EPISODES[1],
        ).encode(),
    ),
    "duplicated": ("Episodes.csv", episodes(GOOD_EPISODES[0], GOOD_EPISODES[0], GOOD_EPISODES[1]).encode()),
    "two_dobs": ("Header.csv", csv_text(HEADER, [*HEADERS, header(KID, "2010-02-02")]).encode()),
    "code_other_year": ("Episodes.csv", swap(E, ",U4,", ",Z11,").encode()),
    "lower_case_codes": ("Episodes.csv", swap(swap(E, ",U4,", ",u4,"), ",C2,", ",c2,").encode()),
    "quoted_line_break": (
        "Episodes.csv",
        swap(
            E,
            ",SC000001\r\n",
            ',"SC00\r\n0001"\r\n',
        ).encode(),
    ),
    "header_repeated": (
        "Episodes.csv",
        (E + E.splitlines()[0] + "\r\n" + E.splitlines()[2] + "\r\n").encode(),
    ),
    "formula_values": (
        "Episodes.csv",
        swap(swap(swap(E, ",U4,", ",=1+2,"), ",C2,", ",+SUM(A1),"), ",PR1,", ",@cmd,")
        .replace(",SC000001", ",-2+3", 1)
        .encode(),
    ),
}


def main() -> None:
    for case, (name, data) in CASES.items():
        folder = HERE / case
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        if name != "Header.csv":
            (folder / "Header.csv").write_text(H, newline="")
        if not name.startswith("Episodes"):
            (folder / "Episodes.csv").write_text(E, newline="")
        (folder / name).write_bytes(data)


if __name__ == "__main__":
    main()
