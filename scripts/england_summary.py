"""Summarise an England-scale synthetic run: councils, children looked after at each 31 March
(episodes open at the end of each year's file), distinct episodes, starts.

    python scripts/england_summary.py /tmp/eng
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb


def main(root: str) -> None:
    base = Path(root)
    councils = sorted(p.name for p in base.iterdir() if p.is_dir())
    con = duckdb.connect()
    glob = str(base / "*" / "*" / "Episodes.csv")
    con.execute(f"""CREATE VIEW e AS SELECT * FROM read_csv('{glob}', all_varchar=true,
                    filename=true, header=true)""")
    rows = con.execute("""
        SELECT split_part(replace(filename, '\\', '/'), '/', -2)::INT AS year,
               count(DISTINCT split_part(replace(filename, '\\', '/'), '/', -3) || CHILD)
                   FILTER (WHERE DEC IS NULL OR DEC = '') AS cla_31_march,
               count(*) FILTER (WHERE RNE = 'S') AS s_episodes,
               count(*) AS rows
        FROM e GROUP BY 1 ORDER BY 1""").fetchall()
    episodes = con.execute("""SELECT count(*) FROM (SELECT DISTINCT
        split_part(replace(filename, '\\', '/'), '/', -3), CHILD, DECOM FROM e)""").fetchone()[0]
    print(f"councils: {len(councils)}; distinct episodes 2006-2025: {episodes:,}")
    print("year  CLA at 31 March  rows in Episodes")
    for year, cla, _, n in rows:
        print(f"{year}  {cla:>15,}  {n:>16,}")


if __name__ == "__main__":
    main(sys.argv[1])
