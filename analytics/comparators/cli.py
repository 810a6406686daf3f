"""`python -m analytics comparators load FILE ...` and `comparators show` (comparators.md)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from analytics import config, measures
from analytics.comparators import ComparatorFileError, Published, load, loaded_council
from analytics.filters import Filters
from analytics.measures.registry import MEASURES


def _db(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else config.default_db()


def cmd_load(args: argparse.Namespace) -> int:
    try:
        reads = load([Path(p) for p in args.files], _db(args), args.release)
    except ComparatorFileError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    for r in reads:
        years = sorted(set(r.values.year)) if len(r.values) else []
        span = f", {years[0]}-{years[-1]}" if years else ""
        print(f"{r.path.name}: {r.kind}: {r.rows} rows{span}")
    return 0


def _computed(con, mid: str, year: int, la_code: str) -> float | None:
    """The engine's value for the council, measure and year, when its returns are loaded."""
    if la_code not in {r[0] for r in con.execute("SELECT la_code FROM loads").fetchall()}:
        return None
    return measures.compute(con, Filters(year=year, council=la_code), [mid])[mid]["value"]


def cmd_show(args: argparse.Namespace) -> int:
    from analytics.strategy import load_strategy  # the strategy file reads the pages

    if args.measure not in MEASURES:
        print(f"error: {args.measure} is not a measure id", file=sys.stderr)
        return 2
    with measures.connect(_db(args)) as con:
        published = Published.read(con)
        la_code = args.la_code or loaded_council(con)
        if not la_code:
            print("error: --la-code: no single council is loaded to default to", file=sys.stderr)
            return 2
        value = args.value
        if value is None and args.measure not in ("cla_at_31_march", "starts", "ceased"):
            value = _computed(con, args.measure, args.year, la_code)
    good = load_strategy().good(args.measure)
    json.dump(published.show(args.measure, args.year, la_code, value, good), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    top = subparsers.add_parser(
        "comparators", help="DfE's published figures: load them, show a measure's field"
    )
    sub = top.add_subparsers(dest="comparators_command", required=True)
    p = sub.add_parser("load", help="load DfE open-data CSVs and the statistical neighbour groupings")
    p.add_argument("files", nargs="+")
    p.add_argument("--db")
    p.add_argument("--release", type=int, help="the release year (default: the file's latest time_period)")
    p.set_defaults(run=cmd_load)
    p = sub.add_parser("show", help="a measure's England, region, quartiles, rank and neighbours, as JSON")
    p.add_argument("--measure", required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--la-code", help="the council (default: the loaded council)")
    p.add_argument("--value", type=float, help="our computed value (default: the engine's)")
    p.add_argument("--db")
    p.set_defaults(run=cmd_show)
