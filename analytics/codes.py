"""SSDA903 code lists by collection year, and the dashboard's groups of codes (ssda903.md).

A code list is a mapping code -> (first valid year, last valid year), years named by their end
(2024 = 2023-24). Lists are held for 2015 to 2026 at least; a year outside that range is judged
against the nearest year held. Codes that the spec says are still recognised in any year (`Q1`,
`Q2`, `E4`, `E43`, `E44`, `F3`, `P3`) are valid in every year.
"""

from __future__ import annotations

import re

FIRST_YEAR, LAST_YEAR = 2015, 2026
ANY = (0, 9999)


def _always(*codes: str) -> dict[str, tuple[int, int]]:
    return {c: ANY for c in codes}


def _from(year: int, *codes: str) -> dict[str, tuple[int, int]]:
    return {c: (year, 9999) for c in codes}


def _until(year: int, *codes: str) -> dict[str, tuple[int, int]]:
    return {c: (0, year) for c in codes}


CODE_LISTS: dict[str, dict[str, tuple[int, int]]] = {
    # 1/2 up to 2023-24, M/F/U from 2024-25: the spec says accept both in any year.
    "SEX": _always("1", "2", "M", "F", "U"),
    "RNE": _always("S", "P", "B", "T", "U", "L"),
    "LS": _always("C1", "C2", "D1", "E1", "V2", "V3", "V4", "L1", "L2", "L3", "J1", "J2", "J3"),
    "CIN": _always("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"),
    "PLACE": {
        **_always(
            "U1",
            "U2",
            "U3",
            "U4",
            "U5",
            "U6",
            "Q1",
            "Q2",
            "A3",
            "A4",
            "A5",
            "A6",
            "P1",
            "K1",
            "K2",
            "R1",
            "R2",
            "R3",
            "R5",
            "S1",
            "P3",
            "T0",
            "T1",
            "T2",
            "T3",
            "T4",
        ),
        **_until(2025, "H5", "Z1"),
        **_until(2024, "P2"),  # invalid for new placements from 28 October 2023 (see below)
        **_from(2024, "K3"),
        **_from(2026, "Z11", "Z12", "Z13", "Z14"),
    },
    "PLACE_PROVIDER": _always("PR0", "PR1", "PR2", "PR3", "PR4", "PR5"),
    "REC": {
        **_always(
            "X1",
            "E11",
            "E12",
            "E41",
            "E4A",
            "E4B",
            "E4",
            "E13",
            "E5",
            "E6",
            "E17",
            "E2",
            "E3",
            "E7",
            "E9",
            "E14",
            "E15",
            "E16",
            "E8",
            "E43",
            "E44",
        ),
        **_from(2021, "E45", "E46", "E47", "E48"),
    },
    "REASON_PLACE_CHANGE": _always(
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
    ),
    "IN_TOUCH": _always("YES", "NO", "REFU", "NREQ", "DIED", "RHOM"),
    "ACTIV": {
        **_always("F1", "P1", "F2", "P2", "F3", "P3", "G4", "G5", "G6", "0"),
        **_from(2023, "F4", "P4", "F5", "P5"),
    },
    "ACCOM": {
        **_always(*(f"{letter}{n}" for letter in "BCDEGHKRSTUVWXYZ" for n in "12"), "0"),
    },
    # OC2 yes/no fields: 1 yes, 0 no (blank: not recorded).
    **{
        f: _always("0", "1")
        for f in (
            "CONVICTED",
            "HEALTH_CHECK",
            "IMMUNISATIONS",
            "TEETH_CHECK",
            "HEALTH_ASSESSMENT",
            "SUBSTANCE_MISUSE",
            "INTERVENTION_RECEIVED",
            "INTERVENTION_OFFERED",
        )
    },
    "SDQ_REASON": _always("SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5"),
    "MISSING": _always("M", "A"),
    "REVIEW_CODE": _always("PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"),
    "PREV_PERM": _always("P1", "P2", "P3", "P4", "Z1"),
}

