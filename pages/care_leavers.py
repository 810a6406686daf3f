"""Care leavers.

Headline: 19-21 year olds in education, employment or training and in suitable accommodation,
17-18 in EET, 19-21 in touch. Views:
- Outcomes: EET and suitable accommodation for 19-21 (against target and England) and 17-18; in
  touch and living with former foster carers.
- Activity and accommodation: what care leavers aged 19-21 are doing and where they live.
"""

import ui

ui.draw_page("care_leavers")
