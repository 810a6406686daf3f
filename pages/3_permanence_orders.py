"""Priority 3: permanence.

Its headline numbers and tabs, each a list of sections, are declared in
`analytics/present/pages.py` (PERMANENCE); this page draws them for the view in the sidebar.
"""

import ui

ui.draw_page("permanence")
