"""The five worked examples of indicators.md, each a complete history (one Episodes file, no
collection year), year 2024. Every number asserted here is the one the spec states."""

from __future__ import annotations

import pytest

from tests.builders import (
    DL1,
    ep,
    header,
    indicators,
    load,
    missing,
    oc2,
    oc3,
    review,
    write_return,
    write_side,
)


@pytest.fixture
def example1(tmp_path):
    """Example 1: counts and placements."""
    episodes = [
        ep("A", "2022-06-01 S C2 U6 PR1 -> 2023-05-10 X1", urn="SC100001"),
        ep("A", "2023-05-10 P C2 U6 PR4 -> 2023-08-01 X1", pl=DL1, urn="SC100002"),
        ep("A", "2023-08-01 P C2 T4 -> 2023-08-05 X1"),
        ep("A", "2023-08-05 P C2 U6 PR4 -> 2023-11-01 X1", pl=DL1, urn="SC100002"),
        ep("A", "2023-11-01 L E1 U6 PR4 -> 2024-01-15 X1", pl=DL1, urn="SC100002"),
        ep("A", "2024-01-15 U E1 A5 PR4 -> open", pl=DL1, urn="SC100002"),
        ep("B", "2023-04-20 S V2 U6 PR1 -> 2023-06-01 X1"),
        ep("B", "2023-06-01 P V2 K2 PR4 -> 2023-09-01 X1"),
        ep("B", "2023-09-01 B C1 U6 PR5 -> 2023-12-01 E4B"),
        ep("B", "2024-02-01 S C1 U4 PR1 -> open"),
        ep("C", "2023-05-01 S V3 U6 PR1 -> 2023-05-03 E4A"),
        ep("C", "2023-06-01 S V3 U6 PR1 -> 2023-06-03 E4A"),
        ep("D", "2023-03-01 S C2 U6 PR1 -> 2024-03-31 E13"),
    ]
    headers = [
        header("A", "2016-07-15"),
        header("B", "2009-05-02", sex="2"),
        header("C", "2014-01-01"),
        header("D", "2012-01-10"),
    ]
    db = tmp_path / "ex1.duckdb"
    load(db, write_return(tmp_path / "ex1", headers, episodes))
    return indicators(db, 2024)


def test_example1_children_looked_after_on_31_march(example1):
    cla = example1["cla_at_31_march"]
    assert (cla["numerator"], cla["value"], cla["denominator"]) == (2, 2, None)
    assert cla["breakdowns"]["age_band"] == {"5 to 9": 1, "10 to 15": 1}


def test_example1_starts_once_per_child(example1):
    starts = example1["starts"]
    assert starts["value"] == 1
    assert starts["breakdowns"]["age_band"] == {"10 to 15": 1}


def test_example1_ceased(example1):
    ceased = example1["ceased"]
    assert ceased["value"] == 2
    assert ceased["breakdowns"]["reason_group"] == {
        "Left to live with relatives or others": 1,
        "Returned home": 1,
    }


def test_example1_placements_3plus(example1):
    m = example1["placements_3plus"]
    assert (m["numerator"], m["denominator"], m["value"]) == (1, 2, 50.0)
    assert m["breakdowns"]["age_band"]["5 to 9"] == {"numerator": 0, "denominator": 1, "value": 0.0}
    assert m["breakdowns"]["age_band"]["10 to 15"] == {"numerator": 1, "denominator": 1, "value": 100.0}


def test_example1_placement_moves(example1):
    assert example1["placement_moves"]["value"] == 3


def test_example2_long_term_stability(tmp_path):
    episodes = [
        ep("E", "2021-09-30 S C2 U4 PR1 -> 2022-03-31 X1"),
        ep("E", "2022-03-31 L C2 U4 PR1 -> 2023-01-10 X1"),
        ep("E", "2023-01-10 T C2 U4 PR1 -> open"),
        ep("F", "2020-01-01 S C2 U6 PR1 -> 2022-04-01 X1"),
        ep("F", "2022-04-01 P C2 U4 PR1 -> open"),
        ep("G", "2015-01-01 S C2 U4 PR1 -> open"),
        ep("H", "2021-10-01 S C2 U4 PR1 -> open"),
    ]
    headers = [
        header("E", "2012-02-01"),
        header("F", "2010-01-01"),
        header("G", "2008-03-31"),
        header("H", "2019-06-01"),
    ]
    db = tmp_path / "ex2.duckdb"
    load(db, write_return(tmp_path / "ex2", headers, episodes))
    m = indicators(db, 2024)["long_term_stability"]
    assert (m["numerator"], m["denominator"], m["value"]) == (1, 2, 50.0)


def test_example3_care_leavers(tmp_path):
    # Ages are the birthday reached in year 2024 (1 April 2023 to 31 March 2024).
    rows = [
        oc3("Y1", "2004-06-01", "YES", "F5", "U1"),
        oc3("Y2", "2003-06-01", "YES", "G5", "S2"),
        oc3("Y3", "2002-06-01", "NO", "0", "0"),
        oc3("Y4", "2004-07-01", "NREQ", "0", "G1"),
        oc3("Y5", "2003-07-01", "DIED", "", ""),
        oc3("Y6", "2006-06-01", "YES", "F2", "D1"),
    ]
    folder = write_return(
        tmp_path / "2024", [header("Z", "2010-01-01")], [ep("Z", "2023-06-01 S C2 U4 PR1 -> open")], OC3=rows
    )
    db = tmp_path / "ex3.duckdb"
    load(db, folder)
    m = indicators(db, 2024)

    def triple(mid):
        return m[mid]["numerator"], m[mid]["denominator"], m[mid]["value"]

    assert triple("care_leavers_19_21_eet") == (1, 4, 25.0)
    assert triple("care_leavers_19_21_suitable_accommodation") == (1, 3, 33.3)
    assert triple("care_leavers_19_21_in_touch") == (2, 4, 50.0)
    assert triple("care_leavers_17_18_eet") == (1, 1, 100.0)
    assert triple("care_leavers_17_18_suitable_accommodation") == (1, 1, 100.0)


