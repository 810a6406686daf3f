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
    frame.columns = [c.strip().lower() for c in frame.columns]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise TableError(f"{path.name}: missing column(s) {', '.join(missing)}; expected {','.join(columns)}")
    return frame[columns].apply(lambda col: col.str.strip())


def load_localities(path: Path, db: Path, synthetic: bool = False) -> int:
    frame = _read(path, ["district", "locality"])
    frame["district"] = frame["district"].str.upper().str.replace(r"\s+", "", regex=True)
    blank = frame[(frame["district"] == "") | (frame["locality"] == "")]
    if len(blank):
        raise TableError(f"{path.name} row {blank.index[0] + 2}: district and locality must both be given")
    duplicated = frame[frame["district"].duplicated()]
    if len(duplicated):
        raise TableError(
            f"{path.name} row {duplicated.index[0] + 2}: district {duplicated.iloc[0]['district']} appears twice"
        )
    with store.replacing(db) as con:
        con.execute("DELETE FROM localities")
        con.register("localities_df", frame.assign(synthetic=synthetic))
        con.execute("INSERT INTO localities BY NAME SELECT * FROM localities_df")
    return len(frame)


def load_population(path: Path, db: Path, la_code: str | None, synthetic: bool = False) -> int:
    frame = _read(path, ["year", "district", "age_band", "children"])
    frame["district"] = frame["district"].str.upper().str.replace(r"\s+", "", regex=True)
    for column, ok in (
        ("year", frame["year"].str.fullmatch(r"\d{4}")),
        ("children", frame["children"].str.fullmatch(r"\d+")),
        ("age_band", frame["age_band"].isin(AGE_BANDS)),
        ("district", frame["district"] != ""),
    ):
        if not ok.all():
            row = int((~ok).to_numpy().nonzero()[0][0]) + 2
            raise TableError(
                f"{path.name} row {row}: {column} is not valid (age bands: {', '.join(AGE_BANDS)})"
            )
    frame = frame.astype({"year": int, "children": int})
    with store.replacing(db) as con:
        con.execute("DELETE FROM population WHERE la_code IS NOT DISTINCT FROM $la", {"la": la_code})
        con.register("population_df", frame.assign(la_code=la_code, synthetic=synthetic))
        con.execute("INSERT INTO population BY NAME SELECT * FROM population_df")
    return len(frame)
