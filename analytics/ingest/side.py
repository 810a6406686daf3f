"""Validate and anonymise the optional tables of the return (ssda903.md): UASC, AD1,
PlacedAdoption, OC2, Missing, Reviews, PrevPerm, SWEpisodes and DoLo.

Every row keeps a keyed hash of the child (and, for SWEpisodes, of the social worker) instead
of the identifier; no date of birth is kept. A row that cannot be used (a date that is not a
date, a child with no Header row) is left out and listed as a warning; a code not valid for the
year counts as unknown. The children set aside by the validator's errors are gone already.
"""

from __future__ import annotations

import pandas as pd

from analytics import codes
from analytics.ingest.report import WARNING, Report

# The optional tables stored by this module (store.py has their schema).
TABLES = ("UASC", "AD1", "PlacedAdoption", "OC2", "Missing", "Reviews", "PrevPerm", "SWEpisodes", "DoLo")


def _dates(report: Report, frame: pd.DataFrame, table: str, column: str, required: bool) -> pd.Series:
    """The column parsed; unparseable (or, when required, blank) values are listed and the
    rows are marked unusable in frame["_ok"]."""
    from analytics.ingest.prepare import parse_dates

    parsed, bad = parse_dates(frame[column])
    report.add_frame(
        frame[bad],
        column,
        "date-unparseable",
        WARNING,
        f"{table} {column} is not a date in dd/mm/yyyy form; the row is left out",
    )
    frame.loc[bad, "_ok"] = False
    if required:
        blank = frame[column].eq("")
        report.add_frame(
            frame[blank], column, "date-missing", WARNING, f"{table} {column} is blank; the row is left out"
        )
        frame.loc[blank, "_ok"] = False
    return parsed


def _latest(frame: pd.DataFrame, subset: list[str]) -> pd.DataFrame:
    """One row per key: the row of the latest year wins (then the later row of the file)."""
    ordered = frame.sort_values(["YEAR", "ROW"], na_position="first", kind="stable")
    return ordered.drop_duplicates(subset=subset, keep="last")


def _flag(values: pd.Series) -> pd.Series:
    return values.map({"1": True, "0": False}).astype("boolean")


def prepare_side(
    keep: dict[str, pd.DataFrame], report: Report, key, salt: bytes, code_warnings
) -> dict[str, pd.DataFrame]:
    """{table: anonymised frame} for the optional tables; `key(salt, series)` hashes, and
    `code_warnings` is prepare's judge of codes by year."""
    from analytics.ingest.prepare import among

    with_header = set(keep["Header"]["CHILD"])
    out: dict[str, pd.DataFrame] = {}
    for name in TABLES:
        frame = keep[name].copy()
        frame["_ok"] = True
        no_header = ~among(frame["CHILD"], with_header)
        report.add_frame(
            frame[no_header],
            "CHILD",
            "header-missing",
            WARNING,
            f"{name} row of a child with no Header row; the row is left out",
        )
        frame = frame[~no_header].copy()
        out[name] = _PREPARE[name](frame, report, code_warnings)
        kept = out[name]
        kept.insert(0, "child_key", key(salt, kept.pop("CHILD")))
        if name == "SWEpisodes":
            kept["sw_key"] = key(salt, "SW_ID:" + kept.pop("SW_ID"))
        out[name] = kept.reset_index(drop=True)
    return out


def _uasc(frame, report, code_warnings):
    duc = _dates(report, frame, "UASC", "DUC", required=False)
    frame = frame.assign(duc=duc.dt.date)
    return _latest(frame, ["CHILD", "YEAR"])[["CHILD", "YEAR", "duc"]].rename(columns={"YEAR": "year"})


