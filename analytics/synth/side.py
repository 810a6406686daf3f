"""The return's side tables: OC2, Missing, Reviews, PrevPerm and SWEpisodes (issue 8, item 7).

They are drawn from their own random stream (`side_seed`, a child of the council's seed that
the main model never uses), after the periods, placements and episodes are simulated, so that
adding or changing them leaves the Header, Episodes, OC3, AD1, PlacedAdoption and UASC files
byte-identical for the same seed.

- **Reviews** (every year): the first review within 20 working days of the period's start, the
  second within 3 months of the first, then every 6 months (regulation 33 of the Care Planning,
  Placement and Case Review (England) Regulations 2010), a few late (`params.REVIEW_LATE`);
  reviews fall on working days; participation `PN0` under 4, else mostly `PN1`-`PN6`.
- **OC2** (every year): one row for each child of the OC2 cohort (looked after on 31 March,
  the current period begun on or before 1 April a year earlier): health assessment, dental
  check, immunisations, development assessment (under 5s), convictions (10 and over), substance
  misuse and intervention, SDQ score (ages 4-17 as DfE's rules 157, 186, 188, 189 and 197B
  require) near England's published figures. A child's items are correlated from year to year.
- **Missing** (from 2014-15): incidents of children prone to going missing (`M`) or being
  away without authorisation (`A`), rising with age; no incident overlaps another; an incident
  open on 31 March has a blank MIS_END in that year's file and is reported again, with its
  end, in the next year's. An incident open on 31 March lies within the episode open then (an
  incident crossing an episode's end is closed by 31 March: DfE rule 575).
- **PrevPerm** (from 2013-14): a row for every child starting to be looked after in the year
  (DfE rule 630): mostly `Z1`; a few after adoption, special guardianship or a child
  arrangements or residence order (residence orders only before 22 April 2014), with the
  order's date and the council that made it.
- **SWEpisodes** (from 2023-24): a social worker allocated from the period's start (SW_REASON
  `FCONTA`), changes at `params.SW_CHANGE_RATE` a year to a different worker of the council's
  pool, each episode ending the day the next begins and the last at the period's end.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

from analytics.synth import params as P
from analytics.synth.model import NEVER, Simulation, add_years, age_on, day, year_end, year_start, ymd

SIDE_STREAM_KEY = 903  # the spawn-key element of the side tables' stream
_YEAR_STREAM = 1
_HISTORY_STREAM = 0


def side_seed(seed: np.random.SeedSequence) -> np.random.SeedSequence:
    """A child of `seed` that the model does not draw from (independent of `spawn` calls)."""
    return np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, SIDE_STREAM_KEY))


def _stream(seed: np.random.SeedSequence, *key: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, *key)))


def _by_year(table: dict[int, float], year: int) -> float:
    years = sorted(table)
    return float(np.interp(year, years, [table[y] for y in years]))


def _pick(rng: np.random.Generator, codes: dict[str, float], n: int) -> np.ndarray:
    keys = np.array(list(codes), dtype=object)
    p = np.array(list(codes.values()), dtype=float)
    return keys[rng.choice(len(keys), n, p=p / p.sum())]


def _clipped_mean_centre(target: float, sd: float) -> float:
    """The centre of a normal whose values clipped at 0 average `target` (SDQ scores)."""
    nd = NormalDist()
    lo, hi = target - sd, target
    for _ in range(40):
        mu = (lo + hi) / 2
        z = mu / sd
        mean = mu * nd.cdf(z) + sd * nd.pdf(z)  # E[max(X, 0)]
        lo, hi = (mu, hi) if mean < target else (lo, mu)
    return (lo + hi) / 2


def working_day_on_or_before(days: np.ndarray) -> np.ndarray:
    """Saturday and Sunday moved back to the Friday (1 January 1970 was a Thursday)."""
    days = np.asarray(days, dtype=np.int64)
    weekday = (days + 3) % 7  # Monday 0
    return days - np.where(weekday == 5, 1, np.where(weekday == 6, 2, 0))


def _group_starts(keys: np.ndarray) -> np.ndarray:
    return np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.zeros(0, bool)


class SideTables:
    """The side tables' whole history for one council; `year(Y)` gives year Y's rows."""

    def __init__(
        self,
        sim: Simulation,
        seed: np.random.SeedSequence,
        la_number: int,
        last_year: int,
    ):
        self.sim = sim
        self.seed = seed
        self.la_number = la_number
        p = sim.periods
        self.n = len(p["start"])
        self.start = p["start"]
        self.end = p["end"]
        self.dob = p["dob"]
        self.horizon = year_end(last_year) + 1
        self.stop = np.minimum(self.end, self.horizon)  # the simulated part of each period
        rng = _stream(seed, _HISTORY_STREAM)
        n = self.n
        self.z_health = rng.standard_normal(n)  # a child's tendency to be seen by health services
        self.z_sdq = rng.standard_normal(n)
        self._reviews(rng)
        self._missing(rng)
        self._prev_perm(rng)
        self._social_workers(rng)

    # ---------------------------------------------------------------- reviews
    def _reviews(self, rng: np.random.Generator) -> None:
        per, dates = [], []
        last = self.start.copy()
        active = np.arange(self.n)
        k = 0
        while len(active):
            m = len(active)
            stage = min(k, 2)
            lo, hi, late_lo, late_hi = P.REVIEW_GAPS[stage]
            late = rng.random(m) < P.REVIEW_LATE[stage]
            gap = np.where(late, rng.integers(late_lo, late_hi + 1, m), rng.integers(lo, hi + 1, m))
            r = working_day_on_or_before(last[active] + gap)
            held = r < self.stop[active]
            per.append(active[held])
            dates.append(r[held])
            last[active] = r
            active = active[held]
            k += 1
        rev_p = np.concatenate(per)
        rev_d = np.concatenate(dates)
        o = np.lexsort((rev_d, rev_p))
        self.rev_period, self.rev_date = rev_p[o], rev_d[o]
        age = age_on(self.dob[self.rev_period], self.rev_date)
        nr = len(rev_p)
        young = _pick(rng, P.REVIEW_PARTICIPATION[0], nr)
        older = _pick(rng, P.REVIEW_PARTICIPATION[1], nr)
        self.rev_code = np.where(age < 4, "PN0", np.where(age < 10, young, older)).astype(object)

    # ---------------------------------------------------------------- missing
    def _missing(self, rng: np.random.Generator) -> None:
        n = self.n
        parts = []
        for kind, spec in P.MISSING.items():
            prone = rng.random(n) < spec["prone"]
            lam = rng.gamma(spec["shape"], spec["rate"] / spec["shape"], n) * prone
            for age, weight in P.MISSING_AGE_WEIGHT.items():
                lo = np.maximum(self.start, add_years(self.dob, age))
                hi = np.minimum(self.stop, add_years(self.dob, age + 1))
                length = np.maximum(hi - lo, 0)
                count = rng.poisson(lam * weight * length / 365.25)
                who = np.repeat(np.arange(n), count)
                s = lo[who] + np.floor(rng.random(len(who)) * length[who]).astype(np.int64)
                parts.append((who, s, np.full(len(who), kind, dtype=object)))
        who = np.concatenate([p[0] for p in parts])
        s = np.concatenate([p[1] for p in parts])
        kind = np.concatenate([p[2] for p in parts])
        bands = P.MISSING_DAYS
        b = rng.choice(len(bands), len(who), p=np.array([w for _, _, w in bands]) / sum(w for *_, w in bands))
        lo_d = np.array([lo for lo, _, _ in bands])[b]
        hi_d = np.array([hi for _, hi, _ in bands])[b]
        dur = lo_d + np.floor(rng.random(len(who)) * (hi_d - lo_d + 1)).astype(np.int64)
        # back by the day before care ends (missing as care ends at 18 means REC E8: DfE rule 580)
        e = np.minimum(s + dur, self.end[who] - 1)
        o = np.lexsort((e, s, who))
        who, s, e, kind = who[o], s[o], e[o], kind[o]
        # no incident overlaps another: keep one only if it starts after every earlier one ended
        key = who.astype(np.int64) * 10**7 + e
        prev_max = np.r_[-1, np.maximum.accumulate(key)[:-1]] - who.astype(np.int64) * 10**7
        keep = _group_starts(who) | (s > prev_max)
        who, s, e, kind = who[keep], s[keep], e[keep], kind[keep]
        # open on the 31 March after it began: within the episode open then (DfE rule 575)
        y, mo, _ = ymd(s)
        ye = np.array([year_end(int(v)) for v in y + (mo >= 4)], dtype=np.int64) if len(s) else s
        ep = self.sim.episodes
        ep_key = ep["period"].astype(np.int64) * 10**7 + ep["decom"]
        base = who.astype(np.int64) * 10**7
        crossing = np.searchsorted(ep_key, base + ye, side="right") - np.searchsorted(
            ep_key, base + s, side="left"
        )
        e = np.where((e > ye) & (crossing > 0), ye, e)
        self.mis_period, self.mis_start, self.mis_end, self.mis_kind = who, s, e, kind

    # ---------------------------------------------------------------- previous permanence
    def _prev_perm(self, rng: np.random.Generator) -> None:
        n = self.n
        codes = _pick(rng, {**P.PREV_PERM, "Z1": 1 - sum(P.PREV_PERM.values())}, n)
        age_days = self.start - self.dob
        codes = np.where(age_days < 365, "Z1", codes)
        # the order: from 6 months old (adoption up to age 8) to two months before this period
        first = self.dob + 183
        last = np.where(codes == "P1", np.minimum(self.start - 60, self.dob + 8 * 365), self.start - 60)
        when = first + np.floor(rng.random(n) * np.maximum(last - first, 1)).astype(np.int64)
        ro_end = day(*P.RESIDENCE_ORDERS_END)
        codes = np.where((codes == "P4") & (when >= ro_end), "P3", codes)
        codes = np.where((codes == "P3") & (when < ro_end) & (rng.random(n) < 0.8), "P4", codes)
        own = str(self.la_number) if str(self.la_number) in P.NORTH_EAST_LA_NUMBERS else None
        others = np.array(
            [c for c in P.NORTH_EAST_LA_NUMBERS if c != own] + list(P.PERM_ELSEWHERE), dtype=object
        )
        la = others[rng.integers(0, len(others), n)]
        if own is not None:
            la = np.where(rng.random(n) < P.PERM_OWN_COUNCIL, own, la)
        has = codes != "Z1"
        self.perm_code = codes.astype(object)
        self.perm_date = np.where(has, when, NEVER)
        self.perm_la = np.where(has, la, None)

    # ---------------------------------------------------------------- social workers
    def _social_workers(self, rng: np.random.Generator) -> None:
        n = self.n
        per, starts = [np.arange(n)], [self.start.copy()]
        t = self.start.copy()
        active = np.arange(n)
        while len(active):
            gap = np.maximum(np.floor(rng.exponential(365.25 / P.SW_CHANGE_RATE, len(active))), 1)
            t[active] = t[active] + gap.astype(np.int64)
            go = t[active] < self.stop[active]
            active = active[go]
            per.append(active)
            starts.append(t[active])
        sw_p = np.concatenate(per)
        sw_s = np.concatenate(starts)
        o = np.lexsort((sw_s, sw_p))
        sw_p, sw_s = sw_p[o], sw_s[o]
        first = _group_starts(sw_p)
        last = np.r_[sw_p[1:] != sw_p[:-1], True] if len(sw_p) else first
        sw_e = np.where(last, self.end[sw_p], np.r_[sw_s[1:], 0])
        # a pool of workers sized to the council (its average number looked after / caseload)
        span = max(int(self.horizon - self.start.min()), 1) if n else 1
        looked_after = float(np.maximum(self.stop - self.start, 0).sum()) / span
        pool = max(int(looked_after / P.SW_CASELOAD) + 2, 4)
        draw = rng.integers(0, pool, len(sw_p))
        step = 1 + rng.integers(0, pool - 1, len(sw_p))
        # first allocation: any worker; each change: a different one (the previous + a step of
        # 1 to pool - 1, modulo the pool), i.e. (the first draw + the steps since) mod pool
        grp = np.cumsum(first) - 1
        offs = np.where(first, draw, step)
        csum = np.cumsum(offs)
        heads = np.flatnonzero(first)
        ids = (csum - (csum[heads] - offs[heads])[grp]) % pool
        self.sw_period, self.sw_start, self.sw_end = sw_p, sw_s, sw_e
        self.sw_id = np.char.add("SW", np.char.zfill((100_000 + 37 * ids).astype(str), 6)).astype(object)
        reasons = _pick(rng, P.SW_REASONS, len(sw_p))
        self.sw_reason = np.where(first, "FCONTA", reasons).astype(object)

    # ---------------------------------------------------------------- OC2
    def _oc2(self, year: int) -> dict[str, np.ndarray]:
        ys, ye = year_start(year), year_end(year)
        who = np.flatnonzero((self.start <= ys) & (self.end > ye))
        m = len(who)
        rng = _stream(self.seed, _YEAR_STREAM, year)
        age = age_on(self.dob[who], np.full(m, ye))
        rho = P.OC2_CHILD_CORRELATION
        inv = NormalDist().inv_cdf

        def item(share: float) -> np.ndarray:
            z = np.sqrt(rho) * self.z_health[who] + np.sqrt(1 - rho) * rng.standard_normal(m)
            return np.where(z < inv(min(max(share, 1e-6), 1 - 1e-6)), "1", "0").astype(object)

        def by_age(name: str, among: np.ndarray) -> np.ndarray:
            w = np.array(P.OC2_AGE_WEIGHT[name])[np.minimum(age, len(P.OC2_AGE_WEIGHT[name]) - 1)]
            mean = w[among].mean() if among.any() else 1.0
            return np.clip(_by_year(P.OC2_RATES[name], year) * w / mean, 0, 0.95)

        rates = {k: _by_year(v, year) for k, v in P.OC2_RATES.items()}
        health = item(rates["HEALTH_ASSESSMENT"])
        teeth = item(rates["TEETH_CHECK"])
        immun = item(rates["IMMUNISATIONS"])
        dev = item(rates["HEALTH_CHECK"])
        u = rng.random((4, m))
        older = age >= 10
        convicted = np.where(u[0] < by_age("CONVICTED", older), "1", "0").astype(object)
        misuse = np.where(u[1] < by_age("SUBSTANCE_MISUSE", np.ones(m, bool)), "1", "0").astype(object)
        received = np.where(u[2] < rates["INTERVENTION_RECEIVED"], "1", "0").astype(object)
        offered = np.where(u[3] < rates["INTERVENTION_OFFERED"], "1", "0").astype(object)
        # DfE's age rules: development assessment under 5 at 31 March; convictions 10 and over
        dob = self.dob[who]
        under5 = add_years(dob, 5) > ye
        dev = np.where(under5, dev, None)
        convicted = np.where(add_years(dob, 10) < ye, convicted, None)
        user = misuse == "1"
        received = np.where(user, received, None)
        offered = np.where(user & (received == "0"), offered, None)
        # SDQ: no score nor reason under 4 on 31 March or 17 before 1 April; a score or a reason
        # otherwise (SDQ1, "under 4 or over 16", only for those turning 4 or 17 in the year)
        b4, b16, b17 = add_years(dob, 4), add_years(dob, 16), add_years(dob, 17)
        asked = (b4 <= ye) & (b17 >= ys)
        edge = asked & ((b4 > ys) | (b16 < ye))
        mean = _clipped_mean_centre(_by_year(P.SDQ_MEAN, year), P.SDQ_SD)
        z = np.sqrt(0.6) * self.z_sdq[who] + np.sqrt(0.4) * rng.standard_normal(m)
        score = np.clip(np.round(mean + P.SDQ_SD * z), 0, 40).astype(int)
        given = rng.random(m) < np.where(edge, 0.5, rates["SDQ_GIVEN"])
        no_reason = _pick(rng, P.SDQ_NO_SCORE_REASONS, m)
        sdq_score = np.where(asked & given, score.astype(str).astype(object), None)
        sdq_reason = np.where(asked & ~given, np.where(edge, "SDQ1", no_reason), None)
        return {
            "who": who,
            "SDQ_SCORE": sdq_score,
            "SDQ_REASON": sdq_reason,
            "CONVICTED": convicted,
            "HEALTH_CHECK": dev,
            "IMMUNISATIONS": immun,
            "TEETH_CHECK": teeth,
            "HEALTH_ASSESSMENT": health,
            "SUBSTANCE_MISUSE": misuse,
            "INTERVENTION_RECEIVED": received,
            "INTERVENTION_OFFERED": offered,
        }

    # ---------------------------------------------------------------- one year
    def year(self, year: int, fmt) -> dict[str, dict[str, np.ndarray]]:
        """Year `year`'s rows of each side table it has, with `who` (the period of each row);
        `fmt` formats day numbers as dd/mm/yyyy."""
        ys, ye = year_start(year), year_end(year)
        out: dict[str, dict[str, np.ndarray]] = {"OC2": self._oc2(year)}
        r = np.flatnonzero((self.rev_date >= ys) & (self.rev_date <= ye))
        out["Reviews"] = {
            "who": self.rev_period[r],
            "REVIEW": fmt(self.rev_date[r]),
            "REVIEW_CODE": self.rev_code[r],
        }
        if year >= P.TABLE_FROM["Missing"]:
            i = np.flatnonzero((self.mis_start <= ye) & (self.mis_end >= ys))
            end = self.mis_end[i]
            out["Missing"] = {
                "who": self.mis_period[i],
                "MISSING": self.mis_kind[i],
                "MIS_START": fmt(self.mis_start[i]),
                "MIS_END": np.where(end > ye, "", fmt(end)),
            }
        if year >= P.TABLE_FROM["PrevPerm"]:
            s = np.flatnonzero((self.start >= ys) & (self.start <= ye))
            out["PrevPerm"] = {
                "who": s,
                "PREV_PERM": self.perm_code[s],
                "LA_PERM": self.perm_la[s],
                "DATE_PERM": fmt(self.perm_date[s]),
            }
        if year >= P.TABLE_FROM["SWEpisodes"]:
            w = np.flatnonzero((self.sw_start <= ye) & (self.sw_end >= ys))
            end = self.sw_end[w]
            out["SWEpisodes"] = {
                "who": self.sw_period[w],
                "SW_ID": self.sw_id[w],
                "SW_DECOM": fmt(self.sw_start[w]),
                "SW_DEC": np.where(end > ye, "", fmt(end)),
                "SW_REASON": self.sw_reason[w],
            }
        return out
