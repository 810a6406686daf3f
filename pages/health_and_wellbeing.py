"""Health and wellbeing (Rotherham's priority objective 2).

Its headline numbers and tabs, each a list of sections, are declared in
`analytics/present/pages.py` (HEALTH); this page draws them for the view in the sidebar.
"""

import ui

ui.draw_page("health")
