-- foster_or_adoption_10_15: of the children aged 10 to 15 looked after on 31 March, those in
-- foster care (U1-U6, Q1, Q2) or placed for adoption (A3-A6).
SELECT year, NULL AS dim, NULL AS category,
    count(*) FILTER (WHERE placement_group(place) IN ('Foster: kinship', 'Foster: other carers', 'Placed for adoption')) AS numerator,
    count(*) AS denominator
FROM stock($years, $ends, $council)
WHERE age BETWEEN 10 AND 15
  AND keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
GROUP BY year
