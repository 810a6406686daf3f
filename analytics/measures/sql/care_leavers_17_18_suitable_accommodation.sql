-- care_leavers_17_18_suitable_accommodation: the 17-18 cohort minus those gone abroad, deported or whose residence is not known (ACCOM G, H, R), in accommodation recorded as suitable (ACCOM ending 1).
WITH s AS (
    SELECT year, coalesce(left(accom, 1), 'Unknown') AS accommodation, coalesce(accom LIKE '_1', false) AS hit
    FROM care_leaver_cohort($years, 17, 18)
    WHERE (accom IS NULL OR left(accom, 1) NOT IN ('G', 'H', 'R')) AND keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
)
SELECT year, NULL AS dim, NULL AS category, count(*) FILTER (WHERE hit) AS numerator, count(*) AS denominator
FROM s GROUP BY year
UNION ALL
SELECT year, 'accommodation', accommodation, count(*) FILTER (WHERE hit), count(*) FROM s GROUP BY ALL
