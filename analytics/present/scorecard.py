"""The board's scorecard: one row per headline measure (the Harrow performance table's shape).

Columns: the council's three complete years before the current one, the quarters of the
current year to date that the data reaches (Q1 to 30 June, Q2 to 30 September, Q3 to 31
December, as boards read them), the current year (to its end, or to the last complete month end
in the data), the target, then the published comparators
(`analytics.comparators`): England, the council's region, the statistical neighbours' average,
our value's quartile band and rank among every council ("C · 104th of 151") and the best in
the region, named (a missing comparator is a dash, never 0); a sparkline of the trend years,
"n of d", a RAG rating (against the target, or by quartile band, as `config/strategy.toml`
chooses) and the officer's note of the row (`config/scorecard_notes.csv`, through the
disclosure rule for free text; none for part of the council).

A screen like any other: the releases of its years (and year to date) are suppressed in one
pass (`analytics.release.numbers`), and every cell is written from the shown numbers; a band
and rank are those of a shown value only.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from analytics import release, safe_csv
from analytics.comparators import COUNT_MEASURES, Benchmarks, Published
from analytics.disclosure import NOTE_WITHHELD, free_text
from analytics.measures.registry import MEASURES
from analytics.present import screen
from analytics.present.formats import DASH, fmt, heights, is_number, n_of_d, published, year_label
from analytics.present.model import View
from analytics.present.sections import ordinal
from analytics.release import Release
from analytics.strategy import QUARTILE_RULE, RAG_RULE, Strategy, rag

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
RAG_COLOURS = {
    "Green": "#009E73",
    "Amber": "#E69F00",
    "Red": "#D55E00",
    "A": "#00692F",  # dark green
    "B": "#7BC47F",  # light green
    "C": "#E69F00",  # amber
    "D": "#D55E00",  # red
}
RAG_TEXT = {"B": "#1a1a1a", "C": "#1a1a1a"}
PARTS = {  # the scorecard in two halves a room can read (slides, presentation mode)
    "ours": "Our figures and targets",
    "theirs": "Against England, {region} and our statistical neighbours",
}
COMPARATOR_COLUMNS = ("England", "Region", "Neighbours", "Quartile", "Best in region")


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
    region: str = "Region"  # the region column's heading
    quarter_columns: list[str] = field(default_factory=list)

    @property
    def number_columns(self) -> list[str]:
        return [
            *self.year_columns,
            *self.quarter_columns,
            self.to_date_column,
            "Target",
            "England",
            self.region,
            "Neighbours",
        ]

    def csv(self) -> str:
        return safe_csv.to_csv(self.table.drop(columns=["Trend"]))

    def columns(self, part: str | None = None) -> list[str]:
        """The columns drawn after the measure: all, or one part of `PARTS` (a slide's, a
        presentation screen's)."""
        now = self.to_date_column
        if part == "ours":
            return [*self.year_columns, *self.quarter_columns, now, "Target", "Trend", "n of d", "RAG"]
        if part == "theirs":
            return [now, "England", self.region, "Neighbours", "Quartile", "Best in region", "RAG"]
        return [*self.number_columns, "Quartile", "Best in region", "Trend", "n of d", "RAG"]

    def part_title(self, part: str) -> str:
        return PARTS[part].format(region=self.region)

    def html(self, part: str | None = None) -> str:
        return to_html(self, part)

    def texts(self) -> list[str]:
        return [str(v) for v in self.table.drop(columns=["Trend"]).to_numpy().ravel()] + self.notes


@dataclass
class Assessment:
    """A measure against its target and the field, for the RAG period: what the RAG reads."""

    shown: dict  # the headline as shown (numerator, denominator, value)
    target: float | None
    standing: dict | None  # `Benchmarks.show` of our shown value (None for a count or part of the council)
    band: str | None
    rag: str  # "Green", "Amber", "Red", a band, or a dash

    @property
    def value(self) -> float | None:
        return self.shown["value"] if is_number(self.shown["value"]) else None


def rag_period(view: View) -> tuple[int, str]:
    """The year the RAG rates, and its name: the reference year; the year before while a year
    to date is shown (targets are for whole years)."""
    if view.to_date is None:
        return view.year, f"{year_label(view.year)} to 31 Mar {view.year}"
    return view.year - 1, year_label(view.year - 1)


def assess(n: release.Numbers, mid: str, view: View, strategy: Strategy, bench: Benchmarks) -> Assessment:
    """One measure's RAG as the scorecard rates it (by target, or by quartile band where the
    strategy says so), from the shown numbers of `n`."""
    f = view.filters
    rag_year, _ = rag_period(view)
    target_def = strategy.targets.get(mid)
    good = strategy.good(mid)
    target = target_def.for_year(rag_year, f.localities) if target_def else None
    if f.districts or f.age_bands or f.sexes:
        target = None  # a council target does not describe part of the council
    r = n.headline(mid, rag_year)
    value = r["value"] if is_number(r["value"]) else None
    ranked = not view.part_of_council and mid not in COUNT_MEASURES
    standing = bench.show(mid, rag_year, value, good) if ranked else None
    band = None
    if standing and standing["value"] and standing["value"]["band"]:
        band = standing["value"]["band"]
    by_quartile = strategy.rag_basis == "quartile"
    return Assessment(
        r, target, standing, band, (band if by_quartile and band else rag(value, target, good)) or DASH
    )


def build(
    rels: Sequence[Release], view: View, strategy: Strategy, benchmarks: Benchmarks | None = None
) -> Scorecard:
    year = view.year
    bench = benchmarks or Benchmarks(Published.empty())
    n = release.numbers(rels, view.rules)
    as_of = view.to_date
    previous = [year - 3, year - 2, year - 1]
    to_date_name = (
        f"{year_label(year)} to 31 Mar {year}"
        if as_of is None
        else f"{year_label(year)} to {as_of.strftime('%d %b %Y')} (year to date)"
    )
    rag_year, rag_label = rag_period(view)
    quarters = [
        (f"Q{i} to {q:%d %b %Y}", q)
        for i, q in enumerate(screen.quarter_ends(year), start=1)
        if q in {r.as_of for r in rels if r.year == year} and q != as_of
    ]
    by_quartile = strategy.rag_basis == "quartile"
    region = bench.region_name

    rows, figures, field_years = [], [], set()
    for mid in ROWS:
        m = MEASURES[mid]
        a = assess(n, mid, view, strategy, bench)
        row = {"Measure": m.title, "Formerly": (m.old_name or "").replace("formerly ", "")}
        for y in previous:
            row[year_label(y)] = _cell(n, mid, y)
        for name, q in quarters:
            row[name] = _cell(n, mid, year, q)
        row[to_date_name] = _cell(n, mid, year, as_of)
        row["Target"] = fmt(a.target, m.unit) if a.target is not None else DASH
        compare = not view.part_of_council
        for column, which in (("England", "england"), (region, "region"), ("Neighbours", "neighbours")):
            ranked = mid not in COUNT_MEASURES or which != "neighbours"  # counts do not compare
            c = bench.latest(which, mid, rag_year) if compare and ranked else None
            row[column] = DASH if c is None else _figure(c, m.unit, rag_year)
            figures += [c.value] if c and is_number(c.value) else []
            figures += [c.of] if c and c.of else []
        standing = a.standing
        if a.band:
            rank = standing["value"]["rank"]
            row["Quartile"] = f"{a.band} · {ordinal(rank)} of {standing['field_size']}"
            field_years.add(standing["field_year"])
            figures += [rank, standing["field_size"]]
        else:
            row["Quartile"] = DASH
        best = standing["best_in_region"] if standing else None
        row["Best in region"] = f"{best['name']} {published(best['value'], m.unit)}" if best else DASH
        figures += [best["value"]] if best else []
        figures += [a.target] if a.target is not None else []
        trend_values = heights(n.headline(mid, y)["value"] for y in view.years)
        row["Trend"] = [None if pd.isna(v) else float(v) for v in trend_values]
        row["n of d"] = "" if m.unit.is_count else n_of_d(a.shown["numerator"], a.shown["denominator"])
        row["RAG"] = a.rag
        row["Better when"] = {"high": "higher", "low": "lower"}.get(strategy.good(mid), DASH)
        row["Note"] = _note(strategy.notes.get((mid, year)), view)
        rows.append(row)
    rule = QUARTILE_RULE if by_quartile else RAG_RULE
    against = ", ".join(
        f"against {year_label(y)}'s published figures" for y in sorted(field_years) if y != rag_year
    )
    notes = [
        f"{rule} RAG is for {rag_label}.",
        f"England, {region} and statistical neighbours (the plain mean of the ten councils DfE groups "
        "with ours that publish a figure): DfE's published figures, Open Government Licence v3.0 "
        "(the Data page lists each file and release); a year in brackets is the latest published "
        "before; measures DfE's files here do not hold come from config/comparators.csv; a dash "
        "where none is published"
        + (" or where a filter shows part of the council." if view.part_of_council else "."),
        f"Quartile: our value's band among every council (A the best quarter, D the bottom) and its "
        f"rank, 1st the best{' (' + against + ')' if against else ''}; best in region: the best "
        f"council of the {region} region as published. Counts are not ranked: councils differ in size.",
        f"Trend: {year_label(view.years[0])} to {year_label(view.years[-1])}; a gap is a withheld or missing year. "
        f"n of d: the children counted and the children they are counted from, for {rag_label}.",
    ]
    if view.synthetic:
        notes.append(
            "The synthetic council stands in for Middlesbrough (E06000002): its neighbours are "
            "Middlesbrough's, its field every council's; its own figures are invented."
        )
    if any(rec["Note"] for rec in rows):
        notes.append(
            "Notes: the officers' notes (config/scorecard_notes.csv), for the council as a whole; "
            "a count of 1 to 5 in a note is c, and a note with one such count is withheld."
        )
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
        rule,
        notes,
        dict(n.read),
        figures,
        trend,
        region,
        [name for name, _ in quarters],
    )


