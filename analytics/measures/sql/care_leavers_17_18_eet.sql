-- care_leavers_17_18_eet: care leavers whose 17th or 18th birthday fell in the year (died or returned home excluded; so are those whose episodes are all short breaks or whose last period ended E3), in education, employment or training (ACTIV F1 P1 F2 P2 F3 P3 F4 P4 F5 P5).
WITH s AS (
    SELECT year, coalesce(activ, 'Unknown') AS activity, coalesce(activ IN ('F1', 'P1', 'F2', 'P2', 'F3', 'P3', 'F4', 'P4', 'F5', 'P5'), false) AS hit
    FROM care_leaver_cohort($years, 17, 18)
    WHERE  keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
)
SELECT year, NULL AS dim, NULL AS category, count(*) FILTER (WHERE hit) AS numerator, count(*) AS denominator
FROM s GROUP BY year
UNION ALL
SELECT year, 'activity', activity, count(*) FILTER (WHERE hit), count(*) FROM s GROUP BY ALL
