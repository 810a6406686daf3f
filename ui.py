"""The dashboard's shared screen parts: which database is open, the sidebar filters bound to the
URL, the disclosure switch, the bounded caches, and the "chart + numbers + download" section.

Pages import this and `analytics`; they never query the database themselves. The suppression
switch lives in the session only: it is never written to the URL.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import streamlit as st

from analytics import config, datasets, measures, scorecard, views
from analytics.filters import AGE_BANDS, SEXES, Filters
from analytics.strategy import comparators_path, load_comparators, load_strategy, strategy_path
from analytics.views import View, year_label

CACHE_ENTRIES = 48
TREND_YEARS = 10  # the default span of the trends
URL_KEYS = ("year", "from", "to", "district", "locality", "age", "sex")


# --- the database ---------------------------------------------------------------------------


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
    out = []
    for p in (strategy_path(), comparators_path()):
        out.append((str(p), p.stat().st_mtime_ns if p.exists() else None))
    return tuple(out)


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


# Page results hold Plotly figures: kept as objects (cache_resource, bounded, never mutated)
# rather than pickled, which would cost a tenth of a second per page on every warm render.
@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner="Counting…")
def page_data(name: str, token: tuple, settings_key: tuple, view: View) -> views.PageData:
    strat, comps = settings(settings_key)
    return _run(views.PAGES[name], view, strat, comps)


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner="Counting…")
def scorecard_data(token: tuple, settings_key: tuple, view: View) -> scorecard.Scorecard:
    strat, comps = settings(settings_key)
    return _run(scorecard.build, view, strat, comps)


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


# --- filters in the URL ---------------------------------------------------------------------


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def _from_url(cov: datasets.Coverage) -> None:
    """Once per session (a shared link opens a new session): widget state from the URL. After
    that the session's widgets are the truth and are written back to the URL on every run, so a
    page switch (which drops the query string) keeps the filters."""
    if st.session_state.get("_url_loaded"):
        return
    qp = st.query_params.to_dict()
    years = list(cov.years)
    last = years[-1]

    def year(key: str, default: int) -> int:
        try:
            y = int(qp.get(key, default))
        except ValueError:
            return default
        return y if y in years else default

    ref = year("year", last)
    first = year("from", max(years[0], last - TREND_YEARS + 1))
    to = year("to", last)
    if first > to:
        first, to = to, first
    st.session_state["f_year"] = ref
    st.session_state["f_from"] = first
    st.session_state["f_to"] = to
    st.session_state["f_district"] = [d for d in _split(qp.get("district")) if d in cov.districts]
    st.session_state["f_locality"] = [loc for loc in _split(qp.get("locality")) if loc in cov.localities]
    st.session_state["f_age"] = [a for a in _split(qp.get("age")) if a in AGE_BANDS]
    st.session_state["f_sex"] = [s for s in _split(qp.get("sex")) if s in SEXES]
    st.session_state["_url_loaded"] = True


def _to_url() -> None:
    s = st.session_state
    params = {"year": str(s["f_year"]), "from": str(s["f_from"]), "to": str(s["f_to"])}
    for key, name in (
        ("f_district", "district"),
        ("f_locality", "locality"),
        ("f_age", "age"),
        ("f_sex", "sex"),
    ):
        if s.get(key):
            params[name] = ",".join(s[key])
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


def sidebar(cov: datasets.Coverage) -> View:
    """The shared filters (bound to the URL) and the disclosure switch (never in the URL)."""
    _from_url(cov)
    years = list(cov.years)
    sb = st.sidebar
    sb.markdown("### Filters")
    sb.selectbox(
        "Reference year",
        years[::-1],
        key="f_year",
        format_func=year_label,
        help="The collection year the single-year charts and headline numbers show (April to March).",
    )
    left, right = sb.columns(2)
    left.selectbox("Trends from", years, key="f_from", format_func=year_label)
    right.selectbox("to", years, key="f_to", format_func=year_label)
    sb.multiselect("Postcode districts", cov.districts, key="f_district", placeholder="All districts")
    if cov.localities:
        sb.multiselect("Localities", cov.localities, key="f_locality", placeholder="All localities")
    sb.multiselect("Age band", list(AGE_BANDS), key="f_age", placeholder="All ages")
    sb.multiselect("Sex", [s for s in SEXES if s != "Unknown"], key="f_sex", placeholder="Both")
    sb.divider()
    sb.toggle(
        "Disclosure control",
        value=True,
        key="suppress",
        help="Hides counts of 1 to 5 (and figures that would reveal them) as c. Never part of a shared link.",
    )
    _to_url()
    s = st.session_state
    first, last = sorted((s["f_from"], s["f_to"]))
    filters = Filters(
        year=s["f_year"],
        districts=tuple(s["f_district"]),
        localities=tuple(s.get("f_locality") or ()),
        age_bands=tuple(s["f_age"]),
        sexes=tuple(s["f_sex"]),
    )
    return View(filters, tuple(range(first, last + 1)), bool(s["suppress"]), cov.synthetic, cov.as_of)


def current_view() -> View:
    """The view the router built from the sidebar for this run (taken once per run).

    Streamlit treats a folder named `pages/` beside the main script as an old-style multipage
    app until `st.navigation` has run in the process (and AppTest resets that on every run), so
    a page may be started without app.py. The page then runs the router itself, which runs the
    page again with the sidebar and banners, and stops there."""
    view = st.session_state.pop("_view", None)
    if view is None:
        route()
        st.stop()
    return view


PAGES = [
    ("overview", "pages/overview.py", "Overview: scorecard", ":material/table_chart:"),
    ("reduce", "pages/1_reduce.py", "1. Reduce numbers", ":material/trending_down:"),
    ("placements", "pages/2_placements.py", "2. Range of placements", ":material/home:"),
    ("permanence", "pages/3_permanence.py", "3. Permanence", ":material/family_restroom:"),
    ("stability", "pages/stability.py", "Placement stability", ":material/anchor:"),
    ("care_leavers", "pages/care_leavers.py", "Care leavers", ":material/school:"),
    ("data", "pages/data.py", "Data and definitions", ":material/database:"),
]


def route() -> None:
    """The router: pages, shared filters bound to the URL, banners; then the chosen page."""
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False  # pages/ holds st.navigation's pages
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
    root = Path(__file__).resolve().parent
    nav = st.navigation(
        [
            st.Page(root / path, title=title, icon=icon, url_path=key, default=key == "overview")
            for key, path, title, icon in PAGES
        ]
    )
    view = sidebar(cov)
    if cov.synthetic:
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
    st.sidebar.caption(
        f"Data to {cov.as_of:%d %B %Y}" if cov.as_of else f"Data to {year_label(cov.years[-1])}"
    )
    st.session_state["_view"] = view
    nav.run()


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

CHART_CONFIG = {"displayModeBar": False}


def page_header(key: str, view: View) -> None:
    page = strategy().page(key)
    st.title(page.title)
    if page.objective:
        st.markdown(f"*{page.objective}*")
    if page.source:
        st.caption(page.source)
    st.caption(filter_summary(view))


def metrics(items: list[views.Metric]) -> None:
    if not items:
        return
    cols = st.columns(len(items))
    for col, m in zip(cols, items):
        col.metric(m.label, m.value, help=m.help, border=True)
        if m.detail:
            col.caption(m.detail)


def section(sec: views.Section, view: View, numbers: bool) -> None:
    """One chart; under it its CSV download and, when asked for, its table of numbers."""
    if sec.figure is None:
        st.subheader(sec.title)
        st.caption(sec.footnote)
        return
    st.plotly_chart(sec.figure, config=CHART_CONFIG, key=f"chart_{sec.key}", theme=None)
    if numbers:
        st.table(views.as_text(sec.table).set_index(sec.table.columns[0]) if len(sec.table) else sec.table)
    download(sec.table.to_csv(index=False), f"{sec.key}.csv", view, key=f"dl_{sec.key}")
    st.divider()


def download(text: str, file_name: str, view: View, key: str) -> None:
    """A CSV download, only of suppressed numbers: none while disclosure control is off."""
    if view.suppress:
        st.download_button(
            "Download the data (CSV)",
            text,
            file_name=file_name,
            mime="text/csv",
            key=key,
            icon=":material/download:",
            type="tertiary",
        )
    else:
        st.caption("Downloads are off while disclosure control is off.")


def draw_page(name: str) -> None:
    """A priority page: its header, headline numbers, then each section."""
    view = current_view()
    page_header(name, view)
    data = page_data(name, db_token(), settings_token(), view)
    metrics(data.metrics)
    for note in data.notes:
        st.caption(note)
    chosen = None
    left, right = st.columns([3, 1], vertical_alignment="center")
    if data.groups:
        chosen = left.segmented_control(
            "Show",
            list(data.groups),
            default=list(data.groups)[0],
            key=f"group_{name}",
            label_visibility="collapsed",
        )
    numbers = right.toggle(
        "Show the numbers",
        key=f"numbers_{name}",
        help="A table under each chart with the numbers it draws (as downloaded).",
    )
    for sec in data.group(chosen):
        section(sec, view, numbers)


def save_upload(files) -> Path:
    """Uploaded files into a private temporary folder (removed by the caller)."""
    folder = Path(tempfile.mkdtemp(prefix="cla-upload-", dir=config.home()))
    for f in files:
        (folder / Path(f.name).name).write_bytes(f.getvalue())
    return folder


def upload_allowed() -> bool:
    return os.environ.get("CLA_ALLOW_UPLOAD", "").strip().lower() in ("1", "true", "yes", "on")


def private_db() -> Path:
    return config.default_db()
