-- Building blocks shared by the measures (indicators.md, "Which child, district, age and sex a
-- measure looks at"). Created as temporary macros on every connection. Each measure's query
-- takes the bound parameters $years and $ends (the reporting years and the last day of each:
-- 31 March or the as-of date) and the filters $council, $area_on, $area (districts allowed by
-- the district and locality filters), $bands (age bands), $sexes.

-- The filters, combined with AND. A child with no known district is in district 'Unknown'.
CREATE OR REPLACE TEMP MACRO keep(la, district, age, sex, f_council, f_area_on, f_area, f_bands, f_sexes) AS
    (f_council IS NULL OR la = f_council)
    AND (NOT f_area_on OR list_contains(f_area, coalesce(district, 'Unknown')))
    AND (len(f_bands) = 0 OR list_contains(f_bands, age_band(age)))
    AND (len(f_sexes) = 0 OR list_contains(f_sexes, sex));

CREATE OR REPLACE TEMP MACRO report_years(p_years, p_ends) AS TABLE
    SELECT y.year, make_date(y.year - 1, 4, 1) AS period_start, y.period_end
    FROM (SELECT unnest(p_years) AS year, unnest(p_ends) AS period_end) y;

-- The building blocks below (`stock`, `first_starts`, `last_ends`, `during_year`: `BLOCKS` in
-- analytics/measures/__init__.py) are each made once per connection, year (its last day) and
-- council filter (NULL: every council) into a temporary table `block_<name>` by `make_blocks`,
-- from the macro `<name>_of`, and read from there by every measure. A year not made is an
-- error, never an empty answer.
CREATE OR REPLACE TEMP MACRO made(p_block, p_years, p_ends, p_council) AS (
    SELECT CASE WHEN count(m.year) = len(p_years) THEN true
                ELSE error('building block ' || p_block || ' not made for these years') END
    FROM report_years(p_years, p_ends) y
    LEFT JOIN block_made m ON m.block = p_block AND m.year = y.year AND m.period_end = y.period_end
        AND m.council IS NOT DISTINCT FROM p_council);

CREATE OR REPLACE TEMP MACRO locality_of(d) AS
    coalesce((SELECT l.locality FROM localities l WHERE l.district = d),
             CASE WHEN d IS NULL THEN 'Unknown' ELSE 'Unassigned' END);

-- Children looked after on each year's last day: the episode open that day (district, legal
-- status, category of need) and its placement's attributes (latest non-temporary episode).
CREATE OR REPLACE TEMP MACRO stock_of(p_years, p_ends, p_council) AS TABLE
    SELECT y.year, y.period_start, y.period_end, e.la_code, e.child_key,
        e.home_district AS district, e.ls, e.cin,
        e.attr_place AS place, e.attr_provider AS provider, e.attr_pl_council AS pl_council,
        e.attr_distance_miles AS distance_miles,
        c.sex, c.ethnic_group, c.uasc,
        age_at_month_end(c.birth_ym, c.born_29_feb, y.period_end) AS age,
        p.start_date AS care_start, pl.start_date AS placement_start,
        pl.previous_start AS previous_placement_start
    FROM report_years(p_years, p_ends) y
    JOIN episodes e ON e.decom <= y.period_end AND (e.dec IS NULL OR e.dec > y.period_end)
        AND NOT e.short_break AND (p_council IS NULL OR e.la_code = p_council)
    JOIN children c ON c.la_code IS NOT DISTINCT FROM e.la_code AND c.child_key = e.child_key
    JOIN periods p ON p.la_code IS NOT DISTINCT FROM e.la_code AND p.child_key = e.child_key
        AND p.period_no = e.period_no
    JOIN placements pl ON pl.la_code IS NOT DISTINCT FROM e.la_code AND pl.child_key = e.child_key
        AND pl.period_no = e.period_no AND pl.placement_no = e.placement_no;

CREATE TEMP TABLE IF NOT EXISTS block_stock AS
    SELECT NULL::DATE AS block_end, NULL::VARCHAR AS block_council, *
    FROM stock_of([]::INTEGER[], []::DATE[], NULL) LIMIT 0;
CREATE OR REPLACE TEMP MACRO stock(p_years, p_ends, p_council) AS TABLE
    SELECT b.* EXCLUDE (block_end, block_council) FROM block_stock b
    SEMI JOIN report_years(p_years, p_ends) y ON b.year = y.year AND b.block_end = y.period_end
    WHERE b.block_council IS NOT DISTINCT FROM p_council
      AND made('stock', p_years, p_ends, p_council);

