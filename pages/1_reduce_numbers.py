"""Priority 1: safely reduce the number of children looked after.

Its headline numbers and tabs, each a list of sections, are declared in
`analytics/present/pages.py` (REDUCE); this page draws them for the view in the sidebar.
"""

import ui

ui.draw_page("reduce")
