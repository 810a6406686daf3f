"""The reusable sections of a page ("chart + table + download + notes"), built from shown numbers.

Each section is a small declaration (`Trend("starts")`, `Bars("starts", "legal_status", ...)`)
that a page lists (`analytics.present.pages`); `build(ctx)` reads the shown numbers of the
screen (`ctx.n`, an `analytics.release.Numbers`) and writes the title, the chart's recipe, the
table and the footnote. Nothing here hides, sums or compares a hidden number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from analytics.comparators.standing import whole
from analytics.disclosure import SUPPRESSED
from analytics.filters import AGE_BANDS
from analytics.labels import BREAKDOWN_NAMES, label
from analytics.measures.registry import MEASURES
from analytics.measures.units import COUNT, RATE
from analytics.present import findings
from analytics.present.formats import cap, fmt, is_number, n_of_d, year_label
from analytics.present.model import Chart, Metric, Section, View
from analytics.release import Numbers

if TYPE_CHECKING:
    from analytics.comparators import Benchmarks
    from analytics.strategy import Strategy

SOURCE = "Source: the council's SSDA903 returns"
PUBLISHED_NOTE = "England, region and neighbours: DfE's published figures (Open Government Licence v3.0)."
TOTAL = "Total"


@dataclass
class Ctx:
    """What a section is built from: the screen's shown numbers, its view and settings."""

    n: Numbers
    view: View
    strategy: Strategy | None = None
    benchmarks: Benchmarks | None = None
    published: list[float] = field(default_factory=list)  # targets and comparators drawn

    def source(self) -> str:
        return SOURCE + (" (synthetic data: no real child)" if self.view.synthetic else "") + "."

    def footnote(self, mid: str, extra: str = "") -> str:
        m = MEASURES[mid]
        old = f" ({m.old_name})" if m.old_name else ""
        return f"{m.title}{old}: {m.definition} {extra}{self.source()}".replace("  ", " ")

    def x_labels(self) -> dict[int, str]:
        return {y: year_label(y) for y in self.view.years}

    def england(self, mid: str) -> dict[int, float]:
        """England's published figures for the trend years (none for part of the council)."""
        return self.comparator("england", mid)

    def comparator(self, which: str, mid: str) -> dict[int, float]:
        """England's, the region's or the neighbours' published figures for the trend years."""
        if self.view.part_of_council or self.benchmarks is None:
            return {}
        return self._published(self.benchmarks.series(which, mid, self.view.years))

    def references(self, mid: str, name: str = "") -> dict[str, dict[int, float]]:
        """The dashed lines of a trend: the target, England and, when asked for, the region and
        the statistical neighbours (each named; `name` tells several measures apart). A count
        has its target only: England's or another council's count is of another size (the
        scorecard sets them side by side)."""
        suffix = f": {name.lower()}" if name else ""
        lines = {} if name else {"Target": self.target(mid)}
        if MEASURES[mid].unit.is_count:
            return {k: v for k, v in lines.items() if v}
        lines[f"England{suffix}"] = self.england(mid)
        if self.view.compare and self.benchmarks is not None:
            lines[f"Region ({self.benchmarks.region_name}){suffix}"] = self.comparator("region", mid)
            lines[f"Neighbours' average{suffix}"] = self.comparator("neighbours", mid)
        return {k: v for k, v in lines.items() if v}

    def target(self, mid: str) -> dict[int, float]:
        """The strategy's target by year (a locality's own; none for other parts)."""
        t = self.strategy.targets.get(mid) if self.strategy else None
        f = self.view.filters
        if not t or f.districts or f.age_bands or f.sexes:
            return {}
        points = {y: t.for_year(y, f.localities) for y in self.view.years}
        return self._published({y: v for y, v in points.items() if v is not None})

    def _published(self, points: dict[int, float]) -> dict[int, float]:
        self.published += list(points.values())
        return points


# --- rows of shown numbers ------------------------------------------------------------------


def axis_title(mid: str) -> str:
    """What a measure's values are, for a chart's axis: its unit's, or what it counts."""
    m = MEASURES[mid]
    return m.unit.axis_title if m.counts == "children" else cap(m.counts)


