"""A stock-and-flow projection of children looked after on each future 31 March.

The state of a child on 31 March is their age (0 to 17), placement group (with the provider:
in-house or purchased) and time in care (under 1 year, 1 year, 2 years or more). The model is
learnt from the children looked after on consecutive 31 Marches of the loaded history:

- *transitions*: of the children in a state one 31 March, the share still looked after a year on,
  and the placement group they are then in, by age band, placement group and time in care; those
  who left, by whether they left to permanence (adoption, special guardianship, child
  arrangements order) or otherwise;
- *arrivals*: children looked after on a 31 March who were not a year before, by postcode district
  and age band (the mean of the last `ARRIVAL_YEARS` years; per 10,000 children of that district
  and band when a population table is loaded, applied to its latest population), placed by the
  profile of single years of age and placement groups seen in their band.

A year of projection moves every child on one year of age (at 18 they leave care), through the
transitions, and adds the arrivals. A scenario's placement shift places a share of the source
group's children at the origin, of the arrivals placed in it and of the children moving into it
from another group in the target group instead; from then on they follow the target's rates. The band of uncertainty is the 10th to 90th percentile of
`DRAWS` projections, each with rates drawn from their sampling distribution (Beta for leaving,
Dirichlet for the next placement, Gamma for the arrivals' mean) and arrivals drawn as Poisson.

Projections are expected numbers of children (fractional), not counts of real children.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from analytics import codes, measures
from analytics.filters import AGE_BANDS, FilterError, Filters

GROUPS = (
    "Foster: in-house",
    "Foster: purchased",
    "Residential: in-house",
    "Residential: purchased",
    "Placed for adoption",
    "Placed with parents",
    "Independent living",
    "Other",
)
FOSTER = set(codes.FOSTER_PLACES)
RESIDENTIAL = set(
    codes.PLACEMENT_GROUPS["Children's homes and secure homes"]
    + codes.PLACEMENT_GROUPS["Other residential settings"]
    + codes.PLACEMENT_GROUPS["Residential schools"]
)
PERMANENCE = ("Adopted", "Special guardianship order", "Child arrangements order")
AGES = np.arange(18)
BAND_OF_AGE = np.array([0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4])
TIME_IN_CARE = ("Under 1 year", "1 year", "2 years or more")
ARRIVAL_YEARS = 3
DRAWS = 200
PRIOR = 2.0  # pseudo-children pulling a sparse cell's rates towards its age band's
SQL = (Path(__file__).parent / "history.sql").read_text()


def group_of(place: str | None, provider: str | None) -> str:
    purchased = provider in codes.PURCHASED_PROVIDERS
    if place in FOSTER:
        return GROUPS[1] if purchased else GROUPS[0]
    if place in RESIDENTIAL:
        return GROUPS[3] if purchased else GROUPS[2]
    if place in codes.ADOPTION_PLACES:
        return GROUPS[4]
    if place == "P1":
        return GROUPS[5]
    if place in codes.PLACEMENT_GROUPS["Independent and semi-independent living"]:
        return GROUPS[6]
    return GROUPS[7]


@dataclass
class History:
    """Children looked after on each loaded 31 March (one row each), and the population."""

    stock: pd.DataFrame  # year, child_key, age, group, district, tic, left_to_permanence
    population: pd.DataFrame  # year, district, band, children (may be empty)
    districts: tuple[str, ...]

    @property
    def years(self) -> list[int]:
        return sorted(self.stock["year"].unique().tolist())


def load_history(con: duckdb.DuckDBPyConnection, f: Filters) -> History:
    """The stock on every 31 March loaded, in the area of the filters (district, locality,
    council). Age-band and sex filters do not apply: children age across the bands."""
    years = [int(r[0]) for r in con.execute("SELECT DISTINCT year FROM episodes ORDER BY 1").fetchall()]
    params = measures._params(
        con, Filters(years[-1], council=f.council, districts=f.districts, localities=f.localities), years
    )
    params["ends"] = [date(y, 3, 31) for y in years]
    keep = {k: params[k] for k in ("years", "ends", "council", "area_on", "area")}
    measures.make_blocks(con, measures.blocks_in(SQL), keep["years"], keep["ends"], keep["council"])
    df = con.execute(SQL, keep).df()
    if df.empty:
        raise FilterError("no child was looked after on any 31 March in this area: nothing to project from")
    df["group"] = [group_of(p, v) for p, v in zip(df["place"], df["provider"])]
    care_years = (
        pd.to_datetime(df["year"].astype(str) + "-03-31") - pd.to_datetime(df["care_start"])
    ).dt.days
    df["tic"] = np.minimum(care_years // 365, 2).astype(int)
    df["left_to_permanence"] = df["end_reason_group"].isin(PERMANENCE)
    df["end_date"] = pd.to_datetime(df["end_date"])
    stock = df[["year", "child_key", "age", "group", "district", "tic", "left_to_permanence", "end_date"]]
    pop = con.execute(
        """SELECT year, district, age_band, sum(children) AS children FROM population
           WHERE ($council IS NULL OR la_code = $council) AND (NOT $area_on OR list_contains($area, district))
           GROUP BY ALL""",
        {k: params[k] for k in ("council", "area_on", "area")},
    ).df()
    pop["band"] = pop["age_band"].map({b: i for i, b in enumerate(AGE_BANDS)})
    districts = tuple(sorted(stock["district"].unique()))
    return History(stock.reset_index(drop=True), pop[["year", "district", "band", "children"]], districts)


@dataclass(frozen=True)
class Shift:
    """Place a share (0 to 1) of the children in one placement group in another instead: those
    there at the origin, the arrivals and the moves into it (see `project`)."""

    source: str
    target: str
    share: float


@dataclass(frozen=True)
class Scenario:
    """A named what-if: starts changed by a percentage (in some districts and age bands, or all),
    placements shifted between groups, the rate of leaving to permanence changed by a percentage."""

    name: str = "Baseline"
    starts_change: float = 0.0  # percent
    districts: tuple[str, ...] = ()  # empty: every district
    age_bands: tuple[str, ...] = ()  # empty: every band
    shifts: tuple[Shift, ...] = ()
    permanence_change: float = 0.0  # percent

    def __post_init__(self) -> None:
        object.__setattr__(self, "districts", tuple(sorted({d.strip().upper() for d in self.districts})))
        object.__setattr__(
            self, "shifts", tuple(s if isinstance(s, Shift) else Shift(**s) for s in self.shifts)
        )
        bad = set(self.age_bands) - set(AGE_BANDS)
        if bad:
            raise FilterError(f"unknown age band {sorted(bad)}; use one of {list(AGE_BANDS)}")
        for s in self.shifts:
            if s.source not in GROUPS or s.target not in GROUPS:
                raise FilterError(f"a shift names an unknown placement group; use one of {list(GROUPS)}")
            if not 0 <= s.share <= 1:
                raise FilterError("a shift's share must be between 0 and 1")
        if self.starts_change < -100 or self.permanence_change < -100:
            raise FilterError("a change cannot be below -100%")

    @property
    def is_baseline(self) -> bool:
        return not (self.starts_change or self.shifts or self.permanence_change)

    def to_json(self) -> dict:
        out = asdict(self)
        out["districts"], out["age_bands"] = list(self.districts), list(self.age_bands)
        out["shifts"] = [asdict(s) for s in self.shifts]
        return out

    @classmethod
    def from_json(cls, data: dict) -> Scenario:
        known = {"name", "starts_change", "districts", "age_bands", "shifts", "permanence_change"}
        unknown = set(data) - known
        if unknown:
            raise FilterError(f"the scenario has unknown fields {sorted(unknown)}; use {sorted(known)}")
        return cls(
            **{
                **data,
                "districts": tuple(data.get("districts", ())),
                "age_bands": tuple(data.get("age_bands", ())),
                "shifts": tuple(data.get("shifts", ())),
            }
        )


def read_scenario(label: str, text: str) -> Scenario:
    """A scenario saved as JSON (`Scenario.to_json`); a clear error naming `label` otherwise."""
    try:
        return Scenario.from_json(json.loads(text))
    except FilterError as exc:
        raise FilterError(f"{label}: {exc}") from None
    except (ValueError, TypeError) as exc:
        raise FilterError(f"{label}: not a scenario file ({exc})") from None


@dataclass
class Model:
    """The rates learnt from the history up to `origin`, and the stock on that 31 March."""

    origin: int
    leave: np.ndarray  # [band, group, tic]: children in the state, those who left (two columns)
    permanence: np.ndarray  # [band, group]: of those who left, left to permanence / all who left
    moves: np.ndarray  # [band, group, group']: children staying, by next placement group
    arrivals: np.ndarray  # [district, band]: arrivals per year (mean of the last years)
    arrival_years: int
    profile: np.ndarray  # [age, group]: share of a band's arrivals at each age and group
    start: np.ndarray  # [age, group, tic]: children on 31 March of the origin year
    districts: tuple[str, ...]
    pop_growth: np.ndarray = field(default_factory=lambda: np.ones(0))  # [district, band] or empty


def _state_index(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    g = df["group"].map({name: i for i, name in enumerate(GROUPS)}).to_numpy(dtype=int)
    return df["age"].to_numpy(dtype=int), g, df["tic"].to_numpy(dtype=int)


def fit(history: History, origin: int | None = None) -> Model:
    """Learn the rates from the years of the history up to and including `origin` (default: the last)."""
    years = [y for y in history.years if origin is None or y <= origin]
    if len(years) < 2:
        raise FilterError("the model needs at least two loaded years (31 March to 31 March) up to the origin")
    origin = years[-1]
    s = history.stock
    nb, ng = len(AGE_BANDS), len(GROUPS)
    leave = np.zeros((nb, ng, 3, 2))
    permanence = np.zeros((nb, ng, 2))
    moves = np.zeros((nb, ng, ng))
    districts = history.districts
    arrivals_by_year = []
    profile = np.zeros((18, ng))
    for y in years[1:]:
        before, after = s[s["year"] == y - 1], s[s["year"] == y]
        merged = before.merge(
            after[["child_key", "group"]], on="child_key", how="left", suffixes=("", "_next")
        )
        merged = merged[merged["age"] < 17]  # at 17 a child is 18 a year on: out of care
        a, g, t = _state_index(merged)
        stayed = merged["group_next"].notna().to_numpy()
        np.add.at(leave, (BAND_OF_AGE[a], g, t, 0), 1)
        np.add.at(leave, (BAND_OF_AGE[a], g, t, 1), ~stayed)
        perm = merged["left_to_permanence"].to_numpy() & ~stayed
        np.add.at(permanence, (BAND_OF_AGE[a][~stayed], g[~stayed], 0), perm[~stayed])
        np.add.at(permanence, (BAND_OF_AGE[a][~stayed], g[~stayed], 1), 1)
        nxt = (
            merged.loc[stayed, "group_next"]
            .map({name: i for i, name in enumerate(GROUPS)})
            .to_numpy(dtype=int)
        )
        np.add.at(moves, (BAND_OF_AGE[a][stayed], g[stayed], nxt), 1)
        new = after[~after["child_key"].isin(before["child_key"])]
        counts = np.zeros((len(districts), nb))
        di = new["district"].map({d: i for i, d in enumerate(districts)}).to_numpy(dtype=int)
        np.add.at(counts, (di, BAND_OF_AGE[new["age"].to_numpy(dtype=int)]), 1)
        arrivals_by_year.append((y, counts))
        na, ngr, _ = _state_index(new)
        np.add.at(profile, (na, ngr), 1)
    recent = arrivals_by_year[-ARRIVAL_YEARS:]
    arrivals = np.mean([c for _, c in recent], axis=0)
    growth = _population_growth(history, [y for y, _ in recent], origin, districts)
    band_totals = np.array([profile[b == BAND_OF_AGE].sum() for b in range(nb)])
    profile = profile / np.maximum(band_totals[BAND_OF_AGE][:, None], 1)
    start = np.zeros((18, ng, 3))
    a, g, t = _state_index(s[s["year"] == origin])
    np.add.at(start, (a, g, t), 1)
    return Model(origin, leave, permanence, moves, arrivals, len(recent), profile, start, districts, growth)


def _population_growth(history: History, years: list[int], origin: int, districts) -> np.ndarray:
    """Latest population over the mean population of the arrival years, by district and band:
    arrivals at a constant rate per 10,000 children. Empty when no population is loaded."""
    pop = history.population
    if pop.empty:
        return np.ones(0)

    def table(ys):
        sub = pop[pop["year"].isin(ys)]
        out = np.zeros((len(districts), len(AGE_BANDS)))
        for d, b, n in zip(sub["district"], sub["band"], sub["children"]):
            if d in districts:
                out[districts.index(d), int(b)] += n / len(ys)
        return out

    latest = max(y for y in pop["year"].unique() if y <= origin) if (pop["year"] <= origin).any() else None
    if latest is None:
        return np.ones(0)
    then, now = table(years), table([latest])
    return np.where(then > 0, now / np.where(then > 0, then, 1), 1.0)


@dataclass
class Projection:
    """Expected children on 31 March of each year ahead: draws x years x age x group."""

    years: list[int]
    draws: np.ndarray  # [draw, year, age, group]
    central: np.ndarray  # [year, age, group]: with the rates as estimated (no sampling)
    leavers_18: np.ndarray  # [year, group]: expected to turn 18 in care during the year

    def totals(self) -> pd.DataFrame:
        d = self.draws.sum(axis=(2, 3))
        return pd.DataFrame(
            {
                "year": self.years,
                "children": self.central.sum(axis=(1, 2)),
                "low": np.percentile(d, 10, axis=0),
                "high": np.percentile(d, 90, axis=0),
            }
        )

    def by_age_band(self) -> pd.DataFrame:
        by_age = self.central.sum(axis=2)
        return pd.DataFrame(
            {band: by_age[:, b == BAND_OF_AGE].sum(axis=1) for b, band in enumerate(AGE_BANDS)},
            index=self.years,
        )

    def by_group(self) -> pd.DataFrame:
        return pd.DataFrame(self.central.sum(axis=1), index=self.years, columns=list(GROUPS))


def project(
    model: Model, horizon: int, scenario: Scenario | None = None, draws: int = DRAWS, seed: int = 11
) -> Projection:
    """Children looked after on 31 March of the `horizon` years after the origin."""
    if not 1 <= horizon <= 10:
        raise FilterError("the horizon must be 1 to 10 years")
    scenario = scenario or Scenario()
    rng = np.random.default_rng(seed)
    ng = len(GROUPS)
    # leaving: the cell's count pulled towards its band's rate by PRIOR pseudo-children
    band_rate = (model.leave[..., 1].sum(axis=(1, 2)) + 0.5) / (model.leave[..., 0].sum(axis=(1, 2)) + 1)
    alpha = model.leave[..., 1] + PRIOR * band_rate[:, None, None]
    beta = model.leave[..., 0] - model.leave[..., 1] + PRIOR * (1 - band_rate[:, None, None])
    perm_band = (model.permanence[..., 0].sum(axis=1) + 0.5) / (model.permanence[..., 1].sum(axis=1) + 1)
    pa = model.permanence[..., 0] + PRIOR * perm_band[:, None]
    pb = model.permanence[..., 1] - model.permanence[..., 0] + PRIOR * (1 - perm_band[:, None])
    stay_same = np.eye(ng)[None, :, :] * PRIOR + model.moves  # a sparse row mostly stays put
    arrivals = _arrivals(model, scenario)  # [district, band], per year
    profile = _shifted(model.profile, scenario.shifts)  # where the arrivals are placed
    n_years = model.arrival_years
    sims = [(None, None, None, None, None)] + [
        (
            rng.beta(alpha, beta),
            rng.beta(pa, pb),
            np.apply_along_axis(rng.dirichlet, 2, stay_same),
            rng.gamma(arrivals * n_years + 0.01, 1 / n_years),
            rng,
        )
        for _ in range(draws)
    ]
    out = np.zeros((draws + 1, horizon, 18, ng))
    leavers_18 = np.zeros((horizon, ng))
    for i, (p_leave, p_perm, p_move, arr, r) in enumerate(sims):
        if p_leave is None:  # the central projection: the rates as estimated
            p_leave, p_perm = alpha / (alpha + beta), pa / (pa + pb)
            p_move = stay_same / stay_same.sum(axis=2, keepdims=True)
            arr = arrivals
        p_leave = _permanence_change(p_leave, p_perm, scenario.permanence_change)
        p_move = _rerouted_moves(p_move, scenario.shifts)
        n = _shifted(model.start, scenario.shifts)
        for k in range(horizon):
            if i == 0:
                leavers_18[k] = n[17].sum(axis=1)
            stay = n[:17] * (1 - p_leave[BAND_OF_AGE[:17]])  # [age, group, tic]
            moved = np.einsum("agt,agh->aht", stay, p_move[BAND_OF_AGE[:17]])
            nxt = np.zeros_like(n)
            nxt[1:, :, 1] += moved[:, :, 0]
            nxt[1:, :, 2] += moved[:, :, 1] + moved[:, :, 2]
            band_arrivals = arr.sum(axis=0)
            new = band_arrivals[BAND_OF_AGE][:, None] * profile
            if r is not None:
                new = r.poisson(new)
            nxt[:, :, 0] += new
            n = nxt
            out[i, k] = n.sum(axis=2)
    years = [model.origin + k for k in range(1, horizon + 1)]
    return Projection(years, out[1:], out[0], leavers_18)


def _arrivals(model: Model, scenario: Scenario) -> np.ndarray:
    arr = model.arrivals * (model.pop_growth if model.pop_growth.size else 1.0)
    if scenario.starts_change:
        rows = [i for i, d in enumerate(model.districts) if not scenario.districts or d in scenario.districts]
        cols = [b for b, band in enumerate(AGE_BANDS) if not scenario.age_bands or band in scenario.age_bands]
        arr = arr.copy()
        arr[np.ix_(rows, cols)] *= 1 + scenario.starts_change / 100
    return arr


def _permanence_change(p_leave: np.ndarray, p_perm: np.ndarray, pct: float) -> np.ndarray:
    """Leaving rates with the part to permanence changed by `pct` percent (capped at 1)."""
    if not pct:
        return p_leave
    return np.minimum(p_leave + p_leave * p_perm[..., None] * pct / 100, 1.0)


def _shifted(children: np.ndarray, shifts: tuple[Shift, ...]) -> np.ndarray:
    """[age, group, ...] with each shift's share of the source group placed in the target instead."""
    out = children.copy()
    for s in shifts:
        i, j = GROUPS.index(s.source), GROUPS.index(s.target)
        moved = out[:, i] * s.share
        out[:, i] -= moved
        out[:, j] += moved
    return out