def _note(text: str | None, view: View) -> str:
    """An officer's note as it may be shown: for the council as a whole only, through the
    disclosure rule for free text (or unchanged while disclosure control is off on screen)."""
    if not text or view.part_of_council:
        return ""
    shown = free_text(text, view.rules)
    return NOTE_WITHHELD if shown is None else shown


def _figure(c, unit, year: int) -> str:
    """A comparator as written: its value (or symbol), "of 8" when fewer than ten neighbours
    publish one, and its year in brackets when it is an earlier year's."""
    text = published(c.value, unit)
    if c.of is not None and c.of != 10:
        text += f" (of {c.of})"
    return text + ("" if c.year == year else f" ({c.year})")


def _cell(n: release.Numbers, mid: str, year: int, as_of: date | None = None) -> str:
    if n.reason(mid, year, as_of):
        return DASH
    return fmt(n.headline(mid, year, as_of)["value"], MEASURES[mid].unit)


def _sparkline(points: list[float | None], width: int = 72, height: int = 28) -> str:
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


def to_html(card: Scorecard, part: str | None = None) -> str:
    """The scorecard as a board-ready HTML table (wrapping names, RAG with its word,
    sparklines): every column, or one `part` of them (`Scorecard.columns`)."""
    columns = card.columns(part)
    broken = {card.to_date_column, *card.quarter_columns}  # "Q1<br>to 30 Jun 2024"
    heads = {"Quartile": "Quartile<br>and rank", "Best in region": "Best in<br>region"}
    kind = {card.to_date_column: " now", **dict.fromkeys(card.quarter_columns, " q")}
    numeric = set(card.number_columns)

    def head(c: str) -> str:
        if c in numeric:
            text = html.escape(c).replace(" to ", "<br>to ", 1) if c in broken else html.escape(c)
            return f"<th class='num{' q' if c in card.quarter_columns else ''}'>{text}</th>"
        return f"<th>{heads.get(c, html.escape(c))}</th>"

    def cell(c: str, rec: dict) -> str:
        if c in numeric:
            return f"<td class='num{kind.get(c, '')}'>{html.escape(str(rec[c]))}</td>"
        if c == "Quartile":
            band, _, rank = rec["Quartile"].partition(" · ")
            rank_text = f"<br><span class='rank'>{html.escape(rank)}</span>" if rank else ""
            return f"<td class='band'><b>{html.escape(band)}</b>{rank_text}</td>"
        if c == "Best in region":
            return f"<td class='best'>{html.escape(rec['Best in region'])}</td>"
        if c == "Trend":
            return f"<td class='spark'>{_sparkline(rec['Trend'])}</td>"
        if c == "n of d":
            return f"<td class='nd'>{html.escape(rec['n of d'])}</td>"
        colour = RAG_COLOURS.get(rec["RAG"])  # the RAG
        if not colour:
            return f"<td class='rag none'>{html.escape(rec['RAG'])}</td>"
        return (
            f"<td class='rag' style='background:{colour};color:{RAG_TEXT.get(rec['RAG'], '#fff')}'>"
            f"{html.escape(rec['RAG'])}</td>"
        )

    rows = []
    for rec in card.table.to_dict("records"):
        notes = [f"formerly {rec['Formerly']}"] if rec["Formerly"] else []
        if rec["Better when"] != "–":
            notes.append(f"{rec['Better when']} is better")
        old = f"<div class='old'>{html.escape(' · '.join(notes))}</div>" if notes else ""
        if rec.get("Note"):
            old += f"<div class='note'>{html.escape(rec['Note'])}</div>"
        cells = "".join(cell(c, rec) for c in columns)
        rows.append(f"<tr><td class='name'>{html.escape(rec['Measure'])}{old}</td>{cells}</tr>")
    style = """<style>
table.scorecard{border-collapse:collapse;width:100%;font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#1a1a1a}
table.scorecard th{background:#f2f2f2;text-align:left;padding:7px 4px;border-bottom:2px solid #444;font-size:13px;vertical-align:bottom}
table.scorecard td{padding:6px 4px;border-bottom:1px solid #ddd;vertical-align:middle}
table.scorecard .num{text-align:right;white-space:nowrap}
table.scorecard td.now{font-weight:bold;background:#f7fbff}
table.scorecard .name{min-width:170px}
table.scorecard th.num{white-space:nowrap;text-align:right}
table.scorecard .old{font-size:12px;color:#666}
table.scorecard .note{font-size:12px;color:#1a1a1a;font-style:italic;max-width:420px;margin-top:2px;border-left:3px solid #0072B2;padding-left:5px}
table.scorecard .q{color:#333;background:#fafafa}
table.scorecard .nd{font-size:12px;color:#333;min-width:64px}
table.scorecard .rag{color:#fff;font-weight:bold;text-align:center;width:56px}
table.scorecard .rag.none{color:#666;font-weight:normal}
table.scorecard .band{font-size:13px}
table.scorecard .rank{white-space:nowrap;font-size:12px;color:#333}
table.scorecard .best{font-size:12px;color:#333;min-width:90px}
</style>"""
    return (
        f"{style}<table class='scorecard'><thead><tr><th>Measure</th>{''.join(head(c) for c in columns)}"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
