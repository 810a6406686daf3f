-- oc2_substance_misuse: of the OC2 cohort, SUBSTANCE_MISUSE = 1.
SELECT year, NULL AS dim, NULL AS category, count(*) FILTER (WHERE substance_misuse) AS numerator, count(*) AS denominator
FROM oc2_cohort($years, $council)
WHERE true AND keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
GROUP BY year
