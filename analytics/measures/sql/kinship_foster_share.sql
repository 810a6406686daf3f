-- kinship_foster_share: of the children looked after on 31 March, those in kinship foster care
-- (U1-U3, Q1).
SELECT year, NULL AS dim, NULL AS category,
    count(*) FILTER (WHERE placement_group(place) = 'Foster: kinship') AS numerator,
    count(*) AS denominator
FROM stock($years, $ends, $council)
WHERE keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
GROUP BY year
