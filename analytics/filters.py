"""The one filter value object passed from the command line or the sidebar down to the SQL.

Its fields reach the queries only as bound parameters; caches key on it (it is hashable).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

AGE_BANDS = ("Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over")
CEASED_AGE_BANDS = ("Under 1", "1 to 4", "5 to 9", "10 to 15", "16", "17", "18 and over")
SEXES = ("Male", "Female", "Unknown")


class FilterError(ValueError):
    """A filter the engine cannot apply, with a message for the analyst."""


def is_month_end(d: date) -> bool:
    return d.day == calendar.monthrange(d.year, d.month)[1]


@dataclass(frozen=True)
class Filters:
    year: int
    as_of: date | None = None
    council: str | None = None
    districts: tuple[str, ...] = field(default_factory=tuple)
    localities: tuple[str, ...] = field(default_factory=tuple)
    age_bands: tuple[str, ...] = field(default_factory=tuple)
    sexes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "districts", tuple(sorted({d.strip().upper() for d in self.districts})))
        object.__setattr__(self, "localities", tuple(sorted(set(self.localities))))
        for name, label, allowed in (("age_bands", "age band", AGE_BANDS), ("sexes", "sex", SEXES)):
            given = set(getattr(self, name))
            if given - set(allowed):
                raise FilterError(
                    f"unknown {label} {sorted(given - set(allowed))}; use one of {list(allowed)}"
                )
            object.__setattr__(self, name, tuple(v for v in allowed if v in given))
        if self.as_of is not None:
            start, end = date(self.year - 1, 4, 1), date(self.year, 3, 31)
            if not start <= self.as_of <= end:
                raise FilterError(f"as-of date {self.as_of} is outside year {self.year} ({start} to {end})")
            if not is_month_end(self.as_of):
                raise FilterError(
                    "the as-of date must be the last day of a month: ages are kept to the month, "
                    "because the full date of birth is not stored"
                )

    @property
    def period_start(self) -> date:
        return date(self.year - 1, 4, 1)

    @property
    def period_end(self) -> date:
        """31 March of the year, or the as-of date."""
        return self.as_of or date(self.year, 3, 31)

    def as_json(self) -> dict:
        """The filters in the shape of the command line's JSON (only those set)."""
        out: dict = {}
        if self.council:
            out["council"] = self.council
        if self.districts:
            out["district"] = list(self.districts)
        if self.localities:
            out["locality"] = list(self.localities)
        if self.age_bands:
            out["age_band"] = list(self.age_bands)
        if self.sexes:
            out["sex"] = list(self.sexes)
        return out
