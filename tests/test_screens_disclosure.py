"""Every screen of the bundled council, proved safe to show (domain/disclosure.md).

Walked: every priority page and tab, the scorecard, the action plan's measures and every CSV
download, for every year of the bundled data as the reference year, with no filter, each
postcode district, each locality, each age band and a few combinations. For each screen:

- no count from 1 to 5 is shown anywhere (metrics, titles, chart labels, hover text, tables,
  CSV), and no small-area cross from 1 to 10;
- every number it writes is a number of its releases, as disclosure control shows it (its
  audit), or a published target or comparator: no title, finding or label sums, subtracts or
  otherwise computes a count of its own;
- the same number (measure, filters, year, breakdown) has the same shown value on every screen
  and on the command line's `--suppress` (`test_one_number_one_value`).

And for every year and filters (what all screens of that view show together), linear algebra
over everything that adds up (`test_no_hidden_count_can_be_solved`): with every shown number
known, no hidden count is determined by the relations, whatever combination of them is used.
The relations are read from the engine's own numbers (the breakdowns of the indicators JSON,
the months), independently of the declaration the screens suppress with, and the declaration is
checked to cover them.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from functools import cache

import numpy as np
import pytest

from analytics import comparators, config, datasets, measures, release, safe_csv
from analytics.disclosure import SUPPRESSED, Rules, is_small_area_cross
from analytics.filters import AGE_BANDS, Filters
from analytics.measures.registry import MEASURES
from analytics.plan import load_plan
from analytics.present import action_plan, scorecard, screen
from analytics.present.model import View
from analytics.present.pages import PRIORITY_PAGES
from analytics.release import REMAINDER, SAME_CHILDREN, Key
from analytics.strategy import load_strategy
from tests.dashboard_support import STATIC, small_counts

DB = config.BUNDLED_DB
COUNT_PARTS = ("numerator", "denominator", "rest", "count")
ACTIONS = load_plan()  # the bundled action plan: every measure it names  # parts of a key that may be counts


@cache
def _con():
    return measures.connect(DB)


@cache
def benchmarks() -> comparators.Benchmarks:
    return comparators.of(_con())


@cache
def coverage():
    return datasets.coverage(_con())


def filter_sets() -> list[dict]:
    cov = coverage()
    sets = [{}]
    sets += [{"districts": (d,)} for d in cov.districts]
    sets += [{"localities": (loc,)} for loc in cov.localities]
    sets += [{"age_bands": (a,)} for a in AGE_BANDS]
    sets += [
        {"districts": ("TS1", "TS3")},
        {"districts": ("TS1", "TS3"), "age_bands": ("10 to 15",)},
        {"localities": (cov.localities[0],), "age_bands": ("1 to 4",)},
        {"districts": ("TS3",), "sexes": ("Female",)},
    ]
    return sets


def _name(fs: dict) -> str:
    return ";".join(f"{k}={','.join(v)}" for k, v in fs.items()) or "all"


@cache
def releases(fs_key: tuple) -> dict[int, release.Release]:
    """Every year of the bundled data under these filters (each year whole, as screens use)."""
    fs = dict(fs_key)
    years = list(coverage().years)  # and the three before the first, for its scorecard
    return release.collect(_con(), Filters(years[-1], **fs), range(years[0] - 3, years[-1] + 1))


def views(fs: dict) -> list[View]:
    years = list(coverage().years)
    out = []
    for y in years:
        trend = tuple(t for t in years if y - 9 <= t <= y)
        out.append(View(Filters(y, **fs), trend, True, True, coverage().as_of))
    return out


# --- what a screen writes -------------------------------------------------------------------

NUMBER = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
YEARS = re.compile(r"\b(19|20)\d\d(-\d\d)?\b")
WORDING = re.compile(
    r"\(\d+ months\)|in every 10,000|Section 20|to \d\d? [A-Z][a-z]{2} "
)  # labels' own words


def unaccounted(texts: list[str], allowed: list[float], static: list[str] = ()) -> list[str]:
    """Numbers in the texts that are not a shown number of the screen (to rounding); `static`
    are texts written once, with no number of the data (definitions and sources, notes), and a
    number inside a label's own words (an age band, a year, "20 miles") is not data."""
    values = np.array(sorted([0, *allowed]))  # a zero is never hidden
    out = []
    for text in texts:
        text = _without(str(text), static)
        words = [m.span() for rx in (YEARS, WORDING, STATIC) for m in rx.finditer(text)]
        for m in NUMBER.finditer(text):
            if any(a <= m.start() and m.end() <= b for a, b in words):
                continue
            t = float(m.group(0).replace(",", ""))
            if not np.any(np.abs(values - t) < 0.5 + 1e-9):
                out.append(f"{m.group(0)} in {text!r}")
    return out


