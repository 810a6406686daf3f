"""The board pack: the current view turned into slides (PowerPoint) or a paper (PDF).

Built from the same screens the dashboard draws (`analytics.present`), always with disclosure
control on, whatever the on-screen switch says: every number in the pack is a shown value
("c" for hidden) of one `release.numbers` pass. Charts are native PowerPoint charts of the
dashboard's chart tables (a hidden cell is a blank), so officers can restyle them; in the PDF
they are reportlab drawings of the same values. Streamlit-free.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from analytics import comparators, datasets, plan
from analytics.disclosure import SUPPRESSED
from analytics.measures.registry import MEASURES
from analytics.present import action_plan, screen
from analytics.present import scorecard as scorecards
from analytics.present.formats import year_label
from analytics.present.model import Chart, Screen, View
from analytics.present.pages import PAGES
from analytics.strategy import Strategy

KEY_CHARTS = 3  # charts per priority: the first of its first tab
PLAN_ROWS = 5  # actions on a slide
DEFINITIONS = 6  # definitions on a slide
SCORECARD_ROWS = 8  # scorecard rows on a slide
DISCLOSURE_NOTE = (
    "Disclosure control: counts of 1 to 5, and figures that would reveal them by subtraction, are "
    "shown as c (disclosure.md). The pack is always built with disclosure control on, and holds no "
    "child-level data: only the counts, shares and rates the dashboard shows."
)


@dataclass
class Slide:
    title: str
    lines: list[str] = field(default_factory=list)  # bullet text
    chart: Chart | None = None
    table: pd.DataFrame | None = None  # shown values only
    notes: str = ""  # speaker notes


@dataclass
class Pack:
    council: str
    slides: list[Slide]


def _values(series: pd.Series) -> list[float | None]:
    """A column as chart values: a hidden ("c") or missing cell is a blank, never a number."""
    out = []
    for v in series:
        out.append(None if v is None or v == SUPPRESSED or pd.isna(v) else float(v))
    return out


def withheld(series: pd.Series) -> list[bool]:
    """A column's points that are withheld: drawn as a "c" at the axis, never at a height."""
    return [v == SUPPRESSED for v in series]


def chart_series(chart: Chart, read=None) -> tuple[list[str], dict[str, list]]:
    """A chart's categories and its series of shown values (trend: by period; bars: by category);
    `read=withheld`: for each point, whether it is withheld ("c")."""
    read = read or _values
    t = chart.table
    if chart.kind == "trend_line":
        value = "value" if "value" in t.columns else "count"
        group = next((c for c in ("measure", "route", "uasc") if c in t.columns), None)
        periods = list(dict.fromkeys(t["period"].astype(str)))
        series: dict[str, list[float | None]] = {}
        for name, rows in (
            t.groupby(group, sort=False) if group else [(chart.options.get("name", "This council"), t)]
        ):
            by = dict(zip(rows["period"].astype(str), read(rows[value])))
            series[str(name)] = [by.get(p) for p in periods]
        for extra in ("Target", "England"):
            if extra in t.columns and not group:
                series[extra] = read(t[extra])
        return periods, series
    if chart.kind == "bars":
        cat = "category" if "category" in t.columns else t.columns[1]
        value = next(c for c in ("share", "actions", "count") if c in t.columns)
        group = next((c for c in ("measure", "provision", "group") if c in t.columns), None)
        cats = list(dict.fromkeys(t[cat if cat in t.columns else "month"].astype(str)))
        if group:
            series = {}
            key = cat if cat in t.columns else "month"
            for name, rows in t.groupby(group, sort=False):
                by = dict(zip(rows[key].astype(str), read(rows[value])))
                series[str(name)] = [by.get(c) for c in cats]
            if chart.options.get("stacked"):  # a part of nothing is no part (no "0" label on it)
                series = {k: [v or None for v in vs] for k, vs in series.items()}
            return cats, series
        return cats, {"This council": read(t[value])}
    # heatmap: the reference year's row of the grid, by its column
    col = [c for c in t.columns if c not in ("period", "year", "count")][0]
    last = t[t["year"] == t["year"].max()]
    return list(last[col].astype(str)), {year_label(int(t["year"].max())): read(last["count"])}


