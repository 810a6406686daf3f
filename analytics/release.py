"""A year's numbers, declared whole for disclosure control: what every screen shows draws from here.

A `Release` is everything the engine computes for one collection year under one set of filters
(and, for a year to date, one as-of date): every measure of the registry with every breakdown,
and the starts and ceased of each month of the year, by age band and by district. `declare`
turns it into a `disclosure.Declaration` with what adds up to what:

- each breakdown's cells add up to their headline (completed with an unshown remainder where
  they do not: children with no district, say);
- where a screen shows the rest of a share's denominator (`SHOWN_REST`), the numerator and
  the rest add up to the denominator, in the headline and in every cell;
- the months add up to the year (the headline itself when the months count the same children),
  and each month's age bands and districts to the month;
- numbers printed under two ids that count the same children (`SAME_CHILDREN`) are one number.

Because a release is always declared whole, whatever a screen shows of it, a number's fate
depends only on its measure, filters, year and breakdown (the rule of `analytics.disclosure`).
`Numbers` is what screens read: shown values only, each read recorded for the screen's audit.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import NamedTuple

import duckdb

from analytics import measures, store
from analytics.disclosure import ON, Declaration, Disclosed, Rules, Shown, suppress
from analytics.filters import Filters
from analytics.measures.registry import MEASURES
from analytics.measures.units import Unit

MONTHLY = ("starts", "ceased")  # the measures counted month by month
REMAINDER = "(remainder)"  # the category that completes a breakdown; never shown
# Shares whose rest (denominator less numerator) a screen shows as a category of its own: the
# rest is then a count like the others. Elsewhere a share is published as "n of d" (Harrow's
# board paper: reviews on time, "155 of 157"), as DfE publishes numerators and denominators.
SHOWN_REST = ("purchased_foster_share",)  # in-house foster care, analytics.present.sections

# Numbers printed under two measure ids that count the same children (indicators.md): hidden
# under one, hidden under both; so are their breakdown cells of the same breakdown and category.
SAME_CHILDREN: tuple[tuple[tuple[str, str], tuple[str, str]], ...] = (
    (("cla_at_31_march", "numerator"), ("cla_rate_per_10k", "numerator")),
    (("cla_at_31_march", "numerator"), ("placements_3plus", "denominator")),
    (("cla_at_31_march", "numerator"), ("kinship_foster_share", "denominator")),
    (("cla_at_31_march", "numerator"), ("placed_outside_la", "denominator")),
    (("cla_at_31_march", "numerator"), ("placed_over_20_miles", "denominator")),
    (("starts", "numerator"), ("starts_rate_per_10k", "numerator")),
    (("ceased", "numerator"), ("adopted", "denominator")),
    (("ceased", "numerator"), ("sgo", "denominator")),
    (("ceased", "numerator"), ("cao", "denominator")),
    (("adopted", "numerator"), ("adoption_entry_to_order_days", "denominator")),
    (("starts", "numerator"), ("starts_after_permanence", "denominator")),
    (("cla_at_31_march", "numerator"), ("social_workers_3plus", "denominator")),
    (("oc2_cohort", "numerator"), ("oc2_health_assessment", "denominator")),
    (("oc2_cohort", "numerator"), ("oc2_dental_check", "denominator")),
    (("oc2_cohort", "numerator"), ("oc2_immunisations_up_to_date", "denominator")),
    (("oc2_cohort", "numerator"), ("oc2_substance_misuse", "denominator")),
    (("oc2_substance_misuse", "numerator"), ("oc2_substance_intervention_received", "denominator")),
    (("oc2_sdq_received_5_16", "numerator"), ("oc2_sdq_average_5_16", "denominator")),
    (("oc2_sdq_received_5_16", "numerator"), ("oc2_sdq_concern_5_16", "denominator")),
    (("cla_during_year", "numerator"), ("missing_children_share", "denominator")),
    (("cla_during_year", "numerator"), ("away_children_share", "denominator")),
    (("missing_children_share", "numerator"), ("missing_incidents_per_child", "denominator")),
    (("care_leavers_19_21_eet", "denominator"), ("care_leavers_19_21_in_touch", "denominator")),
    (
        ("care_leavers_19_21_eet", "denominator"),
        ("care_leavers_19_21_with_former_foster_carers", "denominator"),
    ),
)


# Headlines that are one cell of their own breakdown: the same children.
SAME_AS_A_CELL = (("oc2_sdq_concern_5_16", "Concern"),)


class Key(NamedTuple):
    """The name of one number: whose year (and as-of date), which measure, which part, which cell.

    `part` is numerator, denominator or value (indicators.md), `rest` (a share's denominator
    less its numerator), `of_total` (a cell's share of its headline) or, for the months, count.
    """

    year: int
    as_of: date | None
    measure: str  # a measure id, or "monthly:starts" / "monthly:ceased"
    part: str
    breakdown: str | None = None  # "month", "month:age_band", "month:district" for the months
    category: str | tuple | None = None


def counted_parts(mid: str) -> tuple[str, ...]:
    """The parts of a measure that are counts of children, added up along its breakdowns."""
    unit = MEASURES[mid].unit
    if unit.is_count:
        return ("numerator",)
    if unit.is_mean:
        return ("denominator",)
    if unit.denominator_is_children:
        return ("numerator", "denominator", "rest") if mid in SHOWN_REST else ("numerator", "denominator")
    return ("numerator",)  # a rate: the denominator is a population


@dataclass
class Release:
    """The unsuppressed numbers of one year and filters (`filters.as_of` for a year to date)."""

    filters: Filters
    measures: dict[str, dict]  # the `measures` object of the indicators JSON
    months: list[dict]  # the `months` of the monthly JSON, April to March (or the as-of month)
    _declaration: Declaration | None = field(default=None, repr=False)

    @property
    def year(self) -> int:
        return self.filters.year

    @property
    def as_of(self) -> date | None:
        return self.filters.as_of

    def key(self, measure: str, part: str, breakdown: str | None = None, category=None) -> Key:
        return Key(self.year, self.as_of, measure, part, breakdown, category)

    @property
    def declaration(self) -> Declaration:
        if self._declaration is None:
            self._declaration = declare(self)
        return self._declaration

    def month_keys(self, measure: str) -> list[Key]:
        return [self.key(f"monthly:{measure}", "count", "month", m["month"]) for m in self.months]

    def month_total_key(self, measure: str) -> Key:
        """The year's total of the months: the headline when they count the same children."""
        total = sum(m[measure] for m in self.months)
        headline = self.measures.get(measure, {})
        if total == headline.get("numerator"):  # the same period: to 31 March or the as-of date
            return self.key(measure, "numerator")
        return self.key(f"monthly:{measure}", "count")


KEPT_PER_CONNECTION = 32  # releases kept per connection (a view's years, its quarters, ...)


def collect(con: duckdb.DuckDBPyConnection, filters: Filters, years: Iterable[int]) -> dict[int, Release]:
    """The releases of these years under these filters (`filters.as_of`: one year to date).

    Kept for the connection (`store.kept`; the most recent `KEPT_PER_CONNECTION`): every screen
    that asks the same again (a tab, a filter set back, another session) shares the releases
    and their disclosure pass rather than counting again."""
    years = sorted(set(years))
    if filters.as_of is not None and years != [filters.year]:
        raise ValueError("a year to date is one year")
    kept = store.kept(con).setdefault("releases", OrderedDict())
    key = (filters, tuple(years))
    if key not in kept:
        kept[key] = _collect(con, filters, years)
        while len(kept) > KEPT_PER_CONNECTION:
            kept.popitem(last=False)
    kept.move_to_end(key)
    return dict(kept[key])


def _collect(con: duckdb.DuckDBPyConnection, filters: Filters, years: list[int]) -> dict[int, Release]:
    results = measures.trend(con, filters, years)
    first = date(years[0] - 1, 4, 1)
    last_day = filters.as_of or date(years[-1], 3, 31)
    monthly = measures.monthly(con, replace(filters, as_of=None), first, last_day.replace(day=1))
    by_year: dict[int, list[dict]] = {y: [] for y in years}
    for month in monthly["months"]:
        y, m = int(month["month"][:4]), int(month["month"][5:7])
        year = y + 1 if m >= 4 else y
        if year in by_year:
            by_year[year].append(month)
    return {y: Release(replace(filters, year=y), results[y], by_year[y]) for y in years}


def _filtered_by(filters: Filters) -> list[str]:
    return list(filters.as_json())


def _no_figure(result: dict) -> bool:
    return all(result.get(p) is None for p in ("numerator", "denominator", "value"))


def _cell_parts(unit: Unit, cell) -> dict:
    """A breakdown cell of the JSON as {numerator, denominator, value} (a count's is a number)."""
    if unit.is_count:
        return {"numerator": cell, "denominator": None, "value": cell}
    return dict(cell)


def _with_rest(mid: str, parts: dict) -> dict:
    if "rest" in counted_parts(mid):
        n, d = parts.get("numerator"), parts.get("denominator")
        parts = {**parts, "rest": None if n is None or d is None else d - n}
    return parts


def declare(rel: Release) -> Declaration:
    """The release as a disclosure `Declaration` (see the module docstring)."""
    decl = Declaration()
    base = _filtered_by(rel.filters)
    for mid, result in rel.measures.items():
        if _no_figure(result):
            continue
        unit = MEASURES[mid].unit
        _declare_numbers(decl, rel, mid, unit, None, None, _with_rest(mid, result), base)
        for dim, cells in (result.get("breakdowns") or {}).items():
            restrictions = [*base, dim]
            parts_of = {cat: _with_rest(mid, _cell_parts(unit, cell)) for cat, cell in cells.items()}
            for cat, parts in parts_of.items():
                _declare_numbers(decl, rel, mid, unit, dim, cat, parts, restrictions)
            if _shared_out(unit, result, cells):
                _declare_shared_out(decl, rel, mid, dim, cells)
                continue
            for part in counted_parts(mid):
                total = result.get(part) if part != "rest" else _with_rest(mid, result)["rest"]
                cats = list(parts_of)
                gap = (total or 0) - sum(parts_of[c][part] or 0 for c in cats)
                if gap < 0:
                    continue  # the cells overlap: nothing adds up
                if gap > 0:  # the remainder is no category: restricted as its headline
                    _remainder(decl, rel, mid, dim, result, parts_of, base)
                    cats.append(REMAINDER)
                decl.group([rel.key(mid, part, dim, c) for c in cats], rel.key(mid, part))
            for cat, parts in parts_of.items():
                _of_total(decl, rel, mid, unit, dim, cat, parts)
    _declare_months(decl, rel, base)
    _declare_same_children(decl, rel)
    return decl


def _shared_out(unit: Unit, result: dict, cells: dict) -> bool:
    """A share's breakdown that shares out its whole denominator (the SDQ bands: each band's
    children of all those with a score): every cell's denominator is the headline's, and the
    cells' numerators add up to it."""
    if unit.is_count or unit.is_mean or not unit.denominator_is_children or not cells:
        return False
    den = result.get("denominator")
    return (
        all(c.get("denominator") == den for c in cells.values())
        and sum(c.get("numerator") or 0 for c in cells.values()) == den
    )


def _declare_shared_out(decl: Declaration, rel: Release, mid: str, dim: str, cells: dict) -> None:
    decl.group([rel.key(mid, "numerator", dim, c) for c in cells], rel.key(mid, "denominator"))
    for c in cells:  # each cell's denominator is the headline's: the same children
        decl.same(rel.key(mid, "denominator", dim, c), rel.key(mid, "denominator"))
    for same_mid, category in SAME_AS_A_CELL:
        if same_mid == mid and category in cells:
            decl.same(rel.key(mid, "numerator"), rel.key(mid, "numerator", dim, category))


def _declare_numbers(decl, rel, mid, unit: Unit, dim, cat, parts: dict, restrictions) -> None:
    key = lambda part: rel.key(mid, part, dim, cat)  # noqa: E731
    for part in counted_parts(mid):
        decl.count(key(part), parts.get(part), restrictions)
    if unit.is_count:
        return
    if unit.is_mean:  # the total of days is hidden with its mean
        decl.ratio(key("numerator"), parts.get("numerator"), None, key("denominator"))
        decl.ratio(key("value"), parts.get("value"), None, key("denominator"))
        return
    if not unit.denominator_is_children:  # a rate: its population
        decl.count(key("denominator"), parts.get("denominator"), population=True)
    decl.ratio(key("value"), parts.get("value"), key("numerator"), key("denominator"))
    if "rest" in counted_parts(mid):
        decl.group([key("numerator"), key("rest")], key("denominator"))


def _remainder(decl, rel, mid, dim, result, parts_of, restrictions) -> None:
    """The cell that completes a breakdown to its headline (declared for every counted part)."""
    parts = {}
    for part in counted_parts(mid):
        total = _with_rest(mid, result).get(part) or 0
        parts[part] = total - sum(p[part] or 0 for p in parts_of.values())
    if rel.key(mid, counted_parts(mid)[0], dim, REMAINDER) in decl.counts:
        return
    for part, value in parts.items():
        decl.count(rel.key(mid, part, dim, REMAINDER), max(value, 0), restrictions)
    if "rest" in parts:
        k = lambda part: rel.key(mid, part, dim, REMAINDER)  # noqa: E731
        decl.group([k("numerator"), k("rest")], k("denominator"))


def _of_total(decl, rel, mid, unit: Unit, dim, cat, parts: dict) -> None:
    """A cell's share of the headline (of its children: the numerator of a count, else the
    denominator), for findings such as 'TS1 the largest group, 68 of 165 (41%)'."""
    part = counted_parts(mid)[0] if unit.is_count or unit.is_mean else "denominator"
    if not unit.denominator_is_children and not unit.is_count:
        return  # a rate's cells are not shares of anything shown
    n, d = parts.get(part), rel.measures[mid].get(part)
    value = 100 * n / d if n is not None and d else None
    decl.ratio(rel.key(mid, "of_total", dim, cat), value, rel.key(mid, part, dim, cat), rel.key(mid, part))


def _declare_months(decl: Declaration, rel: Release, base: list[str]) -> None:
    for measure in MONTHLY:
        if not rel.months:
            continue
        keys = rel.month_keys(measure)
        for k, month in zip(keys, rel.months):
            decl.count(k, month[measure], [*base, "month"])
        total = rel.month_total_key(measure)
        if total not in decl.counts:
            decl.count(total, sum(m[measure] for m in rel.months), base)
        decl.group(keys, total)
        for dim in ("age_band", "district"):
            columns: dict[str, list[Key]] = {}
            for k, month in zip(keys, rel.months):
                cells = month[f"{measure}_by_{dim}"]
                ck = [rel.key(k.measure, "count", f"month:{dim}", (month["month"], c)) for c in cells]
                for c_key, n in zip(ck, cells.values()):
                    decl.count(c_key, n, [*base, "month", dim])
                    columns.setdefault(c_key.category[1], []).append(c_key)
                gap = month[measure] - sum(cells.values())
                if gap > 0:
                    rk = rel.key(k.measure, "count", f"month:{dim}", (month["month"], REMAINDER))
                    decl.count(rk, gap, [*base, "month"])
                    ck.append(rk)
                if gap >= 0:
                    decl.group(ck, k)
            # the months of a category add up to the year's cell when the months count the
            # same children as the headline: then they are its breakdown across the months
            if total.measure == measure:
                year_cells = (rel.measures[measure].get("breakdowns") or {}).get(dim, {})
                for cat, column in columns.items():
                    cell_key = rel.key(measure, "numerator", dim, cat)
                    if cell_key in decl.counts and sum(
                        decl.counts[c].value for c in column
                    ) == year_cells.get(cat):
                        decl.group(column, cell_key)


def _declare_same_children(decl: Declaration, rel: Release) -> None:
    for (a_mid, a_part), (b_mid, b_part) in SAME_CHILDREN:
        a, b = rel.measures.get(a_mid), rel.measures.get(b_mid)
        if not a or not b or _no_figure(a) or _no_figure(b):
            continue
        pairs = [(rel.key(a_mid, a_part), rel.key(b_mid, b_part))]
        a_bd, b_bd = a.get("breakdowns") or {}, b.get("breakdowns") or {}
        for dim in a_bd.keys() & b_bd.keys():
            for cat in a_bd[dim].keys() & b_bd[dim].keys():
                pairs.append((rel.key(a_mid, a_part, dim, cat), rel.key(b_mid, b_part, dim, cat)))
        for ka, kb in pairs:
            if ka in decl.counts and kb in decl.counts:
                decl.same(ka, kb)


# --- reading the shown numbers --------------------------------------------------------------


class Numbers:
    """What a screen reads: the shown numbers of its releases, by measure, part and cell.

    Every read is recorded (`read`), so a screen can list what it shows (its audit)."""

    def __init__(self, releases: dict, disclosed: Disclosed) -> None:
        self.releases = releases  # {(year, as_of): Release}
        self.shown = disclosed
        self.read: dict[Key, Shown] = {}

    @property
    def suppressing(self) -> bool:
        return self.shown.rules != Rules.off()

    def release(self, year: int, as_of: date | None = None) -> Release:
        return self.releases[(year, as_of)]

    def get(self, key: Key) -> Shown:
        value = self.shown.get(key)
        self.read[key] = value
        return value

    def reason(self, mid: str, year: int, as_of: date | None = None) -> str | None:
        return self.release(year, as_of).measures[mid].get("reason")

    def headline(self, mid: str, year: int, as_of: date | None = None) -> dict[str, Shown]:
        """{numerator, denominator, value} as shown (None where the measure has no figure)."""
        rel = self.release(year, as_of)
        out = {p: self.get(rel.key(mid, p)) for p in ("numerator", "denominator", "value")}
        if MEASURES[mid].unit.is_count:
            out["value"] = out["numerator"]
        return out

    def categories(self, mid: str, dim: str, years: Iterable[int]) -> list:
        """The categories a breakdown has in any of these years, in the engine's order."""
        seen: dict = {}
        for y in years:
            for cat in (self.release(y).measures[mid].get("breakdowns") or {}).get(dim, {}):
                seen[cat] = True
        return list(seen)

    def count(self, mid: str, dim: str, category, year: int) -> Shown:
        """The shown count of one cell of a count's breakdown (`cell`'s numerator, read alone)."""
        key = self.release(year).key(mid, "numerator", dim, category)
        if key in self.shown:
            return self.get(key)
        return None if self.reason(mid, year) else 0

    def cell(self, mid: str, dim: str, category, year: int) -> dict[str, Shown]:
        """{numerator, denominator, value, rest, of_total} of one cell as shown; a category
        with no children this year is zero (its share none)."""
        rel = self.release(year)
        count = MEASURES[mid].unit.is_count
        keys = {
            p: rel.key(mid, p, dim, category)
            for p in ("numerator", "denominator", "value", "rest", "of_total")
        }
        if keys["numerator" if count else "value"] not in self.shown:
            empty = None if self.reason(mid, year) else 0
            return {"numerator": empty, "denominator": empty, "value": None, "rest": empty, "of_total": None}
        out = {p: self.get(k) if k in self.shown else None for p, k in keys.items()}
        if count:
            out["value"] = out["numerator"]
        return out

    def months(self, measure: str, year: int, as_of: date | None = None) -> list[tuple[str, Shown]]:
        rel = self.release(year, as_of)
        return [(k.category, self.get(k)) for k in rel.month_keys(measure)]

    def month_total(self, measure: str, year: int, as_of: date | None = None) -> Shown:
        return self.get(self.release(year, as_of).month_total_key(measure))


def numbers(releases: Iterable[Release], rules: Rules = ON) -> Numbers:
    """One pass of disclosure control over these releases: what a screen may show of them."""
    releases = list(releases)
    disclosed = suppress(*(r.declaration for r in releases), rules=rules)
    return Numbers({(r.year, r.as_of): r for r in releases}, disclosed)


# --- the command line ------------------------------------------------------------------------


def shown_indicators(rel: Release, rules: Rules = ON) -> dict[str, dict]:
    """The release's `measures` object of the indicators JSON, as shown."""
    shown = suppress(rel.declaration, rules=rules)
    out: dict[str, dict] = {}
    for mid, result in rel.measures.items():
        if _no_figure(result):
            out[mid] = dict(result)
            continue
        unit = MEASURES[mid].unit
        entry = {**result, **_shown_parts(shown, rel, mid, unit, None, None)}
        if "breakdowns" in result:
            entry["breakdowns"] = {}
            for dim, cells in result["breakdowns"].items():
                entry["breakdowns"][dim] = {
                    cat: (
                        shown[rel.key(mid, "numerator", dim, cat)]
                        if unit.is_count
                        else _shown_parts(shown, rel, mid, unit, dim, cat)
                    )
                    for cat in cells
                }
        out[mid] = entry
    return out


def _shown_parts(shown: Disclosed, rel: Release, mid: str, unit: Unit, dim, cat) -> dict:
    key = lambda part: rel.key(mid, part, dim, cat)  # noqa: E731
    if unit.is_count:
        n = shown[key("numerator")]
        return {"numerator": n, "denominator": None, "value": n}
    return {p: shown[key(p)] for p in ("numerator", "denominator", "value")}


def shown_months(rel: Release, rules: Rules = ON) -> list[dict]:
    """The release's months of the monthly JSON, as shown."""
    shown = suppress(rel.declaration, rules=rules)
    out = []
    for month in rel.months:
        entry = dict(month)
        for measure in MONTHLY:
            entry[measure] = shown[rel.key(f"monthly:{measure}", "count", "month", month["month"])]
            for dim in ("age_band", "district"):
                entry[f"{measure}_by_{dim}"] = {
                    c: shown[rel.key(f"monthly:{measure}", "count", f"month:{dim}", (month["month"], c))]
                    for c in month[f"{measure}_by_{dim}"]
                }
        out.append(entry)
    return out
