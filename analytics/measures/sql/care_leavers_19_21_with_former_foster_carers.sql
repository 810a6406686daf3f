-- care_leavers_19_21_with_former_foster_carers: the 19-21 cohort, living with their former
-- foster carers (ACCOM beginning Z: staying put).
SELECT year, NULL AS dim, NULL AS category,
    count(*) FILTER (WHERE coalesce(accom LIKE 'Z%', false)) AS numerator, count(*) AS denominator
FROM care_leaver_cohort($years, 19, 21)
WHERE keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
GROUP BY year