def test_example4_adoption_timeliness(tmp_path):
    episodes = [
        ep("J", "2021-05-01 S C1 U6 PR1 -> 2022-01-01 X1"),
        ep("J", "2022-01-01 L E1 U6 PR1 -> 2022-06-01 X1"),
        ep("J", "2022-06-01 P E1 A6 PR1 -> 2023-06-30 E12", urn="SC200001"),
        ep("K", "2022-02-01 S C1 U5 PR1 -> 2022-10-01 X1"),
        ep("K", "2022-10-01 U E1 A5 PR1 -> 2023-12-01 E11"),
    ]
    headers = [header("J", "2020-01-01"), header("K", "2021-06-01")]
    db = tmp_path / "ex4.duckdb"
    load(db, write_return(tmp_path / "ex4", headers, episodes))
    m = indicators(db, 2024)
    assert (m["adopted"]["numerator"], m["adopted"]["denominator"], m["adopted"]["value"]) == (2, 2, 100.0)
    placed = m["adoption_entry_to_placed_days"]
    assert (placed["numerator"], placed["denominator"], placed["value"]) == (396, 2, 198.0)
    order = m["adoption_entry_to_order_days"]
    assert (order["numerator"], order["denominator"], order["value"]) == (1458, 2, 729.0)


@pytest.fixture
def example5(tmp_path):
    """Example 5: health, missing and reviews. One complete history of episodes (no year); the
    OC2 file of 2024, Missing files of 2023 and 2024, Reviews files of 2022 to 2024."""
    born = {"L": "2014-05-10", "M": "2020-08-01", "N": "2012-01-20"}
    history = write_return(
        tmp_path / "history",
        [header(c, dob) for c, dob in born.items()],
        [
            ep("L", "2022-01-10 S C2 U4 PR1 -> open"),
            ep("M", "2023-04-01 S C1 U6 PR1 -> open"),
            ep("N", "2023-06-01 S V2 U6 PR1 -> open"),
        ],
    )
    write_side(
        tmp_path / "2022",
        Reviews=[review("L", born["L"], "2022-02-04")],
    )
    write_side(
        tmp_path / "2023",
        Missing=[missing("L", born["L"], "M", "2023-03-20")],
        Reviews=[review("L", born["L"], "2022-05-01"), review("L", born["L"], "2022-10-30")],
    )
    write_side(
        tmp_path / "2024",
        OC2=[oc2("L", born["L"], HEALTH_ASSESSMENT="1", TEETH_CHECK="0", IMMUNISATIONS="1", SDQ_SCORE="18")],
        Missing=[
            missing("L", born["L"], "M", "2023-03-20", "2023-04-02"),
            missing("L", born["L"], "M", "2023-07-01", "2023-07-01"),
            missing("L", born["L"], "A", "2023-09-05", "2023-09-06"),
            missing("N", born["N"], "M", "2024-02-10"),
        ],
        Reviews=[
            review("L", born["L"], "2023-05-05", "PN1"),
            review("L", born["L"], "2023-11-01", "PN7"),
            review("M", born["M"], "2023-05-02", "PN0"),
            review("M", born["M"], "2023-07-20", "PN0"),
            review("M", born["M"], "2024-01-15", "PN0"),
            review("N", born["N"], "2023-06-20", "PN2"),
            review("N", born["N"], "2023-09-30", "PN5"),
        ],
    )
    db = tmp_path / "ex5.duckdb"
    load(db, history, *(tmp_path / y for y in ("2022", "2023", "2024")))
    return indicators(db, 2024)


def _triple(m):
    return m["numerator"], m["denominator"], m["value"]


def test_example5_oc2(example5):
    m = example5
    assert _triple(m["oc2_cohort"]) == (2, None, 2)
    assert _triple(m["oc2_health_assessment"]) == (1, 2, 50.0)
    assert _triple(m["oc2_dental_check"]) == (0, 2, 0.0)
    assert _triple(m["oc2_development_assessment_under_5"]) == (0, 1, 0.0)
    assert _triple(m["oc2_sdq_received_5_16"]) == (1, 1, 100.0)
    assert _triple(m["oc2_sdq_average_5_16"]) == (18, 1, 18.0)
    assert _triple(m["oc2_sdq_concern_5_16"]) == (1, 1, 100.0)


def test_example5_missing(example5):
    m = example5
    assert _triple(m["cla_during_year"]) == (3, None, 3)
    assert _triple(m["missing_children_share"]) == (2, 3, 66.7)
    assert _triple(m["missing_incidents"]) == (3, None, 3)
    assert _triple(m["missing_incidents_per_child"]) == (3, 2, 1.5)
    assert _triple(m["away_children_share"]) == (1, 3, 33.3)
    assert _triple(m["away_incidents"]) == (1, None, 1)


def test_example5_reviews(example5):
    assert _triple(example5["reviews_on_time"]) == (1, 3, 33.3)
    assert _triple(example5["review_participation"]) == (1, 2, 50.0)
