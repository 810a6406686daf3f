-- cla_at_31_march: children looked after on 31 March (or the as-of date).
WITH s AS (
    SELECT * FROM stock($years, $ends, $council)
    WHERE keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
), labelled AS (
    SELECT year, age_band(age) AS age_band, sex, ethnic_group,
        CASE WHEN uasc THEN 'UASC' ELSE 'Not UASC' END AS uasc,
        placement_group(place) AS placement_group, provider_label(provider) AS provider,
        coalesce(ls, 'Unknown') AS legal_status, coalesce(cin, 'Unknown') AS category_of_need,
        coalesce(district, 'Unknown') AS district, locality_of(district) AS locality
    FROM s
)
SELECT year, NULL AS dim, NULL AS category, count(*) AS numerator, NULL AS denominator
FROM labelled GROUP BY year
UNION ALL
SELECT year, dim, category, count(*), NULL
FROM (UNPIVOT labelled
      ON age_band, sex, ethnic_group, uasc, placement_group, provider, legal_status,
         category_of_need, district, locality
      INTO NAME dim VALUE category)
GROUP BY ALL
