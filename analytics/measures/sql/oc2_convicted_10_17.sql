-- oc2_convicted_10_17: of the OC2 cohort aged 10 to 17 on 31 March, CONVICTED = 1.
SELECT year, NULL AS dim, NULL AS category, count(*) FILTER (WHERE convicted) AS numerator, count(*) AS denominator
FROM oc2_cohort($years, $council)
WHERE age BETWEEN 10 AND 17 AND keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
GROUP BY year
