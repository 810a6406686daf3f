-- care_leavers_19_21_eet: care leavers whose 19th to 21st birthday fell in the year (exclusions as for 17-18), in education, employment or training.
WITH s AS (
    SELECT year, coalesce(activ, 'Unknown') AS activity, coalesce(activ IN ('F1', 'P1', 'F2', 'P2', 'F3', 'P3', 'F4', 'P4', 'F5', 'P5'), false) AS hit
    FROM care_leaver_cohort($years, 19, 21)
    WHERE  keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
)
SELECT year, NULL AS dim, NULL AS category, count(*) FILTER (WHERE hit) AS numerator, count(*) AS denominator
FROM s GROUP BY year
UNION ALL
SELECT year, 'activity', activity, count(*) FILTER (WHERE hit), count(*) FROM s GROUP BY ALL
