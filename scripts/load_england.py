"""Load an England-scale synthetic run into one database, each council under its own code.

    python scripts/load_england.py /tmp/eng /tmp/england.duckdb

Calls the engine's `load` once per council folder (`DIR/<council code>/<year>/...`), exactly as
`python -m analytics load DIR/<code>/2006 ... DIR/<code>/2025 --la-code <code> --db DB` would,
flagged synthetic, with the demo salt. Prints the time per council and in total.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analytics import config
from analytics.ingest import load_returns


def main(root: str, db: str) -> None:
    base, dbp = Path(root), Path(db)
    t0 = time.time()
    councils = sorted(p for p in base.iterdir() if p.is_dir())
    for i, council in enumerate(councils, 1):
        t = time.time()
        years = sorted(p for p in council.iterdir() if p.is_dir())
        result = load_returns(years, dbp, config.DEMO_SALT, la_code=council.name, synthetic=True)
        if not result.ok:
            raise SystemExit(f"{council.name}: refused\n{result.summary_text()}")
        print(
            f"{i}/{len(councils)} {council.name} {time.time() - t:.1f}s "
            f"(total {time.time() - t0:.0f}s, db {dbp.stat().st_size / 1e6:.0f} MB)",
            flush=True,
        )
    print(f"loaded {len(councils)} councils in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
