"""The presentation layer, engine side (no Streamlit): what each screen shows.

- `pages.py`: the declared list of pages (key, menu name, heading, icon, script, headline
  numbers, tabs and their sections) and the page compositions, read by the router, the strategy
  file's defaults, the browser and screen tests;
- `model.py`: the view model: a `View` (filters, years, switches), `Metric`, `Chart`, `Section`
  and the `Screen` they make;
- `screen.py`: a page's screen computed, suppressed once (`analytics.release`,
  `analytics.disclosure`), then built from shown numbers only;
- `sections.py`: the reusable sections (a trend, a breakdown, a grid, a cross-tab, the months);
- `findings.py`: titles that state a finding, written from shown numbers;
- `formats.py`: numbers, periods and tables as text;
- `scorecard.py`: the board's scorecard;
- `reference.py`: the definitions, targets and comparators tables of the Data page.
"""
