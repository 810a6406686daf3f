"""What if: children looked after, care leavers and placement cost projected 1 to 5 years ahead,
baseline and scenario side by side, with the backtest beside them (analytics.forecast)."""

import json

import streamlit as st

import ui
from analytics import disclosure
from analytics.filters import AGE_BANDS, FilterError, Filters
from analytics.forecast import GROUPS, cost
from analytics.forecast import report as fr

view = ui.view()
ui.page_header("what_if", view)
st.caption(
    "Projected numbers are the model's expected children (rounded to whole children; under five shown in "
    "words while disclosure control is on), not counts of real children. The area filters "
    "(districts, localities) apply; age band and sex do not, as the model ages children across the bands."
)
f = view.filters
area = Filters(f.year, council=f.council, districts=f.districts, localities=f.localities)
years = list(ui.coverage(ui.db_token()).years)

CONTROLS = {  # the scenario's controls by the field of `fr.controls` they show
    "name": "wi_name", "starts": "wi_starts", "districts": "wi_district", "age_bands": "wi_age",
    "source": "wi_from", "target": "wi_to", "share": "wi_share", "permanence": "wi_perm",
}  # fmt: skip
all_districts = list(ui.coverage(ui.db_token()).districts)


def load_scenario() -> None:
    """Set the controls from the uploaded scenario file (before they are drawn)."""
    st.session_state.pop("wi_load_error", None)
    file = st.session_state.get("wi_load")
    if file is None:
        return
    try:
        values = fr.controls(file.name, file.getvalue().decode("utf-8", "replace"), all_districts)
    except FilterError as exc:
        st.session_state["wi_load_error"] = str(exc)
        return
    st.session_state.update({CONTROLS[k]: v for k, v in values.items()})


st.subheader("Scenario")
left, middle, right = st.columns(3)
name = left.text_input("Name", "Scenario", key="wi_name", bind="query-params")
horizon = left.slider("Years ahead", 1, 5, 3, key="wi_years", bind="query-params")
low, high, step = fr.STARTS_RANGE
starts = middle.slider("Change in starts (%)", low, high, 0, step=step, key="wi_starts", bind="query-params")
districts = middle.multiselect(
    "…in districts", all_districts, key="wi_district", placeholder="All districts", bind="query-params",
)  # fmt: skip
bands = middle.multiselect(
    "…in age bands", list(AGE_BANDS), key="wi_age", placeholder="All ages", bind="query-params"
)
source = right.selectbox("Shift placements from", GROUPS, index=1, key="wi_from", bind="query-params")
target = right.selectbox("…to", GROUPS, index=0, key="wi_to", bind="query-params")
low, high, step = fr.SHARE_RANGE
share = right.slider("…share of them (%)", low, high, 0, step=step, key="wi_share", bind="query-params")
low, high, step = fr.PERMANENCE_RANGE
permanence = left.slider(
    "Change in leaving to permanence (%)", low, high, 0, step=step, key="wi_perm", bind="query-params",
    help="Adoption, special guardianship and child arrangements orders.",
)  # fmt: skip
scenario = fr.scenario_of(name, starts, districts, bands, source, target, share, permanence)
load, save = st.columns([2, 1])
load.file_uploader(
    "Load a saved scenario (JSON)", type=["json"], key="wi_load", on_change=load_scenario,
    help="A file saved with the button beside it (or written for `python -m analytics forecast --scenario`).",
)  # fmt: skip
if st.session_state.get("wi_load_error"):
    load.error(st.session_state["wi_load_error"])
save.download_button(
    "Save this scenario (JSON)",
    json.dumps(scenario.to_json(), indent=1),
    file_name="scenario.json",
    mime="application/json",
    key="dl_scenario",
    icon=":material/download:",
    help="The page's address also carries the scenario: copy it to share.",
)

with st.expander("Weekly unit costs (illustrative: edit them to your council's)"):
    edited = st.data_editor(
        cost.sources().set_index("group"), key="wi_costs", disabled=["source"], width="stretch",
        column_config={"weekly_cost": st.column_config.NumberColumn("Weekly cost (£)", min_value=0, step=10)},
    )  # fmt: skip
    st.caption(
        "The defaults are illustrative round figures, not any council's costs (the source column says what "
        "each is in the order of). Annual cost: children on 31 March × weekly cost × 52."
    )
