"""The declared list of pages: the one place the router, the strategy file's defaults and the
tests learn what pages exist and what each shows.

A page is its key (the URL path), its name in the menu, its default heading (the council words it in
`config/strategy.toml`), its icon, its script in `pages/`, its headline numbers and its tabs,
each tab a list of sections (`analytics.present.sections`). A script's file name never gives the
page's URL path: Streamlit's legacy `pages/` discovery, still on for the first run of a server
process, then finds no page at that path and runs the router (`app.py`), whose `st.navigation`
turns the legacy discovery off. The overview (the scorecard) and the
data page are drawn by their own scripts and have no tabs here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    Trend,
    Trends,
)


@dataclass(frozen=True)
class PageSpec:
    key: str
    nav: str  # in the menu
    title: str  # the heading, unless config/strategy.toml words it
    icon: str
    script: str  # in pages/
    metrics: tuple = ()
    tabs: dict[str, tuple] = field(default_factory=dict)

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


def headlines(*ids: str) -> tuple[Headline, ...]:
    return tuple(Headline(mid, SHORT_NAMES[mid]) for mid in ids)


def orders(*ids: str) -> tuple[OrderCount, ...]:
    return tuple(OrderCount(mid, SHORT_NAMES[mid]) for mid in ids)


REDUCE = PageSpec(
    "reduce",
    "1. Reduce numbers",
    "Priority 1: safely reduce the number of children looked after",
    ":material/trending_down:",
    "1_reduce_numbers.py",
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
    },
)

PLACEMENTS = PageSpec(
    "placements",
    "2. Range of placements",
    "Priority 2: extend the range and type of placements",
    ":material/home:",
    "2_range_of_placements.py",
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
    "permanence",
    "3. Permanence",
    "Priority 3: permanence",
    ":material/family_restroom:",
    "3_permanence_orders.py",
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
    "stability",
    "Placement stability",
    "Placement stability",
    ":material/anchor:",
    "placement_stability.py",
    metrics=headlines("placements_3plus", "long_term_stability", "placement_moves", "reviews_on_time"),
    tabs={
        "Stability": (Trend("placements_3plus"), Trend("long_term_stability")),
        "Reviews and social workers": (
            Trend("reviews_on_time"),
            Trend("review_participation"),
            Trend("social_workers_3plus"),
            Bars(
                "social_workers_3plus",
                "age_band",
                key="sw_by_age",
                what="3+ social workers by age band",
                sort=False,
                share=True,
            ),
        ),
        "Moves": (
            Bars(
                "placements_3plus",
                "age_band",
                key="3plus_by_age",
                what="3+ placements by age band",
                sort=False,
                share=True,
            ),
            Bars("placement_moves", "reason", key="moves_by_reason", what="placement moves by reason"),
            Trend("placement_moves"),
        ),
    },
)

CARE_LEAVERS = PageSpec(
    "care_leavers",
    "Care leavers",
    "Care leavers",
    ":material/school:",
    "leaving_care.py",
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
    },
)

HEALTH = PageSpec(
    "health",
    "Health and wellbeing",
    "Health and wellbeing",
    ":material/favorite:",
    "health_and_wellbeing.py",
    metrics=headlines(
        "oc2_health_assessment", "oc2_dental_check", "oc2_immunisations_up_to_date", "oc2_sdq_average_5_16"
    ),
    tabs={
        "Health checks": (
            Trend("oc2_health_assessment"),
            Trend("oc2_dental_check"),
            Trend("oc2_immunisations_up_to_date"),
            Trend("oc2_development_assessment_under_5"),
            Bars(
                "oc2_health_assessment",
                "age_band",
                key="health_by_age",
                what="health assessments by age band",
                sort=False,
                share=True,
            ),
        ),
        "Emotional wellbeing": (
            Trend("oc2_sdq_received_5_16"),
            Trend("oc2_sdq_average_5_16"),
            Bars(
                "oc2_sdq_concern_5_16",
                "sdq_band",
                key="sdq_bands",
                what="SDQ scores by band",
                sort=False,
                share=True,
            ),
        ),
        "Risks": (
            Trend("oc2_substance_misuse"),
            Trend("oc2_substance_intervention_received"),
            Trend("oc2_convicted_10_17"),
        ),
    },
)

MISSING = PageSpec(
    "missing",
    "Missing and away",
    "Children missing and away from placement",
    ":material/person_search:",
    "missing_and_away.py",
    metrics=headlines(
        "missing_children_share", "missing_incidents", "missing_incidents_per_child", "away_children_share"
    ),
    tabs={
        "Children and incidents": (
            Trend("missing_children_share"),
            Trend("missing_incidents"),
            Trend("missing_incidents_per_child"),
            Trend("away_children_share"),
            Trend("away_incidents"),
        ),
        "By age band": (
            Bars(
                "missing_children_share",
                "age_band",
                key="missing_by_age",
                what="children who went missing by age band",
                sort=False,
                share=True,
            ),
            Bars(
                "away_children_share",
                "age_band",
                key="away_by_age",
                what="children away from placement by age band",
                sort=False,
                share=True,
            ),
        ),
        "Month by month": (
            Bars(
                "missing_incidents",
                "month",
                key="missing_by_month",
                what="missing incidents by the month they began",
                sort=False,
                upright=True,
            ),
            Bars(
                "away_incidents",
                "month",
                key="away_by_month",
                what="away-from-placement incidents by the month they began",
                sort=False,
                upright=True,
            ),
        ),
    },
)

OVERVIEW = PageSpec(
    "overview", "Overview: scorecard", "Overview: the scorecard", ":material/table_chart:", "scorecard.py"
)
DATA = PageSpec("data", "Data and definitions", "Data", ":material/database:", "data_and_definitions.py")

PAGES: tuple[PageSpec, ...] = (
    OVERVIEW,
    REDUCE,
    PLACEMENTS,
    PERMANENCE,
    STABILITY,
    CARE_LEAVERS,
    HEALTH,
    MISSING,
    DATA,
)
BY_KEY = {p.key: p for p in PAGES}
PRIORITY_PAGES = tuple(p for p in PAGES if p.tabs)
