-- placements_3plus: of the children looked after on 31 March, those with 3 or more placements
-- during the year (open on some day of it), in any of their periods of care.
WITH s AS (
    SELECT * FROM stock($years, $ends, $council)
    WHERE keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
), counted AS (
    SELECT s.year, age_band(s.age) AS age_band, count(*) AS placements
    FROM s
    JOIN placements pl ON pl.la_code IS NOT DISTINCT FROM s.la_code AND pl.child_key = s.child_key
        AND pl.start_date <= s.period_end
        AND (pl.end_date IS NULL OR pl.end_date > s.period_start)
    GROUP BY s.year, s.la_code, s.child_key, s.age
)
SELECT year, NULL AS dim, NULL AS category,
    count(*) FILTER (WHERE placements >= 3) AS numerator, count(*) AS denominator
FROM counted GROUP BY year
UNION ALL
SELECT year, 'age_band', age_band, count(*) FILTER (WHERE placements >= 3), count(*)
FROM counted GROUP BY ALL
