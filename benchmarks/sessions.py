"""Many users at once: simultaneous dashboard sessions, each switching pages and filters.

    python benchmarks/sessions.py [--sessions 20] [--seconds 60] [--db FILE]

Starts `streamlit run app.py` on the bundled data (tests/browser_support.py), opens one
Chromium (/usr/bin/chromium) with one browser context per session (each its own Streamlit
session), and for `--seconds` every session in turn clicks a random page in the sidebar or
opens a random page with random filters in its URL (districts, an age band). A render is timed
from the click (or the navigation) until the page is drawn and settled (its charts drawn, the
script finished). Prints the number of renders, errors (an exception or error box on the page,
or a page not drawn within 60 s), and the median, 95th percentile and slowest render.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.async_api import async_playwright

from analytics import config, datasets, measures
from analytics.filters import AGE_BANDS
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    EXPECTED_CHARTS,
    EXPECTED_TEXT,
    NAV_TITLES,
    STATE,
    URL_PATHS,
    drawn,
    streamlit_server,
)

ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


async def settled(page, name: str, timeout: float = 60.0, settle: float = 0.4) -> float:
    """As tests/browser_support.wait_page: the time the page's final state was first seen."""
    deadline = time.perf_counter() + timeout
    last, since = None, None
    while time.perf_counter() < deadline:
        s = await page.evaluate(STATE)
        now = time.perf_counter()
        done = drawn(s, EXPECTED_CHARTS[name])
        if done and EXPECTED_TEXT.get(name):
            done = EXPECTED_TEXT[name] in await page.get_by_test_id("stMainBlockContainer").inner_text()
        sig = (s["elements"], s["charts"], s["drawn"], s["text"], s["url"]) if done else None
        if sig is not None and sig == last:
            if now - since >= settle:
                return since
        else:
            last, since = sig, now
        await page.wait_for_timeout(50)
    raise TimeoutError(f"{name} not drawn within {timeout} s")


async def session(browser, url: str, seconds: float, districts: list[str], seed: int, out: dict) -> None:
    rng = random.Random(seed)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    pages = list(NAV_TITLES)
    end = time.perf_counter() + seconds
    current = "overview"
    start = time.perf_counter()
    await page.goto(url)
    while True:
        try:
            out["renders"].append((await settled(page, current)) - start)
            if await page.locator(ERRORS).count():
                out["errors"].append(f"{current}: an error on the page")
        except TimeoutError as exc:
            out["errors"].append(str(exc))
        if time.perf_counter() >= end:
            break
        current = rng.choice([p for p in pages if p != current])
        if rng.random() < 0.3:  # new filters: a shared link opened
            query = [("district", d) for d in rng.sample(districts, rng.randint(0, 2))]
            query += [("age", rng.choice(AGE_BANDS))] if rng.random() < 0.5 else []
            start = time.perf_counter()
            await page.goto(f"{url}/{URL_PATHS[current] or ''}?{urlencode(query)}")
        else:
            link = page.get_by_test_id("stSidebarNav").get_by_text(NAV_TITLES[current], exact=True)
            start = time.perf_counter()
            await link.click()
        await page.wait_for_timeout(30)
    await context.close()


async def main_async(args) -> int:
    with measures.connect(Path(args.db)) as con:
        districts = list(datasets.coverage(con).districts)
    out = {"renders": [], "errors": []}
    with tempfile.TemporaryDirectory() as home, streamlit_server(Path(args.db), Path(home)) as url:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            await asyncio.gather(
                *(session(browser, url, args.seconds, districts, i, out) for i in range(args.sessions))
            )
            await browser.close()
    renders = sorted(out["renders"])
    p95 = renders[max(0, int(round(0.95 * len(renders))) - 1)] if renders else float("nan")
    print(f"{args.sessions} sessions for {args.seconds} s on {args.db}")
    print(f"renders: {len(renders)}; errors: {len(out['errors'])}")
    for e in out["errors"][:10]:
        print(f"  {e}")
    if renders:
        print(
            f"render seconds: median {statistics.median(renders):.2f}, 95th percentile {p95:.2f}, slowest {renders[-1]:.2f}"
        )
    return 0 if not out["errors"] and p95 < 2 else 1


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sessions", type=int, default=20)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--db", default=str(config.BUNDLED_DB))
    return asyncio.run(main_async(p.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
