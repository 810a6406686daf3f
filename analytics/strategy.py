"""The council's editable strategy (page titles, objectives, targets) and comparator table.

- `config/strategy.toml` (or `strategy.toml` at the repository root, or the file named by the
  environment variable `CLA_STRATEGY`): page titles and objective statements in the council's
  own words, and targets by measure and collection year, optionally by locality.
- `config/scorecard_notes.csv` (or `CLA_SCORECARD_NOTES`): an officer's note per scorecard row
  and collection year (`measure,year,note`), carried onto the scorecard and into the board pack
  through disclosure control's rule for free text (`analytics.disclosure.free_text`).
- `config/comparators.csv` (or `CLA_COMPARATORS`): published figures for England and the North
  East, one row per measure, area and year, with the source and the release it came from. A
  missing comparator is None (shown as a dash), never 0.
"""

from __future__ import annotations

import csv
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from analytics.config import REPO_ROOT
from analytics.measures.registry import MEASURES
from analytics.present.pages import PAGES


def strategy_path() -> Path:
    if os.environ.get("CLA_STRATEGY"):
        return Path(os.environ["CLA_STRATEGY"])
    for candidate in (REPO_ROOT / "strategy.toml", REPO_ROOT / "config" / "strategy.toml"):
        if candidate.exists():
            return candidate
    return REPO_ROOT / "config" / "strategy.toml"


def notes_path() -> Path:
    return Path(os.environ.get("CLA_SCORECARD_NOTES") or REPO_ROOT / "config" / "scorecard_notes.csv")


def comparators_path() -> Path:
    return Path(os.environ.get("CLA_COMPARATORS") or REPO_ROOT / "config" / "comparators.csv")


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    objective: str = ""
    source: str = ""


@dataclass(frozen=True)
class Target:
    measure: str
    good: str | None
    by_year: dict[int, float] = field(default_factory=dict)
    by_locality: dict[str, dict[int, float]] = field(default_factory=dict)

    def for_year(self, year: int, localities: tuple[str, ...] = ()) -> float | None:
        """The target for a year: a locality's own when exactly one locality is in view."""
        if len(localities) == 1 and localities[0] in self.by_locality:
            return self.by_locality[localities[0]].get(year)
        if localities:
            return None  # the council-wide target does not apply to part of the council
        return self.by_year.get(year)


@dataclass(frozen=True)
class Strategy:
    council: str
    pages: dict[str, Page]
    targets: dict[str, Target]
    rag_basis: str = "target"  # or "quartile"
    notes: dict[tuple[str, int], str] = field(default_factory=dict)  # (measure, year): officer's note

    def page(self, key: str) -> Page:
        return self.pages[key]

    def good(self, mid: str) -> str | None:
        """The direction of good: the registry's, or the strategy's for a measure it leaves neutral."""
        t = self.targets.get(mid)
        return t.good if t else MEASURES[mid].good


class StrategyError(ValueError):
    """The strategy file cannot be used, with a message naming the file and the entry."""


def load_strategy(path: Path | None = None) -> Strategy:
    """Read the strategy file; absent pages fall back to plain titles."""
    path = path or strategy_path()
    raw = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    pages = {p.key: Page(p.key, p.title) for p in PAGES}
    for key, entry in (raw.get("pages") or {}).items():
        if key not in pages:
            raise StrategyError(f"{path.name}: [pages.{key}] is not a page (pages: {', '.join(pages)})")
        pages[key] = Page(
            key,
            entry.get("title", pages[key].title),
            entry.get("objective", ""),
            entry.get("source", ""),
        )
    targets: dict[str, Target] = {}
    for mid, entry in (raw.get("targets") or {}).items():
        if mid not in MEASURES:
            raise StrategyError(f"{path.name}: [targets.{mid}] is not a measure id")
        good = entry.get("good", MEASURES[mid].good)
        if good not in ("high", "low", None):
            raise StrategyError(f"{path.name}: [targets.{mid}] good must be 'high' or 'low'")
        targets[mid] = Target(
            mid,
            good,
            {int(y): float(v) for y, v in (entry.get("by_year") or {}).items()},
            {
                name: {int(y): float(v) for y, v in (loc.get("by_year") or {}).items()}
                for name, loc in (entry.get("localities") or {}).items()
            },
        )
    basis = raw.get("rag", "target")
    if basis not in RAG_BASES:
        raise StrategyError(f"{path.name}: rag must be one of {', '.join(RAG_BASES)}")
    return Strategy(raw.get("council", ""), pages, targets, basis, load_notes())


def load_notes(path: Path | None = None) -> dict[tuple[str, int], str]:
    """The officers' notes, {(measure id, collection year): note}; a blank note is no note."""
    path = path or notes_path()
    if not path.exists():
        return {}
    notes = {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        for row_number, row in enumerate(csv.DictReader(f), start=2):
            mid, year, note = (str(row.get(k) or "").strip() for k in ("measure", "year", "note"))
            if not note:
                continue
            if mid not in MEASURES:
                raise StrategyError(f"{path.name}, row {row_number}: {mid!r} is not a measure id")
            if not year.isdigit():
                raise StrategyError(f"{path.name}, row {row_number}: year must be a collection year (2025)")
            notes[mid, int(year)] = note
    return notes


@dataclass(frozen=True)
class Comparator:
    measure: str
    area: str
    year: int
    value: float
    source: str
    release_year: int


def load_comparators(path: Path | None = None) -> list[Comparator]:
    path = path or comparators_path()
    if not path.exists():
        return []
    out = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if not (row.get("value") or "").strip():
                continue  # a blank value is a missing comparator, not 0
            out.append(
                Comparator(
                    row["measure"].strip(),
                    row["area"].strip(),
                    int(row["year"]),
                    float(row["value"]),
                    row.get("source", "").strip(),
                    int(row.get("release_year") or row["year"]),
                )
            )
    return out


def comparator(comparators: list[Comparator], measure: str, area: str, year: int) -> Comparator | None:
    """The published figure for a measure, area and year, or None (a dash on screen)."""
    hits = [c for c in comparators if c.measure == measure and c.area == area and c.year == year]
    return max(hits, key=lambda c: c.release_year) if hits else None


def rag(value: float | None, target: float | None, good: str | None, tolerance: float = 0.10) -> str | None:
    """Green when the target is met, amber when within 10% of it, red otherwise; None without a
    value, a target or a direction of good.

    >>> rag(9.0, 10, "low"), rag(10.5, 10, "low"), rag(12, 10, "low"), rag(80, 80, "high"), rag(70, 80, "high")
    ('Green', 'Amber', 'Red', 'Green', 'Red')
    """
    if value is None or target is None or good is None or isinstance(value, str):
        return None
    if (good == "high" and value >= target) or (good == "low" and value <= target):
        return "Green"
    if good == "high" and value >= target * (1 - tolerance):
        return "Amber"
    if good == "low" and value <= target * (1 + tolerance):
        return "Amber"
    return "Red"


RAG_BASES = ("target", "quartile")
QUARTILE_RULE = (
    "RAG by quartile band among every council, where DfE publishes the measure: A (top quarter) "
    "dark green, B light green, C amber, D (bottom quarter) red; elsewhere against the target "
    "(green when met, amber within 10%, red otherwise)."
)
RAG_RULE = (
    "RAG against the target for the year: green when met, amber when within 10% of the target, "
    "red otherwise, using each measure's direction of good (for 3+ placements, lower is better)."
)
