"""Disclosure control: the one module where numbers are suppressed (`domain/disclosure.md`).

The command line (`--suppress`), the dashboard's tables and charts, CSV downloads and board
packs all go through these functions; nothing else decides what is hidden. A hidden number is
shown as `SUPPRESSED` ("c"). All functions are pure: they return new values and never change
their arguments.

Rules, in the words of `disclosure.md`:

1. Primary: a count from 1 to `threshold` (default 5) is hidden; zero is shown.
2. Secondary: in a group of cells that add up (a breakdown and its total, a row or column of
   a cross-tab with its total, a time series with its running total), whenever exactly one cell
   of the group (the total counted as a cell) is hidden, the smallest non-zero shown cell is
   hidden too (ties: the first in category order); if none is left, the total is hidden.
   Repeated over every group until nothing changes. Zeros are never hidden.
3. Shares, rates and means are computed from unrounded counts and hidden when their numerator
   or denominator is hidden, or when the denominator is under `MIN_DENOMINATOR` (10).
4. Small areas: a number for a postcode district or locality *crossed with another breakdown*
   uses `area_threshold` (default 10) instead of `threshold`.

What counts as "a small area crossed with another breakdown" (`is_small_area_cross`): a number
is crossed when the things it is restricted to include a district or locality *and* something
else: an age band, a sex, a month, a breakdown's category. The restrictions of a number are the
active filters plus, for a breakdown cell, its breakdown (plus, in a tidy frame, the columns it
is broken down by). The council and the year frame every view and are not crossings. So, for
the indicators JSON:

- no area filter: headline numbers and one-level breakdowns (including the breakdown *by*
  district or locality, a plain view by district) use `threshold`;
- a district or locality filter: every breakdown cell (age band, sex, category of need...) is
  the small area crossed with that category and uses `area_threshold`; the headline uses
  `threshold` (it is a view of the area, not crossed), unless an age-band or sex filter is
  also set ("TS3, aged under 1" is itself a cross), when it uses `area_threshold` too;
- an age-band or sex filter with no area filter: the breakdowns by district and locality are
  crossed and use `area_threshold`; other numbers use `threshold`.

Within the JSON the same children are sometimes printed under two ids (the children looked
after are the numerator of `cla_at_31_march` and of `cla_rate_per_10k`, and the denominator of
`placements_3plus`...). `SAME_CHILDREN` lists those pairs: a number hidden under one id is
hidden under the other, with their breakdown cells of the same category, or the other would give
it away.

Secondary suppression protects against recovery by subtraction within a group; like DfE's own
practice it does not attempt full protection against every combination of linear equations.
"""

from __future__ import annotations

import copy
import math
import numbers
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations
from typing import Any

import pandas as pd

from analytics.measures.registry import AREA_BREAKDOWNS, COUNT, MEAN, MEAN_DAYS, MEASURES, RATE, SHARE

SUPPRESSED = "c"
THRESHOLD = 5  # counts 1..THRESHOLD are hidden
AREA_THRESHOLD = 10  # ...1..AREA_THRESHOLD for a small area crossed with another breakdown
MIN_DENOMINATOR = 10  # shares, rates and means need a denominator of at least this
NOT_A_CROSSING = ("council", "year")  # restrictions that frame every view
TOTAL_LABEL = "Total"

# Numbers printed under two measure ids that count the same children (indicators.md): hidden
# under one, hidden under both; so are their breakdown cells of the same breakdown and category.
SAME_CHILDREN: tuple[tuple[tuple[str, str], tuple[str, str]], ...] = (
    (("cla_at_31_march", "numerator"), ("cla_rate_per_10k", "numerator")),
    (("cla_at_31_march", "numerator"), ("placements_3plus", "denominator")),
    (("cla_at_31_march", "numerator"), ("kinship_foster_share", "denominator")),
    (("cla_at_31_march", "numerator"), ("placed_outside_la", "denominator")),
    (("cla_at_31_march", "numerator"), ("placed_over_20_miles", "denominator")),
    (("starts", "numerator"), ("starts_rate_per_10k", "numerator")),
    (("ceased", "numerator"), ("adopted", "denominator")),
    (("ceased", "numerator"), ("sgo", "denominator")),
    (("ceased", "numerator"), ("cao", "denominator")),
    (("adopted", "numerator"), ("adoption_entry_to_order_days", "denominator")),
    (("care_leavers_19_21_eet", "denominator"), ("care_leavers_19_21_in_touch", "denominator")),
    (
        ("care_leavers_19_21_eet", "denominator"),
        ("care_leavers_19_21_with_former_foster_carers", "denominator"),
    ),
)

