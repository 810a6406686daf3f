-- oc2_cohort: children looked after on 31 March whose current period began on or before 1 April
-- of the year before (looked after continuously for at least 12 months); age on 31 March.
WITH s AS (
    SELECT year, age_band(age) AS age_band
    FROM oc2_cohort($years, $council)
    WHERE keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
)
SELECT year, NULL AS dim, NULL AS category, count(*) AS numerator, NULL AS denominator
FROM s GROUP BY year
UNION ALL
SELECT year, 'age_band', age_band, count(*), NULL FROM s GROUP BY ALL
