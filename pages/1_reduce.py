"""Priority 1: safely reduce the number of children looked after.

Headline: looked after at 31 March, the rate per 10,000, starts and ceased in the year. Views:
- Starts by district: starts over the years against target; by postcode district over the years
  (TS1 and TS3).
- Starts by age; rates: starts by age band over the years; looked-after and start rates per
  10,000 against England.
- Who starts: category of need; legal status at start (police protection highlighted) and police
  protection over the years; ethnic group; unaccompanied asylum-seeking children.
- Looked after and leaving: children looked after at 31 March; ceased by route; placed with
  parents on a care order for over a year.
- Month by month: starts and ceased per month of the year to date.
"""

import ui

ui.draw_page("reduce")
