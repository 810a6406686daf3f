-- oc2_sdq_average_5_16: mean SDQ score of the OC2 cohort aged 5 to 16 on 31 March with a score
-- (numerator the total of scores, denominator the children).
SELECT year, NULL AS dim, NULL AS category, coalesce(sum(sdq_score), 0) AS numerator, count(*) AS denominator
FROM oc2_cohort($years, $council)
WHERE age BETWEEN 5 AND 16 AND sdq_score IS NOT NULL
  AND keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
GROUP BY year
