-- placement_moves: starts of placements other than the first of their period, in the year
-- (carer changes only); district and age from the episode that starts the new placement.
WITH s AS (
    SELECT y.year, pl.move_reason AS reason
    FROM report_years($years, $ends) y
    JOIN placements pl ON pl.placement_no > 1 AND pl.start_date BETWEEN y.period_start AND y.period_end
    JOIN children c ON c.la_code IS NOT DISTINCT FROM pl.la_code AND c.child_key = pl.child_key
    WHERE keep(pl.la_code, pl.start_district, pl.start_age, c.sex, $council, $area_on, $area, $bands, $sexes)
)
SELECT year, NULL AS dim, NULL AS category, count(*) AS numerator, NULL AS denominator
FROM s GROUP BY year
UNION ALL
SELECT year, 'reason', reason, count(*), NULL FROM s GROUP BY ALL