def drawn_series(chart: Chart) -> tuple[list[str], dict[str, list]]:
    """`chart_series` as a slide draws it: a bar chart's category with a withheld bar is named
    "TS7 (c)", since a blank bar would read as none (a line's gap is a gap)."""
    cats, series = chart_series(chart)
    if chart.kind == "trend_line":
        return cats, series
    hidden = chart_series(chart, withheld)[1].values()
    marked = {i for marks in hidden for i, m in enumerate(marks) if m}
    return [f"{c} ({SUPPRESSED})" if i in marked else c for i, c in enumerate(cats)], series


def _change(now: str, before: str) -> str:
    return f"{before} last year" if before and before != now else "no change on last year"


def build(
    con: duckdb.DuckDBPyConnection,
    view: View,
    strategy: Strategy,
    bench: comparators.Benchmarks | None = None,
    actions: tuple[plan.Action, ...] | None = None,
) -> Pack:
    """The pack of a view: title, scorecard (and the officers' notes), each priority (headlines,
    key charts), year to date, the action plan, definitions, disclosure and sources. Disclosure
    control always on. `actions`: the action plan (default: the plan file's)."""
    view = replace(view, suppress=True)
    cov = datasets.coverage(con)
    bench = bench if bench is not None else comparators.of(con)
    f = view.filters
    filters = ", ".join(
        f"{k}: {', '.join(v) if isinstance(v, list | tuple) else v}" for k, v in f.as_json().items()
    )
    period = f"{year_label(view.year)} (1 April {view.year - 1} to 31 March {view.year})"
    title = Slide(
        f"{strategy.council}: children looked after",
        [
            "Corporate parenting board pack",
            f"Period: {period}",
            f"Data as of: {(view.to_date or cov.as_of or date(view.year, 3, 31)).strftime('%d %B %Y')}",
            f"Filters: {filters or 'none (the whole council)'}",
        ]
        + (["SYNTHETIC DATA: invented children, not a real council"] if cov.synthetic else []),
    )
    slides = [title]
    releases = cache(lambda years: screen.releases(con, view, years))  # pages share their years
    rels = releases(tuple(screen.years_of(view, "overview")))
    card = scorecards.build([*rels, *screen.quarter_releases(con, view)], view, strategy, bench)
    slides += _scorecard(card)
    noted = card.table[card.table["Note"] != ""]
    if len(noted):
        slides.append(
            Slide(
                "Officers' notes on the scorecard",
                [f"{rec['Measure']}: {rec['Note']}" for rec in noted.to_dict("records")],
                notes="The notes of config/scorecard_notes.csv, through disclosure control's rule for free "
                "text: a count of 1 to 5 is c; a note with exactly one such count is withheld.",
            )
        )
    used: set[str] = set()
    for spec in PAGES:
        if not spec.tabs:
            continue
        page = strategy.page(spec.key)
        rels = releases(tuple(screen.years_of(view, spec.key)))
        first = screen.page(rels, view, spec.key, None, strategy, bench)
        before = _previous(rels, view, spec.key, strategy, bench)
        lines = [page.objective] if page.objective else []
        for m, b in zip(first.metrics, before.metrics if before else [None] * len(first.metrics)):
            lines.append(f"{m.label}: {m.value} ({m.detail}); {_change(m.value, b.value if b else '')}")
        slides.append(Slide(page.title, lines, notes=page.source))
        charts = [s for s in first.sections if s.chart is not None][:KEY_CHARTS]
        for sec in charts:
            used.update(_measures(sec.key))
            slides.append(
                Slide(
                    sec.chart.options.get("title", sec.title),
                    chart=sec.chart,
                    notes=f"{sec.chart.options.get('title', '')}\n\n{sec.footnote}",
                )
            )
    if view.to_date:
        slides.append(_year_to_date(card))
    todo = plan.load_plan() if actions is None else actions
    if todo:
        rels = releases(tuple(screen.years_of(view, "action_plan")))
        slides += _action_plan(rels, view, strategy, bench, todo)
    defs = [f"{MEASURES[m].title}: {MEASURES[m].definition}" for m in scorecards.ROWS if m in MEASURES]
    for i in range(0, len(defs), DEFINITIONS):
        slides.append(Slide("Definitions" + (" (continued)" if i else ""), defs[i : i + DEFINITIONS]))
    slides.append(
        Slide(
            "Disclosure control and sources",
            [
                DISCLOSURE_NOTE,
                "Source: the council's SSDA903 returns" + (" (synthetic)" if cov.synthetic else "") + ".",
                "England, region, statistical neighbours, quartiles and ranks: DfE's published figures "
                "(Explore Education Statistics), Open Government Licence v3.0; figures DfE's files do "
                "not hold: config/comparators.csv.",
                "Targets: the council's strategy (config/strategy.toml).",
            ],
        )
    )
    return Pack(strategy.council, slides)


