"""What each dashboard page shows, computed from the engine: headline numbers and sections
("chart + table + definition + source"), all after disclosure control.

Pages in `pages/` call one function here per screen and draw what it returns; they hold no
query and no data handling. Every number passes through `analytics.disclosure` (the one place
where suppression happens) before it reaches a title, a label, a hover text or a table; with
suppression off (an analyst exploring on screen) the same path runs with no threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import duckdb
import pandas as pd
import plotly.graph_objects as go

from analytics import charts, disclosure, measures
from analytics.charts import fmt_number, n_of_d
from analytics.disclosure import SUPPRESSED, SuppressedFrame
from analytics.filters import AGE_BANDS, Filters
from analytics.labels import BREAKDOWN_NAMES, label
from analytics.measures.registry import COUNT, MEAN_DAYS, MEASURES, RATE, SHARE
from analytics.strategy import Comparator, Strategy, comparator_series

SOURCE = "Source: the council's SSDA903 returns"


@dataclass(frozen=True)
class View:
    """Everything a page's numbers depend on (hashable: caches key on it)."""

    filters: Filters
    years: tuple[int, ...]  # the years of the trends, in order
    suppress: bool = True
    synthetic: bool = False
    as_of: date | None = None  # the last complete month end in the data

    @property
    def year(self) -> int:
        return self.filters.year

    @property
    def all_years(self) -> list[int]:
        return sorted({*self.years, self.filters.year})

    @property
    def filtered_by(self) -> list[str]:
        return list(self.filters.as_json())


@dataclass
class Metric:
    label: str
    value: str
    detail: str = ""
    help: str = ""


@dataclass
class Section:
    key: str
    title: str
    figure: go.Figure | None
    table: pd.DataFrame  # as shown: hidden numbers are "c"; also the CSV download
    footnote: str
    note: str = ""


@dataclass
class PageData:
    metrics: list[Metric] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    groups: dict[str, list[str]] = field(default_factory=dict)  # a view's name -> section keys

    def group(self, name: str | None) -> list[Section]:
        """The sections of one of the page's views (all of them when the page has one)."""
        if not self.groups or name not in self.groups:
            return self.sections
        keys = self.groups[name]
        return [s for s in self.sections if s.key in keys]


# --- helpers --------------------------------------------------------------------------------


def year_label(year: int) -> str:
    """Collection year 2025 -> '2024-25' (April 2024 to March 2025)."""
    return f"{year - 1}-{str(year)[2:]}"


def source(view: View) -> str:
    return SOURCE + (" (synthetic data: no real child)" if view.synthetic else "") + "."


def footnote(mid: str, view: View, extra: str = "") -> str:
    m = MEASURES[mid]
    old = f" ({m.old_name})" if m.old_name else ""
    return f"{m.title}{old}: {m.definition} {extra}{source(view)}".replace("  ", " ")


def disclose(df: pd.DataFrame, view: View, **kwargs) -> SuppressedFrame:
    """`disclosure.suppress_frame` with the view's filters; with suppression off, no threshold."""
    if not view.suppress:
        kwargs.update(threshold=0, area_threshold=0, min_denominator=0)
    return disclosure.suppress_frame(df, filtered_by=view.filtered_by, **kwargs)


def _frame(records: list[dict], numbers: Sequence[str]) -> pd.DataFrame:
    """A frame whose number columns keep Python ints and None (no float conversion)."""
    columns = list(records[0]) if records else []
    data = {
        c: pd.Series([r[c] for r in records], dtype=object) if c in numbers else [r[c] for r in records]
        for c in columns
    }
    return pd.DataFrame(data, columns=columns)


def _results(con, view: View, ids: list[str]) -> dict[int, dict[str, dict]]:
    return measures.trend(con, view.filters, view.all_years, ids)


def _parts(mid: str) -> tuple[list[str], dict]:
    """(count columns, shares) for suppress_frame, by the measure's unit."""
    unit = MEASURES[mid].unit
    if unit == COUNT:
        return ["count"], {}
    if unit == SHARE:
        return ["numerator", "denominator"], {"value": ("numerator", "denominator")}
    if unit == RATE:
        return ["numerator"], {"value": ("numerator", "population")}
    return ["children"], {}


def headline_frame(results: dict, mid: str, years: Iterable[int]) -> pd.DataFrame:
    """year + the measure's numbers, one row per year (None where unavailable)."""
    unit = MEASURES[mid].unit
    rows = []
    for y in years:
        r = results[y][mid]
        if unit == COUNT:
            rows.append({"year": y, "count": r["numerator"]})
        elif unit == SHARE:
            rows.append({"year": y, "numerator": r["numerator"], "denominator": r["denominator"]})
        elif unit == RATE:
            rows.append({"year": y, "numerator": r["numerator"], "population": r["denominator"]})
        else:
            rows.append(
                {"year": y, "days": r["numerator"], "children": r["denominator"], "_value": r["value"]}
            )
    return _frame(rows, ["count", "numerator", "denominator", "population", "days", "children", "_value"])