-- Each child's first start in the year (a period whose first episode is RNE = S).
CREATE OR REPLACE TEMP MACRO first_starts_of(p_years, p_ends, p_council) AS TABLE
    SELECT y.year, p.la_code, p.child_key, p.start_date, p.start_district AS district,
        p.first_ls AS ls, p.cin, p.start_age AS age, c.sex, c.ethnic_group, c.uasc
    FROM report_years(p_years, p_ends) y
    JOIN periods p ON p.is_start AND p.start_date BETWEEN y.period_start AND y.period_end
        AND (p_council IS NULL OR p.la_code = p_council)
    JOIN children c ON c.la_code IS NOT DISTINCT FROM p.la_code AND c.child_key = p.child_key
    QUALIFY row_number() OVER (PARTITION BY y.year, p.la_code, p.child_key ORDER BY p.start_date) = 1;

CREATE TEMP TABLE IF NOT EXISTS block_first_starts AS
    SELECT NULL::DATE AS block_end, NULL::VARCHAR AS block_council, *
    FROM first_starts_of([]::INTEGER[], []::DATE[], NULL) LIMIT 0;
CREATE OR REPLACE TEMP MACRO first_starts(p_years, p_ends, p_council) AS TABLE
    SELECT b.* EXCLUDE (block_end, block_council) FROM block_first_starts b
    SEMI JOIN report_years(p_years, p_ends) y ON b.year = y.year AND b.block_end = y.period_end
    WHERE b.block_council IS NOT DISTINCT FROM p_council
      AND made('first_starts', p_years, p_ends, p_council);

-- Each child's last end in the year.
CREATE OR REPLACE TEMP MACRO last_ends_of(p_years, p_ends, p_council) AS TABLE
    SELECT y.year, p.la_code, p.child_key, p.period_no, p.start_date, p.end_date,
        p.end_reason_group AS reason_group, p.end_district AS district, p.end_age AS age,
        p.adoption_placement_start, c.sex
    FROM report_years(p_years, p_ends) y
    JOIN periods p ON p.end_date BETWEEN y.period_start AND y.period_end
        AND (p_council IS NULL OR p.la_code = p_council)
    JOIN children c ON c.la_code IS NOT DISTINCT FROM p.la_code AND c.child_key = p.child_key
    QUALIFY row_number() OVER (PARTITION BY y.year, p.la_code, p.child_key ORDER BY p.end_date DESC) = 1;

CREATE TEMP TABLE IF NOT EXISTS block_last_ends AS
    SELECT NULL::DATE AS block_end, NULL::VARCHAR AS block_council, *
    FROM last_ends_of([]::INTEGER[], []::DATE[], NULL) LIMIT 0;
CREATE OR REPLACE TEMP MACRO last_ends(p_years, p_ends, p_council) AS TABLE
    SELECT b.* EXCLUDE (block_end, block_council) FROM block_last_ends b
    SEMI JOIN report_years(p_years, p_ends) y ON b.year = y.year AND b.block_end = y.period_end
    WHERE b.block_council IS NOT DISTINCT FROM p_council
      AND made('last_ends', p_years, p_ends, p_council);

-- Care leavers whose birthday in the year is between the ages given, minus those the spec
-- leaves out (died, returned home, only short breaks, care transferred).
CREATE OR REPLACE TEMP MACRO care_leaver_cohort(p_years, low, high) AS TABLE
    SELECT cl.*
    FROM (SELECT unnest(p_years) AS year) y
    JOIN care_leavers cl ON cl.year = y.year
    WHERE cl.age BETWEEN low AND high
      AND cl.in_touch IS DISTINCT FROM 'DIED' AND cl.in_touch IS DISTINCT FROM 'RHOM'
      AND NOT cl.only_short_breaks AND NOT cl.care_transferred;

-- Children aged 0-17 in the population table for each year (else the latest earlier year that
-- council has), in the districts and age bands of the filters. A council with no population
-- table, seen as a whole, has the ONS mid-year estimate of the year before 31 March (mid-2024
-- for 2025; else the latest earlier) from the published files (comparators.md).
CREATE OR REPLACE TEMP MACRO population_0_17(p_years, p_ends, f_council, f_area_on, f_area, f_bands) AS TABLE
    SELECT year, sum(children) AS children FROM (
        SELECT y.year, p.children
        FROM report_years(p_years, p_ends) y
        JOIN population p ON p.year = (
            SELECT max(q.year) FROM population q
            WHERE q.year <= y.year AND q.la_code IS NOT DISTINCT FROM p.la_code)
        WHERE (f_council IS NULL OR p.la_code = f_council)
          AND (NOT f_area_on OR list_contains(f_area, p.district))
          AND (len(f_bands) = 0 OR list_contains(f_bands, p.age_band))
        UNION ALL
        SELECT y.year, CAST(o.value AS BIGINT)
        FROM report_years(p_years, p_ends) y
        JOIN published o ON o.measure = 'population_0_17' AND o.level = 'Local authority'
            AND o.year = (
                SELECT max(q.year) FROM published q
                WHERE q.measure = 'population_0_17' AND q.level = 'Local authority'
                  AND q.area_code = o.area_code AND q.year < y.year)
        WHERE o.area_code IN (SELECT la_code FROM loads WHERE f_council IS NULL OR la_code = f_council)
          AND o.area_code NOT IN (SELECT la_code FROM population WHERE la_code IS NOT NULL)
          AND NOT f_area_on AND len(f_bands) = 0
          AND regexp_full_match(o.value, '[0-9]+')
    ) GROUP BY year;