def _rerouted_moves(p_move: np.ndarray, shifts: tuple[Shift, ...]) -> np.ndarray:
    """[band, group, next group]: each shift's share of the moves *into* its source group (from
    another group) made to the target instead; children staying in the source group stay."""
    out = p_move.copy()
    for s in shifts:
        i, j = GROUPS.index(s.source), GROUPS.index(s.target)
        moved = out[:, :, i] * s.share
        moved[:, i] = 0
        out[:, :, i] -= moved
        out[:, :, j] += moved
    return out


def actual_by_band(history: History, years: list[int]) -> pd.DataFrame:
    """Children looked after on 31 March of these years, by age band (real counts)."""
    s = history.stock[history.stock["year"].isin(years)].copy()
    s["band"] = [AGE_BANDS[BAND_OF_AGE[a]] for a in s["age"]]
    table = s.pivot_table(index="year", columns="band", values="child_key", aggfunc="count", fill_value=0)
    return table.reindex(index=years, columns=list(AGE_BANDS), fill_value=0)


def backtest(history: History, origin: int, horizon: int) -> dict:
    """Fit on the years up to `origin`, project `horizon` years and set the projection beside
    the children actually looked after. MAPE: the mean absolute percentage error of the totals."""
    if origin not in history.years:
        raise FilterError(
            f"the origin {origin} is not a loaded year ({history.years[0]} to {history.years[-1]})"
        )
    years = [y for y in range(origin + 1, origin + horizon + 1) if y in history.years]
    if not years:
        raise FilterError(f"no loaded year after the origin {origin} to test the projection against")
    proj = project(fit(history, origin), len(years), draws=0)
    actual = actual_by_band(history, years)
    projected = proj.by_age_band()
    totals = actual.sum(axis=1)
    errors = (projected.sum(axis=1) - totals).abs() / totals
    return {
        "origin": origin,
        "years": years,
        "actual": actual,
        "projected": projected,
        "mape": float(errors.mean() * 100),
    }
