"""Each rule of indicators.md's building blocks on its own small hand-worked cohort (year 2024
unless stated: 1 April 2023 to 31 March 2024)."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from analytics import config
from analytics import measures as engine
from analytics.filters import Filters
from tests.builders import DL1, TS5, ep, header, indicators, load, oc3, write_return


def measures(tmp_path, headers, episodes, year=2024, options=(), name="h", **tables):
    db = tmp_path / f"{name}.duckdb"
    load(db, write_return(tmp_path / name, headers, episodes, **tables))
    return indicators(db, year, *options)


def report_rules(db):
    with duckdb.connect(str(db), read_only=True) as con:
        return [r[0] for r in con.execute("SELECT rule FROM validation_report").fetchall()]


def test_temporary_placement_bridging_one_placement(tmp_path):
    # A goes back to the same carer after a T3 (one placement); B comes back to another (a move).
    episodes = [
        ep("A", "2023-05-01 S C2 U6 PR1 -> 2023-06-01 X1", urn="SC1"),
        ep("A", "2023-06-01 P C2 T3 -> 2023-06-10 X1"),
        ep("A", "2023-06-10 P C2 U6 PR1 -> open", urn="SC1"),
        ep("B", "2023-05-01 S C2 U6 PR1 -> 2023-06-01 X1", urn="SC1"),
        ep("B", "2023-06-01 P C2 T3 -> 2023-06-10 X1"),
        ep("B", "2023-06-10 P C2 U6 PR1 -> open", urn="SC2"),
    ]
    m = measures(tmp_path, [header("A", "2012-01-01"), header("B", "2012-01-01")], episodes)
    assert m["placement_moves"]["value"] == 1


def test_consecutive_temporaries_and_the_reason_for_the_move(tmp_path):
    # A: U6, T4, T1, back to the same U6: one placement. B: U6, T4, T1, then a new carer: the
    # move's reason is the first non-blank reason from the last non-temporary episode on (T1's).
    episodes = [
        ep("A", "2023-05-01 S C2 U6 PR1 -> 2023-06-01 X1", urn="SC1"),
        ep("A", "2023-06-01 P C2 T4 -> 2023-06-05 X1"),
        ep("A", "2023-06-05 P C2 T1 -> 2023-06-10 X1"),
        ep("A", "2023-06-10 P C2 U6 PR1 -> open", urn="SC1"),
        ep("B", "2023-05-01 S C2 U6 PR1 -> 2023-06-01 X1", urn="SC1"),
        ep("B", "2023-06-01 P C2 T4 -> 2023-06-05 X1"),
        ep("B", "2023-06-05 P C2 T1 -> 2023-06-10 X1", reason="CREQB"),
        ep("B", "2023-06-10 P C2 U4 PR4 -> open", urn="SC9", reason="CHILD"),
    ]
    m = measures(tmp_path, [header("A", "2012-01-01"), header("B", "2012-01-01")], episodes)
    assert m["placement_moves"]["value"] == 1
    assert m["placement_moves"]["breakdowns"]["reason"] == {"CREQB": 1}


def test_a_period_that_begins_with_a_temporary_episode(tmp_path):
    # The T4 starts a placement; the first other episode starts another: one move.
    episodes = [
        ep("A", "2023-05-01 S C2 T4 -> 2023-05-05 X1"),
        ep("A", "2023-05-05 P C2 U6 PR1 -> open"),
    ]
    m = measures(tmp_path, [header("A", "2012-01-01")], episodes)
    assert m["starts"]["value"] == 1
    assert m["placement_moves"]["value"] == 1


def test_placed_for_adoption_with_the_current_foster_carer_continues_the_placement(tmp_path):
    # A3 after P-coded RNE, A5 after U: neither is a new placement.
    episodes = [
        ep("A", "2023-05-01 S C2 U5 PR1 -> 2023-09-01 X1"),
        ep("A", "2023-09-01 P E1 A3 PR1 -> open"),
        ep("B", "2023-05-01 S C2 U5 PR1 -> 2023-09-01 X1"),
        ep("B", "2023-09-01 U E1 A5 PR1 -> open"),
    ]
    m = measures(tmp_path, [header("A", "2021-01-01"), header("B", "2021-01-01")], episodes)
    assert m["placement_moves"]["value"] == 0
    assert m["cla_at_31_march"]["breakdowns"]["placement_group"] == {"Placed for adoption": 2}


def test_placed_for_adoption_with_new_carers_inherits_the_placement_before(tmp_path):
    # Both under 16, in care since 2020 (before 30 Sep 2021). A moved to new adopters (A6) in
    # 2023: counted from the foster placement's start, stable. B moved to a children's home in
    # 2023: not stable.
    episodes = [
        ep("A", "2020-01-01 S C2 U4 PR1 -> 2023-06-01 X1"),
        ep("A", "2023-06-01 P E1 A6 PR1 -> open", urn="SC7"),
        ep("B", "2020-01-01 S C2 U4 PR1 -> 2023-06-01 X1"),
        ep("B", "2023-06-01 P C2 K2 PR4 -> open", urn="SC8"),
    ]
    m = measures(tmp_path, [header("A", "2015-01-01"), header("B", "2012-01-01")], episodes)
    lts = m["long_term_stability"]
    assert (lts["numerator"], lts["denominator"]) == (1, 2)


def test_a_child_in_a_temporary_episode_on_31_march_counts_in_the_placement_around_it(tmp_path):
    # Private foster carer in Darlington (another council, 12.8 miles); on holiday (T3) over
    # 31 March 2024.
    episodes = [
        ep("A", "2023-05-01 S C2 U4 PR4 -> 2024-03-20 X1", pl=DL1, urn="SC3"),
        ep("A", "2024-03-20 P C2 T3 -> 2024-04-05 X1"),
        ep("A", "2024-04-05 P C2 U4 PR4 -> open", pl=DL1, urn="SC3"),
    ]
    m = measures(tmp_path, [header("A", "2012-01-01")], episodes)
    assert m["cla_at_31_march"]["breakdowns"]["placement_group"] == {"Foster: other carers": 1}
    assert m["cla_at_31_march"]["breakdowns"]["provider"] == {"Private": 1}
    assert m["purchased_foster_share"]["numerator"] == 1
    assert (m["placed_outside_la"]["numerator"], m["placed_outside_la"]["denominator"]) == (1, 1)
    assert (m["placed_over_20_miles"]["numerator"], m["placed_over_20_miles"]["denominator"]) == (0, 1)


def test_leaving_on_31_march_and_starting_on_1_april(tmp_path):
    episodes = [
        ep("P", "2022-06-01 S C2 U4 PR1 -> 2024-03-31 E4A"),  # ceased in 2024, not looked after on 31 March
        ep("Q", "2024-04-01 S C2 U4 PR1 -> open"),  # a start of 2025
        ep("R", "2023-04-01 S C2 U4 PR1 -> open"),  # a start of 2024
        ep("S", "2022-06-01 S C2 U4 PR1 -> 2023-04-01 E4A"),  # ceased on the first day of 2024
    ]
    headers = [header(c, "2012-01-01") for c in "PQRS"]
    db = tmp_path / "edges.duckdb"
    load(db, write_return(tmp_path / "edges", headers, episodes))
    y2024, y2025 = indicators(db, 2024), indicators(db, 2025)
    assert y2024["cla_at_31_march"]["value"] == 1  # R
    assert y2024["starts"]["value"] == 1  # R
    assert y2024["ceased"]["value"] == 2  # P, S
    assert y2025["starts"]["value"] == 1  # Q
    assert y2025["cla_at_31_march"]["value"] == 2  # Q, R


def test_two_starts_in_one_year_count_once_by_the_first(tmp_path):
    episodes = [
        ep("A", "2023-05-01 S V2 U6 PR1 -> 2023-07-01 E4A", home="TS1 1AA"),
        ep("A", "2023-10-01 S C1 U6 PR1 -> 2023-12-01 E4A", home=TS5),
    ]
    m = measures(tmp_path, [header("A", "2012-01-01")], episodes)
    assert m["starts"]["value"] == 1
    assert m["starts"]["breakdowns"]["district"] == {"TS1": 1}
    assert m["starts"]["breakdowns"]["legal_status"] == {"V2": 1}
    assert m["ceased"]["value"] == 1
    in_ts5 = measures(
        tmp_path, [header("A", "2012-01-01")], episodes, options=("--district", "TS5"), name="ts5"
    )
    assert in_ts5["starts"]["value"] == 0  # the first start is elsewhere
    assert in_ts5["ceased"]["value"] == 1  # the last end is in TS5


def test_an_s_inside_a_chain_does_not_start_a_period(tmp_path):
    episodes = [
        ep("A", "2023-05-01 S C2 U6 PR1 -> 2023-06-01 X1"),
        ep("A", "2023-06-01 S C2 U4 PR1 -> open"),
    ]
    m = measures(tmp_path, [header("A", "2012-01-01")], episodes)
    assert m["starts"]["value"] == 1
    assert m["placement_moves"]["value"] == 1  # RNE S still means a new carer
    assert "start-inside-period" in report_rules(tmp_path / "h.duckdb")


def test_x1_with_nothing_following_ends_the_period_for_an_unknown_reason(tmp_path):
    episodes = [ep("A", "2023-05-01 S C2 U6 PR1 -> 2023-08-01 X1")]
    m = measures(tmp_path, [header("A", "2012-01-01")], episodes)
    assert m["ceased"]["breakdowns"]["reason_group"] == {"Unknown": 1}
    assert m["cla_at_31_march"]["value"] == 0
    assert "x1-no-follow" in report_rules(tmp_path / "h.duckdb")


def test_a_superseded_open_episode_across_two_years_files(tmp_path):
    # 2023's file has the episode open from 1 June 2022; 2024's corrects the start to 3 June.
    headers = [header("A", "2012-01-01"), header("B", "2012-01-01")]
    y2023 = write_return(
        tmp_path / "2023",
        headers,
        [ep("A", "2022-06-01 S C2 U6 PR1 -> open"), ep("B", "2022-06-01 S C2 U6 PR1 -> open")],
    )
    y2024 = write_return(
        tmp_path / "2024",
        headers,
        [ep("A", "2022-06-03 S C2 U6 PR1 -> open"), ep("B", "2022-06-01 S C2 U6 PR1 -> 2023-09-01 E4A")],
    )
    db = tmp_path / "two.duckdb"
    load(db, y2023, y2024)
    m = indicators(db, 2024)
    assert m["cla_at_31_march"]["value"] == 1  # A, once, with the corrected dates
    assert m["ceased"]["value"] == 1  # B: the latest year's row carries the end
    assert report_rules(db).count("episode-superseded") == 1
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0
        assert con.execute("SELECT min(decom) FROM episodes").fetchone()[0].isoformat() == "2022-06-01"
        assert con.execute("SELECT count(*) FROM episodes").fetchone()[0] == 2


def test_short_breaks_before_care_are_not_care(tmp_path):
    episodes = [
        ep("A", "2023-05-01 S V3 U6 PR1 -> 2023-05-03 E4A"),
        ep("A", "2023-06-01 S V3 U6 PR1 -> 2023-06-03 E4A"),
        ep("A", "2023-09-01 S C2 U4 PR1 -> open"),
    ]
    m = measures(tmp_path, [header("A", "2012-01-01")], episodes)
    assert m["starts"]["value"] == 1
    assert m["starts"]["breakdowns"]["legal_status"] == {"C2": 1}
    assert m["ceased"]["value"] == 0
    assert (m["placements_3plus"]["numerator"], m["placements_3plus"]["denominator"]) == (0, 1)


def test_long_term_stability_on_its_exact_boundary_dates(tmp_path):
    # 2024: period on or before 30 Sep 2021, placement on or before 31 Mar 2022.
    episodes = [
        ep("A", "2021-09-30 S C2 U4 PR1 -> 2022-03-31 X1"),
        ep("A", "2022-03-31 P C2 U4 PR1 -> open", urn="SC2"),  # in, stable
        ep("B", "2021-09-30 S C2 U4 PR1 -> 2022-04-01 X1"),
        ep("B", "2022-04-01 P C2 U4 PR1 -> open", urn="SC2"),  # in, not stable
        ep("C", "2021-10-01 S C2 U4 PR1 -> open"),  # out
    ]
    m = measures(tmp_path, [header(c, "2012-01-01") for c in "ABC"], episodes)
    lts = m["long_term_stability"]
    assert (lts["numerator"], lts["denominator"], lts["value"]) == (1, 2, 50.0)


def test_long_term_stability_year_to_date_counts_months_back_from_the_as_of_date(tmp_path):
    # As of 30 Sep 2023: period on or before 30 Mar 2021, placement on or before 30 Sep 2021.
    episodes = [
        ep("A", "2021-03-30 S C2 U4 PR1 -> 2021-09-30 X1"),
        ep("A", "2021-09-30 P C2 U4 PR1 -> open", urn="SC2"),  # in, stable
        ep("B", "2021-03-30 S C2 U4 PR1 -> 2021-10-01 X1"),
        ep("B", "2021-10-01 P C2 U4 PR1 -> open", urn="SC2"),  # in, not stable
        ep("C", "2021-03-31 S C2 U4 PR1 -> open"),  # out
    ]
    m = measures(
        tmp_path, [header(c, "2012-01-01") for c in "ABC"], episodes, options=("--as-of", "2023-09-30")
    )
    lts = m["long_term_stability"]
    assert (lts["numerator"], lts["denominator"]) == (1, 2)


def test_placed_with_parents_for_365_and_367_days(tmp_path):
    episodes = [
        ep("A", "2023-04-01 S C2 P1 PR0 -> open"),  # 365 days on 31 March 2024: not counted
        ep("B", "2023-03-31 S C2 P1 PR0 -> open"),  # 366 days: counted
        ep("C", "2023-03-30 S C2 P1 PR0 -> open"),  # 367 days: counted
        ep("D", "2023-03-30 S C1 P1 PR0 -> open"),  # interim order: not counted
    ]
    m = measures(tmp_path, [header(c, "2015-01-01") for c in "ABCD"], episodes)
    assert m["placed_with_parents_over_1_year"]["value"] == 2


def test_care_leaver_birthdays_on_the_cohort_edges(tmp_path):
    # Year 2024: birthdays from 1 April 2023 to 31 March 2024. Everyone in EET, so each
    # cohort's numerator equals its denominator.
    rows = [
        oc3("ON_17", "2007-03-31", "YES", "F1", "U1"),  # 17 on 31 March 2024: 17-18
        oc3("NOT_17", "2007-04-01", "YES", "F1", "U1"),  # still 16: no cohort
        oc3("ON_19", "2005-03-31", "YES", "F1", "U1"),  # 19 on 31 March 2024: 19-21
        oc3("NOT_19", "2005-04-01", "YES", "F1", "U1"),  # 18: 17-18
        oc3("LAST_21", "2002-04-01", "YES", "F1", "U1"),  # 21 on 1 April 2023: 19-21
        oc3("ON_22", "2002-03-31", "YES", "F1", "U1"),  # 22 on 31 March 2024: no cohort
        oc3("LEAP", "2004-02-29", "YES", "F1", "U1"),  # 20 on 29 February 2024: 19-21
    ]
    folder = write_return(
        tmp_path / "2024", [header("Z", "2010-01-01")], [ep("Z", "2023-06-01 S C2 U4 PR1 -> open")], OC3=rows
    )
    db = tmp_path / "cl.duckdb"
    load(db, folder)
    m = indicators(db, 2024)
    assert m["care_leavers_17_18_eet"]["denominator"] == 2
    assert m["care_leavers_19_21_eet"]["denominator"] == 3


def test_a_29_february_birthday_is_reached_on_1_march_in_other_years(tmp_path):
    # Year 2023 (1 April 2022 to 31 March 2023): born 29 Feb 2004, 19 on 1 March 2023: 19-21.
    # Born 1 March 2004 likewise; born 28 Feb 2005 turns 18 on 28 Feb 2023: 17-18.
    rows = [
        oc3("LEAP", "2004-02-29", "YES", "F1", "U1"),
        oc3("MARCH", "2004-03-01", "YES", "F1", "U1"),
        oc3("FEB", "2005-02-28", "YES", "F1", "U1"),
    ]
    folder = write_return(
        tmp_path / "2023", [header("Z", "2010-01-01")], [ep("Z", "2022-06-01 S C2 U4 PR1 -> open")], OC3=rows
    )
    db = tmp_path / "leap.duckdb"
    load(db, folder)
    m = indicators(db, 2023)
    assert m["care_leavers_19_21_eet"]["denominator"] == 2
    assert m["care_leavers_17_18_eet"]["denominator"] == 1


def test_a_child_born_on_29_february_is_not_a_year_older_on_28_february(tmp_path):
    # As of 28 Feb 2021 (a month end), a child born 29 Feb 2016 is still 4; one born 28 Feb
    # 2016 is 5.
    episodes = [ep("A", "2020-06-01 S C2 U4 PR1 -> open")]
    m = measures(
        tmp_path, [header("A", "2016-02-29")], episodes, year=2021, options=("--as-of", "2021-02-28")
    )
    assert m["cla_at_31_march"]["breakdowns"]["age_band"] == {"1 to 4": 1}
    episodes = [ep("B", "2020-06-01 S C2 U4 PR1 -> open")]
    m = measures(
        tmp_path,
        [header("B", "2016-02-28")],
        episodes,
        year=2021,
        options=("--as-of", "2021-02-28"),
        name="b",
    )
    assert m["cla_at_31_march"]["breakdowns"]["age_band"] == {"5 to 9": 1}


def test_building_blocks_made_once_per_connection_answer_as_made_afresh():
    # The bundled council: years asked one by one, to date and again in a trend, on one
    # connection, give what a fresh connection gives for the trend; each block and year is
    # made once.
    years = [2021, 2022, 2023, 2024]
    with engine.connect(config.BUNDLED_DB) as con:
        engine.compute(con, Filters(2023))
        engine.compute(con, Filters(2024, as_of=date(2023, 11, 30)))
        reused = engine.trend(con, Filters(2024), years)
        made = con.execute("SELECT block, year, period_end, count(*) FROM block_made GROUP BY ALL").fetchall()
    with engine.connect(config.BUNDLED_DB) as con:
        assert engine.trend(con, Filters(2024), years) == reused
    assert {n for *_, n in made} == {1}
    assert {(b, y) for b, y, e, _ in made if e == date(2023, 11, 30)} == {(b, 2024) for b in engine.BLOCKS}


def test_a_building_block_not_made_for_a_year_is_an_error_not_an_empty_answer():
    # Made for the year for one council only: asked for every council, it refuses to answer.
    with engine.connect(config.BUNDLED_DB) as con:
        council = con.execute("SELECT la_code FROM loads").fetchone()[0]
        engine.compute(con, Filters(2024, council=council), ["cla_at_31_march"])
        asked = "SELECT count(*) FROM stock([2024], [DATE '2024-03-31'], $council)"
        assert con.execute(asked, {"council": council}).fetchone()[0] > 0
        with pytest.raises(duckdb.Error, match="building block stock not made for these years"):
            con.execute(asked, {"council": None}).fetchall()
