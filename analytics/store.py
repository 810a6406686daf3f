"""The DuckDB store: its schema, the atomic swap of a new database, read-only connections, and
the anonymised tables exported as Parquet partitioned by council (and read back).

A load builds the new database beside the old one (a copy holding the other councils' data)
and swaps it in with one `os.replace` only when complete: a refused, failed or interrupted load
leaves the previous file exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path

import duckdb

from analytics import codes

SCHEMA = """
CREATE TABLE IF NOT EXISTS loads (
    la_code VARCHAR, loaded_at TIMESTAMP, synthetic BOOLEAN, files INTEGER, rows_read INTEGER,
    years INTEGER[], oc3_years INTEGER[], history_start DATE, last_year INTEGER,
    has_placed_adoption BOOLEAN, children INTEGER, episodes INTEGER,
    quarantined_children INTEGER, quarantined_rows INTEGER, warnings INTEGER,
    tables_loaded VARCHAR);
CREATE TABLE IF NOT EXISTS children (
    la_code VARCHAR, child_key VARCHAR, sex VARCHAR, ethnic_group VARCHAR, birth_ym DATE,
    born_29_feb BOOLEAN, uasc BOOLEAN);
CREATE TABLE IF NOT EXISTS episodes (
    la_code VARCHAR, child_key VARCHAR, source VARCHAR, source_row INTEGER, year INTEGER,
    decom DATE, dec DATE, rne VARCHAR, ls VARCHAR, cin VARCHAR, place VARCHAR, provider VARCHAR,
    rec VARCHAR, reason_place_change VARCHAR, urn VARCHAR, home_district VARCHAR,
    home_council VARCHAR, pl_district VARCHAR, pl_council VARCHAR, distance_miles DOUBLE,
    short_break BOOLEAN, age_at_decom INTEGER, age_at_dec INTEGER, period_no INTEGER,
    placement_no INTEGER, is_temp BOOLEAN, attr_place VARCHAR, attr_provider VARCHAR,
    attr_pl_district VARCHAR, attr_pl_council VARCHAR, attr_distance_miles DOUBLE,
    attr_urn VARCHAR, age_at_last_day INTEGER);
CREATE TABLE IF NOT EXISTS periods (
    la_code VARCHAR, child_key VARCHAR, period_no INTEGER, start_date DATE, end_date DATE,
    is_start BOOLEAN, first_ls VARCHAR, cin VARCHAR, start_district VARCHAR, start_age INTEGER,
    end_rec VARCHAR, end_reason_group VARCHAR, end_district VARCHAR, end_age INTEGER,
    adoption_placement_start DATE);
CREATE TABLE IF NOT EXISTS placements (
    la_code VARCHAR, child_key VARCHAR, period_no INTEGER, placement_no INTEGER,
    start_date DATE, end_date DATE, previous_start DATE, move_reason VARCHAR,
    start_district VARCHAR, start_age INTEGER);
CREATE TABLE IF NOT EXISTS care_leavers (
    la_code VARCHAR, child_key VARCHAR, year INTEGER, age INTEGER, in_touch VARCHAR,
    activ VARCHAR, accom VARCHAR, district VARCHAR, sex VARCHAR, only_short_breaks BOOLEAN,
    care_transferred BOOLEAN);
CREATE TABLE IF NOT EXISTS adoption_decisions (la_code VARCHAR, child_key VARCHAR, date_placed DATE);
CREATE TABLE IF NOT EXISTS uasc (la_code VARCHAR, child_key VARCHAR, year INTEGER, duc DATE);
CREATE TABLE IF NOT EXISTS adoption_details (
    la_code VARCHAR, child_key VARCHAR, year INTEGER, date_int DATE, date_match DATE,
    foster_care VARCHAR, nb_adoptr VARCHAR, sex_adoptr VARCHAR, ls_adoptr VARCHAR);
