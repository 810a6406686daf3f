-- Report lines that need the built periods (indicators.md, Health, missing, reviews): run after
-- build.sql for one council ($la), with $oc2_years the collection years of the OC2 files loaded.
-- Columns: source, source_row, column_name, rule, message (all warnings).
WITH cohort AS (
    -- the OC2 cohort of each year: looked after on 31 March, the current period begun on or
    -- before 1 April of the year before (named by the episode open on 31 March)
    SELECT y.year, e.child_key, e.source, e.source_row
    FROM (SELECT unnest($oc2_years::INTEGER[]) AS year) y
    JOIN episodes e ON e.la_code IS NOT DISTINCT FROM $la AND NOT e.short_break
        AND e.decom <= make_date(y.year, 3, 31) AND (e.dec IS NULL OR e.dec > make_date(y.year, 3, 31))
    JOIN periods p ON p.la_code IS NOT DISTINCT FROM e.la_code AND p.child_key = e.child_key
        AND p.period_no = e.period_no
    WHERE p.start_date <= make_date(y.year - 1, 4, 1)
), oc2_rows AS (
    SELECT * FROM oc2 WHERE la_code IS NOT DISTINCT FROM $la
)
SELECT c.source, c.source_row, 'CHILD' AS column_name, 'oc2-missing' AS rule,
    'a child looked after continuously for 12 months at 31 March ' || c.year
    || ' (the OC2 cohort) has no row in that year''s OC2 file: counted in the denominators, in no numerator' AS message
FROM cohort c
WHERE NOT EXISTS (SELECT 1 FROM oc2_rows o WHERE o.child_key = c.child_key AND o.year = c.year)
UNION ALL
SELECT o.source, o.source_row, 'CHILD', 'oc2-not-in-cohort',
    'OC2 row of a child who was not looked after continuously for the 12 months to 31 March ' || o.year
    || ' (not in the OC2 cohort): ignored'
FROM oc2_rows o
WHERE NOT EXISTS (SELECT 1 FROM cohort c WHERE c.child_key = o.child_key AND c.year = o.year)
UNION ALL
SELECT m.source, m.source_row, 'CHILD', 'missing-not-looked-after',
    'incident of a child not looked after on any day of the year ending 31 March ' || m.year || ': ignored'
FROM missing m
WHERE m.la_code IS NOT DISTINCT FROM $la AND m.year IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM episodes e
    WHERE e.la_code IS NOT DISTINCT FROM m.la_code AND e.child_key = m.child_key AND NOT e.short_break
      AND e.decom <= make_date(m.year, 3, 31) AND (e.dec IS NULL OR e.dec > make_date(m.year - 1, 4, 1)))