def headline(results: dict, mid: str, view: View, years: Iterable[int] | None = None) -> SuppressedFrame:
    """One measure over the years, suppressed: columns year, the counts, `value`."""
    years = list(years or view.years)
    df = headline_frame(results, mid, years)
    counts, shares = _parts(mid)
    unit = MEASURES[mid].unit
    if unit == MEAN_DAYS:
        sf = disclose(
            df.drop(columns=["days", "_value"]), view, counts=counts, add_up=[], separately=["year"]
        )
        means = []
        for i, row in sf.table.iterrows():
            n = row["children"]
            hide = n == SUPPRESSED or (
                view.suppress and isinstance(n, int) and 0 < n < disclosure.MIN_DENOMINATOR
            )
            means.append(SUPPRESSED if hide and df.loc[i, "_value"] is not None else df.loc[i, "_value"])
        table = sf.table.assign(value=pd.Series(means, dtype=object))
        hidden = sf.hidden.assign(value=[m == SUPPRESSED for m in means])
        return SuppressedFrame(table, hidden)
    scale = 10_000 if unit == RATE else 100
    if unit == COUNT:
        sf = disclose(df, view, counts=counts, add_up=[], separately=["year"])
        return SuppressedFrame(
            sf.table.assign(value=sf.table["count"]), sf.hidden.assign(value=sf.hidden["count"])
        )
    return disclose(df, view, counts=counts, add_up=[], separately=["year"], shares=shares, scale=scale)


def value_labels(sf: SuppressedFrame, mid: str) -> list[str]:
    unit = MEASURES[mid].unit
    return [fmt_number(v, unit) for v in sf.table["value"]]


def detail_labels(sf: SuppressedFrame, mid: str) -> list[str]:
    """Hover text: the value with its numerator and denominator as shown ('9.3%: 42 of 453')."""
    unit = MEASURES[mid].unit
    out = []
    for _, row in sf.table.iterrows():
        v = fmt_number(row["value"], unit)
        if unit == SHARE:
            out.append(f"{v} ({n_of_d(row['numerator'], row['denominator'])})")
        elif unit == RATE:
            out.append(f"{v} per 10,000 ({n_of_d(row['numerator'], row['population'])} children)")
        elif unit == MEAN_DAYS:
            out.append(f"{v} days (mean of {fmt_number(row['children'])} children)")
        else:
            out.append(v)
    return out


def _shown(sf: SuppressedFrame, year: int) -> dict:
    rows = sf.table[sf.table["year"] == year]
    return rows.iloc[0].to_dict() if len(rows) else {}


def _is_num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v


def trend_finding(sf: SuppressedFrame, mid: str, view: View, name: str | None = None) -> str:
    """A title that states the finding: the reference year's value, against the year before."""
    m = MEASURES[mid]
    name = name or m.title
    y = view.year
    now, before = _shown(sf, y), _shown(sf, y - 1)
    v, p = now.get("value"), before.get("value")
    if v == SUPPRESSED:
        return f"{name}: the {year_label(y)} figure is withheld (small numbers)"
    if not _is_num(v):
        return f"{name}: no figure for {year_label(y)}"
    unit = m.unit
    text = f"{name}: {fmt_number(v, unit)} in {year_label(y)}"
    if unit == SHARE:
        text += f" ({n_of_d(now.get('numerator'), now.get('denominator'))})"
    if _is_num(p):
        if v == p:
            text += f", the same as in {year_label(y - 1)}"
        else:
            word = "up" if v > p else "down"
            text += f", {word} from {fmt_number(p, unit)} in {year_label(y - 1)}"
    return text


def _references(mid: str, view: View, strategy: Strategy | None, comparators: list[Comparator]) -> dict:
    refs = {}
    target = strategy.targets.get(mid) if strategy else None
    if target:
        points = {y: target.for_year(y, view.filters.localities) for y in view.years}
        points = {y: v for y, v in points.items() if v is not None}
        if points and not view.filters.districts and not view.filters.age_bands and not view.filters.sexes:
            refs["Target"] = points
    if not view.filters.as_json():  # England describes the whole council, not a part of it
        england = {y: v for y, v in comparator_series(comparators, mid, "England").items() if y in view.years}
        if england:
            refs["England"] = england
    return refs


def measure_trend(
    con_results: dict,
    mid: str,
    view: View,
    strategy: Strategy | None = None,
    comparators: Sequence[Comparator] = (),
    key: str | None = None,
    name: str | None = None,
) -> Section:
    """One measure over the trend years: a line, its target and England, and its table."""
    sf = headline(con_results, mid, view)
    m = MEASURES[mid]
    refs = _references(mid, view, strategy, list(comparators))
    unit_title = {COUNT: "Children", SHARE: "Per cent", RATE: "Per 10,000 children", MEAN_DAYS: "Days"}[
        m.unit
    ]
    fig = charts.trend_line(
        sf,
        x="year",
        y="value",
        labels=value_labels(sf, mid),
        hover=detail_labels(sf, mid),
        title=trend_finding(sf, mid, view, name),
        footnote=footnote(mid, view),
        y_title=unit_title,
        references=refs,
        percent=m.unit == SHARE,
        x_labels={y: year_label(y) for y in view.years},
        label_points="last" if refs else "all",
    )
    return Section(
        key or mid, fig.layout.title.text.replace("<br>", " "), fig, _table(sf, refs), footnote(mid, view)
    )


def _table(sf: SuppressedFrame, refs: dict | None = None) -> pd.DataFrame:
    table = sf.table.copy()
    if "year" in table:
        table.insert(0, "period", [year_label(y) if isinstance(y, int) else y for y in table["year"]])
    for name, points in (refs or {}).items():
        table[name] = [points.get(y) if isinstance(y, int) else None for y in table["year"]]
    return table