CREATE TABLE IF NOT EXISTS placed_adoption (
    la_code VARCHAR, child_key VARCHAR, year INTEGER, date_placed DATE, date_placed_ceased DATE,
    reason_placed_ceased VARCHAR);
CREATE TABLE IF NOT EXISTS oc2 (
    la_code VARCHAR, child_key VARCHAR, year INTEGER, source VARCHAR, source_row INTEGER,
    sdq_score INTEGER, sdq_reason VARCHAR, convicted BOOLEAN, health_check BOOLEAN,
    immunisations BOOLEAN, teeth_check BOOLEAN, health_assessment BOOLEAN,
    substance_misuse BOOLEAN, intervention_received BOOLEAN, intervention_offered BOOLEAN);
CREATE TABLE IF NOT EXISTS missing (
    la_code VARCHAR, child_key VARCHAR, year INTEGER, source VARCHAR, source_row INTEGER,
    missing VARCHAR, mis_start DATE, mis_end DATE);
CREATE TABLE IF NOT EXISTS reviews (
    la_code VARCHAR, child_key VARCHAR, year INTEGER, source VARCHAR, source_row INTEGER,
    review DATE, review_code VARCHAR);
CREATE TABLE IF NOT EXISTS review_deadlines (
    la_code VARCHAR, child_key VARCHAR, period_no INTEGER, k INTEGER, due DATE, held DATE);
CREATE TABLE IF NOT EXISTS prev_perm (
    la_code VARCHAR, child_key VARCHAR, year INTEGER, prev_perm VARCHAR, la_perm VARCHAR,
    date_perm DATE);
CREATE TABLE IF NOT EXISTS sw_episodes (
    la_code VARCHAR, child_key VARCHAR, year INTEGER, sw_key VARCHAR, sw_decom DATE, sw_dec DATE,
    sw_reason VARCHAR);
CREATE TABLE IF NOT EXISTS dolo (
    la_code VARCHAR, child_key VARCHAR, year INTEGER, dolo_start DATE, dolo_end DATE);
CREATE TABLE IF NOT EXISTS quarantine (
    la_code VARCHAR, child_key VARCHAR, table_name VARCHAR, file VARCHAR, "row" INTEGER, rule VARCHAR);
CREATE TABLE IF NOT EXISTS validation_report (
    la_code VARCHAR, file VARCHAR, "row" INTEGER, "column" VARCHAR, rule VARCHAR,
    severity VARCHAR, message VARCHAR);
CREATE TABLE IF NOT EXISTS localities (district VARCHAR PRIMARY KEY, locality VARCHAR, synthetic BOOLEAN);
CREATE TABLE IF NOT EXISTS published (
    measure VARCHAR, year INTEGER, level VARCHAR, area_code VARCHAR, area_name VARCHAR,
    region_code VARCHAR, region_name VARCHAR, old_la_code VARCHAR, value VARCHAR,
    numerator VARCHAR, denominator VARCHAR, source VARCHAR, release INTEGER);
CREATE TABLE IF NOT EXISTS neighbours (
    old_la_code VARCHAR, la_name VARCHAR, rank INTEGER, neighbour VARCHAR, closeness VARCHAR,
    source VARCHAR);
CREATE TABLE IF NOT EXISTS population (
    la_code VARCHAR, year INTEGER, district VARCHAR, age_band VARCHAR, children INTEGER,
    synthetic BOOLEAN);
