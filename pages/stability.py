"""Placement stability.

Headline: 3+ placements in the year, long-term stability, placement moves. Views:
- Stability: 3+ placements and long-term stability against target and England.
- Moves: 3+ placements by age band; placement moves by reason; moves over the years.
"""

import ui

ui.draw_page("stability")
