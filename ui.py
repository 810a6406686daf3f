"""The dashboard's shared screen parts: which database is open, the bounded caches, the sidebar
filters (bound to the URL by Streamlit), the banners, and drawing a screen.

The router (`app.py`) builds the `View` once per run and leaves it in the session for the page
it runs; pages import this and `analytics`, and never query the database themselves. The
disclosure switch lives in the session only: it is never written to the URL.
"""

from __future__ import annotations

import os
import tempfile
import threading
from dataclasses import replace
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st
import streamlit.components.v1 as components

from analytics import boardpack, comparators, config, datasets, measures, plan, release, safe_csv
from analytics.filters import AGE_BANDS, SEXES, Filters
from analytics.forecast import report as forecast_report
from analytics.present import action_plan, reference, scorecard, screen
from analytics.present.formats import as_text, year_label
from analytics.present.model import Screen, Section, View
from analytics.present.pages import BY_KEY
from analytics.strategy import comparators_path, load_comparators, load_strategy, notes_path, strategy_path

CACHE_ENTRIES = 48
TREND_YEARS = 10  # the default span of the trends
PAGES_DIR = Path(__file__).resolve().parent / "pages"


# --- the database and the caches ------------------------------------------------------------


def db_path() -> Path:
    """`CLA_DB` if set, else the private database if it exists, else the bundled synthetic one."""
    if os.environ.get("CLA_DB"):
        return Path(os.environ["CLA_DB"])
    private = config.default_db()
    return private if private.exists() else config.BUNDLED_DB


def db_token() -> tuple:
    """Identifies the database's current contents: a load swaps the file, so the token changes."""
    path = db_path()
    if not path.exists():
        return (str(path), None)
    stat = path.stat()
    return (str(path), stat.st_mtime_ns, stat.st_size)


def settings_token() -> tuple:
    return tuple(
        (str(p), p.stat().st_mtime_ns if p.exists() else None)
        for p in (strategy_path(), notes_path(), plan.plan_path(), comparators_path())
    )


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(token: tuple):
    return measures.connect(Path(token[0])), threading.Lock()


def _run(fn, *args):
    """Run an engine call on the shared read-only connection (one at a time)."""
    con, lock = _connection(db_token())
    with lock:
        return fn(con, *args)


@st.cache_data(max_entries=4, show_spinner=False)
def coverage(token: tuple) -> datasets.Coverage:
    return _run(datasets.coverage)


@st.cache_data(max_entries=4, show_spinner=False)
def settings(token: tuple):
    return load_strategy(), load_comparators()


def strategy():
    return settings(settings_token())[0]


# Releases and screens hold the numbers of a view and Plotly figures: kept as objects
# (cache_resource, bounded, never mutated) rather than pickled on every warm render.
@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner="Counting…")
def _releases(token: tuple, view: View, years: tuple[int, ...]):
    return _run(screen.releases, view, years)


def releases(token: tuple, view: View, years: list[int]):
    """The releases of a view, shared by every page and by both positions of the disclosure
    switch (the numbers do not depend on it; what is shown of them does)."""
    return _releases(token, replace(view, suppress=True), tuple(years))


@st.cache_resource(max_entries=2, show_spinner=False)
def benchmarks(token: tuple, settings_key: tuple) -> comparators.Benchmarks:
    """The published comparators stored in the database, and config/comparators.csv."""
    return _run(comparators.of, settings(settings_key)[1])


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner="Counting…")
def _shown(token: tuple, view: View, years: tuple[int, ...]):
    """A page's shown numbers (one disclosure pass), shared by its tabs and by every rerun."""
    return screen.shown(releases(token, view, list(years)), view)


def page_screen(name: str, tab: str | None, token: tuple, settings_key: tuple, view: View) -> Screen:
    strat, _ = settings(settings_key)
    years = screen.years_of(view, name)
    rels = releases(token, view, years)
    numbers = _shown(token, view, tuple(years))
    return screen.page(rels, view, name, tab, strat, benchmarks(token, settings_key), numbers)


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner="Counting…")
def scorecard_screen(token: tuple, settings_key: tuple, view: View) -> scorecard.Scorecard:
    strat, _ = settings(settings_key)
    rels = releases(token, view, screen.years_of(view, "overview"))
    quarters = _quarters(token, replace(view, suppress=True))
    return scorecard.build([*rels, *quarters], view, strat, benchmarks(token, settings_key))


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner="Counting the quarters…")
def _quarters(token: tuple, view: View):
    return _run(screen.quarter_releases, view)


