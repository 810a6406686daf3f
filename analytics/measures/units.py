"""The unit of a measure, declared once: what its numbers are, how it is scaled, shown and drawn.

A measure's JSON object (indicators.md) is `numerator`, `denominator`, `value`. What those are
depends on the unit, and everything that reads a measure (the engine's ratio, disclosure control,
the formats, the charts' axes, the definitions page) asks the unit instead of testing its name.

>>> SHARE.format(12.345), RATE.format(1234.5), COUNT.format(1234), MEAN_DAYS.format(401.27)
('12.3%', '1,234.5', '1,234', '401.3')
>>> SHARE.detail(75.0, "12", "16"), MEAN_DAYS.detail(401.3, 8870, "22")
('75.0% (12 of 16)', '401.3 days (mean of 22 children)')
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    name: str  # as in the registry and the definitions page's id column
    label: str  # for the definitions page
    scale: int  # value = scale x numerator / denominator (1 for a count)
    decimals: int  # shown with this many decimals
    axis_title: str  # the value axis of a chart
    numerator_is_children: bool  # is the numerator a count of children (disclosure.md rule 1)?
    denominator_is_children: bool  # ...the denominator? (a rate's is a population)
    suffix: str = ""  # after the number: "%" for a share
    per: str = ""  # what the value is per: "days" for a mean of days

    @property
    def is_count(self) -> bool:
        return self.scale == 1 and not self.denominator_is_children

    @property
    def is_mean(self) -> bool:
        return not self.numerator_is_children and self.denominator_is_children

    @property
    def percent(self) -> bool:
        return self.suffix == "%"

    def format(self, value: float | int) -> str:
        """A number of this unit as text (a shown value: the caller handles "c" and missing)."""
        if self.decimals == 0:
            return f"{int(value):,}"
        return f"{value:,.{self.decimals}f}{self.suffix}"

    def detail(self, value_text: str | float, numerator_text: str, denominator_text: str) -> str:
        """The value with its provenance, for hover text: '9.3% (42 of 453)'."""
        value_text = value_text if isinstance(value_text, str) else self.format(value_text)
        if self.is_count:
            return value_text
        if self.is_mean:
            per = f" {self.per}" if self.per else ""
            return f"{value_text}{per} (mean of {denominator_text} children)"
        if not self.denominator_is_children:
            return f"{value_text} per 10,000 ({numerator_text} of {denominator_text} children)"
        return f"{value_text} ({numerator_text} of {denominator_text})"


COUNT = Unit("count", "count", 1, 0, "Children", True, False)
SHARE = Unit("share", "per cent", 100, 1, "Per cent", True, True, suffix="%")
RATE = Unit("rate", "per 10,000 children", 10_000, 1, "Per 10,000 children", True, False)
MEAN_DAYS = Unit("mean_days", "days (mean)", 1, 1, "Days", False, True, per="days")
MEAN = Unit("mean", "mean", 1, 1, "Mean", False, True)  # of a score, of incidents: not days
UNITS = {u.name: u for u in (COUNT, SHARE, RATE, MEAN_DAYS, MEAN)}
