-- oc2_development_assessment_under_5: of the OC2 cohort aged under 5 on 31 March, HEALTH_CHECK = 1 (development assessments up to date).
SELECT year, NULL AS dim, NULL AS category, count(*) FILTER (WHERE health_check) AS numerator, count(*) AS denominator
FROM oc2_cohort($years, $council)
WHERE age < 5 AND keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
GROUP BY year
