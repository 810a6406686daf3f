"""Time the engine: load returns, then compute every measure.

    python scripts/bench_engine.py --db /tmp/bench.duckdb [--la-code E06000002] RETURN_FOLDER ...
    python scripts/bench_engine.py --db data/synthetic_council.duckdb   (measures only)

Prints the load time (when folders are given), the time to compute all measures for the
latest year (median of 5 warm runs, after one cold run) and for a trend over every year.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from analytics import config, measures
from analytics.filters import Filters
from analytics.ingest import load_returns


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("paths", nargs="*")
    p.add_argument("--db", required=True)
    p.add_argument("--la-code")
    p.add_argument("--district", action="append", default=[])
    args = p.parse_args()
    db = Path(args.db)
    if args.paths:
        salt = config.DEMO_SALT if "synthetic" in db.name else config.salt()
        t = time.perf_counter()
        result = load_returns([Path(x) for x in args.paths], db, salt, la_code=args.la_code)
        print(f"load: {time.perf_counter() - t:.2f} s ({result.summary_text()})")
    with measures.connect(db) as con:
        years = [r[0] for r in con.execute("SELECT DISTINCT unnest(years) FROM loads ORDER BY 1").fetchall()]
        latest = years[-1]
        f = Filters(year=latest, districts=tuple(args.district))
        cold = time.perf_counter()
        measures.indicators_json(con, f)
        cold = time.perf_counter() - cold
        warm = []
        for _ in range(5):
            t = time.perf_counter()
            measures.indicators_json(con, f)
            warm.append(time.perf_counter() - t)
        print(
            f"all {len(measures.MEASURES)} measures, {latest}: cold {cold:.3f} s, warm median {statistics.median(warm):.3f} s"
        )
        t = time.perf_counter()
        measures.trend(con, f, years)
        print(
            f"all measures, trend over {len(years)} years ({years[0]}-{latest}): {time.perf_counter() - t:.3f} s"
        )


if __name__ == "__main__":
    main()
