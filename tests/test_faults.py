"""Faults and concurrency: a load killed part-way changes nothing and its leftovers are removed by
the next load; a reload while dashboard sessions query gives each query the old or the new data,
whole, and never an error."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb

from analytics import measures
from analytics.filters import Filters
from analytics.ingest import load_returns
from tests.builders import ep, header, write_return

REPO = Path(__file__).resolve().parent.parent
SALT = b"faults salt"


def write_council(folder: Path, children: int) -> Path:
    """`children` children, each with one episode open at 31 March 2024."""
    folder.mkdir(parents=True)
    ids = [f"F{i:05d}" for i in range(children)]
    headers = [header(c, "2012-01-01") for c in ids]
    episodes = [ep(c, "2023-05-01 S C2 U4 PR1 -> open") for c in ids]
    return write_return(folder, headers, episodes)


def looked_after(db: Path) -> tuple[int, int]:
    """(children at 31 March 2024 as the measure counts them, children rows), in one connection."""
    con = measures.connect(db)
    try:
        value = measures.compute(con, Filters(2024), ["cla_at_31_march"])["cla_at_31_march"]["value"]
        rows = con.execute("SELECT count(*) FROM children").fetchone()[0]
        return int(value), rows
    finally:
        con.close()


def test_a_load_killed_part_way_changes_nothing_and_the_next_load_cleans_up(tmp_path):
    db = tmp_path / "cla.duckdb"
    assert load_returns([write_council(tmp_path / "small", 3)], db, SALT, "E06000002", 2024).ok
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    big = write_council(tmp_path / "big", 20000)
    code = (
        "import sys; from pathlib import Path; from analytics.ingest import load_returns; "
        f"load_returns([Path({str(big)!r})], Path({str(db)!r}), {SALT!r}, 'E06000002', 2024)"
    )
    load = subprocess.Popen([sys.executable, "-c", code], cwd=REPO)
    deadline = time.monotonic() + 60
    work = []
    while time.monotonic() < deadline and not work:
        work = [w for w in tmp_path.glob(".cla.duckdb.*.load") if (w / "cla.duckdb").exists()]
        time.sleep(0.01)
    assert work, "the load never started its work folder"
    time.sleep(0.3)  # part-way: reading and checking the 20,000 children
    assert load.poll() is None, "the load finished before it could be killed"
    os.kill(load.pid, signal.SIGKILL)
    load.wait()
    assert load.returncode == -signal.SIGKILL
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert looked_after(db) == (3, 3)  # opens and gives the same numbers
    assert [w.exists() for w in work] == [True]  # the kill left its work folder behind
    assert load_returns([write_council(tmp_path / "next", 4)], db, SALT, "E06000002", 2024).ok
    assert looked_after(db) == (4, 4)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM episodes").fetchone()[0] == 4
    assert oct(db.stat().st_mode & 0o777) == "0o600"


def test_reload_while_sessions_query(tmp_path):
    db = tmp_path / "cla.duckdb"
    old, new = write_council(tmp_path / "old", 7), write_council(tmp_path / "new", 11)
    assert load_returns([old], db, SALT, "E06000002", 2024).ok
    seen: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def session() -> None:
        while not stop.is_set():
            try:
                seen.append(looked_after(db))
            except BaseException as exc:  # any error fails the test below
                errors.append(exc)

    sessions = [threading.Thread(target=session) for _ in range(4)]
    for s in sessions:
        s.start()
    try:
        for folder in (new, old, new):
            assert load_returns([folder], db, SALT, "E06000002", 2024).ok
    finally:
        stop.set()
        for s in sessions:
            s.join()
    assert errors == []
    assert set(seen) == {(7, 7), (11, 11)}  # old or new, whole; both were seen
    assert len(seen) > 20