@st.cache_data(max_entries=4, show_spinner=False)
def actions(settings_key: tuple):
    """The action plan file's actions (analytics.plan)."""
    return plan.load_plan()


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner="Counting…")
def plan_screen(token: tuple, settings_key: tuple, view: View) -> action_plan.PlanScreen:
    strat, _ = settings(settings_key)
    rels = releases(token, view, screen.years_of(view, "action_plan"))
    return action_plan.build(rels, view, strat, benchmarks(token, settings_key), actions(settings_key))


@st.cache_resource(max_entries=8, show_spinner="Counting…")
def own_against_published(token: tuple, settings_key: tuple, view: View):
    """Our figures for the council as a whole beside DfE's published ones, for every year both
    exist (a screen of its own: the releases of those years, suppressed in one pass)."""
    bench = benchmarks(token, settings_key)
    years = sorted({*bench.published.values.year.astype(int)} & set(coverage(token).years))
    if not years or not bench.la_code:
        return reference.own_against_published(None, bench, [])
    whole = View(Filters(view.year), tuple(years), view.suppress, view.synthetic)
    rels = releases(token, whole, years)
    return reference.own_against_published(release.numbers(rels, whole.rules), bench, years)


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner="Projecting…")
def what_if(token: tuple, area: Filters, scenario, horizon: int, origin: int, costs: tuple):
    """The what-if of an area (council, districts, localities) under a scenario (analytics.forecast)."""
    return _run(forecast_report.build, area, scenario, horizon, dict(costs), origin)


@st.cache_data(max_entries=4, show_spinner=False)
def data_tables(token: tuple) -> dict:
    return {
        "loads": _run(datasets.loads_table),
        "validation": _run(datasets.validation_summary),
        "quarantine": _run(datasets.quarantine_summary),
    }


def reopen() -> None:
    """After a load: drop the connection and every cached result."""
    st.cache_data.clear()
    st.cache_resource.clear()


# --- the router's parts: data, sidebar, banners ---------------------------------------------


def open_data() -> datasets.Coverage:
    """What the database holds; a plain message and a stop when there is nothing to show."""
    token = db_token()
    if token[1] is None:
        st.error(
            f"No database at {token[0]}. Load returns first: "
            "`python -m analytics load PATH --la-code E06000002`, or set CLA_DB."
        )
        st.stop()
    cov = coverage(token)
    if not cov.years:
        st.error("The database holds no returns yet: load some with `python -m analytics load`.")
        st.stop()
    return cov


