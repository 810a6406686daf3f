-- away_incidents: incidents with MISSING = A open on some day of the year, of the children looked after
-- during the year; the same incident reported in two loaded years counts once. Broken down by the
-- month each began ("(carried over)": begun before the year): the dashboard's month by month.
SELECT y.year, NULL AS dim, NULL AS category, count(i.year) AS numerator, NULL AS denominator
FROM (SELECT unnest($years) AS year) y
LEFT JOIN incidents($years, $ends, $council, $area_on, $area, $bands, $sexes) i
    ON i.year = y.year AND i.missing = 'A'
GROUP BY y.year
UNION ALL
SELECT i.year, 'month', CASE WHEN i.mis_start < i.period_start THEN '(carried over)' ELSE strftime(i.mis_start, '%Y-%m') END,
    count(*), NULL
FROM incidents($years, $ends, $council, $area_on, $area, $bands, $sexes) i
WHERE i.missing = 'A'
GROUP BY ALL