Number = int | float
Shown = Number | str | None  # a number, SUPPRESSED, or None (no number)
Group = tuple[list[Hashable], Hashable | None]  # cells in category order, total (or None)


# --- the rules ------------------------------------------------------------------------------


def is_primary(count: Number | None, threshold: int = THRESHOLD) -> bool:
    """Rule 1: is this count hidden on its own? (1..threshold; never 0 or a missing number)."""
    return _is_number(count) and 1 <= count <= threshold


def is_small_area_cross(restrictions: Iterable[str]) -> bool:
    """Rule 4: is a number restricted to these dimensions a small area crossed with another?

    `restrictions` are dimension names: active filters ("district", "age_band", "sex"...) and
    the breakdowns a number belongs to. True when one is a district or locality and another is
    not (the council and the year do not count).

    >>> is_small_area_cross(["district", "age_band"]), is_small_area_cross(["district"])
    (True, False)
    """
    names = {r for r in restrictions if r not in NOT_A_CROSSING}
    areas = names & set(AREA_BREAKDOWNS)
    return bool(areas) and bool(names - areas)


def threshold_for(
    restrictions: Iterable[str], threshold: int = THRESHOLD, area_threshold: int = AREA_THRESHOLD
) -> int:
    """The primary threshold for a number restricted to these dimensions (rules 1 and 4)."""
    return area_threshold if is_small_area_cross(restrictions) else threshold


def show_ratio(
    value: Number | None,
    numerator: Shown,
    denominator: Shown,
    min_denominator: int = MIN_DENOMINATOR,
) -> Shown:
    """Rule 3: a share, rate or mean as shown, given its numerator and denominator as shown.

    `value` must have been computed from the unrounded counts. It is hidden when the numerator
    or the denominator is hidden ("c") or the denominator is under `min_denominator`; a missing
    value (empty population) stays None.

    >>> show_ratio(55.6, 5, 9), show_ratio(50.0, 5, 10), show_ratio(60.0, "c", 10)
    ('c', 50.0, 'c')
    """
    if value is None:
        return None
    hidden = (
        numerator == SUPPRESSED
        or denominator == SUPPRESSED
        or not _is_number(denominator)
        or denominator < min_denominator
    )
    return SUPPRESSED if hidden else value


# --- additive groups, cross-tabs and series -------------------------------------------------


def suppress_group(
    cells: Sequence[Number], total: Number | None = None, threshold: int = THRESHOLD
) -> tuple[list[Shown], Shown]:
    """Primary and secondary suppression of one group of counts that add up (rules 1 and 2).

    `cells` are in category order; `total`, when given, counts as a cell of the group. Returns
    the cells and the total as shown. Without a total the cells are still protected from each
    other (their sum is usually printed elsewhere).

    >>> suppress_group([3, 10, 12], total=25)
    (['c', 'c', 12], 25)
    >>> suppress_group([4, 0], total=4)
    (['c', 0], 'c')
    """
    keys = list(range(len(cells)))
    values: dict[Hashable, Number | None] = dict(enumerate(cells))
    total_key = None
    if total is not None:
        total_key = "total"
        values[total_key] = total
    hidden = _suppress(values, {k: threshold for k in values}, [(keys, total_key)])
    shown_total = None if total is None else _show(total, total_key in hidden)
    return [_show(values[k], k in hidden) for k in keys], shown_total


@dataclass(frozen=True)
class CrossTab:
    """A suppressed cross-tab: the inner cells (rows x columns) and its totals, as shown."""

    cells: list[list[Shown]]
    row_totals: list[Shown]
    column_totals: list[Shown]
    grand_total: Shown


