"""Titles that state a finding ("Starts: 165 in 2024-25, down from 180 in 2023-24"), written from
shown values only: a hidden number is never compared, ranked or summed here."""

from __future__ import annotations

from analytics.disclosure import SUPPRESSED
from analytics.labels import BREAKDOWN_NAMES, label
from analytics.measures.registry import MEASURES
from analytics.present.formats import cap, fmt, is_number, n_of_d, year_label

BANDS = {
    "A": "band A, the top quarter",
    "B": "band B, the second quarter",
    "C": "band C, the third quarter",
    "D": "band D, the bottom quarter",
}


def trend(name: str, mid: str, year: int, now: dict, before: dict) -> str:
    """The reference year's value against the year before."""
    unit = MEASURES[mid].unit
    v, p = now.get("value"), before.get("value")
    if v == SUPPRESSED:
        return f"{name}: the {year_label(year)} figure is withheld (small numbers)"
    if not is_number(v):
        return f"{name}: no figure for {year_label(year)}"
    text = f"{name}: {fmt(v, unit)} in {year_label(year)}"
    if unit.percent:
        text += f" ({n_of_d(now.get('numerator'), now.get('denominator'))})"
    if is_number(p):
        if v == p:
            text += f", the same as in {year_label(year - 1)}"
        else:
            text += f", {'up' if v > p else 'down'} from {fmt(p, unit)} in {year_label(year - 1)}"
    return text


def grid(what: str, dim: str, year: int, first: int, last: int, cells: list[tuple[str, object]]) -> str:
    """'Starts by postcode district: TS1 the most in 2024-25 (68), then TS3 (41)'."""
    shown = sorted(((c, v) for c, v in cells if is_number(v)), key=lambda kv: -kv[1])
    name = BREAKDOWN_NAMES.get(dim, dim)
    if not shown:
        return f"{cap(what)} by {name}, {year_label(first)} to {year_label(last)}"
    who = {"age_band": " year olds"}.get(dim, "")
    top = shown[0]
    text = f"{cap(what)} by {name}: {label(dim, top[0])}{who} the most in {year_label(year)} ({fmt(top[1])})"
    if len(shown) > 1:
        text += f", then {label(dim, shown[1][0])} ({fmt(shown[1][1])})"
    return text


def bars(what: str, when: str, rows: list[dict], column: str, share: bool) -> str:
    """The largest category of a breakdown, with its share of the whole where that is shown."""
    shown = [r for r in rows if is_number(r[column])]
    if not shown:
        return f"{cap(what)}, {when}: figures withheld (small numbers)"
    top = max(shown, key=lambda r: r[column])
    if top[column] == 0:
        withheld = len(shown) < len(rows)
        return f"{cap(what)}, {when}: none" + (" shown; others withheld (small numbers)" if withheld else "")
    if share:
        return f"{cap(what)}, {when}: highest for {top['category']} ({top[column]:.1f}%)"
    text = f"{cap(what)}, {when}: {top['category']} the largest group"
    if is_number(top.get("of_total")) and is_number(top.get("total")):
        return f"{text}, {fmt(top[column])} of {fmt(top['total'])} ({top['of_total']:.0f}%)"
    return f"{text} ({fmt(top[column])})"


def category(name: str, year: int, now, before) -> str:
    if now == SUPPRESSED:
        return f"{name}: the {year_label(year)} figure is withheld (small numbers)"
    text = f"{name}: {fmt(now)} in {year_label(year)}"
    if is_number(before) and is_number(now) and before != now:
        text += f", {'up' if now > before else 'down'} from {fmt(before)} in {year_label(year - 1)}"
    return text


def rate(year: int, value, _starts_rate=None) -> str:
    if is_number(value):
        return f"{fmt(value, MEASURES['cla_rate_per_10k'].unit)} children in every 10,000 were looked after at 31 March {year}"
    return "Children looked after and starts per 10,000 children"


def distance(year: int, outside, over_20) -> str:
    if is_number(outside) and is_number(over_20):
        return (
            f"At 31 March {year}, {outside:.0f}% of children were placed outside the council "
            f"and {over_20:.0f}% more than 20 miles from home"
        )
    return "Children placed outside the council and more than 20 miles from home"


def foster_providers(cell: dict, year: int) -> str:
    if is_number(cell.get("value")):
        return (
            f"{cell['value']:.0f}% of 10-15 year olds in foster care at 31 March {year} were in "
            f"purchased placements ({n_of_d(cell['numerator'], cell['denominator'])})"
        )
    return f"Foster care at 31 March {year}: in-house against purchased, by age band"


def adoption_days(year: int, _to_placed, value) -> str:
    if is_number(value):
        return (
            f"Children adopted in {year_label(year)} waited on average {value:,.0f} days "
            f"({value / 30.44:.0f} months) from entering care to adoption"
        )
    return "Days from entering care to adoption"


def orders(year: int, counts: dict[str, object]) -> str:
    if all(is_number(v) for v in counts.values()):
        a, s, c = counts.values()
        return (
            f"Children leaving care on a permanence order in {year_label(year)}: "
            f"{fmt(a)} adopted, {fmt(s)} special guardianship, {fmt(c)} child arrangements"
        )
    return f"Permanence orders, {year_label(year)}: some figures withheld (small numbers)"


def care_leavers_17_18(year: int, eet, accommodation) -> str:
    if is_number(eet) and is_number(accommodation):
        return f"Care leavers aged 17-18 in {year_label(year)}: {eet:.0f}% in EET, {accommodation:.0f}% in suitable accommodation"
    return "Care leavers aged 17-18: EET and suitable accommodation"


def in_touch(year: int, value, _with_former_carers=None) -> str:
    if is_number(value):
        return f"The council was in touch with {value:.0f}% of care leavers aged 19-21 in {year_label(year)}"
    return "Care leavers aged 19-21: in touch and living with former foster carers"


def months(year: int, end_label: str, starts, ceased) -> str:
    return f"{year_label(year)} to {end_label}: {fmt(starts)} starts and {fmt(ceased)} children ceasing care"
