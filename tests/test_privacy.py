"""Nothing identifying survives the import: not in any table, the quarantine, the validation
report, what the command line prints, or any file it leaves behind. And no salt is tracked."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from datetime import date
from pathlib import Path

import duckdb

from analytics import config
from tests.builders import ep, header, oc3, run, write_return

REPO = Path(__file__).resolve().parent.parent

CHILDREN = {  # identifier: (date of birth, home postcode)
    "QZCHILD7781": ("2012-03-14", "TS1 1AB"),
    "QZCHILD7782": ("2009-11-23", "TS5 4AF"),
    "QZCHILD7783": ("2015-06-17", "DL1 1AA"),  # set aside: DEC before DECOM
}
CARE_LEAVER = ("QZLEAVER9901", "2004-08-19")
UPN, MOTHER_ID = "A123456789012", "QZMOTHER5501"
PLACEMENT_POSTCODE = "DL3 6AH"


def _inputs(folder: Path) -> None:
    headers = [
        {**header(child, dob), "UPN": UPN, "MOTHER": MOTHER_ID, "MC_DOB": "19/09/2022"}
        for child, (dob, _) in CHILDREN.items()
    ]
    episodes = [
        ep(
            "QZCHILD7781",
            "2023-05-02 S C2 U4 PR1 -> open",
            home=CHILDREN["QZCHILD7781"][1],
            pl=PLACEMENT_POSTCODE,
        ),
        ep(
            "QZCHILD7782",
            "2023-05-03 S C2 U6 PR4 -> 2023-08-04 E4A",
            home=CHILDREN["QZCHILD7782"][1].lower(),
            pl="ZZ9 9ZZ",
        ),
        ep("QZCHILD7783", "2023-05-05 S C2 U6 PR4 -> 2023-05-04 E4A", home=CHILDREN["QZCHILD7783"][1]),
    ]
    write_return(
        folder,
        headers,
        episodes,
        OC3=[oc3(CARE_LEAVER[0], CARE_LEAVER[1], "YES", "F1", "U1")],
        UASC=[{"CHILD": "QZCHILD7782", "SEX": "1", "DOB": "23/11/2009", "DUC": "01/01/2023"}],
        PlacedAdoption=[{"CHILD": "QZCHILD7781", "DOB": "14/03/2012", "DATE_PLACED": "07/09/2023"}],
    )


def _forbidden() -> list[re.Pattern]:
    words = [*CHILDREN, CARE_LEAVER[0], UPN, MOTHER_ID]
    dobs = [date.fromisoformat(d) for d, _ in CHILDREN.values()] + [
        date.fromisoformat(CARE_LEAVER[1]),
        date(2022, 9, 19),
    ]
    for d in dobs:
        words += [d.strftime("%d/%m/%Y"), d.isoformat(), d.strftime("%Y%m%d")]
    postcodes = [pc for _, pc in CHILDREN.values()] + [PLACEMENT_POSTCODE, "ZZ9 9ZZ"]
    patterns = [re.compile(re.escape(w), re.IGNORECASE) for w in words]
    patterns += [re.compile(pc.replace(" ", r"\s*"), re.IGNORECASE) for pc in postcodes]
    return patterns


def _hits(text: str) -> list[str]:
    return [p.pattern for p in _forbidden() if p.search(text)]


def test_no_identifier_date_of_birth_or_postcode_survives_the_import(tmp_path, private_home):
    folder = tmp_path / "returns" / "2024"
    _inputs(folder)
    out = tmp_path / "out"
    out.mkdir()
    db, report = out / "cla.duckdb", out / "report.csv"
    status, printed = run(
        "load", str(folder), "--db", str(db), "--la-code", "E06000002", "--report", str(report)
    )
    assert status == 0
    assert _hits(printed) == []

    with duckdb.connect(str(db), read_only=True) as con:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        assert {"episodes", "quarantine", "validation_report", "care_leavers", "children"} <= set(tables)
        assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] > 0
        for table in tables:
            text = con.execute(f"SELECT * FROM {table}").df().to_csv()
            assert _hits(text) == [], table

    left_behind = [p for p in [*out.rglob("*"), *private_home.rglob("*")] if p.is_file()]
    assert {p.name for p in left_behind} == {"cla.duckdb", "report.csv", "hashing.salt"}
    for path in left_behind:
        if path.name != "hashing.salt":
            assert _hits(path.read_bytes().decode("latin-1")) == [], path.name


def test_the_salt_is_private_and_no_tracked_file_holds_a_salt(private_home):
    salt = config.salt()
    assert len(salt) == 64 and salt != config.DEMO_SALT
    path = private_home / config.SALT_FILE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(private_home).st_mode) == 0o700
    assert config.salt() == salt  # created once, then reused

    tracked = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    assert tracked, "the repository lists no files"
    assert not [f for f in tracked if f.endswith(".salt")]
    for name in tracked:
        path = REPO / name
        if path.is_file():
            content = path.read_bytes()
            assert salt not in content, name
            assert not re.fullmatch(rb"\s*[0-9a-f]{64}\s*", content), f"{name} looks like a salt file"
    ignored = subprocess.run(["git", "check-ignore", "-q", "x.salt"], cwd=REPO)
    assert ignored.returncode == 0, ".gitignore must keep salts out"