def multi_trend(
    results: dict,
    ids: Sequence[str],
    names: Sequence[str],
    view: View,
    *,
    key: str,
    title: str,
    comparators: Sequence[Comparator] = (),
    strategy: Strategy | None = None,
) -> Section:
    """Several measures of the same unit over the years, one line each."""
    frames, labels, hovers = [], [], []
    for mid, name in zip(ids, names):
        sf = headline(results, mid, view)
        frames.append(sf.table.assign(series=name))
        labels += value_labels(sf, mid)
        hovers += [f"{name}: {h}" for h in detail_labels(sf, mid)]
    table = pd.concat(frames, ignore_index=True)
    hidden = pd.DataFrame({"value": [lbl == SUPPRESSED for lbl in labels]})
    both = SuppressedFrame(table, hidden)
    unit = MEASURES[ids[0]].unit
    refs = {}
    if not view.filters.as_json():
        for mid, name in zip(ids, names):
            england = {
                y: v
                for y, v in comparator_series(list(comparators), mid, "England").items()
                if y in view.years
            }
            if england:
                refs[f"England: {name.lower()}"] = england
    unit_title = {COUNT: "Children", SHARE: "Per cent", RATE: "Per 10,000 children", MEAN_DAYS: "Days"}[unit]
    notes = " ".join(f"{MEASURES[m].title}: {MEASURES[m].definition}" for m in ids)
    foot = f"{notes} {source(view)}"
    fig = charts.trend_line(
        both,
        x="year",
        y="value",
        labels=labels,
        hover=hovers,
        series="series",
        title=title,
        footnote=foot,
        y_title=unit_title,
        references=refs,
        percent=unit == SHARE,
        x_labels={y: year_label(y) for y in view.years},
        label_points="last",
    )
    out = _table(both).drop(columns=["series"]).assign(measure=table["series"].to_numpy())
    out = out[["measure", *[c for c in out.columns if c != "measure"]]]
    return Section(key, title, fig, out, foot)


def breakdown_frame(
    results: dict, mid: str, dim: str, years: Iterable[int], categories: Sequence | None = None
) -> pd.DataFrame:
    """year x category cells of a breakdown (counts, or numerator and denominator)."""
    unit = MEASURES[mid].unit
    rows = []
    for y in years:
        r = results[y][mid]
        cells = (r.get("breakdowns") or {}).get(dim, {})
        cats = list(categories) if categories is not None else list(cells)
        for c in cats:
            cell = cells.get(c, 0 if unit == COUNT else {"numerator": 0, "denominator": 0})
            if r.get("reason"):
                cell = None if unit == COUNT else {"numerator": None, "denominator": None}
            if unit == COUNT:
                rows.append({"year": y, dim: c, "count": cell})
            else:
                rows.append(
                    {"year": y, dim: c, "numerator": cell["numerator"], "denominator": cell["denominator"]}
                )
    return _frame(rows, ["count", "numerator", "denominator"])


def _categories(results: dict, mid: str, dim: str, years: Iterable[int]) -> list:
    seen: dict = {}
    for y in years:
        for c in (results[y][mid].get("breakdowns") or {}).get(dim) or {}:
            seen[c] = True
    order = list(AGE_BANDS) if dim == "age_band" and mid != "ceased" else None
    cats = list(seen)
    if order:
        cats = [c for c in order if c in seen] + [c for c in cats if c not in order]
    return cats


def breakdown_over_years(results: dict, mid: str, dim: str, view: View, *, key: str, what: str) -> Section:
    """A category x year grid of counts (a heatmap with the number in each cell)."""
    cats = _categories(results, mid, dim, view.years)
    df = breakdown_frame(results, mid, dim, view.years, cats)
    if df.empty:
        return _empty(key, f"No {what} by {BREAKDOWN_NAMES.get(dim, dim)} in these years", mid, view)
    sf = disclose(df, view, counts=["count"], add_up=[dim], separately=["year"])
    table = sf.table.copy()
    table[dim] = [label(dim, c) for c in table[dim]]
    table["period"] = [year_label(y) for y in table["year"]]
    shown = SuppressedFrame(table, sf.hidden)
    title = _grid_finding(sf, dim, view, what)
    fig = charts.heatmap(
        shown,
        x="period",
        y=dim,
        value="count",
        labels=sf.labels("count"),
        title=title,
        footnote=footnote(mid, view),
        value_title="Children",
    )
    out = table[["period", "year", dim, "count"]]
    return Section(key, title, fig, out, footnote(mid, view))


def category_trend(
    results: dict, mid: str, dim: str, category: str, view: View, *, key: str, name: str
) -> Section:
    """One category of a count breakdown over the years (suppressed within its breakdown)."""
    cats = _categories(results, mid, dim, view.years)
    if category not in cats:
        cats.append(category)
    df = breakdown_frame(results, mid, dim, view.years, cats)
    sf = disclose(df, view, counts=["count"], add_up=[dim], separately=["year"])
    keep = (sf.table[dim] == category).to_numpy()
    one = SuppressedFrame(sf.table[keep].reset_index(drop=True), sf.hidden[keep].reset_index(drop=True))
    one = SuppressedFrame(
        one.table.assign(value=one.table["count"]), one.hidden.assign(value=one.hidden["count"])
    )
    labels = list(one.labels("count"))
    v, p = _shown(one, view.year).get("count"), _shown(one, view.year - 1).get("count")
    if v == SUPPRESSED:
        title = f"{name}: the {year_label(view.year)} figure is withheld (small numbers)"
    else:
        title = f"{name}: {fmt_number(v)} in {year_label(view.year)}"
        if _is_num(p) and _is_num(v) and p != v:
            title += f", {'up' if v > p else 'down'} from {fmt_number(p)} in {year_label(view.year - 1)}"
    foot = footnote(mid, view, f"Here: {label(dim, category).lower()} only.")
    fig = charts.trend_line(
        one,
        x="year",
        y="count",
        labels=labels,
        title=title,
        footnote=foot,
        y_title="Children",
        x_labels={y: year_label(y) for y in view.years},
    )
    return Section(key, title, fig, _table(one).drop(columns=["value"]), foot)