def sidebar(cov: datasets.Coverage) -> View:
    """The shared filters, each bound to its URL parameter, and the disclosure switch (never
    in the URL). A shared link opens the same view; a page switch keeps it."""
    years = list(cov.years)
    last = years[-1]
    sb = st.sidebar
    sb.markdown("### Filters")
    sb.selectbox(
        "Reference year",
        years[::-1],
        key="year",
        format_func=year_label,
        bind="query-params",
        help="The collection year the single-year charts and headline numbers show (April to March).",
    )
    left, right = sb.columns(2)
    first_default = years.index(max(years[0], last - TREND_YEARS + 1))
    left.selectbox(
        "Trends from", years, index=first_default, key="from", format_func=year_label, bind="query-params"
    )
    right.selectbox("to", years, index=len(years) - 1, key="to", format_func=year_label, bind="query-params")
    sb.multiselect(
        "Postcode districts", cov.districts, key="district", placeholder="All districts", bind="query-params"
    )
    if cov.localities:
        sb.multiselect(
            "Localities", cov.localities, key="locality", placeholder="All localities", bind="query-params"
        )
    sb.multiselect("Age band", list(AGE_BANDS), key="age", placeholder="All ages", bind="query-params")
    sb.multiselect(
        "Sex", [s for s in SEXES if s != "Unknown"], key="sex", placeholder="Both", bind="query-params"
    )
    sb.toggle(
        "England, region and neighbours",
        key="compare",
        bind="query-params",
        help="Adds DfE's published England, regional and statistical neighbours' figures to the "
        "trend charts of the measures DfE publishes (the council as a whole only).",
    )
    sb.divider()
    s = st.session_state
    s.setdefault("_suppress", True)  # kept apart from the widget, so a page of its own keeps it
    sb.toggle(
        "Disclosure control",
        value=s["_suppress"],
        key="suppress",
        on_change=lambda: s.update(_suppress=s["suppress"]),
        help="Hides counts of 1 to 5 (and figures that would reveal them) as c. Never part of a shared link.",
    )
    first, to = sorted((s["from"], s["to"]))
    filters = Filters(
        year=s["year"],
        districts=tuple(s["district"]),
        localities=tuple(s.get("locality") or ()),
        age_bands=tuple(s["age"]),
        sexes=tuple(s["sex"]),
    )
    sb.caption(f"Data to {cov.as_of:%d %B %Y}" if cov.as_of else f"Data to {year_label(cov.years[-1])}")
    return View(
        filters,
        tuple(range(first, to + 1)),
        bool(s["_suppress"]),
        cov.synthetic,
        cov.as_of,
        bool(s["compare"]),
    )


def banners(view: View) -> None:
    if view.synthetic:
        st.info(
            "**Synthetic data.** Every child in this database is invented (a fictional council "
            "modelled on published figures); no real child is shown.",
            icon=":material/science:",
        )
    if not view.suppress:
        st.warning(
            "**Disclosure control is off.** Small numbers (1 to 5) that could identify a child are "
            "shown. Do not copy, screenshot or share this screen. Downloads are switched off until "
            "it is on again.",
            icon=":material/warning:",
        )


def frame(cov: datasets.Coverage | None = None) -> View:
    """The shared frame of every page: the sidebar (filters and disclosure switch) and the
    banners; the view they make."""
    cov = cov or open_data()
    v = sidebar(cov)
    if presenting():
        st.html(PRESENT_CSS)
    banners(v)
    return v


# --- presentation mode: ?present=1 ---------------------------------------------------------

