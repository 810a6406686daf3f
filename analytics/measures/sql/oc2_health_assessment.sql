-- oc2_health_assessment: of the OC2 cohort (looked after on 31 March for at least 12 months), HEALTH_ASSESSMENT = 1.
WITH s AS (
    SELECT year, age_band(age) AS age_band, health_assessment AS hit
    FROM oc2_cohort($years, $council)
    WHERE keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
)
SELECT year, NULL AS dim, NULL AS category, count(*) FILTER (WHERE hit) AS numerator, count(*) AS denominator
FROM s GROUP BY year
UNION ALL
SELECT year, 'age_band', age_band, count(*) FILTER (WHERE hit), count(*) FROM s GROUP BY ALL