def suppress_crosstab(
    cells: Sequence[Sequence[Number]],
    threshold: int = THRESHOLD,
    cell_threshold: int | None = None,
) -> CrossTab:
    """Suppression of a rows x columns table with row, column and grand totals (rules 1 and 2).

    The totals are the sums of the cells. Every row with its row total, every column with its
    column total, the row totals and the column totals with the grand total are additive groups,
    suppressed over and over until no group changes. `cell_threshold` (default `threshold`)
    applies to the inner cells only: use `threshold_for(...)`, e.g. `AREA_THRESHOLD` for
    districts x age bands, whose margins are plain views by district or by age band.

    >>> t = suppress_crosstab([[3, 7], [8, 9]])
    >>> t.cells, t.row_totals, t.column_totals, t.grand_total
    ([['c', 'c'], ['c', 'c']], [10, 17], [11, 16], 27)
    """
    cube = {(i, j): v for i, row in enumerate(cells) for j, v in enumerate(row)}
    values, hidden = _suppress_cube(
        cube, 2, lambda key: threshold if _ALL in key or cell_threshold is None else cell_threshold
    )
    n_rows, n_cols = len(cells), max((len(r) for r in cells), default=0)
    shown = {k: _show(v, k in hidden) for k, v in values.items()}
    return CrossTab(
        cells=[[shown[(i, j)] for j in range(len(row))] for i, row in enumerate(cells)],
        row_totals=[shown.get((i, _ALL), 0) for i in range(n_rows)],
        column_totals=[shown.get((_ALL, j), 0) for j in range(n_cols)],
        grand_total=shown.get((_ALL, _ALL), 0),
    )


def suppress_series(counts: Sequence[Number], threshold: int = THRESHOLD) -> tuple[list[Shown], list[Shown]]:
    """A time series shown with its running total (rules 1 and 2 along the series).

    Each step is an additive group: running total before + this period = running total after
    (the running total before the first period is 0). Returns the periods and the running
    totals as shown. A series shown without a running total is a plain `suppress_group`.

    >>> suppress_series([9, 8, 3, 7])  # running totals 9, 17, 20, 27
    ([9, 'c', 'c', 7], [9, 'c', 20, 27])
    """
    values: dict[Hashable, Number] = {}
    groups: list[Group] = []
    running = 0
    for i, count in enumerate(counts):
        running += count
        values[("period", i)], values[("running", i)] = count, running
        before = [("running", i - 1)] if i else []
        groups.append((before + [("period", i)], ("running", i)))
    thresholds = {k: threshold for k in values}
    hidden = _suppress(values, thresholds, groups)
    n = range(len(counts))
    return (
        [_show(values[("period", i)], ("period", i) in hidden) for i in n],
        [_show(values[("running", i)], ("running", i) in hidden) for i in n],
    )


# --- the indicators JSON --------------------------------------------------------------------

# The parts of a measure's numbers that are counts of children, by unit (indicators.md).
_COUNT_PARTS = {
    COUNT: ("numerator",),
    SHARE: ("numerator", "denominator"),
    RATE: ("numerator",),  # the denominator is a population: hidden only if 1..threshold
    MEAN_DAYS: ("denominator",),  # the numerator is a total of days, hidden with the mean
    MEAN: ("denominator",),
}


