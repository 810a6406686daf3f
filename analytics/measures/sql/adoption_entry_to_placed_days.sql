-- adoption_entry_to_placed_days: children adopted in the year who had an adoption placement in
-- that period: mean days from the period's start to moving in with the adopters (the start of
-- the period's last A3-A6 placement; for A3/A5, the foster placement it continued).
SELECT year, NULL AS dim, NULL AS category,
    sum(adoption_placement_start - start_date) AS numerator, count(*) AS denominator
FROM last_ends($years, $ends, $council)
WHERE reason_group = 'Adopted' AND adoption_placement_start IS NOT NULL
  AND keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
GROUP BY year
