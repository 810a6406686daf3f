"""Import: read a council's SSDA903 returns, validate, anonymise, build periods and placements,
and replace that council's data in the database in one atomic step."""

from __future__ import annotations

import contextlib
import itertools
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from analytics import store, tables
from analytics.ingest import reviews
from analytics.ingest.prepare import NothingKept, Prepared, prepare
from analytics.ingest.read import RawTable, SideTable, read_returns
from analytics.ingest.report import COLUMNS, WARNING, Refusal

BUILD_SQL = (Path(__file__).parent / "build.sql").read_text()
CHECKS_SQL = (Path(__file__).parent / "checks.sql").read_text()


@dataclass
class LoadResult:
    ok: bool
    report: pd.DataFrame  # file, row, column, rule, severity, message
    summary: dict

    def summary_text(self) -> str:
        if not self.ok:
            line = self.report.iloc[0]
            return f"Load refused, nothing changed: {line['file']}: {line['message']} [{line['rule']}]"
        s = self.summary
        return (
            f"Loaded {s['council'] or 'council not named'}: years {s['years'] or 'complete history'}, "
            f"{s['files']} tables, {s['children']} children, {s['episodes']} episodes. "
            f"Set aside: {s['quarantined_children']} children ({s['quarantined_rows']} rows). "
            f"Warnings: {s['warnings']}."
        )


class _Refused(Exception):
    """A refusal inside a multi-council load: abandons the new database."""

    def __init__(self, results: dict):
        super().__init__("load refused")
        self.results = results


@dataclass
class Built:
    """One council's rows of every council table but `loads`, built in a database of its own
    (in the worker that prepared it, for a multi-council load), for the writer to copy in."""

    tables: dict[str, pa.Table]  # table -> its rows (la_code included)
    summary: dict
    lines: pd.DataFrame  # the validation report, sorted (sort_report)
    loads: dict  # the `loads` row's columns known before writing


def _build(prepared: Prepared, la_code: str | None, files: int, rows_read: int) -> Built:
    """Periods, placements, review deadlines and the whole report of one council, built with
    build.sql and checks.sql in an in-memory database that holds that council only."""
    con = duckdb.connect(config={"threads": 1})
    try:
        store.initialise(con)
        con.register("staging_episodes_df", prepared.episodes.assign(la_code=la_code))
        con.execute("CREATE OR REPLACE TEMP TABLE staging_episodes AS SELECT * FROM staging_episodes_df")
        con.register("staging_children_df", prepared.children.assign(la_code=la_code))
        con.execute("CREATE OR REPLACE TEMP TABLE staging_children AS SELECT * FROM staging_children_df")
        con.execute("INSERT INTO children BY NAME SELECT * FROM staging_children")
        con.register("staging_care_leavers_df", prepared.care_leavers.assign(la_code=la_code))
        con.execute(
            "CREATE OR REPLACE TEMP TABLE staging_care_leavers AS SELECT * FROM staging_care_leavers_df"
        )
        con.register("decisions_df", prepared.decisions.assign(la_code=la_code))
        con.execute("INSERT INTO adoption_decisions BY NAME SELECT * FROM decisions_df")
        con.register("quarantine_df", prepared.quarantine.assign(la_code=la_code))
        con.execute("INSERT INTO quarantine BY NAME SELECT * FROM quarantine_df")
        con.execute(BUILD_SQL)
        for name, table in store.SIDE_TABLES.items():
            con.register(f"side_{table}_df", prepared.side[name].assign(la_code=la_code))
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM side_{table}_df")
        _write_review_deadlines(con, prepared, la_code)

        faults = con.execute("SELECT source, source_row, column_name, rule, message FROM period_faults").df()
        checks = con.execute(
            CHECKS_SQL,
            {"la": la_code, "oc2_years": [y for y in prepared.table_years.get("OC2", []) if y is not None]},
        ).df()
        report = prepared.report
        for f in [*faults.itertuples(), *checks.itertuples()]:
            report.add(f.source, f.source_row, f.column_name, f.rule, WARNING, f.message)
        lines = sort_report(report.frame())
        con.register("report_df", lines.assign(la_code=la_code))
        con.execute("INSERT INTO validation_report BY NAME SELECT * FROM report_df")
        tables = {
            t: con.sql(f"SELECT * FROM {t}").to_arrow_table() for t in store.COUNCIL_TABLES if t != "loads"
        }
    finally:
        con.close()
    summary = {
        "council": la_code,
        "years": prepared.years,
        "files": files,
        "rows_read": rows_read,
        "children": len(prepared.children),
        "episodes": len(prepared.episodes),
        "quarantined_children": int(prepared.quarantine["child_key"].nunique()),
        "quarantined_rows": len(prepared.quarantine),
        "warnings": int((lines["severity"] == WARNING).sum()),
    }
    loads = {
        "years": prepared.years,
        "oc3_years": prepared.oc3_years,
        "history_start": prepared.history_start,
        "last_year": prepared.last_year,
        "pa": prepared.has_placed_adoption,
        "tables": json.dumps(prepared.table_years),
    }
    return Built(tables, summary, lines, loads)


