"""Compute the measures: one SQL file per id in `sql/`, assembled into the JSON of indicators.md.

`trend` runs each measure once for all the years asked (one query, not a loop of queries);
`compute` is the one-year case. Whether a measure is available for a year (history, council,
population, OC3) is decided here, with the reason, before any number is shown.
"""

from __future__ import annotations

import calendar
import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb

from analytics import store
from analytics.filters import AGE_BANDS, CEASED_AGE_BANDS, Filters
from analytics.measures.registry import COUNT, MEASURES, RATE, Measure

SQL_DIR = Path(__file__).parent / "sql"
CATEGORY_ORDER = {"age_band": AGE_BANDS + CEASED_AGE_BANDS}


@functools.cache
def sql(measure_id: str) -> str:
    """The query of a measure, read from `sql/<id>.sql`."""
    return (SQL_DIR / f"{measure_id}.sql").read_text()


def run(con: duckdb.DuckDBPyConnection, query_id: str, params: dict) -> list[tuple]:
    """Run one query file with the bound parameters it names (and no others)."""
    text = sql(query_id)
    names = set(re.findall(r"\$(\w+)", text))
    return con.execute(text, {k: v for k, v in params.items() if k in names}).fetchall()


# The building blocks of `_base.sql` that many measures share (children looked after on a day,
# first starts, last ends, looked after during the year): made once per connection and year
# into temporary tables, so that the measures of a screen read them rather than each joining
# episodes, periods and placements again. Made for the council filter (None: every council);
# the other filters apply after, in each measure's query, as before.
BLOCKS = ("stock", "first_starts", "last_ends", "during_year")


def _code(text: str) -> str:
    """SQL without its comments."""
    return re.sub(r"--[^\n]*", "", text)


@functools.cache
def _macro_uses() -> dict[str, set[str]]:
    """Each macro of `_base.sql` -> the macros its body calls."""
    parts = re.split(r"CREATE OR REPLACE TEMP MACRO (\w+)", _code((SQL_DIR / "_base.sql").read_text()))
    bodies = dict(zip(parts[1::2], parts[2::2]))
    return {name: {m for m in bodies if re.search(rf"\b{m}\(", body)} for name, body in bodies.items()}


@functools.cache
def blocks_in(text: str) -> frozenset[str]:
    """The building blocks a query reads, directly or through the macros it calls."""
    uses = _macro_uses()
    todo = [m for m in uses if re.search(rf"\b{m}\(", _code(text))]
    seen: set[str] = set()
    while todo:
        m = todo.pop()
        if m not in seen:
            seen.add(m)
            todo += uses[m]
    return frozenset(seen & set(BLOCKS))


def make_blocks(
    con: duckdb.DuckDBPyConnection,
    blocks: Iterable[str],
    years: list[int],
    ends: list[date],
    council: str | None = None,
) -> None:
    """Make these building blocks for these years (each ending on its day of `ends`), and
    `stock` for their 31 March too (the annual tables' cohorts), for one council (None: every
    council), where not made already."""
    made = set(
        con.execute(
            "SELECT block, year, period_end FROM block_made WHERE council IS NOT DISTINCT FROM $council",
            {"council": council},
        ).fetchall()
    )
    for name in sorted(set(blocks)):
        pairs = set(zip(years, ends)) | ({(y, date(y, 3, 31)) for y in years} if name == "stock" else set())
        todo = sorted(p for p in pairs if (name, *p) not in made)
        while todo:  # a year twice (to 31 March and to date) is made in two steps
            batch = list(dict(todo).items())
            todo = [p for p in todo if p not in batch]
            bound = {"years": [y for y, _ in batch], "ends": [e for _, e in batch], "council": council}
            rows = f"""SELECT y.period_end AS block_end, $council AS block_council, b.*
                       FROM {name}_of($years, $ends, $council) b
                       JOIN report_years($years, $ends) y ON b.year = y.year"""
            con.execute(f"INSERT INTO block_{name} {rows}", bound)
            con.execute(
                "INSERT INTO block_made SELECT $name, unnest($years), unnest($ends), $council",
                {**bound, "name": name},
            )


