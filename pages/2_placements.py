"""Priority 2: extend the range and type of placements.

Headline: purchased foster placements, kinship foster care, 10-15 year olds in foster or
adoptive placements, placed over 20 miles. Views:
- Placements at 31 March: placement type; in-house against purchased foster care by age band
  (10-15 in focus); provider.
- Trends: purchased foster share, kinship share, 10-15s in foster or adoptive placements against
  target, placed outside the council and over 20 miles against England.
"""

import ui

ui.draw_page("placements")