def _ad1(frame, report, code_warnings):
    parsed = {c: _dates(report, frame, "AD1", c, required=False) for c in ("DATE_INT", "DATE_MATCH")}
    out = pd.DataFrame(
        {
            "CHILD": frame["CHILD"],
            "year": frame["YEAR"],
            "date_int": parsed["DATE_INT"].dt.date,
            "date_match": parsed["DATE_MATCH"].dt.date,
            "foster_care": frame["FOSTER_CARE"].str.upper().replace("", pd.NA),
            "nb_adoptr": frame["NB_ADOPTR"].replace("", pd.NA),
            "sex_adoptr": frame["SEX_ADOPTR"].str.upper().replace("", pd.NA),
            "ls_adoptr": frame["LS_ADOPTR"].str.upper().replace("", pd.NA),
        }
    )
    return out.drop_duplicates()


def _placed_adoption(frame, report, code_warnings):
    from analytics.ingest.prepare import parse_dates

    # DATE_PLACED is checked (and reported) with the decisions in prepare.
    placed = frame["DATE_PLACED"]
    placed = placed if placed.dtype.kind == "M" else parse_dates(placed)[0]
    ceased = _dates(report, frame, "PlacedAdoption", "DATE_PLACED_CEASED", required=False)
    out = pd.DataFrame(
        {
            "CHILD": frame["CHILD"],
            "year": frame["YEAR"],
            "date_placed": placed.dt.date,
            "date_placed_ceased": ceased.dt.date,
            "reason_placed_ceased": frame["REASON_PLACED_CEASED"].str.upper().replace("", pd.NA),
        }
    )
    return out.drop_duplicates()


def _oc2(frame, report, code_warnings):
    code_warnings(report, frame, codes.OC2_FLAGS, frame["YEAR"], codes.OC2_FLAGS)
    code_warnings(report, frame, ("SDQ_REASON",), frame["YEAR"], ("SDQ_REASON",))
    text = frame["SDQ_SCORE"]
    score = pd.to_numeric(text.where(text.str.fullmatch(r"\d{1,2}")), errors="coerce")
    invalid = text.ne("") & ~score.between(0, 40)
    report.add_frame(
        frame[invalid],
        "SDQ_SCORE",
        "sdq-invalid",
        WARNING,
        'SDQ_SCORE = "' + text[invalid] + '" is not a score from 0 to 40; counted as not given',
    )
    score = score.where(~invalid)
    no_reason = text.eq("") & frame["SDQ_REASON"].isna()
    report.add_frame(
        frame[no_reason],
        "SDQ_REASON",
        "sdq-reason-missing",
        WARNING,
        "SDQ_SCORE is blank and no SDQ_REASON is given",
    )
    twice = frame.duplicated(subset=["CHILD", "YEAR"], keep="last")
    report.add_frame(
        frame[twice],
        "CHILD",
        "oc2-duplicate",
        WARNING,
        "a second OC2 row for the same child in one year's file; the later row is used",
    )
    out = pd.DataFrame(
        {
            "CHILD": frame["CHILD"],
            "year": frame["YEAR"],
            "source": frame["SOURCE"],
            "source_row": frame["ROW"],
            "sdq_score": score.astype("Int64"),
            "sdq_reason": frame["SDQ_REASON"],
            **{f.lower(): _flag(frame[f]) for f in codes.OC2_FLAGS},
        }
    )
    return out[~twice]


def _missing(frame, report, code_warnings):
    code_warnings(report, frame, ("MISSING",), frame["YEAR"], ())
    start = _dates(report, frame, "Missing", "MIS_START", required=True)
    end = _dates(report, frame, "Missing", "MIS_END", required=False)
    backwards = frame["_ok"] & (end < start)
    report.add_frame(
        frame[backwards],
        "MIS_END",
        "missing-end-before-start",
        WARNING,
        "MIS_END is before MIS_START; the incident is left out",
    )
    frame = frame.assign(mis_start=start, mis_end=end)[frame["_ok"] & ~backwards]
    # The same incident (child, MISSING, MIS_START) in several years' files: the latest wins.
    frame = _latest(frame, ["CHILD", "MISSING", "mis_start"])
    return pd.DataFrame(
        {
            "CHILD": frame["CHILD"],
            "year": frame["YEAR"],
            "source": frame["SOURCE"],
            "source_row": frame["ROW"],
            "missing": frame["MISSING"],
            "mis_start": frame["mis_start"].dt.date,
            "mis_end": frame["mis_end"].dt.date,
        }
    )