def _grid_finding(sf: SuppressedFrame, dim: str, view: View, what: str) -> str:
    """'TS1 had the most starts in 2024-25 (59); TS3 next (57)'."""
    t = sf.table[sf.table["year"] == view.year]
    shown = [(row[dim], row["count"]) for _, row in t.iterrows() if _is_num(row["count"])]
    if not shown:
        return f"{what.capitalize()} by {BREAKDOWN_NAMES.get(dim, dim)}, {year_label(view.years[0])} to {year_label(view.years[-1])}"
    shown.sort(key=lambda kv: -kv[1])
    top = shown[0]
    name = BREAKDOWN_NAMES.get(dim, dim)
    who = {"age_band": " year olds"}.get(dim, "")
    text = f"{_cap(what)} by {name}: {label(dim, top[0])}{who} the most in {year_label(view.year)} ({fmt_number(top[1])})"
    if len(shown) > 1:
        text += f", then {label(dim, shown[1][0])} ({fmt_number(shown[1][1])})"
    return text


def breakdown_bars(
    results: dict,
    mid: str,
    dim: str,
    view: View,
    *,
    key: str,
    what: str,
    sort: bool = True,
    highlight: Sequence[str] = (),
    share_of: str | None = None,
    when: str | None = None,
) -> Section:
    """One year's breakdown as horizontal bars (counts: the children in each category)."""
    y = view.year
    unit = MEASURES[mid].unit
    cats = _categories(results, mid, dim, [y])
    df = breakdown_frame(results, mid, dim, [y], cats)
    if df.empty or results[y][mid].get("reason"):
        reason = results[y][mid].get("reason") or "no children"
        return _empty(key, f"{_cap(what)}, {when or year_label(y)}: {reason}", mid, view)
    if unit == COUNT:
        sf = disclose(df, view, counts=["count"], add_up=[dim], separately=["year"], margins=True)
        column, fmt = "count", "{:,}"
    else:  # the children in each category (the breakdown of the denominator) and the share
        sf = disclose(
            df,
            view,
            counts=["numerator", "denominator"],
            add_up=[dim],
            separately=["year"],
            shares={"share": ("numerator", "denominator")},
            margins=True,
        )
        column, fmt = ("denominator", "{:,}") if share_of is None else ("share", "{:.1f}%")
    table = sf.table.copy()
    table.insert(1, "category", [label(dim, c) for c in table[dim]])
    body = SuppressedFrame(
        table[table[dim] != disclosure.TOTAL_LABEL].reset_index(drop=True),
        sf.hidden[table[dim] != disclosure.TOTAL_LABEL].reset_index(drop=True),
    )
    if sort:
        order = sorted(
            range(len(body.table)),
            key=lambda i: (
                -(
                    body.heights(column).iloc[i]
                    if body.heights(column).iloc[i] == body.heights(column).iloc[i]
                    else -1
                )
            ),
        )
        body = SuppressedFrame(
            body.table.iloc[order].reset_index(drop=True), body.hidden.iloc[order].reset_index(drop=True)
        )
    labels = list(body.labels(column, fmt))
    totals = table[table[dim] == disclosure.TOTAL_LABEL][column]
    title = _bars_finding(body, column, what, view, share_of, totals.iloc[0] if len(totals) else None, when)
    fig = charts.bars(
        body,
        category="category",
        value=column,
        labels=labels,
        title=title,
        footnote=footnote(mid, view),
        value_title="Per cent" if share_of else "Children",
        percent=bool(share_of),
        highlight=[label(dim, h) for h in highlight],
    )
    out = table.drop(columns=[dim]).rename(columns={"category": BREAKDOWN_NAMES.get(dim, dim)})
    out.insert(0, "period", year_label(y))
    return Section(key, title, fig, out.drop(columns=["year"]), footnote(mid, view))


def _bars_finding(
    body: SuppressedFrame,
    column: str,
    what: str,
    view: View,
    share_of: str | None,
    total=None,
    when: str | None = None,
) -> str:
    when = when or year_label(view.year)
    rows = [(r["category"], r[column]) for _, r in body.table.iterrows() if _is_num(r[column])]
    if not rows:
        return f"{_cap(what)}, {when}: figures withheld (small numbers)"
    top = max(rows, key=lambda kv: kv[1])
    if share_of:
        return f"{_cap(what)}, {when}: highest for {top[0]} ({top[1]:.1f}%)"
    if _is_num(total) and total:
        return f"{_cap(what)}, {when}: {top[0]} the largest group, {fmt_number(top[1])} of {fmt_number(total)} ({100 * top[1] / total:.0f}%)"
    return f"{_cap(what)}, {when}: {top[0]} the largest group ({fmt_number(top[1])})"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _empty(key: str, title: str, mid: str, view: View) -> Section:
    return Section(key, title, None, pd.DataFrame(), footnote(mid, view))