-- 31 March of each year, whatever the as-of date: for the annual tables (OC2, Reviews).
CREATE OR REPLACE TEMP MACRO march_ends(p_years) AS list_transform(p_years, lambda y: make_date(y, 3, 31));

-- The OC2 cohort of each year (indicators.md): looked after on 31 March, the current period
-- begun on or before 1 April of the year before; age on 31 March; the child's row of year Y's
-- OC2 file, if any (a child with none counts in every denominator and in no numerator).
CREATE OR REPLACE TEMP MACRO oc2_cohort(p_years, p_council) AS TABLE
    SELECT s.year, s.la_code, s.child_key, s.district, s.sex, s.age,
        o.sdq_score, coalesce(o.convicted, false) AS convicted,
        coalesce(o.health_check, false) AS health_check,
        coalesce(o.immunisations, false) AS immunisations,
        coalesce(o.teeth_check, false) AS teeth_check,
        coalesce(o.health_assessment, false) AS health_assessment,
        coalesce(o.substance_misuse, false) AS substance_misuse,
        coalesce(o.intervention_received, false) AS intervention_received
    FROM stock(p_years, march_ends(p_years), p_council) s
    LEFT JOIN oc2 o ON o.la_code IS NOT DISTINCT FROM s.la_code AND o.child_key = s.child_key
        AND o.year = s.year
    WHERE s.care_start <= make_date(s.year - 1, 4, 1);

-- Children looked after on some day of each year (short breaks excluded), with the district
-- and legal status of their last episode open in the year and their age on the last day of the
-- year they were looked after.
CREATE OR REPLACE TEMP MACRO during_year_of(p_years, p_ends, p_council) AS TABLE
    SELECT y.year, y.period_start, y.period_end, e.la_code, e.child_key,
        e.home_district AS district, e.ls, c.sex,
        CASE WHEN e.dec IS NOT NULL AND e.dec <= y.period_end THEN e.age_at_last_day
             ELSE age_at_month_end(c.birth_ym, c.born_29_feb, y.period_end) END AS age
    FROM report_years(p_years, p_ends) y
    JOIN episodes e ON e.decom <= y.period_end AND (e.dec IS NULL OR e.dec > y.period_start)
        AND NOT e.short_break AND (p_council IS NULL OR e.la_code = p_council)
    JOIN children c ON c.la_code IS NOT DISTINCT FROM e.la_code AND c.child_key = e.child_key
    QUALIFY row_number() OVER (PARTITION BY y.year, e.la_code, e.child_key ORDER BY e.decom DESC) = 1;

-- (declared rather than made from during_year_of: a database made by an older version has no
-- age_at_last_day, and the measures of children looked after during the year are unavailable)
CREATE TEMP TABLE IF NOT EXISTS block_during_year (block_end DATE, block_council VARCHAR,
    year INTEGER, period_start DATE, period_end DATE, la_code VARCHAR, child_key VARCHAR,
    district VARCHAR, ls VARCHAR, sex VARCHAR, age BIGINT);
CREATE OR REPLACE TEMP MACRO during_year(p_years, p_ends, p_council) AS TABLE
    SELECT b.* EXCLUDE (block_end, block_council) FROM block_during_year b
    SEMI JOIN report_years(p_years, p_ends) y ON b.year = y.year AND b.block_end = y.period_end
    WHERE b.block_council IS NOT DISTINCT FROM p_council
      AND made('during_year', p_years, p_ends, p_council);

-- Missing and away incidents open on some day of each year (MIS_START <= the year's last day,
-- MIS_END blank or on or after 1 April), of the children looked after during the year (kept by
-- the filters), one row per incident (the same incident in two years' files is stored once).
CREATE OR REPLACE TEMP MACRO incidents(p_years, p_ends, f_council, f_area_on, f_area, f_bands, f_sexes) AS TABLE
    SELECT d.year, d.la_code, d.child_key, age_band(d.age) AS age_band, m.missing, m.mis_start,
        d.period_start
    FROM during_year(p_years, p_ends, f_council) d
    JOIN missing m ON m.la_code IS NOT DISTINCT FROM d.la_code AND m.child_key = d.child_key
        AND m.mis_start <= d.period_end AND (m.mis_end IS NULL OR m.mis_end >= d.period_start)
    WHERE keep(d.la_code, d.district, d.age, d.sex, f_council, f_area_on, f_area, f_bands, f_sexes);

