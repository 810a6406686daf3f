-- purchased_foster_share: of the children in foster care on 31 March, those placed with a
-- private or voluntary provider (PR4, PR5).
WITH s AS (
    SELECT year, age_band(age) AS age_band, coalesce(provider IN ('PR4', 'PR5'), false) AS purchased
    FROM stock($years, $ends, $council)
    WHERE placement_group(place) IN ('Foster: kinship', 'Foster: other carers')
      AND keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
)
SELECT year, NULL AS dim, NULL AS category, count(*) FILTER (WHERE purchased) AS numerator, count(*) AS denominator
FROM s GROUP BY year
UNION ALL
SELECT year, 'age_band', age_band, count(*) FILTER (WHERE purchased), count(*) FROM s GROUP BY ALL
