"""The vectorised simulation of one council's children's journeys through care.

Dates are whole days since 1970-01-01 (int64); `NEVER` is a date beyond any horizon.

1. **Entry.** Each collection year brings a Poisson number of periods of care, drawn by age band
   (a mix drifting from the 2006 to the 2025 published mix, plus the 2007-2010 rise in 1-4 and
   10-15 year olds in TS1 and TS3 for the council scale) and by district (home postcodes weighted
   by deprivation); sex, ethnicity, category of need, UASC status and the legal status at entry
   follow from age and year.
2. **Route and duration.** A planned route out of care (home, adoption, special guardianship,
   child arrangements order, relatives, independent living, staying to 18, other) by age at
   entry, and a planned time in care on that route. Time in care runs on a "process clock" whose
   speed in each year (courts' and services' throughput) is fitted so that leavers match the
   published figure for that year (or, before the published years, the stock path); the 18th
   birthday ends every period. Who leaves, when and how comes out of the model.
3. **Legal status.** Police protection resolves in days; interim care orders become full care
   orders or placement orders at a final hearing; some section 20 children move onto orders.
4. **Placements.** Moves arrive at a rate set by the child's stability (settled or not) and age;
   first placements are often emergencies; placement type, provider and location depend on
   age, route and year (purchased foster care for 10-15 year olds grows 2006-2008); adopted
   children move in with adopters (or their foster carers become adopters) months before the
   order; some children return to parents under a care order before discharge; a few
   placements hold a temporary episode (respite, hospital, holiday).
5. **Episodes.** Every change of placement or legal status starts an episode (RNE S, P, B, T,
   U or L), exactly as a case-management system would record it.

`simulate` runs the stages in this order, one function each: `_stage_entry`,
`_stage_route_and_duration`, `_stage_legal_status`, `_stage_placements`, then for the episodes
`_stage_events` (placement starts, legal-status changes, temporary episodes and the rest, as
`Event` kinds), `_stage_episodes` (one episode per day on which something changed) and
`_stage_endings` (REC and REASON_PLACE_CHANGE); `_stage_adoption` dates the adoption tables.
They draw from one random stream in that order, so the same seed gives the same history.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

from analytics.synth import params as P
from analytics.synth.geography import CouncilGeography

NEVER = np.int64(10**6)
K3_FROM = int(np.datetime64("2023-10-28").astype("int64"))
DAYS_PER_YEAR = 365.25


def day(y: int, m: int, d: int) -> int:
    return int(np.datetime64(f"{y:04d}-{m:02d}-{d:02d}").astype("int64"))


def year_start(y: int) -> int:
    return day(y - 1, 4, 1)


def year_end(y: int) -> int:
    return day(y, 3, 31)


def ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = np.asarray(days).astype("M8[D]")
    y = d.astype("M8[Y]")
    m = d.astype("M8[M]")
    return (
        y.astype(int) + 1970,
        (m - y.astype("M8[M]")).astype(int) + 1,
        (d - m.astype("M8[D]")).astype(int) + 1,
    )


def add_years(days: np.ndarray, n: int | np.ndarray) -> np.ndarray:
    """The same day n years later (29 February -> 1 March in other years)."""
    d = np.asarray(days).astype("M8[D]")
    m = d.astype("M8[M]")
    dom = (d - m.astype("M8[D]")).astype("int64")
    return (m + np.asarray(n) * 12).astype("M8[D]").astype("int64") + dom


def age_on(dob: np.ndarray, when: np.ndarray) -> np.ndarray:
    y1, m1, d1 = ymd(dob)
    y2, m2, d2 = ymd(when)
    return y2 - y1 - ((m2 * 100 + d2) < (m1 * 100 + d1))


def band_of(age: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.array([1, 5, 10, 16]), age, side="right")


def _choice(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of a (n, k) probability matrix."""
    cum = np.cumsum(probs, axis=1)
    cum /= cum[:, -1:]
    u = rng.random(len(probs))[:, None]
    return (u > cum).sum(axis=1)


def _pick(rng: np.random.Generator, codes: dict[str, float], n: int) -> np.ndarray:
    keys = np.array(list(codes), dtype=object)
    p = np.array(list(codes.values()), dtype=float)
    return keys[rng.choice(len(keys), n, p=p / p.sum())]


@dataclass
class Council:
    """What the model needs to know about one council."""

    code: str
    geo: CouncilGeography
    series: dict[int, dict[str, float | None]]
    story: bool = False  # Middlesbrough's 2008 story (surge, TS1/TS3)
    district_weight: dict[str, float] = field(default_factory=dict)
    urn_base: int = 500_000


@dataclass
class Simulation:
    """One council's simulated history: children, periods, episodes and side tables."""

    children: dict[str, np.ndarray]
    episodes: dict[str, np.ndarray]
    periods: dict[str, np.ndarray]
    adoption: dict[str, np.ndarray]


# ============================================================================ entry
def _age_mix(year: int) -> np.ndarray:
    w = min(max((year - 2006) / (2025 - 2006), 0.0), 1.0)
    return (1 - w) * np.array(P.START_AGE_MIX_2006) + w * np.array(P.START_AGE_MIX_2025)


def _cin_probs(year: int) -> tuple[np.ndarray, np.ndarray]:
    codes = np.array(["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"], dtype=object)
    n1 = float(np.interp(year, [2006, 2012, 2018, 2025], [0.60, 0.78, 0.95, 0.97]))
    rest = 1 - n1
    p = np.array(
        [n1, 0.08 * rest, 0.07 * rest, 0.17 * rest, 0.50 * rest, 0.08 * rest, 0.02 * rest, 0.08 * rest]
    )
    return codes, p / p.sum()


