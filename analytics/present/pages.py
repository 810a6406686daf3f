"""The declared list of pages: the one place the router, the strategy file's defaults and the
tests learn what pages exist and what each shows.

A page is its key (the URL path), its name in the menu, its icon, its script in `pages/`, its
default heading (the council words it in `config/strategy.toml`), its headline numbers and its tabs,
each tab a list of sections (`analytics.present.sections`). A script's file name never gives the
page's URL path: Streamlit's legacy `pages/` discovery, still on for the first run of a server
process, then finds no page at that path and runs the router (`app.py`), whose `st.navigation`
turns the legacy discovery off (a script named as its page's key would run alone, without the
router's layout: `tests/test_pages.py`). The overview (the scorecard), the action plan, the
what-if page and the data page are drawn by their own scripts and have no tabs here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from analytics.present import findings
from analytics.present.sections import (
    Bars,
    CategoryTrend,
    FosterProviders,
    Grid,
    Headline,
    Months,
    OrderCount,
    Orders,
    Standing,
    Trend,
    Trends,
)


class Head(NamedTuple):
    key: str  # the URL path
    nav: str  # the name in the menu
    icon: str
    script: str  # in pages/


@dataclass(frozen=True)
class PageSpec:
    head: Head  # (key, name in the menu, icon, script)
    metrics: tuple = ()
    tabs: dict[str, tuple] = field(default_factory=dict)
    heading: str | None = None  # unless config/strategy.toml words it; else the menu's name

    def __post_init__(self) -> None:
        object.__setattr__(self, "head", Head(*self.head))

    def __getattr__(self, name: str):  # key, nav, icon, script: the head's
        if name not in Head._fields:
            raise AttributeError(name)
        return getattr(self.head, name)

    @property
    def title(self) -> str:
        return self.heading or self.nav

    @property
    def sections(self) -> list:
        return [s for tab in self.tabs.values() for s in tab]


SHORT_NAMES = {  # a measure's name among a page's headline numbers
    "cla_at_31_march": "Looked after at 31 March",
    "cla_rate_per_10k": "Looked after per 10,000",
    "starts": "Started to be looked after",
    "ceased": "Ceased to be looked after",
    "purchased_foster_share": "Foster placements purchased",
    "kinship_foster_share": "In kinship foster care",
    "foster_or_adoption_10_15": "10-15s fostered or adopted",
    "placed_over_20_miles": "Placed over 20 miles away",
    "adopted": "Adopted",
    "sgo": "Special guardianship orders",
    "cao": "Child arrangements orders",
    "adoption_placed_within_12_months_of_decision": "Placed within 12 months",
    "placements_3plus": "3+ placements in the year",
    "long_term_stability": "Long-term stability",
    "placement_moves": "Placement moves",
    "care_leavers_19_21_eet": "19-21 in EET",
    "care_leavers_19_21_suitable_accommodation": "19-21 suitable housing",
    "care_leavers_17_18_eet": "17-18 in EET",
    "care_leavers_19_21_in_touch": "19-21 in touch",
    "oc2_health_assessment": "Health assessments",
    "oc2_dental_check": "Dental checks",
    "oc2_immunisations_up_to_date": "Immunisations",
    "oc2_sdq_average_5_16": "Average SDQ score",
    "missing_children_share": "Went missing",
    "missing_incidents": "Missing incidents",
    "missing_incidents_per_child": "Incidents per child",
    "away_children_share": "Away without permission",
    "reviews_on_time": "Reviews on time",
}


def trends(*ids: str) -> tuple[Trend, ...]:
    return tuple(Trend(mid) for mid in ids)


def by_month(mid: str, key: str, what: str) -> Bars:
    """A count's breakdown by month, as upright bars in the months' order."""
    return Bars(mid, "month", key=key, what=what, sort=False, upright=True)


def shares(mid: str, dim: str, key: str, what: str) -> Bars:
    """A share measure's breakdown, each category's share, in the categories' own order."""
    return Bars(mid, dim, key=key, what=what, sort=False, share=True)


def headlines(*ids: str) -> tuple[Headline, ...]:
    return tuple(Headline(mid, SHORT_NAMES[mid]) for mid in ids)


def orders(*ids: str) -> tuple[OrderCount, ...]:
    return tuple(OrderCount(mid, SHORT_NAMES[mid]) for mid in ids)


