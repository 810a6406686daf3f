"""One SSDA903 return per collection year, as councils export them (ssda903.md).

`DIR/<year>/Header.csv, Episodes.csv, OC3.csv, AD1.csv, PlacedAdoption.csv, UASC.csv`, and the
side tables `OC2.csv, Reviews.csv` (every year), `PrevPerm.csv` (from 2013-14), `Missing.csv`
(from 2014-15) and `SWEpisodes.csv` (from 2023-24), drawn by `side.py` from their own random
stream; dates dd/mm/yyyy; each year's Episodes holds every episode open at any time in the year (DECOM on or
before 31 March, DEC blank or on or after 1 April), with DEC, REC and REASON_PLACE_CHANGE blank
when the episode was still open on 31 March. Code lists are the year's own: SEX 1/2 up to
2023-24 and M/F from 2024-25; K3 from 2023-24; E4A/E4B from 2015-16; E45-E48 from 2020-21;
activity F4/P4/F5/P5 from 2022-23.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from analytics.ingest.read import SPECS
from analytics.synth import params as P
from analytics.synth.model import (
    NEVER,
    Simulation,
    add_years,
    age_on,
    day,
    year_end,
    year_start,
    ymd,
)
from analytics.synth.side import SideTables

# The tables a synthetic return writes, in this order, each with the export's columns.
WRITTEN = (
    "Header", "Episodes", "OC3", "AD1", "PlacedAdoption", "UASC", "OC2", "Missing", "Reviews", "PrevPerm",
    "SWEpisodes",
)  # fmt: skip
COLUMNS = {name: list(SPECS[name].columns) for name in WRITTEN}
# The first collection year each table is written for (the others: every year).
TABLE_FROM = P.TABLE_FROM


def tables_for(year: int) -> list[str]:
    """The tables of year `year`'s return, in COLUMNS order."""
    return [t for t in COLUMNS if year >= TABLE_FROM.get(t, 0)]


_BASE = day(1940, 1, 1)
_N = day(2080, 1, 1) - _BASE
_DATES: np.ndarray | None = None


def fmt_dates(days: np.ndarray) -> np.ndarray:
    """dd/mm/yyyy strings; NEVER or negative -> ''."""
    global _DATES
    if _DATES is None:
        iso = np.datetime_as_string(np.arange(_BASE, _BASE + _N).astype("M8[D]"))
        _DATES = np.array([f"{s[8:10]}/{s[5:7]}/{s[0:4]}" for s in iso] + [""], dtype=object)
    d = np.asarray(days, dtype=np.int64) - _BASE
    d = np.where((d < 0) | (d >= _N), _N, d)
    return _DATES[d]


UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upns(la_number: int, serial: np.ndarray, year2: np.ndarray) -> np.ndarray:
    """Valid 13-character UPNs (check letter, LA number, year, serial, final digit)."""
    body = np.array([f"{la_number:03d}{y:02d}{s:07d}" for s, y in zip(serial, year2)], dtype=object)
    out = np.empty(len(body), dtype=object)
    for i, b in enumerate(body):
        total = sum(int(c) * w for c, w in zip(b, range(2, 14)))
        out[i] = UPN_LETTERS[total % 23] + b
    return out


