"""Property-based tests (hypothesis). Examples per test in CI (the default profile): reading
arbitrary bytes 100, loading mutated returns 10, disclosure of a breakdown 200, of a cross-tab
100. Set
`HYPOTHESIS_PROFILE=thorough` for ten times as many.

(a) The import never fails with anything but its own refusal (never the catch-all
    `load-failed`), and never loads a file it reports as unreadable.
(b) After disclosure control no shown count is from 1 to 5, and no hidden count can be recovered
    from the totals and the other cells of its table (the linear-algebra check of
    tests/test_screens_disclosure.py).
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analytics.disclosure import SUPPRESSED, Declaration, suppress
from analytics.ingest import load_returns
from analytics.ingest.read import read_returns
from analytics.ingest.report import Refusal
from tests.test_screens_disclosure import solvable

CORPUS = Path(__file__).parent / "corpus"
GOOD_HEADER = (CORPUS / "dates_iso" / "Header.csv").read_bytes()
GOOD_EPISODES = (CORPUS / "lower_case_codes" / "Episodes.csv").read_bytes()
SCALE = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 1
COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


def folder_with(tmp: Path, name: str, data: bytes) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    for old in tmp.iterdir():
        old.unlink()
    (tmp / "Header.csv").write_bytes(GOOD_HEADER)
    (tmp / name).write_bytes(data)
    return tmp


@settings(max_examples=100 * SCALE, **COMMON)
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx", ".xml"]))
def test_reading_arbitrary_bytes_refuses_or_reads(tmp_path_factory, data, suffix):
    folder = folder_with(tmp_path_factory.mktemp("bytes"), f"Episodes{suffix}", data)
    try:
        tables = read_returns([folder], default_year=2024)
    except Refusal as refusal:
        assert refusal.line["severity"] == "refusal" and refusal.line["message"]
        return
    assert any(t.name == "Episodes" for t in tables)  # read: it has an Episodes table


def mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    out = bytearray(data)
    for at, cut, insert in edits:
        at %= len(out) + 1
        out[at : at + cut] = insert
    return bytes(out)


@settings(max_examples=10 * SCALE, **COMMON)
@example(edits=[(5590, 5, b""), (366, 1, b",")])  # found: every episode set aside (now a refusal)
@given(
    edits=st.lists(
        st.tuples(
            st.integers(0, 10_000),
            st.integers(0, 8),
            st.binary(max_size=6) | st.sampled_from([b",", b"\r\n", b'"', b";", b"\t", b"=", b"\x00", b"/"]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_loading_a_mutated_return_refuses_cleanly_or_loads(tmp_path_factory, edits):
    tmp = tmp_path_factory.mktemp("mutated")
    folder = folder_with(tmp / "in", "Episodes.csv", mutate(GOOD_EPISODES, edits))
    db = tmp / "cla.duckdb"
    result = load_returns([folder], db, b"property salt", "E06000002", 2024)
    rules = set(result.report["rule"])
    assert "load-failed" not in rules, result.report.to_dict("records")
    refusals = result.report[result.report["severity"] == "refusal"]
    if result.ok:
        assert refusals.empty and db.exists()
    else:
        assert len(refusals) == 1 and not db.exists()


# --- (b) disclosure ------------------------------------------------------------------------

tables = st.integers(1, 4).flatmap(
    lambda rows: st.integers(2, 4).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(0, 30) | st.integers(0, 6), min_size=cols, max_size=cols),
            min_size=rows,
            max_size=rows,
        )
    )
)


def check_table(cells: list[list[int]]) -> None:
    rows, cols = len(cells), len(cells[0])
    d = Declaration()
    for r in range(rows):
        for c in range(cols):
            d.count(("cell", r, c), cells[r][c])
        d.count(("row", r), sum(cells[r]))
    for c in range(cols):
        d.count(("col", c), sum(cells[r][c] for r in range(rows)))
    d.count("total", sum(map(sum, cells)))
    relations = []
    for r in range(rows):
        d.group([("cell", r, c) for c in range(cols)], ("row", r))
        relations.append({**{("cell", r, c): 1 for c in range(cols)}, ("row", r): -1})
    if rows > 1:
        for c in range(cols):
            d.group([("cell", r, c) for r in range(rows)], ("col", c))
            relations.append({**{("cell", r, c): 1 for r in range(rows)}, ("col", c): -1})
        d.group([("col", c) for c in range(cols)], "total")
        relations.append({**{("col", c): 1 for c in range(cols)}, "total": -1})
    d.group([("row", r) for r in range(rows)], "total")
    relations.append({**{("row", r): 1 for r in range(rows)}, "total": -1})
    shown = suppress(d)
    assert not [k for k, v in shown.items() if v != SUPPRESSED and v is not None and 1 <= v <= 5]
    hidden = {k for k, v in shown.items() if v == SUPPRESSED}
    known = {k: v for k, v in shown.items() if v != SUPPRESSED}
    assert solvable(relations, known, hidden) == []


@settings(max_examples=200 * SCALE, **COMMON)
@given(cells=tables.filter(lambda t: len(t) == 1))
def test_a_breakdown_and_its_total(cells):
    """What the screens declare: a breakdown's cells and its total (analytics/release.py)."""
    check_table(cells)


@settings(max_examples=100 * SCALE, **COMMON)
@example(cells=[[0, 1, 0], [0, 1, 1], [1, 6, 1]])  # found: rule 2 alone left cell (1, 2) solvable
@given(cells=tables.filter(lambda t: len(t) > 1))
def test_a_cross_tab_with_row_and_column_totals(cells):
    check_table(cells)
