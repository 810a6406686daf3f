"""The Data page's reference tables: every measure's definition (from the one registry, never
retyped), the strategy's targets and the comparator figures, with their sources."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analytics.labels import BREAKDOWN_NAMES
from analytics.measures.registry import MEASURES
from analytics.present.formats import DASH, year_label
from analytics.present.pages import PAGES
from analytics.strategy import Comparator, Strategy

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
