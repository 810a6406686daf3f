-- monthly: starts and ceased per calendar month (the monthly management information of a
-- strategy action plan). A child is counted once a month: their first start in the month, their
-- last end in the month; the filters apply to that start or end. Parameters: $months (the first
-- day of each month) and the filters.
WITH months AS (
    SELECT unnest($months) AS month_start
), starts AS (
    SELECT m.month_start, p.start_district AS district, age_band(p.start_age) AS age_band
    FROM months m
    JOIN periods p ON p.is_start AND date_trunc('month', p.start_date) = m.month_start
    JOIN children c ON c.la_code IS NOT DISTINCT FROM p.la_code AND c.child_key = p.child_key
    WHERE keep(p.la_code, p.start_district, p.start_age, c.sex, $council, $area_on, $area, $bands, $sexes)
    QUALIFY row_number() OVER (PARTITION BY m.month_start, p.la_code, p.child_key ORDER BY p.start_date) = 1
), ceased AS (
    SELECT m.month_start, p.end_district AS district, ceased_age_band(p.end_age) AS age_band
    FROM months m
    JOIN periods p ON date_trunc('month', p.end_date) = m.month_start
    JOIN children c ON c.la_code IS NOT DISTINCT FROM p.la_code AND c.child_key = p.child_key
    WHERE keep(p.la_code, p.end_district, p.end_age, c.sex, $council, $area_on, $area, $bands, $sexes)
    QUALIFY row_number() OVER (PARTITION BY m.month_start, p.la_code, p.child_key ORDER BY p.end_date DESC) = 1
), events AS (
    SELECT 'starts' AS measure, month_start, coalesce(district, 'Unknown') AS district, age_band FROM starts
    UNION ALL
    SELECT 'ceased', month_start, coalesce(district, 'Unknown'), age_band FROM ceased
)
SELECT measure, month_start, NULL AS dim, NULL AS category, count(*) AS n FROM events GROUP BY ALL
UNION ALL
SELECT measure, month_start, dim, category, count(*)
FROM (UNPIVOT events ON age_band, district INTO NAME dim VALUE category)
GROUP BY ALL
