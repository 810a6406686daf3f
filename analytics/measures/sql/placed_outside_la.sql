-- placed_outside_la: of the children looked after on 31 March, those whose placement's council
-- is known and is not their own council; children whose placement's council is unknown stay in
-- the denominator and are shown as a breakdown.
WITH s AS (
    SELECT year, CASE WHEN pl_council IS NULL THEN 'Unknown' ELSE 'Known' END AS location,
        coalesce(pl_council <> la_code, false) AS outside
    FROM stock($years, $ends, $council)
    WHERE keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
)
SELECT year, NULL AS dim, NULL AS category, count(*) FILTER (WHERE outside) AS numerator, count(*) AS denominator
FROM s GROUP BY year
UNION ALL
SELECT year, 'location', location, count(*) FILTER (WHERE outside), count(*) FROM s GROUP BY ALL
