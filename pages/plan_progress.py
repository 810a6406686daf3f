"""The action plan: what the strategy said it would do, who leads it, by when, how far it has
got ("20 of 34 achieved", by priority and status) and the measures each action is judged by."""

import streamlit as st

import ui
from analytics.present.formats import as_text

view = ui.view()
ui.page_header("action_plan", view)
try:
    shown = ui.plan_screen(ui.db_token(), ui.settings_token(), view)
except ValueError as error:  # the plan file cannot be read: say where, and stop
    st.error(f"The action plan cannot be read: {error}")
    st.stop()
st.subheader(shown.summary)
for col, m in zip(st.columns(len(shown.metrics)), shown.metrics):
    col.metric(m.label, m.value, help=m.help, border=True)
    col.caption(m.detail)
if shown.chart is not None:
    st.plotly_chart(shown.chart.figure, config=ui.CHART_CONFIG, key="chart_action_plan", theme=None)
st.table(as_text(shown.progress).set_index("Priority"))
st.subheader("Every action, by priority")
for priority, actions in shown.by_priority():
    st.markdown(f"**{priority}**")
    st.table(actions)
for note in shown.notes:
    st.caption(note)
ui.download(shown.csv(), "action_plan.csv", view, key="dl_action_plan")
