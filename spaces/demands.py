"""The demand list (需求清单): coercion, validation and import of enterprises' space demands."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from spaces.schema import DEMANDS, VOCABULARIES
from spaces.tabular import ROW, ReadResult, normalize_text, read_table
from spaces.validation import InventoryError, Issue, check_fields, coerce

ID_PREFIX = "D"


class DemandError(InventoryError):
    """Demand-list data failed validation; ``issues`` lists every problem found."""

    def __init__(self, issues: Iterable[Issue]):
        super().__init__(issues)
        head = "; ".join(str(i) for i in self.issues[:5])
        more = f" (and {len(self.issues) - 5} more)" if len(self.issues) > 5 else ""
        self.args = (f"{len(self.issues)} problem(s) in the demand list: {head}{more}",)


def empty_demands() -> pd.DataFrame:
    """An empty, typed demand frame."""
    return coerce(DEMANDS, pd.DataFrame(columns=[DEMANDS.id, *DEMANDS.columns]))[0]


def build_demands(
    frame: pd.DataFrame,
    *,
    tracks: Iterable[str],
    track_labels: Mapping[str, Iterable[str]] | None = None,
) -> pd.DataFrame:
    """Coerce and validate a demand frame, raising `DemandError` on any problem.

    Parameters
    ----------
    frame
        Demands with the id as a column or the index; vocabulary fields may hold codes or
        their Chinese or English labels (苏州, Suzhou (Jiangsu), 一层楼, 待匹配 ...).
    tracks
        The configured track ids.
    track_labels
        Other spellings of each track id (e.g. its Chinese and English names).

    Returns
    -------
    DataFrame indexed by demand_id with the schema's dtypes.
    """
    typed, issues = coerce_demands(frame, track_labels=track_labels)
    issues += validate_demands(typed, tracks=tracks)
    if issues:
        raise DemandError(issues)
    return typed


def coerce_demands(
    frame: pd.DataFrame, *, track_labels: Mapping[str, Iterable[str]] | None = None
) -> tuple[pd.DataFrame, list[Issue]]:
    """Labels to codes, then `spaces.validation.coerce`; returns the frame and its issues."""
    return coerce(DEMANDS, to_codes(frame, track_labels=track_labels))


def validate_demands(demands: pd.DataFrame, *, tracks: Iterable[str]) -> list[Issue]:
    """Every problem of a typed demand frame: fields, ranges, codes and min ≤ max."""
    issues = check_fields(DEMANDS, demands, vocabularies={"tracks": list(tracks)})
    low, high = demands["area_min_m2"], demands["area_max_m2"]
    reversed_ = low.notna() & high.notna() & (low > high)
    issues += [
        Issue(
            DEMANDS.name,
            rid,
            "area_min_m2",
            "range_order",
            float(low[rid]),
            {"other_field": "area_max_m2", "other": float(high[rid])},
        )
        for rid in demands.index[reversed_.to_numpy()]
    ]
    return issues


def to_codes(
    frame: pd.DataFrame, *, track_labels: Mapping[str, Iterable[str]] | None = None
) -> pd.DataFrame:
    """A copy whose vocabulary columns hold codes where a cell spells a label of one.

    Matching ignores case, spaces and full-width forms; a trailing 市 is dropped for
    cities ("苏州市" is suzhou). Unknown values are kept, for validation to report.
    """
    out = frame.copy()
    for f in DEMANDS.fields:
        if not f.vocabulary or f.name not in out.columns:
            continue
        if f.vocabulary == "tracks":
            spellings = {k: list(v) for k, v in (track_labels or {}).items()}
        else:
            spellings = {code: list(labels) for code, labels in VOCABULARIES[f.vocabulary].items()}
        lookup: dict[str, str] = {}
        for code, labels in spellings.items():
            for text in (code, *labels):
                lookup.setdefault(_key(text), code)
        out[f.name] = out[f.name].map(lambda v, lk=lookup: _to_code(v, lk)).astype("object")
    return out


def _key(text: Any) -> str:
    s = normalize_text(text).lower()
    s = re.sub(r"\s+", "", s)
    return s[:-1] if len(s) > 1 and s.endswith("市") else s


def _to_code(value: Any, lookup: Mapping[str, str]) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return value
    return lookup.get(_key(value), value)


def assign_ids(frame: pd.DataFrame, existing: Iterable[str]) -> pd.DataFrame:
    """A copy where rows without a demand_id get the next free ids D0001, D0002, ..."""
    out = frame.copy()
    if DEMANDS.id not in out.columns:
        out[DEMANDS.id] = None
    ids = out[DEMANDS.id].astype("object")
    blank = ids.isna() | ids.map(lambda v: not str(v).strip())
    taken = [str(i) for i in existing] + [str(i) for i in ids[~blank]]
    numbers = [int(m.group(1)) for i in taken if (m := re.fullmatch(rf"{ID_PREFIX}(\d+)", i))]
    start = max(numbers, default=0) + 1
    new = [f"{ID_PREFIX}{n:04d}" for n in range(start, start + int(blank.sum()))]
    ids[blank] = new
    out[DEMANDS.id] = ids
    return out


@dataclass(frozen=True)
class DemandImport:
    """What reading a demand file gave: the typed frame if valid, and the problems.

    ``issues`` are every problem, placed on their file row and column by ``reads`` (the
    table read, `spaces.tabular.locate`); ``demands`` is None unless there are none (all
    or nothing).
    """

    demands: pd.DataFrame | None
    issues: list[Issue]
    reads: Mapping[str, ReadResult]
    rows: int


def read_demands(
    source: str | Path | bytes | BinaryIO,
    *,
    filename: str | None = None,
    tracks: Iterable[str],
    track_labels: Mapping[str, Iterable[str]] | None = None,
    existing_ids: Iterable[str] = (),
) -> DemandImport:
    """Read a demand list from an .xlsx or .csv file with Chinese or English headers.

    Rows without a demand id get new ids after ``existing_ids``; rows whose id exists
    update that demand when stored with `store.repository.Repository.import_demands`.

    Raises
    ------
    spaces.tabular.UnreadableFileError
        If the file cannot be read as a table at all.
    """
    read = read_table(source, table=DEMANDS, filename=filename)
    frame = assign_ids(read.frame, existing_ids)
    read = replace(read, frame=frame)
    raw = frame.drop(columns=[ROW])
    typed, issues = coerce_demands(raw, track_labels=track_labels)
    issues = read.issues + issues + validate_demands(typed, tracks=tracks)
    return DemandImport(None if issues else typed, issues, {DEMANDS.name: read}, len(frame))