def _measures(key: str) -> set[str]:
    return {key} if key in MEASURES else set()


def _previous(rels, view: View, key: str, strategy, bench) -> Screen | None:
    """The page's headlines a year earlier, from the same disclosure pass's releases."""
    prev = replace(view, filters=replace(view.filters, year=view.year - 1, as_of=None), as_of=None)
    if view.year - 1 not in {r.filters.year for r in rels}:
        return None
    return screen.page(rels, prev, key, None, strategy, bench)


def _scorecard(card: scorecards.Scorecard) -> list[Slide]:
    """The scorecard in its two parts (`Scorecard.columns`: our figures, then against England,
    the region and the neighbours), each over slides of eight rows a room can read."""
    t = card.table
    names = [f"{m} ({old})" if old else m for m, old in zip(t["Measure"], t["Formerly"])]
    t = t.assign(Measure=names)
    notes = "\n".join(card.notes)
    slides = []
    for part in scorecards.PARTS:
        columns = ["Measure", *(c for c in card.columns(part) if c != "Trend")]
        for i in range(0, len(t), SCORECARD_ROWS):
            where = " (continued)" if i else ""
            title = f"Scorecard: {card.part_title(part)[0].lower()}{card.part_title(part)[1:]}{where}"
            slides.append(Slide(title, table=t[columns].iloc[i : i + SCORECARD_ROWS], notes=notes))
    return slides


def _action_plan(rels, view: View, strategy: Strategy, bench, actions) -> list[Slide]:
    """The plan's progress (its chart and the table by priority), then the actions not yet
    achieved with their lead, due date and measures."""
    shown = action_plan.build(rels, view, strategy, bench, actions)
    source = strategy.page("action_plan").source
    slides = [
        Slide(
            f"Action plan: {shown.summary}",
            chart=shown.chart,
            notes=f"{source}\n\n{shown.chart.options['footnote']}",
        ),
        Slide(f"Action plan: {shown.summary}, by priority and status", table=shown.progress, notes=source),
    ]
    open_ = shown.table[~shown.table["Status"].str.startswith("Achieved")]
    columns = ["Action", "What", "Lead", "Due", "Status", "Measures"]
    for i in range(0, len(open_), PLAN_ROWS):
        slides.append(
            Slide(
                "Action plan: not yet achieved" + (" (continued)" if i else ""),
                table=open_[columns].iloc[i : i + PLAN_ROWS],
                notes="\n".join(shown.notes),
            )
        )
    return slides


def _year_to_date(card: scorecards.Scorecard) -> Slide:
    t = card.table
    cols = ["Measure", card.year_columns[-1], card.to_date_column, "n of d"]
    return Slide(f"Year to date: {card.to_date_column}", table=t[[c for c in cols if c in t.columns]])


# --- PowerPoint -----------------------------------------------------------------------------

