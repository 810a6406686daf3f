"""The Data page's reference tables: every measure's definition (from the one registry, never
retyped), the strategy's targets and the comparator figures, with their sources; the published
files loaded, and our own figures against DfE's published ones."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from analytics.labels import BREAKDOWN_NAMES
from analytics.measures.registry import MEASURES
from analytics.present import formats
from analytics.present.formats import DASH, fmt, is_number, year_label
from analytics.present.pages import PAGES
from analytics.strategy import Comparator, Strategy

if TYPE_CHECKING:
    from analytics.comparators import Benchmarks
    from analytics.release import Numbers

BETTER = {"high": "higher", "low": "lower"}


def definitions() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Measure": m.title,
                "Formerly": (m.old_name or "").replace("formerly ", ""),
                "Definition": m.definition,
                "Unit": m.unit.label,
                "Better when": BETTER.get(m.good, "neither"),
                "Breakdowns": ", ".join(BREAKDOWN_NAMES.get(b, b) for b in m.breakdowns),
                "Id": m.id,
            }
            for m in MEASURES.values()
        ]
    )


def targets_table(strategy: Strategy) -> pd.DataFrame:
    rows = []
    for mid, t in strategy.targets.items():
        places = [("Council", t.by_year), *t.by_locality.items()]
        for where, years in places:
            for y, v in sorted(years.items()):
                rows.append(
                    {
                        "Measure": MEASURES[mid].title,
                        "Where": where,
                        "Year": year_label(y),
                        "Target": v,
                        "Better when": BETTER.get(t.good, DASH),
                    }
                )
    return pd.DataFrame(rows)


def comparators_table(comparators: Sequence[Comparator]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Measure": MEASURES[c.measure].title if c.measure in MEASURES else c.measure,
                "Area": c.area,
                "Year": year_label(c.year),
                "Value": c.value,
                "Source": c.source,
                "Release": c.release_year,
            }
            for c in comparators
        ]
    )


def measures_of(section) -> list[str]:
    """The measure ids a section of a page draws."""
    if hasattr(section, "ids"):
        return list(section.ids)
    if hasattr(section, "mid"):
        return [section.mid]
    return [mid for mid, _ in getattr(section, "names", ())]  # the orders over time


def pages_table() -> pd.DataFrame:
    """Where each measure is shown: page, tab and the measures of its sections (from the
    declared pages)."""
    return pd.DataFrame(
        [
            {
                "Page": page.nav,
                "Tab": tab,
                "Measures": "; ".join(
                    dict.fromkeys(MEASURES[m].title for s in sections for m in measures_of(s))
                ),
            }
            for page in PAGES
            for tab, sections in page.tabs.items()
        ]
    )


def published_files(bench: Benchmarks) -> pd.DataFrame:
    """The published files loaded: what each holds, its years and release."""
    v = bench.published.values
    if not len(v):
        return pd.DataFrame()
    rows = (
        v.groupby(["source", "release"])
        .agg(
            first=("year", "min"),
            last=("year", "max"),
            measures=("measure", "unique"),
            rows=("measure", "size"),
        )
        .reset_index()
    )
    population = [list(ms) == ["population_0_17"] for ms in rows.measures]
    out = pd.DataFrame(
        {
            "File": rows.source,
            "Release": rows.release.astype(int).astype(str),
            "Years": [
                f"mid-{a} to mid-{b}" if p else f"{year_label(a)} to {year_label(b)}"
                for a, b, p in zip(rows["first"], rows["last"], population, strict=True)
            ],
            "Measures": [
                "; ".join(MEASURES[m].title if m in MEASURES else "population aged 0-17" for m in ms)
                for ms in rows.measures
            ],
            "Figures": rows.rows.astype(int),
        }
    )
    sn = bench.published.neighbour_rows
    for source, part in sn.groupby("source"):
        out.loc[len(out)] = [source, "", "April 2021", "statistical neighbours (ten per council)", len(part)]
    return out


def own_against_published(n: Numbers, bench: Benchmarks, years: Sequence[int]) -> pd.DataFrame:
    """For each year and measure with both: our computed figure (as shown) beside DfE's
    published one for the council, the difference, and a flag where it is over one percentage
    point for a share (over 2% of the published figure for a count or a rate)."""
    rows = []
    code = bench.la_code
    for mid in MEASURES:
        unit = MEASURES[mid].unit
        for y in years:
            published = bench.published.cell(mid, y, "Local authority", code) if code else None
            if published is None or n.reason(mid, y):
                continue
            ours = n.headline(mid, y)["value"]
            diff = ours - published if is_number(ours) and is_number(published) else None
            if diff is None:
                flag = ""
            elif unit.percent:
                flag = "Check" if abs(diff) > 1 else ""
            else:
                flag = "Check" if abs(diff) > 0.02 * abs(published) else ""
            rows.append(
                {
                    "Year": year_label(y),
                    "Measure": MEASURES[mid].title,
                    "Ours (computed)": fmt(ours, unit),
                    "DfE published": formats.published(published, unit),
                    "Difference": DASH if diff is None else _signed(diff, unit),
                    "Over the tolerance": flag,
                }
            )
    return pd.DataFrame(rows)


def _signed(diff: float, unit) -> str:
    if unit.is_count:
        return f"{diff:+,.0f}"
    return f"{diff:+.1f}" + (" points" if unit.percent else "")
