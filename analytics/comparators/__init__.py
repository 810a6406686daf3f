"""Comparators: DfE's published figures for every council beside our own (`comparators.md`).

- `files.py` recognises and reads the published open-data files (and the statistical
  neighbour groupings) into one long table of values kept as published.
- `load()` stores them in the database in one atomic swap: a newer copy of a file replaces
  the rows it holds and nothing else; a file not recognised refuses the whole load.
- `standing.py` computes bands, ranks, best and worst, the neighbours' average and our own value
  against the field (`Published.show`, the JSON of `comparators show`).
- `Benchmarks` is what a screen reads: England, the region and the neighbours for a measure
  and year, from the published files first and `config/comparators.csv` for what DfE's files
  here do not hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analytics import store
from analytics.comparators import files
from analytics.comparators.files import ComparatorFileError
from analytics.comparators.standing import BAND_NAMES, COUNT_MEASURES, Published

__all__ = [
    "BAND_NAMES",
    "COUNT_MEASURES",
    "Benchmarks",
    "ComparatorFileError",
    "Figure",
    "Published",
    "load",
    "loaded_council",
    "of",
]
OGL = (
    "Contains public sector information licensed under the Open Government Licence v3.0: "
    "Department for Education, Children looked after in England including adoptions, and Children's "
    "social care: care leavers (Explore Education Statistics); ONS mid-year population estimates; "
    "DfE statistical neighbour groupings (April 2021)."
)


def load(paths: Sequence[Path], db: Path, release: int | None = None) -> list[files.Read]:
    """Read every file first (a file not recognised refuses the load: nothing is written), then
    replace, in one swap of `db`, the stored rows each file holds."""
    reads = [files.read(Path(p), release) for p in paths]
    with store.replacing(db) as con:
        for r in reads:
            if len(r.values):
                con.register("incoming_values", r.values)
                con.execute(
                    """DELETE FROM published p USING (SELECT DISTINCT measure, year, level, area_code
                                                       FROM incoming_values) i
                       WHERE p.measure = i.measure AND p.year = i.year AND p.level = i.level
                         AND p.area_code IS NOT DISTINCT FROM i.area_code"""
                )
                con.execute("INSERT INTO published BY NAME SELECT * FROM incoming_values")
                con.unregister("incoming_values")
            if len(r.neighbours):
                con.register("incoming_neighbours", r.neighbours)
                con.execute(
                    """DELETE FROM neighbours WHERE old_la_code IN
                       (SELECT DISTINCT old_la_code FROM incoming_neighbours)"""
                )
                con.execute("INSERT INTO neighbours BY NAME SELECT * FROM incoming_neighbours")
                con.unregister("incoming_neighbours")
    return reads


def of(con, extra: Sequence | None = None) -> Benchmarks:
    """The benchmarks of the database's council (its only loaded council, else none): the
    published figures stored in it and, for what they do not hold, `config/comparators.csv`."""
    from analytics.strategy import load_comparators  # the strategy module reads the pages

    extra = tuple(load_comparators() if extra is None else extra)
    kept = store.kept(con).setdefault("benchmarks", {})  # with what they work out, once
    if extra not in kept:
        kept[extra] = Benchmarks(Published.read(con), extra, loaded_council(con))
    return kept[extra]


def loaded_council(con) -> str | None:
    """The code of the database's council when it holds exactly one, else None."""
    codes = [
        r[0] for r in con.execute("SELECT DISTINCT la_code FROM loads WHERE la_code IS NOT NULL").fetchall()
    ]
    return codes[0] if len(codes) == 1 else None


def recognised(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The published files of a folder the dashboard reads, and the others with the reason."""
    ok, skipped = [], []
    for path in sorted(folder.glob("*.csv")):
        try:
            files.read(path)
            ok.append(path)
        except ComparatorFileError as exc:
            skipped.append((path, str(exc)))
    return ok, skipped


@dataclass(frozen=True)
class Figure:
    """A comparator as shown: its value (number or symbol), year, where it came from, and for
    the neighbours' average how many contributed."""

    value: int | float | str
    year: int
    source: str
    of: int | None = None


@dataclass
class Benchmarks:
    """England, the region and the neighbours of the council, for every measure and year."""

    published: Published
    extra: Sequence = ()  # analytics.strategy.Comparator rows of config/comparators.csv
    la_code: str | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def council(self) -> dict:
        return (self.published.council(self.la_code) if self.la_code else None) or {}

    @property
    def region_name(self) -> str:
        return self.council.get("region_name") or "North East"

    def _extra(self, mid: str, area: str, year: int) -> Figure | None:
        from analytics.strategy import comparator  # the strategy module reads the pages

        c = comparator(list(self.extra), mid, area, year)
        if c is None:
            return None
        return Figure(c.value, year, f"{c.source} (config/comparators.csv, release {c.release_year})")

    def _once(self, key: tuple, compute):
        """A look-up worked out once for these benchmarks (they are kept per connection)."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def _published(self, mid: str, year: int, level: str, code: str | None) -> Figure | None:
        return self._once(
            ("published", mid, year, level, code), lambda: self._published_figure(mid, year, level, code)
        )

    def _published_figure(self, mid: str, year: int, level: str, code: str | None) -> Figure | None:
        value = self.published.cell(mid, year, level, code)
        if value is None:
            return None
        rows = self.published.values
        hit = rows[(rows.measure == mid) & (rows.year == year) & (rows.level == level)]
        source = f"DfE, {hit.source.iloc[0]} (release {hit.release.iloc[0]})" if len(hit) else "DfE"
        return Figure(value, year, source)

    def england(self, mid: str, year: int) -> Figure | None:
        return self._published(mid, year, "National", "E92000001") or self._extra(mid, "England", year)

    def region(self, mid: str, year: int) -> Figure | None:
        code = self.council.get("region_code")
        return (self._published(mid, year, "Regional", code) if code else None) or self._extra(
            mid, self.region_name, year
        )

    def neighbours(self, mid: str, year: int) -> Figure | None:
        if not self.la_code:
            return None
        return self._once(("neighbours", mid, year), lambda: self._neighbours(mid, year))

    def _neighbours(self, mid: str, year: int) -> Figure | None:
        avg = self.published.neighbours_average(mid, year, self.la_code)
        if not avg or avg["average"] is None:
            return None
        return Figure(avg["average"], year, "DfE statistical neighbour groupings (April 2021)", avg["of"])

    def latest(self, which: str, mid: str, year: int, back: int = 3) -> Figure | None:
        """The figure for the year, else the latest of the `back` years before it."""
        get = getattr(self, which)
        for y in range(year, year - back - 1, -1):
            f = get(mid, y)
            if f is not None:
                return f
        return None

    def series(self, which: str, mid: str, years: Sequence[int]) -> dict[int, float]:
        """{year: value} of England, the region or the neighbours (numbers only)."""
        get = getattr(self, which)
        points = {y: get(mid, y) for y in years}
        return {y: f.value for y, f in points.items() if f is not None and isinstance(f.value, int | float)}

    def show(self, mid: str, year: int, value: float | None, good: str | None) -> dict | None:
        """The council's standing (`Published.show`), or None when DfE publishes no field."""
        if not self.la_code or not self.published.years(mid):
            return None
        return self._once(
            ("show", mid, year, value, good),
            lambda: self.published.show(mid, year, self.la_code, value, good),
        )

    def field(self, mid: str, year: int) -> pd.DataFrame:
        return self.published.field(mid, year)
