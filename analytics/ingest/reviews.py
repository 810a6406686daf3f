"""Review deadlines, built once at import (indicators.md, "Reviews on time").

For each period of care: `d0` its start and `r1 < r2 < ...` the distinct review dates of the
period. `D1` is the 20th working day after `d0` (Monday to Friday, not a bank holiday in England
and Wales, from the `holidays` library); `D2 = r1 + 3 months`; `Dk+1 = rk + 6 months`. Deadline
`k` is met when review `k` was held on or before it. When the period began before 1 April of
the first loaded Reviews year its early reviews are unknown: the chain starts at the first known
review (or that 1 April), taken as a later review, so the next deadline is six months after it.

The chain hardly depends on the reporting year: a deadline in year `Y` that was met was met by
a review on or before 31 March `Y`, so reviews from later years change nothing before them.
Each row is (k, due, held): `held` is review `k`'s date, or None when it has not been held.
One exception, row k = 0 of a period begun before the Reviews history: in a year by whose
31 March no review of the period is known, the chain starts at that 1 April and its deadline,
six months on, is judged; once a review is known by 31 March, the chain starts there and that
deadline is not judged. So row 0 holds the 1 April deadline and, as `held`, the first known
review: it is missed in a year when `held` is blank or after that year's 31 March.

>>> from datetime import date
>>> twentieth_working_day_after(date(2023, 4, 1))  # Good Friday, Easter Monday, 1 May
datetime.date(2023, 5, 3)
>>> add_months(date(2023, 8, 31), 6), add_months(date(2023, 11, 30), 3)
(datetime.date(2024, 2, 29), datetime.date(2024, 2, 29))
"""

from __future__ import annotations

import calendar
import functools
from datetime import date, timedelta

import holidays


@functools.cache
def _bank_holidays(year: int) -> frozenset[date]:
    # England and Wales share their bank holidays; the library's England list is theirs.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in _bank_holidays(d.year)


@functools.cache
def twentieth_working_day_after(d0: date, n: int = 20) -> date:
    d = d0
    while n:
        d += timedelta(days=1)
        n -= is_working_day(d)
    return d


def add_months(d: date, n: int) -> date:
    """The same day of the month n months later (the month's last day when it is shorter)."""
    year, month0 = divmod(d.year * 12 + d.month - 1 + n, 12)
    return date(year, month0 + 1, min(d.day, calendar.monthrange(year, month0 + 1)[1]))


def deadlines(
    d0: date, end: date | None, reviews: list[date], history_from: date
) -> list[tuple[int, date, date | None]]:
    """The deadlines of one period: (k, due, held). `history_from` is 1 April of the first
    loaded Reviews year; `reviews` may be unsorted and hold any of the child's reviews."""
    held = sorted({r for r in reviews if r >= d0 and (end is None or r <= end)})
    out: list[tuple[int, date, date | None]] = []
    if d0 >= history_from:
        due, step = twentieth_working_day_after(d0), 3
    else:
        out.append((0, add_months(history_from, 6), held[0] if held else None))
        if not held:
            return out
        due, step = add_months(held.pop(0), 6), 6
    for k, r in enumerate(held, start=1):
        out.append((k, due, r))
        due, step = add_months(r, step), 6
    out.append((len(held) + 1, due, None))
    return out
