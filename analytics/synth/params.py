"""Targets and rates of the synthetic council model.

Published figures (`shared/domain/benchmarks.md`, DfE "Children looked after in England
including adoptions") anchor the series; years before the published Middlesbrough table are a
plausible path (labelled as such) that tells the 2008 strategy's story: starts rising from 2006
to 2008, most of the rise among 1-4 and 10-15 year olds living in TS1 and TS3.
"""

from __future__ import annotations

MIDDLESBROUGH = "E06000002"
NEIGHBOURS = ("E06000001", "E06000003", "E06000004", "E06000005")

# ---------------------------------------------------------------- Middlesbrough (published)
# year: (CLA at 31 March, starts, ceased, adopted)
PUBLISHED = {
    2016: (377, 181, 166, 16),
    2017: (444, 254, 194, 24),
    2018: (466, 185, 167, 24),
    2019: (518, 205, 152, 19),
    2020: (618, 296, 199, 16),
    2021: (570, 227, 279, 25),
    2022: (502, 199, 273, 24),
    2023: (509, 245, 239, 26),
    2024: (513, 207, 205, 23),
    2025: (493, 172, 193, 17),
}
# Before 2016: a plausible path, not published figures (synthetic).
EARLY_STOCK = {
    2005: 228,
    2006: 226,
    2007: 236,
    2008: 258,
    2009: 270,
    2010: 288,
    2011: 300,
    2012: 318,
    2013: 334,
    2014: 350,
    2015: 362,
}
EARLY_STARTS = {
    2005: 108,
    2006: 108,
    2007: 122,
    2008: 138,
    2009: 142,
    2010: 150,
    2011: 150,
    2012: 158,
    2013: 164,
    2014: 170,
    2015: 176,
}
UNDER18_2025 = 35_617

# ---------------------------------------------------------------- England (published, rounded)
# CLA at 31 March and starts; 2021-2025 from benchmarks.md, earlier years from DfE's releases
# (approximate, used only to shape the national scale run).
ENGLAND_STOCK = {
    2006: 60_300,
    2007: 60_000,
    2008: 59_400,
    2009: 60_900,
    2010: 64_400,
    2011: 65_500,
    2012: 67_070,
    2013: 68_060,
    2014: 68_810,
    2015: 69_480,
    2016: 70_440,
    2017: 72_670,
    2018: 75_370,
    2019: 78_140,
    2020: 80_000,
    2021: 80_780,
    2022: 82_090,
    2023: 83_750,
    2024: 83_530,
    2025: 81_770,
}
ENGLAND_STARTS = {
    2006: 24_900,
    2007: 23_800,
    2008: 23_800,
    2009: 25_300,
    2010: 27_300,
    2011: 27_500,
    2012: 28_400,
    2013: 28_900,
    2014: 30_400,
    2015: 31_100,
    2016: 32_300,
    2017: 31_900,
    2018: 32_400,
    2019: 31_700,
    2020: 30_900,
    2021: 28_470,
    2022: 31_100,
    2023: 33_090,
    2024: 33_130,
    2025: 32_270,
}
ENGLAND_COUNCILS = 152


def middlesbrough_series(first_year: int, last_year: int) -> dict[int, dict[str, float | None]]:
    """Per collection year: starts, and either a ceased target (published years) or a stock
    target (earlier years); later years than published repeat the last year's rates."""
    out: dict[int, dict[str, float | None]] = {}
    for y in range(first_year, last_year + 1):
        if y in PUBLISHED:
            stock, starts, ceased, _ = PUBLISHED[y]
            out[y] = {"starts": starts, "ceased": ceased, "stock": stock}
        elif y < min(PUBLISHED):
            yy = max(y, min(EARLY_STARTS))
            out[y] = {"starts": EARLY_STARTS[yy], "ceased": None, "stock": EARLY_STOCK[yy]}
        else:
            stock, starts, _, _ = PUBLISHED[max(PUBLISHED)]
            out[y] = {"starts": starts, "ceased": None, "stock": stock}
    return out


def scaled_england_series(
    share: float, first_year: int, last_year: int
) -> dict[int, dict[str, float | None]]:
    """A council's series as `share` of England's stock and starts."""
    out: dict[int, dict[str, float | None]] = {}
    for y in range(first_year, last_year + 1):
        yy = min(max(y, min(ENGLAND_STOCK)), max(ENGLAND_STOCK))
        out[y] = {"starts": ENGLAND_STARTS[yy] * share, "ceased": None, "stock": ENGLAND_STOCK[yy] * share}
    return out


