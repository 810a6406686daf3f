-- missing_incidents: incidents with MISSING = M open on some day of the year, of the children looked after
-- during the year; the same incident reported in two loaded years counts once.
SELECT y.year, NULL AS dim, NULL AS category, count(i.year) AS numerator, NULL AS denominator
FROM (SELECT unnest($years) AS year) y
LEFT JOIN incidents($years, $ends, $council, $area_on, $area, $bands, $sexes) i
    ON i.year = y.year AND i.missing = 'M'
GROUP BY y.year
