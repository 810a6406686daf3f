-- care_leavers_19_21_in_touch: the 19-21 cohort, in touch with the council (IN_TOUCH = YES).
WITH s AS (
    SELECT year, coalesce(in_touch, 'Unknown') AS in_touch, coalesce(in_touch = 'YES', false) AS hit
    FROM care_leaver_cohort($years, 19, 21)
    WHERE  keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
)
SELECT year, NULL AS dim, NULL AS category, count(*) FILTER (WHERE hit) AS numerator, count(*) AS denominator
FROM s GROUP BY year
UNION ALL
SELECT year, 'in_touch', in_touch, count(*) FILTER (WHERE hit), count(*) FROM s GROUP BY ALL
