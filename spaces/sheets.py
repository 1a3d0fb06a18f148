"""The spreadsheet face of each table, from spaces/schema.py: columns, examples, labels.

The import template and the Excel export share this layout: per table a sheet whose header
row has each field's label with its unit and a ``*`` when required; above it a row of notes
(the other language's label, kind, unit, range, allowed values) and, in the template, an
example row. Vocabulary fields are written and read as Chinese or English labels or as
codes. The words of a sheet (`SheetWords`) come from `words.imports.sheet_words`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from spaces.outline import ALIASES, SHEET_FIELDS, reading_table
from spaces.schema import VOCABULARIES, Field, Table
from spaces.tabular import normalize_text

Vocabularies = Mapping[str, Mapping[str, tuple[str, str]]]
"""Vocabulary name -> code -> (Chinese label, English label), incl. "units" and "tracks"."""

EXAMPLES: dict[str, dict[str, Any]] = {
    "plots": {
        "plot_id": "HQ-P-001",
        "name": "申长路示例地块",
        "land_use": "商务办公用地",
        "land_status": "已出让",
        "far": 3.0,
        "land_ready_planned": "2025-06-30",
        "land_ready_actual": "2025-06-15",
        "facilities_progress": "90%",
        "responsible_unit": "新虹街道",
        "operator": "上海示例置业有限公司",
        "source": "新虹街道 2026年6月 台账",
        "approximate": "否",
        "outline": "121.3160,31.1900;121.3180,31.1900;121.3180,31.1920;121.3160,31.1920",
    },
    "buildings": {
        "building_id": "HQ-B-001",
        "plot_id": "HQ-P-001",
        "name": "示例研发大厦",
        "address": "申长路 1 号",
        "kind": "商务楼宇",
        "height_m": "60m",
        "construction_progress": "100%",
        "planned_completion": "2025年3月",
        "actual_completion": "2025-03-15",
        "planned_acceptance": "2025-06-30",
        "actual_acceptance": "2025-06-01",
        "facilities_progress": "90%",
        "responsible_unit": "新虹街道",
        "operator": "上海示例置业有限公司",
        "source": "新虹街道 2026年6月 台账",
        "approximate": "是",
        "lon": 121.3168,
        "lat": 31.1908,
        "footprint_m2": "1,800㎡",
    },
    "floors": {
        "floor_id": "HQ-B-001-05",
        "building_id": "HQ-B-001",
        "level": 5,
        "usable_area_m2": "1,200㎡",
        "floor_load_kn_m2": 5.0,
        "clear_height_m": "4.5m",
        "exhaust": "是",
        "wet_lab_drainage": "否",
        "power_kva": "300kVA",
        "clean_room_iso": 8,
    },
    "rooms": {
        "room_id": "HQ-B-001-05-01",
        "floor_id": "HQ-B-001-05",
        "number": "501",
        "usable_area_m2": "260㎡",
    },
    "service_teams": {
        "team_id": "T-XH-01",
        "name": "新虹街道企业服务专班",
        "responsible_unit": "新虹街道",
        "status": "已到位",
        "ready_date": "2026年6月",
        "capacity": 40,
        "lead": "张三",
    },
    "carriers": {
        "carrier_id": "C-HQ-B-001-05",
        "tier": "一层楼",
        "target_id": "HQ-B-001-05",
        "status": "可招商",
        "rent_yuan_m2_day": "6.5元/m²/天",
        "available_from": "2026-09-01",
        "service_team_id": "T-XH-01",
        "track": "生物医药",
        "tenant": "",
        "note": "首层可做中试",
    },
}
"""One example row per table, written as stewards write them (units in cells, labels)."""


def vocabularies(
    *, units: Mapping[str, tuple[str, str]], tracks: Mapping[str, tuple[str, str]]
) -> dict[str, dict[str, tuple[str, str]]]:
    """The schema's vocabularies plus the configured units and tracks (id -> labels)."""
    out = {name: dict(v) for name, v in VOCABULARIES.items()}
    out["units"] = dict(units)
    out["tracks"] = dict(tracks)
    return out


def sheet_fields(table: Table) -> list[Field]:
    """The columns of the table's sheet: id, fields in schema order, then geometry columns."""
    fields = [f for f in table.fields if f.kind != "geometry"]
    return [*fields, *(SHEET_FIELDS if table.geometry else ())]


DEFAULTED = ("source", "approximate")
"""Required fields an import fills in when left blank (see `spaces.imports`)."""


@dataclass(frozen=True)
class SheetWords:
    """The words of the import template and the Excel export, in one language.

    `words.imports.sheet_words` words them; the writers (`spaces.io.template_xlsx`,
    `spaces.io.export_xlsx`) lay them out. Per table (by name): the sheet's name, the
    template's title row, the export's first row, and per column of `sheet_fields` its
    header, its note and the comment on the template's header cell.
    """

    sheets: Mapping[str, str]
    titles: Mapping[str, str]
    captions: Mapping[str, str]
    headers: Mapping[str, Mapping[str, str]]
    notes: Mapping[str, Mapping[str, str]]
    comments: Mapping[str, Mapping[str, str]]
    labels: Mapping[str, Mapping[str, str]]
    """Vocabulary name -> code -> label, for the cells and the template's drop-down lists."""
    yes_no: tuple[str, str]
    readme: str
    """The name of the template's instruction sheet."""
    heading: str
    instructions: tuple[tuple[str, str], ...]
    """The instruction sheet's (topic, text) rows, below its heading."""
    choose_listed: str
    """What a drop-down list says of a value it does not hold."""
    template_file: str


def aliases(table: Table) -> dict[str, tuple[str, ...]]:
    """Extra header spellings: geometry columns and shapefile-truncated field names."""
    out: dict[str, tuple[str, ...]] = {}
    for f in reading_table(table).fields:
        extra = ALIASES.get(f.name, ())
        if len(f.name) > 10:
            extra = (*extra, f.name[:10])
        if extra:
            out[f.name] = extra
    return out


# --- vocabulary labels <-> codes ----------------------------------------------------------------


def to_codes(frame: pd.DataFrame, table: Table, vocabs: Vocabularies) -> pd.DataFrame:
    """Vocabulary cells written as Chinese/English labels (or codes) turned into codes.

    Unknown values are left as written, for validation to report with the allowed values.
    """
    out = frame.copy()
    for f in table.fields:
        if f.vocabulary and f.name in out.columns:
            lookup = _label_lookup(vocabs[f.vocabulary])
            out[f.name] = out[f.name].map(lambda v, lk=lookup: _code(v, lk))
    return out


def to_labels(
    frame: pd.DataFrame, table: Table, labels: Mapping[str, Mapping[str, str]]
) -> pd.DataFrame:
    """Vocabulary codes turned into ``labels`` (vocabulary -> code -> label) for an export.

    Codes without a label are left as they are.
    """
    out = frame.copy()
    for f in table.fields:
        if f.vocabulary and f.name in out.columns:
            lb = labels[f.vocabulary]
            out[f.name] = out[f.name].map(lambda v, lb=lb: lb.get(v, v), na_action="ignore")
    return out


def _label_lookup(vocab: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, (zh, en) in vocab.items():
        for spelling in (code, zh, en):
            lookup.setdefault(_canon(spelling), code)
    return lookup


def _canon(v: Any) -> str:
    return normalize_text(v).lower().replace(" ", "").replace("_", "")


def _code(v: Any, lookup: Mapping[str, str]) -> Any:
    if v is None or (isinstance(v, float) and v != v):
        return v
    return lookup.get(_canon(v), v)
