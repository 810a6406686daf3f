"""The one registry of measures: every id of `domain/indicators.md`, written once.

The command line's JSON, the scorecard, the definitions page, chart titles and footnotes read
their title, definition, unit and direction of good from here. The SQL of a measure lives in
`analytics/measures/sql/<id>.sql` (several ids computed by one query share a file, named here).
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics.measures.units import COUNT, MEAN, MEAN_DAYS, RATE, SHARE, Unit

__all__ = ["AREA_BREAKDOWNS", "COUNT", "MEAN", "MEAN_DAYS", "MEASURES", "RATE", "SHARE", "Measure", "Unit"]


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    definition: str
    unit: Unit  # analytics.measures.units: COUNT, SHARE (per cent), RATE (per 10,000), MEAN_DAYS, MEAN
    good: str | None  # "high", "low" or None when neither is better
    breakdowns: tuple[str, ...] = ()
    old_name: str | None = None
    family: str = "stock"  # stock, starts, ceased, moves, adoption, care_leavers, oc2, during_year
    counts: str = "children"  # what a count (or a mean's denominator) counts
    table: str | None = None  # the optional table of the return the measure needs for year Y


MEASURES: dict[str, Measure] = {
    m.id: m
    for m in [
        Measure(
            "cla_at_31_march",
            "Children looked after at 31 March",
            "Children looked after on 31 March (or the as-of date), short breaks excluded.",
            COUNT,
            None,
            (
                "age_band",
                "sex",
                "ethnic_group",
                "uasc",
                "placement_group",
                "provider",
                "legal_status",
                "category_of_need",
                "district",
                "locality",
            ),
        ),
        Measure(
            "cla_rate_per_10k",
            "Children looked after per 10,000 children",
            "Children looked after on 31 March per 10,000 children aged 0-17 in the population "
            "table for the year (else the latest earlier year), same districts.",
            RATE,
            None,
        ),
        Measure(
            "starts",
            "Children starting to be looked after",
            "Children with a period of care starting in the year whose first episode is RNE = S, "
            "each child once (the first start).",
            COUNT,
            None,
            (
                "age_band",
                "sex",
                "ethnic_group",
                "uasc",
                "district",
                "locality",
                "category_of_need",
                "legal_status",
            ),
            family="starts",
        ),
        Measure(
            "starts_rate_per_10k",
            "Starts per 10,000 children",
            "Starts in the year per 10,000 children aged 0-17 in the population table.",
            RATE,
            None,
            family="starts",
        ),
        Measure(
            "police_protection_starts",
            "Starts under police protection",
            "Starts whose first episode has legal status L1 (police protection).",
            COUNT,
            "low",
            ("age_band",),
            family="starts",
        ),
        Measure(
            "ceased",
            "Children ceasing to be looked after",
            "Children whose period of care ended in the year, each child once (the last end).",
            COUNT,
            None,
            ("reason_group", "age_band"),
            family="ceased",
        ),
        Measure(
            "placements_3plus",
            "Three or more placements in the year",
            "Of the children looked after on 31 March, those with 3 or more placements during the year.",
            SHARE,
            "low",
            ("age_band",),
            old_name="formerly NI 62",
        ),
        Measure(
            "long_term_stability",
            "Long-term placement stability",
            "Of the children under 16 looked after on 31 March for at least 30 months, those in "
            "the same placement for at least 24 months (or placed for adoption there).",
            SHARE,
            "high",
            old_name="formerly NI 63",
        ),
        Measure(
            "placement_moves",
            "Placement moves",
            "Starts of placements other than the first of a period of care, in the year "
            "(carer changes only).",
            COUNT,
            "low",
            ("reason",),
            family="moves",
            counts="placement moves",
        ),
        Measure(
            "foster_or_adoption_10_15",
            "Children aged 10-15 in foster or adoptive placements",
            "Of the children aged 10 to 15 looked after on 31 March, those in foster care "
            "(U1-U6, Q1-Q2) or placed for adoption (A3-A6).",
            SHARE,
            "high",
            old_name="formerly PAF B79",
        ),
        Measure(
            "kinship_foster_share",
            "Children in kinship foster care",
            "Of the children looked after on 31 March, those in kinship foster care (U1-U3, Q1).",
            SHARE,
            "high",
        ),
        Measure(
            "purchased_foster_share",
            "Foster placements purchased externally",
            "Of the children in foster care on 31 March, those placed with a private or "
            "voluntary provider (PR4, PR5).",
            SHARE,
            "low",
            ("age_band",),
        ),
        Measure(
            "placed_outside_la",
            "Placed outside the council",
            "Of the children looked after on 31 March, those whose placement is in a known "
            "council other than their own.",
            SHARE,
            "low",
            ("location",),
        ),
        Measure(
            "placed_over_20_miles",
            "Placed more than 20 miles from home",
            "Of the children looked after on 31 March, those placed more than 20 miles (straight "
            "line) from their home postcode, where both postcodes are known.",
            SHARE,
            "low",
            ("distance",),
        ),
        Measure(
            "placed_with_parents_over_1_year",
            "Placed with parents on a care order for over a year",
            "Children looked after on 31 March placed with parents (P1) on a full care order "
            "(C2) whose placement began more than 365 days before.",
            COUNT,
            "low",
        ),
        Measure(
            "adopted",
            "Adopted",
            "Of the children who ceased to be looked after, those adopted (E11, E12).",
            SHARE,
            None,
            ("age_band",),
            family="ceased",
        ),
        Measure(
            "sgo",
            "Special guardianship orders",
            "Of the children who ceased to be looked after, those who left on a special "
            "guardianship order (E43-E48).",
            SHARE,
            None,
            ("age_band",),
            family="ceased",
        ),
        Measure(
            "cao",
            "Child arrangements orders",
            "Of the children who ceased to be looked after, those who left on a child "
            "arrangements (residence) order (E41).",
            SHARE,
            None,
            ("age_band",),
            family="ceased",
        ),
        Measure(
            "adoption_entry_to_placed_days",
            "Days from entering care to moving in with adopters",
            "Mean days from the start of the period of care to the start of its last adoption "
            "placement (for adoption by the foster carer, the foster placement's start), "
            "children adopted in the year.",
            MEAN_DAYS,
            "low",
            family="adoption",
        ),
        Measure(
            "adoption_entry_to_order_days",
            "Days from entering care to adoption",
            "Mean days from the start of the period of care to the adoption, children adopted in the year.",
            MEAN_DAYS,
            "low",
            family="adoption",
        ),
        Measure(
            "adoption_placed_within_12_months_of_decision",
            "Adopted children placed within 12 months of the decision",
            "Of the children adopted in the year with a decision to place for adoption, those who "
            "moved in with their adopters no more than 12 months after the decision.",
            SHARE,
            "high",
            old_name="formerly NI 61",
            family="adoption",
        ),
        Measure(
            "care_leavers_17_18_eet",
            "Care leavers aged 17-18 in education, employment or training",
            "Of the care leavers whose 17th or 18th birthday fell in the year, those in "
            "education, employment or training.",
            SHARE,
            "high",
            ("activity",),
            family="care_leavers",
        ),
        Measure(
            "care_leavers_19_21_eet",
            "Care leavers aged 19-21 in education, employment or training",
            "Of the care leavers whose 19th, 20th or 21st birthday fell in the year, those in "
            "education, employment or training.",
            SHARE,
            "high",
            ("activity",),
            old_name="formerly NI 148",
            family="care_leavers",
        ),
        Measure(
            "care_leavers_17_18_suitable_accommodation",
            "Care leavers aged 17-18 in suitable accommodation",
            "Of the care leavers aged 17-18 (gone abroad, deported or residence not known "
            "excluded), those in accommodation recorded as suitable.",
            SHARE,
            "high",
            ("accommodation",),
            family="care_leavers",
        ),
        Measure(
            "care_leavers_19_21_suitable_accommodation",
            "Care leavers aged 19-21 in suitable accommodation",
            "Of the care leavers aged 19-21 (gone abroad, deported or residence not known "
            "excluded), those in accommodation recorded as suitable.",
            SHARE,
            "high",
            ("accommodation",),
            old_name="formerly NI 147",
            family="care_leavers",
        ),
        Measure(
            "care_leavers_19_21_in_touch",
            "Care leavers aged 19-21 in touch",
            "Of the care leavers aged 19-21, those the council is in touch with (IN_TOUCH = YES).",
            SHARE,
            "high",
            ("in_touch",),
            family="care_leavers",
        ),
        Measure(
            "care_leavers_19_21_with_former_foster_carers",
            "Care leavers aged 19-21 living with former foster carers",
            "Of the care leavers aged 19-21, those living with their former foster carers "
            "(accommodation Z, staying put).",
            SHARE,
            "high",
            family="care_leavers",
        ),
    ]
}

# Health, missing, reviews, previous permanence, social workers (indicators.md): these read the
# optional tables of the return and are unavailable for a year whose table is not loaded.
_OC2_COHORT = "children looked after on 31 March for at least 12 months (the OC2 cohort)"
HEALTH_AND_MORE: list[Measure] = [
    Measure(
        "oc2_cohort",
        "Children looked after for at least 12 months (OC2 cohort)",
        "Children looked after on 31 March whose period of care began on or before 1 April of the "
        "year before (looked after continuously for at least 12 months).",
        COUNT,
        None,
        ("age_band",),
        family="oc2",
        table="OC2",
    ),
    Measure(
        "oc2_health_assessment",
        "Annual health assessment up to date",
        f"Of the {_OC2_COHORT}, those whose health assessment was up to date (OC2 HEALTH_ASSESSMENT = 1).",
        SHARE,
        "high",
        ("age_band",),
        family="oc2",
        table="OC2",
    ),
    Measure(
        "oc2_dental_check",
        "Dental check",
        f"Of the {_OC2_COHORT}, those who had their teeth checked by a dentist (TEETH_CHECK = 1).",
        SHARE,
        "high",
        ("age_band",),
        family="oc2",
        table="OC2",
    ),
    Measure(
        "oc2_immunisations_up_to_date",
        "Immunisations up to date",
        f"Of the {_OC2_COHORT}, those whose immunisations were up to date (IMMUNISATIONS = 1).",
        SHARE,
        "high",
        ("age_band",),
        family="oc2",
        table="OC2",
    ),
    Measure(
        "oc2_development_assessment_under_5",
        "Development assessment, children under 5",
        f"Of the {_OC2_COHORT} aged under 5 on 31 March, those whose development assessments "
        "were up to date (HEALTH_CHECK = 1).",
        SHARE,
        "high",
        family="oc2",
        table="OC2",
    ),
    Measure(
        "oc2_convicted_10_17",
        "Convicted or subject to a youth caution, aged 10-17",
        f"Of the {_OC2_COHORT} aged 10 to 17 on 31 March, those convicted during the year (CONVICTED = 1).",
        SHARE,
        "low",
        family="oc2",
        table="OC2",
    ),
    Measure(
        "oc2_substance_misuse",
        "Identified as having a substance misuse problem",
        f"Of the {_OC2_COHORT}, those identified as having a substance misuse problem (SUBSTANCE_MISUSE = 1).",
        SHARE,
        "low",
        family="oc2",
        table="OC2",
    ),
    Measure(
        "oc2_substance_intervention_received",
        "Received an intervention for substance misuse",
        "Of the children in the OC2 cohort identified as having a substance misuse problem, those "
        "who received an intervention (INTERVENTION_RECEIVED = 1).",
        SHARE,
        "high",
        family="oc2",
        table="OC2",
    ),
    Measure(
        "oc2_sdq_received_5_16",
        "Strengths and difficulties questionnaire completed, aged 5-16",
        f"Of the {_OC2_COHORT} aged 5 to 16 on 31 March, those with an SDQ score.",
        SHARE,
        "high",
        family="oc2",
        table="OC2",
    ),
    Measure(
        "oc2_sdq_average_5_16",
        "Average SDQ score, aged 5-16",
        "Mean strengths and difficulties score (0 to 40; higher is more concern) of the children "
        "in the OC2 cohort aged 5 to 16 with a score: the total of scores over the children.",
        MEAN,
        "low",
        family="oc2",
        table="OC2",
    ),
    Measure(
        "oc2_sdq_concern_5_16",
        "SDQ score a cause for concern, aged 5-16",
        "Of the children in the OC2 cohort aged 5 to 16 with an SDQ score, those scoring 17 to 40 "
        "(a cause for concern); by band: Normal 0-13, Borderline 14-16, Concern 17-40 (each "
        "band's children of all those with a score).",
        SHARE,
        "low",
        ("sdq_band",),
        family="oc2",
        table="OC2",
    ),
    Measure(
        "cla_during_year",
        "Children looked after during the year",
        "Children looked after on some day of the year (short breaks excluded).",
        COUNT,
        None,
        ("age_band",),
        family="during_year",
    ),
    Measure(
        "missing_children_share",
        "Children who went missing",
        "Of the children looked after during the year, those with at least one missing incident "
        "(MISSING = M, whereabouts unknown) during the year.",
        SHARE,
        "low",
        ("age_band",),
        family="during_year",
        table="Missing",
    ),
    Measure(
        "missing_incidents",
        "Missing incidents",
        "Missing incidents (MISSING = M) open on some day of the year, of children looked after "
        "during the year; an incident reported in two years' files counts once.",
        COUNT,
        "low",
        ("month",),
        family="during_year",
        counts="missing incidents",
        table="Missing",
    ),
    Measure(
        "missing_incidents_per_child",
        "Missing incidents per child who went missing",
        "Mean missing incidents during the year of the children who went missing: the incidents "
        "over the children.",
        MEAN,
        "low",
        family="during_year",
        counts="missing incidents per child",
        table="Missing",
    ),
    Measure(
        "away_children_share",
        "Children away from placement without authorisation",
        "Of the children looked after during the year, those with at least one incident of being "
        "away from placement without authorisation (MISSING = A, whereabouts known).",
        SHARE,
        "low",
        ("age_band",),
        family="during_year",
        table="Missing",
    ),
    Measure(
        "away_incidents",
        "Away from placement incidents",
        "Incidents of being away from placement without authorisation (MISSING = A) open on some "
        "day of the year, of children looked after during the year.",
        COUNT,
        "low",
        ("month",),
        family="during_year",
        counts="away-from-placement incidents",
        table="Missing",
    ),
    Measure(
        "reviews_on_time",
        "Reviews held on time",
        "Of the children looked after on 31 March whose period of care began at least 28 days "
        "earlier, those whose every review deadline in the year was met (first review within 20 "
        "working days, the second within 3 months, then every 6 months).",
        SHARE,
        "high",
        old_name="formerly NI 66",
        family="reviews",
        table="Reviews",
    ),
    Measure(
        "review_participation",
        "Participation in reviews",
        "Of the children aged 4 or over looked after on 31 March with a review in the year coded "
        "other than PN0, those who took part in every such review (PN1 to PN6).",
        SHARE,
        "high",
        old_name="formerly PAF C63",
        family="reviews",
        table="Reviews",
    ),
    Measure(
        "starts_after_permanence",
        "Starts after a previous permanence order",
        "Of the children starting to be looked after, those who had left care before on an "
        "adoption, special guardianship, child arrangements or residence order (PrevPerm P1-P4).",
        SHARE,
        "low",
        ("previous_order",),
        family="starts",
        table="PrevPerm",
    ),
    Measure(
        "social_workers_3plus",
        "Three or more social workers in the year",
        "Of the children looked after on 31 March, those with 3 or more different social workers "
        "allocated during the year (SWEpisodes).",
        SHARE,
        "low",
        ("age_band",),
        table="SWEpisodes",
    ),
]
MEASURES.update({m.id: m for m in HEALTH_AND_MORE})

# Breakdowns whose categories are postcode districts or localities: crossed with another
# breakdown they are small areas (disclosure.md, rule 4).
AREA_BREAKDOWNS = ("district", "locality")
