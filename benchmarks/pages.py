"""Each dashboard page's full set of engine calls, as `ui.py` and the page scripts make them
(without Streamlit and without its caches): what a page costs the engine on a first visit.

`PAGE_CALLS[key](con, view)` runs them for the page of that key (analytics/present/pages.py);
`default_view(con)` is the view a first visit opens (the latest year, the last ten years'
trends, no filters, disclosure control on).
"""

from __future__ import annotations

from collections.abc import Callable

from analytics import comparators, datasets, plan, release
from analytics.filters import Filters
from analytics.forecast import Scenario, cost
from analytics.forecast import report as forecast_report
from analytics.present import action_plan, reference, scorecard, screen
from analytics.present.model import View
from analytics.present.pages import BY_KEY, PAGES
from analytics.strategy import load_comparators, load_strategy

TREND_YEARS = 10  # as ui.TREND_YEARS


def default_view(con) -> View:
    cov = datasets.coverage(con)
    years = cov.years
    first = max(years[0], years[-1] - TREND_YEARS + 1)
    return View(Filters(years[-1]), tuple(range(first, years[-1] + 1)), True, cov.synthetic, cov.as_of)


def _frame(con, view: View):
    """What every page asks first: the coverage (sidebar), the settings and the benchmarks."""
    datasets.coverage(con)
    return load_strategy(), comparators.of(con, load_comparators())


def _priority(key: str) -> Callable:
    def calls(con, view: View) -> None:
        strategy, bench = _frame(con, view)
        rels = screen.releases(con, view, screen.years_of(view, key))
        numbers = screen.shown(rels, view)  # one disclosure pass for the page, as ui.page_screen
        for tab in BY_KEY[key].tabs:  # every tab: the user switches between them
            screen.page(rels, view, key, tab, strategy, bench, numbers)

    return calls


def _overview(con, view: View) -> None:
    strategy, bench = _frame(con, view)
    rels = screen.releases(con, view, screen.years_of(view, "overview"))
    scorecard.build([*rels, *screen.quarter_releases(con, view)], view, strategy, bench)


def _action_plan(con, view: View) -> None:
    strategy, bench = _frame(con, view)
    rels = screen.releases(con, view, screen.years_of(view, "action_plan"))
    action_plan.build(rels, view, strategy, bench, plan.load_plan())


def _what_if(con, view: View) -> None:
    _frame(con, view)
    years = datasets.coverage(con).years
    f = view.filters
    area = Filters(f.year, council=f.council, districts=f.districts, localities=f.localities)
    costs = dict(zip(cost.sources()["group"], cost.sources()["weekly_cost"].astype(float)))
    origin = years[-4] if len(years) > 4 else years[-1]
    forecast_report.build(con, area, Scenario("Scenario"), 3, costs, origin)


def _data(con, view: View) -> None:
    _, bench = _frame(con, view)
    datasets.loads_table(con)
    datasets.validation_summary(con)
    datasets.quarantine_summary(con)
    reference.published_files(bench)
    years = sorted({*bench.published.values.year.astype(int)} & set(datasets.coverage(con).years))
    if years and bench.la_code:
        whole = View(Filters(view.year), tuple(years), view.suppress, view.synthetic)
        rels = screen.releases(con, whole, years)
        reference.own_against_published(release.numbers(rels, whole.rules), bench, years)


_OWN_SCRIPTS = {"overview": _overview, "action_plan": _action_plan, "what_if": _what_if, "data": _data}
PAGE_CALLS: dict[str, Callable] = {p.key: _OWN_SCRIPTS.get(p.key) or _priority(p.key) for p in PAGES}