"""

# The optional tables of the return: the table of the store each is kept in.
SIDE_TABLES = {
    "UASC": "uasc",
    "AD1": "adoption_details",
    "PlacedAdoption": "placed_adoption",
    "OC2": "oc2",
    "Missing": "missing",
    "Reviews": "reviews",
    "PrevPerm": "prev_perm",
    "SWEpisodes": "sw_episodes",
    "DoLo": "dolo",
}
# Columns added since a database was first made: added to an older database when it is loaded.
_ADDED_COLUMNS = (("loads", "tables_loaded", "VARCHAR"), ("episodes", "age_at_last_day", "INTEGER"))

COUNCIL_TABLES = (
    "loads",
    "children",
    "episodes",
    "periods",
    "placements",
    "care_leavers",
    "adoption_decisions",
    "uasc",
    "adoption_details",
    "placed_adoption",
    "oc2",
    "missing",
    "reviews",
    "review_deadlines",
    "prev_perm",
    "sw_episodes",
    "dolo",
    "quarantine",
    "validation_report",
)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _case(column: str, groups: dict[str, tuple[str, ...]]) -> str:
    return " ".join(
        f"WHEN {column} IN ({', '.join(map(_quote, members))}) THEN {_quote(name)}"
        for name, members in groups.items()
    )


def _macros() -> str:
    places = _case("place", codes.PLACEMENT_GROUPS)
    providers = _case("provider", {name: (code,) for code, name in codes.PROVIDERS.items()})
    groups = _case("rec", codes.REASON_GROUPS)
    return f"""
CREATE OR REPLACE MACRO placement_group(place) AS CASE {places} ELSE 'Unknown' END;
CREATE OR REPLACE MACRO provider_label(provider) AS CASE {providers} ELSE 'Not recorded' END;
CREATE OR REPLACE MACRO reason_group(rec) AS CASE {groups} ELSE 'Unknown' END;
CREATE OR REPLACE MACRO age_band(age) AS CASE
    WHEN age < 1 THEN 'Under 1' WHEN age <= 4 THEN '1 to 4' WHEN age <= 9 THEN '5 to 9'
    WHEN age <= 15 THEN '10 to 15' ELSE '16 and over' END;
CREATE OR REPLACE MACRO ceased_age_band(age) AS CASE
    WHEN age < 1 THEN 'Under 1' WHEN age <= 4 THEN '1 to 4' WHEN age <= 9 THEN '5 to 9'
    WHEN age <= 15 THEN '10 to 15' WHEN age = 16 THEN '16' WHEN age = 17 THEN '17'
    ELSE '18 and over' END;
-- Age on the last day of a month, from the birth year-month: exact, because every birthday in
-- that month has been reached by its last day, except 29 February on 28 February.
CREATE OR REPLACE MACRO age_at_month_end(birth_ym, born_29_feb, d) AS
    year(d) - year(birth_ym)
    - CASE WHEN month(d) < month(birth_ym) THEN 1
           WHEN month(d) = 2 AND day(d) = 28 AND born_29_feb THEN 1
           ELSE 0 END;