OC2_FLAGS = (
    "CONVICTED",
    "HEALTH_CHECK",
    "IMMUNISATIONS",
    "TEETH_CHECK",
    "HEALTH_ASSESSMENT",
    "SUBSTANCE_MISUSE",
    "INTERVENTION_RECEIVED",
    "INTERVENTION_OFFERED",
)
PREVIOUS_PERMANENCE = {
    "P1": "Adoption",
    "P2": "Special guardianship",
    "P3": "Child arrangements or residence",
    "P4": "Child arrangements or residence",
    "Z1": "None",
}

# P2 (semi-independent living) is invalid for placements starting on or after this date.
P2_INVALID_FROM = "2023-10-28"

TEMPORARY_PLACES = ("T0", "T1", "T2", "T3", "T4")
SHORT_BREAK_LS = ("V3", "V4")
EET_ACTIVITIES = ("F1", "P1", "F2", "P2", "F3", "P3", "F4", "P4", "F5", "P5")

PLACEMENT_GROUPS: dict[str, tuple[str, ...]] = {
    "Foster: kinship": ("U1", "U2", "U3", "Q1"),
    "Foster: other carers": ("U4", "U5", "U6", "Q2"),
    "Placed for adoption": ("A3", "A4", "A5", "A6"),
    "Placed with parents": ("P1",),
    "Children's homes and secure homes": ("K1", "K2"),
    "Other residential settings": ("R1", "R2", "R3", "R5"),
    "Residential schools": ("S1",),
    "Independent and semi-independent living": ("H5", "P2", "K3"),
    "Other placements": ("P3", "Z1", "Z11", "Z12", "Z13", "Z14"),
    "Temporary": TEMPORARY_PLACES,
}
FOSTER_PLACES = PLACEMENT_GROUPS["Foster: kinship"] + PLACEMENT_GROUPS["Foster: other carers"]
KINSHIP_PLACES = PLACEMENT_GROUPS["Foster: kinship"]
ADOPTION_PLACES = PLACEMENT_GROUPS["Placed for adoption"]

PROVIDERS: dict[str, str] = {
    "PR0": "Parents",
    "PR1": "Own provision",
    "PR2": "Other council",
    "PR3": "Other public body",
    "PR4": "Private",
    "PR5": "Voluntary",
}
PURCHASED_PROVIDERS = ("PR4", "PR5")

REASON_GROUPS: dict[str, tuple[str, ...]] = {
    "Adopted": ("E11", "E12"),
    "Special guardianship order": ("E43", "E44", "E45", "E46", "E47", "E48"),
    "Child arrangements order": ("E41",),
    "Returned home": ("E4A", "E4B", "E4"),
    "Left to live with relatives or others": ("E13",),
    "Independent living": ("E5", "E6"),
    "Stayed with carers at 18+": ("E17",),
    "Other": ("E2", "E3", "E7", "E9", "E14", "E15", "E16", "E8"),
}

ETHNIC_GROUPS = {"W": "White", "M": "Mixed", "A": "Asian", "B": "Black", "O": "Other"}


def valid_years(field: str, code: str) -> tuple[int, int] | None:
    """The collection years (first, last) in which `code` is valid for `field`, or None."""
    return CODE_LISTS[field].get(code)


def is_valid(field: str, code: str, year: int) -> bool:
    span = valid_years(field, code)
    if span is None:
        return False
    year = min(max(year, FIRST_YEAR), LAST_YEAR)
    return span[0] <= year <= span[1]


def describe_validity(field: str, code: str) -> str:
    """The message part naming the years in which a code is valid."""
    span = valid_years(field, code)
    if span is None:
        # Only what looks like a code is echoed: a stray identifier, a formula or a huge field
        # typed into a code column never reaches the report.
        shown = f'"{code}"' if re.fullmatch(r"[A-Z0-9]{1,4}", code) else "a value that"
        return f"{field} = {shown} is not a code of any year's list".replace(
            "= a value that is", "holds a value that is"
        )
    first, last = span
    if first == 0:
        return f'{field} = "{code}" is valid up to {last - 1}-{last % 100:02d}'
    return f'{field} = "{code}" is valid from {first - 1}-{first % 100:02d}'