def metric(results: dict, mid: str, view: View, name: str | None = None) -> Metric:
    """A headline number for the reference year, as shown (suppressed through the engine's
    indicators path so the same children hide together)."""
    sf = headline(results, mid, view, [view.year])
    row = sf.table.iloc[0].to_dict()
    m = MEASURES[mid]
    value = fmt_number(row["value"], m.unit)
    reason = results[view.year][mid].get("reason")
    if reason:
        value = "–"
    detail = ""
    if m.unit == SHARE:
        detail = n_of_d(row["numerator"], row["denominator"])
    elif m.unit == RATE and not reason:
        detail = f"{fmt_number(row['numerator'])} children"
    elif m.unit == MEAN_DAYS and not reason:
        detail = f"{fmt_number(row['children'])} children"
    detail = f"{year_label(view.year)} · {detail}" if detail else year_label(view.year)
    return Metric(name or m.title, value, detail, m.definition + (f" ({reason})" if reason else ""))


# --- pages ----------------------------------------------------------------------------------

REDUCE_IDS = [
    "cla_at_31_march",
    "cla_rate_per_10k",
    "starts",
    "starts_rate_per_10k",
    "ceased",
    "police_protection_starts",
    "placed_with_parents_over_1_year",
]


def reduce_page(
    con: duckdb.DuckDBPyConnection, view: View, strategy: Strategy | None, comparators: Sequence[Comparator]
) -> PageData:
    r = _results(con, view, REDUCE_IDS)
    page = PageData(
        metrics=[
            metric(r, "cla_at_31_march", view, "Looked after at 31 March"),
            metric(r, "cla_rate_per_10k", view, "Looked after per 10,000"),
            metric(r, "starts", view, "Started to be looked after"),
            metric(r, "ceased", view, "Ceased to be looked after"),
        ]
    )
    page.sections += [
        measure_trend(r, "starts", view, strategy, comparators),
        breakdown_over_years(r, "starts", "age_band", view, key="starts_by_age_band", what="starts"),
        breakdown_over_years(r, "starts", "district", view, key="starts_by_district", what="starts"),
        multi_trend(
            r,
            ["cla_rate_per_10k", "starts_rate_per_10k"],
            ["Looked after", "Starts"],
            view,
            key="rates",
            title=_rate_title(r, view),
            comparators=comparators,
        ),
        measure_trend(r, "cla_at_31_march", view, strategy, comparators),
        breakdown_bars(
            r, "starts", "category_of_need", view, key="starts_by_need", what="starts by category of need"
        ),
        breakdown_bars(
            r,
            "starts",
            "legal_status",
            view,
            key="starts_by_legal_status",
            what="starts by legal status",
            highlight=["L1"],
        ),
        measure_trend(r, "police_protection_starts", view, strategy, comparators),
        breakdown_bars(
            r, "starts", "ethnic_group", view, key="starts_by_ethnic_group", what="starts by ethnic group"
        ),
        category_trend(
            r,
            "starts",
            "uasc",
            "UASC",
            view,
            key="starts_uasc",
            name="Unaccompanied asylum-seeking children starting to be looked after",
        ),
        breakdown_bars(
            r, "ceased", "reason_group", view, key="ceased_by_route", what="children ceasing care by route"
        ),
        measure_trend(r, "placed_with_parents_over_1_year", view, strategy, comparators),
    ]
    page.sections.append(monthly_section(con, view))
    page.groups = {
        "Starts by district": ["starts", "starts_by_district"],
        "Starts by age; rates": ["starts_by_age_band", "rates"],
        "Who starts": [
            "starts_by_need",
            "starts_by_legal_status",
            "police_protection_starts",
            "starts_by_ethnic_group",
            "starts_uasc",
        ],
        "Looked after and leaving": ["cla_at_31_march", "ceased_by_route", "placed_with_parents_over_1_year"],
        "Month by month": ["monthly"],
    }
    return page


def _rate_title(r: dict, view: View) -> str:
    sf = headline(r, "cla_rate_per_10k", view, [view.year])
    v = sf.table.iloc[0]["value"]
    if _is_num(v):
        return f"{fmt_number(v, 'rate')} children in every 10,000 were looked after at 31 March {view.year}"
    return "Children looked after and starts per 10,000 children"


def monthly_section(con: duckdb.DuckDBPyConnection, view: View) -> Section:
    """Starts and ceased per month of the reference year, to the last complete month."""
    first = date(view.year - 1, 4, 1)
    end = (
        view.as_of if view.as_of and first <= view.as_of <= date(view.year, 3, 31) else date(view.year, 3, 31)
    )
    last = end.replace(day=1)
    data = measures.monthly(con, replace(view.filters, as_of=None), first, last)
    rows = []
    for month in data["months"]:
        label_m = date.fromisoformat(month["month"] + "-01").strftime("%b %Y")
        rows.append({"month": label_m, "measure": "Starts", "count": month["starts"]})
        rows.append({"month": label_m, "measure": "Ceased", "count": month["ceased"]})
    df = _frame(rows, ["count"])
    sf = disclose(df, view, counts=["count"], add_up=[], separately=["month", "measure"])
    totals = {m: sum(v for v in df[df["measure"] == m]["count"]) for m in ("Starts", "Ceased")}
    shown_totals = (
        disclose(
            _frame([{"measure": k, "count": v} for k, v in totals.items()], ["count"]),
            view,
            counts=["count"],
            add_up=[],
            separately=["measure"],
        )
        .table.set_index("measure")["count"]
        .to_dict()
    )
    title = (
        f"{year_label(view.year)} to {end.strftime('%B %Y')}: {fmt_number(shown_totals['Starts'])} starts "
        f"and {fmt_number(shown_totals['Ceased'])} children ceasing care"
    )
    foot = (
        "Starts and ceased per calendar month (each period of care counted in the month it began or "
        f"ended). {source(view)}"
    )
    fig = charts.bars(
        sf,
        category="month",
        value="count",
        labels=sf.labels("count"),
        title=title,
        footnote=foot,
        value_title="Children",
        colour_by="measure",
        horizontal=False,
    )
    return Section("monthly", title, fig, sf.table, foot)


