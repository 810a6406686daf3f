"""Priority 2: extend the range and type of placements.

Its headline numbers and tabs, each a list of sections, are declared in
`analytics/present/pages.py` (PLACEMENTS); this page draws them for the view in the sidebar.
"""

import ui

ui.draw_page("placements")
