-- placed_over_20_miles: of the children looked after on 31 March, those whose placement is known
-- to be more than 20 miles (straight line) from home; unknown distances stay in the denominator
-- and are shown as a breakdown.
WITH s AS (
    SELECT year, CASE WHEN distance_miles IS NULL THEN 'Unknown' ELSE 'Known' END AS distance,
        coalesce(distance_miles > 20, false) AS over_20
    FROM stock($years, $ends, $council)
    WHERE keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
)
SELECT year, NULL AS dim, NULL AS category, count(*) FILTER (WHERE over_20) AS numerator, count(*) AS denominator
FROM s GROUP BY year
UNION ALL
SELECT year, 'distance', distance, count(*) FILTER (WHERE over_20), count(*) FROM s GROUP BY ALL
