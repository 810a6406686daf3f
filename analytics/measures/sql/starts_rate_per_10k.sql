-- starts_rate_per_10k: starts in the year per 10,000 children aged 0-17 in the population
-- table for the year (else the latest earlier year), same districts and age bands.
WITH s AS (
    SELECT year, count(*) AS n FROM first_starts($years, $ends, $council)
    WHERE keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
    GROUP BY year
)
SELECT pop.year, NULL AS dim, NULL AS category, coalesce(s.n, 0) AS numerator, pop.children AS denominator
FROM population_0_17($years, $ends, $council, $area_on, $area, $bands) pop
LEFT JOIN s USING (year)