def headline_row(ctx: Ctx, mid: str, year: int) -> dict:
    """One year of a measure, as shown, in the columns its unit has."""
    unit = MEASURES[mid].unit
    h = ctx.n.headline(mid, year)
    if unit.is_count:
        return {"year": year, "count": h["numerator"], "value": h["numerator"]}
    if unit.is_mean:
        return {"year": year, "children": h["denominator"], "value": h["value"]}
    if not unit.denominator_is_children:
        return {
            "year": year,
            "numerator": h["numerator"],
            "population": h["denominator"],
            "value": h["value"],
        }
    return {"year": year, "numerator": h["numerator"], "denominator": h["denominator"], "value": h["value"]}


def hover(mid: str, row: dict) -> str:
    """'9.3% (42 of 453)': the value with its numerator and denominator, as shown."""
    unit = MEASURES[mid].unit
    value = fmt(row["value"], unit)
    if unit.is_count:
        return value
    if unit.is_mean:
        return unit.detail(value, "", fmt(row["children"]))
    den = row.get("denominator", row.get("population"))
    return unit.detail(value, fmt(row["numerator"]), fmt(den))


def _frame(rows: list[dict]) -> pd.DataFrame:
    """A table whose number columns keep Python ints, "c" and None (no float conversion)."""
    return (
        pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype=object) for c in rows[0]})
        if rows
        else pd.DataFrame()
    )


def _with_period(rows: list[dict]) -> list[dict]:
    return [{"period": year_label(r["year"]), **r} for r in rows]


# --- sections -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    """One measure over the trend years: a line, its target and England, and its table."""

    mid: str
    name: str | None = None

    @property
    def key(self) -> str:
        return self.mid

    def build(self, ctx: Ctx) -> Section:
        m, view = MEASURES[self.mid], ctx.view
        rows = [headline_row(ctx, self.mid, y) for y in view.years]
        refs = ctx.references(self.mid)
        now = headline_row(ctx, self.mid, view.year)
        before = headline_row(ctx, self.mid, view.year - 1) if view.year - 1 in view.years else {}
        title = findings.trend(self.name or m.title, self.mid, view.year, now, before)
        table = _frame(
            [{**r, **{k: pts.get(r["year"]) for k, pts in refs.items()}} for r in _with_period(rows)]
        )
        published = PUBLISHED_NOTE if any(k != "Target" for k in refs) else ""
        return _section(
            self.key,
            title,
            ctx.footnote(self.mid, published + " " if published else ""),
            table,
            "trend_line",
            x="year",
            y="value",
            labels=[fmt(r["value"], m.unit) for r in rows],
            hover=[hover(self.mid, r) for r in rows],
            y_title=axis_title(self.mid),
            references=refs,
            percent=m.unit.percent,
            x_labels=ctx.x_labels(),
            label_points="last" if refs else "all",
        )


SERIES_NAMES = {  # a measure's name as a line among others
    "cla_rate_per_10k": "Looked after",
    "starts_rate_per_10k": "Starts",
    "placed_outside_la": "Outside the council",
    "placed_over_20_miles": "Over 20 miles",
    "adoption_entry_to_placed_days": "To moving in with adopters",
    "adoption_entry_to_order_days": "To the adoption order",
    "care_leavers_17_18_eet": "In EET",
    "care_leavers_17_18_suitable_accommodation": "In suitable accommodation",
    "care_leavers_19_21_in_touch": "In touch",
    "care_leavers_19_21_with_former_foster_carers": "With former foster carers",
}