-- The same day of the month n months earlier (the month's last day when it is shorter).
CREATE OR REPLACE MACRO months_before(d, n) AS CAST(d - to_months(n) AS DATE);
"""


def initialise(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA)
    for table, column, kind in _ADDED_COLUMNS:
        con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {kind}")
    con.execute(_macros())


def connect(db: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a complete database, with the engine's macros.

    The file is attached to a fresh in-memory database rather than opened with
    `duckdb.connect(path)`: DuckDB shares one instance per path within a process, so a connection
    opened after a load, while an older one is still open, would otherwise see the replaced file."""
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH {_quote(str(db))} AS cla (READ_ONLY)")
    con.execute("USE cla")
    con.execute(_macros().replace("CREATE OR REPLACE MACRO", "CREATE OR REPLACE TEMP MACRO"))
    return con


_KEPT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def kept(con: duckdb.DuckDBPyConnection) -> dict:
    """What the engine keeps for a connection (its answers, by the name of what asked), for as
    long as the connection lives. A connection reads one database as it was when it was opened
    (`connect`: a load swaps the file, and the dashboard then opens a new connection), so an
    answer kept on it never goes stale."""
    return _KEPT.setdefault(con, {})


def _stale(db: Path) -> None:
    """Remove what a killed load left beside `db`: work folders of processes no longer running."""
    for leftover in db.parent.glob(f".{db.name}.*.load"):
        pid = leftover.name.removeprefix(f".{db.name}.").split(".", 1)[0]
        try:
            os.kill(int(pid), 0)
            continue  # that load is still running
        except ProcessLookupError:
            pass
        except (ValueError, PermissionError):
            continue
        shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def replacing(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable copy of `db` (or a new database) that replaces it only if the block succeeds.

    The copy is built in an owner-only (0700) work folder beside `db`, named by this process,
    and is made 0600 before it replaces `db`, so that no one else can read it at any moment; a
    work folder left by a load that was killed is removed by the next load."""
    db.parent.mkdir(parents=True, exist_ok=True)
    _stale(db)
    work = Path(tempfile.mkdtemp(prefix=f".{db.name}.{os.getpid()}.", suffix=".load", dir=db.parent))
    tmp = work / db.name
    try:
        if db.exists():
            shutil.copyfile(db, tmp)
        con = duckdb.connect(str(tmp))
        try:
            initialise(con)
            yield con
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.chmod(tmp, 0o600)
        os.replace(tmp, db)
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --- Parquet: each council's anonymised tables, for pooling with other councils' -------------

PARQUET_TABLES = (*COUNCIL_TABLES, "population", "localities", "published", "neighbours")


def export_parquet(db: Path, out: Path) -> dict[str, int]:
    """Every table of `db` as Parquet under `out`: `out/<table>/la_code=<code>/*.parquet` for a
    council's tables and the population table (la_code kept in the files too),
    `out/<table>/all.parquet` for the published figures and neighbours (the same national files
    in every export: one copy is kept when exports are pooled), `out/localities/<codes>.parquet`
    for the locality table (each council's own districts: pooled exports keep every one).
    Tables only: anonymised keys, never a raw identifier (the database holds none). Returns
    {table: rows}. `out` must be new or empty; folders of several councils' exports can be
    merged, table by table, and read together (`connect_parquet`)."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty: export into a new folder")
    out.mkdir(parents=True, exist_ok=True)
    con = connect(Path(db))
    rows = {}
    try:
        present = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'cla'"
            ).fetchall()
        }
        for table in PARQUET_TABLES:
            if table not in present:
                continue
            folder = out / table
            folder.mkdir()
            n = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            rows[table] = n
            if (table in COUNCIL_TABLES or table == "population") and n:
                con.execute(
                    f"COPY (SELECT * FROM {table}) TO {_quote(str(folder))} "
                    "(FORMAT parquet, PARTITION_BY (la_code), WRITE_PARTITION_COLUMNS true)"
                )
            else:  # a table of no council, or an empty one (its columns kept)
                name = "all.parquet"
                if table == "localities":  # the councils' own districts: kept apart when pooled
                    codes = [
                        r[0] or "unnamed"
                        for r in con.execute("SELECT la_code FROM loads ORDER BY 1").fetchall()
                    ]
                    name = f"{'_'.join(codes) or 'all'}.parquet"
                con.execute(f"COPY (SELECT * FROM {table}) TO {_quote(str(folder / name))} (FORMAT parquet)")
    finally:
        con.close()
    return rows


def connect_parquet(folder: Path) -> duckdb.DuckDBPyConnection:
    """A connection over an export (`export_parquet`): one view per table, read from every
    Parquet file under its folder, with the engine's macros; the measures run on it unchanged."""
    folder = Path(folder)
    con = duckdb.connect(":memory:")
    for table in PARQUET_TABLES:
        if (folder / table).is_dir():
            files = _quote(str(folder / table / "**" / "*.parquet"))
            con.execute(
                f"CREATE VIEW {table} AS SELECT * FROM read_parquet({files}, hive_partitioning = false, "
                "union_by_name = true)"
            )
    con.execute(_macros().replace("CREATE OR REPLACE MACRO", "CREATE OR REPLACE TEMP MACRO"))
    return con