PLACEMENT_IDS = [
    "cla_at_31_march",
    "purchased_foster_share",
    "kinship_foster_share",
    "foster_or_adoption_10_15",
    "placed_outside_la",
    "placed_over_20_miles",
]


def placements_page(
    con, view: View, strategy: Strategy | None, comparators: Sequence[Comparator]
) -> PageData:
    r = _results(con, view, PLACEMENT_IDS)
    page = PageData(
        metrics=[
            metric(r, "purchased_foster_share", view, "Foster placements purchased"),
            metric(r, "kinship_foster_share", view, "In kinship foster care"),
            metric(r, "foster_or_adoption_10_15", view, "10-15s fostered or adopted"),
            metric(r, "placed_over_20_miles", view, "Placed over 20 miles away"),
        ]
    )
    page.sections += [
        breakdown_bars(
            r,
            "cla_at_31_march",
            "placement_group",
            view,
            key="placement_mix",
            what="placement type",
            when=f"31 March {view.year}",
        ),
        in_house_by_age(r, view),
        measure_trend(r, "purchased_foster_share", view, strategy, comparators),
        measure_trend(r, "kinship_foster_share", view, strategy, comparators),
        measure_trend(r, "foster_or_adoption_10_15", view, strategy, comparators),
        breakdown_bars(
            r,
            "cla_at_31_march",
            "provider",
            view,
            key="provider_mix",
            what="provider",
            when=f"31 March {view.year}",
        ),
        multi_trend(
            r,
            ["placed_outside_la", "placed_over_20_miles"],
            ["Outside the council", "Over 20 miles"],
            view,
            key="distance",
            title=_distance_title(r, view),
            comparators=comparators,
        ),
    ]
    page.groups = {
        "Placements at 31 March": ["placement_mix", "in_house_vs_purchased", "provider_mix"],
        "Trends": ["purchased_foster_share", "kinship_foster_share", "foster_or_adoption_10_15", "distance"],
    }
    return page


def _distance_title(r: dict, view: View) -> str:
    a = headline(r, "placed_outside_la", view, [view.year]).table.iloc[0]
    b = headline(r, "placed_over_20_miles", view, [view.year]).table.iloc[0]
    if _is_num(a["value"]) and _is_num(b["value"]):
        return (
            f"At 31 March {view.year}, {a['value']:.0f}% of children were placed outside the council "
            f"and {b['value']:.0f}% more than 20 miles from home"
        )
    return "Children placed outside the council and more than 20 miles from home"


def in_house_by_age(r: dict, view: View) -> Section:
    """Foster children at 31 March by age band: in-house (or another council) against purchased
    (private or voluntary), 10-15 highlighted: a cross-tab, suppressed with its margins."""
    mid = "purchased_foster_share"
    y = view.year
    cells = (r[y][mid].get("breakdowns") or {}).get("age_band", {})
    rows = []
    for band in AGE_BANDS:
        c = cells.get(band, {"numerator": 0, "denominator": 0})
        n, d = c["numerator"], c["denominator"]
        if n is None or d is None:
            continue
        rows.append({"age_band": band, "provision": "Purchased (private or voluntary)", "count": n})
        rows.append({"age_band": band, "provision": "In-house or another council", "count": d - n})
    if not rows:
        return _empty("in_house_vs_purchased", "Foster care by provider and age band: no figures", mid, view)
    df = _frame(rows, ["count"])
    sf = disclose(df, view, counts=["count"], add_up=["age_band", "provision"], margins=True)
    body_mask = (sf.table["age_band"] != disclosure.TOTAL_LABEL) & (
        sf.table["provision"] != disclosure.TOTAL_LABEL
    )
    body = SuppressedFrame(
        sf.table[body_mask].reset_index(drop=True), sf.hidden[body_mask].reset_index(drop=True)
    )
    t = sf.table
    p = t[(t["age_band"] == "10 to 15") & (t["provision"] == "Purchased (private or voluntary)")]["count"]
    a = t[(t["age_band"] == "10 to 15") & (t["provision"] == disclosure.TOTAL_LABEL)]["count"]
    if len(p) and len(a) and _is_num(p.iloc[0]) and _is_num(a.iloc[0]) and a.iloc[0]:
        title = (
            f"{100 * p.iloc[0] / a.iloc[0]:.0f}% of 10-15 year olds in foster care at 31 March {y} "
            f"were in purchased placements ({fmt_number(p.iloc[0])} of {fmt_number(a.iloc[0])})"
        )
    else:
        title = f"Foster care at 31 March {y}: in-house against purchased, by age band"
    fig = charts.bars(
        body,
        category="age_band",
        value="count",
        labels=body.labels("count"),
        title=title,
        footnote=footnote(mid, view),
        value_title="Children in foster care",
        colour_by="provision",
        horizontal=False,
    )
    out = sf.table.copy()
    out.insert(0, "period", year_label(y))
    return Section("in_house_vs_purchased", title, fig, out, footnote(mid, view))


PERMANENCE_IDS = [
    "ceased",
    "adopted",
    "sgo",
    "cao",
    "adoption_entry_to_placed_days",
    "adoption_entry_to_order_days",
    "adoption_placed_within_12_months_of_decision",
]


