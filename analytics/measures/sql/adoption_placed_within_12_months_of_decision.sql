-- adoption_placed_within_12_months_of_decision (formerly NI 61): of the children adopted in the
-- year with a decision to place for adoption (the latest PlacedAdoption DATE_PLACED between the
-- period's start and the adoption) and an adoption placement, those who moved in with the
-- adopters no more than 12 calendar months after the decision.
WITH s AS (
    SELECT a.year, a.adoption_placement_start AS moved_in, max(d.date_placed) AS decision
    FROM last_ends($years, $ends, $council) a
    JOIN adoption_decisions d ON d.la_code IS NOT DISTINCT FROM a.la_code AND d.child_key = a.child_key
        AND d.date_placed BETWEEN a.start_date AND a.end_date
    WHERE a.reason_group = 'Adopted' AND a.adoption_placement_start IS NOT NULL
      AND keep(a.la_code, a.district, a.age, a.sex, $council, $area_on, $area, $bands, $sexes)
    GROUP BY a.year, a.la_code, a.child_key, a.adoption_placement_start
)
SELECT year, NULL AS dim, NULL AS category,
    count(*) FILTER (WHERE moved_in <= CAST(decision + to_months(12) AS DATE)) AS numerator,
    count(*) AS denominator
FROM s GROUP BY year
