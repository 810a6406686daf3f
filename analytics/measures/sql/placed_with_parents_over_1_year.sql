-- placed_with_parents_over_1_year: children looked after on 31 March placed with parents (P1)
-- on a full care order (C2) whose placement began more than 365 days before.
SELECT y.year, NULL AS dim, NULL AS category, count(s.year) AS numerator, NULL AS denominator
FROM report_years($years, $ends) y
LEFT JOIN stock($years, $ends, $council) s ON s.year = y.year
    AND s.place = 'P1' AND s.ls = 'C2' AND s.period_end - s.placement_start > 365
    AND keep(s.la_code, s.district, s.age, s.sex, $council, $area_on, $area, $bands, $sexes)
GROUP BY y.year
