-- oc2_substance_intervention_received: of the OC2 cohort with SUBSTANCE_MISUSE = 1, INTERVENTION_RECEIVED = 1.
SELECT year, NULL AS dim, NULL AS category, count(*) FILTER (WHERE intervention_received) AS numerator, count(*) AS denominator
FROM oc2_cohort($years, $council)
WHERE substance_misuse AND keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
GROUP BY year
