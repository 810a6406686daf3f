-- missing_children_share: of the children looked after during the year, those with at least one incident with
-- MISSING = M open on some day of the year (incidents carried over from the year before count).
WITH hits AS (
    SELECT DISTINCT year, la_code, child_key
    FROM incidents($years, $ends, $council, $area_on, $area, $bands, $sexes)
    WHERE missing = 'M'
), s AS (
    SELECT d.year, age_band(d.age) AS age_band, h.child_key IS NOT NULL AS hit
    FROM during_year($years, $ends, $council) d
    LEFT JOIN hits h ON h.year = d.year AND h.la_code IS NOT DISTINCT FROM d.la_code
        AND h.child_key = d.child_key
    WHERE keep(d.la_code, d.district, d.age, d.sex, $council, $area_on, $area, $bands, $sexes)
)
SELECT year, NULL AS dim, NULL AS category, count(*) FILTER (WHERE hit) AS numerator, count(*) AS denominator
FROM s GROUP BY year
UNION ALL
SELECT year, 'age_band', age_band, count(*) FILTER (WHERE hit), count(*) FROM s GROUP BY ALL