def prepare_connection(con: duckdb.DuckDBPyConnection) -> None:
    """Create the measures' shared macros (temporary) on a connection (and an empty table of
    published figures for a database made before they were kept)."""
    if not con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'published'"
    ).fetchone()[0]:
        con.execute(
            "CREATE TEMP TABLE published AS SELECT * FROM (VALUES ('', 0, '', '', '')) "
            "t(measure, year, level, area_code, value) WHERE false"
        )
    con.execute(
        "CREATE TEMP TABLE IF NOT EXISTS block_made (block VARCHAR, year INTEGER, period_end DATE, council VARCHAR)"
    )
    con.execute((SQL_DIR / "_base.sql").read_text())


def round_half_away(x: Decimal) -> float:
    """One decimal, halves away from zero (Decimal's ROUND_HALF_UP)."""
    return float(x.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _ratio(numerator: int, denominator: int, scale: int) -> float:
    return round_half_away(Decimal(numerator) * scale / Decimal(denominator))


@dataclass(frozen=True)
class LoadedHistory:
    """What the loaded returns of the councils in view allow."""

    councils: tuple[str | None, ...]
    history_start: date | None  # None: a complete history
    last_year: int | None  # None: no upper bound (a complete history)
    oc3_years: frozenset[int]
    has_placed_adoption: bool
    first_year: int | None
    # optional table -> the years every council in view loaded it for (None: a file with no year)
    table_years: tuple[tuple[str, frozenset[int | None]], ...] = ()
    current_schema: bool = True  # False: a database made before the optional tables were kept

    def has_table(self, table: str, year: int) -> bool:
        years = dict(self.table_years).get(table, frozenset())
        return year in years or None in years

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection, council: str | None) -> LoadedHistory | None:
        rows = con.execute(
            """SELECT la_code, history_start, last_year, years, oc3_years, has_placed_adoption
               FROM loads WHERE $council IS NULL OR la_code = $council""",
            {"council": council},
        ).fetchall()
        if not rows:
            return None
        try:
            loaded = [
                json.loads(r[0] or "{}")
                for r in con.execute(
                    "SELECT tables_loaded FROM loads WHERE $council IS NULL OR la_code = $council",
                    {"council": council},
                ).fetchall()
            ]
        except duckdb.BinderException:  # a database made before the optional tables were kept
            loaded = [{}]
        current = con.execute(
            """SELECT count(*) FROM duckdb_columns()
               WHERE table_name = 'episodes' AND column_name = 'age_at_last_day'"""
        ).fetchone()[0]
        names = set.intersection(*(set(t) for t in loaded))
        table_years = tuple(
            sorted((name, frozenset.intersection(*(frozenset(t[name]) for t in loaded))) for name in names)
        )
        starts = [r[1] for r in rows]
        complete = all(s is None for s in starts)
        oc3 = set.intersection(*(set(r[4]) for r in rows))
        return cls(
            councils=tuple(r[0] for r in rows),
            history_start=None if complete else max(s for s in starts if s is not None),
            last_year=None if all(not r[3] for r in rows) else min(r[2] for r in rows if r[3]),
            oc3_years=frozenset(oc3),
            has_placed_adoption=any(r[5] for r in rows),
            first_year=None if complete else min(min(r[3]) for r in rows if r[3]),
            table_years=table_years,
            current_schema=bool(current),
        )