def _without(text: str, static) -> str:
    for words in static:
        text = str(text).replace(words, " ")
    return text


def csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def check_screen(
    name: str, audit: dict, texts: list[str], published: list[float], fs: dict, static=(), ytd=None
) -> None:
    """No count 1 to 5 (1 to 10 in a small-area cross) shown; every number is the screen's own."""
    for key, value in audit.items():
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        rel = releases(_fs_key(fs))[key.year] if key.as_of is None else ytd[key.as_of]
        count = rel.declaration.counts.get(key)
        if count is not None and not count.population:
            limit = 10 if count.small_area else 5
            assert not 1 <= value <= limit, (name, key, value)
    # the audit above proves the counts; in the texts, a small number that is a shown share,
    # rate or mean (5.0%, an average of 3.0) or a published figure is not a count
    ratios = {float(v) for k, v in audit.items() if isinstance(v, int | float) and k.part not in COUNT_PARTS}
    ratios |= {float(v) for v in published}  # targets and England: not the council's children
    leaks = []
    for t in texts:
        small = [n for n in small_counts(_without(t, static)) if float(n) not in ratios]
        if small:
            leaks.append((t, small))
    assert not leaks, (name, leaks[:5])
    numbers = [v for v in audit.values() if isinstance(v, int | float) and not isinstance(v, bool)]
    missing = unaccounted(texts, numbers + list(published), static)
    assert not missing, (name, missing[:5])


def _fs_key(fs: dict) -> tuple:
    return tuple(sorted(fs.items()))


SCORECARD_WORDS = [m.title for m in MEASURES.values()] + [m.old_name for m in MEASURES.values() if m.old_name]


def page_screens(fs: dict):
    strategy, comparators = load_strategy(), benchmarks()
    rels = releases(_fs_key(fs))
    for view in views(fs):
        for spec in PRIORITY_PAGES:
            years = screen.years_of(view, spec.key)
            for tab in spec.tabs:
                yield view, screen.page([rels[y] for y in years], view, spec.key, tab, strategy, comparators)


@pytest.mark.parametrize("fs", filter_sets(), ids=_name)
def test_every_screen_shows_no_small_count_and_only_its_own_numbers(fs):
    strategy, comparators = load_strategy(), benchmarks()
    rels = releases(_fs_key(fs))
    n = 0
    for view, shown in page_screens(fs):
        texts = shown.texts() + [c for s in shown.sections for c in csv_cells(s.csv())]
        static = [s.footnote for s in shown.sections]
        check_screen(f"{shown.page}/{shown.tab}/{view.year}", shown.audit, texts, shown.published, fs, static)
        n += 1
    for view in views(fs):
        card = scorecard.build(
            [rels[y] for y in screen.years_of(view, "overview")], view, strategy, comparators
        )
        texts = card.texts() + csv_cells(card.csv())
        notes = [n for n in card.table["Note"] if n]  # officers' free text: its own rule
        static = card.notes + SCORECARD_WORDS + notes
        check_screen(f"scorecard/{view.year}", card.audit, texts, card.published, fs, static)
        n += 1
        # the action plan: its measures are the view's numbers (its other counts are of actions)
        shown = action_plan.build(
            [rels[y] for y in screen.years_of(view, "action_plan")], view, strategy, comparators, ACTIONS
        )
        texts = [*shown.table["Measures"], *csv_cells(safe_csv.to_csv(shown.table[["Measures"]]))]
        check_screen(f"action_plan/{view.year}", shown.audit, texts, [], fs, SCORECARD_WORDS)
        n += 1
    assert n == len(views(fs)) * (sum(len(p.tabs) for p in PRIORITY_PAGES) + 2)


@pytest.mark.parametrize("fs", [{}, {"districts": ("TS2",)}, {"age_bands": ("Under 1",)}], ids=_name)
def test_one_number_one_value(fs):
    """Every number two screens (or a screen and the command line) show is the same on both."""
    seen: dict[Key, tuple[str, object]] = {}
    for view, shown in page_screens(fs):
        for key, value in shown.audit.items():
            where = f"{shown.page}/{shown.tab}/{view.year}"
            first = seen.setdefault(key, (where, value))
            assert first[1] == value, (key, first, (where, value))
    rels = releases(_fs_key(fs))
    strategy, comparators = load_strategy(), benchmarks()
    for view in views(fs):
        card = scorecard.build(
            [rels[y] for y in screen.years_of(view, "overview")], view, strategy, comparators
        )
        for key, value in card.audit.items():
            first = seen.setdefault(key, (f"scorecard/{view.year}", value))
            assert first[1] == value, (key, first, ("scorecard", value))
    # the command line prints the same numbers
    for year, rel in rels.items():
        cli = release.shown_indicators(rel)
        for key, (where, value) in seen.items():
            if key.year != year or key.as_of is not None or key.measure not in cli:
                continue
            m = cli[key.measure]
            if key.breakdown is None and key.part in ("numerator", "denominator", "value"):
                assert m[key.part] == value or (
                    MEASURES[key.measure].unit.is_count and key.part == "value"
                ), (key, where)
            elif key.breakdown in (m.get("breakdowns") or {}) and key.part in ("numerator", "value"):
                cell = m["breakdowns"][key.breakdown][key.category]
                got = cell if not isinstance(cell, dict) else cell[key.part]
                assert got == value, (key, where, got, value)


