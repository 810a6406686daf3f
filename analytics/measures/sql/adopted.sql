-- adopted: of the children who ceased to be looked after in the year (each child's last end), those
-- whose reason for ceasing is in the group "Adopted"; broken down by age band at ceasing.
WITH s AS (
    SELECT year, age_band(age) AS age_band, reason_group = 'Adopted' AS hit
    FROM last_ends($years, $ends, $council)
    WHERE keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
)
SELECT year, NULL AS dim, NULL AS category, count(*) FILTER (WHERE hit) AS numerator, count(*) AS denominator
FROM s GROUP BY year
UNION ALL
SELECT year, 'age_band', age_band, count(*) FILTER (WHERE hit), count(*) FROM s GROUP BY ALL
