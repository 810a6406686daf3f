"""The validation report: one line per problem, naming file, row, column and rule.

Three severities (ssda903.md, Validation): a refusal stops the load and changes nothing; an
error sets the child aside whole (quarantine); a warning keeps the row and counts the value as
unknown. Messages show code values only, never an identifier, a date of birth or a postcode.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

REFUSAL, ERROR, WARNING = "refusal", "error", "warning"
COLUMNS = ["file", "row", "column", "rule", "severity", "message"]


class Refusal(Exception):
    """The whole load is refused; the previous data stay exactly as they were."""

    def __init__(self, file: str, rule: str, message: str, column: str = ""):
        super().__init__(f"{file}: {message}")
        self.line = {
            "file": file,
            "row": None,
            "column": column,
            "rule": rule,
            "severity": REFUSAL,
            "message": message,
        }


@dataclass
class Report:
    lines: list[dict] = field(default_factory=list)
    frames: list[pd.DataFrame] = field(default_factory=list)

    def add(self, file: str, row: int | None, column: str, rule: str, severity: str, message: str) -> None:
        self.lines.append(
            {
                "file": file,
                "row": row,
                "column": column,
                "rule": rule,
                "severity": severity,
                "message": message,
            }
        )

    def add_frame(
        self, rows: pd.DataFrame, column: str, rule: str, severity: str, message: str | pd.Series
    ) -> None:
        """Many lines at once: `rows` has SOURCE and ROW columns."""
        if rows.empty:
            return
        self.frames.append(
            pd.DataFrame(
                {
                    "file": rows["SOURCE"].to_numpy(),
                    "row": rows["ROW"].to_numpy(),
                    "column": column,
                    "rule": rule,
                    "severity": severity,
                    "message": message if isinstance(message, str) else message.to_numpy(),
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        parts = [pd.DataFrame(self.lines, columns=COLUMNS), *self.frames]
        out = pd.concat([p for p in parts if not p.empty] or [parts[0]], ignore_index=True)
        out["row"] = out["row"].astype("Int64")
        return out
