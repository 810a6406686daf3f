-- oc2_sdq_received_5_16: of the OC2 cohort aged 5 to 16 on 31 March, those with an SDQ score.
SELECT year, NULL AS dim, NULL AS category, count(*) FILTER (WHERE sdq_score IS NOT NULL) AS numerator, count(*) AS denominator
FROM oc2_cohort($years, $council)
WHERE age BETWEEN 5 AND 16 AND keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
GROUP BY year