def suppress_indicators(
    payload: dict,
    threshold: int = THRESHOLD,
    area_threshold: int = AREA_THRESHOLD,
    min_denominator: int = MIN_DENOMINATOR,
) -> dict:
    """The indicators JSON object (indicators.md) with every number that must be hidden as "c".

    Per unit (from the registry; an id it does not know is read as a count when its
    denominator is null, else as a share):
    - COUNT: `numerator` and `value` are one count, hidden together; each breakdown's cells
      and the total form an additive group (every breakdown shares that total).
    - SHARE: cell numerators with the total numerator form a group per breakdown, and cell
      denominators with the total denominator; every value (headline and cells) by rule 3.
    - RATE: the numerator as a count; the denominator, a population, is hidden only at
      1..threshold; the value by rule 3.
    - MEAN_DAYS: the denominator (children) as a count; the numerator (days) and the value are
      hidden when the denominator is hidden or under `min_denominator`.
    Unavailable measures (null numbers and a reason) pass through. Thresholds follow rule 4
    as the module docstring explains; `SAME_CHILDREN` links numbers across measures.

    >>> out = suppress_indicators({"year": 2024, "period": ["2023-04-01", "2024-03-31"],
    ...     "filters": {}, "measures": {"starts": {"numerator": 4, "denominator": None,
    ...     "value": 4, "breakdowns": {"sex": {"Female": 4}}}}})
    >>> out["measures"]["starts"]
    {'numerator': 'c', 'denominator': None, 'value': 'c', 'breakdowns': {'sex': {'Female': 'c'}}}
    """
    out = copy.deepcopy(payload)
    measures: dict[str, dict] = out.get("measures") or {}
    filters = payload.get("filters") or {}
    filtered_by = [name for name, v in filters.items() if v not in (None, "", [], ())]

    headline = threshold_for(filtered_by, threshold, area_threshold)
    available = {mid: m for mid, m in measures.items() if not _unavailable(m)}

    # Every count of children is a key: (id, part) for the headline, (id, part, breakdown,
    # category) for a cell.
    values: dict[Hashable, Number] = {}
    thresholds: dict[Hashable, int] = {}
    groups: list[Group] = []
    for mid, measure in available.items():
        unit = _unit_of(mid, measure)
        for part in _COUNT_PARTS[unit]:
            total_key = (mid, part)
            values[total_key], thresholds[total_key] = measure.get(part), headline
            for breakdown, cells in (measure.get("breakdowns") or {}).items():
                cell_threshold = threshold_for([*filtered_by, breakdown], threshold, area_threshold)
                keys = []
                for category, cell in cells.items():
                    key = (mid, part, breakdown, category)
                    values[key] = cell if unit == COUNT else (cell or {}).get(part)
                    thresholds[key] = cell_threshold
                    keys.append(key)
                groups.append((keys, total_key))

    links = [
        (a + cell, b + cell)
        for a, b in SAME_CHILDREN
        if a in values and b in values
        for cell in [(), *_shared_cells(measures, a[0], b[0])]
        if a + cell in values and b + cell in values
    ]
    hidden = _suppress(values, thresholds, groups, links)

    for mid, measure in available.items():
        unit = _unit_of(mid, measure)
        parts = _COUNT_PARTS[unit]
        hidden_parts = {p for p in parts if (mid, p) in hidden}
        _write_shown(measure, unit, hidden_parts, threshold, min_denominator)
        for breakdown, cells in (measure.get("breakdowns") or {}).items():
            for category, cell in cells.items():
                hidden_parts = {p for p in parts if (mid, p, breakdown, category) in hidden}
                if unit == COUNT:
                    cells[category] = _show(cell, bool(hidden_parts))
                else:
                    _write_shown(cell, unit, hidden_parts, threshold, min_denominator)
    return out


def suppress_monthly(payload: dict, threshold: int = THRESHOLD, area_threshold: int = AREA_THRESHOLD) -> dict:
    """The `monthly` JSON (starts and ceased per month, by age band and by district) with every
    number that must be hidden as "c". A month's total and its breakdown by age band form one
    additive group, the same total and its breakdown by district another; a month is a
    crossing, so a month by district, or any month under a district filter, is a small area
    crossed (rule 4).

    >>> out = suppress_monthly({"filters": {}, "months": [{"month": "2023-04", "starts": 12,
    ...     "ceased": 0, "starts_by_age_band": {"Under 1": 3, "10 to 15": 9},
    ...     "starts_by_district": {"TS1": 12}, "ceased_by_age_band": {}, "ceased_by_district": {}}]})
    >>> out["months"][0]["starts"], out["months"][0]["starts_by_age_band"]
    (12, {'Under 1': 'c', '10 to 15': 'c'})
    """
    out = copy.deepcopy(payload)
    filters = payload.get("filters") or {}
    filtered_by = [name for name, v in filters.items() if v not in (None, "", [], ())] + ["month"]
    for month in out["months"]:
        for measure in ("starts", "ceased"):
            values: dict[Hashable, Number] = {measure: month[measure]}
            thresholds = {measure: threshold_for(filtered_by, threshold, area_threshold)}
            groups: list[Group] = []
            for dim in ("age_band", "district"):
                cells = month[f"{measure}_by_{dim}"]
                for category, n in cells.items():
                    values[(dim, category)] = n
                    thresholds[(dim, category)] = threshold_for(
                        [*filtered_by, dim], threshold, area_threshold
                    )
                groups.append(([(dim, c) for c in cells], measure))
            hidden = _suppress(values, thresholds, groups)
            month[measure] = _show(month[measure], measure in hidden)
            for dim in ("age_band", "district"):
                cells = month[f"{measure}_by_{dim}"]
                for category in cells:
                    cells[category] = _show(cells[category], (dim, category) in hidden)
    return out


