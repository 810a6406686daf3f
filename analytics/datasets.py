"""What is loaded: the loads, the validation report and quarantine, and the choices a filter
offers (years, districts, localities). Read-only queries for the dashboard's Data page and
sidebar; no child-level row ever leaves this module, only counts and code values.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pandas as pd


@dataclass(frozen=True)
class Coverage:
    """The years and areas the database holds, for the sidebar."""

    years: tuple[int, ...]
    districts: tuple[str, ...]
    localities: tuple[str, ...]
    synthetic: bool
    councils: tuple[str, ...]
    as_of: date | None  # the last complete month end in the data

    @property
    def last_year(self) -> int | None:
        return self.years[-1] if self.years else None


def last_complete_month_end(latest: date | None) -> date | None:
    """The latest month end the data cover completely: the month of the latest date if that
    date is its last day, else the month before.

    >>> last_complete_month_end(date(2025, 3, 31)), last_complete_month_end(date(2025, 3, 12))
    (datetime.date(2025, 3, 31), datetime.date(2025, 2, 28))
    """
    if latest is None:
        return None
    if latest.day == calendar.monthrange(latest.year, latest.month)[1]:
        return latest
    return latest.replace(day=1) - timedelta(days=1)


def coverage(con: duckdb.DuckDBPyConnection) -> Coverage:
    loads = con.execute("SELECT la_code, years, synthetic, last_year FROM loads ORDER BY la_code").fetchall()
    years = sorted({y for r in loads for y in (r[1] or [])})
    districts = [
        r[0]
        for r in con.execute(
            """SELECT DISTINCT home_district FROM episodes WHERE home_district IS NOT NULL
           UNION SELECT district FROM localities ORDER BY 1"""
        ).fetchall()
    ]
    districts = sorted(set(districts), key=_district_order)
    localities = [r[0] for r in con.execute("SELECT DISTINCT locality FROM localities ORDER BY 1").fetchall()]
    latest = con.execute("SELECT greatest(max(decom), max(dec)) FROM episodes").fetchone()[0]
    as_of = last_complete_month_end(latest)
    if as_of and years:
        # never beyond the last loaded return's year
        as_of = min(as_of, date(max(years), 3, 31))
    return Coverage(
        years=tuple(years),
        districts=tuple(districts),
        localities=tuple(localities),
        synthetic=any(bool(r[2]) for r in loads) or _synthetic_tables(con),
        councils=tuple(r[0] for r in loads if r[0]),
        as_of=as_of,
    )


def _synthetic_tables(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "SELECT bool_or(synthetic) FROM (SELECT synthetic FROM population UNION ALL SELECT synthetic FROM localities)"
    ).fetchone()
    return bool(row and row[0])


def _district_order(d: str) -> tuple:
    letters = "".join(ch for ch in d if ch.isalpha())
    digits = "".join(ch for ch in d if ch.isdigit())
    return (letters, int(digits) if digits else 0, d)


def loads_table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per loaded council: what, when, how much, synthetic or real."""
    return con.execute(
        """SELECT la_code AS "Council", CASE WHEN synthetic THEN 'Synthetic' ELSE 'Real' END AS "Data",
                  strftime(loaded_at, '%Y-%m-%d %H:%M') AS "Loaded at (UTC)",
                  list_min(years) || '-' || list_max(years) AS "Years",
                  len(years) AS "Returns (years)", files AS "Files", rows_read AS "Rows read",
                  children AS "Children", episodes AS "Episodes",
                  quarantined_children AS "Children set aside", quarantined_rows AS "Rows set aside",
                  warnings AS "Warnings"
           FROM loads ORDER BY la_code"""
    ).df()


def validation_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The validation report as counts: one row per council, severity, rule and column."""
    return con.execute(
        """SELECT la_code AS "Council", severity AS "Severity", rule AS "Rule",
                  coalesce("column", '') AS "Column", count(*) AS "Lines",
                  any_value(message) AS "What it means"
           FROM validation_report GROUP BY la_code, severity, rule, "column"
           ORDER BY 1, CASE WHEN severity = 'error' THEN 0 ELSE 1 END, 5 DESC, 3"""
    ).df()


def quarantine_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Rows set aside at import, counted by table and rule (no child, no row)."""
    return con.execute(
        """SELECT la_code AS "Council", table_name AS "Table", rule AS "Rule",
                  count(DISTINCT child_key) AS "Children", count(*) AS "Rows"
           FROM quarantine GROUP BY ALL ORDER BY "Rows" DESC"""
    ).df()


def population_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    return [r[0] for r in con.execute("SELECT DISTINCT year FROM population ORDER BY 1").fetchall()]
