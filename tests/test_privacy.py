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
import pytest

from analytics import config
from tests.builders import (
    ep,
    header,
    missing,
    oc2,
    oc3,
    prev_perm,
    review,
    run,
    sw_episode,
    uk,
    write_return,
    write_xml,
)

REPO = Path(__file__).resolve().parent.parent

CHILDREN = {  # identifier: (date of birth, home postcode)
    "QZCHILD7781": ("2012-03-14", "TS1 1AB"),
    "QZCHILD7782": ("2009-11-23", "TS5 4AF"),
    "QZCHILD7783": ("2015-06-17", "DL1 1AA"),  # set aside: DEC before DECOM
}
CARE_LEAVER = ("QZLEAVER9901", "2004-08-19")
UPN, MOTHER_ID = "A123456789012", "QZMOTHER5501"
SOCIAL_WORKERS = ("QZWORKER4401", "QZWORKER4402", "QZWORKER4403")
PLACEMENT_POSTCODE = "DL3 6AH"


def _inputs(folder: Path, xml: bool = False) -> None:
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
    tables = dict(
        OC3=[oc3(CARE_LEAVER[0], CARE_LEAVER[1], "YES", "F1", "U1")],
        UASC=[{"CHILD": "QZCHILD7782", "SEX": "1", "DOB": "23/11/2009", "DUC": "01/01/2023"}],
        PlacedAdoption=[{"CHILD": "QZCHILD7781", "DOB": "14/03/2012", "DATE_PLACED": "07/09/2023"}],
        AD1=[
            {
                "CHILD": "QZCHILD7781",
                "DOB": "14/03/2012",
                "DATE_INT": "01/02/2024",
                "DATE_MATCH": "02/02/2024",
            }
        ],
        OC2=[oc2(c, dob, SDQ_SCORE="12") for c, (dob, _) in CHILDREN.items()],
        Missing=[missing(c, dob, "M", "2023-06-01") for c, (dob, _) in CHILDREN.items()],
        Reviews=[review(c, dob, "2023-05-20", "PN9") for c, (dob, _) in CHILDREN.items()],
        PrevPerm=[prev_perm(c, dob, "P1", "E06000004", "2020-01-01") for c, (dob, _) in CHILDREN.items()],
        SWEpisodes=[
            sw_episode(c, dob, worker, "2023-05-02")
            for c, (dob, _) in CHILDREN.items()
            for worker in SOCIAL_WORKERS
        ]
        + [{**sw_episode("QZCHILD7781", CHILDREN["QZCHILD7781"][0], "", ""), "SW_DECOM": "bad date"}],
        DoLo=[
            {"CHILD": c, "DOB": uk(dob), "DOLO_START": "01/07/2023", "DOLO_END": ""}
            for c, (dob, _) in CHILDREN.items()
        ],
    )
    if xml:
        # a child with no OC3 row of its own needs a Header in the XML: the care leaver's
        headers.append(header(CARE_LEAVER[0], CARE_LEAVER[1]))
        write_xml(folder / "export.xml", headers, episodes, **tables)
    else:
        write_return(folder, headers, episodes, **tables)


def _forbidden() -> list[re.Pattern]:
    words = [*CHILDREN, CARE_LEAVER[0], UPN, MOTHER_ID, *SOCIAL_WORKERS]
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


@pytest.mark.parametrize("form", ["csv", "xml"])
def test_no_identifier_date_of_birth_or_postcode_survives_the_import(tmp_path, private_home, form):
    folder = tmp_path / "returns" / "2024"
    _inputs(folder, xml=form == "xml")
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
        assert {"oc2", "missing", "reviews", "prev_perm", "sw_episodes", "dolo", "adoption_details"} <= set(
            tables
        )
        assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] > 0
        # the new tables are stored (so the check below looks at real rows), workers as hashes
        assert con.execute("SELECT count(DISTINCT sw_key) FROM sw_episodes").fetchone()[0] == 3
        assert con.execute("SELECT count(*) FROM reviews").fetchone()[0] == 2
        assert (
            con.execute("SELECT count(*) FROM validation_report WHERE rule = 'code-invalid'").fetchone()[0]
            >= 2
        )
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