def _unavailable(m: Measure, f: Filters, cov: LoadedHistory | None) -> str | None:
    """Why a measure cannot be computed for this year and these filters, or None."""
    if cov is None:
        return "no returns loaded" + (f" for council {f.council}" if f.council else "")
    if m.family == "care_leavers":
        return None if f.year in cov.oc3_years else f"no OC3 return loaded for {f.year}"
    if (cov.history_start and cov.history_start > f.period_start) or (
        cov.last_year and f.year > cov.last_year
    ):
        return f"no returns loaded for {f.year}"
    needs = {
        "long_term_stability": (_months_before(f.period_end, 30), "30 months"),
        "placed_with_parents_over_1_year": (f.period_end - timedelta(days=366), "a year and a day"),
    }
    if m.id in needs and cov.history_start and cov.history_start > needs[m.id][0]:
        back_to, span = needs[m.id]
        return f"returns loaded only from {cov.first_year}: the measure needs {span} of history, back to {back_to.isoformat()}"
    if m.id == "placed_outside_la" and None in cov.councils:
        return "the council is unknown: load the returns with --la-code"
    if m.unit == RATE and f.sexes:
        return "the population table has no breakdown by sex"
    if m.id == "adoption_placed_within_12_months_of_decision" and not cov.has_placed_adoption:
        return "no PlacedAdoption table loaded"
    if (m.table or m.family == "during_year") and not cov.current_schema:
        return "the database was made by an older version: load the returns again for this measure"
    if m.table and not cov.has_table(m.table, f.year):
        return f"no {m.table} table loaded for {f.year}"
    return None


def _months_before(d: date, n: int) -> date:
    """The same day of the month n months earlier (the month's last day when it is shorter)."""
    year, month0 = divmod(d.year * 12 + d.month - 1 - n, 12)
    return date(year, month0 + 1, min(d.day, calendar.monthrange(year, month0 + 1)[1]))


def _params(con: duckdb.DuckDBPyConnection, f: Filters, years: list[int]) -> dict:
    area: set[str] | None = set(f.districts) if f.districts else None
    if f.localities:
        rows = con.execute(
            "SELECT district FROM localities WHERE list_contains($names, locality)",
            {"names": list(f.localities)},
        ).fetchall()
        in_localities = {r[0] for r in rows}
        area = in_localities if area is None else area & in_localities
    return {
        "years": years,
        "ends": [replace(f, year=y, as_of=_shift(f.as_of, y)).period_end for y in years],
        "council": f.council,
        "area_on": area is not None,
        "area": sorted(area or []),
        "bands": list(f.age_bands),
        "sexes": list(f.sexes),
    }


def _shift(as_of: date | None, year: int) -> date | None:
    """The same month-end as-of date in another reporting year (for year-to-date trends)."""
    if as_of is None:
        return None
    calendar_year = year - 1 if as_of.month > 3 else year
    return date(calendar_year, as_of.month, calendar.monthrange(calendar_year, as_of.month)[1])


def _cells(m: Measure, numerator, denominator) -> dict:
    if m.unit == COUNT:
        n = int(numerator or 0)
        return {"numerator": n, "denominator": None, "value": n}
    n, d = int(numerator or 0), int(denominator or 0)
    if d == 0:
        return {"numerator": 0, "denominator": 0, "value": None}
    return {"numerator": n, "denominator": d, "value": _ratio(n, d, m.unit.scale)}


def _ordered(dim: str, cells: dict) -> dict:
    order = CATEGORY_ORDER.get(dim)
    keys = sorted(cells, key=lambda k: (order.index(k) if order and k in order else len(order or ()), k))
    return {k: cells[k] for k in keys}


def _assemble(m: Measure, rows: list[tuple]) -> dict:
    """The JSON object of one measure for one year, from its query's rows (dim, category, n, d)."""
    headline = next(((n, d) for dim, _, n, d in rows if dim is None), None)
    if headline is None and m.unit == RATE:
        return {
            "numerator": None,
            "denominator": None,
            "value": None,
            "reason": "no population table for the year and these districts",
        }
    result = _cells(m, *(headline or (0, 0)))
    if result["value"] is None:
        result["reason"] = "no children in the population"
    breakdowns: dict[str, dict] = {}
    for dim, category, n, d in rows:
        if dim is None:
            continue
        cell = _cells(m, n, d)
        breakdowns.setdefault(dim, {})[category] = cell["value"] if m.unit == COUNT else cell
    if m.breakdowns:
        result["breakdowns"] = {
            dim: _ordered(dim, breakdowns[dim]) for dim in m.breakdowns if dim in breakdowns
        }
    return result