def _csv(rows: dict[str, np.ndarray], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    n = len(rows[columns[0]]) if columns[0] in rows else 0
    cols = [rows[c] for c in columns]
    w.writerows(zip(*[[("" if v is None else v) for v in c] for c in cols]) if n else [])
    return buf.getvalue()


class CouncilWriter:
    """Derives the per-child fields once, then writes each collection year."""

    def __init__(
        self,
        sim: Simulation,
        rng: np.random.Generator,
        la_number: int,
        first_year: int,
        last_year: int,
        side_seed: np.random.SeedSequence,
    ):
        self.sim = sim
        self.first_year, self.last_year = first_year, last_year
        p = sim.periods
        n = len(p["start"])
        self.n = n
        ids = rng.choice(8_999_999, n, replace=False) + 1_000_001
        self.child = np.array([str(i) for i in ids], dtype=object)
        self.dob = p["dob"]
        self.dob_s = fmt_dates(self.dob)
        self.b18 = add_years(self.dob, 18)
        y, _, _ = ymd(self.dob)
        self.upn = upns(la_number, rng.integers(0, 10_000_000, n), (y + 5) % 100)
        # a few young mothers
        self.female = ~p["male"]
        self.mother = self.female & (rng.random(n) < 0.03)
        mc = np.maximum(self.b18 - 365 * 2 + rng.integers(0, 700, n), self.dob + 15 * 365)
        self.mc_dob = mc
        self.ep = sim.episodes
        ep_end = self.ep["dec"]
        self.ep_child = self.child[self.ep["period"]]
        # unaccompanied asylum-seeking children have no home postcode (DfE rule 406)
        self.home_post = np.where(p["uasc"], None, p["home_post"])[self.ep["period"]]
        self.cin = p["cin"][self.ep["period"]]
        self.decom_s = fmt_dates(self.ep["decom"])
        self.dec_s = fmt_dates(ep_end)
        self.rng = rng
        self._care_leavers(rng)
        # the side tables: their own stream, so the tables above do not change with them
        self.side = SideTables(sim, side_seed, la_number, last_year)

    # ---------------------------------------------------------------- care leavers
    def _care_leavers(self, rng: np.random.Generator) -> None:
        p = self.sim.periods
        b14 = add_years(self.dob, 14)
        b16 = add_years(self.dob, 16)
        after14 = np.minimum(p["end"], NEVER) - np.maximum(p["start"], b14)
        from analytics.synth.params import ROUTES

        perm = np.isin(p["route"], [ROUTES.index(r) for r in ("adoption", "sgo", "cao")])
        eligible = (
            (after14 >= 91)
            & (p["end"] >= b16)
            & (p["end"] < NEVER)
            & ~perm
            & ~np.isin(p["rec"], ["E3", "E2", "E16"])
        )
        self.leaver = eligible
        n = self.n
        # a young person's circumstances: a stable tendency plus yearly change
        self.cl_u = rng.random((n, 5))  # per birthday 17..21
        self.cl_v = rng.random((n, 5))
        self.cl_w = rng.random((n, 5))
        self.cl_tend = rng.random(n)

    # ---------------------------------------------------------------- one year
    def write_year(self, year: int, out: Path) -> dict[str, int]:
        ys, ye = year_start(year), year_end(year)
        ep = self.ep
        sel = np.flatnonzero((ep["decom"] <= ye) & (ep["dec"] >= ys))
        open_ = ep["dec"][sel] > ye
        episodes = {
            "CHILD": self.ep_child[sel],
            "DECOM": self.decom_s[sel],
            "RNE": ep["rne"][sel],
            "LS": ep["ls"][sel],
            "CIN": self.cin[sel],
            "PLACE": ep["place"][sel],
            "PLACE_PROVIDER": ep["provider"][sel],
            "DEC": np.where(open_, "", self.dec_s[sel]),
            "REC": np.where(open_, None, ep["rec"][sel]),
            "REASON_PLACE_CHANGE": np.where(open_, None, ep["rpc"][sel]),
            "HOME_POST": self.home_post[sel],
            "PL_POST": ep["pl_post"][sel],
            "URN": ep["urn"][sel],
        }
        periods = np.unique(ep["period"][sel])
        # care leavers (OC3): birthday reached in the year is the 17th to 21st
        p = self.sim.periods
        age_ye = age_on(self.dob, np.full(self.n, ye))
        bday = add_years(self.dob, age_ye)
        cohort = np.flatnonzero(self.leaver & (age_ye >= 17) & (age_ye <= 21) & (p["end"] < bday))
        oc3 = self._oc3(cohort, age_ye[cohort], year)
        # header: every child in the year's episodes
        hdr = np.union1d(periods, cohort)
        sex_codes = ("1", "2") if year <= 2024 else ("M", "F")
        sex = np.where(p["male"][hdr], sex_codes[0], sex_codes[1])
        age_h = age_ye[hdr]
        upn = np.where(age_h < 5, "UN1", self.upn[hdr])
        upn = np.where(p["uasc"][hdr] & (age_h >= 5), "UN2", upn)  # never at school in England
        looked_after = np.isin(hdr, periods)
        had_baby = self.mother[hdr] & (self.mc_dob[hdr] <= np.minimum(ye, p["end"][hdr]))
        mother = np.where(self.female[hdr] & looked_after, np.where(had_baby, "1", "0"), None)
        # MOTHER and MC_DOB only for girls looked after in the year (DfE rules 612, 628)
        mc = np.where(mother == "1", fmt_dates(self.mc_dob[hdr]), "")
        header = {
            "CHILD": self.child[hdr],
            "SEX": sex,
            "DOB": self.dob_s[hdr],
            "ETHNIC": p["ethnic"][hdr],
            "UPN": upn,
            "MOTHER": mother,
            "MC_DOB": mc,
        }
        # UASC: children in the year's return who came as unaccompanied asylum seekers
        uasc = periods[p["uasc"][periods]]
        uasc_t = {
            "CHILD": self.child[uasc],
            "SEX": np.where(p["male"][uasc], sex_codes[0], sex_codes[1]),
            "DOB": self.dob_s[uasc],
            "DUC": fmt_dates(self.b18[uasc]),
        }
        ad1, placed = self._adoption(year, periods)
        out.mkdir(parents=True, exist_ok=True)
        tables = {
            "Header": header,
            "Episodes": episodes,
            "OC3": oc3,
            "AD1": ad1,
            "PlacedAdoption": placed,
            "UASC": uasc_t,
        }
        for name, rows in self.side.year(year, fmt_dates).items():
            who = rows.pop("who")
            tables[name] = {"CHILD": self.child[who], "DOB": self.dob_s[who], **rows}
        for name, rows in tables.items():
            (out / f"{name}.csv").write_text(_csv(rows, COLUMNS[name]), encoding="utf-8")
        return {k: len(v["CHILD"]) for k, v in tables.items()}

    def _oc3(self, who: np.ndarray, age: np.ndarray, year: int) -> dict[str, np.ndarray]:
        from analytics.synth import params as P

        k = np.clip(age - 17, 0, 4)
        u, v, w = self.cl_u[who, k], self.cl_v[who, k], self.cl_w[who, k]
        tend = self.cl_tend[who]
        keys = list(P.IN_TOUCH)
        cum = np.cumsum(list(P.IN_TOUCH.values()))
        cum /= cum[-1]
        touch = np.array(keys, dtype=object)[np.searchsorted(cum, u)]
        touch = np.where(touch == "DIED", "YES", touch)
        young = age <= 18
        p_eet = np.where(young, P.EET_IF_IN_TOUCH["17_18"], P.EET_IF_IN_TOUCH["19_21"])
        eet = (0.6 * v + 0.4 * tend) < p_eet
        new_codes = year >= 2023
        eet_codes = np.array(
            ["F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5"]
            if new_codes
            else ["F1", "P1", "F2", "P2", "F3", "P3", "F3", "P3"],
            dtype=object,
        )
        eet_w = np.array([0.10, 0.01, 0.35, 0.04, 0.10, 0.02, 0.30, 0.08])
        neet_codes = np.array(["G4", "G5", "G6"], dtype=object)
        rng = np.random.default_rng(year * 7919 + len(who))
        activ = np.where(
            eet,
            eet_codes[rng.choice(8, len(who), p=eet_w / eet_w.sum())],
            neet_codes[rng.choice(3, len(who), p=[0.2, 0.6, 0.2])],
        )
        suitable = w < P.SUITABLE_IF_IN_TOUCH
        ok_letters = np.array(["U", "D", "E", "B", "Z", "T", "K", "C"], dtype=object)
        ok = ok_letters[rng.choice(8, len(who), p=[0.35, 0.2, 0.1, 0.15, 0.1, 0.04, 0.04, 0.02])]
        ok = np.where((ok == "Z") & young, "D", ok)  # former foster carers: staying put from 18
        ok = np.where((ok == "Z") & (age > 21), "U", ok)
        bad = np.array(["S", "V", "W", "B", "U", "X"], dtype=object)[
            rng.choice(6, len(who), p=[0.3, 0.2, 0.1, 0.15, 0.15, 0.1])
        ]
        accom = np.where(suitable, ok + "1", bad + "2")
        accom = np.where(np.char.startswith(accom.astype(str), "X"), "X2", accom)
        in_touch = touch == "YES"
        activ = np.where(in_touch, activ, "0")
        accom = np.where(in_touch, accom, "0")
        dead_or_home = np.isin(touch, ["DIED", "RHOM"])
        activ = np.where(dead_or_home, "0", activ)
        accom = np.where(dead_or_home, "0", accom)
        return {
            "CHILD": self.child[who],
            "DOB": self.dob_s[who],
            "IN_TOUCH": touch,
            "ACTIV": activ,
            "ACCOM": accom,
        }

    def _adoption(self, year: int, periods: np.ndarray):
        ys, ye = year_start(year), year_end(year)
        ad = self.sim.adoption
        p = self.sim.periods
        per = ad["period"]
        adopted = (p["end"][per] >= ys) & (p["end"][per] <= ye)
        a = np.flatnonzero(adopted)
        pa = per[a]
        rng = np.random.default_rng(year * 104729 + len(pa))
        single = rng.random(len(a)) < 0.14
        same_sex = rng.random(len(a)) < 0.12
        nb = np.where(single, "1", "2")
        sex = np.where(
            single,
            np.where(rng.random(len(a)) < 0.85, "F1", "M1"),
            np.where(same_sex, np.where(rng.random(len(a)) < 0.5, "MM", "FF"), "MF"),
        )
        u = rng.random(len(a))
        lsa = np.where(
            single,
            "L0",
            np.where(
                same_sex,
                np.where(u < 0.4, "L12", np.where(u < 0.7, "L2", "L4")),
                np.where(u < 0.72, "L11", "L3"),
            ),
        )
        ad1 = {
            "CHILD": self.child[pa],
            "DOB": self.dob_s[pa],
            "DATE_INT": fmt_dates(ad["decision"][a]),
            "DATE_MATCH": fmt_dates(ad["match"][a]),
            "FOSTER_CARE": np.where(ad["with_carer"][a], "1", "0"),
            "NB_ADOPTR": nb,
            "SEX_ADOPTR": sex,
            "LS_ADOPTR": lsa,
        }
        # decisions to place: children in this year's return with a decision by 31 March
        in_return = np.isin(per, periods) & (ad["decision"] <= ye)
        b = np.flatnonzero(in_return)
        pb = per[b]
        placed = {
            "CHILD": self.child[pb],
            "DOB": self.dob_s[pb],
            "DATE_PLACED": fmt_dates(ad["decision"][b]),
            "DATE_PLACED_CEASED": np.full(len(pb), ""),
            "REASON_PLACED_CEASED": np.full(len(pb), None),
        }
        return ad1, placed