costs = tuple(zip(edited.index, edited["weekly_cost"].fillna(0).astype(float)))

origins = years[1:-1]
origin = st.session_state.get("wi_origin", years[-4] if len(years) > 4 else years[-1])
w = ui.what_if(ui.db_token(), area, scenario, horizon, origin, costs)
shown = disclosure.suppress(fr.declare(w, area), rules=view.rules)
suppress = view.suppress

if w.problem:
    st.info(f"No projection for this view: {w.problem}.")
else:
    base, scen = w.baseline.totals().iloc[-1], w.scenario.totals().iloc[-1]
    cb = cost.annual_cost(w.baseline.by_group(), w.costs).iloc[-1]
    cs = cost.annual_cost(w.scenario.by_group(), w.costs).iloc[-1]
    end = int(base["year"])
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(f"Baseline, 31 March {end}", fr.shown_projection(base["children"], suppress))
    m2.metric(f"Scenario, 31 March {end}", fr.shown_projection(scen["children"], suppress))
    m3.metric("Difference in children", fr.shown_difference(scen["children"] - base["children"], suppress))
    m4.metric(f"Difference in cost, {end - 1}-{end % 100:02d}", fr.money_change(cs - cb))
    title = f"Children looked after: baseline and “{scenario.name}”"
    st.plotly_chart(fr.figure(w, shown, title), config=ui.CHART_CONFIG, key="chart_what_if", theme=None)
    st.table(fr.side_by_side(w, suppress).set_index("31 March"))

if w.backtest:
    st.subheader(f"How accurate: projected from {w.backtest['origin']} against what happened")
    st.columns([1, 3])[0].selectbox(
        "Backtest origin (fit on the years up to it)", origins, index=origins.index(w.backtest["origin"]),
        key="wi_origin",
    )  # fmt: skip
    st.table(fr.backtest_table(w, shown, suppress).set_index("31 March"))
    st.caption(
        f"Mean absolute percentage error of the yearly totals: {w.backtest['mape']:.1f}% "
        f"over {len(w.backtest['years'])} years. Actual children go through disclosure control. "
        "The model holds starts at their average over the last three years, so a sudden rise or fall "
        "in starts is not foreseen: most of the error comes from there."
    )

if w.baseline:
    st.subheader("By placement: baseline and scenario")
    left, right = st.columns(2)
    left.caption("Baseline")
    left.table(fr.by_placement(w.baseline, suppress).set_index("Placement"))
    right.caption(f"Scenario: {scenario.name}")
    right.table(fr.by_placement(w.scenario, suppress).set_index("Placement"))

st.subheader("Spend behind us: the same unit costs applied to the children of each 31 March")
st.table(fr.spend_table(w, shown).set_index("31 March"))

st.subheader("Care leavers ahead: looked after now, turning 18 in each coming year")
st.caption(
    "Real children looked after on the last 31 March (now 17, 16 and 15), for housing's quota; small cells are c."
)
if w.baseline and len(w.baseline.years) > 1:  # the first year's are the real children counted below
    expected = ", ".join(
        f"{fr.shown_projection(n, suppress)} in {y - 1}-{y % 100:02d}"
        for y, n in zip(w.baseline.years[1:], w.baseline.leavers_18.sum(axis=1)[1:])
    )
    st.caption(
        f"Expected to turn 18 still in care in the later years (the model: after those who leave care "
        f"first, with children who arrive meanwhile): {expected}. Compare with the year's housing quota for "
        "care leavers (Middlesbrough agreed 22 allocations for 2011-12 and 25 for 2012-13)."
    )
by_group, by_district = fr.leavers_tables(w, shown)
left, right = st.columns(2)
left.table(by_group.set_index("Placement now"))
right.table(by_district.set_index("District"))

if w.scenario:
    ui.download(fr.projection_csv(w), "what_if.csv", view, key="dl_what_if")
