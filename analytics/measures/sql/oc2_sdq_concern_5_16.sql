-- oc2_sdq_concern_5_16: of the OC2 cohort aged 5 to 16 on 31 March with an SDQ score, those
-- scoring 17 to 40 (a cause for concern). By band (Normal 0-13, Borderline 14-16, Concern 17-40):
-- each band's children are its cell's denominator.
WITH s AS (
    SELECT year, sdq_score >= 17 AS hit,
        CASE WHEN sdq_score <= 13 THEN 'Normal' WHEN sdq_score <= 16 THEN 'Borderline' ELSE 'Concern' END AS sdq_band
    FROM oc2_cohort($years)
    WHERE age BETWEEN 5 AND 16 AND sdq_score IS NOT NULL
      AND keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
)
SELECT year, NULL AS dim, NULL AS category, count(*) FILTER (WHERE hit) AS numerator, count(*) AS denominator
FROM s GROUP BY year
UNION ALL
SELECT year, 'sdq_band', sdq_band, count(*) FILTER (WHERE hit), count(*) FROM s GROUP BY ALL