def trend(
    con: duckdb.DuckDBPyConnection, filters: Filters, years: list[int], ids: list[str] | None = None
) -> dict[int, dict[str, dict]]:
    """{year: {measure id: result}} for the years asked, each measure one query for all years."""
    out: dict[int, dict[str, dict]] = {y: {} for y in years}
    coverage = LoadedHistory.read(con, filters.council)
    params = _params(con, filters, years)
    reasons = {
        mid: {
            y: _unavailable(MEASURES[mid], replace(filters, year=y, as_of=_shift(filters.as_of, y)), coverage)
            for y in years
        }
        for mid in ids or list(MEASURES)
    }
    wanted = [mid for mid, why in reasons.items() if None in why.values()]
    blocks = {b for mid in wanted for b in blocks_in(sql(mid))}
    make_blocks(con, blocks, params["years"], params["ends"], filters.council)
    for mid in ids or list(MEASURES):
        m = MEASURES[mid]
        available = [y for y in years if reasons[mid][y] is None]
        rows_by_year: dict[int, list[tuple]] = {y: [] for y in available}
        if available:
            sub = {**params, "years": available, "ends": [params["ends"][years.index(y)] for y in available]}
            for year, dim, category, n, d in run(con, mid, sub):
                rows_by_year[year].append((dim, category, n, d))
        for y in years:
            if reasons[mid][y]:
                out[y][mid] = {
                    "numerator": None,
                    "denominator": None,
                    "value": None,
                    "reason": reasons[mid][y],
                }
            else:
                out[y][mid] = _assemble(m, rows_by_year[y])
    return out


def compute(
    con: duckdb.DuckDBPyConnection, filters: Filters, ids: list[str] | None = None
) -> dict[str, dict]:
    """{measure id: result} for one year: the `measures` object of the indicators JSON."""
    return trend(con, filters, [filters.year], ids)[filters.year]


def indicators_json(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict:
    """The whole JSON object of `python -m analytics indicators` (indicators.md)."""
    return {
        "year": filters.year,
        "period": [filters.period_start.isoformat(), filters.period_end.isoformat()],
        "filters": filters.as_json(),
        "measures": compute(con, filters),
    }


def connect(db: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a database, or to a folder of Parquet exported from one or
    more (`store.export_parquet`), ready for the measures' queries."""
    if not Path(db).exists():
        raise FileNotFoundError(f"no database at {db}: load returns first (python -m analytics load)")
    con = store.connect_parquet(Path(db)) if Path(db).is_dir() else store.connect(Path(db))
    prepare_connection(con)
    return con


def monthly(con: duckdb.DuckDBPyConnection, filters: Filters, first: date, last: date) -> dict:
    """Starts and ceased per calendar month from `first` to `last` (first days of months), with
    breakdowns by age band and district."""
    months = []
    m = first
    while m <= last:
        months.append(m)
        m = date(m.year + m.month // 12, m.month % 12 + 1, 1)
    params = {k: v for k, v in _params(con, filters, []).items() if k not in ("years", "ends")}
    rows = run(con, "monthly", {**params, "months": months})
    out = {
        month.isoformat()[:7]: {
            "starts": 0,
            "ceased": 0,
            "starts_by_age_band": {},
            "starts_by_district": {},
            "ceased_by_age_band": {},
            "ceased_by_district": {},
        }
        for month in months
    }
    for measure, month_start, dim, category, n in rows:
        entry = out[month_start.isoformat()[:7]]
        if dim is None:
            entry[measure] = n
        else:
            entry[f"{measure}_by_{dim}"][category] = n
    for entry in out.values():
        for key in [k for k in entry if "_by_" in k]:
            entry[key] = _ordered(key.split("_by_")[1], entry[key])
    return {
        "from": first.isoformat()[:7],
        "to": last.isoformat()[:7],
        "filters": filters.as_json(),
        "months": [{"month": k, **v} for k, v in out.items()],
    }