@dataclass(frozen=True)
class Trends:
    """Several measures of the same unit over the years, one line each; the title is the
    finding `finding(year, *values)` of their values in the reference year."""

    key: str
    finding: Callable[..., str]
    ids: tuple[str, ...]

    def build(self, ctx: Ctx) -> Section:
        view = ctx.view
        unit = MEASURES[self.ids[0]].unit
        rows, labels, hovers, refs = [], [], [], {}
        for mid in self.ids:
            name = SERIES_NAMES[mid]
            for r in _with_period([headline_row(ctx, mid, y) for y in view.years]):
                rows.append({"measure": name, **r})
                labels.append(fmt(r["value"], unit))
                hovers.append(f"{name}: {hover(mid, r)}")
            refs |= ctx.references(mid, name)
        notes = " ".join(f"{MEASURES[m].title}: {MEASURES[m].definition}" for m in self.ids)
        foot = f"{notes} {ctx.source()}"
        title = self.finding(view.year, *(ctx.n.headline(mid, view.year)["value"] for mid in self.ids))
        return _section(
            self.key,
            title,
            foot,
            _frame(rows),
            "trend_line",
            x="year",
            y="value",
            labels=labels,
            hover=hovers,
            series="measure",
            y_title=unit.axis_title,
            references=refs,
            percent=unit.percent,
            x_labels=ctx.x_labels(),
            label_points="last",
        )


def _ordered_categories(ctx: Ctx, mid: str, dim: str, years) -> list:
    cats = ctx.n.categories(mid, dim, years)
    if dim == "age_band" and mid != "ceased":
        cats = [c for c in AGE_BANDS if c in cats] + [c for c in cats if c not in AGE_BANDS]
    return cats


def _section(
    key: str, title: str, foot: str, table: pd.DataFrame, kind: str, drawn=None, **options
) -> Section:
    """A section: its chart (of `drawn`, else of the table) titled and footnoted, and its table."""
    chart = Chart(kind, table if drawn is None else drawn, {"title": title, "footnote": foot, **options})
    return Section(key, title, chart, table, foot)


def _count_lines(
    ctx: Ctx, key: str, title: str, foot: str, table: pd.DataFrame, series: str | None = None
) -> Section:
    """Counts of children over the trend years, a line (per `series`), each point labelled."""
    labels = [fmt(v) for v in table["count"]]
    options = {"series": series, "label_points": "last"} if series else {}
    return _section(
        key,
        title,
        foot,
        table,
        "trend_line",
        x="year",
        y="count",
        labels=labels,
        hover=labels,
        y_title="Children",
        x_labels=ctx.x_labels(),
        **options,
    )


def _side_by_side(key, title, foot, table, drawn: pd.DataFrame, category: str, colour_by: str) -> Section:
    """Counts of children as upright bars, side by side by `colour_by`, per `category`."""
    labels = [fmt(v) for v in drawn["count"]]
    return _section(
        key,
        title,
        foot,
        table,
        "bars",
        drawn=drawn,
        category=category,
        value="count",
        labels=labels,
        value_title="Children",
        colour_by=colour_by,
        horizontal=False,
    )


def _empty(ctx: Ctx, key: str, title: str, mid: str) -> Section:
    return Section(key, title, None, pd.DataFrame(), ctx.footnote(mid))


@dataclass(frozen=True)
class Grid:
    """A category x year grid of a count breakdown (a heatmap with the number in each cell)."""

    mid: str
    dim: str
    key: str
    what: str

    def build(self, ctx: Ctx) -> Section:
        cats = _ordered_categories(ctx, self.mid, self.dim, ctx.view.years)
        if not cats:
            name = BREAKDOWN_NAMES.get(self.dim, self.dim)
            return _empty(ctx, self.key, f"No {self.what} by {name} in these years", self.mid)
        view = ctx.view
        rows = [
            {
                "period": year_label(y),
                "year": y,
                self.dim: label(self.dim, c),
                "count": ctx.n.count(self.mid, self.dim, c, y),
            }
            for y in view.years
            for c in cats
        ]
        now = [(c, r["count"]) for c, r in zip(cats, [r for r in rows if r["year"] == view.year])]
        title = findings.grid(self.what, self.dim, view.year, view.years[0], view.years[-1], now)
        table = _frame(rows)
        return _section(
            self.key,
            title,
            ctx.footnote(self.mid),
            table,
            "heatmap",
            x="period",
            y=self.dim,
            value="count",
            labels=[fmt(r["count"]) for r in rows],
            value_title="Children",
        )


