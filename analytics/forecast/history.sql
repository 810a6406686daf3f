-- forecast history: every child looked after on 31 March of each year (short breaks excluded),
-- with age, placement, provider, home district, the start of the period of care and how it ended.
-- Bound: $years, $ends (31 March of each), $council, $area_on, $area. Age-band and sex filters do
-- not apply: the model ages children across the bands.
SELECT s.year, s.child_key, s.age, s.place, s.provider, coalesce(s.district, 'Unknown') AS district,
    s.care_start, p.end_date, p.end_reason_group
FROM stock($years, $ends, $council) s
JOIN periods p ON p.la_code IS NOT DISTINCT FROM s.la_code AND p.child_key = s.child_key
    AND p.start_date = s.care_start
WHERE keep(s.la_code, s.district, s.age, s.sex, $council, $area_on, $area, [], [])
  AND s.age BETWEEN 0 AND 17