def _entries(
    council: Council, rng: np.random.Generator, sim_first: int, last_year: int, first_year: int
) -> dict[str, np.ndarray]:
    geo = council.geo
    ser = council.series
    cols: dict[str, list[np.ndarray]] = {k: [] for k in ("start", "band", "surge", "year")}
    for y in range(sim_first, last_year + 1):
        starts = ser[max(y, first_year)]["starts"] or 0.0
        surge = P.SURGE.get(y, 0.0) if council.story else 0.0
        base = starts / (1 + surge)
        n_base = rng.poisson(base)
        n_surge = rng.poisson(base * surge) if surge else 0
        n = n_base + n_surge
        cols["start"].append(rng.integers(year_start(y), year_end(y) + 1, n))
        bands = np.concatenate(
            [rng.choice(5, n_base, p=_age_mix(y)), rng.choice(5, n_surge, p=np.array(P.SURGE_AGE_MIX))]
        )
        cols["band"].append(bands)
        cols["surge"].append(np.r_[np.zeros(n_base, bool), np.ones(n_surge, bool)])
        cols["year"].append(np.full(n, y))
    e = {k: np.concatenate(v) for k, v in cols.items()}
    n = len(e["start"])
    # UASC: from 2016, aged 15-17, mostly boys.
    uasc = (e["year"] >= 2016) & (rng.random(n) < P.UASC_SHARE_FROM_2016) & ~e["surge"]
    e["uasc"] = uasc
    # Exact age: under 1s are often newborns; 16+ are 16 or 17.
    lo = np.array([a for a, _ in P.BAND_AGES])[e["band"]]
    hi = np.array([b for _, b in P.BAND_AGES])[e["band"]]
    years = lo + np.floor(rng.random(n) * (hi - lo + 1)).astype(int)
    years = np.where(uasc, 15 + rng.integers(0, 3, n), years)
    e["band"] = np.where(uasc, np.where(years >= 16, 4, 3), e["band"])
    frac = rng.random(n)
    newborn = (years == 0) & (rng.random(n) < 0.45)
    age_days = np.where(newborn, rng.integers(0, 8, n), ((years + frac) * DAYS_PER_YEAR).astype(np.int64))
    age_days = np.where(years == 0, np.minimum(age_days, 364), age_days)
    dob = e["start"] - age_days
    # keep at least a month before the 18th birthday
    b18 = add_years(dob, 18)
    too_old = b18 - e["start"] < 45
    dob = np.where(too_old, dob + 60 + rng.integers(0, 200, n), dob)
    e["dob"] = dob
    # Home district and postcode.
    home = geo.home
    d_names = geo.districts
    d_idx = np.searchsorted(d_names, home.district)
    counts = np.bincount(d_idx, minlength=len(d_names)).astype(float)
    weight = np.array([council.district_weight.get(d, 1.0 if not council.story else 0.0) for d in d_names])
    if weight.sum() == 0:
        weight = np.ones(len(d_names))
    base_p = counts * weight
    base_p /= base_p.sum()
    surge_w = np.array([P.SURGE_DISTRICTS.get(d, 0.0) for d in d_names]) * (counts > 0)
    surge_p = surge_w / surge_w.sum() if surge_w.sum() > 0 else base_p
    dist = np.where(e["surge"], rng.choice(len(d_names), n, p=surge_p), rng.choice(len(d_names), n, p=base_p))
    # a postcode within the district
    order = np.argsort(d_idx, kind="stable")
    first = np.searchsorted(d_idx[order], np.arange(len(d_names)))
    pick = first[dist] + np.floor(rng.random(n) * counts[dist]).astype(int)
    e["home_idx"] = order[np.minimum(pick, len(order) - 1)]
    e["sex_male"] = np.where(uasc, rng.random(n) < 0.92, rng.random(n) < P.SEX_MALE)
    eth = _pick(rng, P.ETHNIC, n)
    uasc_eth = _pick(rng, {"AOTH": 0.45, "BAFR": 0.3, "OOTH": 0.25}, n)
    e["ethnic"] = np.where(uasc, uasc_eth, eth)
    cin = np.empty(n, dtype=object)
    for y in np.unique(e["year"]):
        m = e["year"] == y
        codes, p = _cin_probs(int(y))
        cin[m] = codes[rng.choice(len(codes), m.sum(), p=p)]
    e["cin"] = np.where(uasc, "N8", cin)
    return e


# ============================================================================ routes and exits
def _routes(rng: np.random.Generator, band: np.ndarray, uasc: np.ndarray) -> np.ndarray:
    mix = np.array(P.ROUTE_MIX)[band]
    route = _choice(rng, mix)
    uasc_route = np.array([P.ROUTES.index("long"), P.ROUTES.index("indep"), P.ROUTES.index("other")])[
        rng.choice(3, len(band), p=[0.7, 0.2, 0.1])
    ]
    return np.where(uasc, uasc_route, route)


