"""The dashboard: `streamlit run app.py`. The router only: `st.navigation` over the declared
pages (`analytics.present.pages`), the shared frame (sidebar filters bound to the URL, the
disclosure switch, the banners), then the chosen page with the view the frame built."""

import streamlit as st

import access
import ui
from analytics.present.pages import PAGES

st.set_page_config(page_title="Children looked after", page_icon=":material/monitoring:", layout="wide")
access.gate()  # sign-in, when configured: nothing below renders before it
coverage = ui.open_data()
navigation = st.navigation(
    [
        st.Page(
            ui.PAGES_DIR / p.script, title=p.nav, icon=p.icon, url_path=p.key, default=p.key == "overview"
        )
        for p in PAGES
    ]
)
ui.hand_over(ui.frame(coverage))
navigation.run()