@dataclass(frozen=True)
class CategoryTrend:
    """One category of a count breakdown over the years."""

    mid: str
    dim: str
    category: str
    key: str
    name: str

    def build(self, ctx: Ctx) -> Section:
        view = ctx.view
        counts = {y: ctx.n.count(self.mid, self.dim, self.category, y) for y in view.all_years}
        before = counts[view.year - 1] if view.year - 1 in view.years else None
        rows = [
            {"period": year_label(y), "year": y, self.dim: self.category, "count": counts[y]}
            for y in view.years
        ]
        title = findings.category(self.name, view.year, counts[view.year], before)
        foot = ctx.footnote(self.mid, f"Here: {label(self.dim, self.category).lower()} only.")
        return _count_lines(ctx, self.key, title, foot, _frame(rows))


@dataclass(frozen=True)
class Bars:
    """One year's breakdown as bars: the children in each category, or the share (`share`)."""

    mid: str
    dim: str
    key: str
    what: str
    sort: bool = True
    highlight: tuple[str, ...] = ()
    share: bool = False
    when: str | None = None  # e.g. "31 March {year}"
    upright: bool = False  # bars standing in category order (months), not lying by size

    def build(self, ctx: Ctx) -> Section:
        y = ctx.view.year
        unit = MEASURES[self.mid].unit
        when = (self.when or "").format(year=y) or year_label(y)
        cats = _ordered_categories(ctx, self.mid, self.dim, [y])
        reason = ctx.n.reason(self.mid, y)
        if reason or not cats:
            return _empty(ctx, self.key, f"{cap(self.what)}, {when}: {reason or 'no children'}", self.mid)
        column = "count" if unit.is_count else ("share" if self.share else "denominator")
        h = ctx.n.headline(self.mid, y)
        total = h["numerator"] if unit.is_count else h["denominator"]
        rows = []
        for c in cats:
            cell = ctx.n.cell(self.mid, self.dim, c, y)
            if unit.is_count:
                row = {"count": cell["numerator"]}
            else:
                row = {
                    "numerator": cell["numerator"],
                    "denominator": cell["denominator"],
                    "share": cell["value"],
                }
            rows.append({"category": label(self.dim, c), **row, "of_total": cell["of_total"], "total": total})
        if self.sort:
            rows.sort(key=lambda r: -(r[column] if isinstance(r[column], int | float) else -1))
        title = findings.bars(self.what, when, rows, column, self.share)
        fmt_unit = MEASURES[self.mid].unit if self.share else COUNT
        labels = [fmt(r[column], fmt_unit) for r in rows]
        if unit.is_count:
            total_row = {"category": TOTAL, "count": total}
        elif all(r["denominator"] == h["denominator"] for r in rows):  # the cells share it out
            total_row = {"category": TOTAL, "numerator": h["denominator"], "denominator": h["denominator"]}
        else:
            total_row = {
                "category": TOTAL,
                "numerator": h["numerator"],
                "denominator": h["denominator"],
                "share": h["value"],
            }
        name = BREAKDOWN_NAMES.get(self.dim, self.dim)
        table = _frame(
            [
                {
                    "period": year_label(y),
                    name: r["category"],
                    **{k: v for k, v in r.items() if k not in ("category", "of_total", "total")},
                }
                for r in [*rows, total_row]
            ]
        )
        return _section(
            self.key,
            title,
            ctx.footnote(self.mid),
            table,
            "bars",
            drawn=_frame(rows),
            category="category",
            value=column,
            labels=labels,
            value_title="Per cent" if self.share else axis_title(self.mid),
            percent=self.share,
            highlight=[label(self.dim, h) for h in self.highlight],
            horizontal=not self.upright,
        )


