-- Periods of care and placements, built once at import (indicators.md, Building blocks).
-- Input: staging_episodes (one council's anonymised, stitched episodes), staging_children,
-- staging_care_leavers. Output: rows appended to episodes, periods, placements, care_leavers.

-- 1. Periods: a child's episodes in date order join into one period while an episode ends X1
--    and the next begins that same day. Short breaks (V3, V4) take no part.
CREATE OR REPLACE TEMP TABLE ep AS
WITH care AS (
    SELECT *,
        lag(rec) OVER w AS prev_rec,
        lag(dec) OVER w AS prev_dec
    FROM staging_episodes
    WHERE NOT short_break
    WINDOW w AS (PARTITION BY child_key ORDER BY decom)
), numbered AS (
    SELECT *,
        sum(CASE WHEN prev_rec = 'X1' AND prev_dec = decom THEN 0 ELSE 1 END)
            OVER (PARTITION BY child_key ORDER BY decom ROWS UNBOUNDED PRECEDING) AS period_no
    FROM care
)
SELECT *,
    row_number() OVER (PARTITION BY child_key, period_no ORDER BY decom) AS pidx,
    coalesce(place IN ('T0', 'T1', 'T2', 'T3', 'T4'), false) AS is_temp
FROM numbered;

-- 2. Placements: the first rule that applies decides whether an episode starts a placement.
CREATE OR REPLACE TEMP TABLE ep2 AS
WITH w AS (
    SELECT *,
        lag(is_temp) OVER p AS prev_is_temp,
        max(CASE WHEN NOT is_temp THEN pidx END)
            OVER (p ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS last_nontemp_before,
        min(CASE WHEN NOT is_temp THEN pidx END)
            OVER (PARTITION BY child_key, period_no) AS first_nontemp
    FROM ep
    WINDOW p AS (PARTITION BY child_key, period_no ORDER BY pidx)
)
SELECT w.*,
    CASE
        -- 1. a temporary episode starts nothing, unless it begins the period
        WHEN w.is_temp THEN w.pidx = 1
        -- 2. the first other episode of the period
        WHEN w.pidx = w.first_nontemp THEN true
        -- 3. placed for adoption with the current foster carer
        WHEN w.place IN ('A3', 'A5') THEN false
        -- 4. back from temporary episodes to the same placement?
        WHEN w.prev_is_temp THEN NOT (
            w.place IS NOT DISTINCT FROM b.place
            AND w.provider IS NOT DISTINCT FROM b.provider
            AND w.pl_post_key IS NOT DISTINCT FROM b.pl_post_key
            AND w.urn IS NOT DISTINCT FROM b.urn)
        -- 5. a new carer
        ELSE coalesce(w.rne IN ('S', 'P', 'B'), false)
    END AS starts_placement
FROM w
LEFT JOIN ep b
    ON b.child_key = w.child_key AND b.period_no = w.period_no AND b.pidx = w.last_nontemp_before;

CREATE OR REPLACE TEMP TABLE ep3 AS
WITH numbered AS (
    SELECT *,
        sum(starts_placement::INTEGER)
            OVER (PARTITION BY child_key, period_no ORDER BY pidx ROWS UNBOUNDED PRECEDING) AS placement_no
    FROM ep2
)
SELECT *,
    -- A placement's attributes on a date are those of its latest non-temporary episode.
    coalesce(
        max(CASE WHEN NOT is_temp THEN pidx END)
            OVER (PARTITION BY child_key, period_no, placement_no ORDER BY pidx ROWS UNBOUNDED PRECEDING),
        pidx) AS attr_pidx
FROM numbered;

INSERT INTO episodes BY NAME
SELECT s.la_code, s.child_key, s.source, s.source_row, s.year, s.decom, s.dec, s.rne, s.ls, s.cin,
    s.place, s.provider, s.rec, s.reason_place_change, s.urn, s.home_district, s.home_council,
    s.pl_district, s.pl_council, s.distance_miles, s.short_break, s.age_at_decom, s.age_at_dec, s.age_at_last_day,
    e.period_no, e.placement_no, e.is_temp,
    a.place AS attr_place, a.provider AS attr_provider, a.pl_district AS attr_pl_district,
    a.pl_council AS attr_pl_council, a.distance_miles AS attr_distance_miles, a.urn AS attr_urn
FROM staging_episodes s
LEFT JOIN ep3 e ON e.child_key = s.child_key AND e.decom = s.decom
LEFT JOIN ep3 a ON a.child_key = e.child_key AND a.period_no = e.period_no AND a.pidx = e.attr_pidx;

-- 3. Periods, with what the measures read from their first and last episodes.
INSERT INTO periods BY NAME
WITH bounds AS (
    SELECT child_key, period_no,
        arg_min(pidx, pidx) AS first_pidx, arg_max(pidx, pidx) AS last_pidx
    FROM ep3 GROUP BY ALL
), adoption AS (
    -- the period's last adoption placement (A3-A6), by its latest adoption episode
    SELECT child_key, period_no, arg_max(placement_no, pidx) AS placement_no
    FROM ep3 WHERE place IN ('A3', 'A4', 'A5', 'A6') GROUP BY ALL
), placement_starts AS (
    SELECT child_key, period_no, placement_no, min(decom) AS start_date FROM ep3 GROUP BY ALL
)
SELECT f.la_code, b.child_key, b.period_no,
    f.decom AS start_date, l.dec AS end_date,
    coalesce(f.rne = 'S', false) AS is_start,
    f.ls AS first_ls, f.cin, f.home_district AS start_district, f.age_at_decom AS start_age,
    CASE WHEN l.dec IS NULL THEN NULL ELSE l.rec END AS end_rec,
    CASE WHEN l.dec IS NULL THEN NULL ELSE reason_group(l.rec) END AS end_reason_group,
    l.home_district AS end_district, l.age_at_dec AS end_age,
    ps.start_date AS adoption_placement_start
FROM bounds b
JOIN ep3 f ON f.child_key = b.child_key AND f.period_no = b.period_no AND f.pidx = b.first_pidx
JOIN ep3 l ON l.child_key = b.child_key AND l.period_no = b.period_no AND l.pidx = b.last_pidx
LEFT JOIN adoption a ON a.child_key = b.child_key AND a.period_no = b.period_no
LEFT JOIN placement_starts ps
    ON ps.child_key = a.child_key AND ps.period_no = a.period_no AND ps.placement_no = a.placement_no;

-- 4. Placements: from the first episode's DECOM to the next placement's, or the period's end.
INSERT INTO placements BY NAME
WITH grouped AS (
    SELECT la_code, child_key, period_no, placement_no,
        min(decom) AS start_date,
        min(pidx) AS first_pidx,
        coalesce(max(CASE WHEN NOT is_temp THEN pidx END), min(pidx)) AS exit_from_pidx
    FROM ep3 GROUP BY ALL
), exits AS (
    -- the first non-blank reason for change from the last non-temporary episode onwards
    SELECT g.child_key, g.period_no, g.placement_no,
        arg_min(e.reason_place_change, e.pidx) FILTER (WHERE e.reason_place_change IS NOT NULL) AS exit_reason
    FROM grouped g
    JOIN ep3 e ON e.child_key = g.child_key AND e.period_no = g.period_no
        AND e.placement_no = g.placement_no AND e.pidx >= g.exit_from_pidx
    GROUP BY ALL
), ordered AS (
    SELECT g.*, x.exit_reason,
        lead(g.start_date) OVER w AS next_start,
        lag(g.start_date) OVER w AS previous_start,
        lag(x.exit_reason) OVER w AS previous_exit_reason
    FROM grouped g
    JOIN exits x USING (child_key, period_no, placement_no)
    WINDOW w AS (PARTITION BY g.child_key, g.period_no ORDER BY g.placement_no)
)
SELECT o.la_code, o.child_key, o.period_no, o.placement_no, o.start_date,
    coalesce(o.next_start, p.end_date) AS end_date,
    o.previous_start,
    CASE WHEN o.placement_no > 1 THEN coalesce(o.previous_exit_reason, 'Unknown') END AS move_reason,
    f.home_district AS start_district, f.age_at_decom AS start_age
FROM ordered o
JOIN periods p ON p.child_key = o.child_key AND p.period_no = o.period_no
    AND p.la_code IS NOT DISTINCT FROM o.la_code
JOIN ep3 f ON f.child_key = o.child_key AND f.period_no = o.period_no AND f.pidx = o.first_pidx;

-- 5. Care leavers: the OC3 rows with their district, sex and the cohort exclusions that need
--    the young person's episodes.
INSERT INTO care_leavers BY NAME
SELECT c.la_code, c.child_key, c.year, c.age, c.in_touch, c.activ, c.accom,
    coalesce((
        SELECT arg_max(e.home_district, e.decom) FROM staging_episodes e
        WHERE e.child_key = c.child_key AND NOT e.short_break
          AND e.decom <= make_date(c.year, 3, 31) AND e.home_district IS NOT NULL
    ), 'Unknown') AS district,
    coalesce(h.sex, 'Unknown') AS sex,
    coalesce((
        SELECT bool_and(e.short_break) FROM staging_episodes e WHERE e.child_key = c.child_key
    ), false) AS only_short_breaks,
    coalesce((
        SELECT arg_max(p.end_rec, p.start_date) = 'E3' FROM periods p
        WHERE p.child_key = c.child_key AND p.la_code IS NOT DISTINCT FROM c.la_code
          AND p.start_date <= make_date(c.year, 3, 31)
    ), false) AS care_transferred
FROM staging_care_leavers c
LEFT JOIN staging_children h ON h.child_key = c.child_key;

-- 6. The period faults the validation report lists (warnings: the rows stay).
CREATE OR REPLACE TEMP TABLE period_faults AS
SELECT source, source_row, 'RNE' AS column_name, 'period-no-start' AS rule,
    'the first episode of a period of care is not RNE = S: the period is not counted as a start (often a history cut short by the first loaded year)' AS message
FROM ep3 WHERE pidx = 1 AND rne IS DISTINCT FROM 'S'
UNION ALL
SELECT source, source_row, 'RNE', 'start-inside-period',
    'RNE = S inside a chain of episodes joined by X1: it does not start a new period'
FROM ep3 WHERE pidx > 1 AND rne = 'S'
UNION ALL
SELECT e.source, e.source_row, 'REC', 'x1-no-follow',
    'REC = X1 but no episode begins that day: the period ends here, for the reason Unknown'
FROM ep3 e JOIN periods p ON p.child_key = e.child_key AND p.period_no = e.period_no
    AND p.la_code IS NOT DISTINCT FROM e.la_code
WHERE e.rec = 'X1' AND e.dec = p.end_date
UNION ALL
SELECT e.source, e.source_row, 'PLACE', 'adopted-no-placement',
    'adopted (REC E11 or E12) with no adoption placement (A3-A6) in the period: left out of the time from entry to placement'
FROM ep3 e JOIN periods p ON p.child_key = e.child_key AND p.period_no = e.period_no
    AND p.la_code IS NOT DISTINCT FROM e.la_code
WHERE e.dec = p.end_date AND p.end_reason_group = 'Adopted' AND p.adoption_placement_start IS NULL;
