"""`python -m analytics forecast`: the projection as JSON, or the backtest."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from analytics import config, measures
from analytics.filters import AGE_BANDS, FilterError, Filters
from analytics.forecast import cost
from analytics.forecast.model import Scenario, backtest, fit, load_history, project, read_scenario
from analytics.forecast.report import projection_json


def _scenario(args: argparse.Namespace, con) -> Scenario:
    if args.scenario:
        try:
            text = Path(args.scenario).read_text(encoding="utf-8")
        except (OSError, ValueError) as exc:
            raise FilterError(f"{args.scenario}: cannot be read ({exc})") from None
        return read_scenario(args.scenario, text)
    districts = list(args.district or ())
    if args.locality:
        rows = con.execute(
            "SELECT district FROM localities WHERE list_contains($names, locality)", {"names": args.locality}
        ).fetchall()
        if not rows:
            raise FilterError(f"no district is in the localities {args.locality}")
        districts += [r[0] for r in rows]
    return Scenario(
        name="Command line",
        starts_change=args.starts_change or 0.0,
        districts=tuple(districts),
        age_bands=tuple(args.age_band or ()),
    )


def cmd_forecast(args: argparse.Namespace) -> int:
    db = Path(args.db) if args.db else config.default_db()
    with measures.connect(db) as con:
        history = load_history(con, Filters(2000, council=args.council))
        scenario = _scenario(args, con)
    if args.backtest:
        t = time.perf_counter()
        b = backtest(history, args.origin, args.horizon)
        seconds = time.perf_counter() - t
        print(
            f"Backtest: fitted on 31 March {history.years[0]} to {args.origin}, projected {len(b['years'])} years ({seconds:.2f} s)"
        )
        print("31 March  band           projected  actual")
        for y in b["years"]:
            for band in AGE_BANDS:
                print(
                    f"{y}      {band:<14} {b['projected'].loc[y, band]:9.1f}  {b['actual'].loc[y, band]:6d}"
                )
            total, actual = b["projected"].loc[y].sum(), b["actual"].loc[y].sum()
            print(
                f"{y}      {'All':<14} {total:9.1f}  {actual:6d}  ({(total - actual) / actual * 100:+.1f}%)"
            )
        print(f"MAPE {b['mape']:.1f}%")
        return 0
    model = fit(history)
    costs = cost.unit_costs()
    payload = {
        "origin": model.origin,
        "note": "expected children (model output), not counts of real children",
    }
    payload["projection"] = projection_json(project(model, args.horizon), costs)
    if not scenario.is_baseline:
        payload["scenario"] = scenario.to_json() | {
            "projection": projection_json(project(model, args.horizon, scenario), costs)
        }
    json.dump(payload, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "forecast", help="project children looked after and cost, or backtest the projection"
    )
    p.add_argument("--db", help="database file (default: the private data folder)")
    p.add_argument("--council", help="upper-tier local-authority code, e.g. E06000002")
    p.add_argument("--horizon", type=int, default=3, help="years ahead (1 to 10; default 3)")
    p.add_argument("--json", action="store_true", help="print the projection as JSON (the default output)")
    p.add_argument(
        "--backtest", action="store_true", help="fit up to --origin and compare with what happened"
    )
    p.add_argument("--origin", type=int, help="the backtest's last year of fitting, e.g. 2019")
    p.add_argument("--starts-change", type=float, help="scenario: change starts by this percent, e.g. -20")
    p.add_argument(
        "--district", action="append", help="scenario: change starts in this district only (repeatable)"
    )
    p.add_argument(
        "--locality", action="append", help="scenario: change starts in this locality only (repeatable)"
    )
    p.add_argument(
        "--age-band", action="append", choices=AGE_BANDS, help="scenario: in this age band only (repeatable)"
    )
    p.add_argument("--scenario", help="a scenario saved as JSON (Scenario.to_json)")
    p.set_defaults(run=cmd_forecast)
