"""The command line: `python -m analytics load | indicators | monthly | boardpack | population | localities | comparators | forecast | export-parquet | synth | build-demo`.

Thin over the modules: it parses arguments, calls the engine and prints. Exit status 0 on
success, 1 when a load is refused (nothing changed), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd

from analytics import config, measures, release, safe_csv, store, tables
from analytics.filters import AGE_BANDS, SEXES, FilterError, Filters
from analytics.ingest import load_councils, load_returns, sort_report

# Modules that add their own subcommands with a `register(subparsers)` function.
COMMAND_MODULES: list[str] = ["analytics.synth.cli", "analytics.comparators.cli", "analytics.forecast.cli"]
COUNCIL_CODE = re.compile(r"[EW]\d{8}")


def _db(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else config.default_db()


def _print_json(obj: dict) -> None:
    json.dump(obj, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


def cmd_load(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths]
    if args.by_council:
        batches = {
            folder.name: [folder]
            for path in paths
            for folder in sorted(path.iterdir())
            if folder.is_dir() and COUNCIL_CODE.fullmatch(folder.name)
        }
        if not batches:
            print(
                "error: --by-council: no folder named by a council code (e.g. E06000002) under the paths given",
                file=sys.stderr,
            )
            return 2
        results = load_councils(batches, _db(args), config.salt(), year=args.year)
        for result in results.values():
            print(result.summary_text())
        return 0 if all(r.ok for r in results.values()) else 1
    result = load_returns(paths, _db(args), config.salt(), la_code=args.la_code, year=args.year)
    print(result.summary_text())
    report = sort_report(result.report)
    if args.report:
        safe_csv.to_csv(report, args.report)
    if result.ok:
        print(grouped_report(report, written=bool(args.report)))
    return 0 if result.ok else 1


def _line(line) -> str:
    row = "" if pd.isna(line["row"]) else f" row {line['row']}"
    column = f" {line['column']}" if line["column"] else ""
    return f"{line['file']}{row}{column}: {line['message']}"


def grouped_report(report: pd.DataFrame, written: bool = False) -> str:
    """The validation report grouped by rule: rule, severity, count and one example line
    (the first by file and row), errors first, then the most frequent."""
    if report.empty:
        return "Validation report: no problems found."
    order = {"refusal": 0, "error": 1, "warning": 2}
    groups = []
    for (rule, severity), lines in report.groupby(["rule", "severity"], sort=False):
        groups.append((order.get(severity, 3), -len(lines), rule, severity, len(lines), lines.iloc[0]))
    out = [f"Validation report: {len(report)} lines, by rule (rule, severity, lines, an example):"]
    for _, _, rule, severity, count, example in sorted(groups, key=lambda g: g[:3]):
        out.append(f"  [{rule}] {severity} x {count}, e.g. {_line(example)}")
    out.append(
        "Every line is in the report file written."
        if written
        else "Use --report FILE to write every line (sorted by file and row)."
    )
    return "\n".join(out)


def _filters(args: argparse.Namespace, year: int) -> Filters:
    return Filters(
        year=year,
        as_of=getattr(args, "as_of", None),
        council=args.council,
        districts=tuple(args.district or ()),
        localities=tuple(args.locality or ()),
        age_bands=tuple(args.age_band or ()),
        sexes=tuple(args.sex or ()),
    )


def cmd_indicators(args: argparse.Namespace) -> int:
    f = _filters(args, args.year)
    with measures.connect(_db(args)) as con:
        if not args.suppress:
            _print_json(measures.indicators_json(con, f))
            return 0
        year = release.collect(con, f, [f.year])[f.year]  # the year declared whole, as on screen
    payload = {
        "year": f.year,
        "period": [f.period_start.isoformat(), f.period_end.isoformat()],
        "filters": f.as_json(),
        "measures": release.shown_indicators(year),
    }
    _print_json(payload)
    return 0


def _month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month in YYYY-MM form") from None


def cmd_monthly(args: argparse.Namespace) -> int:
    if args.to < args.from_:
        raise FilterError("--to is before --from")
    f = _filters(args, args.from_.year)
    with measures.connect(_db(args)) as con:
        payload = measures.monthly(con, f, args.from_, args.to)
        if args.suppress:  # each month as its year shows it: the years declared whole
            years = {m.year + 1 if m.month >= 4 else m.year for m in (args.from_, args.to)}
            releases = release.collect(con, f, range(min(years), max(years) + 1))
            shown = {m["month"]: m for r in releases.values() for m in release.shown_months(r)}
            payload["months"] = [shown[m["month"]] for m in payload["months"]]
    _print_json(payload)
    return 0


def cmd_boardpack(args: argparse.Namespace) -> int:
    from analytics import boardpack, datasets
    from analytics.present.model import View
    from analytics.strategy import load_strategy

    out = Path(args.out)
    if out.suffix.lower() not in (".pptx", ".pdf"):
        raise FilterError(f"--out {out}: the pack is a .pptx or a .pdf file")
    f = _filters(args, args.year)
    with measures.connect(_db(args)) as con:
        cov = datasets.coverage(con)
        years = tuple(y for y in cov.years if args.year - 10 < y <= args.year) or (args.year,)
        view = View(replace(f, as_of=None), years, True, cov.synthetic, args.as_of or cov.as_of)
        pack = boardpack.build(con, view, load_strategy())
    boardpack.write(pack, out)
    print(f"Wrote {out}: {len(pack.slides)} slides, disclosure control on.")
    return 0


def cmd_population(args: argparse.Namespace) -> int:
    rows = tables.load_population(Path(args.file), _db(args), args.la_code, synthetic=args.synthetic)
    print(f"Loaded the population table: {rows} rows for {args.la_code or 'council not named'}.")
    return 0


def cmd_localities(args: argparse.Namespace) -> int:
    rows = tables.load_localities(Path(args.file), _db(args), synthetic=args.synthetic)
    print(f"Loaded the locality table: {rows} districts.")
    return 0


def cmd_export_parquet(args: argparse.Namespace) -> int:
    rows = store.export_parquet(_db(args), Path(args.out))
    print(
        f"Exported {len(rows)} tables ({sum(rows.values())} rows) as Parquet to {args.out}, partitioned by council."
    )
    return 0


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        help="database file, or a folder exported by export-parquet (default: the private data folder)",
    )
    p.add_argument("--district", action="append", help="postcode district, e.g. TS1 (repeatable)")
    p.add_argument("--locality", action="append", help="locality name from the locality table (repeatable)")
    p.add_argument("--age-band", action="append", choices=AGE_BANDS, help="age band (repeatable)")
    p.add_argument("--sex", action="append", choices=SEXES, help="sex (repeatable)")
    p.add_argument("--council", help="upper-tier local-authority code, e.g. E06000002")
    p.add_argument("--suppress", action="store_true", help="apply disclosure control (disclosure.md)")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m analytics", description=__doc__.splitlines()[0])
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("load", help="validate, anonymise and load SSDA903 returns (files or folders)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--db", help="database file (default: the private data folder)")
    p.add_argument("--la-code", help="the council's upper-tier local-authority code, e.g. E06000002")
    p.add_argument("--year", type=int, help="collection year of files whose name gives none (2024 = 2023-24)")
    p.add_argument(
        "--report", help="write every line of the validation report to this CSV file, by file and row"
    )
    p.add_argument(
        "--by-council",
        action="store_true",
        help="each PATH holds one folder per council, named by its code (E06000002/2024/...): load them all in one step",
    )
    p.set_defaults(run=cmd_load)

    p = sub.add_parser("indicators", help="every measure for a year, as JSON")
    p.add_argument(
        "--year", type=int, required=True, help="collection year (2024 = 1 April 2023 to 31 March 2024)"
    )
    p.add_argument(
        "--as-of", type=date.fromisoformat, help="year to date: the last day of a month, YYYY-MM-DD"
    )
    _add_filters(p)
    p.set_defaults(run=cmd_indicators)

    p = sub.add_parser("monthly", help="starts and ceased per calendar month, as JSON")
    p.add_argument("--from", dest="from_", type=_month, required=True, help="first month, YYYY-MM")
    p.add_argument("--to", type=_month, required=True, help="last month, YYYY-MM")
    _add_filters(p)
    p.set_defaults(run=cmd_monthly)

    p = sub.add_parser("boardpack", help="the board pack of a view: slides (.pptx) or a paper (.pdf)")
    p.add_argument("--year", type=int, required=True, help="reference year (2024 = 2023-24)")
    p.add_argument(
        "--as-of", type=date.fromisoformat, help="year to date: the last day of a month, YYYY-MM-DD"
    )
    p.add_argument("--out", required=True, help="FILE.pptx or FILE.pdf")
    _add_filters(p)
    p.set_defaults(run=cmd_boardpack)

    p = sub.add_parser("population", help="load the population table (CSV: year,district,age_band,children)")
    p.add_argument("file")
    p.add_argument("--db")
    p.add_argument("--la-code")
    p.add_argument("--synthetic", action="store_true", help="label the table synthetic")
    p.set_defaults(run=cmd_population)

    p = sub.add_parser("localities", help="load the locality table (CSV: district,locality)")
    p.add_argument("file")
    p.add_argument("--db")
    p.add_argument("--synthetic", action="store_true", help="label the table synthetic")
    p.set_defaults(run=cmd_localities)

    p = sub.add_parser(
        "export-parquet",
        help="export the anonymised tables as Parquet, partitioned by council (read back with --db FOLDER)",
    )
    p.add_argument("out", help="a new (or empty) folder")
    p.add_argument("--db")
    p.set_defaults(run=cmd_export_parquet)

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (FilterError, tables.TableError, FileNotFoundError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