def permanence_page(
    con, view: View, strategy: Strategy | None, comparators: Sequence[Comparator]
) -> PageData:
    r = _results(con, view, PERMANENCE_IDS)
    page = PageData(
        metrics=[
            _count_metric(r, "adopted", view, "Adopted"),
            _count_metric(r, "sgo", view, "Special guardianship orders"),
            _count_metric(r, "cao", view, "Child arrangements orders"),
            metric(r, "adoption_placed_within_12_months_of_decision", view, "Placed within 12 months"),
        ]
    )
    page.sections += [
        orders_over_time(r, view),
        measure_trend(r, "adoption_placed_within_12_months_of_decision", view, strategy, comparators),
        multi_trend(
            r,
            ["adoption_entry_to_placed_days", "adoption_entry_to_order_days"],
            ["To moving in with adopters", "To the adoption order"],
            view,
            key="adoption_days",
            title=_days_title(r, view),
        ),
        measure_trend(
            r, "adopted", view, strategy, comparators, name="Share of children leaving care who were adopted"
        ),
    ]
    page.groups = {
        "Orders": ["orders", "adopted"],
        "Timeliness": ["adoption_placed_within_12_months_of_decision", "adoption_days"],
    }
    return page


def _days_title(r: dict, view: View) -> str:
    sf = headline(r, "adoption_entry_to_order_days", view, [view.year])
    v = sf.table.iloc[0]["value"]
    if _is_num(v):
        return (
            f"Children adopted in {year_label(view.year)} waited on average {v:,.0f} days "
            f"({v / 30.44:.0f} months) from entering care to adoption"
        )
    return "Days from entering care to adoption"


def _count_metric(r: dict, mid: str, view: View, name: str) -> Metric:
    sf = headline(r, mid, view, [view.year])
    row = sf.table.iloc[0]
    share = f" · {fmt_number(row['value'], 'share')} of those leaving care" if _is_num(row["value"]) else ""
    return Metric(name, fmt_number(row["numerator"]), year_label(view.year) + share, MEASURES[mid].definition)


def orders_over_time(r: dict, view: View) -> Section:
    """Adoptions, special guardianship and child arrangements orders per year (counts)."""
    names = {"adopted": "Adoption", "sgo": "Special guardianship order", "cao": "Child arrangements order"}
    rows = [
        {"year": y, "route": names[mid], "count": r[y][mid]["numerator"]} for mid in names for y in view.years
    ]
    df = _frame(rows, ["count"])
    sf = disclose(df, view, counts=["count"], add_up=[], separately=["year", "route"])
    t = sf.table[sf.table["year"] == view.year].set_index("route")["count"].to_dict()
    if all(_is_num(v) for v in t.values()):
        total = sum(t.values())
        title = (
            f"{fmt_number(total)} children left care on a permanence order in {year_label(view.year)}: "
            f"{fmt_number(t[names['adopted']])} adopted, {fmt_number(t[names['sgo']])} special guardianship, "
            f"{fmt_number(t[names['cao']])} child arrangements"
        )
    else:
        title = f"Permanence orders, {year_label(view.year)}: some figures withheld (small numbers)"
    foot = (
        "Children ceasing to be looked after adopted (E11, E12), on a special guardianship order "
        f"(E43-E48) or a child arrangements order (E41). {source(view)}"
    )
    fig = charts.trend_line(
        sf,
        x="year",
        y="count",
        labels=sf.labels("count"),
        hover=sf.labels("count"),
        series="route",
        title=title,
        footnote=foot,
        y_title="Children",
        x_labels={y: year_label(y) for y in view.years},
        label_points="last",
    )
    return Section("orders", title, fig, _table(sf), foot)


STABILITY_IDS = ["placements_3plus", "long_term_stability", "placement_moves", "cla_at_31_march"]


def stability_page(con, view: View, strategy: Strategy | None, comparators: Sequence[Comparator]) -> PageData:
    r = _results(con, view, STABILITY_IDS)
    page = PageData(
        metrics=[
            metric(r, "placements_3plus", view, "3+ placements in the year"),
            metric(r, "long_term_stability", view, "Long-term stability"),
            metric(r, "placement_moves", view, "Placement moves"),
        ]
    )
    page.sections += [
        measure_trend(r, "placements_3plus", view, strategy, comparators),
        measure_trend(r, "long_term_stability", view, strategy, comparators),
        breakdown_bars(
            r,
            "placements_3plus",
            "age_band",
            view,
            key="3plus_by_age",
            sort=False,
            what="3+ placements by age band",
            share_of="share",
        ),
        breakdown_bars(
            r, "placement_moves", "reason", view, key="moves_by_reason", what="placement moves by reason"
        ),
        measure_trend(r, "placement_moves", view, strategy, comparators),
    ]
    page.groups = {
        "Stability": ["placements_3plus", "long_term_stability"],
        "Moves": ["3plus_by_age", "moves_by_reason", "placement_moves"],
    }
    return page


CARE_LEAVER_IDS = [
    "care_leavers_17_18_eet",
    "care_leavers_19_21_eet",
    "care_leavers_17_18_suitable_accommodation",
    "care_leavers_19_21_suitable_accommodation",
    "care_leavers_19_21_in_touch",
    "care_leavers_19_21_with_former_foster_carers",
]


