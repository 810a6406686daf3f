-- review_participation (formerly PAF C63): of the children looked after on 31 March, aged 4 or
-- over then, with at least one review in the year coded other than PN0, those whose every such
-- review is coded PN1 to PN6. Reviews with no valid code are left out.
WITH s AS (
    SELECT year, la_code, child_key, period_start, period_end FROM stock($years, march_ends($years), $council)
    WHERE age >= 4 AND keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
), judged AS (
    SELECT s.year, bool_and(r.review_code IN ('PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6')) AS took_part
    FROM s
    JOIN reviews r ON r.la_code IS NOT DISTINCT FROM s.la_code AND r.child_key = s.child_key
        AND r.review BETWEEN s.period_start AND s.period_end
        AND r.review_code IS NOT NULL AND r.review_code <> 'PN0'
    GROUP BY s.year, s.la_code, s.child_key
)
SELECT y.year, NULL AS dim, NULL AS category, count(j.year) FILTER (WHERE j.took_part) AS numerator,
    count(j.year) AS denominator
FROM (SELECT unnest($years) AS year) y LEFT JOIN judged j ON j.year = y.year
GROUP BY y.year
