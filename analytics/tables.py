"""The small editable tables beside the returns: localities (districts -> locality names) and
population denominators (children aged 0-17 by year, district and age band), loaded from CSV.

Each load replaces the table (the population table: that council's rows) in one atomic swap,
like a load of returns.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analytics import store
from analytics.filters import AGE_BANDS


class TableError(ValueError):
    """A table file the engine cannot load, with a message naming the file and the row."""


def _read(path: Path, columns: list[str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise TableError(f"{path.name}: cannot be read ({type(exc).__name__})") from None
    return _columns(frame, path.name, columns)


def _columns(frame: pd.DataFrame, name: str, columns: list[str]) -> pd.DataFrame:
    frame = frame.copy()
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise TableError(f"{name}: missing column(s) {', '.join(missing)}; expected {','.join(columns)}")
    return frame[columns].apply(lambda col: col.astype(str).str.strip())


def is_synthetic(frame: pd.DataFrame) -> bool:
    """A table whose `source` column says it is synthetic (as `synth --out` labels its tables)."""
    return "source" in frame and frame["source"].astype(str).str.contains("synthetic", case=False).any()


def clean_localities(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """The locality table, checked: raises TableError naming the file and row."""
    frame = _columns(frame, name, ["district", "locality"])
    frame["district"] = frame["district"].str.upper().str.replace(r"\s+", "", regex=True)
    blank = frame[(frame["district"] == "") | (frame["locality"] == "")]
    if len(blank):
        raise TableError(f"{name} row {blank.index[0] + 2}: district and locality must both be given")
    duplicated = frame[frame["district"].duplicated()]
    if len(duplicated):
        raise TableError(
            f"{name} row {duplicated.index[0] + 2}: district {duplicated.iloc[0]['district']} appears twice"
        )
    return frame


def write_localities(con, frame: pd.DataFrame, synthetic: bool) -> None:
    """Replace the locality table on an open (writable) connection."""
    con.execute("DELETE FROM localities")
    con.register("localities_df", frame.assign(synthetic=synthetic))
    con.execute("INSERT INTO localities BY NAME SELECT * FROM localities_df")


def load_localities(path: Path, db: Path, synthetic: bool = False) -> int:
    frame = clean_localities(_read(path, ["district", "locality"]), path.name)
    with store.replacing(db) as con:
        write_localities(con, frame, synthetic)
    return len(frame)


def clean_population(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """The population table, checked: raises TableError naming the file and row."""
    frame = _columns(frame, name, ["year", "district", "age_band", "children"])
    frame["district"] = frame["district"].str.upper().str.replace(r"\s+", "", regex=True)
    for column, ok in (
        ("year", frame["year"].str.fullmatch(r"\d{4}")),
        ("children", frame["children"].str.fullmatch(r"\d+")),
        ("age_band", frame["age_band"].isin(AGE_BANDS)),
        ("district", frame["district"] != ""),
    ):
        if not ok.all():
            row = int((~ok).to_numpy().nonzero()[0][0]) + 2
            raise TableError(f"{name} row {row}: {column} is not valid (age bands: {', '.join(AGE_BANDS)})")
    return frame.astype({"year": int, "children": int})


def write_population(con, frame: pd.DataFrame, la_code: str | None, synthetic: bool) -> None:
    """Replace that council's population rows on an open (writable) connection."""
    con.execute("DELETE FROM population WHERE la_code IS NOT DISTINCT FROM $la", {"la": la_code})
    con.register("population_df", frame.assign(la_code=la_code, synthetic=synthetic))
    con.execute("INSERT INTO population BY NAME SELECT * FROM population_df")


def load_population(path: Path, db: Path, la_code: str | None, synthetic: bool = False) -> int:
    frame = clean_population(_read(path, ["year", "district", "age_band", "children"]), path.name)
    with store.replacing(db) as con:
        write_population(con, frame, la_code, synthetic)
    return len(frame)
