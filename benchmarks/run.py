"""The benchmark: import, the measures through the command line, every page's engine calls,
and a vectorised pandas computation of the core measures, at council or England scale.

    python benchmarks/run.py [--scale council|england] [--cache DIR] [--runs 5]

Generates the synthetic history once (`python -m analytics synth --scale ...`) into the cache
folder (default: the user's cache folder, never the repository) and reuses it after, then in one run:

* import: `python -m analytics load` of every CSV return (England: `--by-council`) into a new
  anonymised database, its wall time and the peak memory of its processes (resident, summed);
* the parse floor: DuckDB's own `read_csv` of the same CSV files (every value as text), timed in
  the same run: the least any import of those files could take;
* `python -m analytics indicators --year LAST` (every measure of one year, median of 3 runs);
  at England scale also for one council of that database, and for the same council loaded on its
  own into a database of its own;
* for every dashboard page (analytics/present/pages.py), its full set of engine calls
  (benchmarks/pages.py): cold (a connection just opened) and warm (the same calls again on an
  open connection, which keeps what it counted: `store.kept`), each the median of `--runs` runs
  (cold: of `--cold-runs`, where given);
* the core measures by the engine and by vectorised pandas (benchmarks/pandas_measures.py) over
  the same tables, checked equal, timed (median of `--runs`): the ratio pandas / engine;
* the database's size on disk.

Prints a table and writes `benchmarks/results/<scale>.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import duckdb  # noqa: E402
import platformdirs  # noqa: E402

from analytics import measures  # noqa: E402
from analytics.__main__ import COUNCIL_CODE  # noqa: E402
from analytics.filters import Filters  # noqa: E402
from analytics.synth import params  # noqa: E402
from benchmarks import pandas_measures  # noqa: E402
from benchmarks.pages import PAGE_CALLS, default_view  # noqa: E402

FIRST_YEAR, LAST_YEAR = 2006, 2025
BUDGETS = {  # issue 13, on a 2-core machine
    "england": {"import_s": 120, "import_floor_ratio": 10, "import_peak_mb": 3072, "indicators_year_s": 2,
                "council_of_england_ratio": 1.5, "warm_ms": 300, "cold_ms": 2000, "pandas_ratio": 3},
    "council": {"warm_ms": 50, "pandas_ratio": 3},
}  # fmt: skip


def _env(cache: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO), CLA_DASHBOARD_HOME=str(cache / "home"))
    env.pop("CLA_DB", None)
    return env


def _python(*args: str) -> list[str]:
    return [sys.executable, "-m", "analytics", *args]


def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants (from /proc), in MB."""
    children = defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children[int(fields[1])].append(int(stat.parent.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def measured_run(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, peak resident MB of the process tree) of a command that must succeed."""
    peak = [0.0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_mb(proc.pid))
            done.wait(0.2)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    out, _ = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    watcher.join()
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{out[-3000:]}")
    return elapsed, peak[0]


def generate(scale: str, cache: Path, env: dict) -> Path:
    returns = cache / scale / "returns"
    if not (returns / ".complete").exists():
        print(f"generating the {scale}-scale synthetic history into {returns} (once) ...", flush=True)
        subprocess.run(_python("synth", "--out", str(returns), "--scale", scale), env=env, check=True)
        (returns / ".complete").touch()
    return returns


def csv_files(returns: Path) -> list[Path]:
    return sorted(p for p in returns.rglob("*.csv") if p.name not in ("population.csv", "localities.csv"))


def parse_floor(files: list[Path]) -> tuple[float, int]:
    """Seconds for DuckDB to parse every file (all values as text), rows: one `read_csv` per
    table and header (files with the same columns read together, as a glob would)."""
    groups = defaultdict(list)
    for f in files:
        with open(f, "rb") as fh:
            groups[(f.name, fh.readline())].append(str(f))
    con = duckdb.connect()
    start = time.perf_counter()
    rows = 0
    for i, names in enumerate(groups.values()):
        con.execute(
            f"CREATE TEMP TABLE t{i} AS SELECT * FROM read_csv($f, all_varchar = true, header = true)",
            {"f": names},
        )
        rows += con.execute(f"SELECT count(*) FROM t{i}").fetchone()[0]
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed, rows


def median_s(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def indicators_s(db: Path, env: dict, council: str | None = None) -> float:
    cmd = _python("indicators", "--year", str(LAST_YEAR), "--db", str(db))
    if council:
        cmd += ["--council", council]
    return median_s(lambda: subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL), 3)


def page_times(db: Path, runs: int, cold_runs: int) -> dict[str, dict]:
    out = {}
    for key, calls in PAGE_CALLS.items():
        cold = []
        for _ in range(cold_runs):
            con = measures.connect(db)
            view = default_view(con)
            start = time.perf_counter()
            calls(con, view)
            cold.append(time.perf_counter() - start)
            con.close()
        con = measures.connect(db)
        view = default_view(con)
        calls(con, view)
        warm = median_s(lambda con=con, view=view, calls=calls: calls(con, view), runs)
        con.close()
        out[key] = {"cold_ms": round(statistics.median(cold) * 1000), "warm_ms": round(warm * 1000)}
        print(f"  page {key}: cold {out[key]['cold_ms']} ms, warm {out[key]['warm_ms']} ms", flush=True)
    return out


def pandas_comparison(db: Path, runs: int) -> dict:
    con = measures.connect(db)
    start = time.perf_counter()
    tables = pandas_measures.read_tables(con)
    read_s = time.perf_counter() - start
    ids = list(pandas_measures.MEASURE_IDS)
    for year in (LAST_YEAR - 5, LAST_YEAR):  # the same numbers, or no ratio at all
        engine = pandas_measures.engine_headlines(measures.compute(con, Filters(year), ids))
        by_pandas = pandas_measures.compute(tables, year)
        if engine != by_pandas:
            raise SystemExit(f"pandas and the engine disagree for {year}: {by_pandas} != {engine}")
    engine_s = median_s(lambda: measures.compute(con, Filters(LAST_YEAR), ids), runs)
    pandas_s = median_s(lambda: pandas_measures.compute(tables, LAST_YEAR), runs)
    con.close()
    return {
        "engine_s": round(engine_s, 3),
        "pandas_s": round(pandas_s, 3),
        "pandas_read_s": round(read_s, 3),
        "pandas_ratio": round(pandas_s / engine_s, 2),
        "headlines": engine,
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", choices=("council", "england"), default="council")
    p.add_argument("--cache", type=Path, default=Path(platformdirs.user_cache_dir("cla-dashboard-benchmark")))
    p.add_argument("--runs", type=int, default=5, help="runs per median (at least 5 for the pages)")
    p.add_argument(
        "--reuse-import",
        action="store_true",
        help="keep the database and the import's figures of the last run (to re-measure the rest)",
    )
    p.add_argument(
        "--cold-runs",
        type=int,
        help="cold runs per page (default: --runs; fewer at England scale, where one takes minutes)",
    )
    p.add_argument(
        "--skip-pages",
        metavar="WHY",
        help="do not time the pages (recorded in the results with the reason given)",
    )
    args = p.parse_args()
    cache, scale = args.cache.resolve(), args.scale
    env = _env(cache)
    returns = generate(scale, cache, env)
    db = cache / scale / "benchmark.duckdb"
    measured = cache / scale / "import.json"  # the last import's figures, for --reuse-import
    files = csv_files(returns)
    councils = sorted(p.name for p in returns.iterdir() if p.is_dir() and COUNCIL_CODE.fullmatch(p.name))
    council = params.MIDDLESBROUGH if scale == "council" else councils[0]
    if scale == "england":
        load = _python("load", str(returns), "--by-council", "--db", str(db))
    else:
        years = [str(returns / str(y)) for y in range(FIRST_YEAR, LAST_YEAR + 1)]
        load = _python("load", *years, "--la-code", council, "--db", str(db))
    reused = args.reuse_import and db.exists() and measured.exists()
    if reused:  # the import and its parse floor, both as measured in that earlier run
        import_s, peak_mb, floor_s, rows = json.loads(measured.read_text())
        print(f"import: reused, as measured before: {import_s:.1f} s, peak {peak_mb:.0f} MB")
    else:
        db.unlink(missing_ok=True)
        print(f"import: {len(files)} CSV files ...", flush=True)
        import_s, peak_mb = measured_run(load, env)
        floor_s, rows = parse_floor(files)
        measured.write_text(json.dumps([import_s, peak_mb, floor_s, rows]))
    print(f"  import {import_s:.1f} s (peak {peak_mb:.0f} MB); DuckDB parse {floor_s:.1f} s, {rows} rows")
    result = {
        "scale": scale,
        "machine_cores": os.cpu_count(),
        "load_average_at_start": round(os.getloadavg()[0], 1),  # other work on the machine
        "csv_files": len(files),
        "csv_rows": rows,
        "import_reused": reused,
        "import_s": round(import_s, 1),
        "import_peak_mb": round(peak_mb),
        "parse_floor_s": round(floor_s, 2),
        "import_floor_ratio": round(import_s / floor_s, 1),
        "db_mb": round(db.stat().st_size / 2**20, 1),
        "indicators_year_s": round(indicators_s(db, env), 2),
    }
    if scale == "england":
        own = cache / scale / f"{council}.duckdb"
        own.unlink(missing_ok=True)
        measured_run(_python("load", str(returns / council), "--la-code", council, "--db", str(own)), env)
        result["council"] = council
        result["indicators_one_council_s"] = round(indicators_s(db, env, council), 2)
        result["indicators_own_db_s"] = round(indicators_s(own, env), 2)
        result["council_of_england_ratio"] = round(
            result["indicators_one_council_s"] / result["indicators_own_db_s"], 2
        )
    comparison = pandas_comparison(db, args.runs)
    result["pandas_ratio"] = comparison.pop("pandas_ratio")
    result["pandas"] = comparison
    if args.skip_pages:
        result["pages"] = {}
        result["pages_note"] = args.skip_pages
    else:
        print("pages (engine calls, default view) ...", flush=True)
        runs = max(args.runs, 5)
        result["page_runs"] = {"warm": runs, "cold": args.cold_runs or runs}
        result["pages"] = page_times(db, runs, args.cold_runs or runs)
    result["budgets"] = BUDGETS[scale]
    out = REPO / "benchmarks" / "results" / f"{scale}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(table(result))
    print(f"written: {out.relative_to(REPO)}")
    return 0


def table(r: dict) -> str:
    budget = r["budgets"]

    def verdict(name: str, value: float, higher_is_better: bool = False) -> str:
        if name not in budget:
            return ""
        ok = value >= budget[name] if higher_is_better else value <= budget[name]
        sign = ">=" if higher_is_better else "<="
        return f"{'met' if ok else 'MISSED'} ({sign} {budget[name]})"

    lines = [
        f"load average at the start: {r.get('load_average_at_start')} (2 cores)",
        f"{'measure':<44}{'value':>12}  budget",
        f"{'import (s)':<44}{r['import_s']:>12}  {verdict('import_s', r['import_s'])}",
        f"{'  peak memory (MB)':<44}{r['import_peak_mb']:>12}  {verdict('import_peak_mb', r['import_peak_mb'])}",
        f"{'DuckDB parse of the same CSV files (s)':<44}{r['parse_floor_s']:>12}",
        f"{'  import / parse floor':<44}{r['import_floor_ratio']:>12}  "
        + verdict("import_floor_ratio", r["import_floor_ratio"]),
        f"{'indicators --year (s)':<44}{r['indicators_year_s']:>12}  "
        + verdict("indicators_year_s", r["indicators_year_s"]),
    ]
    if "council" in r:
        lines += [
            f"{'  one council of this database (s)':<44}{r['indicators_one_council_s']:>12}",
            f"{'  that council on its own database (s)':<44}{r['indicators_own_db_s']:>12}",
            f"{'  ratio':<44}{r['council_of_england_ratio']:>12}  "
            + verdict("council_of_england_ratio", r["council_of_england_ratio"]),
        ]
    pd_ = r["pandas"]
    lines += [
        f"{'core measures, engine (s)':<44}{pd_['engine_s']:>12}",
        f"{'core measures, vectorised pandas (s)':<44}{pd_['pandas_s']:>12}",
        f"{'  pandas / engine':<44}{r['pandas_ratio']:>12}  "
        + verdict("pandas_ratio", r["pandas_ratio"], True),
        f"{'database on disk (MB)':<44}{r['db_mb']:>12}",
        f"{'page engine calls (ms)':<28}{'cold':>8}{'warm':>8}",
    ]
    if r.get("page_runs"):
        lines.append(f"  medians of {r['page_runs']['cold']} cold and {r['page_runs']['warm']} warm runs")
    if r.get("pages_note"):
        lines.append(f"  not measured: {r['pages_note']}")
    for key, t in r["pages"].items():
        lines.append(
            f"{'  ' + key:<28}{t['cold_ms']:>8}{t['warm_ms']:>8}  "
            + " ".join(v for v in (verdict("cold_ms", t["cold_ms"]), verdict("warm_ms", t["warm_ms"])) if v)
        )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
