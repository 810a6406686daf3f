-- social_workers_3plus: of the children looked after on 31 March, those with 3 or more different
-- social workers (SW_ID, kept only as a keyed hash) on SWEpisodes open on some day of the year
-- (SW_DECOM <= 31 March, SW_DEC blank or on or after 1 April).
WITH s AS (
    SELECT * FROM stock($years, $ends, $council)
    WHERE keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
), counted AS (
    SELECT s.year, age_band(s.age) AS age_band,
        (SELECT count(DISTINCT w.sw_key) FROM sw_episodes w
         WHERE w.la_code IS NOT DISTINCT FROM s.la_code AND w.child_key = s.child_key
           AND w.sw_decom <= s.period_end AND (w.sw_dec IS NULL OR w.sw_dec >= s.period_start)) AS workers
    FROM s
)
SELECT year, NULL AS dim, NULL AS category, count(*) FILTER (WHERE workers >= 3) AS numerator, count(*) AS denominator
FROM counted GROUP BY year
UNION ALL
SELECT year, 'age_band', age_band, count(*) FILTER (WHERE workers >= 3), count(*) FROM counted GROUP BY ALL
