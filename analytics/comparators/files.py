"""DfE's published open-data files (Explore Education Statistics' tidy layout), read into one
long table of published values (`comparators.md`, "What is read").

A file is recognised by its columns, never its name. Each kind of file declares the rows it
gives and, for a share, the row of the same group holding its denominator. A value is kept as
published (text): a number, or a symbol (`c`, `k`, `x`, `z`) that never becomes 0.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

SYMBOLS = {
    "c": "suppressed",
    "k": "low (under 0.5 but not zero)",
    "x": "not available",
    "z": "not applicable",
}
LEVELS = ("National", "Regional", "Local authority")
COLUMNS = [
    "measure",
    "year",
    "level",
    "area_code",
    "area_name",
    "region_code",
    "region_name",
    "old_la_code",
    "value",
    "numerator",
    "denominator",
    "source",
    "release",
]
NEIGHBOUR_COLUMNS = ["old_la_code", "la_name", "rank", "neighbour", "closeness", "source"]
MAX_BYTES = 50_000_000


class ComparatorFileError(ValueError):
    """A file that cannot be read as a published comparator file, with a message naming it."""


@dataclass(frozen=True)
class Row:
    """One measure's rows of a file: where `match` holds, `value` is the figure; a share's
    numerator is `count` and its denominator the `count` of the row where `total` replaces
    the breakdown (same year, area and group)."""

    measure: str
    match: dict[str, str]  # column -> value (a value ending in "*" matches a prefix)
    value: str
    count: str | None = None
    total: tuple[str, str] | None = None  # (column, value) of the denominator's row


@dataclass(frozen=True)
class Kind:
    name: str
    columns: frozenset[str]  # the file is of this kind when it has all of these
    rows: tuple[Row, ...]
    marker: tuple[str, str] | None = None  # (column, value) that must occur too

    def recognises(self, frame: pd.DataFrame) -> bool:
        if not self.columns <= set(frame.columns):
            return False
        return self.marker is None or (frame[self.marker[0]] == self.marker[1]).any()


_CLA = "population_type"
_STAB = ("cla_group", "placement_stability")
_LEAVER = ("care_leaver_age", "breakdown")


def _leavers(measure: str, breakdown: str, total: str) -> tuple[Row, ...]:
    return tuple(
        Row(
            f"care_leavers_{ages}_{measure}",
            {"care_leaver_age": f"{ages.replace('_', ' to ')} years", "breakdown": breakdown},
            "care_leaver_percent",
            "care_leaver_count",
            ("breakdown", total),
        )
        for ages in ("17_18", "19_21")
    )


KINDS = (
    Kind(
        "children looked after, starts and ceased (numbers and rates per 10,000)",
        frozenset({_CLA, "children_count", "rate_per_10000"}),
        (
            Row("cla_at_31_march", {_CLA: "Children looked after on 31 March each year"}, "children_count"),
            Row("starts", {_CLA: "Children starting to be looked after each year"}, "children_count"),
            Row("ceased", {_CLA: "Children ceasing to be looked after each year"}, "children_count"),
            Row("cla_rate_per_10k", {_CLA: "Children looked after on 31 March each year"}, "rate_per_10000"),
            Row(
                "starts_rate_per_10k",
                {_CLA: "Children starting to be looked after each year"},
                "rate_per_10000",
            ),
        ),
    ),
    Kind(
        "placement stability",
        frozenset({*_STAB, "children_count", "children_percent"}),
        (
            Row(
                "placements_3plus",
                {_STAB[0]: "CLA on 31 March", _STAB[1]: "With 3 or more placements during the year"},
                "children_percent",
                "children_count",
                (_STAB[1], "Total children"),
            ),
            Row(
                "long_term_stability",
                {
                    _STAB[0]: "Children looked after continuously for at least 2.5 years*",
                    _STAB[1]: "Living with the same carer for at least 2 years",
                },
                "children_percent",
                "children_count",
                (_STAB[1], "Total children"),
            ),
        ),
    ),
    Kind(
        "care leavers' activity",
        frozenset({*_LEAVER, "care_leaver_count", "care_leaver_percent"}),
        _leavers("eet", "Total in education, employment or training", "Total"),
        marker=("breakdown", "Total in education, employment or training"),
    ),
    Kind(
        "care leavers' accommodation",
        frozenset({*_LEAVER, "care_leaver_count", "care_leaver_percent"}),
        _leavers("suitable_accommodation", "Accommodation considered suitable", "Suitability total"),
        marker=("breakdown", "Accommodation considered suitable"),
    ),
    Kind(
        "ONS mid-year population estimates",
        frozenset({"age_group", "population_estimate"}),
        (Row("population_0_17", {"age_group": "Children aged 0 to 17 years"}, "population_estimate"),),
    ),
)
EES_COLUMNS = frozenset({"time_period", "geographic_level"})
NEIGHBOUR_FILE_COLUMNS = frozenset({"LA num", *(f"SN{i}" for i in range(1, 11))})
KIND_NAMES = [k.name for k in KINDS] + ["DfE's statistical neighbour groupings"]


@dataclass
class Read:
    """One file's contents: published values, or statistical neighbours."""

    path: Path
    kind: str
    values: pd.DataFrame  # COLUMNS
    neighbours: pd.DataFrame  # NEIGHBOUR_COLUMNS

    @property
    def rows(self) -> int:
        return len(self.values) + len(self.neighbours)


