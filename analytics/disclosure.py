"""Disclosure control: the one module that decides which numbers are hidden (`domain/disclosure.md`).

A screen (a dashboard page with its filters and tab, the scorecard, a CSV download, the command
line's `--suppress`) is first a `Declaration`: its numbers, unsuppressed, and what adds
up to what. `suppress` makes one pass over all of it and returns a `Disclosed`: each number as it
may be shown, a hidden one as `SUPPRESSED` ("c"). Titles, labels, hover text, findings and files
are written from that only. Nothing else in the project hides or shows a number.

The rules, in the words of `disclosure.md`:

1. Primary: a count of children from 1 to `threshold` (default 5) is hidden; zero is shown.
2. Secondary: in a group of cells that add up (a breakdown and its total, a row or column of a
   cross-tab, the months of a year), whenever exactly one cell of the group (the total counted
   as a cell) is hidden, the smallest non-zero shown cell is hidden too (ties: the first in the
   group's order); if none is left, the total is hidden. Repeated over every group until
   nothing changes. Zeros are never hidden. Two numbers that count the same children under
   different names (`Declaration.same`) are hidden together. Then a check (where the spec is
   silent): if the sums of the groups and the shown numbers still fix a hidden count exactly
   (linear algebra; the row and column totals of a cross-tab can, zeros being shown), one more
   non-zero cell is hidden (the smallest of the count's groups, else of a group nearby that
   frees it) and the rules run again, until no hidden count can be solved.
3. Shares, rates and means (`Declaration.ratio`) are computed from unrounded counts and hidden
   when their numerator or denominator is hidden, or when the denominator is under
   `min_denominator` (10).
4. Small areas: a count restricted to a postcode district or locality *and* to something else
   (an age band, a sex, a month, a breakdown's category) uses `area_threshold` (10).

**One rule for one number.** The project declares the numbers of a screen year by year: the
numbers of one collection year under one set of filters (every measure, every breakdown, the
months; `analytics/release.py`) are always declared whole, as one part, whatever the screen
shows of them. A part shares no number with another part, so what is hidden in it depends on
that part alone: the same measure, filters, year and breakdown show the same value or "c" on
every screen, in every export and on the command line. The pass solves each part on its own and
keeps its answer on the part, so the next screen that shows the same year and filters reuses it.

Choices where `disclosure.md` is silent (also in the README):

- What "crossed" means (rule 4): a number's restrictions are the active filters plus the
  dimensions of its breakdown; the council and the year frame every view and do not count. A
  headline under a district filter is a view of the area (threshold 5); a breakdown cell under
  a district filter, a month, or a headline under a district *and* an age-band or sex filter
  is a cross (threshold 10).
- A population (the denominator of a rate) is not a count of looked-after children: it is
  hidden only at 1 to `threshold`, small area or not, and takes part in no group.
- A total of days (the numerator of a mean) is hidden with its mean.
- A breakdown whose cells do not add up to their total (children with no district, say) is
  completed with the remainder as a cell of the group, never shown, so that the difference
  cannot give a hidden count away.
- Ties in rule 2 go to the first cell in the group's declared order (the category order).
- Free text (an officer's note on a scorecard row, `free_text`): every count the text gives
  (a whole number in digits, or the words one to ten, that is not a year, a date, a decimal,
  a percentage, money or part of a code such as TS1 or Q2) is a count of children; one from 1
  to `threshold` is written c. A note is one group with its row's "n of d": when exactly one
  count of it would be hidden, the others (and the row's own figures) could give it away by
  subtraction, so the whole note is withheld. Write ages as bands ("10 to 15"), and "a child"
  only where 1 may be shown (never: it is a count the rule cannot read).

Secondary suppression protects against recovery by subtraction within a group, the practice of
DfE's own statistics; `tests/test_screens_disclosure.py` checks further, with linear algebra,
that no hidden count of the bundled council can be solved from everything shown for it.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from analytics.measures.registry import AREA_BREAKDOWNS

SUPPRESSED = "c"
THRESHOLD = 5  # counts 1..THRESHOLD are hidden
AREA_THRESHOLD = 10  # ...1..AREA_THRESHOLD for a small area crossed with another breakdown
MIN_DENOMINATOR = 10  # shares, rates and means need a denominator of at least this
NOT_A_CROSSING = ("council", "year")  # restrictions that frame every view

Number = int | float
Shown = Number | str | None  # a number, SUPPRESSED, or None (no number)


@dataclass(frozen=True)
class Rules:
    """The thresholds of disclosure.md; `Rules.off()` for an analyst exploring on screen."""

    threshold: int = THRESHOLD
    area_threshold: int = AREA_THRESHOLD
    min_denominator: int = MIN_DENOMINATOR

    @classmethod
    def off(cls) -> Rules:
        return cls(0, 0, 0)


ON = Rules()


def is_primary(count: Number | None, threshold: int = THRESHOLD) -> bool:
    """Rule 1: is this count hidden on its own? (1..threshold; never 0 or a missing number)."""
    return _is_number(count) and 1 <= count <= threshold


def is_small_area_cross(restrictions: Iterable[str]) -> bool:
    """Rule 4: is a number restricted to these dimensions a small area crossed with another?

    >>> is_small_area_cross(["district", "age_band"]), is_small_area_cross(["district", "year"])
    (True, False)
    """
    names = {r for r in restrictions if r not in NOT_A_CROSSING}
    areas = names & set(AREA_BREAKDOWNS)
    return bool(areas) and bool(names - areas)


@dataclass(frozen=True)
class _Count:
    value: Number | None
    small_area: bool  # rule 4 applies (a count of children crossed in a small area)
    population: bool  # a population: primary suppression at `threshold` only


@dataclass(frozen=True)
class _Ratio:
    value: Number | None
    numerator: Hashable | None  # a count key, or None (a total of days: hidden with its mean)
    denominator: Hashable


@dataclass
class Declaration:
    """A screen's numbers before disclosure control, and what adds up to what.

    Keys are any hashable names. Declare each count once (`count`), then its groups (`group`),
    the numbers that are the same children under two names (`same`), and the shares, rates and
    means computed from counts (`ratio`).

    >>> d = Declaration()
    >>> for k, v in {"a": 3, "b": 10, "c": 12, "total": 25}.items():
    ...     d.count(k, v)
    >>> d.group(["a", "b", "c"], "total")
    >>> d.ratio("a_share", 12.0, "a", "total")
    >>> shown = suppress(d)
    >>> [shown[k] for k in ("a", "b", "c", "total", "a_share")]
    ['c', 'c', 12, 25, 'c']
    """

    counts: dict[Hashable, _Count] = field(default_factory=dict)
    groups: list[tuple[tuple[Hashable, ...], Hashable | None]] = field(default_factory=list)
    links: list[tuple[Hashable, Hashable]] = field(default_factory=list)
    ratios: dict[Hashable, _Ratio] = field(default_factory=dict)
    _solved: dict[Rules, dict[Hashable, Shown]] = field(default_factory=dict, repr=False)

    def count(
        self, key: Hashable, value: Number | None, restrictions: Iterable[str] = (), population: bool = False
    ) -> None:
        """A count of children (or, with `population`, a population), restricted to these
        dimensions (the active filters and its breakdown's)."""
        if key in self.counts or key in self.ratios:
            raise ValueError(f"{key!r} is declared twice")
        self.counts[key] = _Count(value, is_small_area_cross(restrictions), population)
        self._solved.clear()

    def group(self, cells: Sequence[Hashable], total: Hashable | None = None) -> None:
        """Counts that add up, in category order, to `total` (or to a total shown elsewhere)."""
        for key in [*cells, *([total] if total is not None else [])]:
            if key not in self.counts:
                raise KeyError(f"{key!r} is grouped but not declared as a count")
        self.groups.append((tuple(cells), total))
        self._solved.clear()

    def same(self, a: Hashable, b: Hashable) -> None:
        """Two counts of the same children: hidden together."""
        self.links.append((a, b))
        self._solved.clear()

    def ratio(
        self, key: Hashable, value: Number | None, numerator: Hashable | None, denominator: Hashable
    ) -> None:
        """A share, rate or mean (computed from the unrounded counts), or a total of days."""
        if key in self.counts or key in self.ratios:
            raise ValueError(f"{key!r} is declared twice")
        self.ratios[key] = _Ratio(value, numerator, denominator)
        self._solved.clear()

    def keys(self) -> set[Hashable]:
        return {*self.counts, *self.ratios}

    def solve(self, rules: Rules = ON) -> dict[Hashable, Shown]:
        """Every number of this declaration as shown under `rules` (kept for the next call)."""
        if rules not in self._solved:
            self._solved[rules] = _solve(self, rules)
        return self._solved[rules]


class Disclosed(Mapping):
    """The numbers of a screen as they may be shown: a number, "c" (hidden) or None (none).

    Only shown values are held: what is hidden is not here to leak."""

    def __init__(self, shown: Mapping[Hashable, Shown], rules: Rules) -> None:
        self._shown = dict(shown)
        self.rules = rules

    def __getitem__(self, key: Hashable) -> Shown:
        return self._shown[key]

    def __iter__(self):
        return iter(self._shown)

    def __len__(self) -> int:
        return len(self._shown)

    def __contains__(self, key: object) -> bool:  # the Mapping defaults, without their try/except
        return key in self._shown

    def get(self, key: Hashable, default: Shown = None) -> Shown:
        return self._shown.get(key, default)

    def hidden(self, key: Hashable) -> bool:
        return self._shown.get(key) == SUPPRESSED


def suppress(*parts: Declaration, rules: Rules = ON) -> Disclosed:
    """One pass of disclosure control over a whole screen made of these parts.

    Parts must share no number (each is a year and filters of `analytics.release`); each is
    solved on its own, as the rules make it independent of the others."""
    shown: dict[Hashable, Shown] = {}
    solved = [part.solve(rules) for part in parts]
    for part_shown in solved:
        shown.update(part_shown)
    if len(shown) != sum(map(len, solved)):
        raise ValueError("two parts of a screen declare the same number")
    return Disclosed(shown, rules)


# --- the engine -----------------------------------------------------------------------------


def _solve(decl: Declaration, rules: Rules) -> dict[Hashable, Shown]:
    values = {k: c.value for k, c in decl.counts.items()}
    thresholds = {
        k: rules.area_threshold if c.small_area and not c.population else rules.threshold
        for k, c in decl.counts.items()
    }
    hidden = _suppress(values, thresholds, decl.groups, decl.links)
    shown: dict[Hashable, Shown] = {k: _show(v, k in hidden) for k, v in values.items()}
    for key, r in decl.ratios.items():
        den = values.get(r.denominator)
        hide = (
            (r.numerator is not None and r.numerator in hidden)
            or r.denominator in hidden
            or not _is_number(den)
            or (den < rules.min_denominator and den != 0)  # none of nothing: nothing to hide
        )
        shown[key] = _show(r.value, hide)
    return shown


def _suppress(
    values: Mapping[Hashable, Number | None],
    thresholds: Mapping[Hashable, int],
    groups: Sequence[tuple[Sequence[Hashable], Hashable | None]],
    links: Sequence[tuple[Hashable, Hashable]] = (),
) -> set[Hashable]:
    """Primary, then secondary suppression over every group until stable, then the check that
    no hidden count is determined by everything shown (`_determined`), repeated until none is:
    the hidden keys."""
    hidden = {k for k, v in values.items() if is_primary(v, thresholds[k])}
    changed = True
    while changed:
        changed = False
        for cells, total in groups:
            extra = _secondary(cells, total, values, hidden)
            if extra is not None:
                hidden.add(extra)
                changed = True
        for a, b in links:
            for this, other in ((a, b), (b, a)):
                if this in hidden and other not in hidden and _nonzero(values.get(other)):
                    hidden.add(other)
                    changed = True
        if not changed:
            extra = _protect(values, groups, links, hidden)
            if extra is not None:
                hidden.add(extra)
                changed = True
    return hidden


def _protect(values: Mapping, groups: Sequence, links: Sequence, hidden: set) -> Hashable | None:
    """A shown cell to hide when a hidden count can be solved from the groups' sums (row and
    column totals of a cross-tab can pin a cell that rule 2 leaves alone, zeros being shown):
    the smallest non-zero shown member of the count's own groups, else of any group holding a
    hidden count whose hiding frees it; None when every hidden count is safe."""
    determined = _determined(values, groups, links, hidden)
    if not determined:
        return None
    key = determined[0]

    def members(where) -> list[Hashable]:
        found = {
            m
            for cells, total in where
            for m in (*cells, *([] if total is None else [total]))
            if m not in hidden and _nonzero(values.get(m))
        }
        return sorted(found, key=lambda k: (values[k], repr(k)))

    own = members([(c, t) for c, t in groups if key in c or key == t])
    if own:
        return own[0]
    near = members([(c, t) for c, t in groups if any(m in hidden for m in (*c, t))])
    for candidate in near:
        if key not in _determined(values, groups, links, hidden | {candidate}):
            return candidate
    return near[0] if near else None


def _determined(values: Mapping, groups: Sequence, links: Sequence, hidden: set) -> list[Hashable]:
    """The hidden counts that the shown numbers and the equations (each group's cells add up to
    its total; two names of the same children are equal) fix exactly: linear algebra, as the
    screens' test does.

    A hidden count is fixed when its unit vector lies in the row space of the equations (over
    the hidden counts only; the shown ones are constants). The equations fall apart into
    independent blocks (hidden counts linked by no equation cannot fix each other), so each
    block is solved on its own: a screen of every council's districts is thousands of small
    blocks, not one matrix of thousands of columns."""
    unknown = sorted((k for k in hidden if _is_number(values.get(k))), key=repr)
    if not unknown:
        return []
    index = {k: i for i, k in enumerate(unknown)}
    equations: list[dict[int, int]] = []  # column -> coefficient: sum(plus) - minus = 0
    for plus, minus in [
        *((cells, total) for cells, total in groups if total is not None),
        *(([a], b) for a, b in links),
    ]:
        row: dict[int, int] = {}
        for k in plus:
            if k in index:
                row[index[k]] = row.get(index[k], 0) + 1
        if minus in index:
            row[index[minus]] = row.get(index[minus], 0) - 1
        row = {i: c for i, c in row.items() if c}
        if row:
            equations.append(row)
    parent = list(range(len(unknown)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for row in equations:
        first, *rest = row
        for i in rest:
            parent[root(i)] = root(first)
    blocks: dict[int, list[dict[int, int]]] = {}
    for row in equations:
        blocks.setdefault(root(next(iter(row))), []).append(row)
    fixed = np.zeros(len(unknown), dtype=bool)  # a count in no equation is free
    for rows in blocks.values():
        columns = sorted({i for row in rows for i in row})
        fixed[columns] = _in_row_space(rows, columns)
    return [k for k, i in index.items() if fixed[i]]


def _in_row_space(rows: list[dict[int, int]], columns: list[int]) -> np.ndarray:
    """For each column of these sparse equations, whether its unit vector is in their row
    space (the count is fixed by them), from the eigenvectors of the smaller Gram matrix.

    The diagonal of the projection onto the row space is 1 exactly for such a column: for a
    wide block, with A A^T = U L U^T, it is a_i^T (A A^T)^+ a_i; for a tall one, with
    A^T A = V L V^T, it is sum_r V_ir^2 (r over the non-zero eigenvalues). Both Gram matrices
    are summed from the non-zero entries, so a wide block (one year's months by every district
    of England: 2,000 equations, 16,000 counts) costs an eigen-decomposition of 2,000 x 2,000
    and never a dense product, nor an SVD of the whole matrix (24 s)."""
    at = {i: j for j, i in enumerate(columns)}
    entries = [(r, at[i], c) for r, row in enumerate(rows) for i, c in row.items()]
    wide = len(rows) < len(columns)
    size = len(rows) if wide else len(columns)
    by_line: dict[int, list[tuple[int, int]]] = {}  # wide: per column, its rows; tall: per row
    for r, j, c in entries:
        by_line.setdefault(j if wide else r, []).append((r if wide else j, c))
    pairs = [
        (owner, a, b, ca * cb) for owner, members in by_line.items() for a, ca in members for b, cb in members
    ]
    line, first, second = (np.array([p[n] for p in pairs]) for n in range(3))
    product = np.array([p[3] for p in pairs], dtype=float)
    gram = np.zeros((size, size))
    np.add.at(gram, (first, second), product)
    values, vectors = np.linalg.eigh(gram)
    keep = values > 1e-12 * max(values.max(), 1)  # the rank: singular values above 1e-6 of the largest
    if wide:
        inverse = (vectors[:, keep] / values[keep]) @ vectors[:, keep].T
        diagonal = np.bincount(line, weights=product * inverse[first, second], minlength=len(columns))
    else:
        diagonal = (vectors[:, keep] ** 2).sum(axis=1)
    return 1 - diagonal < 1e-6


def _secondary(
    cells: Sequence[Hashable], total: Hashable | None, values: Mapping, hidden: set
) -> Hashable | None:
    """The cell to hide next in a group with exactly one hidden cell, or None."""
    members = [*cells, *([] if total is None else [total])]
    if sum(k in hidden for k in members) != 1:
        return None
    candidates = [k for k in cells if k not in hidden and _nonzero(values[k])]
    if candidates:
        return min(candidates, key=lambda k: values[k])  # min keeps the first of ties
    if total is not None and total not in hidden and _nonzero(values[total]):
        return total
    return None


def _show(value: Any, hidden: bool) -> Any:
    return SUPPRESSED if hidden and value is not None else value


def _is_number(value: Any) -> bool:
    """A real number (numpy's too), not a bool, not NaN."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and not math.isnan(value)


def _nonzero(value: Any) -> bool:
    return _is_number(value) and value != 0


# --- free text ------------------------------------------------------------------------------

NOTE_WITHHELD = "c (note withheld: one small count in it could be worked out from the figures)"
_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_COUNT = re.compile(
    r"(?<![\w£$€#/.,:-])(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?!\.\d|,\d|[\w%/-]|:\d)"
    rf"(?!\s+{_MONTHS}\b)"
    rf"|\b(?P<word>{'|'.join(_WORDS)})\b",
    re.IGNORECASE,
)


def free_text(text: str, rules: Rules = ON) -> str | None:
    """An officer's note as it may be shown: each count from 1 to the threshold written c, or
    None when exactly one count would be hidden (the whole note withheld; see the module's
    choices). Unchanged when disclosure control is off.

    >>> free_text("12 of 16: 1 not recorded, 2 not in touch, 1 in custody")
    '12 of 16: c not recorded, c not in touch, c in custody'
    >>> free_text("12 of 16: 4 not in touch since 31 March 2024") is None
    True
    >>> free_text("Up from 61.2% in 2023-24; TS1 and Q2 improved; seven in college")
    'Up from 61.2% in 2023-24; TS1 and Q2 improved; seven in college'
    """
    if rules.threshold <= 0:
        return text
    hidden = 0

    def write(m: re.Match) -> str:
        nonlocal hidden
        if m.group("word"):
            value = _WORDS.index(m.group("word").lower()) + 1
        else:
            value = int(m.group("digits").replace(",", ""))
            if len(m.group("digits")) == 4 and 1900 <= value <= 2099:
                return m.group(0)  # a year
        if 1 <= value <= rules.threshold:
            hidden += 1
            return SUPPRESSED
        return m.group(0)

    shown = _COUNT.sub(write, text)
    return None if hidden == 1 else shown
