"""Overview: the scorecard a corporate parenting board reads: one row per headline measure,
three complete years, the year to date, target, England, North East, trend, n of d, RAG."""

import streamlit as st

import ui

view = ui.view()
ui.page_header("overview", view)
card = ui.scorecard_screen(ui.db_token(), ui.settings_token(), view)
if ui.presenting():
    ui.present_scorecard(card)
    st.stop()
st.html(card.html())
for note in card.notes:
    st.caption(note)
ui.download(card.csv(), "scorecard.csv", view, key="dl_scorecard")