def care_leavers_page(
    con, view: View, strategy: Strategy | None, comparators: Sequence[Comparator]
) -> PageData:
    r = _results(con, view, CARE_LEAVER_IDS)
    page = PageData(
        metrics=[
            metric(r, "care_leavers_19_21_eet", view, "19-21 in EET"),
            metric(r, "care_leavers_19_21_suitable_accommodation", view, "19-21 suitable housing"),
            metric(r, "care_leavers_17_18_eet", view, "17-18 in EET"),
            metric(r, "care_leavers_19_21_in_touch", view, "19-21 in touch"),
        ]
    )
    page.sections += [
        measure_trend(r, "care_leavers_19_21_eet", view, strategy, comparators),
        measure_trend(r, "care_leavers_19_21_suitable_accommodation", view, strategy, comparators),
        multi_trend(
            r,
            ["care_leavers_17_18_eet", "care_leavers_17_18_suitable_accommodation"],
            ["In EET", "In suitable accommodation"],
            view,
            key="17_18",
            title=_pair_title(
                r, view, "care_leavers_17_18_eet", "care_leavers_17_18_suitable_accommodation", "17-18"
            ),
        ),
        multi_trend(
            r,
            ["care_leavers_19_21_in_touch", "care_leavers_19_21_with_former_foster_carers"],
            ["In touch", "With former foster carers"],
            view,
            key="in_touch",
            title=_touch_title(r, view),
        ),
        breakdown_bars(
            r,
            "care_leavers_19_21_eet",
            "activity",
            view,
            key="activity",
            what="care leavers aged 19-21 by activity",
        ),
        breakdown_bars(
            r,
            "care_leavers_19_21_suitable_accommodation",
            "accommodation",
            view,
            key="accommodation",
            what="care leavers aged 19-21 by accommodation",
        ),
    ]
    page.groups = {
        "Outcomes": [
            "care_leavers_19_21_eet",
            "care_leavers_19_21_suitable_accommodation",
            "17_18",
            "in_touch",
        ],
        "Activity and accommodation": ["activity", "accommodation"],
    }
    return page


def _pair_title(r, view, a, b, ages) -> str:
    va = headline(r, a, view, [view.year]).table.iloc[0]["value"]
    vb = headline(r, b, view, [view.year]).table.iloc[0]["value"]
    if _is_num(va) and _is_num(vb):
        return f"Care leavers aged {ages} in {year_label(view.year)}: {va:.0f}% in EET, {vb:.0f}% in suitable accommodation"
    return f"Care leavers aged {ages}: EET and suitable accommodation"


def _touch_title(r, view) -> str:
    v = headline(r, "care_leavers_19_21_in_touch", view, [view.year]).table.iloc[0]["value"]
    if _is_num(v):
        return f"The council was in touch with {v:.0f}% of care leavers aged 19-21 in {year_label(view.year)}"
    return "Care leavers aged 19-21: in touch and living with former foster carers"


PAGES = {
    "reduce": reduce_page,
    "placements": placements_page,
    "permanence": permanence_page,
    "stability": stability_page,
    "care_leavers": care_leavers_page,
}


def definitions() -> pd.DataFrame:
    """Every measure of the registry, for the definitions page (never retyped)."""
    unit_names = {COUNT: "count", SHARE: "per cent", RATE: "per 10,000 children", MEAN_DAYS: "days (mean)"}
    return pd.DataFrame(
        [
            {
                "Measure": m.title,
                "Formerly": (m.old_name or "").replace("formerly ", ""),
                "Definition": m.definition,
                "Unit": unit_names[m.unit],
                "Better when": {"high": "higher", "low": "lower"}.get(m.good, "neither"),
                "Breakdowns": ", ".join(BREAKDOWN_NAMES.get(b, b) for b in m.breakdowns),
                "Id": m.id,
            }
            for m in MEASURES.values()
        ]
    )


def as_text(table: pd.DataFrame) -> pd.DataFrame:
    """A table for the screen: every cell as text ("c" stays "c", missing is a dash, counts with
    thousands separators), so mixed number-and-"c" columns display as they will download."""

    def cell(v) -> str:
        if v is None or (isinstance(v, float) and v != v):
            return "–"
        if isinstance(v, bool):
            return "Yes" if v else "No"
        if isinstance(v, int):
            return str(v) if 1900 < v < 2100 else f"{v:,}"
        if isinstance(v, float):
            return f"{v:,.1f}"
        return str(v)

    return table.apply(lambda col: col.map(cell)) if len(table) else table


def targets_table(strategy: Strategy) -> pd.DataFrame:
    rows = []
    for mid, t in strategy.targets.items():
        for y, v in sorted(t.by_year.items()):
            rows.append(
                {
                    "Measure": MEASURES[mid].title,
                    "Where": "Council",
                    "Year": year_label(y),
                    "Target": v,
                    "Better when": {"high": "higher", "low": "lower"}.get(t.good, "–"),
                }
            )
        for loc, years in t.by_locality.items():
            for y, v in sorted(years.items()):
                rows.append(
                    {
                        "Measure": MEASURES[mid].title,
                        "Where": loc,
                        "Year": year_label(y),
                        "Target": v,
                        "Better when": {"high": "higher", "low": "lower"}.get(t.good, "–"),
                    }
                )
    return pd.DataFrame(rows)


def comparators_table(comparators: Sequence[Comparator]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Measure": MEASURES[c.measure].title if c.measure in MEASURES else c.measure,
                "Area": c.area,
                "Year": year_label(c.year),
                "Value": c.value,
                "Source": c.source,
                "Release": c.release_year,
            }
            for c in comparators
        ]
    )
