"""The dashboard in a real browser: `streamlit run app.py` driven by Debian's Chromium.

Visits every page (a screenshot of each under tests/output/), changes the district filter,
checks the URL carries it across a page switch, and opens that URL in a fresh browser context
to see the same view. Uses the bundled synthetic database when it exists, else the seeded
test cohort.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from analytics import config
from analytics.strategy import load_strategy
from tests.browser_support import (
    REPO,
    URL_PATHS,
    choose_district,
    go_to,
    launch,
    screenshot,
    streamlit_server,
    wait_page,
)

playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install -r requirements-test.txt")
OUTPUT = REPO / "tests" / "output"


@pytest.fixture(scope="module")
def server(cohort_db, tmp_path_factory):
    db = config.BUNDLED_DB if config.BUNDLED_DB.exists() else cohort_db
    home = tmp_path_factory.mktemp("browser_home")
    with streamlit_server(db, home, log=tmp_path_factory.mktemp("log") / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def visible_text(page) -> str:
    return page.get_by_test_id("stMainBlockContainer").inner_text()


def test_a_link_to_a_page_opens_it_in_a_fresh_process(cohort_db, browser, tmp_path):
    """The first request a new server gets is for a page's own URL, with filters (Streamlit's
    legacy pages/ discovery is still on in that first run)."""
    db = config.BUNDLED_DB if config.BUNDLED_DB.exists() else cohort_db
    with streamlit_server(db, tmp_path, log=tmp_path / "streamlit.log") as url:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{url}/reduce?district=TS1&district=TS3")
        wait_page(page, "reduce")
        assert page.locator('[data-testid="stException"]').count() == 0
        text = visible_text(page)
        assert load_strategy().page("reduce").title in text
        assert "districts: TS1, TS3" in text
        nav = page.get_by_test_id("stSidebarNav").inner_text()
        assert "1. Reduce numbers" in nav and "Overview: scorecard" in nav, nav  # the router's
        screenshot(page, OUTPUT / "reduce_first_request.png")
        page.close()


def test_every_page_draws_and_is_saved(server, browser):
    strategy = load_strategy()
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    for name, path in URL_PATHS.items():
        page.goto(f"{server}/{path}")
        wait_page(page, name)
        text = visible_text(page)
        assert page.locator('[data-testid="stException"]').count() == 0, name
        assert strategy.page(name).title in text, name
        assert "Synthetic data" in text or "synthetic" not in text.lower()
        if name not in ("overview", "data"):
            assert page.locator('[data-testid="stPlotlyChart"] .main-svg').count() >= 2, name
        screenshot(page, OUTPUT / f"{name}.png")
    page.close()


def test_district_filter_lives_in_the_url_and_is_shared(server, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{server}/")
    wait_page(page, "overview")
    choose_district(page, "TS3")
    assert parse_qs(urlparse(page.url).query).get("district") == ["TS3"]

    go_to(page, "stability")
    assert urlparse(page.url).path.endswith("/stability")
    query = parse_qs(urlparse(page.url).query)
    assert query.get("district") == ["TS3"], page.url
    assert not any(k in query for k in ("suppress", "disclosure"))
    text = visible_text(page)
    assert "districts: TS3" in text
    metrics = page.get_by_test_id("stMetricValue").all_inner_texts()
    shared = page.url
    screenshot(page, OUTPUT / "stability_TS3.png")
    context.close()

    fresh = browser.new_context(viewport={"width": 1440, "height": 900})
    other = fresh.new_page()
    other.goto(shared)
    wait_page(other, "stability")
    assert "districts: TS3" in visible_text(other)
    assert other.get_by_test_id("stMetricValue").all_inner_texts() == metrics
    assert "TS3" in other.get_by_test_id("stSidebar").inner_text()
    fresh.close()
