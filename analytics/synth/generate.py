"""Run the model for a council, a region or England and write the returns (streamed per council).

- `council`: one fictional council with Middlesbrough's real geography (E06000002) and its
  published figures;
- `--children N`: the same council scaled so that about N children are looked after;
- `region`: the twelve North East councils, Middlesbrough as above, the others sized from
  England's figures;
- `england`: every English upper-tier council (about 150), each in its own folder named by
  its code, sized from England's published figures (about 80,000 looked after at 31 March).

Each council gets its own random stream (`numpy.random.SeedSequence(seed).spawn`), so the same
seed gives byte-identical files, and councils are simulated and written one at a time. The side
tables (OC2, Missing, Reviews, PrevPerm, SWEpisodes) draw from a child of the council's stream
(`side.side_seed`) that the model never uses, so the other tables do not depend on them.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from analytics.synth import geography, params, tables
from analytics.synth.model import Council, simulate
from analytics.synth.side import side_seed
from analytics.synth.writer import CouncilWriter

NORTH_EAST = (
    "E06000001",
    "E06000002",
    "E06000003",
    "E06000004",
    "E06000005",
    "E06000047",
    "E06000057",
    "E08000021",
    "E08000022",
    "E08000023",
    "E08000024",
    "E08000037",
)
MIDDLESBROUGH_LA_NUMBER = 806


def _la_number(code: str) -> int:
    return 201 + (int(code[3:]) * 37 + int(code[1:3]) * 101) % 737


def run_council(
    council: Council, seed: np.random.SeedSequence, first_year: int, last_year: int, out: Path, la_number: int
) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    sim = simulate(council, rng, first_year, last_year)
    writer = CouncilWriter(sim, rng, la_number, first_year, last_year, side_seed(seed))
    totals: dict[str, int] = {}
    for year in range(first_year, last_year + 1):
        counts = writer.write_year(year, out / str(year))
        for k, v in counts.items():
            totals[k] = totals.get(k, 0) + v
    return totals


def middlesbrough(
    table: geography.PostcodeTable,
    rng: np.random.Generator,
    first_year: int,
    last_year: int,
    scale: float = 1.0,
) -> Council:
    geo = geography.council_geography(table, params.MIDDLESBROUGH, rng, neighbours=params.NEIGHBOURS)
    series = params.middlesbrough_series(first_year, last_year)
    if scale != 1.0:
        series = {
            y: {k: (v * scale if v is not None else None) for k, v in s.items()} for y, s in series.items()
        }
    return Council(
        params.MIDDLESBROUGH,
        geo,
        series,
        story=True,
        district_weight=params.DISTRICT_WEIGHT,
        urn_base=500_000,
    )


def generate(
    out: Path,
    scale: str = "council",
    children: int | None = None,
    first_year: int = 2006,
    last_year: int = 2025,
    seed: int = 1,
    log=print,
) -> dict[str, object]:
    out = Path(out)
    t0 = time.time()
    root = np.random.SeedSequence(seed)
    if scale == "council" or children:
        table = geography.load_postcodes(geography.COUNCIL_LETTERS)
        geo_seed, run_seed = root.spawn(2)
        geo_rng = np.random.default_rng(geo_seed)
        factor = (children / params.PUBLISHED[2025][0]) if children else 1.0
        council = middlesbrough(table, geo_rng, first_year, last_year, factor)
        del table
        districts, counts = np.unique(council.geo.home.district, return_counts=True)
        out.mkdir(parents=True, exist_ok=True)
        tables.write_population(
            out / "population.csv",
            first_year,
            last_year,
            dict(zip(districts.tolist(), counts.tolist())),
            scale=factor,
        )
        tables.write_localities(out / "localities.csv")
        totals = run_council(council, run_seed, first_year, last_year, out, MIDDLESBROUGH_LA_NUMBER)
        log(f"synthetic council {params.MIDDLESBROUGH}: {totals} in {time.time() - t0:.1f}s")
        return {"councils": [params.MIDDLESBROUGH], "totals": totals}
    letters = geography.ENGLAND_LETTERS if scale == "england" else tuple("TDNS")
    table = geography.load_postcodes(letters)
    codes, counts = geography.england_councils(table)
    if scale == "region":
        keep = np.isin(codes, NORTH_EAST)
        codes, counts = codes[keep], counts[keep]
    size_seed, *seeds = root.spawn(1 + len(codes))
    size_rng = np.random.default_rng(size_seed)
    rate = np.exp(0.38 * size_rng.standard_normal(len(codes)))
    share = counts * rate
    if scale == "england":
        share = share / share.sum()
    else:  # the region's share of England: the North East's rate is about 1.6 times England's
        share = share / share.sum() * 0.085
    done: list[str] = []
    grand: dict[str, int] = {}
    for i, code in enumerate(codes):
        c_rng = np.random.default_rng(seeds[i].spawn(1)[0])
        if code == params.MIDDLESBROUGH:
            council = middlesbrough(table, c_rng, first_year, last_year)
        else:
            geo = geography.council_geography(table, code, c_rng)
            series = params.scaled_england_series(float(share[i]), first_year, last_year)
            council = Council(code, geo, series, story=False, urn_base=100_000 + 1_000 * i)
        totals = run_council(council, seeds[i], first_year, last_year, out / code, _la_number(code))
        for k, v in totals.items():
            grand[k] = grand.get(k, 0) + v
        done.append(code)
        if (i + 1) % 10 == 0 or i + 1 == len(codes):
            log(f"{i + 1}/{len(codes)} councils, {time.time() - t0:.0f}s")
    log(f"{scale}: {len(done)} councils, {grand} in {time.time() - t0:.1f}s")
    return {"councils": done, "totals": grand}
