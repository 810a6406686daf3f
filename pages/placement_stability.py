"""Placement stability.

Its headline numbers and tabs, each a list of sections, are declared in
`analytics/present/pages.py` (STABILITY); this page draws them for the view in the sidebar.
"""

import ui

ui.draw_page("stability")