PRESENT_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none}
.block-container {padding: 0.5rem 2rem !important; max-width: 100%}
[data-testid="stAlert"] p {font-size: 1.1rem !important}
html, .stMarkdown p, [data-testid="stCaptionContainer"] {font-size: 1.6rem !important}
h1 {font-size: 2.6rem !important; padding: 0 !important}
[data-testid="stMetricValue"] {font-size: 3.2rem !important}
[data-testid="stMetricLabel"] p {font-size: 1.5rem !important}
table.scorecard {font-size: 22px !important}
table.scorecard th, table.scorecard .old, table.scorecard .note, table.scorecard .rank, table.scorecard .best, table.scorecard .nd, table.scorecard .band {font-size: 18px !important}
table.scorecard .name {min-width: 460px !important}
table.scorecard .note {max-width: none !important}
</style>"""
# The arrow keys press the Previous and Next buttons of the parent page.
ARROW_KEYS = """<script>
const doc = window.parent.document;
if (!doc.presentKeys) {
  doc.presentKeys = true;
  doc.addEventListener("keydown", (e) => {
    const label = {ArrowRight: "Next", ArrowLeft: "Previous"}[e.key];
    if (!label) return;
    const button = [...doc.querySelectorAll("button")].find((b) => b.innerText.trim().startsWith(label));
    if (button && !button.disabled) button.click();
  });
}
</script>"""


def presenting() -> bool:
    """Presentation mode (`?present=1` in the link): large type, no sidebar, one chart at a time."""
    return st.query_params.get("present") == "1"


def _stepper(name: str, count: int, what: str, title=None) -> int:
    """Previous and Next buttons (and the arrow keys) over `count` slides; the slide shown.
    `title(k)`: a heading for slide k, written between the buttons."""
    key = f"slide_{name}"
    at = min(max(int(st.session_state.get(key, 0)), 0), count - 1)
    back, where, ahead = st.columns([1, 4, 1], vertical_alignment="center")
    back.button(
        "Previous",
        key="present_prev",
        disabled=at == 0,
        on_click=st.session_state.update,
        args=({key: at - 1},),
    )
    ahead.button(
        "Next",
        key="present_next",
        disabled=at == count - 1,
        on_click=st.session_state.update,
        args=({key: at + 1},),
    )
    heading = f"**{title(at)}** · " if title else ""
    where.caption(f"{heading}{what} {at + 1} of {count} · arrow keys move between them")
    components.html(ARROW_KEYS, height=0)
    return at


def present(name: str, sections: list[Section]) -> None:
    """One chart of the page at a time, with Previous and Next (and the arrow keys)."""
    charts = [s for s in sections if s.chart is not None]
    if not charts:
        return
    at = _stepper(name, len(charts), "Chart")
    fig = go.Figure(charts[at].figure).update_layout(height=600, font_size=22, title_font_size=28)
    st.plotly_chart(fig, config=CHART_CONFIG, key=f"present_{charts[at].key}", theme=None)


PRESENT_ROWS = 4  # scorecard rows on one screen in presentation mode (1920 x 1080, notes too)


def present_scorecard(card: scorecard.Scorecard) -> None:
    """The scorecard a few rows and one part at a time (our figures, then against England,
    the region and the neighbours), readable from the back of the room."""
    screens = [(part, i) for part in scorecard.PARTS for i in range(0, len(card.table), PRESENT_ROWS)]
    at = _stepper("overview", len(screens), "Screen", lambda k: card.part_title(screens[k][0]))
    part, i = screens[at]
    st.html(replace(card, table=card.table.iloc[i : i + PRESENT_ROWS]).html(part))


def hand_over(v: View) -> None:
    """The router leaves the view it built for the page it runs next."""
    st.session_state["_view"] = v


def view() -> View:
    """The view for this page: the router's, or, when Streamlit runs the page without the
    router, the frame drawn here.

    Streamlit keeps its legacy `pages/` discovery on until `st.navigation` has run once in the
    process (and `AppTest` turns it back on for every run), so the first request of a process
    for a page's URL runs that page's script alone. Drawing the same frame here keeps that run
    whole, without any private Streamlit API and without running the router again."""
    v = st.session_state.pop("_view", None)
    return v if v is not None else frame()


def filter_summary(view: View) -> str:
    parts = [
        f"Reference year {year_label(view.year)}",
        f"trends {year_label(view.years[0])} to {year_label(view.years[-1])}",
    ]
    f = view.filters
    for name, values in (
        ("districts", f.districts),
        ("localities", f.localities),
        ("ages", f.age_bands),
        ("sex", f.sexes),
    ):
        if values:
            parts.append(f"{name}: {', '.join(values)}")
    return " · ".join(parts)


# --- drawing --------------------------------------------------------------------------------

# The modebar offers only the image download (PNG, drawn in the browser at twice the size).
CHART_CONFIG = {
    "displayModeBar": True,
    "displaylogo": False,
    "modeBarButtons": [["toImage"]],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def page_header(key: str, view: View) -> None:
    page = strategy().page(key)
    st.title(page.title)
    if presenting():
        st.caption(filter_summary(view))
        return
    if page.objective:
        st.markdown(f"*{page.objective}*")
    if page.source:
        st.caption(page.source)
    st.caption(filter_summary(view))
    if not presenting():
        pack_buttons(view)
        if key == "overview":
            scorecard_workbook(view)


@st.cache_resource(max_entries=8, show_spinner=False)
def _pack(token: tuple, settings_key: tuple, view: View, kind: str) -> bytes:
    strat, _ = settings(settings_key)
    pack = _run(boardpack.build, view, strat, benchmarks(token, settings_key))
    return boardpack.to_pptx(pack) if kind == "pptx" else boardpack.to_pdf(pack)


def pack_buttons(view: View) -> None:
    """The board pack of the current filters, built only when a button is clicked; off, with
    the reason, while disclosure control is off on screen (the pack itself is always suppressed)."""
    off = not view.suppress
    help_ = (
        "Off while disclosure control is off on screen." if off else "The current filters as a board pack."
    )
    left, right, _ = st.columns([1, 1, 4])
    for col, kind, mime in (
        (left, "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        (right, "pdf", "application/pdf"),
    ):
        col.download_button(
            f"Board pack ({kind.upper()})",
            lambda kind=kind: _pack(db_token(), settings_token(), view, kind),
            file_name=f"board_pack_{view.year}.{kind}",
            mime=mime,
            disabled=off,
            help=help_,
            key=f"pack_{kind}",
            icon=":material/slideshow:",
            type="tertiary",
        )
    if off:
        st.caption("The board pack is off while disclosure control is off on screen.")


@st.cache_resource(max_entries=4, show_spinner=False)
def _scorecard_xlsx(token: tuple, settings_key: tuple, view: View) -> bytes:
    return boardpack.scorecard_xlsx(scorecard_screen(token, settings_key, view))


def scorecard_workbook(view: View) -> None:
    """The scorecard as an Excel workbook (suppressed numbers only: none while disclosure is off)."""
    if view.suppress:
        st.download_button(
            "Download the scorecard (Excel)",
            lambda: _scorecard_xlsx(db_token(), settings_token(), view),
            file_name=f"scorecard_{view.year}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="pack_xlsx",
            icon=":material/table_view:",
            type="tertiary",
        )


def section(sec: Section, view: View, numbers: bool) -> None:
    """One chart; under it its CSV download and, when asked for, its table of numbers."""
    if sec.chart is None:
        st.subheader(sec.title)
        st.caption(sec.footnote)
        return
    st.plotly_chart(sec.figure, config=CHART_CONFIG, key=f"chart_{sec.key}", theme=None)
    if numbers:
        st.table(as_text(sec.table).set_index(sec.table.columns[0]))
    download(sec.csv(), f"{sec.key}.csv", view, key=f"dl_{sec.key}")
    st.divider()


def download(text: str, file_name: str, view: View, key: str) -> None:
    """A CSV download, only of suppressed numbers: none while disclosure control is off."""
    if view.suppress:
        st.download_button(
            "Download the data (CSV)",
            text,
            file_name=safe_csv.file_name(file_name),
            mime="text/csv",
            key=key,
            icon=":material/download:",
            type="tertiary",
        )
    else:
        st.caption("Downloads are off while disclosure control is off.")


def draw_page(name: str) -> None:
    """A priority page: its header, the tab chosen, its headline numbers, then each section."""
    v = view()
    page_header(name, v)
    tabs = list(BY_KEY[name].tabs)
    if presenting():  # every chart of the page, one at a time
        present(
            name, [s for t in tabs for s in page_screen(name, t, db_token(), settings_token(), v).sections]
        )
        return
    head = st.container()  # the headline numbers, above the tab chosen below
    left, right = st.columns([3, 1], vertical_alignment="center")
    tab = left.segmented_control(
        "Show", tabs, default=tabs[0], key=f"group_{name}", label_visibility="collapsed"
    )
    numbers = right.toggle(
        "Show the numbers",
        key=f"numbers_{name}",
        help="A table under each chart with the numbers it draws (as downloaded).",
    )
    shown = page_screen(name, tab or tabs[0], db_token(), settings_token(), v)
    with head:
        metrics(shown)
    for sec in shown.sections:
        section(sec, v, numbers)


def metrics(shown: Screen) -> None:
    if not shown.metrics:
        return
    for col, m in zip(st.columns(len(shown.metrics)), shown.metrics):
        col.metric(m.label, m.value, help=m.help, border=True)
        if m.detail:
            col.caption(m.detail)


def save_upload(files) -> Path:
    """Uploaded files into a private temporary folder (removed by the caller)."""
    folder = Path(tempfile.mkdtemp(prefix="cla-upload-", dir=config.home()))
    for f in files:  # the name reduced to safe characters: no path, no "..", no typed text beyond them
        (folder / safe_csv.file_name(Path(f.name).name)).write_bytes(f.getvalue())
    return folder


def upload_allowed() -> bool:
    return os.environ.get("CLA_ALLOW_UPLOAD", "").strip().lower() in ("1", "true", "yes", "on")


def private_db() -> Path:
    return config.default_db()
