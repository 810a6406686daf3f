-- starts_after_permanence: of the starts (each child's first in the year), those whose PrevPerm
-- row of the year has PREV_PERM P1 to P4 (a previous adoption, special guardianship, child
-- arrangements or residence order). A PrevPerm file loaded with no year serves every year.
WITH s AS (
    SELECT f.year,
        (SELECT arg_max(pp.prev_perm, coalesce(pp.year, 0)) FROM prev_perm pp
         WHERE pp.la_code IS NOT DISTINCT FROM f.la_code AND pp.child_key = f.child_key
           AND (pp.year = f.year OR pp.year IS NULL)) AS prev_perm
    FROM first_starts($years, $ends, $council) f
    WHERE keep(f.la_code, f.district, f.age, f.sex, $council, $area_on, $area, $bands, $sexes)
), labelled AS (
    SELECT year, coalesce(prev_perm IN ('P1', 'P2', 'P3', 'P4'), false) AS hit,
        CASE prev_perm WHEN 'P1' THEN 'Adoption' WHEN 'P2' THEN 'Special guardianship'
            WHEN 'P3' THEN 'Child arrangements or residence' WHEN 'P4' THEN 'Child arrangements or residence'
            WHEN 'Z1' THEN 'None' ELSE 'Not recorded' END AS previous_order
    FROM s
)
SELECT year, NULL AS dim, NULL AS category, count(*) FILTER (WHERE hit) AS numerator, count(*) AS denominator
FROM labelled GROUP BY year
UNION ALL
SELECT year, 'previous_order', previous_order, count(*) FILTER (WHERE hit), count(*) FROM labelled GROUP BY ALL
