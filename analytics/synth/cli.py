"""`python -m analytics synth` and `python -m analytics build-demo` (issue 3).

    python -m analytics synth --out DIR [--scale council|region|england | --children N]
                              [--first-year 2006] [--last-year 2025] [--seed S]
    python -m analytics build-demo [--seed S] [--db FILE] [--published DIR]

`synth` writes one SSDA903 return per collection year (`DIR/<year>/Header.csv, Episodes.csv,
OC3.csv, AD1.csv, PlacedAdoption.csv, UASC.csv, OC2.csv, Reviews.csv`, with `PrevPerm.csv` from
2013-14, `Missing.csv` from 2014-15 and `SWEpisodes.csv` from 2023-24); at region and England scale one folder per
council, named by its code (`DIR/E06000002/2025/...`). At council scale it also writes the
synthetic `population.csv` and `localities.csv`. Same seed, byte-identical files.

`build-demo` regenerates the bundled synthetic council (`data/synthetic_council.duckdb`): the
council-scale history with a fixed seed, loaded by the engine flagged synthetic with the demo
salt, plus the synthetic population and locality tables (also kept as CSV in `data/`).
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import tempfile
import time
from pathlib import Path

DEMO_SEED = 2008


def _year(text: str) -> int:
    y = int(text)
    if not 1990 <= y <= 2100:
        raise argparse.ArgumentTypeError(f"{text!r} is not a collection year")
    return y


def cmd_synth(args: argparse.Namespace) -> int:
    from analytics.synth.generate import generate

    if args.last_year < args.first_year:
        raise SystemExit("synth: --last-year is before --first-year")
    scale = "council" if args.children else args.scale
    generate(
        Path(args.out),
        scale=scale,
        children=args.children,
        first_year=args.first_year,
        last_year=args.last_year,
        seed=args.seed,
    )
    return 0


def build_demo(
    db: Path,
    seed: int = DEMO_SEED,
    data_dir: Path | None = None,
    first_year: int = 2006,
    last_year: int = 2025,
    log=print,
    published: Path | None = None,
) -> Path:
    """Generate the council-scale history and load it into `db` (replaced), flagged synthetic;
    with `published`, also DfE's published files of that folder (the comparators)."""
    from analytics import config, tables
    from analytics.ingest import load_returns
    from analytics.synth import params
    from analytics.synth.generate import generate

    t0 = time.time()
    db = Path(db)
    data_dir = Path(data_dir) if data_dir else db.parent
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cla-synth-") as tmp:
        out = Path(tmp) / "returns"
        generate(out, scale="council", seed=seed, first_year=first_year, last_year=last_year, log=log)
        new_db = Path(tmp) / db.name
        result = load_returns(
            [out / str(y) for y in range(first_year, last_year + 1)],
            new_db,
            config.DEMO_SALT,
            la_code=params.MIDDLESBROUGH,
            synthetic=True,
        )
        if not result.ok:
            raise SystemExit(
                "build-demo: the engine refused the synthetic returns:\n" + result.summary_text()
            )
        log(result.summary_text())
        for name in ("population.csv", "localities.csv"):
            shutil.copyfile(out / name, data_dir / name)
        tables.load_population(data_dir / "population.csv", new_db, params.MIDDLESBROUGH, synthetic=True)
        tables.load_localities(data_dir / "localities.csv", new_db, synthetic=True)
        if published:
            _load_published(Path(published), new_db, log)
        with contextlib.suppress(FileNotFoundError):
            db.unlink()
        shutil.move(str(new_db), db)
    log(f"built {db} ({db.stat().st_size / 1e6:.1f} MB) in {time.time() - t0:.0f}s")
    return db


def _load_published(folder: Path, db: Path, log) -> None:
    from analytics import comparators

    found, skipped = comparators.recognised(folder)
    for r in comparators.load(found, db):
        log(f"published: {r.path.name}: {r.kind}, {r.rows} rows")
    for _path, why in skipped:
        log(f"published: skipped {why}")


def cmd_build_demo(args: argparse.Namespace) -> int:
    from analytics import config

    db = Path(args.db) if args.db else config.BUNDLED_DB
    build_demo(db, seed=args.seed, published=args.published)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "synth",
        help="write synthetic SSDA903 returns (no real child's data)",
        description="Simulate children's journeys through care and write one SSDA903 return "
        "per collection year.",
    )
    p.add_argument("--out", required=True, help="folder to write the returns into")
    size = p.add_mutually_exclusive_group()
    size.add_argument(
        "--scale",
        choices=("council", "region", "england"),
        default="council",
        help="one council (default), the North East's 12 councils, or England's "
        "about 150 councils (one folder per council code)",
    )
    size.add_argument(
        "--children",
        type=int,
        metavar="N",
        help="one council sized to about N children looked after at 31 March",
    )
    p.add_argument("--first-year", type=_year, default=2006, help="first collection year (2006)")
    p.add_argument("--last-year", type=_year, default=2025, help="last collection year (2025)")
    p.add_argument("--seed", type=int, default=1, help="random seed: same seed, same files")
    p.set_defaults(run=cmd_synth)

    p = subparsers.add_parser(
        "build-demo",
        help="rebuild the bundled synthetic council database in data/",
        description="Generate the council-scale synthetic history with a fixed seed and load "
        "it, flagged synthetic, into data/synthetic_council.duckdb.",
    )
    p.add_argument("--seed", type=int, default=DEMO_SEED, help=f"random seed ({DEMO_SEED})")
    p.add_argument("--db", help="database to write (default: the bundled data/ database)")
    p.add_argument(
        "--published",
        metavar="DIR",
        help="a folder of DfE's published open-data CSVs (e.g. ../shared/published) to carry as comparators",
    )
    p.set_defaults(run=cmd_build_demo)
