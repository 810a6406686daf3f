"""Comparators from DfE's published files (`comparators.md`): the real files of
`../shared/published/`, the spec's worked JSON, and small hand-made fields for bands and ranks."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest

from analytics import comparators
from analytics.comparators import files
from analytics.comparators.standing import Published
from tests.builders import ep, header, indicators, load, run, write_csv, write_return

REPO = Path(__file__).resolve().parents[1]
CANDIDATES = [Path(os.environ.get("CLA_PUBLISHED", "")), REPO.parent / "shared" / "published"]
PUBLISHED = next(
    (p for p in CANDIDATES if str(p) != "." and (p / "la_cla_placement_stability.csv").exists()), None
)
READ = [
    "cla_number_and_rate_per_10k_children.csv",
    "la_cla_placement_stability.csv",
    "la_care_leavers_activity.csv",
    "la_care_leavers_accommodation_suitability.csv",
    "New_Statistical_Neighbour_Groupings_April_2021.csv",
    "ons_mid-year_population_estimates_2012_to_2024.csv",
]
needs_published = pytest.mark.skipif(
    PUBLISHED is None, reason="../shared/published/ not found (set CLA_PUBLISHED)"
)


@pytest.fixture(scope="module")
def real_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("published") / "c.duckdb"
    status, printed = run("comparators", "load", *(str(PUBLISHED / f) for f in READ), "--db", str(db))
    assert status == 0, printed
    return db


def show(db: Path, *args: str) -> dict:
    status, printed = run("comparators", "show", "--db", str(db), *args)
    assert status == 0, printed
    return json.loads(printed)


def rows(db: Path, sql: str, params: dict | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or {}).fetchall()


@needs_published
def test_real_published_values_are_kept_with_their_source_and_release(real_db):
    got = rows(
        real_db,
        """SELECT measure, value, numerator, denominator, source, release FROM published
           WHERE year = 2025 AND area_code = 'E06000002' ORDER BY measure""",
    )
    by = {r[0]: r[1:] for r in got}
    assert by["placements_3plus"] == ("12", "59", "493", "la_cla_placement_stability.csv", 2025)
    assert by["cla_at_31_march"][0] == "493"
    assert by["long_term_stability"][:3] == ("57", "105", "183")
    assert by["care_leavers_19_21_eet"][:3] == ("41", "80", "193")
    assert by["care_leavers_19_21_suitable_accommodation"][:3] == ("82", "156", "191")
    england = rows(
        real_db,
        "SELECT value FROM published WHERE measure = 'cla_at_31_march' AND year = 2025 AND level = 'National'",
    )
    assert england == [("81770",)]
    # symbols are kept as published, never 0
    symbols = dict(
        rows(
            real_db,
            """SELECT area_name, value FROM published WHERE measure = 'placements_3plus' AND year = 2025
               AND area_name IN ('Rutland', 'Cumbria', 'Isles of Scilly')""",
        )
    )
    assert symbols == {"Rutland": "c", "Cumbria": "z", "Isles of Scilly": "z"}
    assert rows(real_db, "SELECT count(*) FROM neighbours WHERE old_la_code = '806'") == [(10,)]


@needs_published
def test_the_specs_worked_json_for_middlesbrough_2025_3plus_placements(real_db):
    got = show(
        real_db,
        "--measure",
        "placements_3plus",
        "--year",
        "2025",
        "--la-code",
        "E06000002",
        "--value",
        "14.4",
    )
    neighbours = got.pop("neighbours")
    assert got == {
        "measure": "placements_3plus",
        "year": 2025,
        "field_year": 2025,
        "england": 10,
        "region": {"code": "E12000001", "name": "North East", "value": 10},
        "quartiles": {"q25": 8.0, "q50": 10.0, "q75": 12.0},
        "field_size": 151,
        "council": {"code": "E06000002", "name": "Middlesbrough", "published": 12, "band": "C", "rank": 104},
        "value": {"given": 14.4, "band": "D", "rank": 142},
        "best": [
            {"code": "E09000001", "name": "City of London", "value": 0},
            {"code": "E06000016", "name": "Leicester", "value": 5},
            {"code": "E10000024", "name": "Nottinghamshire", "value": 5},
        ],
        "worst": {"code": "E09000020", "name": "Kensington and Chelsea", "value": 18},
        "best_in_region": {"code": "E08000023", "name": "South Tyneside", "value": 6},
    }
    assert neighbours["average"] == 9.0 and neighbours["of"] == 10
    assert neighbours["councils"][0] == {"code": "E06000001", "name": "Hartlepool", "value": 9}
    assert len(neighbours["councils"]) == 10
    # the average is the plain mean of the ten published values, to one decimal
    values = [c["value"] for c in neighbours["councils"]]
    assert round(sum(values) / 10, 1) == 9.0


@needs_published
def test_a_count_has_england_region_and_the_council_only(real_db):
    got = show(real_db, "--measure", "cla_at_31_march", "--year", "2025", "--la-code", "E06000002")
    assert got == {
        "measure": "cla_at_31_march",
        "year": 2025,
        "field_year": 2025,
        "england": 81770,
        "region": {"code": "E12000001", "name": "North East", "value": 6040},
        "council": {"code": "E06000002", "name": "Middlesbrough", "published": 493},
    }


@needs_published
def test_a_year_not_yet_published_is_set_against_the_latest_field(real_db):
    got = show(
        real_db, "--measure", "placements_3plus", "--year", "2026", "--la-code", "E06000002", "--value", "12"
    )
    assert got["field_year"] == 2025 and got["field_size"] == 151
    assert got["council"]["published"] is None and got["council"]["band"] is None
    assert got["value"] == {"given": 12.0, "band": "C", "rank": 104}  # 103 councils below 12, as published


@needs_published
def test_a_suppressed_council_has_its_symbol_and_no_band(real_db):
    got = show(
        real_db, "--measure", "placements_3plus", "--year", "2025", "--la-code", "E06000017"
    )  # Rutland
    assert got["council"] == {
        "code": "E06000017",
        "name": "Rutland",
        "published": "c",
        "band": None,
        "rank": None,
    }
    assert got["value"] is None


@needs_published
def test_an_unrecognised_file_is_refused_naming_it_and_nothing_is_loaded(real_db, tmp_path):
    db = tmp_path / "x.duckdb"
    status, _ = run(
        "comparators",
        "load",
        str(PUBLISHED / "la_cla_placement_stability.csv"),
        str(PUBLISHED / "la_cla_during_year_new_placements.csv"),
        "--db",
        str(db),
    )
    assert status == 1
    assert not db.exists()


# --- hand-made fields ------------------------------------------------------------------------

GEOGRAPHY = [  # EES's tidy layout: the columns before a file's own
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
]
EES = [
    *GEOGRAPHY,
    "la_name",
    "new_la_code",
    "cla_group",
    "placement_stability",
    "children_count",
    "children_percent",
]
COUNCILS = [  # code, old number, name, region, 3+ placements %
    ("E06000101", "901", "Avon", "E12000001", "20"),
    ("E06000102", "902", "Brent", "E12000001", "10"),
    ("E06000103", "903", "Cray", "E12000002", "20"),
    ("E06000104", "904", "Dove", "E12000002", "30"),
    ("E06000105", "905", "Esk", "E12000001", "c"),
]


def stability_file(path: Path, year: int = 2025, values=None) -> Path:
    out = [
        {
            "time_period": year,
            "geographic_level": "National",
            "country_code": "E92000001",
            "cla_group": "CLA on 31 March",
            "placement_stability": "With 3 or more placements during the year",
            "children_count": "60",
            "children_percent": "20",
        },
    ]
    for (code, old, name, region, _pct), value in zip(
        COUNCILS, values or [c[4] for c in COUNCILS], strict=True
    ):
        for group, stab in (
            ("CLA on 31 March", "With 3 or more placements during the year"),
            (
                "Children looked after continuously for at least 2.5 years on 31 March aged under 16 years",
                "Living with the same carer for at least 2 years",
            ),
        ):
            out.append(
                {
                    "time_period": year,
                    "geographic_level": "Local authority",
                    "country_code": "E92000001",
                    "region_code": region,
                    "region_name": {"E12000001": "North East"}.get(region, "North West"),
                    "old_la_code": old,
                    "la_name": name,
                    "new_la_code": code,
                    "cla_group": group,
                    "placement_stability": stab,
                    "children_count": "7" if value != "c" else "c",
                    "children_percent": value,
                }
            )
    out.append(
        {
            "time_period": year,
            "geographic_level": "Regional",
            "country_code": "E92000001",
            "region_code": "E12000001",
            "region_name": "North East",
            "cla_group": "CLA on 31 March",
            "placement_stability": "With 3 or more placements during the year",
            "children_count": "20",
            "children_percent": "15",
        }
    )
    return write_csv(path, EES, [{k: str(v) for k, v in r.items()} for r in out])


def neighbour_file(path: Path) -> Path:
    head = ["LA num", "LA Name", "LA number", "GOInd", "GOReg"] + [
        c for i in range(1, 11) for c in (f"SN{i}", "SNP")
    ]
    text = ",".join(head) + "\n"
    text += (
        "901,Avon,901,1,NE,"
        + ",".join(f"{n},Close" for n in ("902", "903", "904", "905", "999"))
        + ",,,,,,,,,,\n"
    )
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def small_db(tmp_path):
    db = tmp_path / "s.duckdb"
    comparators.load([stability_file(tmp_path / "stab.csv"), neighbour_file(tmp_path / "sn.csv")], db)
    return db


def test_bands_and_ranks_on_a_small_field_with_ties_symbols_and_both_directions(small_db):
    # field of 4 numbers (Esk is "c", not in the field): 10, 20, 20, 30
    # quartiles by linear interpolation: q25 = 10 + 0.75 x 10 = 17.5, q50 = 20, q75 = 20 + 0.25 x 10 = 22.5
    with duckdb.connect(str(small_db), read_only=True) as con:
        p = Published.read(con)
    low = {code: p.show("placements_3plus", 2025, code, None, "low") for code, *_ in COUNCILS}
    assert low["E06000101"]["quartiles"] == {"q25": 17.5, "q50": 20.0, "q75": 22.5}
    assert low["E06000101"]["field_size"] == 4
    got = {code: (s["council"]["band"], s["council"]["rank"]) for code, s in low.items()}
    assert got == {
        "E06000101": ("B", 2),
        "E06000102": ("A", 1),
        "E06000103": ("B", 2),
        "E06000104": ("D", 4),
        "E06000105": (None, None),
    }
    assert low["E06000105"]["council"]["published"] == "c"
    # best three: 10 then the two 20s by name; worst 30; best in Avon's region (North East): Brent
    assert [b["name"] for b in low["E06000101"]["best"]] == ["Brent", "Avon", "Cray"]
    assert low["E06000101"]["worst"]["name"] == "Dove"
    assert low["E06000101"]["best_in_region"] == {"code": "E06000102", "name": "Brent", "value": 10}
    assert low["E06000101"]["england"] == 20
    assert low["E06000101"]["region"] == {"code": "E12000001", "name": "North East", "value": 15}
    # high is good: the same values read the other way round
    high = {code: p.show("placements_3plus", 2025, code, None, "high")["council"] for code, *_ in COUNCILS}
    assert {c: (v["band"], v["rank"]) for c, v in high.items()} == {
        "E06000101": ("C", 2),
        "E06000102": ("D", 4),
        "E06000103": ("C", 2),
        "E06000104": ("A", 1),
        "E06000105": (None, None),
    }
    # our own value against the field: Avon's own 20 left out, so 20 ranks after Brent's 10 only
    given = p.show("placements_3plus", 2025, "E06000101", 20.0, "low")["value"]
    assert given == {"given": 20.0, "band": "B", "rank": 2}
    assert p.show("placements_3plus", 2025, "E06000101", 9.0, "low")["value"] == {
        "given": 9.0,
        "band": "A",
        "rank": 1,
    }
    assert (
        p.show("placements_3plus", 2025, "E06000101", 25.0, "high")["value"]["rank"] == 2
    )  # only Dove's 30 above


def test_the_neighbours_average_counts_only_those_with_a_number(small_db):
    with duckdb.connect(str(small_db), read_only=True) as con:
        p = Published.read(con)
    sn = p.show("placements_3plus", 2025, "E06000101", None, "low")["neighbours"]
    # Brent 10, Cray 20, Dove 30, Esk c, 999 unknown: (10 + 20 + 30) / 3 = 20.0 of 3
    assert sn["average"] == 20.0 and sn["of"] == 3
    assert [c["value"] for c in sn["councils"]] == [10, 20, 30, "c", None]
    assert [c["name"] for c in sn["councils"]][:4] == ["Brent", "Cray", "Dove", "Esk"]


def test_a_newer_copy_of_a_file_replaces_only_the_rows_it_holds(small_db, tmp_path):
    # a 2024 file added, then a corrected 2025 copy: 2024 stays, 2025 is replaced
    comparators.load([stability_file(tmp_path / "s24.csv", 2024)], small_db)
    comparators.load([stability_file(tmp_path / "s25.csv", 2025, ["21", "10", "20", "30", "c"])], small_db)
    got = dict(
        rows(
            small_db,
            """SELECT year, value FROM published WHERE measure = 'placements_3plus'
                                 AND area_code = 'E06000101'""",
        )
    )
    assert got == {2024: "20", 2025: "21"}
    assert rows(small_db, "SELECT count(*) FROM neighbours") == [(5,)]


def test_a_rate_takes_the_ons_estimate_when_no_population_table_was_loaded(tmp_path):
    # two children looked after on 31 March 2025; ONS mid-2024 estimate for the council 4,000:
    # 2 x 10,000 / 4,000 = 5.0 per 10,000 (mid-2023's 8,000 is not the latest)
    folder = write_return(
        tmp_path / "2025",
        [header("A", "2015-01-01"), header("B", "2016-01-01")],
        [ep("A", "2024-05-01 S C2 U4 -> open"), ep("B", "2024-06-01 S C2 U4 -> open")],
    )
    db = tmp_path / "r.duckdb"
    load(db, folder, extra=("--year", "2025"))
    assert indicators(db, 2025)["cla_rate_per_10k"]["value"] is None
    ons = tmp_path / "ons.csv"
    columns = [*GEOGRAPHY, "new_la_code", "la_name", "age_group", "population_estimate"]  # ONS's order
    write_csv(
        ons,
        columns,
        [
            {
                "time_period": y,
                "geographic_level": "Local authority",
                "new_la_code": "E06000002",
                "la_name": "Middlesbrough",
                "age_group": "Children aged 0 to 17 years",
                "population_estimate": n,
            }
            for y, n in ((2023, "8000"), (2024, "4000"), (2025, "1000"))
        ],
    )
    comparators.load([ons], db)
    rate = indicators(db, 2025)["cla_rate_per_10k"]
    assert (rate["numerator"], rate["denominator"], rate["value"]) == (2, 4000, 5.0)
    # part of the council has no ONS estimate of its own
    assert indicators(db, 2025, "--district", "TS1")["cla_rate_per_10k"]["value"] is None


def test_symbols_never_become_numbers():
    assert [files.number(s) for s in ("c", "k", "x", "z", "", "12", "0")] == [None] * 5 + [12, 0]


# --- the screens: the bundled council (Middlesbrough's published figures, invented returns) ---


@pytest.fixture(scope="module")
def bundled():
    from analytics import config, datasets, measures
    from analytics.filters import Filters
    from analytics.present import screen
    from analytics.present.model import View

    con = measures.connect(config.BUNDLED_DB)
    cov = datasets.coverage(con)

    def make(key: str, **filters):
        view = View(Filters(2025, **filters), tuple(range(2021, 2026)), True, True, cov.as_of)
        return view, screen.releases(con, view, screen.years_of(view, key))

    yield con, make
    con.close()


def test_the_scorecard_sets_our_value_among_every_council(bundled):
    from dataclasses import replace

    from analytics.present import scorecard
    from analytics.strategy import load_strategy

    con, make = bundled
    view, rels = make("overview")
    bench = comparators.of(con)
    assert bench.la_code == "E06000002" and bench.region_name == "North East"
    card = scorecard.build(rels, view, load_strategy(), bench)
    row = card.table.set_index("Measure").loc["Three or more placements in the year"]
    # the synthetic council's 2024-25 figure is 14.4% (70 of 487), the spec's worked value:
    # against 2025's field it is band D, 142nd of 151; England and the North East 10%, the
    # neighbours' mean 9.0; the best of the North East South Tyneside (6%)
    assert (row["2024-25 to 31 Mar 2025"], row["n of d"]) == ("14.4%", "70 of 487")
    assert (row["England"], row["North East"], row["Neighbours"]) == ("10%", "10%", "9.0%")
    assert row["Quartile"] == "D · 142nd of 151"
    assert row["Best in region"] == "South Tyneside 6%"
    assert row["RAG"] == "Red"  # against the 10% target
    quartile = scorecard.build(rels, view, replace(load_strategy(), rag_basis="quartile"), bench)
    rows = quartile.table.set_index("Measure")
    assert rows.loc["Three or more placements in the year", "RAG"] == "D"
    # a count is not ranked and has no neighbours' average; a measure DfE's files do not hold
    # keeps the target's RAG
    counts = rows.loc["Children looked after at 31 March"]
    assert (counts["England"], counts["Neighbours"], counts["Quartile"]) == ("81,770", "–", "–")
    assert rows.loc["Placed more than 20 miles from home", "RAG"] in ("Green", "Amber", "Red")
    assert "quartile band" in quartile.rule
    # part of the council: no comparator at all
    view, rels = make("overview", districts=("TS1",))
    part = scorecard.build(rels, view, load_strategy(), bench).table.set_index("Measure")
    assert set(
        part[["England", "North East", "Neighbours", "Quartile", "Best in region"]].to_numpy().ravel()
    ) == {"–"}


def test_where_we_stand_places_our_shown_value_among_every_council(bundled):
    from analytics.present import screen
    from analytics.strategy import load_strategy

    con, make = bundled
    view, rels = make("stability")
    shown = screen.page(rels, view, "stability", "Where we stand", load_strategy(), comparators.of(con))
    first = shown.sections[0]
    assert first.title.startswith("Our 14.4% in 2024-25 would rank 142nd of 151 councils (band D")
    groups = first.table["group"].value_counts().to_dict()
    assert groups == {"Every council": 140, "Neighbours": 10}  # 151 less Middlesbrough itself
    assert "Hartlepool" in set(first.table.loc[first.table["group"] == "Neighbours", "council"])


def test_own_against_published_flags_differences_over_the_tolerance(bundled):
    from analytics import release
    from analytics.present import reference

    con, make = bundled
    view, rels = make("overview")
    table = reference.own_against_published(
        release.numbers(rels, view.rules), comparators.of(con), range(2021, 2026)
    )
    rows = table.set_index(["Year", "Measure"])
    # 3+ placements 2024-25: ours 14.4%, published 12: 2.4 points, over one point
    r = rows.loc[("2024-25", "Three or more placements in the year")]
    assert (r["Ours (computed)"], r["DfE published"], r["Difference"], r["Over the tolerance"]) == (
        "14.4%",
        "12%",
        "+2.4 points",
        "Check",
    )
    # children looked after 2024-25: 487 against 493: -6, 1.2% of 493, within 2%
    r = rows.loc[("2024-25", "Children looked after at 31 March")]
    assert (r["Ours (computed)"], r["DfE published"], r["Difference"], r["Over the tolerance"]) == (
        "487",
        "493",
        "-6",
        "",
    )


def test_own_against_published_shows_only_what_the_disclosure_pass_shows(bundled):
    """The table reads the screen's shown numbers: under rules that hide every count up to 500,
    our 487 looked after is "c" and no difference is written from it."""
    from analytics import release
    from analytics.disclosure import Rules
    from analytics.present import reference

    con, make = bundled
    _, rels = make("overview")
    strict = Rules(threshold=500, area_threshold=500, min_denominator=10)
    n = release.numbers(rels, strict)
    rows = reference.own_against_published(n, comparators.of(con), range(2021, 2026)).set_index(
        ["Year", "Measure"]
    )
    r = rows.loc[("2024-25", "Children looked after at 31 March")]
    assert (r["Ours (computed)"], r["DfE published"], r["Difference"], r["Over the tolerance"]) == (
        "c",
        "493",
        "–",
        "",
    )
    shown = {
        k: v
        for k, v in n.read.items()
        if k.measure == "cla_at_31_march" and k.year == 2025 and k.breakdown is None
    }
    assert "c" in shown.values()  # the cell was read from the disclosure pass, as every screen's
