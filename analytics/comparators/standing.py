"""What is computed from the published figures (`comparators.md`, "What is computed"): the
field of every council, quartile bands as DfE's LAIT computes them, ranks, best and worst, the
statistical neighbours' average, England and the region, and our own value against the field.

`Published` holds the stored published values and neighbours (read once per database) and
answers `show(measure, year, la_code, value)` with the JSON object of the spec.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import duckdb
import numpy as np
import pandas as pd

from analytics.comparators.files import COLUMNS, NEIGHBOUR_COLUMNS, number, shown
from analytics.measures import round_half_away

COUNT_MEASURES = ("cla_at_31_march", "starts", "ceased")
BAND_NAMES = {
    "A": "A (top quarter)",
    "B": "B (second quarter)",
    "C": "C (third quarter)",
    "D": "D (bottom quarter)",
}
LA = "Local authority"


def quartiles(values: list[float]) -> dict[str, float]:
    """The 25%, 50% and 75% quantiles by linear interpolation (numpy's default, R's type 7).

    >>> quartiles([1, 2, 3, 4, 5])
    {'q25': 2.0, 'q50': 3.0, 'q75': 4.0}
    """
    q = np.percentile(np.asarray(values, dtype=float), [25, 50, 75])
    return {"q25": _clean(q[0]), "q50": _clean(q[1]), "q75": _clean(q[2])}


def _clean(x: float) -> float:
    return float(round(float(x), 9))


def band(value: float, q: dict[str, float], good: str) -> str:
    """A is always the best quarter: for low-is-good A is <= Q25; for high-is-good A is > Q75.

    >>> q = {"q25": 8.0, "q50": 10.0, "q75": 12.0}
    >>> band(8, q, "low"), band(12, q, "low"), band(12.1, q, "low"), band(8, q, "high"), band(12.1, q, "high")
    ('A', 'C', 'D', 'D', 'A')
    """
    cuts = (q["q25"], q["q50"], q["q75"])
    if good == "low":
        return next((b for b, cut in zip("ABC", cuts, strict=True) if value <= cut), "D")
    return next((b for b, cut in zip("DCB", cuts, strict=True) if value <= cut), "A")


def better(a: float, b: float, good: str) -> bool:
    return a < b if good == "low" else a > b


def rank(value: float, others: list[float], good: str) -> int:
    """1 + the number of values better than `value` (ties share the smallest rank).

    >>> [rank(v, [1, 2, 2, 4], "low") for v in (1, 2, 2, 4)]
    [1, 2, 2, 4]
    """
    return 1 + sum(better(o, value, good) for o in others)


def _entry(code, name, value) -> dict:
    return {"code": code, "name": name, "value": value}


@dataclass
class Published:
    values: pd.DataFrame  # files.COLUMNS
    neighbour_rows: pd.DataFrame  # files.NEIGHBOUR_COLUMNS

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection) -> Published:
        """The published figures stored in a database (none in an older database)."""
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if not {"published", "neighbours"} <= tables:
            return cls.empty()
        return cls(
            con.execute(
                f"SELECT {', '.join(COLUMNS)} FROM published ORDER BY measure, year, level, area_code"
            ).df(),
            con.execute(f"SELECT {', '.join(NEIGHBOUR_COLUMNS)} FROM neighbours ORDER BY 1, rank").df(),
        )

    @classmethod
    def empty(cls) -> Published:
        return cls(pd.DataFrame(columns=COLUMNS), pd.DataFrame(columns=NEIGHBOUR_COLUMNS))

    def __bool__(self) -> bool:
        return len(self.values) > 0

    # --- lookups -------------------------------------------------------------------------

    @cached_property
    def _cells(self) -> dict[tuple, str]:
        v = self.values
        return dict(zip(zip(v.measure, v.year, v.level, v.area_code, strict=True), v.value, strict=True))

    @cached_property
    def _councils(self) -> dict[str, dict]:
        """Every council named in the files: its name, region and old LA number (latest)."""
        la = self.values[self.values.level == LA].sort_values("year")
        return {
            r.area_code: {
                "name": r.area_name,
                "region_code": r.region_code,
                "region_name": r.region_name,
                "old": r.old_la_code,
            }
            for r in la.itertuples()
        }

    @cached_property
    def _by_old(self) -> dict[str, str]:
        return {c["old"]: code for code, c in self._councils.items() if c["old"]}

    @cached_property
    def _fields(self) -> dict[tuple[str, int], pd.DataFrame]:
        la = self.values[self.values.level == LA]
        out = {}
        for (mid, year), part in la.groupby(["measure", "year"], sort=False):
            nums = part.value.map(number)
            keep = nums.notna()
            out[mid, int(year)] = pd.DataFrame(
                {
                    "code": part.area_code[keep].to_list(),
                    "name": part.area_name[keep].to_list(),
                    "region": part.region_code[keep].to_list(),
                    "value": [float(x) for x in nums[keep]],
                }
            )
        return out

    def measures(self) -> set[str]:
        return set(self.values.measure)

    def cell(self, mid: str, year: int, level: str, code: str | None) -> int | float | str | None:
        """A published figure as printed (number, symbol or None when there is none)."""
        return shown(self._cells.get((mid, year, level, code)))

    def council(self, code: str) -> dict | None:
        return self._councils.get(code)

    def field(self, mid: str, year: int) -> pd.DataFrame:
        """Every council with a number for the measure and year: code, name, region, value."""
        return self._fields.get((mid, year), pd.DataFrame(columns=["code", "name", "region", "value"]))

    def years(self, mid: str) -> list[int]:
        return sorted(y for m, y in self._fields if m == mid and len(self._fields[m, y]))

    def field_year(self, mid: str, year: int) -> int | None:
        """Y when published, else the latest published year before it."""
        earlier = [y for y in self.years(mid) if y <= year]
        return earlier[-1] if earlier else None

    def england(self, mid: str, year: int):
        return self.cell(mid, year, "National", "E92000001")

    def region(self, mid: str, year: int, la_code: str) -> dict | None:
        c = self.council(la_code)
        if not c or not c["region_code"]:
            return None
        return {
            "code": c["region_code"],
            "name": c["region_name"],
            "value": self.cell(mid, year, "Regional", c["region_code"]),
        }

    def neighbours(self, la_code: str) -> list[tuple[str | None, str]]:
        """The council's ten statistical neighbours in DfE's order: (code, name)."""
        c = self.council(la_code)
        if not c:
            return []
        rows = self.neighbour_rows[self.neighbour_rows.old_la_code == c["old"]].sort_values("rank")
        names = dict(zip(self.neighbour_rows.old_la_code, self.neighbour_rows.la_name, strict=True))
        out = []
        for old in rows.neighbour:
            code = self._by_old.get(old)
            out.append((code, self._councils[code]["name"] if code else names.get(old, old)))
        return out

    def neighbours_average(self, mid: str, year: int, la_code: str) -> dict | None:
        sns = self.neighbours(la_code)
        if not sns:
            return None
        councils = [_entry(code, name, self.cell(mid, year, LA, code)) for code, name in sns]
        nums = [c["value"] for c in councils if isinstance(c["value"], int | float)]
        average = round_half_away(Decimal(str(sum(nums))) / Decimal(len(nums))) if nums else None
        return {"average": average, "of": len(nums), "councils": councils}

    # --- the spec's JSON -----------------------------------------------------------------

    def show(self, mid: str, year: int, la_code: str, value: float | None, good: str | None) -> dict:
        """The JSON object of `comparators show` for a measure, year, council and our value."""
        fy = self.field_year(mid, year)
        c = self.council(la_code) or {}
        own = self.cell(mid, year, LA, la_code)
        council = {"code": la_code, "name": c.get("name"), "published": own}
        out = {
            "measure": mid,
            "year": year,
            "field_year": fy,
            "england": self.england(mid, fy) if fy else None,
            "region": self.region(mid, fy, la_code) if fy else None,
        }
        if mid in COUNT_MEASURES:
            return {**out, "council": council}
        field = self.field(mid, fy) if fy else self.field(mid, year)
        nums = field.value.to_list()
        q = quartiles(nums) if nums else None
        ranked = good in ("high", "low") and q is not None
        if ranked and isinstance(own, int | float):
            council |= {"band": band(own, q, good), "rank": rank(own, nums, good)}
        else:
            council |= {"band": None, "rank": None}
        given = None
        if value is not None:
            others = field[field.code != la_code].value.to_list()
            given = {
                "given": value,
                "band": band(value, q, good) if ranked else None,
                "rank": rank(value, others, good) if ranked else None,
            }
        out |= {
            "quartiles": q,
            "field_size": len(nums),
            "council": council,
            "value": given,
            "neighbours": self.neighbours_average(mid, fy, la_code) if fy else None,
        }
        if not ranked:
            return out | {"best": None, "worst": None, "best_in_region": None}
        key = field.assign(_k=field.value if good == "low" else -field.value)
        best = key.sort_values(["_k", "name"], kind="stable")
        worst = key.assign(_k=-key._k).sort_values(["_k", "name"], kind="stable")
        region = best[best.region == c.get("region_code")]
        return out | {
            "best": [_entry(r.code, r.name, whole(r.value)) for r in best.head(3).itertuples()],
            "worst": _entry(*_first(worst)) if len(worst) else None,
            "best_in_region": _entry(*_first(region)) if len(region) else None,
        }


def whole(x: float) -> int | float:
    """A published number as written: 12.0 is 12."""
    return int(x) if float(x).is_integer() else float(x)


def _first(frame: pd.DataFrame) -> tuple:
    r = frame.iloc[0]
    return r["code"], r["name"], whole(r["value"])
