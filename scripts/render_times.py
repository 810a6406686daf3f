"""Warm page renders in a real browser, with filters set: the median of 5 per page.

    python scripts/render_times.py [--db FILE] [--district TS1 --district TS3] [--age-band "10 to 15"]

Starts `streamlit run app.py` (headless, usage statistics off) on a free port, opens the
dashboard in Debian's Chromium (/usr/bin/chromium) with the filters in the URL, visits every
page once to fill the caches, then times each page 5 times: from the click on its link in the
sidebar to the moment its content (charts included) is drawn and settled. Prints one line per
page and the slowest median. The target is under 1 second on the bundled data.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from analytics import config
from tests.browser_support import NAV_TITLES, go_to, launch, streamlit_server, wait_page


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--db", default=str(config.BUNDLED_DB), help="database (default: the bundled synthetic council)"
    )
    p.add_argument("--district", action="append", default=None, help="postcode district filter (repeatable)")
    p.add_argument("--age-band", action="append", default=None)
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    districts = args.district or ["TS1", "TS3"]
    query = [("district", d) for d in districts]  # repeated parameters, as the sidebar binds them
    if args.age_band:
        query += [("age", a) for a in args.age_band]
    pages = list(NAV_TITLES)
    with (
        tempfile.TemporaryDirectory() as home,
        streamlit_server(Path(args.db), Path(home)) as url,
        sync_playwright() as pw,
    ):
        browser = launch(pw)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{url}/?{urlencode(query)}")
        wait_page(page, "overview")
        for name in pages[1:] + pages[:1]:  # warm: every page once
            go_to(page, name)
        print(f"database: {args.db}")
        print(f"filters: {query}; median of {args.runs} warm renders (click to drawn), seconds")
        medians = {}
        for name in pages:
            times = []
            for _ in range(args.runs):
                go_to(page, "data" if name != "data" else "overview")
                times.append(go_to(page, name))
            medians[name] = statistics.median(times)
            print(
                f"  {NAV_TITLES[name]:<24} median {medians[name]:.2f}  (runs: {', '.join(f'{t:.2f}' for t in times)})"
            )
        assert "district=" in page.url, page.url
        browser.close()
    worst = max(medians, key=medians.get)
    print(f"slowest: {NAV_TITLES[worst]} {medians[worst]:.2f} s (target under 1 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
