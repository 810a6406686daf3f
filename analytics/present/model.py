"""The view model: what a screen shows, after disclosure control, before anything is drawn.

A `Screen` is headline `Metric`s and `Section`s ("chart + table + download + notes"). Every
number in them is a shown value (a number, "c" or None) read from `analytics.release.Numbers`;
`Screen.audit` lists each of those numbers by its key, so tests can prove what a screen shows.
A `Chart` is the recipe of a Plotly figure (`analytics.charts`), drawn only when asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go

from analytics import charts, safe_csv
from analytics.disclosure import ON, Rules
from analytics.filters import Filters


@dataclass(frozen=True)
class View:
    """Everything a page's numbers depend on (hashable: caches key on it)."""

    filters: Filters
    years: tuple[int, ...]  # the years of the trends, in order
    suppress: bool = True
    synthetic: bool = False
    as_of: date | None = None  # the last complete month end in the data
    compare: bool = False  # the trends add England's, the region's and the neighbours' lines

    @property
    def year(self) -> int:
        return self.filters.year

    @property
    def all_years(self) -> list[int]:
        return sorted({*self.years, self.filters.year})

    @property
    def rules(self) -> Rules:
        return ON if self.suppress else Rules.off()

    @property
    def to_date(self) -> date | None:
        """The as-of date when it falls inside the reference year before its end (a year to
        date), else None."""
        start, end = date(self.year - 1, 4, 1), date(self.year, 3, 31)
        if self.as_of and start <= self.as_of < end:
            return self.as_of
        return None

    @property
    def part_of_council(self) -> bool:
        """Does a filter show part of the council (so council targets and England do not apply)?"""
        return bool(self.filters.as_json())


@dataclass
class Metric:
    label: str
    value: str
    detail: str = ""
    help: str = ""


@dataclass
class Chart:
    """A figure's recipe: `analytics.charts.<kind>(table, **options)`."""

    kind: str  # "trend_line", "bars" or "heatmap"
    table: pd.DataFrame  # shown values only
    options: dict

    @cached_property
    def figure(self) -> go.Figure:
        return getattr(charts, self.kind)(self.table, **self.options)

    def texts(self) -> list[str]:
        """Every text the figure carries: title, footnote, labels and hover text."""
        out = [self.options.get("title", ""), self.options.get("footnote", "")]
        for name in ("labels", "hover"):
            out += [str(t) for t in self.options.get(name) or []]
        return out


@dataclass
class Section:
    key: str
    title: str
    chart: Chart | None
    table: pd.DataFrame  # as shown: hidden numbers are "c"; also the CSV download
    footnote: str

    def csv(self) -> str:
        return safe_csv.to_csv(self.table)

    @property
    def figure(self) -> go.Figure | None:
        return self.chart.figure if self.chart else None


@dataclass
class Screen:
    """One screen: a page with its filters and tab (or the scorecard)."""

    page: str
    tab: str | None
    metrics: list[Metric] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tabs: list[str] = field(default_factory=list)
    audit: dict = field(default_factory=dict)  # {release Key: shown value} of every number read
    published: list[float] = field(default_factory=list)  # targets and England figures shown

    def texts(self) -> list[str]:
        """Every text of the screen: metrics, titles, chart texts, table cells, notes."""
        out = [t for m in self.metrics for t in (m.label, m.value, m.detail)]
        out += self.notes
        for s in self.sections:
            out += [s.title, s.footnote]
            out += s.chart.texts() if s.chart else []
            out += [str(v) for v in s.table.astype(str).to_numpy().ravel()] if len(s.table) else []
        return out
