"""The board's own paper beyond the slides: the action plan tracked (analytics.plan and its
screen), the officers' notes through the disclosure rule for free text, and the scorecard's
quarters. Hand-made plans and notes; the numbers checked against the engine's shown values."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from pptx import Presentation

from analytics import boardpack, comparators, config, measures, release
from analytics.disclosure import NOTE_WITHHELD, SUPPRESSED, Rules, free_text
from analytics.filters import Filters
from analytics.plan import PlanError, load_plan, progress, summary
from analytics.present import action_plan, scorecard, screen
from analytics.present.model import View
from analytics.strategy import StrategyError, load_notes, load_strategy

HEADER = "id,action,priority,lead,due,milestone,status,measures,indicator\n"
PLAN = HEADER + (
    "1.1,Review starts in TS1,reduce,Head of service,2024-09-30,Sept 2024,Achieved,starts,Fewer starts\n"
    "1.2,Cut moves,stability,Placements lead,2024-12-31,Dec 2024,behind,placements_3plus,Fewer moves\n"
    "2.1,Recruit carers,placements,Fostering lead,,Ongoing,On track,,More carers\n"
)
VIEW = View(Filters(2025), tuple(range(2016, 2026)), True, True, date(2025, 3, 31))


@cache
def _con():
    return measures.connect(config.BUNDLED_DB)


def _write(tmp_path: Path, text: str, name: str = "plan.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the plan file --------------------------------------------------------------------------


def test_a_plan_reads_counts_and_knows_what_is_overdue(tmp_path):
    actions = load_plan(_write(tmp_path, PLAN))
    assert [a.id for a in actions] == ["1.1", "1.2", "2.1"]
    assert actions[1].status == "Behind"  # the status's case is the plan's own
    assert actions[0].measures == ("starts",) and actions[2].measures == ()
    assert summary(actions) == "1 of 3 achieved"
    on = date(2025, 1, 15)
    assert [a.overdue(on) for a in actions] == [False, True, False]  # achieved; past due; no date
    grid = progress(actions).set_index(["priority", "status"])["actions"]
    assert grid["reduce", "Achieved"] == 1 and grid["reduce", "Behind"] == 0
    assert grid["stability", "Behind"] == 1 and grid["placements", "On track"] == 1
    assert grid.sum() == 3 and len(grid) == 3 * 4  # every priority of the plan, every status


@pytest.mark.parametrize(
    "row, message",
    [
        ("1.1,A,reduce,L,,,Done,,", "plan.csv, row 2: status 'Done' is not one of Achieved, On track"),
        ("1.1,A,housing,L,,,Achieved,,", "plan.csv, row 2: priority 'housing' is not one of reduce"),
        ("1.1,A,reduce,L,,,Achieved,starts nope,", "plan.csv, row 2: nope is not a measure id"),
        ("1.1,A,reduce,L,Sept 2008,,Achieved,,", "plan.csv, row 2: due 'Sept 2008' is not a date"),
        (",A,reduce,L,,,Achieved,,", "plan.csv, row 2: an action needs an id and its words"),
    ],
)
def test_a_plan_that_cannot_be_read_names_the_row_and_the_rule(tmp_path, row, message):
    with pytest.raises(PlanError) as e:
        load_plan(_write(tmp_path, HEADER + row + "\n"))
    assert str(e.value).startswith(message)


def test_a_plan_with_a_column_missing_or_an_id_twice_is_refused(tmp_path):
    with pytest.raises(PlanError, match="the columns status are missing"):
        load_plan(_write(tmp_path, "id,action,priority,lead,due,milestone,measures,indicator\n"))
    twice = HEADER + "1.1,A,reduce,L,,,Achieved,,\n1.1,B,reduce,L,,,Achieved,,\n"
    with pytest.raises(PlanError, match="row 3: the id 1.1 is used twice"):
        load_plan(_write(tmp_path, twice))


def test_the_bundled_plan_is_middlesbroughs_34_actions():
    actions = load_plan()
    assert len(actions) == 34  # 1.1-1.22, 2.1-2.6, 3.1-3.6 of the 2008-09 action plan
    assert [a.id for a in actions if a.priority == "placements"] == [f"2.{i}" for i in range(1, 7)]
    assert "Middlesbrough" in load_strategy().page("action_plan").source
    assert "illustrative" in load_strategy().page("action_plan").source


# --- the plan's screen ----------------------------------------------------------------------


def test_the_plan_screen_shows_each_measure_as_the_engine_shows_it(tmp_path):
    actions = load_plan(_write(tmp_path, PLAN))
    rels = screen.releases(_con(), VIEW, screen.years_of(VIEW, "action_plan"))
    strategy = load_strategy()
    shown = action_plan.build(rels, VIEW, strategy, comparators.of(_con()), actions, date(2025, 1, 15))
    # the engine's own suppressed numbers, read independently of the screen
    n = release.numbers(release.collect(_con(), Filters(2025), [2025]).values(), VIEW.rules)
    starts = n.headline("starts", 2025)["value"]
    three = n.headline("placements_3plus", 2025)
    rows = shown.table.set_index("Action")
    target = strategy.targets["starts"].by_year[2025]  # 180: lower is better
    assert rows.loc["1.1", "Measures"] == (
        f"Children starting to be looked after: {starts}, {'Green' if starts <= target else 'Red'}"
    )
    assert rows.loc["1.2", "Measures"] == (
        f"Three or more placements in the year: {three['value']:.1f}% "
        f"({three['numerator']} of {three['denominator']}), Red"  # target 10%: 14.4% is over 11%
    )
    assert rows.loc["1.2", "Status"] == "Behind (overdue)" and rows.loc["2.1", "Measures"] == "–"
    assert shown.summary == "1 of 3 achieved"
    assert [(m.label, m.value) for m in shown.metrics] == [
        ("Achieved", "1"),
        ("On track", "1"),
        ("Behind", "1"),
        ("Not started", "0"),
    ]
    assert shown.progress.set_index("Priority")["All"].tolist() == [1, 1, 1]
    assert shown.chart.options["title"] == "The action plan: 1 of 3 achieved, by priority"


def test_the_pack_carries_the_plan_and_the_notes():
    pack = boardpack.build(_con(), VIEW, load_strategy())
    titles = [s.title for s in pack.slides]
    achieved = summary(load_plan())
    assert f"Action plan: {achieved}" in titles and "Action plan: not yet achieved" in titles
    notes = next(s for s in pack.slides if s.title == "Officers' notes on the scorecard")
    # the bundled note on 17-18 EET gives three small counts: each is c, the note is kept
    assert any("8 of 17: c not recorded, c not in touch, c in custody" in line for line in notes.lines)
    deck = Presentation(io.BytesIO(boardpack.to_pptx(pack)))
    plan_slide = next(s for s in deck.slides if s.shapes[0].text_frame.text == f"Action plan: {achieved}")
    chart = next(sh.chart for sh in plan_slide.shapes if sh.has_chart)
    assert [s.name for s in chart.plots[0].series] == ["Achieved", "On track", "Behind", "Not started"]


# --- the officers' notes --------------------------------------------------------------------


def test_free_text_hides_small_counts_and_withholds_a_note_with_one():
    harrow = "12 of 16 former care leavers: 1 not recorded, 2 not in contact, 1 in custody"
    assert free_text(harrow) == "12 of 16 former care leavers: c not recorded, c not in contact, c in custody"
    assert free_text("12 of 16: 4 not in touch") is None  # 16 - 12 would give the 4 away
    assert free_text("three of them moved in Q2 2024-25; two returned home") == (
        "c of them moved in Q2 2024-25; c returned home"
    )
    kept = "Up from 61.2% on 31 March 2024; TS3 best; 48 of 52 in touch; £1,200 a week"
    assert free_text(kept) == kept  # a percentage, a date, a code, money and counts over 5
    assert free_text(harrow, Rules(threshold=0)) == harrow  # disclosure control off
    assert free_text("9 in college, 7 working", Rules(threshold=10)) == "c in college, c working"


def test_the_scorecard_writes_each_note_through_the_rule(tmp_path):
    notes = load_notes(
        _write(
            tmp_path,
            "measure,year,note\n"
            "placements_3plus,2025,Two children moved three times\n"
            "long_term_stability,2025,4 placements ended at retirement\n"
            "starts,2024,Not this year's\n",
            "notes.csv",
        )
    )
    strategy = replace(load_strategy(), notes=notes)
    rels = [*screen.releases(_con(), VIEW, screen.years_of(VIEW, "overview"))]
    card = scorecard.build(rels, VIEW, strategy, comparators.of(_con())).table.set_index("Measure")
    assert card.loc["Three or more placements in the year", "Note"] == "c children moved c times"
    assert card.loc["Long-term placement stability", "Note"] == NOTE_WITHHELD
    assert card.loc["Children starting to be looked after", "Note"] == ""  # a note of another year
    part = replace(VIEW, filters=Filters(2025, districts=("TS1",)))
    rels = screen.releases(_con(), part, screen.years_of(part, "overview"))
    assert set(scorecard.build(rels, part, strategy).table["Note"]) == {""}  # the council's notes only
    with pytest.raises(StrategyError, match="notes.csv, row 2: 'nope' is not a measure id"):
        load_notes(_write(tmp_path, "measure,year,note\nnope,2025,x\n", "notes.csv"))


# --- the quarters ---------------------------------------------------------------------------


def test_the_scorecard_quarters_are_the_engines_year_to_date_values():
    rels = [
        *screen.releases(_con(), VIEW, screen.years_of(VIEW, "overview")),
        *screen.quarter_releases(_con(), VIEW),
    ]
    card = scorecard.build(rels, VIEW, load_strategy(), comparators.of(_con()))
    assert card.quarter_columns == ["Q1 to 30 Jun 2024", "Q2 to 30 Sep 2024", "Q3 to 31 Dec 2024"]
    table = card.table.set_index("Measure")
    for column, day in zip(card.quarter_columns, (date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31))):
        ytd = release.collect(_con(), Filters(2025, as_of=day), [2025])[2025]
        shown = release.numbers([ytd], VIEW.rules)
        looked_after = shown.headline("cla_at_31_march", 2025, day)["value"]
        assert table.loc["Children looked after at 31 March", column] == f"{looked_after:,}"
        value = shown.headline("placements_3plus", 2025, day)["value"]
        expected = SUPPRESSED if value == SUPPRESSED else f"{value:.1f}%"
        assert table.loc["Three or more placements in the year", column] == expected
    # with data to 30 November 2024, the year to date is its own column and Q3 is not reached
    ytd_view = replace(VIEW, as_of=date(2024, 11, 30))
    assert screen.quarters_of(ytd_view) == [date(2024, 6, 30), date(2024, 9, 30)]
