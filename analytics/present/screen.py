"""A screen computed, suppressed once, then drawn.

1. `releases`: the unsuppressed numbers of every year (and year to date) the screen shows, each
   year whole (`analytics.release`); the scorecard adds its quarters (`quarter_releases`);
2. one pass of disclosure control over all of them (`release.numbers`);
3. the page's headline numbers and the sections of its tab, written from the shown numbers
   only (`analytics.present.sections`), with the audit of every number read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

import duckdb

from analytics import release
from analytics.present.model import Screen, View
from analytics.present.pages import BY_KEY
from analytics.present.sections import Ctx
from analytics.release import Release


def years_of(view: View, key: str) -> list[int]:
    """The full years a page's screen shows (the scorecard also its three complete years)."""
    years = set(view.all_years)
    if key == "overview":
        years |= {view.year - 3, view.year - 2, view.year - 1}
    return sorted(years)


def quarter_ends(year: int) -> list[date]:
    """The ends of the first three quarters of a collection year (Q1 to Q3 year to date)."""
    return [date(year - 1, 6, 30), date(year - 1, 9, 30), date(year - 1, 12, 31)]


def quarters_of(view: View) -> list[date]:
    """The quarter ends of the reference year that the data reaches, before the end of its
    year (or year to date) column."""
    last = view.to_date or date(view.year, 3, 31)
    return [q for q in quarter_ends(view.year) if q < last and (view.as_of is None or q <= view.as_of)]


def quarter_releases(con: duckdb.DuckDBPyConnection, view: View) -> list[Release]:
    """The scorecard's quarters: a year-to-date release at each quarter end `quarters_of` gives."""
    return [
        r
        for q in quarters_of(view)
        for r in release.collect(con, replace(view.filters, as_of=q), [view.year]).values()
    ]


def releases(con: duckdb.DuckDBPyConnection, view: View, years: Iterable[int]) -> list[Release]:
    """The releases of these years under the view's filters, and its year to date if any."""
    out = list(release.collect(con, replace(view.filters, as_of=None), years).values())
    if view.to_date:
        out += release.collect(con, replace(view.filters, as_of=view.to_date), [view.year]).values()
    return out


def shown(rels: Sequence[Release], view: View) -> release.Numbers:
    """The one pass of disclosure control over a page's releases: every tab of the page reads
    the same shown numbers, so a tab switch need not suppress them again (pass it to `page`)."""
    return release.numbers(rels, view.rules)


def page(
    rels: Sequence[Release],
    view: View,
    key: str,
    tab: str | None = None,
    strategy=None,
    benchmarks=None,
    numbers: release.Numbers | None = None,
) -> Screen:
    """The screen of a priority page and one of its tabs (the first when `tab` is not one);
    `numbers`: the page's shown numbers (`shown(rels, view)`), when already computed."""
    spec = BY_KEY[key]
    tab = tab if tab in spec.tabs else next(iter(spec.tabs))
    n = numbers or shown(rels, view)
    ctx = Ctx(release.Numbers(n.releases, n.shown), view, strategy, benchmarks)  # its own audit
    metrics = [m.build(ctx) for m in spec.metrics]
    sections = [s.build(ctx) for s in spec.tabs[tab]]
    return Screen(
        key, tab, metrics, sections, tabs=list(spec.tabs), audit=dict(ctx.n.read), published=ctx.published
    )