def _reviews(frame, report, code_warnings):
    code_warnings(report, frame, ("REVIEW_CODE",), frame["YEAR"], ())
    review = _dates(report, frame, "Reviews", "REVIEW", required=True)
    frame = frame.assign(review=review)[frame["_ok"]]
    frame = _latest(frame, ["CHILD", "review"])
    return pd.DataFrame(
        {
            "CHILD": frame["CHILD"],
            "year": frame["YEAR"],
            "source": frame["SOURCE"],
            "source_row": frame["ROW"],
            "review": frame["review"].dt.date,
            "review_code": frame["REVIEW_CODE"],
        }
    )


def _prev_perm(frame, report, code_warnings):
    code_warnings(report, frame, ("PREV_PERM",), frame["YEAR"], ())
    date_perm = _dates(report, frame, "PrevPerm", "DATE_PERM", required=False)
    frame = frame.assign(date_perm=date_perm)
    frame = _latest(frame, ["CHILD", "YEAR"])
    return pd.DataFrame(
        {
            "CHILD": frame["CHILD"],
            "year": frame["YEAR"],
            "prev_perm": frame["PREV_PERM"],
            "la_perm": frame["LA_PERM"].str.upper().replace("", pd.NA),
            "date_perm": frame["date_perm"].dt.date,
        }
    )


def _sw_episodes(frame, report, code_warnings):
    blank = frame["SW_ID"].eq("")
    report.add_frame(frame[blank], "SW_ID", "sw-id-missing", WARNING, "SW_ID is blank; the row is left out")
    frame.loc[blank, "_ok"] = False
    start = _dates(report, frame, "SWEpisodes", "SW_DECOM", required=True)
    end = _dates(report, frame, "SWEpisodes", "SW_DEC", required=False)
    backwards = frame["_ok"] & (end < start)
    report.add_frame(
        frame[backwards],
        "SW_DEC",
        "sw-dec-before-decom",
        WARNING,
        "SW_DEC is before SW_DECOM; the row is left out",
    )
    frame = frame.assign(sw_decom=start, sw_dec=end)[frame["_ok"] & ~backwards]
    frame = _latest(frame, ["CHILD", "SW_ID", "sw_decom"])
    return pd.DataFrame(
        {
            "CHILD": frame["CHILD"],
            "SW_ID": frame["SW_ID"],
            "year": frame["YEAR"],
            "sw_decom": frame["sw_decom"].dt.date,
            "sw_dec": frame["sw_dec"].dt.date,
            "sw_reason": frame["SW_REASON"].str.upper().replace("", pd.NA),
        }
    )


def _dolo(frame, report, code_warnings):
    start = _dates(report, frame, "DoLo", "DOLO_START", required=True)
    end = _dates(report, frame, "DoLo", "DOLO_END", required=False)
    frame = frame.assign(dolo_start=start, dolo_end=end)[frame["_ok"]]
    return pd.DataFrame(
        {
            "CHILD": frame["CHILD"],
            "year": frame["YEAR"],
            "dolo_start": frame["dolo_start"].dt.date,
            "dolo_end": frame["dolo_end"].dt.date,
        }
    ).drop_duplicates()


_PREPARE = {
    "UASC": _uasc,
    "AD1": _ad1,
    "PlacedAdoption": _placed_adoption,
    "OC2": _oc2,
    "Missing": _missing,
    "Reviews": _reviews,
    "PrevPerm": _prev_perm,
    "SWEpisodes": _sw_episodes,
    "DoLo": _dolo,
}
