"""The spreadsheet face of each table, from spaces/schema.py: headers, notes, examples, labels.

The import template and the Excel export share this layout: per table a sheet whose header
row has each field's Chinese label with its unit and a ``*`` when required; above it a row
of notes (English label, kind, unit, range, allowed values) and, in the template, an example
row. Vocabulary fields are written and read as Chinese or English labels or as codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from geodata.crs import DATUMS
from spaces.outline import ALIASES, SHEET_FIELDS, reading_table
from spaces.schema import TABLES, VOCABULARIES, Field, Table
from spaces.tabular import normalize_text

Vocabularies = Mapping[str, Mapping[str, tuple[str, str]]]
"""Vocabulary name -> code -> (Chinese label, English label), incl. "units" and "tracks"."""

_KIND = {
    "str": ("文本", "text"),
    "int": ("整数", "integer"),
    "float": ("数值", "number"),
    "bool": ("是/否", "yes/no"),
    "date": ("日期", "date"),
}

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


def header(f: Field, *, lang: str = "zh") -> str:
    """A column header: label, unit in brackets and ``*`` when it must be filled in."""
    text = f.label_zh if lang == "zh" else f.label_en
    if f.unit and f.unit != "0–1":
        text += f"({f.unit})"
    return text + ("*" if f.required and f.name not in DEFAULTED else "")


def note(f: Field, vocabs: Vocabularies, *, lang: str = "zh") -> str:
    """What a column takes, for the row above the header: kind, unit, range, values."""
    zh = lang == "zh"
    parts = [f.label_en if zh else f.label_zh, _KIND.get(f.kind, ("", ""))[0 if zh else 1]]
    if f.required and f.name not in DEFAULTED:
        parts.append("必填" if zh else "required")
    if f.unit == "0–1":
        parts.append("0–1 或 百分比，如 80%" if zh else "0–1 or a percentage, e.g. 80%")
    elif f.min is not None and f.max is not None:
        parts.append(f"{_num(f.min)}–{_num(f.max)} {f.unit}".strip())
    elif f.min is not None:
        parts.append(f"≥ {_num(f.min)} {f.unit}".strip())
    if f.vocabulary:
        labels = [v[0 if zh else 1] for v in vocabs[f.vocabulary].values()]
        parts.append(("可选：" if zh else "one of: ") + "、".join(labels))
    if f.ref:
        ref = TABLES[f.ref]
        parts.append(f"填写{ref.label_zh}表中的编号" if zh else f"an id of the {ref.name} sheet")
    parts += _geometry_note(f, zh)
    return " · ".join(p for p in parts if p)


def _geometry_note(f: Field, zh: bool) -> list[str]:
    if f.name == "outline":
        return [
            "WKT 或 经度,纬度;经度,纬度;…（高德/百度取点工具格式）"
            if zh
            else "WKT, or lon,lat;lon,lat;… as AutoNavi's/Baidu's tools copy it"
        ]
    if f.name in ("lon", "lat"):
        return ["无轮廓时填写点位（投影坐标系填米）" if zh else "a point when there is no outline"]
    if f.name == "footprint_m2":
        return ["按点位绘制示意方形的面积" if zh else "area of the square drawn at the point"]
    if f.name == "source":
        return ["新记录留空则记为“导入 文件名”" if zh else "blank: 'import <file name>'"]
    if f.name == "approximate":
        return [
            "留空：有轮廓为“否”，按点位绘制为“是”"
            if zh
            else "blank: no with an outline, yes when drawn from a point"
        ]
    return []


def _num(v: float | None) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else str(v)


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
    frame: pd.DataFrame, table: Table, vocabs: Vocabularies, *, lang: str = "zh"
) -> pd.DataFrame:
    """Vocabulary codes turned into labels in ``lang`` for a readable export."""
    out = frame.copy()
    for f in table.fields:
        if f.vocabulary and f.name in out.columns:
            labels = {code: v[0 if lang == "zh" else 1] for code, v in vocabs[f.vocabulary].items()}
            out[f.name] = out[f.name].map(lambda v, lb=labels: lb.get(v, v), na_action="ignore")
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


# --- instructions -------------------------------------------------------------------------------


def instructions(*, lang: str = "zh") -> list[tuple[str, str]]:
    """The template's instruction sheet: (topic, text) rows."""
    datums = [(d.code, d.label_zh if lang == "zh" else d.label_en) for d in DATUMS.values()]
    if lang != "zh":
        return [
            (
                "How to fill",
                "One sheet per table. Row 4 is the header (* = required); row 2 "
                "says what each column takes and row 3 is an example that is not imported. Fill "
                "from row 5. Sheets and rows you leave out keep what is stored: an import adds "
                "new ids and changes existing ones, it deletes nothing.",
            ),
            (
                "Values",
                "Areas such as 1,200㎡, full-width digits, dates such as 2026-06-01, "
                "2026/6/1 or 2026年6月 (the 1st), progress as 0.8 or 80%, 是/否 for yes/no, and "
                "the Chinese labels of coded values are all understood.",
            ),
            (
                "Outlines",
                "Plots and buildings give their outline in 轮廓 as WKT or as "
                "lon,lat;lon,lat;… (what AutoNavi's and Baidu's coordinate tools copy), or a "
                "point in 经度/纬度 with 示意面积: a square of that area is drawn and marked "
                "approximate.",
            ),
            (
                "Coordinates",
                "Choose the file's coordinate system when importing: "
                + "; ".join(f"{c}: {label}" for c, label in datums)
                + ". Coordinates copied from AutoNavi or Tencent are GCJ-02, from Baidu BD-09.",
            ),
        ]
    return [
        (
            "填写方法",
            "每张表一个工作表。第4行为表头（带*为必填），第2行说明每列的填写要求，第3行为"
            "示例（不导入）；从第5行起填写。未填写的工作表和记录保持库中原样：导入按编号新增或修改"
            "记录，不删除记录。",
        ),
        (
            "数值写法",
            "可填写“1,200㎡”、全角数字、“2026-06-01”“2026/6/1”“2026年6月”（按当月1日）"
            "等日期、“0.8”或“80%”的进度、“是/否”，以及可选值的中文名称。",
        ),
        (
            "轮廓",
            "地块和楼栋在“轮廓”列填写 WKT，或“经度,纬度;经度,纬度;…”（高德、百度坐标拾取工具"
            "复制的格式）；也可只填“经度”“纬度”和“示意面积”，系统按面积绘制示意方形并标记为示意位置。",
        ),
        (
            "坐标系",
            "导入时请选择文件的坐标系："
            + "；".join(f"{c}：{label}" for c, label in datums)
            + "。从高德、腾讯地图复制的坐标为 GCJ-02，从百度地图复制的为 BD-09。",
        ),
    ]
