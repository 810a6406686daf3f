-- police_protection_starts: starts whose first episode has LS = L1.
WITH s AS (
    SELECT year, age_band(age) AS age_band FROM first_starts($years, $ends, $council)
    WHERE ls = 'L1'
      AND keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
)
SELECT year, NULL AS dim, NULL AS category, count(*) AS numerator, NULL AS denominator
FROM s GROUP BY year
UNION ALL
SELECT year, 'age_band', age_band, count(*), NULL FROM s GROUP BY ALL
