"""Numbers, periods and tables as text: one place for how a shown value is written.

A shown value is a number, `SUPPRESSED` ("c") or None (no figure, written as a dash)."""

from __future__ import annotations

import math

import pandas as pd

from analytics.disclosure import SUPPRESSED
from analytics.measures.units import COUNT, Unit

DASH = "–"


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and not missing(value)


def fmt(value, unit: Unit = COUNT) -> str:
    """A shown value as text: "c" stays "c", None is a dash.

    >>> from analytics.measures.units import SHARE
    >>> fmt(1234), fmt("c"), fmt(None), fmt(12.34, SHARE)
    ('1,234', 'c', '–', '12.3%')
    """
    if value == SUPPRESSED:
        return SUPPRESSED
    if missing(value):
        return DASH
    return unit.format(value)


def published(value, unit: Unit = COUNT) -> str:
    """A published figure as DfE writes it: whole numbers stay whole ("10%", "67"), a symbol
    (c, k, x, z) stays itself.

    >>> from analytics.measures.units import SHARE
    >>> published(10, SHARE), published(12.5, SHARE), published("z", SHARE)
    ('10%', '12.5%', 'z')
    """
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"{value:,}" + ("%" if unit.percent else "")
    return fmt(value, unit)


def n_of_d(numerator, denominator) -> str:
    """'59 of 493', with "c" for a hidden part."""
    if numerator is None or denominator is None:
        return DASH
    return f"{fmt(numerator)} of {fmt(denominator)}"


def year_label(year: int) -> str:
    """Collection year 2025 -> '2024-25' (April 2024 to March 2025).

    >>> year_label(2025)
    '2024-25'
    """
    return f"{year - 1}-{str(year)[2:]}"


def heights(values) -> pd.Series:
    """What a chart draws for shown values: the number, or NaN (a gap) where hidden or missing."""
    series = pd.Series(list(values), dtype=object)
    return pd.to_numeric(series.where(series != SUPPRESSED), errors="coerce")


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def as_text(table: pd.DataFrame) -> pd.DataFrame:
    """A table for the screen: every cell as text ("c" stays "c", missing is a dash, counts with
    thousands separators), so mixed number-and-"c" columns display as they will download."""

    def cell(v) -> str:
        if missing(v):
            return DASH
        if isinstance(v, bool):
            return "Yes" if v else "No"
        if isinstance(v, int):
            return str(v) if 1900 < v < 2100 else f"{v:,}"
        if isinstance(v, float):
            return f"{v:,.1f}"
        return str(v)

    return table.apply(lambda col: col.map(cell)) if len(table) else table