# --- linear algebra: nothing hidden can be solved -------------------------------------------


def relations_of(rel: release.Release) -> list[dict[Key, int]]:
    """What adds up in a year, read from the engine's numbers (not from the declaration)."""
    out: list[dict[Key, int]] = []
    k = rel.key
    for mid, result in rel.measures.items():
        if all(result.get(p) is None for p in ("numerator", "denominator", "value")):
            continue
        parts = release.counted_parts(mid)
        for dim, cells in (result.get("breakdowns") or {}).items():
            dens = {c.get("denominator") for c in cells.values() if isinstance(c, dict)}
            if (
                dens == {result.get("denominator")}
                and sum(c["numerator"] for c in cells.values()) == dens.pop()
            ):
                # the cells share out the denominator (the SDQ bands)
                out.append({**{k(mid, "numerator", dim, c): 1 for c in cells}, k(mid, "denominator"): -1})
                continue
            for part in parts:
                row = {k(mid, part): -1}
                cell_keys = [k(mid, part, dim, c) for c in cells]
                if k(mid, part, dim, REMAINDER) in rel.declaration.counts:
                    cell_keys.append(k(mid, part, dim, REMAINDER))
                total = sum(rel.declaration.counts[c].value or 0 for c in cell_keys)
                head = rel.declaration.counts[k(mid, part)].value or 0
                if total > head:
                    continue  # categories that overlap: nothing adds up
                assert total == head, (mid, part, dim)  # completed by the remainder
                row.update({c: 1 for c in cell_keys})
                out.append(row)
        if "rest" in parts:
            for dim_cat in [(None, None)] + [
                (d, c) for d, cs in (result.get("breakdowns") or {}).items() for c in cs
            ]:
                out.append(
                    {
                        k(mid, "numerator", *dim_cat): 1,
                        k(mid, "rest", *dim_cat): 1,
                        k(mid, "denominator", *dim_cat): -1,
                    }
                )
    for measure in release.MONTHLY:
        keys = rel.month_keys(measure)
        if keys:
            out.append({**{m: 1 for m in keys}, rel.month_total_key(measure): -1})
    for (a, ap), (b, bp) in SAME_CHILDREN:
        if k(a, ap) in rel.declaration.counts and k(b, bp) in rel.declaration.counts:
            out.append({k(a, ap): 1, k(b, bp): -1})
    return out


def solvable(relations: list[dict], known: dict, hidden: set) -> list:
    """The hidden keys whose value the relations determine, given the known values.

    Unknowns are the hidden keys and every key not known. A key is determined when it lies in
    the row space of the relations restricted to the unknowns: its row of the null space is 0.
    Worked per connected group of unknowns (small), with numpy's SVD.
    """
    rows = [{key: c for key, c in r.items() if key not in known} for r in relations]
    rows = [r for r in rows if r]
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in rows:
        first, *rest = list(r)
        for other in rest:
            parent[find(other)] = find(first)
    groups: dict = {}
    for r in rows:
        groups.setdefault(find(next(iter(r))), []).append(r)
    out = []
    for members in groups.values():
        unknowns = sorted({key for r in members for key in r}, key=repr)
        index = {key: i for i, key in enumerate(unknowns)}
        a = np.zeros((len(members), len(unknowns)))
        for i, r in enumerate(members):
            for key, c in r.items():
                a[i, index[key]] = c
        _, s, vt = np.linalg.svd(a)
        rank = int(np.sum(s > 1e-9))
        null = vt[rank:].T  # unknowns x nullity
        for key in unknowns:
            if key in hidden and (null.shape[1] == 0 or np.all(np.abs(null[index[key]]) < 1e-9)):
                out.append(key)
    return out


