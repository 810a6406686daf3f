-- starts: children with a period of care starting in the year whose first episode is RNE = S,
-- each child once (the first start); the filters apply to that start.
WITH s AS (
    SELECT * FROM first_starts($years, $ends, $council)
    WHERE keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
), labelled AS (
    SELECT year, age_band(age) AS age_band, sex, ethnic_group,
        CASE WHEN uasc THEN 'UASC' ELSE 'Not UASC' END AS uasc,
        coalesce(district, 'Unknown') AS district, locality_of(district) AS locality,
        coalesce(cin, 'Unknown') AS category_of_need, coalesce(ls, 'Unknown') AS legal_status
    FROM s
)
SELECT year, NULL AS dim, NULL AS category, count(*) AS numerator, NULL AS denominator
FROM labelled GROUP BY year
UNION ALL
SELECT year, dim, category, count(*), NULL
FROM (UNPIVOT labelled
      ON age_band, sex, ethnic_group, uasc, district, locality, category_of_need, legal_status
      INTO NAME dim VALUE category)
GROUP BY ALL
