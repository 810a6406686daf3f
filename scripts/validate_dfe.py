"""Run DfE's SSDA903 validation rules on synthetic returns (a check, not part of the app).

DfE's rules come from the PyPI package `csc-validator-be-903` (import `lac_validator`), which
pins pandas below 2, so it lives in its own virtual environment and never in the app's
requirements:

    python3 -m venv /work/venv903
    /work/venv903/bin/pip install csc-validator-be-903==0.1.17
    /work/venv903/bin/python scripts/validate_dfe.py RETURNS_DIR [--years 2023 2024 2025]
        [--la-code E06000002] [--json OUT.json]

RETURNS_DIR holds one folder per collection year (`RETURNS_DIR/2024/Episodes.csv`, ... as
`python -m analytics synth` writes them). Each year is checked with its own ruleset
(`lac2022_23` for 2023, ...), with the previous year's return as "Prev year" so that rules
comparing the two run. Every table the generator writes for the year is passed (OC2, Missing,
Reviews, PrevPerm and SWEpisodes included, where the year has them); rules that need Ofsted's
provider lists skip themselves. Prints, per year, every rule
that fired with the number of rows it flagged and its message.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
from pathlib import Path

TABLES = (
    "Header",
    "Episodes",
    "OC3",
    "AD1",
    "PlacedAdoption",
    "UASC",
    "OC2",
    "Missing",
    "Reviews",
    "PrevPerm",
    "SWEpisodes",
)


def ruleset(year: int) -> str:
    return f"lac{year - 1}_{year % 100:02d}"


def run_year(root: Path, year: int, la_code: str) -> dict[str, dict]:
    from lac_validator import lac_validator
    from lac_validator.utils import process_uploaded_files

    this = [str(root / str(year) / f"{t}.csv") for t in TABLES if (root / str(year) / f"{t}.csv").exists()]
    prev = [
        str(root / str(year - 1) / f"{t}.csv") for t in TABLES if (root / str(year - 1) / f"{t}.csv").exists()
    ]
    files = process_uploaded_files({"This year": this, "Prev year": prev})
    registry = importlib.import_module(f"lac_validator.rules.{ruleset(year)}").registry
    v = lac_validator.LacValidator(
        metadata={"collectionYear": str(year), "localAuthority": la_code},
        files=files,
        registry=registry,
        selected_rules=None,
    )
    found: dict[str, dict] = {}
    for table, frame in v.ds_results.items():
        if table == "metadata" or not hasattr(frame, "columns"):
            continue
        for col in frame.columns:
            if col.startswith("ERR_"):
                code = col[4:]
                n = int((frame[col] == True).sum())  # noqa: E712
                if n:
                    entry = found.setdefault(code, {"rows": {}, "message": registry[code].message})
                    entry["rows"][table] = entry["rows"].get(table, 0) + n
    if v.fails:
        found["(failed to run)"] = {"rows": {}, "message": ", ".join(map(str, v.fails))}
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", type=Path)
    ap.add_argument("--years", type=int, nargs="+", default=[2023, 2024, 2025])
    ap.add_argument("--la-code", default="E06000002")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    logging.disable(logging.CRITICAL)
    os.environ.setdefault("QLACREF_PC_INSECURE", "True")
    results = {}
    for year in args.years:
        found = run_year(args.root, year, args.la_code)
        results[year] = found
        print(f"== {year} ({ruleset(year)}): {len(found)} rule(s) fired")
        for code, entry in sorted(found.items()):
            rows = ", ".join(f"{t} {n}" for t, n in entry["rows"].items())
            print(f"  {code:>10}  {rows:<28} {entry['message'][:110]}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
