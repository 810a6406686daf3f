-- missing_incidents_per_child: mean missing incidents (MISSING = M) during the year of the
-- children who went missing (numerator the incidents, denominator the children).
SELECT year, NULL AS dim, NULL AS category, count(*) AS numerator, count(DISTINCT (la_code, child_key)) AS denominator
FROM incidents($years, $ends, $council, $area_on, $area, $bands, $sexes)
WHERE missing = 'M'
GROUP BY year
