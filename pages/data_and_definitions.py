"""Data: what is loaded, the validation report and quarantine counts, every measure's
definition (from the one registry), the targets and comparators, and an upload of new returns
(off unless CLA_ALLOW_UPLOAD is set)."""

import shutil

import streamlit as st

import ui
from analytics import comparators, config
from analytics.ingest import load_returns
from analytics.present import reference
from analytics.present.formats import as_text

view = ui.view()
ui.page_header("data", view)
tables = ui.data_tables(ui.db_token())

st.subheader("What is loaded")
st.caption(
    f"Database: {'the bundled synthetic council' if ui.db_path() == config.BUNDLED_DB else ui.db_path().name}"
)
st.dataframe(as_text(tables["loads"]), hide_index=True, key="loads")

bench = ui.benchmarks(ui.db_token(), ui.settings_token())
st.subheader("Published comparators")
files = reference.published_files(bench)
if len(files):
    st.caption(
        "Every council's figures as DfE publishes them (England, regions, councils; c suppressed, "
        "k under 0.5, x not available, z not applicable), loaded with "
        "`python -m analytics comparators load`. " + comparators.OGL
    )
    st.dataframe(files, hide_index=True, key="published_files")
else:
    st.caption("No published files are loaded: `python -m analytics comparators load FILE ...`.")

st.subheader("Our figures against DfE's published figures")
st.caption(
    "The check a performance team runs before each submission: for every year and measure where "
    "both exist, the council's figure computed from its returns beside the figure DfE published for "
    "it. Check: over one percentage point for a share, over 2% of the published figure for a count "
    "or a rate (DfE rounds shares to whole numbers)."
    + (
        " The synthetic council's figures are invented, so here they are compared with "
        "Middlesbrough's real published figures: the differences say nothing about Middlesbrough."
        if view.synthetic
        else ""
    )
)
own = ui.own_against_published(ui.db_token(), ui.settings_token(), view)
if len(own):
    flagged = int((own["Over the tolerance"] == "Check").sum())
    st.markdown(f"**{flagged} of {len(own)}** figures differ by more than the tolerance.")
    st.dataframe(own, hide_index=True, key="own_against_published", height=420)
else:
    st.caption("No year has both a loaded return and a published figure for this council.")

st.subheader("Validation report")
st.caption("Problems found at import, counted by rule: warnings are kept, errors set the child's rows aside.")
st.table(as_text(tables["validation"]).set_index("Council"))
st.subheader("Set aside (quarantine)")
if len(tables["quarantine"]):
    st.dataframe(as_text(tables["quarantine"]), hide_index=True, key="quarantine")
else:
    st.caption("Nothing was set aside.")

st.subheader("Definitions")
st.caption("Every measure, as the engine defines it (the same text the charts and the scorecard use).")
st.table(reference.definitions().drop(columns=["Id"]).set_index("Measure"))
with st.expander("Where each measure is shown (the pages and their tabs)"):
    st.dataframe(reference.pages_table(), hide_index=True, key="pages")

strategy, extra = ui.settings(ui.settings_token())
with st.expander(
    "Targets (config/strategy.toml) and comparators DfE's files here do not hold (config/comparators.csv)"
):
    st.dataframe(reference.targets_table(strategy), hide_index=True, key="targets")
    st.dataframe(reference.comparators_table(extra), hide_index=True, key="comparators")

st.subheader("Load new returns")
if not ui.upload_allowed():
    st.caption("Upload is off. An administrator turns it on with the setting CLA_ALLOW_UPLOAD=1.")
else:
    st.caption(
        "SSDA903 returns (CSV or Excel; name files by year, e.g. 2024_Episodes.csv, or give the year). "
        "They are validated and anonymised, and go into the private database on this computer, "
        "replacing that council's data only if the load succeeds."
    )
    with st.form("upload"):
        files = st.file_uploader("Return files", accept_multiple_files=True, type=["csv", "xlsx"])
        la_code = st.text_input("Council code", value="E06000002")
        year = st.number_input("Collection year (if the file names give none)", min_value=0, value=0, step=1)
        go = st.form_submit_button("Load")
    if go and files:
        folder = ui.save_upload(files)
        try:
            result = load_returns(
                [folder], ui.private_db(), config.salt(), la_code=la_code or None, year=int(year) or None
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if result.ok:
            ui.reopen()
            st.success(result.summary_text())
        else:
            st.error("Not loaded: nothing changed. " + result.summary_text())
        st.dataframe(as_text(result.report.head(200)), hide_index=True, key="load_report")

    st.markdown("**DfE's published files** (comparators)")
    with st.form("published_upload"):
        published = st.file_uploader(
            "Open-data CSVs from Explore Education Statistics, or the statistical neighbour groupings",
            accept_multiple_files=True,
            type=["csv"],
        )
        go_published = st.form_submit_button("Load published files")
    if go_published and published:
        if not ui.private_db().exists():
            st.error("Load the council's returns first: published files go into its private database.")
        else:
            folder = ui.save_upload(published)
            try:
                reads = comparators.load(sorted(folder.iterdir()), ui.private_db())
            except comparators.ComparatorFileError as exc:
                st.error(f"Not loaded: nothing changed. {exc}")
            else:
                ui.reopen()
                st.success("; ".join(f"{r.path.name}: {r.kind}, {r.rows} rows" for r in reads))
            finally:
                shutil.rmtree(folder, ignore_errors=True)
