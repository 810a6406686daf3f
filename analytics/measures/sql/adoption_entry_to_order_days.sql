-- adoption_entry_to_order_days: children adopted in the year: mean days from the period's start
-- to the adoption (the period's end).
SELECT year, NULL AS dim, NULL AS category,
    sum(end_date - start_date) AS numerator, count(*) AS denominator
FROM last_ends($years, $ends, $council)
WHERE reason_group = 'Adopted'
  AND keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
GROUP BY year