def _write_shown(node: dict, unit: str, hidden_parts: set[str], threshold: int, min_denominator: int) -> None:
    """Write one {numerator, denominator, value} of a measure or of a cell as shown, in place."""
    for part in _COUNT_PARTS[unit]:
        node[part] = _show(node.get(part), part in hidden_parts)
    numerator, denominator = node.get("numerator"), node.get("denominator")
    value = node.get("value")
    if unit == COUNT:
        node["value"] = _show(value, numerator == SUPPRESSED)
    elif unit in (MEAN_DAYS, MEAN):
        # Days are not a count of children: a total of 0 days is hidden too (it gives the mean
        # away); an empty population (0 children) has nothing to hide.
        too_few = _nonzero(denominator) and denominator < min_denominator
        hide = denominator == SUPPRESSED or too_few
        node["numerator"] = _show(numerator, hide)
        node["value"] = _show(value, hide)
    else:
        if unit == RATE:  # a population
            denominator = _show(denominator, is_primary(denominator, threshold))
            node["denominator"] = denominator
        node["value"] = show_ratio(value, numerator, denominator, min_denominator)


def _unit_of(mid: str, measure: Mapping) -> str:
    if mid in MEASURES:
        return MEASURES[mid].unit
    return COUNT if measure.get("denominator") is None else SHARE


def _unavailable(measure: Mapping) -> bool:
    return all(measure.get(part) is None for part in ("numerator", "denominator", "value"))


def _shared_cells(measures: Mapping[str, dict], a: str, b: str) -> list[tuple]:
    """(breakdown, category) tails of the cells two measures both break down."""
    a_bd, b_bd = measures[a].get("breakdowns") or {}, measures[b].get("breakdowns") or {}
    return [(bd, cat) for bd in a_bd if bd in b_bd for cat in a_bd[bd] if cat in b_bd[bd]]


# --- tidy frames for the dashboard ----------------------------------------------------------


@dataclass(frozen=True)
class SuppressedFrame:
    """A tidy table after disclosure control.

    `table`: for display and CSV downloads; every hidden number is "c" (its number columns are
    object dtype). `hidden`: True where a number is hidden, same index as `table`, one column
    per count and share column. `heights` and `labels` give what a chart needs: a suppressed
    bar is a gap (NaN height) with a "c" label, never drawn at its true height.
    """

    table: pd.DataFrame
    hidden: pd.DataFrame

    def heights(self, column: str) -> pd.Series:
        """Bar heights: the number, or NaN (a gap) where hidden."""
        return pd.to_numeric(self.table[column].where(~self.hidden[column]), errors="coerce")

    def labels(self, column: str, fmt: str = "{:,}") -> pd.Series:
        """Bar labels and hover text: the formatted number, or "c" where hidden."""
        return self.table[column].map(
            lambda v: SUPPRESSED if v == SUPPRESSED else ("" if _missing(v) else fmt.format(v))
        )