def _clear(con, councils: list[str | None]) -> None:
    """Remove these councils' rows from every council table (a council not named: la_code NULL)."""
    named = [c for c in councils if c is not None]
    for table in store.COUNCIL_TABLES:
        con.execute(
            f"DELETE FROM {table} WHERE list_contains($named, la_code) OR ($unnamed AND la_code IS NULL)",
            {"named": named, "unnamed": None in councils},
        )


def _write(con, built: Built, la_code: str | None, synthetic: bool) -> None:
    """Copy one council's built rows in, and its `loads` row (the council's rows already cleared)."""
    for table, rows in built.tables.items():
        if rows.num_rows:
            con.register("built_rows", rows)
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM built_rows")
            con.unregister("built_rows")
    summary = built.summary
    con.execute(
        """INSERT INTO loads VALUES ($la, $at, $synthetic, $files, $rows, $years, $oc3_years,
           $history_start, $last_year, $pa, $children, $episodes, $qc, $qr, $warnings, $tables)""",
        {
            "la": la_code,
            "at": datetime.now().replace(microsecond=0),
            "synthetic": synthetic,
            "files": summary["files"],
            "rows": summary["rows_read"],
            "children": summary["children"],
            "episodes": summary["episodes"],
            "qc": summary["quarantined_children"],
            "qr": summary["quarantined_rows"],
            "warnings": summary["warnings"],
            **built.loads,
        },
    )


def sort_report(lines: pd.DataFrame) -> pd.DataFrame:
    """Every line of the report, sorted by file and row (lines naming no row first)."""
    return lines.sort_values(["file", "row"], na_position="first", kind="stable").reset_index(drop=True)


def _write_review_deadlines(con, prepared: Prepared, la_code: str | None) -> None:
    """The review deadlines of every period of this council (ingest/reviews.py)."""
    years = [y for y in prepared.table_years.get("Reviews", []) if y is not None]
    if not years:
        return
    history_from = date(min(years) - 1, 4, 1)
    periods = con.execute(
        "SELECT child_key, period_no, start_date, end_date FROM periods WHERE la_code IS NOT DISTINCT FROM $la",
        {"la": la_code},
    ).fetchall()
    held: dict[str, list[date]] = {}
    side = prepared.side["Reviews"]
    for child_key, review in zip(side["child_key"].tolist(), side["review"].tolist()):
        held.setdefault(child_key, []).append(review)
    rows = [
        (child_key, period_no, k, due, done)
        for child_key, period_no, start, end in periods
        for k, due, done in reviews.deadlines(start, end, held.get(child_key, []), history_from)
    ]
    columns = list(zip(*rows)) or [()] * 5
    frame = pa.table(
        {
            "la_code": pa.array([la_code] * len(rows), pa.string()),
            "child_key": pa.array(columns[0], pa.string()),
            "period_no": pa.array(columns[1], pa.int32()),
            "k": pa.array(columns[2], pa.int32()),
            "due": pa.array(columns[3], pa.date32()),
            "held": pa.array(columns[4], pa.date32()),
        }
    )
    con.register("review_deadlines_df", frame)
    con.execute("INSERT INTO review_deadlines BY NAME SELECT * FROM review_deadlines_df")


def _clean_side_tables(found: list[SideTable]) -> list[tuple[str, pd.DataFrame, bool]]:
    """Population and locality tables found among the returns, validated as by their commands:
    (name, clean frame, labelled synthetic)."""
    out = []
    for t in found:
        clean = tables.clean_population if t.name == "population" else tables.clean_localities
        try:
            out.append((t.name, clean(t.frame, t.source), tables.is_synthetic(t.frame)))
        except tables.TableError as exc:
            message = str(exc).removeprefix(t.source).lstrip(": ")
            raise Refusal(t.source, "table-invalid", message) from None
    return out


def _side_tables(
    con, found: list[tuple[str, pd.DataFrame, bool]], la_code: str | None, synthetic: bool
) -> None:
    """The population and locality tables found among the returns, loaded as by their commands."""
    for name, frame, labelled in found:
        if name == "population":
            tables.write_population(con, frame, la_code, synthetic or labelled)
        else:
            tables.write_localities(con, frame, synthetic or labelled)


