"""CSV that is safe to open in Excel: a cell whose text would start a formula (`=`, `+`, `-`, `@`,
a tab or a carriage return) is written with a leading apostrophe, so Excel shows it as text and
runs nothing (OWASP "CSV injection"). Plain numbers, negative ones included, are left as they are.
File names are reduced to letters, digits, `_`, `-` and `.`, so none carries typed text."""

from __future__ import annotations

import re

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?%?")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame, path=None) -> str | None:
    """The frame as CSV (to `path` if given) with every text cell and header neutralised."""
    safe = frame.map(cell).rename(columns=lambda c: cell(str(c)))
    return safe.to_csv(path, index=False)


def file_name(name: str) -> str:
    stem = _UNSAFE_NAME.sub("_", name).strip("._") or "download"
    return stem[:80]