def suppress_frame(
    df: pd.DataFrame,
    counts: str | Sequence[str] = "count",
    *,
    add_up: Sequence[str] | None = None,
    separately: Sequence[str] = (),
    shares: Mapping[str, tuple[str, str]] | None = None,
    filtered_by: Iterable[str] = (),
    threshold: int = THRESHOLD,
    area_threshold: int = AREA_THRESHOLD,
    min_denominator: int = MIN_DENOMINATOR,
    scale: int = 100,
    decimals: int | None = 1,
    margins: bool = False,
) -> SuppressedFrame:
    """Suppress a tidy (long) table: category columns and one or more count columns.

    - `counts`: the count column(s); each is suppressed on its own.
    - `add_up`: the category columns whose categories add up (default: every column not named
      elsewhere). With one, its rows and their total form one group; with two or more, the
      table is a cross-tab: the cells along every row and every column, with the margins
      (sums) as totals, are groups, iterated to a fixed point.
    - `separately`: columns that split the table into independent tables (the years of a
      trend, the measures of a scorecard): nothing adds up across them.
    - `shares`: new column -> (numerator column, denominator column), computed as
      `scale` x numerator / denominator from the unrounded counts, rounded half away from zero
      to `decimals`, and hidden by rule 3. A denominator that is not a count column (a
      population) is hidden at 1..threshold even in small areas (and its margins with it).
    - `filtered_by`: the names of the active filters (e.g. `Filters.as_json().keys()`). With
      the columns a number is broken down by, they decide which numbers are small-area crosses
      (rule 4) and so use `area_threshold`.
    - `margins`: append the totals as rows, with "Total" in the summed columns (for tables and
      CSV downloads).
    Rows must be unique per `separately` + `add_up` values.

    >>> df = pd.DataFrame({"age_band": ["Under 1", "1 to 4", "5 to 9"], "count": [3, 12, 20]})
    >>> s = suppress_frame(df, margins=True)
    >>> s.table.values.tolist()
    [['Under 1', 'c'], ['1 to 4', 'c'], ['5 to 9', 20], ['Total', 35]]
    >>> s.hidden["count"].tolist()
    [True, True, False, False]
    >>> s.heights("count").tolist(), s.labels("count").tolist()
    ([nan, nan, 20.0, 35.0], ['c', 'c', '20', '35'])

    In a Plotly page: `px.bar(s.table, x="age_band", y=s.heights("count"),
    text=s.labels("count"), hover_data={"count": True})`; `s.table.to_csv(...)` to download.
    """
    counts = [counts] if isinstance(counts, str) else list(counts)
    shares = dict(shares or {})
    separately = list(separately)
    if any(num not in counts for num, _ in shares.values()):
        raise ValueError("a share's numerator must be one of the count columns")
    named = {*counts, *separately, *shares, *(c for pair in shares.values() for c in pair)}
    dims = list(add_up) if add_up is not None else [c for c in df.columns if c not in named]
    if df.duplicated(separately + dims).any():
        raise ValueError(f"rows are not unique per {separately + dims}: cannot tell what adds up")
    populations = [den for _, den in shares.values() if den not in counts]
    number_columns = list(dict.fromkeys([*counts, *populations, *shares]))
    order = [{v: i for i, v in enumerate(_categories(df[d]))} for d in dims]

    def threshold_of(key: tuple) -> int:
        broken_down_by = [d for d, v in zip(dims, key) if v is not _ALL]
        restrictions = [*filtered_by, *separately, *broken_down_by]
        return threshold_for(restrictions, threshold, area_threshold)

    def sort_key(key: tuple) -> tuple:  # cells in category order, then margins
        return tuple((1, 0) if v is _ALL else (0, order[i][v]) for i, v in enumerate(key))

    records = df.to_dict("records")
    panels: dict[tuple, list[dict]] = {}
    for record in records:
        panels.setdefault(tuple(record[c] for c in separately), []).append(record)

    rows: list[dict] = []
    hidden_rows: list[dict[str, bool]] = []
    for panel_key, panel in panels.items():
        by_key = {tuple(r[d] for d in dims): r for r in panel}
        values: dict[str, dict[tuple, Number]] = {}
        hidden: dict[str, set] = {}
        for column in [*counts, *populations]:
            cube = {k: r[column] for k, r in by_key.items() if _is_number(r[column])}
            # a population (not children looked after) is hidden at 1..threshold, small area
            # or not, and protected from its margins like a count
            threshold_here = threshold_of if column in counts else (lambda key: threshold)
            values[column], hidden[column] = _suppress_cube(cube, len(dims), threshold_here, order)
        keys = list(by_key)
        if margins and dims:
            keys += sorted((k for k in values[counts[0]] if _ALL in k), key=sort_key)
        for key in keys:
            row = dict(by_key.get(key) or zip(separately, panel_key))
            row.update({d: TOTAL_LABEL if v is _ALL else v for d, v in zip(dims, key)})
            is_hidden = {}
            for column in values:
                is_hidden[column] = key in hidden[column]
                row[column] = _show(values[column].get(key, row.get(column)), is_hidden[column])
            for name, (num, den) in shares.items():
                exact = _ratio(values[num].get(key), values[den].get(key), scale, decimals)
                row[name] = show_ratio(exact, row[num], row[den], min_denominator)
                is_hidden[name] = row[name] == SUPPRESSED
            rows.append(row)
            hidden_rows.append(is_hidden)

    columns = list(dict.fromkeys([*df.columns, *shares]))
    table = pd.DataFrame(rows, columns=columns)
    for column in number_columns:
        table[column] = table[column].astype(object)
    mask = pd.DataFrame(
        {c: [h.get(c, False) for h in hidden_rows] for c in number_columns},
        index=table.index,
        dtype=bool,
    )
    return SuppressedFrame(table, mask)