def _exit_days(
    r: float,
    *,
    ys: int,
    clock: float,
    t_old: np.ndarray,
    s_new: np.ndarray,
    d_new: np.ndarray,
    hard_old: np.ndarray,
    hard_new: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Exit days at clock speed `r` for the year starting `ys`: (periods already open, periods
    starting in the year). `t_old` is the clock reading at which an open period ends, `d_new` a
    new period's planned time in years; `hard_*` the 18th birthdays."""
    eo = ys + (t_old - clock) / r * DAYS_PER_YEAR
    en = s_new + d_new / r * DAYS_PER_YEAR
    eo = np.minimum(np.where(np.isfinite(eo), np.floor(eo), NEVER), hard_old)
    en = np.minimum(np.where(np.isfinite(en), np.floor(en), NEVER), hard_new)
    en = np.maximum(en, s_new + 1)
    eo = np.maximum(eo, ys)
    return eo.astype(np.int64), en.astype(np.int64)


def _fit_exits(
    rng: np.random.Generator,
    start: np.ndarray,
    dur_years: np.ndarray,
    hard_end: np.ndarray,
    series: dict,
    sim_first: int,
    first_year: int,
    last_year: int,
) -> np.ndarray:
    """Exit dates: each period's planned time runs on a clock whose yearly speed is fitted to
    the year's leavers (or stock) target; the 18th birthday ends a period regardless."""
    n = len(start)
    exit_day = np.full(n, NEVER, dtype=np.int64)
    target_clock = np.full(n, np.inf)  # clock reading at which a period ends
    clock = 0.0
    rate = 1.0
    for y in range(sim_first, last_year + 1):
        ys, ye = year_start(y), year_end(y)
        length = (ye + 1 - ys) / DAYS_PER_YEAR
        old = (start < ys) & (exit_day == NEVER)
        new = (start >= ys) & (start <= ye)
        old_idx, new_idx = np.flatnonzero(old), np.flatnonzero(new)
        t_old = target_clock[old_idx]
        s_new = start[new_idx]
        d_new = dur_years[new_idx]
        exits = functools.partial(
            _exit_days,
            ys=ys,
            clock=clock,
            t_old=t_old,
            s_new=s_new,
            d_new=d_new,
            hard_old=hard_end[old_idx],
            hard_new=hard_end[new_idx],
        )

        spec = series.get(max(y, first_year), {})
        if y >= first_year and (spec.get("ceased") is not None or spec.get("stock") is not None):
            goal_stock = (
                len(old_idx) + len(new_idx) - spec["stock"] if spec.get("stock") is not None else None
            )
            if spec.get("ceased") is not None and goal_stock is not None:
                # half way between the year's leavers and the stock they imply, so that
                # the stock does not drift with the randomness of entries
                goal = 0.5 * spec["ceased"] + 0.5 * goal_stock
            elif spec.get("ceased") is not None:
                goal = spec["ceased"]
            else:
                goal = goal_stock
            lo, hi = np.log(0.05), np.log(40.0)
            for _ in range(40):
                mid = (lo + hi) / 2
                eo, en = exits(float(np.exp(mid)))
                count = (eo <= ye).sum() + (en <= ye).sum()
                if count < goal:
                    lo = mid
                else:
                    hi = mid
            rate = float(np.exp((lo + hi) / 2))
        elif y < first_year:
            rate = 1.0
        eo, en = exits(rate)
        target_clock[new_idx] = clock + (s_new - ys) / DAYS_PER_YEAR * rate + d_new
        exit_day[old_idx[eo <= ye]] = eo[eo <= ye]
        exit_day[new_idx[en <= ye]] = en[en <= ye]
        clock += length * rate
    # periods still open at the horizon: their planned end at the last speed, or 18
    still = exit_day == NEVER
    future = year_end(last_year) + 1 + (target_clock[still] - clock) / rate * DAYS_PER_YEAR
    future = np.where(np.isfinite(future), np.floor(future), NEVER)
    exit_day[still] = np.minimum(np.maximum(future, year_end(last_year) + 1), hard_end[still]).astype(
        np.int64
    )
    return exit_day


# ============================================================================ placements
FOSTER = {"U1", "U2", "U3", "U4", "U5", "U6"}
KINSHIP = {"U1", "U2", "U3"}


def _place_codes(
    rng: np.random.Generator,
    age: np.ndarray,
    route: np.ndarray,
    k: np.ndarray,
    since_start: np.ndarray,
    year: np.ndarray,
) -> np.ndarray:
    """Placement type for ordinary (not adoption, not with parents) placements."""
    n = len(age)
    R = P.ROUTES
    kin_route = np.isin(route, [R.index("sgo"), R.index("relatives"), R.index("cao")])
    long_route = route == R.index("long")
    adopt_route = route == R.index("adoption")
    u = rng.random(n)
    out = np.empty(n, dtype=object)
    # children's home / residential / semi-independent shares by age
    p_home = np.select([age < 8, age < 12, age < 16], [0.0, 0.12, 0.36], 0.24)
    p_semi = np.where(age >= 16, 0.45, 0.0)
    p_sec = np.where((age >= 12) & (age < 18), 0.008, 0.0)
    p_res = np.where(age >= 6, 0.015, 0.0)  # S1 residential school / R1
    p_mbu = np.where(age < 1, 0.03, 0.0)  # R3 mother and baby unit
    c1 = p_sec
    c2 = c1 + p_home
    c3 = c2 + p_semi
    c4 = c3 + p_res
    c5 = c4 + p_mbu
    out[:] = "FOSTER"
    out[u < c5] = "R3"
    out[u < c4] = np.where(rng.random(n) < 0.6, "S1", "R1")[u < c4]
    semi_code = np.where(year >= 2024, np.where(rng.random(n) < 0.7, "K3", "H5"), "H5")
    out[u < c3] = semi_code[u < c3]
    out[u < c2] = "K2"
    out[u < c1] = "K1"
    foster = out == "FOSTER"
    kin = np.where(kin_route, rng.random(n) < 0.75, rng.random(n) < 0.10)
    long_term = (since_start > 365) & (long_route | (rng.random(n) < 0.15))
    ffa = adopt_route & (rng.random(n) < 0.20)
    code = np.where(
        kin, np.where(long_term, "U1", "U3"), np.where(ffa, "U5", np.where(long_term, "U4", "U6"))
    )
    out[foster] = code[foster]
    return out


def _provider(rng: np.random.Generator, place: np.ndarray, age: np.ndarray, year: np.ndarray) -> np.ndarray:
    n = len(place)
    u = rng.random(n)
    out = np.full(n, "PR1", dtype=object)
    band = band_of(age)
    purch = np.array(P.PURCHASED_FOSTER)[band]
    yr = np.array([P.PURCHASED_FOSTER_10_15_BY_YEAR.get(int(y), np.nan) for y in year])
    early = np.array([y < min(P.PURCHASED_FOSTER_10_15_BY_YEAR) for y in year])
    yr = np.where(np.isnan(yr), np.where(early, 0.28, purch), yr)
    purch = np.where(band == 3, yr, purch)
    bought = np.where(u < 0.87, "PR4", "PR5")
    u2 = rng.random(n)
    other_foster = np.isin(place, ["U4", "U5", "U6"])
    out[other_foster & (u2 < purch)] = bought[other_foster & (u2 < purch)]
    home = place == "K2"
    out[home] = np.where(u2 < 0.28, "PR1", bought)[home]
    out[place == "K1"] = np.where(u2 < 0.8, "PR2", "PR4")[place == "K1"]
    res = np.isin(place, ["S1", "R1", "R3"])
    out[res] = bought[res]
    semi = np.isin(place, ["H5", "K3"])
    out[semi] = np.where(u2 < 0.3, "PR1", bought)[semi]
    adopt = np.isin(place, ["A5", "A6"])
    out[adopt] = np.where(u2 < 0.6, "PR1", np.where(u2 < 0.75, "PR2", "PR5"))[adopt]
    out[place == "P1"] = "PR0"
    return out


def _location_kind(place: np.ndarray, provider: np.ndarray) -> np.ndarray:
    kind = np.full(len(place), "foster_own", dtype=object)
    bought = np.isin(provider, ["PR2", "PR3", "PR4", "PR5"])
    kind[np.isin(place, ["U4", "U5", "U6"]) & bought] = "foster_bought"
    kind[np.isin(place, ["U1", "U2", "U3"])] = "kinship"
    kind[(place == "K2") & ~bought] = "home_own"
    kind[(place == "K2") & bought] = "home_bought"
    kind[place == "K1"] = "secure"
    kind[np.isin(place, ["H5", "K3"])] = np.where(bought, "semi", "home_own")[np.isin(place, ["H5", "K3"])]
    kind[np.isin(place, ["A5", "A6"])] = "adoption"
    kind[np.isin(place, ["S1", "R1", "R3"])] = "residential"
    return kind


def _draw_postcodes(
    rng: np.random.Generator, geo: CouncilGeography, kind: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(pool id 0 own / 1 near / 2 far, index in that pool) per placement."""
    n = len(kind)
    probs = np.array([P.LOCATION[k] for k in kind]) if n else np.zeros((0, 3))
    sizes = np.array([len(geo.home), len(geo.near), len(geo.far)])
    probs = probs * (sizes > 0)
    which = _choice(rng, probs) if n else np.zeros(0, int)
    idx = np.floor(rng.random(n) * sizes[which]).astype(np.int64)
    return which, idx


# ============================================================================ the simulation
class Event(IntEnum):
    """What happens on a day of a period of care; each kind of event may start an episode.

    The values order the events of one day (a period's start before a legal-status change on the
    same day, and so on); the episode of a day takes the state after all of them.
    """

    PERIOD_START = 0  # the first placement of a period of care
    PLACEMENT_START = 1  # a move to a new placement (new carer)
    LEGAL_STATUS = 2  # a change of legal status
    TEMPORARY_START = 3  # a temporary episode (respite, hospital, holiday) begins
    TEMPORARY_END = 4  # ... and ends: back to the placement
    ADOPTION_WITH_CARER = 5  # the foster carers become the adopters: PLACE A5, same carer
    REGISTERED = 6  # supported accommodation (H5) registered as K3 on 28 October 2023


PLACEMENT_EVENTS = (Event.PERIOD_START, Event.PLACEMENT_START)


@dataclass
class _LegalStatus:
    """Stage 3: the legal-status events of every period, and the dates they fix."""

    events: list[tuple[np.ndarray, np.ndarray, np.ndarray]]  # (period, day, code); [0] the entry
    init: np.ndarray  # legal status at entry
    t_pp: np.ndarray  # police protection ends
    t_v: np.ndarray  # section 20 onto an interim care order
    t_h: np.ndarray  # final hearing
    c1_from: np.ndarray  # on an interim care order from
    on_c1: np.ndarray
    hear: np.ndarray  # a final hearing took place
    a_start: np.ndarray  # moving in with the adopters
    has_adopt_pl: np.ndarray  # an adoption placement (and a placement order) goes ahead
    route: np.ndarray  # the route, an adoption that could not be arranged turned into SGO


@dataclass
class _Placements:
    """Stage 4: every placement (sorted by period and start) and its attributes."""

    period: np.ndarray
    start: np.ndarray
    k: np.ndarray  # 0, 1, ... ordinary placements in order; 99 adopters, 98 parents, 97 semi
    end: np.ndarray  # the next placement's start, or the period's end
    place: np.ndarray
    provider: np.ndarray
    pl_post: np.ndarray
    urn: np.ndarray
    a_with_carer: np.ndarray  # per period: adopted by the foster carers
    home_post: np.ndarray  # per period


@dataclass
class _Events:
    """Stage 5a: every event of every period, sorted by period, day and kind."""

    period: np.ndarray
    day: np.ndarray
    kind: np.ndarray
    placement: np.ndarray  # the placement a placement or temporary event belongs to, else -1
    ls: np.ndarray  # the new legal status of a legal-status event, else None
    temp: np.ndarray  # index of the temporary episode of a temporary event, else -1
    temp_code: np.ndarray  # per temporary episode


def _kinds(n: int, kind: Event) -> np.ndarray:
    return np.full(n, int(kind))


def _stage_entry(
    council: Council, rng: np.random.Generator, sim_first: int, first_year: int, last_year: int
) -> dict[str, np.ndarray]:
    """Stage 1: the periods of care that start each year, sorted by their start."""
    e = _entries(council, rng, sim_first, last_year, first_year)
    order = np.argsort(e["start"], kind="stable")
    return {k: v[order] for k, v in e.items()}


def _stage_route_and_duration(
    council: Council,
    rng: np.random.Generator,
    e: dict[str, np.ndarray],
    b18: np.ndarray,
    sim_first: int,
    first_year: int,
    last_year: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Stage 2: (route, exit day) of every period."""
    start, band = e["start"], e["band"]
    n = len(start)
    R = P.ROUTES
    route = _routes(rng, band, e["uasc"])
    med = np.array([P.ROUTE_DURATION[r][0] for r in R])[route]
    sig = np.array([P.ROUTE_DURATION[r][1] for r in R])[route]
    dur = med * np.exp(sig * rng.standard_normal(n))
    dur = np.where(route == R.index("adoption"), np.maximum(dur, 0.9), dur)
    dur = np.where(route == R.index("long"), np.inf, dur)
    exit_day = _fit_exits(rng, start, dur, b18, council.series, sim_first, first_year, last_year)
    length = exit_day - start
    # Routes that could not happen in the time the period lasted.
    route = np.where((route == R.index("adoption")) & (length < 330), R.index("home"), route)
    route = np.where(np.isin(route, [R.index("sgo"), R.index("cao")]) & (length < 90), R.index("home"), route)
    aged_out = exit_day >= b18
    route = np.where(aged_out, R.index("long"), route)
    return route, exit_day


def _stage_legal_status(
    rng: np.random.Generator,
    e: dict[str, np.ndarray],
    route: np.ndarray,
    exit_day: np.ndarray,
    b18: np.ndarray,
) -> _LegalStatus:
    """Stage 3: police protection, section 20, interim and full care orders, placement orders."""
    start, band = e["start"], e["band"]
    n = len(start)
    R = P.ROUTES
    events: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    u = rng.random(n)
    adopt = route == R.index("adoption")
    orders = adopt | np.isin(route, [R.index("sgo"), R.index("cao"), R.index("parents")])
    lsp = np.select([band == 0, band == 1, band == 2, band == 3], [0.55, 0.45, 0.40, 0.30], 0.08)
    pp_year = 1.0 + 0.6 * np.sin(e["year"] * 1.7)  # police protection: volatile by year
    l1p = np.where(band == 4, 0.05, 0.08) * pp_year
    init = np.where(u < l1p, "L1", np.where(u < l1p + lsp, "C1", "V2"))
    init = np.where(orders & (init == "V2") & (rng.random(n) < 0.6), "C1", init)
    init = np.where(e["uasc"], "V2", init)
    events.append((np.arange(n), start, init))
    # police protection ends in 1-3 days
    t_pp = start + rng.integers(1, 4, n)
    after_pp = np.where(rng.random(n) < 0.5, "V2", "C1")
    after_pp = np.where(orders, "C1", after_pp)
    m = (init == "L1") & (t_pp < exit_day)
    events.append((np.flatnonzero(m), t_pp[m], after_pp[m]))
    cur = np.where(init == "L1", after_pp, init)
    # section 20 onto an interim order
    t_v = np.where(init == "L1", t_pp, start) + rng.integers(20, 400, n)
    p_conv = np.where(route == R.index("long"), 0.75, 0.25)
    to_c1 = (cur == "V2") & (orders | (rng.random(n) < p_conv)) & (t_v < exit_day - 30) & ~e["uasc"]
    events.append((np.flatnonzero(to_c1), t_v[to_c1], np.full(to_c1.sum(), "C1", dtype=object)))
    c1_from = np.where(to_c1, t_v, np.where(init == "L1", t_pp, start))
    on_c1 = (cur == "C1") | to_c1
    # final hearing
    t_h = c1_from + rng.integers(120, 330, n)
    t_h = np.where(adopt, np.minimum(t_h, exit_day - 200), t_h)
    t_h = np.maximum(t_h, c1_from + 30)
    hear = on_c1 & (t_h < exit_day - 1)
    a_start = exit_day - rng.integers(110, 400, n)
    a_start = np.maximum(a_start, np.where(hear, t_h + 14, start + 60))
    a_start = np.minimum(a_start, exit_day - 75)
    has_adopt_pl = adopt & (exit_day < NEVER) & (a_start > start + 30) & hear & (a_start > t_h)
    # an adoption that could not be arranged in time: special guardianship instead
    route = np.where(adopt & ~has_adopt_pl & (exit_day < b18), R.index("sgo"), route)
    # a placement order only where the adoption goes ahead; otherwise a care order
    final = np.where(has_adopt_pl, "E1", "C2")
    events.append((np.flatnonzero(hear), t_h[hear], final[hear]))
    return _LegalStatus(events, init, t_pp, t_v, t_h, c1_from, on_c1, hear, a_start, has_adopt_pl, route)


def _placement_stops(
    rng: np.random.Generator,
    e: dict[str, np.ndarray],
    route: np.ndarray,
    exit_day: np.ndarray,
    ls: _LegalStatus,
    horizon: int,
) -> tuple[np.ndarray, ...]:
    """Where ordinary placements stop: adoption placements, return to parents, supported
    accommodation from 16. (stop, a_with_carer, has_p1, p1_start, has_semi, s_start)."""
    n = len(route)
    R = P.ROUTES
    dob = e["dob"]
    start = e["start"]
    a_with_carer = ls.has_adopt_pl & (rng.random(n) < 0.22)
    home_route = route == R.index("home")
    parents = route == R.index("parents")
    p1_start = exit_day - rng.integers(90, 800, n)
    p1_start = np.maximum(p1_start, ls.c1_from + 30)
    p1_start = np.where(parents, ls.c1_from + rng.integers(30, 300, n), p1_start)
    has_p1 = (
        (home_route & (rng.random(n) < 0.6) | parents)
        & ls.on_c1
        & (p1_start < exit_day - 30)
        & (exit_day < NEVER)
    )
    # supported accommodation from 16 for some of those staying to 18
    b16 = add_years(dob, 16)
    s_start = b16 + rng.integers(60, 600, n)
    has_semi = (
        (route == R.index("long"))
        & (rng.random(n) < 0.45)
        & ~has_p1
        & (s_start > start + 60)
        & (s_start < exit_day - 30)
    )
    stop = np.where(ls.has_adopt_pl, ls.a_start, np.where(has_p1, p1_start, exit_day))
    stop = np.where(has_semi, s_start, stop)
    stop = np.minimum(stop, horizon)
    return stop, a_with_carer, has_p1, p1_start, has_semi, s_start


def _ordinary_placement_starts(
    rng: np.random.Generator,
    e: dict[str, np.ndarray],
    settled: np.ndarray,
    stop: np.ndarray,
    ls: _LegalStatus,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Moves between ordinary placements until the stop: (period, start, k) per placement."""
    start, dob = e["start"], e["dob"]
    rate = np.where(settled, P.MOVE_RATE_SETTLED, P.MOVE_RATE_UNSETTLED)
    pl_period, pl_start, pl_k = [], [], []
    t = start.copy()
    k = 0
    active = np.arange(len(start))
    while len(active):
        pl_period.append(active)
        pl_start.append(t[active])
        pl_k.append(np.full(len(active), k))
        r = rate[active] * np.where(age_on(dob[active], t[active]) >= 13, 1.5, 1.0)
        gap = rng.exponential(1.0, len(active)) / r * DAYS_PER_YEAR
        if k == 0:
            short = rng.random(len(active)) < P.FIRST_PLACEMENT_SHORT
            gap = np.where(short, rng.exponential(P.FIRST_PLACEMENT_DAYS, len(active)) + 1, gap)
        nxt = t[active] + np.maximum(np.floor(gap), 1).astype(np.int64)
        # avoid a move on the day of a legal-status change
        clash = (nxt == ls.t_h[active]) | (nxt == ls.t_pp[active]) | (nxt == ls.t_v[active])
        nxt = nxt + clash
        go_on = nxt < stop[active] - 1
        t[active] = nxt
        active = active[go_on]
        k += 1
    return np.concatenate(pl_period), np.concatenate(pl_start), np.concatenate(pl_k)


def _placement_urns(
    council: Council, place: np.ndarray, provider: np.ndarray, which: np.ndarray, idx: np.ndarray
) -> np.ndarray:
    """URN: a registered setting's number, tied to where it is."""
    needs_urn = ~np.isin(place, ["P1", "P3", "R1", "R2", "R5", "Z1"])
    urn_num = council.urn_base + (which * 200_000 + idx) % 499_000
    fostering_service = np.isin(place, list(FOSTER)) & (provider == "PR1")
    urn_num = np.where(fostering_service, council.urn_base - 1, urn_num)
    agency = np.isin(place, ["U4", "U5", "U6", "A5", "A6"]) & (provider != "PR1")
    urn_num = np.where(agency, council.urn_base + 499_000 + idx % 40, urn_num)
    urn = np.where(
        needs_urn,
        np.char.add("SC", np.char.zfill((urn_num % 1_000_000).astype(str), 6)).astype(object),
        "XXXXXXX",
    )
    return np.where(needs_urn, urn, None)


def _stage_placements(
    council: Council,
    rng: np.random.Generator,
    e: dict[str, np.ndarray],
    route: np.ndarray,
    exit_day: np.ndarray,
    ls: _LegalStatus,
    horizon: int,
) -> _Placements:
    """Stage 4: placements, their type, provider, postcode and URN."""
    start, dob, band = e["start"], e["dob"], e["band"]
    n = len(start)
    settled = rng.random(n) >= np.array(P.UNSETTLED_SHARE)[band]
    stop, a_with_carer, has_p1, p1_start, has_semi, s_start = _placement_stops(
        rng, e, route, exit_day, ls, horizon
    )
    pl_period, pl_start, pl_k = _ordinary_placement_starts(rng, e, settled, stop, ls)
    # final special placements
    fa = np.flatnonzero(ls.has_adopt_pl & ~a_with_carer)
    fp = np.flatnonzero(has_p1)
    fs = np.flatnonzero(has_semi)
    pl_period = np.concatenate([pl_period, fa, fp, fs])
    pl_start = np.concatenate([pl_start, ls.a_start[fa], p1_start[fp], s_start[fs]])
    pl_k = np.concatenate([pl_k, np.full(len(fa), 99), np.full(len(fp), 98), np.full(len(fs), 97)])
    o = np.lexsort((pl_start, pl_period))
    pl_period, pl_start, pl_k = pl_period[o], pl_start[o], pl_k[o]
    npl = len(pl_period)
    pl_age = age_on(dob[pl_period], pl_start)
    y_of = ymd(pl_start)
    pl_year = y_of[0] + (y_of[1] >= 4)
    place = _place_codes(rng, pl_age, route[pl_period], pl_k, pl_start - start[pl_period], pl_year)
    place[pl_k == 99] = "A6"
    place[pl_k == 98] = "P1"
    semi_final = pl_k == 97
    place[semi_final] = np.where((pl_year >= 2024) & (rng.random(npl) < 0.75), "K3", "H5")[semi_final]
    # supported accommodation: H5 until 27 October 2023, registered (K3) from 28 October 2023
    semi_any = np.isin(place, ["H5", "K3"])
    place[semi_any] = np.where(pl_start[semi_any] >= K3_FROM, "K3", "H5")
    # under 16s cannot live in unregulated semi-independent settings
    young_semi = np.isin(place, ["H5", "K3"]) & (pl_age < 16)
    place[young_semi] = "U6"
    provider = _provider(rng, place, pl_age, pl_year)
    kind = _location_kind(place, provider)
    which, idx = _draw_postcodes(rng, council.geo, kind)
    geo = council.geo
    pl_post = np.empty(npl, dtype=object)
    for w, pool in enumerate((geo.home, geo.near, geo.far)):
        mm = which == w
        if mm.any():
            pl_post[mm] = pool.pcd[idx[mm]]
    home_post = geo.home.pcd[e["home_idx"]]
    pl_post[place == "P1"] = home_post[pl_period[place == "P1"]]
    urn = _placement_urns(council, place, provider, which, idx)
    pe_end = np.r_[pl_start[1:], 0]
    last_of_period = np.r_[pl_period[1:] != pl_period[:-1], True]
    pe_end = np.where(last_of_period, exit_day[pl_period], pe_end)
    return _Placements(
        pl_period, pl_start, pl_k, pe_end, place, provider, pl_post, urn, a_with_carer, home_post
    )


def _temporary_episodes(
    rng: np.random.Generator, pl: _Placements, ls: _LegalStatus, exit_day: np.ndarray, horizon: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Temporary episodes inside long placements: (placement, start, end, code)."""
    npl = len(pl.period)
    pl_len = pl.end - pl.start
    tmp = (
        (pl_len > 90)
        & (rng.random(npl) < P.TEMPORARY_SHARE)
        & ~np.isin(pl.place, ["P1", "A6", "H5"])
        & ~(ls.has_adopt_pl[pl.period] & (pl.end >= exit_day[pl.period]))
        & (pl.end < horizon)
    )
    tmp_i = np.flatnonzero(tmp)
    t_s = pl.start[tmp_i] + 20 + (rng.random(len(tmp_i)) * (pl_len[tmp_i] - 60)).astype(np.int64)
    temp_code = _pick(rng, {"T3": 0.45, "T1": 0.2, "T4": 0.2, "T2": 0.1, "T0": 0.05}, len(tmp_i))
    t_e = t_s + np.where(temp_code == "T4", rng.integers(2, 8, len(tmp_i)), rng.integers(2, 15, len(tmp_i)))
    # a temporary episode holds nothing else: drop those overlapping a legal-status change
    clash = np.zeros(len(tmp_i), bool)
    for pp, dd, _ in ls.events[1:]:
        if len(pp) == 0 or len(tmp_i) == 0:
            continue
        ord_ = np.lexsort((dd, pp))
        keyp, keyd = pp[ord_], dd[ord_]
        tp = pl.period[tmp_i]
        lo = np.searchsorted(keyp * 10**7 + keyd, tp * 10**7 + t_s - 1, side="left")
        hi = np.searchsorted(keyp * 10**7 + keyd, tp * 10**7 + t_e + 1, side="right")
        clash |= hi > lo
    keep = ~clash
    return tmp_i[keep], t_s[keep], t_e[keep], temp_code[keep]


def _stage_events(
    rng: np.random.Generator,
    e: dict[str, np.ndarray],
    exit_day: np.ndarray,
    ls: _LegalStatus,
    pl: _Placements,
    horizon: int,
) -> _Events:
    """Stage 5a: placement starts, legal-status changes, temporary episodes, the registration of
    supported accommodation and adoptions by foster carers, as one sorted list of events."""
    start = e["start"]
    npl = len(pl.period)
    parts: list[tuple[np.ndarray, ...]] = []  # (period, day, kind, placement, ls, temp)

    def add(period, days, kind, placement=None, status=None, temp=None) -> None:
        n = len(period)
        parts.append(
            (
                period,
                days,
                _kinds(n, kind) if isinstance(kind, Event) else kind,
                np.full(n, -1) if placement is None else placement,
                np.full(n, None, dtype=object) if status is None else status.astype(object),
                np.full(n, -1) if temp is None else temp,
            )
        )

    kind = np.where(pl.k == 0, int(Event.PERIOD_START), int(Event.PLACEMENT_START))
    add(pl.period, pl.start, kind, placement=np.arange(npl))
    for pp, dd, cc in ls.events[1:]:
        add(pp, dd, Event.LEGAL_STATUS, status=cc)
    tmp_i, t_s, t_e, temp_code = _temporary_episodes(rng, pl, ls, exit_day, horizon)
    nt = len(tmp_i)
    add(pl.period[tmp_i], t_s, Event.TEMPORARY_START, placement=tmp_i, temp=np.arange(nt))
    add(pl.period[tmp_i], t_e, Event.TEMPORARY_END, placement=tmp_i, temp=np.arange(nt))
    # H5 placements open on 28 October 2023 become registered supported accommodation (K3)
    conv = np.flatnonzero((pl.place == "H5") & (pl.start < K3_FROM) & (pl.end > K3_FROM))
    add(pl.period[conv], np.full(len(conv), K3_FROM, dtype=np.int64), Event.REGISTERED, placement=conv)
    # adoption with the current carers
    ac = np.flatnonzero(pl.a_with_carer)
    add(ac, ls.a_start[ac], Event.ADOPTION_WITH_CARER)

    ev_p, ev_d, ev_kind, ev_pl, ev_ls, ev_tmp = (np.concatenate(col) for col in zip(*parts))
    keep = (ev_d < exit_day[ev_p]) & (ev_d >= start[ev_p])
    ev_p, ev_d, ev_kind, ev_pl, ev_ls, ev_tmp = (a[keep] for a in (ev_p, ev_d, ev_kind, ev_pl, ev_ls, ev_tmp))
    o = np.lexsort((ev_kind, ev_d, ev_p))
    ev_p, ev_d, ev_kind, ev_pl, ev_ls, ev_tmp = (a[o] for a in (ev_p, ev_d, ev_kind, ev_pl, ev_ls, ev_tmp))
    return _Events(ev_p, ev_d, ev_kind, ev_pl, ev_ls, ev_tmp, temp_code)


def _ffill(valid: np.ndarray, grp_start: np.ndarray) -> np.ndarray:
    """Index of the latest row at or before each row where `valid` (or its group began)."""
    pos = np.where(valid | grp_start, np.arange(len(valid)), 0)
    np.maximum.accumulate(pos, out=pos)
    return pos


def _stage_episodes(
    ev: _Events, pl: _Placements, init: np.ndarray, exit_day: np.ndarray
) -> dict[str, np.ndarray]:
    """Stage 5b: the state after each day's events (placement, legal status, temporary
    episode, adoption by the carer, registration) is an episode; its RNE says what changed."""
    kind = ev.kind
    m = len(ev.period)
    grp_start = np.r_[True, ev.period[1:] != ev.period[:-1]]
    placement_ev = np.isin(kind, PLACEMENT_EVENTS)
    pos_pl = _ffill(placement_ev, grp_start)
    cur_pl = ev.placement[pos_pl]
    pos_ls = _ffill((kind == Event.LEGAL_STATUS) | grp_start, grp_start)
    cur_ls = np.where(kind[pos_ls] == Event.LEGAL_STATUS, ev.ls[pos_ls], init[ev.period])
    pos_t = _ffill((kind == Event.TEMPORARY_START) | (kind == Event.TEMPORARY_END) | placement_ev, grp_start)
    in_temp = kind[pos_t] == Event.TEMPORARY_START
    cur_tmp = ev.temp[pos_t]
    pos_a = _ffill((kind == Event.ADOPTION_WITH_CARER) | placement_ev, grp_start)
    adopt_carer = kind[pos_a] == Event.ADOPTION_WITH_CARER
    pos_r = _ffill((kind == Event.REGISTERED) | placement_ev, grp_start)
    registered = kind[pos_r] == Event.REGISTERED
    # collapse same-day events: the last state of the day, flags of what changed
    new_day = (ev.period[1:] != ev.period[:-1]) | (ev.day[1:] != ev.day[:-1])
    last_of_day = np.r_[new_day, True]
    first_of_day = np.r_[True, new_day]
    day_id = np.cumsum(first_of_day) - 1
    nd = day_id[-1] + 1 if m else 0

    def on_the_day(*kinds: Event) -> np.ndarray:
        return np.bincount(day_id, weights=np.isin(kind, kinds), minlength=nd) > 0

    d_pstart = on_the_day(Event.PERIOD_START)
    d_move = on_the_day(Event.PLACEMENT_START)
    d_ls = on_the_day(Event.LEGAL_STATUS)
    d_tmp = on_the_day(Event.TEMPORARY_START, Event.TEMPORARY_END)
    d_acar = on_the_day(Event.ADOPTION_WITH_CARER, Event.REGISTERED)
    sel = np.flatnonzero(last_of_day)
    ep_period = ev.period[sel]
    ep_start = ev.day[sel]
    ep_pl = cur_pl[sel]
    ep_temp = in_temp[sel]
    ep_tmpi = cur_tmp[sel]
    ep_reg = registered[sel]
    ep_place = pl.place[ep_pl].astype(object)
    ep_prov = pl.provider[ep_pl].astype(object)
    ep_urn = pl.urn[ep_pl].astype(object)
    ep_place = np.where(adopt_carer[sel], "A5", ep_place)
    ep_place = np.where(ep_reg, "K3", ep_place)
    ep_urn = np.where(
        ep_reg, "SC" + np.char.zfill(((ep_pl * 7919) % 10**6).astype(str), 6).astype(object), ep_urn
    )
    ep_place[ep_temp] = ev.temp_code[ep_tmpi[ep_temp]]
    ep_prov[ep_temp] = None
    ep_urn[ep_temp] = None
    ep_urn[ep_place == "H5"] = "XXXXXXX"
    new_carer = d_move | d_tmp
    rne = np.where(
        d_pstart,
        "S",
        np.where(
            new_carer & d_ls,
            "B",
            np.where(new_carer, "P", np.where(d_acar & d_ls, "U", np.where(d_acar, "T", "L"))),
        ),
    )
    ep_end = np.r_[ep_start[1:], 0]
    last_ep = np.r_[ep_period[1:] != ep_period[:-1], True]
    ep_end = np.where(last_ep, exit_day[ep_period], ep_end)
    return {
        "period": ep_period,
        "decom": ep_start,
        "dec": ep_end,
        "rne": rne.astype(object),
        "ls": cur_ls[sel].astype(object),
        "place": ep_place,
        "provider": ep_prov,
        "pl_post": pl.pl_post[ep_pl].astype(object),
        "urn": ep_urn,
        "temp": ep_temp,
        "last": last_ep,
    }


def _stage_endings(
    rng: np.random.Generator,
    ep: dict[str, np.ndarray],
    route: np.ndarray,
    exit_day: np.ndarray,
    b18: np.ndarray,
    uasc: np.ndarray,
    dob: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stage 5c: how episodes end: (REC per episode, REASON_PLACE_CHANGE per episode, REC per
    period). X1 inside a period; the period's reason on its last episode; the reason for a
    placement change on the episode that ends with a move."""
    n = len(route)
    ep_period, ep_place, rne, ep_temp, last_ep = ep["period"], ep["place"], ep["rne"], ep["temp"], ep["last"]
    ne = len(ep_period)
    rec = np.full(ne, "X1", dtype=object)
    period_rec = _exit_reasons(rng, route, exit_day, b18, uasc, age_on(dob, exit_day))
    # special guardianship: the code says whether the guardians were the foster carers
    last_place = np.full(n, "", dtype=object)
    last_place[ep_period[last_ep]] = ep_place[last_ep]
    sgo = np.isin(period_rec, ["E43", "E44", "E45", "E46", "E47", "E48"])
    kin_fc = np.isin(last_place, ["U1", "U2", "U3"])
    other_fc = np.isin(last_place, ["U4", "U5", "U6"])
    new_codes = np.isin(period_rec, ["E45", "E46", "E47", "E48"])
    relative = rng.random(n) < 0.8
    code_new = np.where(kin_fc, "E45", np.where(other_fc, "E46", np.where(relative, "E47", "E48")))
    code_old = np.where(kin_fc | other_fc, "E43", "E44")
    period_rec = np.where(sgo, np.where(new_codes, code_new, code_old), period_rec)
    rec[last_ep] = period_rec[ep_period[last_ep]]
    # reason for placement change on the episode that ends with a move to a new carer
    next_rne = np.concatenate([rne[1:], np.array(["S"], dtype=object)])
    moves = ~last_ep & np.isin(next_rne, ["P", "B"]) & ~ep_temp & ~np.r_[ep_temp[1:], False]
    same_carer = ~last_ep & np.isin(next_rne, ["T", "U"]) & ~ep_temp & ~np.r_[ep_temp[1:], False]
    reasons = _pick(rng, P.PLACEMENT_CHANGE_REASONS, ne)
    rpc = np.where(moves, reasons, None).astype(object)
    rpc[same_carer] = "PLACE"
    # planned moves to adopters or parents are care-plan moves
    nxt_place = np.concatenate([ep_place[1:], np.array([""], dtype=object)])
    rpc[moves & np.isin(nxt_place, ["A6", "P1", "U1", "U4"])] = "CARPL"
    # A temporary episode ends by returning to the placement: REASON on the episode before the T
    return rec, rpc, period_rec


def _stage_adoption(
    rng: np.random.Generator,
    e: dict[str, np.ndarray],
    exit_day: np.ndarray,
    ls: _LegalStatus,
    pl: _Placements,
) -> dict[str, np.ndarray]:
    """The adoption tables' dates: decision to place, moving in, match."""
    start = e["start"]
    ad = np.flatnonzero(ls.has_adopt_pl)
    decision = np.where(ls.hear[ad], ls.t_h[ad] - rng.integers(20, 90, len(ad)), start[ad] + 150)
    decision = np.maximum(decision, start[ad] + 14)
    placed = np.where(pl.a_with_carer[ad] | ls.has_adopt_pl[ad], ls.a_start[ad], exit_day[ad] - 90)
    return {
        "period": ad,
        "decision": decision,
        "placed": placed,
        "match": np.maximum(placed - rng.integers(14, 70, len(ad)), decision + 1),
        "with_carer": pl.a_with_carer[ad],
    }


def simulate(council: Council, rng: np.random.Generator, first_year: int, last_year: int) -> Simulation:
    """One council's history from `first_year - 18` (so that the first year's children have
    their pasts) to `last_year`, by the stages of the module's docstring. The stages draw from
    `rng` in this order; the same seed gives the same history."""
    sim_first = first_year - 18
    horizon = year_end(last_year) + 1
    e = _stage_entry(council, rng, sim_first, first_year, last_year)
    start, dob = e["start"], e["dob"]
    b18 = add_years(dob, 18)
    route, exit_day = _stage_route_and_duration(council, rng, e, b18, sim_first, first_year, last_year)
    ls = _stage_legal_status(rng, e, route, exit_day, b18)
    route = ls.route
    pl = _stage_placements(council, rng, e, route, exit_day, ls, horizon)
    events = _stage_events(rng, e, exit_day, ls, pl, horizon)
    ep = _stage_episodes(events, pl, ls.init, exit_day)
    rec, rpc, period_rec = _stage_endings(rng, ep, route, exit_day, b18, e["uasc"], dob)
    episodes = {
        "period": ep["period"],
        "decom": ep["decom"],
        "dec": ep["dec"],
        "rne": ep["rne"],
        "ls": ep["ls"],
        "place": ep["place"],
        "provider": ep["provider"],
        "rec": rec,
        "rpc": rpc,
        "pl_post": ep["pl_post"],
        "urn": ep["urn"],
    }
    periods = {
        "start": start,
        "end": exit_day,
        "dob": dob,
        "route": route,
        "band": e["band"],
        "home_post": pl.home_post,
        "cin": e["cin"],
        "uasc": e["uasc"],
        "ethnic": e["ethnic"],
        "male": e["sex_male"],
        "rec": period_rec,
        "age_start": age_on(dob, start),
    }
    adoption = _stage_adoption(rng, e, exit_day, ls, pl)
    return Simulation(children={}, episodes=episodes, periods=periods, adoption=adoption)


def _exit_reasons(
    rng: np.random.Generator,
    route: np.ndarray,
    exit_day: np.ndarray,
    b18: np.ndarray,
    uasc: np.ndarray,
    age_exit: np.ndarray,
) -> np.ndarray:
    n = len(route)
    R = P.ROUTES
    y, mo, _ = ymd(np.minimum(exit_day, day(2100, 1, 1)))
    year = y + (mo >= 4)
    rec = np.empty(n, dtype=object)
    home = np.where(year >= 2016, np.where(rng.random(n) < 0.72, "E4A", "E4B"), "E4")
    rec[route == R.index("home")] = home[route == R.index("home")]
    rec[route == R.index("parents")] = np.where(year >= 2016, "E4A", "E4")[route == R.index("parents")]
    rec[route == R.index("adoption")] = np.where(rng.random(n) < 0.3, "E11", "E12")[
        route == R.index("adoption")
    ]
    sgo_new = _pick(rng, {"E45": 0.15, "E46": 0.05, "E47": 0.5, "E48": 0.3}, n)
    sgo_old = np.where(rng.random(n) < 0.65, "E43", "E44")
    rec[route == R.index("sgo")] = np.where(year >= 2021, sgo_new, sgo_old)[route == R.index("sgo")]
    rec[route == R.index("cao")] = "E41"
    rec[route == R.index("relatives")] = "E13"
    indep = np.where(rng.random(n) < 0.85, "E5", "E6")
    indep = np.where(age_exit >= 16, indep, "E8")
    rec[route == R.index("indep")] = indep[route == R.index("indep")]
    other = _pick(
        rng,
        {"E8": 0.55, "E3": 0.12, "E7": 0.04, "E9": 0.06, "E14": 0.04, "E16": 0.05, "E13": 0.12, "E2": 0.02},
        n,
    )
    other = np.where((other == "E7") & (age_exit < 16), "E8", other)
    rec[route == R.index("other")] = other[route == R.index("other")]
    at18 = _pick(
        rng, {"E17": 0.28, "E5": 0.30, "E6": 0.04, "E8": 0.22, "E4A": 0.06, "E7": 0.04, "E13": 0.06}, n
    )
    at18 = np.where((at18 == "E17") & (year < 2016), "E5", at18)
    long_ = route == R.index("long")
    rec[long_] = np.where(exit_day[long_] >= b18[long_], at18[long_], "E8")
    return rec