# ---------------------------------------------------------------- entry
AGE_BANDS = ("Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over")
BAND_AGES = ((0, 0), (1, 4), (5, 9), (10, 15), (16, 17))
# Age mix of starts: 2025 as published for Middlesbrough; earlier years older.
START_AGE_MIX_2025 = (0.165, 0.165, 0.225, 0.275, 0.17)
START_AGE_MIX_2006 = (0.14, 0.17, 0.19, 0.31, 0.19)
# The 2007-2009 rise (the strategy's story): extra starts as a share of the year's base,
# concentrated in ages 1-4 and 10-15 and in TS1 and TS3.
SURGE = {2007: 0.12, 2008: 0.24, 2009: 0.18, 2010: 0.10}
SURGE_AGE_MIX = (0.02, 0.46, 0.04, 0.46, 0.02)
SURGE_DISTRICTS = {"TS1": 0.5, "TS3": 0.5}
# Where children come into care from (relative weight per person under 18, by district):
# Middlesbrough's most deprived districts first.
DISTRICT_WEIGHT = {
    "TS1": 2.4,
    "TS3": 2.0,
    "TS2": 1.6,
    "TS4": 1.1,
    "TS6": 1.0,
    "TS5": 0.9,
    "TS7": 0.45,
    "TS8": 0.45,
}

SEX_MALE = 0.53
ETHNIC = {
    "WBRI": 0.84,
    "WOTH": 0.02,
    "MWBC": 0.03,
    "MOTH": 0.02,
    "APKN": 0.03,
    "AOTH": 0.01,
    "BAFR": 0.02,
    "OOTH": 0.02,
    "NOBT": 0.01,
}
UASC_SHARE_FROM_2016 = 0.03  # of starts, aged 15-17, from 2016

# ---------------------------------------------------------------- routes out of care
ROUTES = ("home", "adoption", "sgo", "cao", "relatives", "long", "indep", "other", "parents")
# Probability of each route by age band at entry (rows: bands). `parents`: placed with parents
# under a care order before the order is discharged.
ROUTE_MIX = (
    # home adopt  sgo   cao   rel   long  indep other parents
    (0.20, 0.44, 0.14, 0.05, 0.03, 0.07, 0.00, 0.03, 0.04),
    (0.28, 0.25, 0.18, 0.05, 0.04, 0.11, 0.00, 0.03, 0.06),
    (0.38, 0.03, 0.15, 0.05, 0.04, 0.25, 0.00, 0.04, 0.06),
    (0.45, 0.00, 0.04, 0.02, 0.04, 0.35, 0.02, 0.04, 0.04),
    (0.38, 0.00, 0.00, 0.00, 0.03, 0.35, 0.16, 0.08, 0.00),
)
# Planned time in care on each route (years, lognormal median, sigma); `long` stays to 18.
ROUTE_DURATION = {
    "home": (0.45, 1.1),
    "adoption": (2.0, 0.35),
    "sgo": (1.5, 0.45),
    "cao": (1.1, 0.5),
    "relatives": (0.8, 0.8),
    "long": (99.0, 0.0),
    "indep": (0.9, 0.6),
    "other": (0.4, 1.2),
    "parents": (2.0, 0.5),
}

# ---------------------------------------------------------------- placements
# Placement move rates per year in placement: a child is "settled" (low rate) or not.
UNSETTLED_SHARE = (0.10, 0.12, 0.18, 0.30, 0.32)  # by age band at entry
MOVE_RATE_SETTLED = 0.17
MOVE_RATE_UNSETTLED = 2.1
FIRST_PLACEMENT_SHORT = 0.30  # share of first placements that are emergency placements
FIRST_PLACEMENT_DAYS = 45  # mean length of an emergency first placement
TEMPORARY_SHARE = 0.04  # placements with a temporary episode inside
# Purchased (PR4/PR5) share of new foster placements, by age band; 10-15 rising 2006-2008.
PURCHASED_FOSTER = (0.35, 0.40, 0.45, 0.52, 0.52)
PURCHASED_FOSTER_10_15_BY_YEAR = {
    2003: 0.28,
    2004: 0.30,
    2005: 0.32,
    2006: 0.38,
    2007: 0.50,
    2008: 0.62,
    2009: 0.62,
    2010: 0.58,
}
# Reason for a move to a new carer (REASON_PLACE_CHANGE), near DfE's 2024 mix.
PLACEMENT_CHANGE_REASONS = {
    "CARPL": 0.33,
    "PLACE": 0.12,
    "OTHER": 0.22,
    "CREQB": 0.11,
    "CREQO": 0.08,
    "CHILD": 0.05,
    "ALLEG": 0.03,
    "STAND": 0.02,
    "LAREQ": 0.02,
    "CLOSE": 0.01,
    "APPRR": 0.01,
}
# Where placements are: shares in the council / neighbours (within 20 miles) / further away.
LOCATION = {
    "foster_own": (0.62, 0.35, 0.03),
    "foster_bought": (0.12, 0.64, 0.24),
    "kinship": (0.50, 0.36, 0.14),
    "home_own": (1.00, 0.00, 0.00),  # own provision other than fostering: in the council
    "home_bought": (0.05, 0.47, 0.48),
    "secure": (0.00, 0.10, 0.90),
    "semi": (0.55, 0.35, 0.10),
    "adoption": (0.25, 0.45, 0.30),
    "residential": (0.10, 0.35, 0.55),
}

# ---------------------------------------------------------------- care leavers
IN_TOUCH = {"YES": 0.895, "NO": 0.03, "REFU": 0.03, "NREQ": 0.03, "DIED": 0.003, "RHOM": 0.012}
EET_IF_IN_TOUCH = {"17_18": 0.47, "19_21": 0.475}
SUITABLE_IF_IN_TOUCH = 0.915
