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

# ---------------------------------------------------------------- side tables (side.py)
# The year each table of the return begins in the synthetic council's returns (collection year
# ending 31 March): missing incidents as DfE's series of incidents (2014-15), previous
# permanence (2013-14), social worker episodes (2023-24).
TABLE_FROM = {"PrevPerm": 2014, "Missing": 2015, "SWEpisodes": 2024}

# OC2 (children looked after continuously for 12 months at 31 March): the share with each item,
# by collection year. 2024 and 2025 are England's published figures (benchmarks.md); earlier
# years are a plausible path (approximate, not published figures), with the pandemic's fall
# in dental checks in 2020-21.
OC2_RATES = {
    "HEALTH_ASSESSMENT": {
        2006: 0.80,
        2012: 0.86,
        2015: 0.895,
        2021: 0.91,
        2022: 0.89,
        2024: 0.89,
        2025: 0.90,
    },
    "TEETH_CHECK": {
        2006: 0.78,
        2012: 0.83,
        2015: 0.86,
        2020: 0.86,
        2021: 0.40,
        2022: 0.70,
        2023: 0.76,
        2024: 0.79,
        2025: 0.81,
    },
    "IMMUNISATIONS": {
        2006: 0.80,
        2012: 0.83,
        2015: 0.875,
        2020: 0.87,
        2021: 0.86,
        2022: 0.80,
        2024: 0.82,
        2025: 0.84,
    },
    "HEALTH_CHECK": {2006: 0.82, 2015: 0.88, 2025: 0.88},  # development assessment, under 5s
    "CONVICTED": {2006: 0.09, 2012: 0.06, 2015: 0.05, 2019: 0.03, 2024: 0.02, 2025: 0.02},  # aged 10-17
    "SUBSTANCE_MISUSE": {2006: 0.05, 2015: 0.04, 2024: 0.03, 2025: 0.03},  # of the whole cohort
    "INTERVENTION_RECEIVED": {2006: 0.41, 2025: 0.41},  # of those with a substance misuse problem
    "INTERVENTION_OFFERED": {2006: 0.45, 2025: 0.45},  # of those who received none
    "SDQ_GIVEN": {2006: 0.70, 2015: 0.75, 2024: 0.77, 2025: 0.78},  # aged 5-16 with a score
}
# Substance misuse and convictions concentrate among older children: relative weight by age at
# 31 March (ages 0-17 and over), normalised over the year's cohort so that the share matches.
OC2_AGE_WEIGHT = {
    "SUBSTANCE_MISUSE": (0,) * 10 + (0.1, 0.3, 0.6, 1.0, 1.5, 2.0, 2.5, 3.0, 3.0),
    "CONVICTED": (0,) * 10 + (0.3, 0.5, 0.8, 1.0, 1.3, 1.5, 1.5, 1.5, 1.5),
}
# SDQ score (0-40): a child's own level plus yearly change; England 2025 mean 14.9 (2024 14.7).
SDQ_MEAN = {2006: 13.8, 2016: 14.1, 2024: 14.7, 2025: 14.9}
SDQ_SD = 8.5  # about 45% normal (0-13), 13% borderline (14-16), 42% cause for concern (17-40)
SDQ_NO_SCORE_REASONS = {"SDQ2": 0.25, "SDQ3": 0.15, "SDQ4": 0.40, "SDQ5": 0.20}
OC2_CHILD_CORRELATION = 0.5  # share of an item's variation that is the child's own tendency

# Reviews: first within 20 working days of the period's start, the second within 3 months of the
# first, then every 6 months. Days after the previous review (or the start) for a review held on
# time and for a late one, and the chance that a review is late (first, second, later).
REVIEW_GAPS = ((5, 27, 30, 60), (45, 88, 93, 130), (120, 180, 186, 240))  # on time lo, hi; late lo, hi
REVIEW_LATE = (0.05, 0.05, 0.035)
# Participation (REVIEW_CODE) of children aged 4 or over: 4-9, 10 and over. PN0 under 4.
REVIEW_PARTICIPATION = (
    {"PN1": 0.30, "PN2": 0.08, "PN3": 0.28, "PN4": 0.08, "PN5": 0.06, "PN6": 0.17, "PN7": 0.03},
    {"PN1": 0.52, "PN2": 0.06, "PN3": 0.06, "PN4": 0.04, "PN5": 0.09, "PN6": 0.18, "PN7": 0.05},
)

# Missing (M) and away from placement without authorisation (A): a few children are prone to
# it; their rate (incidents a year at the peak age) is heavy-tailed, and it rises with age.
# England 2024: 11% of children looked after during the year went missing, 6.5 incidents each;
# 2% were away without authorisation, 4.0 incidents each.
MISSING = {
    "M": {"prone": 0.30, "rate": 8.0, "shape": 0.38},
    "A": {"prone": 0.045, "rate": 5.0, "shape": 0.9},
}
MISSING_AGE_WEIGHT = {
    8: 0.1,
    9: 0.15,
    10: 0.3,
    11: 0.5,
    12: 0.75,
    13: 1.0,
    14: 1.0,
    15: 1.0,
    16: 0.9,
    17: 0.8,
}
# Length of an incident in days (MIS_END - MIS_START): (lo, hi, share)
MISSING_DAYS = ((0, 0, 0.42), (1, 1, 0.33), (2, 3, 0.14), (4, 14, 0.09), (15, 45, 0.02))

# Previous permanence (PrevPerm) of children starting to be looked after, aged 1 or over.
PREV_PERM = {"P1": 0.022, "P2": 0.030, "P3": 0.012, "P4": 0.008}
RESIDENCE_ORDERS_END = (2014, 4, 22)  # child arrangements orders replaced residence orders
PERM_OWN_COUNCIL = 0.6
# Local-authority numbers (DfE's three digits) of the North East, for LA_PERM.
NORTH_EAST_LA_NUMBERS = ("805", "806", "807", "808", "840", "841", "929", "390", "391", "392", "393", "394")
PERM_ELSEWHERE = ("WAL", "SCO")

# Social workers (SWEpisodes, from 2023-24): one allocated at the start of a period, changes at
# this rate a year; reasons for a change (SW_REASON). FCONTA marks the first allocation.
SW_CHANGE_RATE = 0.7
SW_CASELOAD = 16  # children looked after per worker, for the size of the council's pool
SW_REASONS = {
    "LEFTRL": 0.38,
    "MANAGE": 0.16,
    "TSPROC": 0.14,
    "ORGRST": 0.08,
    "ABSENC": 0.08,
    "CHCHAN": 0.06,
    "PCCHAN": 0.04,
    "OTHERS": 0.058,
    "SWDIED": 0.002,
}
