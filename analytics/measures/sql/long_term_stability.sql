-- long_term_stability: of the children under 16 looked after on 31 March whose period began at
-- least 30 months earlier, those whose placement began at least 24 months earlier; a child now
-- placed for adoption with new carers (A4, A6) counts from the start of the placement before.
WITH s AS (
    SELECT year, CASE WHEN place IN ('A4', 'A6') THEN coalesce(previous_placement_start, placement_start)
                      ELSE placement_start END AS counted_from,
        period_end
    FROM stock($years, $ends, $council)
    WHERE age < 16 AND care_start <= months_before(period_end, 30)
      AND keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
)
SELECT year, NULL AS dim, NULL AS category,
    count(*) FILTER (WHERE counted_from <= months_before(period_end, 24)) AS numerator,
    count(*) AS denominator
FROM s GROUP BY year
