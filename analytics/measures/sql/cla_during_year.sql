-- cla_during_year: children looked after on some day of the year (short breaks excluded); age on
-- the last day of the year they were looked after, district of their last episode in the year.
WITH s AS (
    SELECT year, age_band(age) AS age_band
    FROM during_year($years, $ends, $council)
    WHERE keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
)
SELECT year, NULL AS dim, NULL AS category, count(*) AS numerator, NULL AS denominator
FROM s GROUP BY year
UNION ALL
SELECT year, 'age_band', age_band, count(*), NULL FROM s GROUP BY ALL