@dataclass(frozen=True)
class FosterProviders:
    """Foster children at 31 March by age band: purchased (private or voluntary) against in-house
    or another council, 10-15 in focus: a cross-tab with its margins."""

    key: str = "in_house_vs_purchased"
    mid: str = "purchased_foster_share"
    purchased: str = "Purchased (private or voluntary)"
    in_house: str = "In-house or another council"

    def build(self, ctx: Ctx) -> Section:
        y = ctx.view.year
        cells = {band: ctx.n.cell(self.mid, "age_band", band, y) for band in AGE_BANDS}
        h = ctx.n.headline(self.mid, y)
        if ctx.n.reason(self.mid, y):
            return _empty(ctx, self.key, "Foster care by provider and age band: no figures", self.mid)
        h["rest"] = ctx.n.get(ctx.n.release(y).key(self.mid, "rest"))
        body, table = [], []
        for band, cell in [*cells.items(), (TOTAL, h)]:
            for provision, part in (
                (self.purchased, "numerator"),
                (self.in_house, "rest"),
                (TOTAL, "denominator"),
            ):
                row = {"period": year_label(y), "age_band": band, "provision": provision, "count": cell[part]}
                table.append(row)
                if band != TOTAL and provision != TOTAL:
                    body.append(row)
        title = findings.foster_providers(cells["10 to 15"], y)
        foot = ctx.footnote(self.mid)
        return _side_by_side(self.key, title, foot, _frame(table), _frame(body), "age_band", "provision")


@dataclass(frozen=True)
class Orders:
    """Adoptions, special guardianship and child arrangements orders per year (counts)."""

    key: str = "orders"
    names: tuple[tuple[str, str], ...] = (
        ("adopted", "Adoption"),
        ("sgo", "Special guardianship order"),
        ("cao", "Child arrangements order"),
    )

    def build(self, ctx: Ctx) -> Section:
        view = ctx.view
        rows = [
            {"route": name, "period": year_label(y), "year": y, "count": ctx.n.headline(mid, y)["numerator"]}
            for mid, name in self.names
            for y in view.years
        ]
        now = {mid: ctx.n.headline(mid, view.year)["numerator"] for mid, _ in self.names}
        title = findings.orders(view.year, now)
        foot = (
            "Children ceasing to be looked after adopted (E11, E12), on a special guardianship order "
            f"(E43-E48) or a child arrangements order (E41). {ctx.source()}"
        )
        return _count_lines(ctx, self.key, title, foot, _frame(rows), series="route")


@dataclass(frozen=True)
class Months:
    """Starts and ceased per month of the reference year, to the last complete month."""

    key: str = "monthly"
    ids: tuple[str, ...] = ("starts", "ceased")  # counted month by month

    def build(self, ctx: Ctx) -> Section:
        view = ctx.view
        as_of = view.to_date
        end = as_of or date(view.year, 3, 31)
        rows, totals = [], {}
        for measure, name in (("starts", "Starts"), ("ceased", "Ceased")):
            for month, shown in ctx.n.months(measure, view.year, as_of):
                rows.append(
                    {
                        "month": date.fromisoformat(month + "-01").strftime("%b %Y"),
                        "measure": name,
                        "count": shown,
                    }
                )
            totals[measure] = ctx.n.month_total(measure, view.year, as_of)
        title = findings.months(view.year, end.strftime("%B %Y"), totals["starts"], totals["ceased"])
        foot = (
            "Starts and ceased per calendar month (each period of care counted in the month it began or "
            f"ended). {ctx.source()}"
        )
        table = _frame(
            rows
            + [
                {"month": TOTAL, "measure": n, "count": totals[m]}
                for m, n in (("starts", "Starts"), ("ceased", "Ceased"))
            ]
        )
        return _side_by_side(self.key, title, foot, table, _frame(rows), "month", "measure")


# --- headline numbers -----------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """A headline number for the reference year, with its provenance ('12 of 16')."""

    mid: str
    name: str

    def build(self, ctx: Ctx) -> Metric:
        m, y = MEASURES[self.mid], ctx.view.year
        row = headline_row(ctx, self.mid, y)
        reason = ctx.n.reason(self.mid, y)
        value = "–" if reason else fmt(row["value"], m.unit)
        detail = ""
        if not reason and not m.unit.is_count:
            if m.unit.is_mean:
                detail = f"{fmt(row['children'])} children"
            elif m.unit.denominator_is_children:
                detail = n_of_d(row["numerator"], row["denominator"])
            else:
                detail = f"{fmt(row['numerator'])} children"
        detail = f"{year_label(y)} · {detail}" if detail else year_label(y)
        return Metric(self.name, value, detail, m.definition + (f" ({reason})" if reason else ""))