REDUCE = PageSpec(
    ("reduce", "1. Reduce numbers", ":material/trending_down:", "1_reduce_numbers.py"),
    heading="Priority 1: safely reduce the number of children looked after",
    metrics=headlines("cla_at_31_march", "cla_rate_per_10k", "starts", "ceased"),
    tabs={
        "Starts by district": (
            Trend("starts"),
            Grid("starts", "district", key="starts_by_district", what="starts"),
        ),
        "Starts by age; rates": (
            Grid("starts", "age_band", key="starts_by_age_band", what="starts"),
            Trends("rates", findings.rate, ("cla_rate_per_10k", "starts_rate_per_10k")),
        ),
        "Who starts": (
            Bars("starts", "category_of_need", key="starts_by_need", what="starts by category of need"),
            Bars(
                "starts",
                "legal_status",
                key="starts_by_legal_status",
                what="starts by legal status",
                highlight=("L1",),
            ),
            Trend("police_protection_starts"),
            Bars("starts", "ethnic_group", key="starts_by_ethnic_group", what="starts by ethnic group"),
            CategoryTrend(
                "starts",
                "uasc",
                "UASC",
                key="starts_uasc",
                name="Unaccompanied asylum-seeking children starting to be looked after",
            ),
        ),
        "Looked after and leaving": (
            Trend("cla_at_31_march"),
            Bars("ceased", "reason_group", key="ceased_by_route", what="children ceasing care by route"),
            Trend("placed_with_parents_over_1_year"),
        ),
        "Month by month": (Months(),),
        "Where we stand": (Standing("cla_rate_per_10k"), Standing("starts_rate_per_10k")),
    },
)

PLACEMENTS = PageSpec(
    ("placements", "2. Range of placements", ":material/home:", "2_range_of_placements.py"),
    heading="Priority 2: extend the range and type of placements",
    metrics=headlines(
        "purchased_foster_share", "kinship_foster_share", "foster_or_adoption_10_15", "placed_over_20_miles"
    ),
    tabs={
        "Placements at 31 March": (
            Bars(
                "cla_at_31_march",
                "placement_group",
                key="placement_mix",
                what="placement type",
                when="31 March {year}",
            ),
            FosterProviders(),
            Bars("cla_at_31_march", "provider", key="provider_mix", what="provider", when="31 March {year}"),
        ),
        "Trends": (
            Trend("purchased_foster_share"),
            Trend("kinship_foster_share"),
            Trend("foster_or_adoption_10_15"),
            Trends("distance", findings.distance, ("placed_outside_la", "placed_over_20_miles")),
        ),
    },
)

PERMANENCE = PageSpec(
    ("permanence", "3. Permanence", ":material/family_restroom:", "3_permanence_orders.py"),
    heading="Priority 3: permanence",
    metrics=(*orders("adopted", "sgo", "cao"), *headlines("adoption_placed_within_12_months_of_decision")),
    tabs={
        "Orders": (
            Orders(),
            Trend("adopted", name="Share of children leaving care who were adopted"),
        ),
        "Returning to care": (
            Trend("starts_after_permanence"),
            Bars(
                "starts_after_permanence",
                "previous_order",
                key="previous_order",
                what="starts by previous order",
            ),
        ),
        "Timeliness": (
            Trend("adoption_placed_within_12_months_of_decision"),
            Trends(
                "adoption_days",
                findings.adoption_days,
                ("adoption_entry_to_placed_days", "adoption_entry_to_order_days"),
            ),
        ),
    },
)

STABILITY = PageSpec(
    ("stability", "Placement stability", ":material/anchor:", "placement_stability.py"),
    metrics=headlines("placements_3plus", "long_term_stability", "placement_moves", "reviews_on_time"),
    tabs={
        "Stability": (Trend("placements_3plus"), Trend("long_term_stability")),
        "Reviews and social workers": (
            Trend("reviews_on_time"),
            Trend("review_participation"),
            Trend("social_workers_3plus"),
            shares("social_workers_3plus", "age_band", "sw_by_age", "3+ social workers by age band"),
        ),
        "Moves": (
            shares("placements_3plus", "age_band", "3plus_by_age", "3+ placements by age band"),
            Bars("placement_moves", "reason", key="moves_by_reason", what="placement moves by reason"),
            Trend("placement_moves"),
        ),
        "Where we stand": (Standing("placements_3plus"), Standing("long_term_stability")),
    },
)

