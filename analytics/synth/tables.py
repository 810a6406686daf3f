"""The synthetic council's population and locality tables (both labelled synthetic).

`population.csv` (`year,district,age_band,children,source`): children aged 0-17 by collection
year, postcode district and age band. The totals follow the published under-18 population of
Middlesbrough (35,617 in 2025; earlier years from the published rates per 10,000), split over
the districts in proportion to their residential postcodes and over the ages evenly by single
year. It is a stand-in, not an official estimate: the `source` column says so.

`localities.csv` (`district,locality,source`): a few invented locality names over the districts.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from analytics.synth import params

LABEL = "synthetic (invented for the demo council; not official statistics)"
# Under-18 population by year: 2016-2025 from the published CLA and rate per 10,000.
_POP = {2006: 33_600, 2011: 32_300, 2015: 31_900}
_BANDS = (("Under 1", 1), ("1 to 4", 4), ("5 to 9", 5), ("10 to 15", 6), ("16 and over", 2))
DISTRICTS = ("TS1", "TS2", "TS3", "TS4", "TS5", "TS7", "TS8")
LOCALITIES = {
    "TS1": "Central",
    "TS2": "Central",
    "TS3": "East",
    "TS4": "South West",
    "TS5": "South West",
    "TS7": "South East",
    "TS8": "South East",
}


def under18(year: int) -> int:
    if year >= 2016:
        y = min(year, max(params.PUBLISHED))
        if y == 2025:
            return params.UNDER18_2025
        stock = params.PUBLISHED[y][0]
        rate = {
            2016: 118,
            2017: 138,
            2018: 144,
            2019: 159,
            2020: 188,
            2021: 172,
            2022: 150,
            2023: 148,
            2024: 146,
        }[y]
        return int(round(stock / rate * 10_000, -1))
    years = sorted(_POP)
    return int(round(np.interp(year, years, [_POP[y] for y in years]), -1))


def write_population(
    path: Path, first_year: int, last_year: int, district_postcodes: dict[str, int], scale: float = 1.0
) -> Path:
    """`scale` sizes the population with the council (`synth --children N`)."""
    weights = np.array([district_postcodes.get(d, 0) for d in DISTRICTS], dtype=float)
    weights = weights / weights.sum()
    rows = []
    for year in range(first_year, last_year + 1):
        total = under18(year) * scale
        for d, w in zip(DISTRICTS, weights):
            for band, ages in _BANDS:
                rows.append((year, d, band, int(round(total * w * ages / 18)), LABEL))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["year", "district", "age_band", "children", "source"])
        w.writerows(rows)
    return path


def write_localities(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["district", "locality", "source"])
        for d, loc in LOCALITIES.items():
            w.writerow([d, loc, LABEL])
    return path
