"""The command line: filters, rates from the population table, localities, monthly figures, the
JSON contract's shape and `--suppress`."""

from __future__ import annotations

import json

import pytest

from analytics.measures.registry import MEASURES
from tests.builders import TS5, ep, header, indicators, load, run, write_csv, write_return

# Twelve children: eight starting in TS1 (four girls), four in TS5; ages spread over the bands.
EPISODES = [ep(f"T1_{i}", f"2023-0{4 + i % 5}-1{i % 9} S C2 U4 PR1 -> open") for i in range(8)] + [
    ep(f"T5_{i}", f"2023-0{5 + i}-20 S V2 U6 PR4 -> 2023-0{6 + i}-25 E4A", home=TS5) for i in range(4)
]
HEADERS = [header(f"T1_{i}", f"20{10 + i}-06-01", sex="2" if i % 2 else "1") for i in range(8)] + [
    header(f"T5_{i}", "2008-01-01") for i in range(4)
]


@pytest.fixture
def db(tmp_path):
    db = tmp_path / "cla.duckdb"
    load(db, write_return(tmp_path / "in", HEADERS, EPISODES))
    return db


def test_every_measure_id_is_in_the_json_with_the_contracts_fields(db):
    status, printed = run("indicators", "--year", "2024", "--db", str(db))
    payload = json.loads(printed)
    assert status == 0
    assert (
        payload["year"] == 2024
        and payload["period"] == ["2023-04-01", "2024-03-31"]
        and payload["filters"] == {}
    )
    assert set(payload["measures"]) == set(MEASURES)
    for mid, m in payload["measures"].items():
        assert {"numerator", "denominator", "value"} <= set(m), mid
        if m["value"] is None:
            assert m["reason"], mid


def test_district_age_band_and_sex_filters_combine_with_and(db):
    assert indicators(db, 2024, "--district", "TS1")["starts"]["value"] == 8
    assert indicators(db, 2024, "--district", "ts5")["starts"]["value"] == 4
    assert indicators(db, 2024, "--district", "TS1", "--district", "TS5")["starts"]["value"] == 12
    assert indicators(db, 2024, "--district", "TS1", "--sex", "Female")["starts"]["value"] == 4
    assert indicators(db, 2024, "--age-band", "10 to 15", "--district", "TS5")["starts"]["value"] == 4
    assert indicators(db, 2024, "--district", "TS2")["starts"]["value"] == 0


def test_localities_and_population_rates(db, tmp_path):
    localities = write_csv(
        tmp_path / "loc.csv",
        ["district", "locality"],
        [
            {"district": "TS1", "locality": "Central"},
            {"district": "TS5", "locality": "West"},
        ],
    )
    population = write_csv(
        tmp_path / "pop.csv",
        ["year", "district", "age_band", "children"],
        [
            {"year": "2023", "district": "TS1", "age_band": "10 to 15", "children": "3000"},
            {"year": "2023", "district": "TS1", "age_band": "1 to 4", "children": "1000"},
            {"year": "2023", "district": "TS5", "age_band": "10 to 15", "children": "4000"},
        ],
    )
    assert run("localities", str(localities), "--db", str(db))[0] == 0
    assert run("population", str(population), "--db", str(db), "--la-code", "E06000002")[0] == 0
    central = indicators(db, 2024, "--locality", "Central")
    assert central["starts"]["value"] == 8
    assert central["cla_at_31_march"]["breakdowns"]["locality"] == {"Central": 8}
    # 2024 has no population rows: the latest earlier year (2023) is used.
    assert central["starts_rate_per_10k"] == {"numerator": 8, "denominator": 4000, "value": 20.0}
    everyone = indicators(db, 2024)
    assert everyone["starts_rate_per_10k"] == {"numerator": 12, "denominator": 8000, "value": 15.0}
    assert indicators(db, 2024, "--sex", "Male")["cla_rate_per_10k"]["value"] is None


def test_a_bad_population_file_names_the_row(db, tmp_path):
    population = write_csv(
        tmp_path / "pop.csv",
        ["year", "district", "age_band", "children"],
        [
            {"year": "2023", "district": "TS1", "age_band": "10-15", "children": "3000"},
        ],
    )
    status, _ = run("population", str(population), "--db", str(db))
    assert status == 2


def test_monthly_starts_and_ceased(db):
    status, printed = run("monthly", "--from", "2023-04", "--to", "2023-09", "--db", str(db))
    months = {m["month"]: m for m in json.loads(printed)["months"]}
    assert status == 0 and list(months) == ["2023-04", "2023-05", "2023-06", "2023-07", "2023-08", "2023-09"]
    # TS1 starts: i = 0..7 in months 4 + i % 5: April x2, May x2, June x2, July, August.
    # TS5 starts: May, June, July, August; ends: June, July, August, September.
    assert [months[m]["starts"] for m in months] == [2, 3, 3, 2, 2, 0]
    assert [months[m]["ceased"] for m in months] == [0, 0, 1, 1, 1, 1]
    assert months["2023-05"]["starts_by_district"] == {"TS1": 2, "TS5": 1}


def test_suppress_hides_small_counts_everywhere(db):
    status, printed = run("indicators", "--year", "2024", "--db", str(db), "--suppress")
    measures = json.loads(printed)["measures"]
    assert measures["starts"]["value"] == 12
    assert measures["starts"]["breakdowns"]["district"] == {
        "TS1": "c",
        "TS5": "c",
    }  # 4 hidden, then 8 beside it

    def numbers(node):
        if isinstance(node, dict):
            for v in node.values():
                yield from numbers(v)
        elif isinstance(node, int) and not isinstance(node, bool):
            yield node

    assert not [n for n in numbers(measures) if 1 <= n <= 5]
    status, printed = run("monthly", "--from", "2023-04", "--to", "2023-09", "--db", str(db), "--suppress")
    assert not [n for n in numbers(json.loads(printed)) if 1 <= n <= 5 and n != 2023]


def test_an_as_of_date_must_end_a_month_in_the_year(db):
    assert run("indicators", "--year", "2024", "--as-of", "2023-09-15", "--db", str(db))[0] == 2
    assert run("indicators", "--year", "2024", "--as-of", "2024-04-30", "--db", str(db))[0] == 2
    ytd = indicators(db, 2024, "--as-of", "2023-06-30")
    assert ytd["starts"]["value"] == 8  # April, May, June: six in TS1, two in TS5
