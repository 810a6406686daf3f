-- ceased: children whose period of care ended in the year, each child once (the last end).
WITH s AS (
    SELECT year, coalesce(reason_group, 'Unknown') AS reason_group, ceased_age_band(age) AS age_band
    FROM last_ends($years, $ends, $council)
    WHERE keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
)
SELECT year, NULL AS dim, NULL AS category, count(*) AS numerator, NULL AS denominator
FROM s GROUP BY year
UNION ALL
SELECT year, dim, category, count(*), NULL
FROM (UNPIVOT s ON reason_group, age_band INTO NAME dim VALUE category)
GROUP BY ALL
