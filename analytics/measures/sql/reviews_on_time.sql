-- reviews_on_time (formerly NI 66): of the children looked after on 31 March whose current
-- period began at least 28 days earlier, those who missed no review deadline of that period
-- falling in the year. Deadlines are built at import (ingest/reviews.py): a deadline is missed
-- when its review was held after it, or not held (the Reviews table is annual: 31 March always).
-- Row k = 0 of a period begun before the Reviews history is the deadline six months after the
-- history's 1 April, judged only in a year by whose 31 March no review of the period is known
-- (its `held` is the first known review).
WITH s AS (
    SELECT * FROM stock($years, march_ends($years), $council)
    WHERE care_start <= period_end - 28
      AND keep(la_code, district, age, sex, $council, $area_on, $area, $bands, $sexes)
), judged AS (
    SELECT s.year, s.la_code, s.child_key,
        coalesce(bool_or(d.due BETWEEN s.period_start AND s.period_end
                         AND (d.held IS NULL OR d.held > CASE WHEN d.k = 0 THEN s.period_end ELSE d.due END)),
                 false) AS late
    FROM s
    JOIN periods p ON p.la_code IS NOT DISTINCT FROM s.la_code AND p.child_key = s.child_key
        AND p.start_date = s.care_start
    LEFT JOIN review_deadlines d ON d.la_code IS NOT DISTINCT FROM s.la_code
        AND d.child_key = s.child_key AND d.period_no = p.period_no
    GROUP BY ALL
)
SELECT year, NULL AS dim, NULL AS category, count(*) FILTER (WHERE NOT late) AS numerator, count(*) AS denominator
FROM judged GROUP BY year
