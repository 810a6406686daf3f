"""Children missing and away from placement.

Its headline numbers and tabs, each a list of sections, are declared in
`analytics/present/pages.py` (MISSING); this page draws them for the view in the sidebar.
"""

import ui

ui.draw_page("missing")
