"""The dashboard: `streamlit run app.py`. A router only (ui.route): st.navigation over pages/,
the shared sidebar filters bound to the URL, the disclosure switch, the synthetic-data banner."""

import streamlit as st

import ui

st.set_page_config(page_title="Children looked after", page_icon=":material/monitoring:", layout="wide")
ui.route()