@dataclass(frozen=True)
class OrderCount:
    """The children leaving care on an order, with their share of all who left."""

    mid: str
    name: str

    def build(self, ctx: Ctx) -> Metric:
        y = ctx.view.year
        h = ctx.n.headline(self.mid, y)
        share = (
            f" · {fmt(h['value'], MEASURES[self.mid].unit)} of those leaving care"
            if h["value"] not in (None, SUPPRESSED)
            else ""
        )
        return Metric(self.name, fmt(h["numerator"]), year_label(y) + share, MEASURES[self.mid].definition)


@dataclass(frozen=True)
class Standing:
    """Where we stand: every council's published value for the latest published year up to the
    reference year, the statistical neighbours marked, and our own shown value placed among
    them with the band and rank it would have (`comparators.md`). The council as a whole only."""

    mid: str

    @property
    def key(self) -> str:
        return f"standing_{self.mid}"

    def build(self, ctx: Ctx) -> Section:
        m, view = MEASURES[self.mid], ctx.view
        name = f"Where we stand: {m.title.lower()}"
        bench = ctx.benchmarks
        good = ctx.strategy.good(self.mid) if ctx.strategy else m.good
        ours = ctx.n.headline(self.mid, view.year)["value"]
        given = ours if is_number(ours) else None
        show = None if view.part_of_council or bench is None else bench.show(self.mid, view.year, given, good)
        if not show or not show["field_year"]:
            years = bench.published.years(self.mid) if bench else []
            if view.part_of_council:
                why = "a filter shows part of the council"
            elif years:
                why = f"the published figures loaded begin in {year_label(years[0])}"
            else:
                why = "no published figures are loaded"
            title = f"{name}: {why}, so no council-by-council comparison"
            return Section(self.key, title, None, pd.DataFrame(), ctx.footnote(self.mid))
        fy = show["field_year"]
        field = bench.field(self.mid, fy)
        sns = {c["code"] for c in (show["neighbours"] or {}).get("councils", []) if c["code"]}
        rows = [
            {
                "council": r.name,
                "value": whole(r.value),
                "group": "Neighbours" if r.code in sns else "Every council",
            }
            for r in field.itertuples()
            if r.code != bench.la_code
        ]
        table = _frame(rows)
        ctx.published.extend(r["value"] for r in rows)
        value = show["value"]
        when = f"{year_label(fy)}'s" + ("" if fy == view.year else " (the latest)")
        ours_text = fmt(ours, m.unit) + (" per 10,000" if m.unit == RATE else "")
        if value and value["band"]:
            ctx.published.extend([value["rank"], show["field_size"]])
            title = (
                f"Our {ours_text} in {year_label(view.year)} would rank {ordinal(value['rank'])} of "
                f"{show['field_size']} councils ({findings.BANDS[value['band']]}) against {when} published figures"
            )
        else:
            title = f"{name}: every council's published figure, {when}" + (
                "; ours is withheld" if ours == SUPPRESSED else ""
            )
        england = show["england"] if is_number(show["england"]) else None
        foot = (
            f"{m.title}: {m.definition} Every council: DfE's published figures for {year_label(fy)} "
            f"({show['field_size']} councils with a figure), Open Government Licence v3.0; neighbours: "
            "DfE's statistical neighbour groupings. Ours: computed from the council's returns. "
            + ctx.source()
        )
        ours_label = f"Ours {fmt(ours, m.unit)}" if given is not None else ""
        return _section(
            self.key,
            title,
            foot,
            table,
            "standing",
            x_title=axis_title(self.mid),
            percent=m.unit.percent,
            ours=given,
            ours_label=ours_label,
            england=england,
        )


def ordinal(n: int) -> str:
    """>>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 104, 112)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '104th', '112th']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