RAG_RGB = {k: v.lstrip("#") for k, v in scorecards.RAG_COLOURS.items()}


def to_pptx(pack: Pack) -> bytes:
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Emu, Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]
    for i, s in enumerate(pack.slides):
        slide = prs.slides.add_slide(prs.slide_layouts[0] if i == 0 else blank)
        if i == 0:
            slide.shapes.title.text = s.title
            slide.placeholders[1].text = "\n".join(s.lines)
            title, sub = slide.shapes.title, slide.placeholders[1]
            for shape, top, height in ((title, Inches(1.0), Inches(1.6)), (sub, Inches(2.9), Inches(3.6))):
                shape.left, shape.width = Inches(0.5), prs.slide_width - Inches(1)
                shape.top, shape.height = top, height
            continue
        box = slide.shapes.add_textbox(Inches(0.4), Inches(0.25), prs.slide_width - Inches(0.8), Inches(0.9))
        box.name = "Title"
        tf = box.text_frame
        tf.word_wrap = True
        tf.text = s.title
        tf.paragraphs[0].runs[0].font.size = Pt(26 if len(s.title) < 90 else 20)
        tf.paragraphs[0].runs[0].font.bold = True
        top = Inches(1.3)
        if s.lines:
            body = slide.shapes.add_textbox(
                Inches(0.5), top, prs.slide_width - Inches(1), Inches(5.8)
            ).text_frame
            body.word_wrap = True
            for j, line in enumerate(s.lines):
                p = body.paragraphs[0] if j == 0 else body.add_paragraph()
                p.text = line
                p.font.size = Pt(18 if len(s.lines) < 7 else 14)
                p.space_after = Pt(8)
        if s.chart is not None:
            cats, series = drawn_series(s.chart)
            data = CategoryChartData()
            data.categories = cats
            for name, values in series.items():
                data.add_series(name, values)
            across = _across(s.chart)
            kind = (
                XL_CHART_TYPE.LINE_MARKERS
                if s.chart.kind == "trend_line"
                else XL_CHART_TYPE.BAR_STACKED
                if s.chart.options.get("stacked")
                else XL_CHART_TYPE.BAR_CLUSTERED
                if across
                else XL_CHART_TYPE.COLUMN_CLUSTERED
            )
            gf = slide.shapes.add_chart(
                kind, Inches(0.5), top, prs.slide_width - Inches(1), Inches(5.7), data
            )
            ch = gf.chart
            if across:  # the first category at the top, as on the dashboard
                ch.category_axis.reverse_order = True
            if s.chart.kind != "trend_line":  # each bar's value written at its end
                ch.plots[0].has_data_labels = True
                ch.plots[0].data_labels.font.size = Pt(13)
            ch.has_legend = len(series) > 1
            if ch.has_legend:
                ch.legend.position = XL_LEGEND_POSITION.BOTTOM
                ch.legend.include_in_layout = False
            ch.font.size = Pt(14)
            for k, plot_series in enumerate(ch.plots[0].series):
                colour = RGBColor.from_string(_palette(k, list(series)[k], s.chart.options.get("colours")))
                if s.chart.kind == "trend_line":
                    plot_series.format.line.color.rgb = colour
                    plot_series.format.line.width = Emu(38100)
                else:
                    plot_series.format.fill.solid()
                    plot_series.format.fill.fore_color.rgb = colour
        if s.table is not None:
            _pptx_table(slide, s.table, top, prs, Pt, Inches, RGBColor)
        if s.notes:
            slide.notes_slide.notes_text_frame.text = s.notes
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _across(chart: Chart) -> bool:
    """Bars drawn across (the dashboard's default for a breakdown), not upright."""
    return chart.kind == "bars" and chart.options.get("horizontal", True)


def _palette(k: int, name: str, colours: dict | None = None) -> str:
    from analytics import charts

    if colours and name in colours:
        return colours[name].lstrip("#")
    if name == "Target":
        return charts.TARGET_COLOUR.lstrip("#")
    if name == "England":
        return charts.ENGLAND_COLOUR.lstrip("#")
    return charts.PALETTE[k % len(charts.PALETTE)].lstrip("#")


