"""Validate, stitch and anonymise the tables read from a council's returns (ssda903.md).

Out come clean, anonymised frames: no identifier (a keyed hash instead), no date of birth (the
birth year-month and the ages the measures need instead), no postcode (district, council and
distance instead). Nothing identifying leaves this module: the frames it returns, the
quarantine and the report are safe to write anywhere.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from analytics import codes
from analytics.ingest import location
from analytics.ingest.read import SPECS, RawTable
from analytics.ingest.report import ERROR, WARNING, Report
from analytics.ingest.side import prepare_side

EPISODE_CODES = ("RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC", "REASON_PLACE_CHANGE")
ISO_DATE = r"^\d{4}-\d{2}-\d{2}( 00:00:00)?$"


@dataclass
class Prepared:
    children: pd.DataFrame
    episodes: pd.DataFrame
    care_leavers: pd.DataFrame
    decisions: pd.DataFrame
    quarantine: pd.DataFrame
    report: Report
    years: list[int]
    oc3_years: list[int]
    has_placed_adoption: bool
    side: dict[str, pd.DataFrame]  # the optional tables, anonymised (side.py)
    table_years: dict[str, list[int | None]]  # optional table -> collection years loaded (None: no year)

    @property
    def history_start(self) -> date | None:
        """1 April of the year before the earliest collection year; None for a complete history."""
        return date(min(self.years) - 1, 4, 1) if self.years else None

    @property
    def last_year(self) -> int:
        if self.years:
            return max(self.years)
        latest = pd.concat([self.episodes["decom"], self.episodes["dec"]]).max()
        return latest.year + (1 if latest.month > 3 else 0)


class NothingKept(Exception):
    """Every episode was set aside by the rules: nothing to load (the report says why)."""

    def __init__(self, report) -> None:
        super().__init__("no episode could be kept")
        self.report = report


def key(salt: bytes, values: pd.Series) -> pd.Series:
    """Keyed hash (HMAC-SHA256) of each value, 20 hex characters; missing stays missing."""
    uniques = values.dropna().unique()
    mapping = {v: hmac.digest(salt, v.encode(), "sha256").hex()[:20] for v in uniques}
    return values.map(mapping)


def among(values: pd.Series, known) -> pd.Series:
    """values.isin(known) for a text column, its values hashed as Python strings (a text
    column's own isin makes an Arrow scalar of each known value, one by one)."""
    return values.astype(object).isin(known)


def parse_dates(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(dates, unparseable mask) for dd/mm/yyyy text (or ISO dates, as Excel cells arrive)."""
    parsed = pd.to_datetime(text, format="%d/%m/%Y", errors="coerce")
    iso = text.str.match(ISO_DATE) & parsed.isna()
    if iso.any():
        parsed[iso] = pd.to_datetime(text[iso].str[:10], format="%Y-%m-%d", errors="coerce")
    bad = parsed.isna() & text.ne("")
    return parsed, bad


def completed_years(born: pd.Series, on: pd.Series | pd.Timestamp) -> pd.Series:
    """Age in completed years: a birthday on 29 February is reached on 1 March in other years."""
    on = pd.Series(on, index=born.index) if not isinstance(on, pd.Series) else on
    before_birthday = (on.dt.month < born.dt.month) | (
        (on.dt.month == born.dt.month) & (on.dt.day < born.dt.day)
    )
    return (on.dt.year - born.dt.year - before_birthday.astype(int)).astype("Int64")


def collection_year(d: pd.Series) -> pd.Series:
    return (d.dt.year + (d.dt.month > 3).astype(int)).astype("Int64")


def _stack(tables: list[RawTable], name: str) -> pd.DataFrame:
    parts = [t for t in tables if t.name == name]
    if not parts:
        spec = SPECS[name]
        empty = pd.DataFrame(columns=["SOURCE", "ROW", *spec.required, *spec.optional], dtype=str)
        return empty.assign(YEAR=pd.Series(dtype="Int64"))
    out = pd.concat([t.frame for t in parts], ignore_index=True)
    rows = [len(t.frame) for t in parts]
    out["SOURCE"] = pd.Series(np.repeat([t.source for t in parts], rows), dtype="str")
    out["YEAR"] = pd.array(np.repeat(np.array([t.year for t in parts], dtype=object), rows), dtype="Int64")
    # the columns in the order of the parts, each followed by SOURCE and YEAR
    order = list(dict.fromkeys(c for t in parts for c in (*t.frame.columns, "SOURCE", "YEAR")))
    return out if list(out.columns) == order else out[order]


class _Validator:
    """Collects the children set aside (with the rule that fired) while checking each table."""

    def __init__(self, report: Report):
        self.report = report
        self.errors: dict[str, str] = {}  # CHILD -> first rule that set it aside

    def error(self, rows: pd.DataFrame, column: str, rule: str, message: str) -> None:
        self.report.add_frame(rows, column, rule, ERROR, message)
        for child in rows["CHILD"]:
            self.errors.setdefault(child, rule)


def _check_dates(v: _Validator, frame: pd.DataFrame, table: str, column: str, required: bool) -> None:
    parsed, bad = parse_dates(frame[column])
    frame[column] = parsed
    missing = frame[column].isna() & ~bad if required else pd.Series(False, index=frame.index)
    v.error(
        frame[bad],
        column,
        "date-unparseable",
        f"{table} {column} is not a date in dd/mm/yyyy form; the child is set aside",
    )
    v.error(frame[missing], column, "date-missing", f"{table} {column} is missing; the child is set aside")
    future = frame[column] > pd.Timestamp.today().normalize()
    v.error(frame[future], column, "date-future", f"{table} {column} is after today; the child is set aside")


def _judged(field: str, values: pd.Series, year: pd.Series) -> np.ndarray:
    """Whether each code is blank or valid for its row's year (any year when the year is
    missing): judged once per distinct (code, year)."""
    code_at, code = pd.factorize(values, use_na_sentinel=False)
    year_at, years = pd.factorize(year, use_na_sentinel=False)
    pair_at, pairs = pd.factorize(code_at * len(years) + year_at)
    verdicts = []
    for pair in pairs:
        c, y = code[pair // len(years)], years[pair % len(years)]
        verdicts.append(
            c == ""
            or (codes.is_valid(field, c, int(y)) if pd.notna(y) else codes.valid_years(field, c) is not None)
        )
    return np.array(verdicts, dtype=bool)[pair_at]


def _code_warnings(
    report: Report, frame: pd.DataFrame, fields: tuple[str, ...], year: pd.Series, blank_ok: tuple[str, ...]
) -> None:
    """Codes not valid for the year in which the row was recorded count as unknown (set to NA)."""
    for f in fields:
        values = frame[f].str.upper()
        valid = pd.Series(_judged(f, values, year), index=frame.index, dtype=bool)
        invalid = ~valid & values.ne("")
        if invalid.any():
            messages = values[invalid].map(
                lambda c, f=f: codes.describe_validity(f, c) + "; counted as unknown"
            )
            report.add_frame(frame[invalid], f, "code-invalid", WARNING, messages)
        if f == "PLACE" and "DECOM" in frame:
            late_p2 = values.eq("P2") & valid & (frame["DECOM"] >= pd.Timestamp(codes.P2_INVALID_FROM))
            report.add_frame(
                frame[late_p2],
                f,
                "code-invalid",
                WARNING,
                'PLACE = "P2" is not valid for placements starting on or after 28/10/2023; counted as unknown',
            )
            valid &= ~late_p2
        if f not in blank_ok:
            report.add_frame(
                frame[values.eq("")], f, "code-blank", WARNING, f"{f} is blank; counted as unknown"
            )
        frame[f] = values.where(valid & values.ne(""))


def prepare(tables: list[RawTable], salt: bytes) -> Prepared:
    report = Report()
    v = _Validator(report)
    raw = {
        name: _stack(tables, name)
        for name in (
            "Header",
            "Episodes",
            "OC3",
            "AD1",
            "PlacedAdoption",
            "UASC",
            "OC2",
            "Missing",
            "Reviews",
            "PrevPerm",
            "SWEpisodes",
            "DoLo",
        )
    }

    for name, frame in raw.items():
        blank_child = frame["CHILD"].eq("") if len(frame) else pd.Series(dtype=bool)
        report.add_frame(
            frame[blank_child],
            "CHILD",
            "child-missing",
            ERROR,
            f"{name} row has no child identifier; the row is set aside",
        )
        raw[name] = frame = frame[~blank_child].copy()
        if "DOB" in frame:
            _check_dates(v, frame, name, "DOB", required=True)
    episodes = raw["Episodes"]
    _check_dates(v, episodes, "Episodes", "DECOM", required=True)
    _check_dates(v, episodes, "Episodes", "DEC", required=False)
    placed = raw["PlacedAdoption"]
    parsed, bad = parse_dates(placed["DATE_PLACED"])
    report.add_frame(
        placed[bad],
        "DATE_PLACED",
        "date-unparseable",
        WARNING,
        "PlacedAdoption DATE_PLACED is not a date in dd/mm/yyyy form; counted as unknown",
    )
    placed["DATE_PLACED"] = parsed

    # One year's file: exact duplicate rows are dropped silently; two different rows for one
    # episode are an error.
    content = [c for c in episodes.columns if c not in ("ROW", "SOURCE")]
    episodes = episodes.drop_duplicates(subset=content)
    year_key = episodes["YEAR"].fillna(-1)
    dup = (
        episodes.assign(_y=year_key).duplicated(subset=["_y", "CHILD", "DECOM"], keep=False)
        & episodes["DECOM"].notna()
    )
    v.error(
        episodes[dup],
        "DECOM",
        "episode-duplicate",
        "two different rows for one episode (same child and DECOM) in one year's file; the child is set aside",
    )

    # Stitch the years: the latest year's row of an episode wins; an episode left open in one
    # year and absent from the next year's file was superseded (its dates were corrected).
    episodes = episodes[episodes["DECOM"].notna()].sort_values(["YEAR", "ROW"], na_position="first")
    years = sorted(int(y) for y in episodes["YEAR"].dropna().unique())
    if years:
        episode = ["YEAR", "CHILD", "DECOM"]
        latest = episodes.drop_duplicates(subset=["CHILD", "DECOM"], keep="last")
        following = latest[episode].assign(YEAR=latest["YEAR"] + 1)
        in_following = following.merge(
            episodes[episode].drop_duplicates().assign(_present=True), how="left", on=episode
        )["_present"].notna()
        superseded = latest["DEC"].isna() & (
            following["YEAR"].isin(years).to_numpy(dtype=bool) & ~in_following.to_numpy(dtype=bool)
        )
        report.add_frame(
            latest[superseded],
            "DECOM",
            "episode-superseded",
            WARNING,
            "episode open in this year's file is absent from the next year's file (its dates were corrected); dropped",
        )
        episodes = latest[~superseded]

    episodes = episodes.sort_values(["CHILD", "DECOM"]).copy()
    v.error(
        episodes[episodes["DEC"] < episodes["DECOM"]],
        "DEC",
        "dec-before-decom",
        "DEC is before DECOM; the child is set aside",
    )
    prev_dec = episodes.groupby("CHILD")["DEC"].shift()
    prev_open = episodes.groupby("CHILD")["DECOM"].shift().notna() & prev_dec.isna()
    overlap = prev_open | (prev_dec > episodes["DECOM"])
    v.error(
        episodes[overlap],
        "DECOM",
        "episodes-overlap",
        "episode begins before the child's previous episode ends; the child is set aside",
    )
    header = raw["Header"]
    no_header = ~among(episodes["CHILD"], set(header["CHILD"]))
    v.error(
        episodes[no_header],
        "CHILD",
        "header-missing",
        "episode of a child with no Header row; the child is set aside",
    )
    dobs = pd.concat([f[["CHILD", "DOB", "SOURCE", "ROW"]] for f in raw.values() if "DOB" in f and len(f)])
    dobs = dobs[dobs["DOB"].notna()]
    conflicting = dobs.groupby("CHILD")["DOB"].transform("nunique") > 1
    v.error(
        dobs[conflicting],
        "DOB",
        "dob-conflict",
        "the child's date of birth differs between rows; the child is set aside",
    )

    # Quarantine: every row of a child set aside, in every table, anonymised.
    aside = v.errors
    quarantine = pd.concat(
        [
            pd.DataFrame({"child": f["CHILD"], "table_name": name, "file": f["SOURCE"], "row": f["ROW"]})
            for name, f in raw.items()
            if len(f)
        ]
    )
    quarantine = quarantine[quarantine["child"].isin(aside.keys())]
    quarantine["rule"] = quarantine["child"].map(aside)
    quarantine["child_key"] = key(salt, quarantine["child"])
    quarantine = quarantine.drop(columns="child")[["child_key", "table_name", "file", "row", "rule"]]

    keep = {name: f[~f["CHILD"].isin(aside.keys())].copy() for name, f in raw.items()}
    episodes = episodes[~episodes["CHILD"].isin(aside.keys())].copy()

    # Warnings: codes judged by the collection year in which the episode began.
    episodes["REC"] = episodes["REC"].where(episodes["DEC"].notna(), "")
    closed_without_reason = episodes["DEC"].notna() & episodes["REC"].eq("")
    report.add_frame(
        episodes[closed_without_reason],
        "REC",
        "code-blank",
        WARNING,
        "REC is blank on a closed episode; the period ends for an unknown reason",
    )
    # A reason for ceasing is recorded when the episode ends: judged by the year of DEC.
    began = collection_year(episodes["DECOM"])
    _code_warnings(
        report,
        episodes,
        tuple(c for c in EPISODE_CODES if c != "REC"),
        began,
        ("PLACE_PROVIDER", "REASON_PLACE_CHANGE"),
    )
    _code_warnings(report, episodes, ("REC",), collection_year(episodes["DEC"]).fillna(began), ("REC",))
    header = keep["Header"].sort_values(["YEAR", "ROW"], na_position="first")
    _code_warnings(report, header, ("SEX",), header["YEAR"], ())
    oc3 = keep["OC3"]
    _code_warnings(report, oc3, ("IN_TOUCH", "ACTIV", "ACCOM"), oc3["YEAR"], ("IN_TOUCH", "ACTIV", "ACCOM"))

    # Postcodes: district, council and distance, then the postcodes are gone.
    temporary = episodes["PLACE"].isin(codes.TEMPORARY_PLACES)
    home = location.lookup(episodes["HOME_POST"])
    placement = location.lookup(episodes["PL_POST"])
    for column, looked_up, skip in (("HOME_POST", home, None), ("PL_POST", placement, temporary)):
        blank = episodes[column].eq("")
        unknown = ~blank & ~looked_up["found"]
        if skip is not None:
            blank &= ~skip
        report.add_frame(
            episodes[blank],
            column,
            "postcode-blank",
            WARNING,
            f"{column} is blank; its district, council and distance are unknown",
        )
        report.add_frame(
            episodes[unknown],
            column,
            "postcode-unknown",
            WARNING,
            f"{column} is not a known postcode; its district, council and distance are unknown",
        )
    pl_post = location.normalise(episodes["PL_POST"])

    if episodes.empty:
        raise NothingKept(report)
    born = keep["Header"].drop_duplicates("CHILD").set_index("CHILD")["DOB"]
    child_born = episodes["CHILD"].map(born)
    clean = pd.DataFrame(
        {
            "child_key": key(salt, episodes["CHILD"]),
            "source": episodes["SOURCE"],
            "source_row": episodes["ROW"],
            "decom": episodes["DECOM"].dt.date,
            "dec": episodes["DEC"].dt.date,
            "rne": episodes["RNE"],
            "ls": episodes["LS"],
            "cin": episodes["CIN"],
            "place": episodes["PLACE"],
            "provider": episodes["PLACE_PROVIDER"],
            "rec": episodes["REC"],
            "reason_place_change": episodes["REASON_PLACE_CHANGE"],
            "urn": episodes["URN"].str.upper().replace("", pd.NA),
            "home_district": home["district"].to_numpy(),
            "home_council": home["council"].to_numpy(),
            "pl_district": placement["district"].to_numpy(),
            "pl_council": placement["council"].to_numpy(),
            "distance_miles": location.distance_miles(home, placement).to_numpy(),
            "pl_post_key": key(salt, pl_post),
            "short_break": episodes["LS"].isin(codes.SHORT_BREAK_LS).to_numpy(),
            "year": episodes["YEAR"],
            "age_at_decom": completed_years(child_born, episodes["DECOM"]),
            "age_at_dec": completed_years(child_born, episodes["DEC"]),
            # the age on the last day the episode is open (the day before DEC)
            "age_at_last_day": completed_years(child_born, episodes["DEC"] - pd.Timedelta(days=1)),
        }
    ).reset_index(drop=True)

    latest_header = header.drop_duplicates("CHILD", keep="last").set_index("CHILD")
    sex = latest_header["SEX"].map({"1": "Male", "M": "Male", "2": "Female", "F": "Female"}).fillna("Unknown")
    ethnic = latest_header["ETHNIC"].str.upper().str[:1].map(codes.ETHNIC_GROUPS).fillna("Not known")
    dob = latest_header["DOB"]
    children = pd.DataFrame(
        {
            "child_key": key(salt, latest_header.index.to_series()).to_numpy(),
            "sex": sex.to_numpy(),
            "ethnic_group": ethnic.to_numpy(),
            "birth_ym": (dob.dt.to_period("M").dt.start_time).dt.date.to_numpy(),
            "born_29_feb": ((dob.dt.month == 2) & (dob.dt.day == 29)).to_numpy(),
            "uasc": among(latest_header.index.to_series(), set(keep["UASC"]["CHILD"])).to_numpy(),
        }
    )

    oc3 = oc3.copy()
    march = pd.to_datetime(oc3["YEAR"].astype(str) + "-03-31")
    care_leavers = pd.DataFrame(
        {
            "child_key": key(salt, oc3["CHILD"]),
            "year": oc3["YEAR"],
            "age": completed_years(oc3["DOB"], march),
            "in_touch": oc3["IN_TOUCH"],
            "activ": oc3["ACTIV"],
            "accom": oc3["ACCOM"],
        }
    ).drop_duplicates()
    decisions = keep["PlacedAdoption"]
    decisions = (
        pd.DataFrame(
            {"child_key": key(salt, decisions["CHILD"]), "date_placed": decisions["DATE_PLACED"].dt.date}
        )
        .dropna()
        .drop_duplicates()
    )

    side = prepare_side(keep, report, key, salt, _code_warnings)
    table_years = {
        name: sorted({t.year for t in tables if t.name == name}, key=lambda y: (y is not None, y or 0))
        for name in ("OC3", *side)
        if any(t.name == name for t in tables)
    }

    return Prepared(
        children=children,
        episodes=clean,
        care_leavers=care_leavers.reset_index(drop=True),
        decisions=decisions.reset_index(drop=True),
        quarantine=quarantine.reset_index(drop=True),
        report=report,
        years=years,
        oc3_years=sorted(int(y) for y in raw["OC3"]["YEAR"].dropna().unique()),
        has_placed_adoption=any(t.name == "PlacedAdoption" for t in tables),
        side=side,
        table_years=table_years,
    )