def load_returns(
    paths: list[Path],
    db: Path,
    salt: bytes,
    la_code: str | None = None,
    year: int | None = None,
    synthetic: bool = False,
) -> LoadResult:
    """Load one council's returns (files or folders) into `db`, replacing only that council's data.

    A refusal returns ok=False with the one report line that explains it, and leaves `db`
    untouched; so does any other failure (rule `load-failed`, naming only the kind of error).
    """
    return load_councils({la_code: paths}, db, salt, year=year, synthetic=synthetic)[la_code]


def _read_and_prepare(la_code: str | None, paths: list[Path], year: int | None, salt: bytes) -> tuple:
    """One council read, validated, anonymised and built (in a worker process for a
    multi-council load): ("refused", report frame) or ("ok", side tables found, Built). Plain
    values, not exceptions, so that the answer crosses back from a worker intact."""
    try:
        found = read_returns([Path(p) for p in paths], default_year=year)
        side = _clean_side_tables([t for t in found if isinstance(t, SideTable)])
    except Refusal as refusal:
        return ("refused", pd.DataFrame([refusal.line], columns=COLUMNS))
    returns = [t for t in found if isinstance(t, RawTable)]
    try:
        prepared = prepare(returns, salt)
    except NothingKept as nothing:
        refusal = Refusal(
            "(all files)",
            "no-episodes-kept",
            "no episode could be kept: every child's rows were set aside by the rules "
            "listed below; nothing was loaded",
        ).line
        report = pd.concat([pd.DataFrame([refusal], columns=COLUMNS), nothing.report.frame()])
        return ("refused", report.reset_index(drop=True))
    return ("ok", side, _build(prepared, la_code, len(found), sum(len(t.frame) for t in returns)))


@contextlib.contextmanager
def _preparing(
    batches: dict[str | None, list[Path]], year: int | None, salt: bytes
) -> Iterator[Iterator[tuple]]:
    """(council, _read_and_prepare's answer) in the order given. Several councils are prepared
    in parallel, one per core, at most two councils ahead of the writer (so that memory holds a
    few councils, never all of them); one council is prepared here, in this process. The
    workers are started on entry, before the writer opens its database."""
    items = list(batches.items())
    workers = min(len(items), os.cpu_count() or 1)
    if workers < 2:
        yield ((la_code, _read_and_prepare(la_code, paths, year, salt)) for la_code, paths in items)
        return
    # fork, not spawn: a spawned worker imports the parent's __main__ again, and in a process
    # that runs the dashboard's script (a test's AppTest) that is app.py. Each worker opens
    # in-memory DuckDB databases of its own, never one of the parent's.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        queue = iter(items)
        pending = deque(
            (la_code, pool.submit(_read_and_prepare, la_code, paths, year, salt))
            for la_code, paths in itertools.islice(queue, 2 * workers)
        )

        def answers() -> Iterator[tuple]:
            while pending:
                la_code, future = pending.popleft()
                answer = future.result()
                for next_code, paths in itertools.islice(queue, 1):
                    pending.append((next_code, pool.submit(_read_and_prepare, next_code, paths, year, salt)))
                yield la_code, answer

        yield answers()


def load_councils(
    batches: dict[str | None, list[Path]],
    db: Path,
    salt: bytes,
    year: int | None = None,
    synthetic: bool = False,
) -> dict[str | None, LoadResult]:
    """Load several councils' returns ({council code: paths}) in one atomic swap of `db`.

    Each council is read, validated, anonymised and built on its own (several at once, one per
    core; see `_preparing`), then written in turn. If a council's load is refused, nothing at
    all is written and the result holds only that council's refusal.
    """
    results: dict[str | None, LoadResult] = {}
    try:
        with _preparing(batches, year, salt) as answers, store.replacing(db) as con:
            _clear(con, list(batches))
            for la_code, answer in answers:
                if answer[0] == "refused":
                    raise _Refused({la_code: LoadResult(False, answer[1], {})})
                _, side, built = answer
                _side_tables(con, side, la_code, synthetic)
                _write(con, built, la_code, synthetic)
                results[la_code] = LoadResult(True, built.lines, built.summary)
    except _Refused as refused:
        return refused.results
    except Exception as exc:  # never a traceback: a refusal, nothing changed
        line = Refusal(
            "(all files)",
            "load-failed",
            f"could not be loaded ({type(exc).__name__}): nothing was changed; check the files against "
            "the return's specification",
        ).line
        failed = LoadResult(False, pd.DataFrame([line], columns=COLUMNS), {})
        return {la_code: failed for la_code in batches}
    return results
