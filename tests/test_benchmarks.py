"""The benchmark's parts that must stay true (the benchmark itself, benchmarks/run.py, is not run
here): the vectorised pandas computation of the core measures agrees with the engine, and the
measures computed over the Parquet export (one council's, and two councils' pooled) equal those
over the database."""

from __future__ import annotations

import json
import shutil

import pytest

from analytics import config, measures, store
from analytics.filters import Filters
from benchmarks import pandas_measures
from tests.builders import run
from tests.dashboard_support import tiny_returns

pytestmark = pytest.mark.skipif(not config.BUNDLED_DB.exists(), reason="no bundled database")


@pytest.mark.parametrize("year", [2012, 2019, 2025])
def test_pandas_agrees_with_engine_on_the_bundled_council(year):
    with measures.connect(config.BUNDLED_DB) as con:
        engine = pandas_measures.engine_headlines(
            measures.compute(con, Filters(year), list(pandas_measures.MEASURE_IDS))
        )
        by_pandas = pandas_measures.compute(pandas_measures.read_tables(con), year)
    assert by_pandas == engine
    assert engine["cla_at_31_march"][0] > 100  # a real year of a council, not an empty one


def test_measures_over_the_parquet_export_equal_those_over_the_database(tmp_path, capsys):
    out = tmp_path / "parquet"
    code, printed = run("export-parquet", str(out), "--db", str(config.BUNDLED_DB))
    assert code == 0, printed
    assert (out / "episodes" / "la_code=E06000002").is_dir()
    with measures.connect(config.BUNDLED_DB) as db, measures.connect(out) as pq:
        for f in (
            Filters(2025),
            Filters(2020, districts=("TS1", "TS3")),
            Filters(2024, age_bands=("10 to 15",)),
        ):
            assert measures.compute(pq, f) == measures.compute(db, f)
    # the command line reads the folder as it reads a database
    _, from_db = run("indicators", "--year", "2023", "--db", str(config.BUNDLED_DB))
    _, from_parquet = run("indicators", "--year", "2023", "--db", str(out))
    assert json.loads(from_parquet) == json.loads(from_db)
    code, _ = run("export-parquet", str(out), "--db", str(config.BUNDLED_DB))
    assert code == 2 and "is not empty" in capsys.readouterr().err


def _by_council(results: dict) -> dict:
    return {
        m: {**r, "breakdowns": {k: v for k, v in r.get("breakdowns", {}).items() if k != "locality"}}
        for m, r in results.items()
    }


def test_two_councils_exports_pooled_give_each_councils_measures(tmp_path):
    from analytics.ingest import load_returns

    other = tmp_path / "other.duckdb"
    assert load_returns(tiny_returns(tmp_path / "returns"), other, config.DEMO_SALT, la_code="E08000001").ok
    pooled = tmp_path / "pooled"
    for db, name in ((config.BUNDLED_DB, "a"), (other, "b")):
        store.export_parquet(db, tmp_path / name)
        shutil.copytree(tmp_path / name, pooled, dirs_exist_ok=True)
    ids = ["cla_at_31_march", "starts", "placements_3plus"]
    with (
        measures.connect(pooled) as pq,
        measures.connect(config.BUNDLED_DB) as a,
        measures.connect(other) as b,
    ):
        ours = measures.compute(a, Filters(2024), ids)
        theirs = measures.compute(b, Filters(2024), ids)
        # every number but the breakdown by locality: the locality table is one for every council
        # loaded (a database's, or pooled exports' union), so a district of one council named in
        # another's locality table counts in that locality
        assert _by_council(measures.compute(pq, Filters(2024, council="E06000002"), ids)) == _by_council(ours)
        assert _by_council(measures.compute(pq, Filters(2024, council="E08000001"), ids)) == _by_council(
            theirs
        )
        both = measures.compute(pq, Filters(2024), ids)["cla_at_31_march"]["numerator"]
        assert both == ours["cla_at_31_march"]["numerator"] + theirs["cla_at_31_march"]["numerator"]
        assert theirs["cla_at_31_march"]["numerator"] > 0
