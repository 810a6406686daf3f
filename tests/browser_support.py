"""Start `streamlit run app.py` on a free port and drive Debian's Chromium with Playwright.

Used by the browser test and by `scripts/render_times.py`. Never downloads a browser: it uses
`/usr/bin/chromium` (`apt-get install -y chromium`).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from analytics.present.pages import PAGES

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
URL_PATHS = {p.key: "" if p.key == "overview" else p.key for p in PAGES}  # "" is the default page
NAV_TITLES = {p.key: p.nav for p in PAGES}
STATE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  return {
    state: app ? app.getAttribute('data-test-script-state') : null,
    busy: !!(document.querySelector('[data-testid="stSpinner"]') || document.querySelector('[data-stale="true"]')
             || document.querySelector('[data-testid="stSkeleton"]')),
    elements: document.querySelectorAll('[data-testid="stElementContainer"]').length,
    charts: charts.length,
    drawn: charts.filter(c => c.querySelector('.main-svg')).length,
    text: main ? main.textContent.length : 0,
    url: location.href,
  };
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(db: Path, home: Path, log: Path | None = None) -> Iterator[str]:
    """`streamlit run app.py` (headless, usage statistics off) on a free port: yields its URL."""
    port = free_port()
    env = {**os.environ, "CLA_DB": str(db), "CLA_DASHBOARD_HOME": str(home)}
    env.pop("CLA_ALLOW_UPLOAD", None)
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=REPO,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("streamlit did not start within 60 seconds")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log:
            out.close()


def launch(playwright):
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install -y chromium")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def drawn(s: dict, charts: int) -> bool:
    """A page's state (`STATE`): its script run finished and at least `charts` charts drawn."""
    return (
        s["state"] == "notRunning"
        and not s["busy"]
        and s["text"] > 50
        and s["drawn"] == s["charts"]
        and s["charts"] >= charts
        and s["elements"] > 3
    )


def wait_ready(page, timeout: float = 60.0, settle: float = 0.4, charts: int = 0, text: str = "") -> float:
    """Until the script run has finished and everything it sent is drawn (charts included),
    unchanged for `settle` seconds. Returns the time (time.perf_counter) at which the final
    state was first seen, for timing renders."""
    deadline = time.perf_counter() + timeout
    last, since = None, None
    while time.perf_counter() < deadline:
        s = page.evaluate(STATE)
        now = time.perf_counter()
        done = drawn(s, charts) and (
            not text or text in page.get_by_test_id("stMainBlockContainer").inner_text()
        )
        sig = (s["elements"], s["charts"], s["drawn"], s["text"], s["url"]) if done else None
        if sig is not None and sig == last:
            if now - since >= settle:
                return since
        else:
            last, since = sig, now
        page.wait_for_timeout(50)
    raise TimeoutError(f"the page did not settle within {timeout} s: {page.evaluate(STATE)}")


def screenshot(page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its main block, so grow the viewport to fit."""
    size = page.viewport_size
    height = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMainBlockContainer\"]').scrollHeight"
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 120, 16000)})
    page.wait_for_timeout(600)
    wait_ready(page, settle=0.2)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


def choose_district(page, district: str) -> None:
    """Pick a district in the sidebar's multiselect, as a person would."""
    sidebar = page.get_by_test_id("stSidebar")
    box = sidebar.get_by_test_id("stMultiSelect").filter(has_text="Postcode districts")
    box.click()
    page.get_by_role("option", name=district, exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_function("(d) => new URLSearchParams(location.search).get('district') === d", arg=district)
    wait_ready(page)


# a page is drawn when the charts of its first tab are (the scorecard and the data page: text)
EXPECTED_CHARTS = {p.key: len(next(iter(p.tabs.values()))) if p.tabs else 0 for p in PAGES}
EXPECTED_TEXT = {
    "overview": "RAG",
    "data": "Definitions",
    "what_if": "Care leavers ahead",
    "action_plan": "Every action, by priority",
}


def wait_page(page, name: str, timeout: float = 60.0) -> float:
    """wait_ready for one of the dashboard's pages: its charts or its table drawn."""
    return wait_ready(page, timeout, charts=EXPECTED_CHARTS[name], text=EXPECTED_TEXT.get(name, ""))


def go_to(page, name: str) -> float:
    """Switch page with the sidebar navigation (a warm rerun, not a new session): the seconds
    from the click until the page is drawn."""
    link = page.get_by_test_id("stSidebarNav").get_by_text(NAV_TITLES[name], exact=True)
    start = time.perf_counter()
    link.click()
    page.wait_for_function(
        "(p) => location.pathname.replace(/\\/$/, '').endsWith(p)",
        arg="/" + (URL_PATHS[name] or ""),
    ) if URL_PATHS[name] else None
    page.wait_for_timeout(30)
    return wait_page(page, name) - start