def check_release(rel: release.Release, fs: dict) -> None:
    """With every number of the release not hidden known, no hidden count is determined."""
    decl = rel.declaration
    shown = decl.solve(Rules())
    never_shown = {
        k
        for k in decl.counts
        if k.category == REMAINDER or (isinstance(k.category, tuple) and k.category[1] == REMAINDER)
    }
    known = {k: v for k, v in shown.items() if v != SUPPRESSED and k in decl.counts and k not in never_shown}
    hidden = {k for k, v in shown.items() if v == SUPPRESSED and k in decl.counts}
    relations = relations_of(rel)
    # each relation holds on the true numbers, and the declaration knows it
    declared = {frozenset([*cells, total]) for cells, total in decl.groups if total is not None}
    declared |= {frozenset(pair) for pair in decl.links}
    for r in relations:
        assert sum(c * (decl.counts[key].value or 0) for key, c in r.items()) == 0, r
        assert frozenset(r) in declared, ("not declared", r)
    found = solvable(relations + _month_relations(rel), known, hidden)
    assert not found, (rel.year, rel.as_of, fs, found[:5])


@pytest.mark.parametrize("fs", filter_sets(), ids=_name)
def test_no_hidden_count_can_be_solved(fs):
    for rel in releases(_fs_key(fs)).values():
        check_release(rel, fs)


@pytest.mark.parametrize("fs", [{}, {"districts": ("TS1",)}, {"districts": ("TS2",)}], ids=_name)
def test_a_year_to_date_screen(fs):
    """Data to 30 November 2024: the scorecard's year to date, its quarters (Q1 and Q2) and the
    months of 2024-25 come from the year-to-date releases, proved like the others."""
    strategy, comparators = load_strategy(), benchmarks()
    years = list(coverage().years)
    view = View(Filters(2025, **fs), tuple(range(2016, 2026)), True, True, date(2024, 11, 30))
    found = [*screen.releases(_con(), view, screen.years_of(view, "overview"))]
    found += screen.quarter_releases(_con(), view)
    rels = {(r.year, r.as_of): r for r in found}
    to_date = {r.as_of: r for r in found if r.as_of is not None}
    assert sorted(to_date) == [date(2024, 6, 30), date(2024, 9, 30), date(2024, 11, 30)]
    for rel in to_date.values():
        check_release(rel, fs)
    ytd = to_date[date(2024, 11, 30)]
    assert len(ytd.months) == 8 and years[-1] == 2025
    card = scorecard.build(list(rels.values()), view, strategy, comparators)
    assert card.to_date_column == "2024-25 to 30 Nov 2024 (year to date)"
    assert card.quarter_columns == ["Q1 to 30 Jun 2024", "Q2 to 30 Sep 2024"]
    texts = card.texts() + csv_cells(card.csv())
    notes = [n for n in card.table["Note"] if n]  # officers' free text: its own rule (test_board_paper)
    static = card.notes + SCORECARD_WORDS + notes
    check_screen("scorecard/ytd", card.audit, texts, card.published, fs, static, to_date)
    months = screen.page(list(rels.values()), view, "reduce", "Month by month", strategy, comparators)
    assert months.sections[0].title.startswith("2024-25 to November 2024")
    static = [sec.footnote for sec in months.sections]
    check_screen("reduce/months/ytd", months.audit, months.texts(), months.published, fs, static, to_date)


def _month_relations(rel: release.Release) -> list[dict]:
    """Each month's age bands and districts add up to the month (from the monthly JSON)."""
    out = []
    for measure in release.MONTHLY:
        for mk, month in zip(rel.month_keys(measure), rel.months):
            for dim in ("age_band", "district"):
                cells = [
                    rel.key(mk.measure, "count", f"month:{dim}", (month["month"], c))
                    for c in month[f"{measure}_by_{dim}"]
                ]
                rk = rel.key(mk.measure, "count", f"month:{dim}", (month["month"], REMAINDER))
                if rk in rel.declaration.counts:
                    cells.append(rk)
                out.append({**{c: 1 for c in cells}, mk: -1})
    return out


def test_the_checks_catch_a_leak():
    """The recovery check finds a hidden month when the others and the year are shown (the
    February case of issue 7), and the text check finds a total no key accounts for."""
    months = [Key(2025, None, "m", "count", "month", i) for i in range(3)]
    total = Key(2025, None, "m", "count")
    relation = {**{m: 1 for m in months}, total: -1}
    assert solvable([relation], {months[0]: 20, months[1]: 30, total: 55}, {months[2]}) == [months[2]]
    assert solvable([relation], {months[0]: 20, total: 55}, {months[1], months[2]}) == []
    assert unaccounted(["2024-25 to March 2025: 55 children ceasing care"], [20, 30]) == [
        "55 in '2024-25 to March 2025: 55 children ceasing care'"
    ]
    assert is_small_area_cross(["district", "month"])