def _ratio(numerator: Number | None, denominator: Number | None, scale: int, decimals: int | None):
    if not _is_number(numerator) or not _is_number(denominator) or denominator == 0:
        return None
    exact = Decimal(str(numerator)) * scale / Decimal(str(denominator))
    if decimals is None:
        return float(exact)
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _categories(column: pd.Series) -> list:
    """A column's categories in order: a categorical's own order, else first appearance."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return list(column.cat.categories)
    return list(dict.fromkeys(column.tolist()))


# --- the engine -----------------------------------------------------------------------------


class _All:
    """Stands for a summed-over dimension in a cross-tab's margin keys."""

    def __repr__(self) -> str:
        return "ALL"


_ALL = _All()


def _suppress(
    values: Mapping[Hashable, Number | None],
    thresholds: Mapping[Hashable, int],
    groups: Sequence[Group],
    links: Sequence[tuple[Hashable, Hashable]] = (),
) -> set[Hashable]:
    """Primary, then secondary suppression over every group until stable: the hidden keys.

    `links` are pairs of keys that are the same number printed twice: hidden together.
    """
    hidden = {k for k, v in values.items() if is_primary(v, thresholds[k])}
    changed = True
    while changed:
        changed = False
        for cells, total in groups:
            extra = _secondary(cells, total, values, hidden)
            if extra is not None:
                hidden.add(extra)
                changed = True
        for a, b in links:
            for this, other in ((a, b), (b, a)):
                if this in hidden and other not in hidden and _nonzero(values.get(other)):
                    hidden.add(other)
                    changed = True
    return hidden


def _secondary(
    cells: Sequence[Hashable], total: Hashable | None, values: Mapping, hidden: set
) -> Hashable | None:
    """The cell to hide next in a group with exactly one hidden cell, or None."""
    members = [*cells, *([] if total is None else [total])]
    if sum(k in hidden for k in members) != 1:
        return None
    candidates = [k for k in cells if k not in hidden and _nonzero(values[k])]
    if candidates:
        return min(candidates, key=lambda k: values[k])  # min keeps the first of ties
    if total is not None and total not in hidden and _nonzero(values[total]):
        return total
    return None


def _suppress_cube(
    cells: Mapping[tuple, Number],
    n_dims: int,
    threshold_of: Callable[[tuple], int],
    order: Sequence[Mapping[Hashable, int]] | None = None,
) -> tuple[dict[tuple, Number], set[tuple]]:
    """Suppress an n-dimensional table of cells with all its margins (sums over dimensions).

    Keys of margins hold `_ALL` for the summed dimensions. Along every dimension, each line of
    cells (the others fixed) with its margin as total is a group. Groups are worked through
    inner cells first, rows before columns (the last dimension varying first), each in
    category order (`order[dim][category]`, else the categories' own order). Returns every
    value, margins included, and the hidden keys.
    """
    values: dict[tuple, Number] = dict(cells)
    for n_summed in range(1, n_dims + 1):
        for summed in combinations(range(n_dims), n_summed):
            for key, value in cells.items():
                margin = tuple(_ALL if i in summed else v for i, v in enumerate(key))
                values[margin] = values.get(margin, 0) + value

    def rank(key: tuple) -> tuple:
        return tuple(
            (1, 0) if v is _ALL else (0, v if order is None else order[i].get(v, math.inf))
            for i, v in enumerate(key)
        )

    lines: dict[tuple[int, tuple], list[tuple]] = {}
    for key in values:
        for i, v in enumerate(key):
            if v is not _ALL:
                lines.setdefault((i, key[:i] + (_ALL,) + key[i + 1 :]), []).append(key)
    groups: list[Group] = [
        (sorted(members, key=rank), total)
        for (i, total), members in sorted(
            lines.items(), key=lambda line: (line[0][1].count(_ALL), -line[0][0], rank(line[0][1]))
        )
    ]
    thresholds = {k: threshold_of(k) for k in values}
    return values, _suppress(values, thresholds, groups)


def _show(value: Any, hidden: bool) -> Any:
    return SUPPRESSED if hidden and value is not None else value


def _is_number(value: Any) -> bool:
    """A real number (numpy's too), not a bool, not NaN."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and not math.isnan(value)


def _nonzero(value: Any) -> bool:
    return _is_number(value) and value != 0


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
