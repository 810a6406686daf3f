"""The engine of the children-looked-after dashboard.

Loading, validation and anonymisation of SSDA903 returns (`analytics.ingest`), the DuckDB
store (`analytics.store`), one SQL file per measure (`analytics/measures/`), disclosure control
(`analytics.disclosure`). Never imports streamlit.
"""