def _em(word: str) -> float:
    """A word's width in ems in a sans-serif font (DejaVu's widths, rounded; bold a little wider)."""
    narrow, wide = ".,:;·'()-–/", "%MWmw"
    return 1.08 * sum(
        0.36 if ch in narrow else 0.95 if ch in wide else 0.78 if ch.isupper() else 0.64 for ch in word
    )


def column_widths(table: pd.DataFrame, width: float, size: float, margins: float) -> list[float]:
    """Column widths (in the units of `width`, `size` the font size in the same units, `margins`
    a cell's two margins): each column room for its longest word, so no word is broken, and the
    width left shared among the columns whose texts wrap (a name, an action), by their length."""
    need, wrap = [], []
    for col in table.columns:
        cells = [str(v) for v in table[col]]
        longest = max(_em(w) for text in [str(col), *cells] for w in text.split() or [""])
        usual = sorted(_em(c) for c in cells)[len(cells) // 2] if cells else 0
        need.append(longest * size + margins)
        wrap.append(max(usual - longest, 0))
    spare = width - sum(need)
    if spare <= 0:
        return [w * width / sum(need) for w in need]
    weights = wrap if sum(wrap) else need
    return [w + spare * k / sum(weights) for w, k in zip(need, weights)]


def _pptx_table(slide, table: pd.DataFrame, top, prs, Pt, Inches, RGBColor) -> None:
    rows, cols = len(table) + 1, len(table.columns)
    width = prs.slide_width - Inches(0.6)
    shape = slide.shapes.add_table(rows, cols, Inches(0.3), top, width, Inches(0.3) * rows)
    grid = shape.table
    size = Pt(12 if rows > 10 else 14)
    widths = column_widths(table.astype(str), width, size, Inches(0.2))  # as LibreOffice draws them
    for c, (name, w) in enumerate(zip(table.columns, widths)):
        grid.cell(0, c).text = str(name)
        grid.cell(0, c).text_frame.paragraphs[0].font.size = size
        grid.columns[c].width = int(w)
    for row in grid.rows:
        row.height = Inches(0.3)
        for cell in row.cells:
            cell.margin_left = cell.margin_right = Inches(0.05)
    for r, rec in enumerate(table.astype(str).itertuples(index=False), start=1):
        for c, v in enumerate(rec):
            cell = grid.cell(r, c)
            cell.text = v
            cell.text_frame.paragraphs[0].font.size = size
            if table.columns[c] == "RAG" and v in RAG_RGB:
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor.from_string(RAG_RGB[v])
                cell.text_frame.paragraphs[0].font.color.rgb = RGBColor(255, 255, 255)
                cell.text_frame.paragraphs[0].font.bold = True


# --- PDF ------------------------------------------------------------------------------------


def to_pdf(pack: Pack) -> bytes:
    from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        title=pack.slides[0].title,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.2 * cm,
        bottomMargin=1.2 * cm,
    )
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7, leading=8.5)
    cell = styles["BodyText"].clone("cell", fontSize=9, leading=11)
    body = styles["BodyText"].clone("body", fontSize=12, leading=16)
    story = []
    width = landscape(A4)[0] - 3 * cm
    for i, s in enumerate(pack.slides):
        if i:
            story.append(PageBreak())
        story.append(Paragraph(_esc(s.title), styles["Title"] if i == 0 else styles["Heading1"]))
        story += [Paragraph(_esc(line), body) for line in s.lines]
        if s.chart is not None:
            cats, series = drawn_series(s.chart)
            d = Drawing(width, 330)
            across = _across(s.chart)
            c = (
                HorizontalLineChart()
                if s.chart.kind == "trend_line"
                else HorizontalBarChart()
                if across
                else VerticalBarChart()
            )
            if s.chart.options.get("stacked"):
                c.categoryAxis.style = "stacked"
            c.x, c.y, c.width, c.height = 50, 60, width - 80, 250
            if across:  # names at the left, the first category at the top
                c.x, c.width = 230, width - 260
                cats, series = cats[::-1], {k: v[::-1] for k, v in series.items()}
            c.data = [tuple(v for v in vals) for vals in series.values()]
            c.categoryAxis.categoryNames = cats
            c.categoryAxis.labels.fontSize = 8
            if len(cats) > 8 and not across:
                c.categoryAxis.labels.angle = 30
                c.categoryAxis.labels.boxAnchor = "ne"
            c.valueAxis.valueMin = 0
            if s.chart.kind != "trend_line":  # each bar's value at its end, as in the deck
                c.barLabelFormat = "%.0f" if "share" not in s.chart.table.columns else "%.1f"
                c.barLabels.fontSize = 8
                c.barLabels.nudge = 8
            for k, name in enumerate(series):
                colour = colors.HexColor("#" + _palette(k, name, s.chart.options.get("colours")))
                if s.chart.kind == "trend_line":
                    c.lines[k].strokeColor = colour
                    c.lines[k].strokeWidth = 2.5
                else:
                    c.bars[k].fillColor = colour
            d.add(c)
            for k, name in enumerate(series):
                d.add(
                    String(
                        60 + 150 * k,
                        8,
                        name[:28],
                        fontSize=9,
                        fillColor=colors.HexColor("#" + _palette(k, name, s.chart.options.get("colours"))),
                    )
                )
            story.append(d)
            story.append(Paragraph(_esc(s.notes.split("\n\n")[-1]), small))
        if s.table is not None:
            t = s.table.astype(str)
            head = [Paragraph(f"<b>{_esc(str(c))}</b>", cell) for c in t.columns]
            rows = [[Paragraph(_esc(v), cell) for v in rec] for rec in t.itertuples(index=False)]
            grid = Table([head, *rows], colWidths=column_widths(t, width, 9, 12), repeatRows=1)
            style = [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
            if "RAG" in t.columns:
                col = list(t.columns).index("RAG")
                for r, v in enumerate(t["RAG"], start=1):
                    if v in RAG_RGB:
                        style.append(("BACKGROUND", (col, r), (col, r), colors.HexColor("#" + RAG_RGB[v])))
            grid.setStyle(TableStyle(style))
            story.append(Spacer(1, 6))
            story.append(grid)
            if s.notes:
                story += [Paragraph(_esc(n), small) for n in s.notes.split("\n")]
    doc.build(story)
    return out.getvalue()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write(pack: Pack, path: Path) -> None:
    """Write the pack to a .pptx or .pdf file (by its suffix)."""
    suffix = path.suffix.lower()
    if suffix not in (".pptx", ".pdf"):
        raise ValueError(f"{path}: the pack is a .pptx or a .pdf file")
    path.write_bytes(to_pptx(pack) if suffix == ".pptx" else to_pdf(pack))


# --- Excel ----------------------------------------------------------------------------------


def scorecard_xlsx(card: scorecards.Scorecard) -> bytes:
    """The scorecard as an Excel workbook: its shown cells (every column but the sparkline, so
    columns added to the scorecard appear), RAG coloured, then its notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    table = card.table.drop(columns=["Trend"], errors="ignore").astype(str)
    book = Workbook()
    sheet = book.active
    sheet.title = "Scorecard"
    sheet.append(list(table.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for rec in table.itertuples(index=False):
        sheet.append(list(rec))
    if "RAG" in table.columns:
        col = list(table.columns).index("RAG") + 1
        for row in range(2, len(table) + 2):
            cell = sheet.cell(row, col)
            if cell.value in RAG_RGB:
                cell.fill = PatternFill("solid", fgColor=RAG_RGB[cell.value])
                cell.font = Font(bold=True, color="FFFFFF")
    sheet.column_dimensions["A"].width = 55
    sheet.append([])
    for note in card.notes:
        sheet.append([note])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
