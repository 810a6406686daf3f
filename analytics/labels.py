"""Plain-English labels for the SSDA903 codes a breakdown shows (from `domain/ssda903.md`).

A code without a label is shown as the code itself."""

from __future__ import annotations

from datetime import date

LEGAL_STATUS = {
    "C1": "Interim care order",
    "C2": "Full care order",
    "D1": "Freeing order",
    "E1": "Placement order",
    "V2": "Section 20 (single period)",
    "L1": "Police protection",
    "L2": "Emergency protection order",
    "L3": "Child assessment order",
    "J1": "Youth justice: remand",
    "J2": "Youth justice: PACE",
    "J3": "Youth justice: sentence",
}
CATEGORY_OF_NEED = {
    "N1": "Abuse or neglect",
    "N2": "Child's disability",
    "N3": "Parental illness or disability",
    "N4": "Family in acute stress",
    "N5": "Family dysfunction",
    "N6": "Socially unacceptable behaviour",
    "N7": "Low income",
    "N8": "Absent parenting",
}
MOVE_REASON = {
    "CARPL": "Care plan",
    "CLOSE": "Provision closed",
    "ALLEG": "Allegation",
    "STAND": "Standards concern",
    "APPRR": "Approval removed",
    "CREQB": "Carer request (behaviour)",
    "CREQO": "Carer request (other)",
    "CHILD": "Child's request",
    "LAREQ": "Council request",
    "PLACE": "Change in status of placement only",
    "CUSTOD": "Custody",
    "OTHER": "Other",
}
ACTIVITY = {
    "F1": "Higher education (full time)",
    "P1": "Higher education (part time)",
    "F2": "Other education (full time)",
    "P2": "Other education (part time)",
    "F3": "Training or employment (full time)",
    "P3": "Training or employment (part time)",
    "F4": "Apprenticeship (full time)",
    "P4": "Apprenticeship (part time)",
    "F5": "Training or employment (full time)",
    "P5": "Training or employment (part time)",
    "G4": "Not in EET: illness or disability",
    "G5": "Not in EET: other reasons",
    "G6": "Not in EET: pregnancy or parenting",
    "0": "Not known",
}
ACCOMMODATION = {
    "B": "With parents or relatives",
    "C": "Community home or other residential care",
    "D": "Semi-independent or transitional",
    "E": "Supported lodgings",
    "G": "Gone abroad",
    "H": "Deported",
    "K": "Ordinary lodgings",
    "R": "Residence not known",
    "S": "No fixed abode or homeless",
    "T": "Foyer",
    "U": "Independent living",
    "V": "Emergency accommodation",
    "W": "Bed and breakfast",
    "X": "In custody",
    "Y": "Other",
    "Z": "With former foster carers",
    "0": "Not known",
}
IN_TOUCH = {
    "YES": "In touch",
    "NO": "Not in touch",
    "REFU": "Refuses contact",
    "NREQ": "No longer requires services",
    "DIED": "Died",
    "RHOM": "Returned home to parents",
}
UASC = {"UASC": "Unaccompanied asylum-seeking", "Not UASC": "Not unaccompanied"}
MONTHS = {"(carried over)": "Before April"}
PREVIOUS_ORDER = {"None": "No previous order"}

BY_BREAKDOWN = {
    "legal_status": LEGAL_STATUS,
    "category_of_need": CATEGORY_OF_NEED,
    "reason": MOVE_REASON,
    "activity": ACTIVITY,
    "accommodation": ACCOMMODATION,
    "in_touch": IN_TOUCH,
    "uasc": UASC,
    "previous_order": PREVIOUS_ORDER,
}

BREAKDOWN_NAMES = {
    "month": "month",
    "sdq_band": "SDQ band",
    "previous_order": "previous order",
    "age_band": "age band",
    "sex": "sex",
    "ethnic_group": "ethnic group",
    "uasc": "unaccompanied",
    "placement_group": "placement type",
    "provider": "provider",
    "legal_status": "legal status",
    "category_of_need": "category of need",
    "district": "postcode district",
    "locality": "locality",
    "reason_group": "route out of care",
    "reason": "reason for the move",
    "activity": "activity",
    "accommodation": "accommodation",
    "in_touch": "contact",
}


def label(breakdown: str, code) -> str:
    """The label of a breakdown's category (code -> words), else the category itself.

    >>> label("legal_status", "L1"), label("district", "TS1"), label("month", "2024-04")
    ('Police protection', 'TS1', 'Apr 2024')
    """
    if breakdown == "month":  # a month, or an incident begun before the year
        return MONTHS.get(code) or date.fromisoformat(f"{code}-01").strftime("%b %Y")
    return BY_BREAKDOWN.get(breakdown, {}).get(str(code), str(code))
