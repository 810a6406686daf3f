"""The board's scorecard: one row per headline measure (the Harrow performance table's shape).

Columns: the council's three complete years before the current one, the current year to date
(as of the last complete month end in the data), the target, England and North East (from the
editable comparator table; a missing comparator is a dash, never 0), a sparkline of the trend
years, "n of d", and a RAG rating against the target using each measure's direction of good.

A screen like any other: the releases of its years (and year to date) are suppressed in one
pass (`analytics.release.numbers`), and every cell is written from the shown numbers.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from analytics import release, safe_csv
from analytics.disclosure import SUPPRESSED
from analytics.measures.registry import MEASURES
from analytics.present.formats import DASH, fmt, heights, n_of_d, year_label
from analytics.present.model import View
from analytics.release import Release
from analytics.strategy import RAG_RULE, Comparator, Strategy, comparator, rag

ROWS = [
    "cla_at_31_march",
    "cla_rate_per_10k",
    "starts",
    "starts_rate_per_10k",
    "placements_3plus",
    "long_term_stability",
    "care_leavers_19_21_suitable_accommodation",
    "care_leavers_19_21_eet",
    "care_leavers_17_18_suitable_accommodation",
    "care_leavers_17_18_eet",
    "adoption_placed_within_12_months_of_decision",
    "foster_or_adoption_10_15",
    "placed_over_20_miles",
    "oc2_health_assessment",
    "reviews_on_time",
    "missing_children_share",
]
AREAS = ("England", "North East")
RAG_COLOURS = {"Green": "#009E73", "Amber": "#E69F00", "Red": "#D55E00"}


@dataclass
class Scorecard:
    table: pd.DataFrame  # as shown: strings ("c" hidden, "–" missing) and the sparkline lists
    year_columns: list[str]
    to_date_column: str
    rag_year: int
    rule: str
    notes: list[str] = field(default_factory=list)
    audit: dict = field(default_factory=dict)  # {release Key: shown value} of every number read
    published: list[float] = field(default_factory=list)  # targets and comparators shown
    trend_label: str = ""

    def csv(self) -> str:
        return safe_csv.to_csv(self.table.drop(columns=["Trend"]))

    def html(self) -> str:
        return to_html(self)

    def texts(self) -> list[str]:
        return [str(v) for v in self.table.drop(columns=["Trend"]).to_numpy().ravel()] + self.notes


def build(
    rels: Sequence[Release], view: View, strategy: Strategy, comparators: list[Comparator]
) -> Scorecard:
    f = view.filters
    year = view.year
    n = release.numbers(rels, view.rules)
    as_of = view.to_date
    previous = [year - 3, year - 2, year - 1]
    if as_of is None:
        to_date_name = f"{year_label(year)} to 31 Mar {year}"
        rag_year, rag_label = year, to_date_name
    else:
        to_date_name = f"{year_label(year)} to {as_of.strftime('%d %b %Y')} (year to date)"
        rag_year, rag_label = year - 1, year_label(year - 1)
    rag_as_of = as_of if rag_year == year else None

    rows, published = [], []
    for mid in ROWS:
        m = MEASURES[mid]
        target_def = strategy.targets.get(mid)
        good = target_def.good if target_def else m.good
        target = target_def.for_year(rag_year, f.localities) if target_def else None
        if f.districts or f.age_bands or f.sexes:
            target = None  # a council target does not describe part of the council
        row = {"Measure": m.title, "Formerly": (m.old_name or "").replace("formerly ", "")}
        for y in previous:
            row[year_label(y)] = _cell(n, mid, y)
        row[to_date_name] = _cell(n, mid, year, as_of)
        row["Target"] = fmt(target, m.unit) if target is not None else DASH
        for area in AREAS:
            c = None if view.part_of_council else _comparator(comparators, mid, area, rag_year)
            row[area] = (
                DASH if c is None else fmt(c.value, m.unit) + ("" if c.year == rag_year else f" ({c.year})")
            )
            published += [c.value] if c else []
        published += [target] if target is not None else []
        trend_values = heights(n.headline(mid, y)["value"] for y in view.years)
        row["Trend"] = [None if pd.isna(v) else float(v) for v in trend_values]
        r = n.headline(mid, rag_year, rag_as_of)
        row["n of d"] = "" if m.unit.is_count else n_of_d(r["numerator"], r["denominator"])
        value = r["value"] if r["value"] != SUPPRESSED else None
        row["RAG"] = rag(value, target, good) or DASH
        row["Better when"] = {"high": "higher", "low": "lower"}.get(good, DASH)
        rows.append(row)
    notes = [
        f"{RAG_RULE} RAG is for {rag_label}.",
        "England and North East: DfE, Children looked after in England including adoptions "
        "(config/comparators.csv, with each figure's release); a dash where none is published"
        + (" or where a filter shows part of the council." if view.part_of_council else "."),
        f"Trend: {year_label(view.years[0])} to {year_label(view.years[-1])}; a gap is a withheld or missing year. "
        f"n of d: the children counted and the children they are counted from, for {rag_label}.",
    ]
    if view.suppress:
        notes.append(
            "c: withheld to protect children's privacy (counts of 1 to 5, and figures that would reveal them)."
        )
    trend = f"{year_label(view.years[0])} to {year_label(view.years[-1])}"
    return Scorecard(
        pd.DataFrame(rows),
        [year_label(y) for y in previous],
        to_date_name,
        rag_year,
        RAG_RULE,
        notes,
        dict(n.read),
        published,
        trend,
    )


def _cell(n: release.Numbers, mid: str, year: int, as_of: date | None = None) -> str:
    if n.reason(mid, year, as_of):
        return DASH
    return fmt(n.headline(mid, year, as_of)["value"], MEASURES[mid].unit)


def _comparator(comparators: list[Comparator], mid: str, area: str, year: int) -> Comparator | None:
    """The figure for the year, else the latest earlier one (labelled with its year)."""
    for y in range(year, year - 4, -1):
        c = comparator(comparators, mid, area, y)
        if c:
            return c
    return None


def _sparkline(points: list[float | None], width: int = 90, height: int = 30) -> str:
    """An inline SVG line; a withheld or missing year is a gap."""
    shown = [p for p in points if p is not None]
    if not shown:
        return ""
    lo, hi = min(shown), max(shown)
    span = (hi - lo) or 1
    step = (width - 8) / max(len(points) - 1, 1)
    segments, current = [], []
    for i, p in enumerate(points):
        if p is None:
            if current:
                segments.append(current)
            current = []
            continue
        current.append(f"{4 + i * step:.1f},{height - 4 - (p - lo) / span * (height - 8):.1f}")
    if current:
        segments.append(current)
    lines = "".join(
        f'<polyline points="{" ".join(seg)}" fill="none" stroke="#0072B2" stroke-width="2"/>'
        if len(seg) > 1
        else f'<circle cx="{seg[0].split(",")[0]}" cy="{seg[0].split(",")[1]}" r="2" fill="#0072B2"/>'
        for seg in segments
    )
    last = segments[-1][-1].split(",")
    dot = f'<circle cx="{last[0]}" cy="{last[1]}" r="3" fill="#0072B2"/>'
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">{lines}{dot}</svg>'
    data = base64.b64encode(svg.encode()).decode()
    return f'<img alt="trend" width="{width}" height="{height}" src="data:image/svg+xml;base64,{data}"/>'


def to_html(card: Scorecard) -> str:
    """The scorecard as a board-ready HTML table (wrapping names, RAG with its word, sparklines)."""
    number_columns = [*card.year_columns, card.to_date_column, "Target", "England", "North East"]
    head = "".join(
        f"<th class='num'>{html.escape(c).replace(' to ', '<br>to ', 1) if c == card.to_date_column else html.escape(c)}</th>"
        for c in number_columns
    )
    rows = []
    for rec in card.table.to_dict("records"):
        notes = [f"formerly {rec['Formerly']}"] if rec["Formerly"] else []
        if rec["Better when"] != "–":
            notes.append(f"{rec['Better when']} is better")
        old = f"<div class='old'>{html.escape(' · '.join(notes))}</div>" if notes else ""
        cells = "".join(
            f"<td class='num{' now' if c == card.to_date_column else ''}'>{html.escape(str(rec[c]))}</td>"
            for c in number_columns
        )
        colour = RAG_COLOURS.get(rec["RAG"])
        rag_cell = (
            f"<td class='rag' style='background:{colour}'>{rec['RAG']}</td>"
            if colour
            else f"<td class='rag none'>{html.escape(rec['RAG'])}</td>"
        )
        rows.append(
            f"<tr><td class='name'>{html.escape(rec['Measure'])}{old}</td>{cells}"
            f"<td class='spark'>{_sparkline(rec['Trend'])}</td>"
            f"<td class='nd'>{html.escape(rec['n of d'])}</td>{rag_cell}</tr>"
        )
    style = """<style>
table.scorecard{border-collapse:collapse;width:100%;font-family:Arial,Helvetica,sans-serif;font-size:15px;color:#1a1a1a}
table.scorecard th{background:#f2f2f2;text-align:left;padding:8px 6px;border-bottom:2px solid #444;font-size:14px;vertical-align:bottom}
table.scorecard td{padding:7px 6px;border-bottom:1px solid #ddd;vertical-align:middle}
table.scorecard .num{text-align:right;white-space:nowrap}
table.scorecard td.now{font-weight:bold;background:#f7fbff}
table.scorecard .name{min-width:220px}
table.scorecard th.num{white-space:nowrap;text-align:right}
table.scorecard .old{font-size:12px;color:#666}
table.scorecard .nd{white-space:nowrap;font-size:13px;color:#333}
table.scorecard .rag{color:#fff;font-weight:bold;text-align:center;width:64px}
table.scorecard .rag.none{color:#666;font-weight:normal}
</style>"""
    return (
        f"{style}<table class='scorecard'><thead><tr><th>Measure</th>{head}"
        f"<th>Trend</th><th>n of d</th><th>RAG</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