CARE_LEAVERS = PageSpec(
    ("care_leavers", "Care leavers", ":material/school:", "leaving_care.py"),
    metrics=headlines(
        "care_leavers_19_21_eet",
        "care_leavers_19_21_suitable_accommodation",
        "care_leavers_17_18_eet",
        "care_leavers_19_21_in_touch",
    ),
    tabs={
        "Outcomes": (
            Trend("care_leavers_19_21_eet"),
            Trend("care_leavers_19_21_suitable_accommodation"),
            Trends(
                "17_18",
                findings.care_leavers_17_18,
                ("care_leavers_17_18_eet", "care_leavers_17_18_suitable_accommodation"),
            ),
            Trends(
                "in_touch",
                findings.in_touch,
                ("care_leavers_19_21_in_touch", "care_leavers_19_21_with_former_foster_carers"),
            ),
        ),
        "Activity and accommodation": (
            Bars(
                "care_leavers_19_21_eet",
                "activity",
                key="activity",
                what="care leavers aged 19-21 by activity",
            ),
            Bars(
                "care_leavers_19_21_suitable_accommodation",
                "accommodation",
                key="accommodation",
                what="care leavers aged 19-21 by accommodation",
            ),
        ),
        "Where we stand": (
            Standing("care_leavers_19_21_eet"),
            Standing("care_leavers_19_21_suitable_accommodation"),
            Standing("care_leavers_17_18_eet"),
            Standing("care_leavers_17_18_suitable_accommodation"),
        ),
    },
)

HEALTH = PageSpec(
    ("health", "Health and wellbeing", ":material/favorite:", "health_and_wellbeing.py"),
    metrics=headlines(
        "oc2_health_assessment", "oc2_dental_check", "oc2_immunisations_up_to_date", "oc2_sdq_average_5_16"
    ),
    tabs={
        "Health checks": (
            *trends("oc2_health_assessment", "oc2_dental_check", "oc2_immunisations_up_to_date"),
            Trend("oc2_development_assessment_under_5"),
            shares("oc2_health_assessment", "age_band", "health_by_age", "health assessments by age band"),
        ),
        "Emotional wellbeing": (
            Trend("oc2_sdq_received_5_16"),
            Trend("oc2_sdq_average_5_16"),
            shares("oc2_sdq_concern_5_16", "sdq_band", "sdq_bands", "SDQ scores by band"),
        ),
        "Risks": trends("oc2_substance_misuse", "oc2_substance_intervention_received", "oc2_convicted_10_17"),
    },
)

MISSING = PageSpec(
    ("missing", "Missing and away", ":material/person_search:", "missing_and_away.py"),
    heading="Children missing and away from placement",
    metrics=headlines(
        "missing_children_share", "missing_incidents", "missing_incidents_per_child", "away_children_share"
    ),
    tabs={
        "Children and incidents": (
            *trends("missing_children_share", "missing_incidents", "missing_incidents_per_child"),
            *trends("away_children_share", "away_incidents"),
        ),
        "By age band": (
            shares(
                "missing_children_share",
                "age_band",
                "missing_by_age",
                "children who went missing by age band",
            ),
            shares(
                "away_children_share", "age_band", "away_by_age", "children away from placement by age band"
            ),
        ),
        "Month by month": (
            by_month("missing_incidents", "missing_by_month", "missing incidents by the month they began"),
            by_month(
                "away_incidents", "away_by_month", "away-from-placement incidents by the month they began"
            ),
        ),
    },
)

OVERVIEW = PageSpec(
    ("overview", "Overview: scorecard", ":material/table_chart:", "scorecard.py"),
    heading="Overview: the scorecard",
)
ACTION_PLAN = PageSpec(
    ("action_plan", "Action plan", ":material/checklist:", "plan_progress.py"), heading="The action plan"
)
WHAT_IF = PageSpec(("what_if", "What if: projections", ":material/query_stats:", "projections.py"))
DATA = PageSpec(
    ("data", "Data and definitions", ":material/database:", "data_and_definitions.py"), heading="Data"
)

PAGES: tuple[PageSpec, ...] = (
    OVERVIEW, REDUCE, PLACEMENTS, PERMANENCE, STABILITY, CARE_LEAVERS, HEALTH, MISSING, ACTION_PLAN,
    WHAT_IF, DATA,
)  # fmt: skip
BY_KEY = {p.key: p for p in PAGES}
PRIORITY_PAGES = tuple(p for p in PAGES if p.tabs)
