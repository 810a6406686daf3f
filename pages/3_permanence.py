"""Priority 3: permanence.

Headline: adopted, special guardianship and child arrangements orders in the year, adopted
children placed within 12 months of the decision. Views:
- Orders: the three orders over time; the share of children leaving care who were adopted.
- Timeliness: placed within 12 months of the decision against target and England; days from
  entering care to moving in with adopters and to adoption.
"""

import ui

ui.draw_page("permanence")
