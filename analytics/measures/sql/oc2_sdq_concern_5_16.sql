-- oc2_sdq_concern_5_16: of the OC2 cohort aged 5 to 16 on 31 March with an SDQ score, those
-- scoring 17 to 40 (a cause for concern). By band (Normal 0-13, Borderline 14-16, Concern 17-40):
-- each cell counts the band's children (numerator) of all the children with a score
-- (denominator), so the bands share out the whole, as DfE publishes them.
WITH s AS (
    SELECT year, sdq_score >= 17 AS hit,
        CASE WHEN sdq_score <= 13 THEN 'Normal' WHEN sdq_score <= 16 THEN 'Borderline' ELSE 'Concern' END AS sdq_band
    FROM oc2_cohort($years, $council)
    WHERE age BETWEEN 5 AND 16 AND sdq_score IS NOT NULL
      AND keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
)
SELECT year, NULL AS dim, NULL AS category, count(*) FILTER (WHERE hit) AS numerator, count(*) AS denominator
FROM s GROUP BY year
UNION ALL
SELECT b.year, 'sdq_band', b.sdq_band, b.children, t.children
FROM (SELECT year, sdq_band, count(*) AS children FROM s GROUP BY ALL) b
JOIN (SELECT year, count(*) AS children FROM s GROUP BY year) t USING (year)