def _frame(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise ComparatorFileError(f"{path.name}: no such file")
    if path.stat().st_size > MAX_BYTES:
        raise ComparatorFileError(
            f"{path.name}: larger than {MAX_BYTES // 1_000_000} MB; not a published file"
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ComparatorFileError(f"{path.name}: not UTF-8 text; save it as CSV (UTF-8)") from None
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise ComparatorFileError(f"{path.name}: not a readable CSV file ({exc})") from None
    if not rows:
        raise ComparatorFileError(f"{path.name}: empty")
    header = [h.strip() for h in rows[0]]
    width = len(header)
    body = [r + [""] * (width - len(r)) if len(r) < width else r[:width] for r in rows[1:]]
    return pd.DataFrame(body, columns=_unique(header), dtype=object)


def _unique(header: list[str]) -> list[str]:
    """Column names made unique (the neighbour file repeats `SNP`)."""
    seen: dict[str, int] = {}
    out = []
    for h in header:
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h}.{seen[h] - 1}")
    return out


def read(path: Path, release: int | None = None) -> Read:
    """Read one published file; raise ComparatorFileError naming it when it is not one."""
    frame = _frame(path)
    if set(frame.columns) >= NEIGHBOUR_FILE_COLUMNS:
        return Read(path, KIND_NAMES[-1], pd.DataFrame(columns=COLUMNS), _neighbours(frame, path.name))
    kind = next((k for k in KINDS if set(frame.columns) >= EES_COLUMNS and k.recognises(frame)), None)
    if kind is None:
        raise ComparatorFileError(
            f"{path.name}: not a published file the dashboard reads (it reads: {'; '.join(KIND_NAMES)}); "
            "nothing was loaded"
        )
    return Read(
        path, kind.name, _values(frame, kind, path.name, release), pd.DataFrame(columns=NEIGHBOUR_COLUMNS)
    )


def _area(frame: pd.DataFrame) -> pd.DataFrame:
    level = frame["geographic_level"]
    code = frame.get("new_la_code", pd.Series("", index=frame.index)).where(
        level == "Local authority",
        frame.get("region_code", pd.Series("", index=frame.index)).where(
            level == "Regional", frame.get("country_code", pd.Series("", index=frame.index))
        ),
    )
    name = frame.get("la_name", pd.Series("", index=frame.index)).where(
        level == "Local authority",
        frame.get("region_name", pd.Series("", index=frame.index)).where(
            level == "Regional", frame.get("country_name", pd.Series("", index=frame.index))
        ),
    )
    return pd.DataFrame({"area_code": code, "area_name": name})


def _matches(frame: pd.DataFrame, match: dict[str, str]) -> pd.Series:
    keep = pd.Series(True, index=frame.index)
    for column, wanted in match.items():
        cells = frame[column].fillna("").str.strip()
        keep &= cells.str.startswith(wanted[:-1]) if wanted.endswith("*") else cells == wanted
    return keep


def _values(frame: pd.DataFrame, kind: Kind, source: str, release: int | None) -> pd.DataFrame:
    frame = frame[frame["geographic_level"].isin(LEVELS)].copy()
    years = pd.to_numeric(frame["time_period"].str[:4], errors="coerce")
    if years.isna().any():
        bad = frame.loc[years.isna(), "time_period"].iloc[0]
        raise ComparatorFileError(f"{source}: time_period {bad!r} is not a year")
    frame["year"] = years.astype(int)
    frame = pd.concat([frame, _area(frame)], axis=1)
    for column in ("region_code", "region_name", "old_la_code"):
        if column not in frame:
            frame[column] = ""
    keys = ["year", "geographic_level", "area_code"]
    parts = []
    for row in kind.rows:
        hits = frame[_matches(frame, row.match)]
        part = hits.assign(
            measure=row.measure,
            value=hits[row.value].fillna("").str.strip(),
            numerator=hits[row.count].fillna("").str.strip() if row.count else None,
            denominator=None,
        )
        if row.total:
            column, total = row.total
            group = {**row.match, column: total}
            totals = frame[_matches(frame, group)][[*keys, *[c for c in row.match if c != column], row.count]]
            on = keys + [c for c in row.match if c != column]
            part = part.drop(columns="denominator").merge(
                totals.rename(columns={row.count: "denominator"}), on=on, how="left"
            )
            part["denominator"] = part["denominator"].fillna("").str.strip()
        parts.append(part)
    out = pd.concat(parts, ignore_index=True).rename(columns={"geographic_level": "level"})
    out["source"] = source
    out["release"] = release if release is not None else int(out["year"].max()) if len(out) else None
    return out[COLUMNS]


def _neighbours(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """One row per council and neighour rank (1 to 10), by old LA number."""
    closeness = [c for c in frame.columns if c.split(".")[0] == "SNP"]
    rows = []
    for _, r in frame.iterrows():
        council = str(r["LA num"]).strip()
        if not council.isdigit():
            continue
        for i in range(1, 11):
            neighbour = str(r[f"SN{i}"]).strip()
            if neighbour.isdigit():
                near = str(r[closeness[i - 1]]).strip() if len(closeness) >= i else ""
                rows.append((council, str(r.get("LA Name", "")).strip(), i, neighbour, near, source))
    if not rows:
        raise ComparatorFileError(f"{source}: no council with neighbours (columns LA num, SN1 ... SN10)")
    return pd.DataFrame(rows, columns=NEIGHBOUR_COLUMNS)


def number(text: str | None) -> int | float | None:
    """A published cell as a number: an int when written as one; None for a symbol or blank.

    >>> number("12"), number("12.5"), number("c"), number(""), number(None)
    (12, 12.5, None, None, None)
    """
    if text is None or text in SYMBOLS or not str(text).strip():
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return None


def shown(text: str | None) -> int | float | str | None:
    """A published cell as printed: its number, else its symbol, else None (missing).

    >>> shown("12"), shown("c"), shown("")
    (12, 'c', None)
    """
    value = number(text)
    if value is not None:
        return value
    return text if text in SYMBOLS else None
