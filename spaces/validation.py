"""Validation of the inventory: schema, units, ranges, references, geometry and offerings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.crs import PROJECTED
from spaces.model import CRS, Inventory, dtype, empty
from spaces.rollup import carrier_units
from spaces.schema import TABLES, TIER_TABLE, TIERS, VOCABULARIES, Field, Table, table_named

# Plausible longitude/latitude for Shanghai: catches projected metres and swapped axes.
LON_RANGE = (120.8, 122.2)
LAT_RANGE = (30.6, 31.95)
# Slack for geometric checks, in square metres: survey outlines rarely agree to the centimetre.
AREA_TOLERANCE_M2 = 1.0

_MESSAGES: dict[str, tuple[str, str]] = {
    "missing_column": ("column is missing from the table", "表中缺少此列"),
    "missing": ("a value is required", "必填项为空"),
    "bad_type": ("{value!r} is not a valid {kind}", "{value!r} 不是有效的{kind_zh}"),
    "cell_error": (
        "the cell holds the spreadsheet error {value}: its formula failed",
        "单元格是表格错误值 {value}（公式计算出错）",
    ),
    "out_of_range": (
        "{value} is outside the allowed range {min}–{max} {unit}",
        "{value} 超出允许范围 {min}–{max} {unit}",
    ),
    "unknown_code": ("{value!r} is not one of: {choices}", "{value!r} 不在可选值中：{choices}"),
    "duplicate_id": ("id {value!r} occurs {count} times", "编号 {value!r} 重复出现 {count} 次"),
    "unknown_ref": ("{value!r} is not a known {ref} id", "{value!r} 不是已有的{ref_zh}编号"),
    "bad_geometry": ("geometry is invalid: {reason}", "几何图形无效：{reason}"),
    "wrong_geometry_type": (
        "geometry is a {value}, expected {expected}",
        "几何类型为 {value}，应为 {expected}",
    ),
    "wrong_crs": (
        "layer CRS is {value}, expected EPSG:4326 (WGS84); convert it first",
        "图层坐标系为 {value}，应为 EPSG:4326（WGS84），请先转换",
    ),
    "not_lonlat": (
        "coordinates {value} are not longitude/latitude in Shanghai "
        "(projected metres, or latitude and longitude swapped?)",
        "坐标 {value} 不是上海范围内的经纬度（是否为投影坐标或经纬度颠倒？）",
    ),
    "rooms_exceed_floor": (
        "rooms on this floor add up to {rooms:.0f} m², more than the floor's {floor:.0f} m²",
        "本层房间面积合计 {rooms:.0f} m²，超过楼层使用面积 {floor:.0f} m²",
    ),
    "outside_plot": (
        "footprint lies {value:.0f} m² outside its plot {plot}",
        "建筑轮廓有 {value:.0f} m² 超出所在地块 {plot}",
    ),
    "overlap": (
        "overlaps {other} by {value:.0f} m²",
        "与 {other} 重叠 {value:.0f} m²",
    ),
    "offered_twice": (
        "{value} is already offered as part of {other_tier} {other_target} by carrier {other}",
        "{value} 已作为{other_tier_zh} {other_target} 的一部分由载体 {other} 提供，不能重复提供",
    ),
    "date_order": (
        "{value} is before {other_field} {other}",
        "{value} 早于{other_field_zh} {other}",
    ),
    "accepted_not_completed": (
        "acceptance is recorded but completion is not",
        "已填写竣工验收日期，但未填写实际竣工日期",
    ),
    "duplicate_level": (
        "level {value} occurs more than once in building {building}",
        "楼栋 {building} 中楼层 {value} 重复",
    ),
    "duplicate_number": (
        "room number {value!r} occurs more than once on floor {floor}",
        "楼层 {floor} 中房号 {value!r} 重复",
    ),
    "team_unit_mismatch": (
        "service team {value} belongs to {team_unit}, the carrier to {unit}",
        "企业服务团队 {value} 属于{team_unit}，而载体属于{unit}",
    ),
    "status_tier": (
        "status {value!r} is only for plots",
        "状态 {value!r} 仅适用于地块",
    ),
    "range_order": (
        "{value} is more than {other_field} {other}",
        "{value} 大于{other_field_zh} {other}",
    ),
    "unknown_record": (
        "no stored record has the id {value!r}",
        "库中没有编号为 {value!r} 的记录",
    ),
    # imports and edits (issue 5)
    "out_of_scope": (
        "this record belongs to {owner}; a steward of {unit} changes only that unit's records",
        "此记录属于{owner}；{unit}的数据维护人员只能修改本单位的记录",
    ),
    "bad_outline": ("{value!r} is not an outline: {reason}", "{value!r} 不是有效的轮廓：{reason}"),
    "missing_outline": (
        "a new record needs an outline or a point",
        "新记录需要轮廓或点位坐标",
    ),
    "drawn_footprint": (
        "no outline given: drawn as a {area:.0f} m² square around the point, marked approximate",
        "未提供轮廓：按点位绘制 {area:.0f} m² 的示意方形，标记为示意位置",
    ),
    "datum_offset": (
        "lies {distance:.0f} m from {reference}; read as {better} it would lie "
        "{better_distance:.0f} m from it",
        "距{reference} {distance:.0f} 米；若按 {better} 解读则相距 {better_distance:.0f} 米",
    ),
    "ignored_column": (
        "column {value!r} matches no field and is ignored",
        "列 {value!r} 无对应字段，已忽略",
    ),
}

# How to fix each problem, shown next to the message in import reports.
_HINTS: dict[str, tuple[str, str]] = {
    "missing_column": ("add the column (see the template's headers)", "按模板补充此列"),
    "missing": ("fill in the cell", "请填写此项"),
    "cell_error": (
        "type the value itself, or fix the formula, and save the file again",
        "请直接填写数值，或修正公式后重新保存文件",
    ),
    "bad_type": (
        "write it as a {kind}, e.g. 1200, 0.8, 2026-06-01 or 是/否",
        "请按{kind_zh}填写，如 1200、0.8、2026-06-01 或 是/否",
    ),
    "out_of_range": (
        "enter a value from {min} to {max} {unit}",
        "请填写 {min} 至 {max} {unit} 之间的值",
    ),
    "unknown_code": ("use one of the listed values", "请从可选值中选择"),
    "duplicate_id": ("give each record its own id", "每条记录使用唯一编号"),
    "unknown_ref": ("add that record first, or correct the id", "请先录入被引用的记录，或更正编号"),
    "bad_geometry": ("redraw the outline without self-intersections", "请重新绘制轮廓，避免自相交"),
    "wrong_geometry_type": ("give the outline as a polygon", "请提供面状轮廓"),
    "wrong_crs": (
        "declare the file's coordinate system so it can be converted",
        "请声明文件坐标系以便转换",
    ),
    "not_lonlat": (
        "check the coordinate system and the order of longitude and latitude",
        "请检查坐标系及经纬度顺序",
    ),
    "rooms_exceed_floor": (
        "correct the room areas or the floor's usable area",
        "请核对房间面积或楼层使用面积",
    ),
    "outside_plot": ("correct the footprint or the plot", "请核对建筑轮廓或所在地块"),
    "overlap": ("correct one of the two outlines", "请核对两个轮廓之一"),
    "offered_twice": (
        "offer either the whole or its parts, not both",
        "整体与其部分只能择一作为载体",
    ),
    "date_order": ("correct one of the two dates", "请核对两个日期"),
    "accepted_not_completed": ("fill in the actual completion date", "请填写实际竣工日期"),
    "duplicate_level": ("give each floor of a building its own level", "同一楼栋的楼层不能重复"),
    "duplicate_number": ("give each room on a floor its own number", "同一楼层的房号不能重复"),
    "team_unit_mismatch": (
        "choose a team of the carrier's responsible unit",
        "请选择载体所属责任单位的服务团队",
    ),
    "status_tier": ("use it for plot carriers only", "仅地块载体可用此状态"),
    "range_order": ("swap or correct the two values", "请交换或更正这两个值"),
    "unknown_record": ("add it as a new record instead", "请作为新记录添加"),
    "out_of_scope": (
        "leave it out of your file, or ask that unit's steward",
        "请从文件中删去此记录，或请该单位的数据维护人员修改",
    ),
    "bad_outline": (
        "give WKT such as POLYGON((121.31 31.19, …)) or lon,lat;lon,lat;… as copied from "
        "AutoNavi's tools, or lon/lat columns",
        "请填写 WKT（如 POLYGON((121.31 31.19, …))）或从高德工具复制的“经度,纬度;经度,纬度;…”，"
        "或填写经度、纬度列",
    ),
    "missing_outline": (
        "fill in the outline column, or the longitude and latitude columns",
        "请填写轮廓列，或经度、纬度列",
    ),
    "drawn_footprint": (
        "replace it with the surveyed outline when you have it",
        "取得测绘轮廓后请替换",
    ),
    "datum_offset": (
        "if the coordinates come from AutoNavi/Tencent (GCJ-02) or Baidu (BD-09), declare "
        "that datum and check the file again",
        "如坐标取自高德/腾讯（GCJ-02）或百度（BD-09），请选择对应坐标系后重新检查",
    ),
    "ignored_column": (
        "rename it as in the template if it should be imported",
        "如需导入，请按模板表头命名",
    ),
}

_KIND_ZH = {"str": "文本", "int": "整数", "float": "数值", "bool": "是/否", "date": "日期"}


@dataclass(frozen=True)
class Issue:
    """One problem in one record: which table, record and field, and what is wrong."""

    table: str
    record_id: str | None
    field: str | None
    code: str
    value: Any = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        """The problem in words, in English ("en") or Chinese ("zh")."""
        en, zh = _MESSAGES[self.code]
        text = (zh if lang == "zh" else en).format(value=self.value, **self.params)
        return text

    def hint(self, lang: str = "en") -> str:
        """How to fix the problem, in English ("en") or Chinese ("zh")."""
        en, zh = _HINTS.get(self.code, ("", ""))
        params = {"kind": "", "kind_zh": "", "min": "", "max": "", "unit": "", **self.params}
        return (zh if lang == "zh" else en).format(value=self.value, **params)

    def where(self, lang: str = "en") -> str:
        """Table, record and field, e.g. ``buildings 'B-01' construction_progress``."""
        table = table_named(self.table)
        name = table.label_zh if (table and lang == "zh") else self.table
        parts = [name]
        if self.record_id is not None:
            parts.append(repr(self.record_id))
        if self.field:
            parts.append(self.field)
        return " ".join(parts)

    def __str__(self) -> str:
        return f"{self.where()}: {self.message()}"


class InventoryError(ValueError):
    """Inventory data failed validation; ``issues`` lists every problem found."""

    def __init__(self, issues: Iterable[Issue]):
        self.issues = list(issues)
        head = "; ".join(str(i) for i in self.issues[:5])
        more = f" (and {len(self.issues) - 5} more)" if len(self.issues) > 5 else ""
        super().__init__(f"{len(self.issues)} problem(s) in the inventory: {head}{more}")

    def frame(self, lang: str = "en") -> pd.DataFrame:
        """The issues as a table (table, record, field, value, problem), for display or export."""
        return issues_frame(self.issues, lang=lang)


def issues_frame(issues: Iterable[Issue], *, lang: str = "en") -> pd.DataFrame:
    """A table of issues with one row each, in the given language."""
    rows = [
        {
            "table": i.table,
            "record": i.record_id,
            "field": i.field,
            "value": None if i.value is None else str(i.value),
            "problem": i.message(lang),
        }
        for i in issues
    ]
    return pd.DataFrame(rows, columns=["table", "record", "field", "value", "problem"])


def build_inventory(
    frames: Mapping[str, pd.DataFrame], *, units: Iterable[str], tracks: Iterable[str]
) -> Inventory:
    """Coerce raw frames to the schema and validate them, raising `InventoryError` on problems.

    Parameters
    ----------
    frames
        Table name -> frame, with the id either as a column or as the index. Plots and
        buildings must be GeoDataFrames in EPSG:4326. Missing tables are taken as empty.
    units, tracks
        The responsible-unit and track ids configured in settings.
    """
    inventory, issues = coerce_frames(frames)
    issues += validate(inventory, units=units, tracks=tracks)
    if issues:
        raise InventoryError(issues)
    return inventory


def coerce_frames(frames: Mapping[str, pd.DataFrame]) -> tuple[Inventory, list[Issue]]:
    """Coerce every table to the schema without validating; returns the issues of reading."""
    issues: list[Issue] = []
    typed: dict[str, pd.DataFrame] = {}
    for name, table in TABLES.items():
        typed[name], found = coerce(table, frames.get(name))
        issues += found
    return Inventory.from_frames(typed), issues


def check(inventory: Inventory, *, units: Iterable[str], tracks: Iterable[str]) -> Inventory:
    """Return ``inventory`` unchanged if it is valid, else raise `InventoryError`."""
    issues = validate(inventory, units=units, tracks=tracks)
    if issues:
        raise InventoryError(issues)
    return inventory


def coerce(table: Table, df: pd.DataFrame | None) -> tuple[pd.DataFrame, list[Issue]]:
    """Convert a raw frame to the table's dtypes; values that cannot be read become issues."""
    if df is None:
        return empty(table), []
    issues: list[Issue] = []
    df = df.copy()
    if table.id in df.columns:
        df = df.set_index(table.id)
    df.index = _as_str(pd.Series(df.index)).to_numpy()
    df.index.name = table.id
    out = pd.DataFrame(index=df.index)
    for f in table.fields:
        if f.name == table.id or f.kind == "geometry":
            continue
        if f.name not in df.columns:
            if f.required:
                issues.append(Issue(table.name, None, f.name, "missing_column"))
            out[f.name] = pd.Series(index=df.index, dtype=dtype(f.kind))
            continue
        out[f.name], bad = _convert(df[f.name], f.kind)
        issues += [
            Issue(
                table.name,
                rid,
                f.name,
                "bad_type",
                v,
                {"kind": f.kind, "kind_zh": _KIND_ZH[f.kind]},
            )
            for rid, v in bad.items()
        ]
    for extra in ("version",):  # store bookkeeping travels with the records
        if extra in df.columns:
            out[extra] = df[extra].to_numpy()
    if table.geometry:
        if not isinstance(df, gpd.GeoDataFrame) or df.geometry.name not in df.columns:
            issues.append(Issue(table.name, None, "geometry", "missing_column"))
            geometry = gpd.GeoSeries([None] * len(df), index=df.index, crs=CRS)
        else:
            geometry = df.geometry
        out = gpd.GeoDataFrame(out, geometry=geometry.rename("geometry").values, crs=geometry.crs)
    return out, issues


def validate(inventory: Inventory, *, units: Iterable[str], tracks: Iterable[str]) -> list[Issue]:
    """Every problem in a typed inventory; an empty list means it is valid."""
    vocab: dict[str, set[str]] = {k: set(v) for k, v in VOCABULARIES.items()}
    vocab["units"] = set(units)
    vocab["tracks"] = set(tracks)
    issues: list[Issue] = []
    for name, df in inventory.tables().items():
        issues += _check_fields(TABLES[name], df, vocab)
    # Relations need unique ids: a duplicate is reported above, its first record is used below.
    inventory = Inventory.from_frames(
        {
            name: df[df.index.notna() & ~df.index.duplicated()]
            for name, df in inventory.tables().items()
        }
    )
    for name in ("plots", "buildings"):
        issues += _check_geometry(TABLES[name], getattr(inventory, name))
    issues += _check_references(inventory)
    issues += _check_dates(inventory.buildings)
    issues += _check_floors_and_rooms(inventory)
    geometry_ok = not any(i.code in ("wrong_crs", "not_lonlat", "bad_geometry") for i in issues)
    if geometry_ok:
        issues += _check_overlaps("plots", inventory.plots)
        issues += _check_overlaps("buildings", inventory.buildings)
        issues += _check_inside_plots(inventory)
    issues += _check_offerings(inventory)
    return issues


def _as_str(s: pd.Series) -> pd.Series:
    def norm(v: Any) -> Any:
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
            return np.nan
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        text = str(v).strip()
        return text if text else np.nan

    return s.map(norm).astype("str")


def _convert(s: pd.Series, kind: str) -> tuple[pd.Series, dict[Any, Any]]:
    """Convert to the kind's dtype; returns the series and {record id: raw value} that failed."""
    blank = s.isna() | s.astype("str").str.strip().eq("")
    if kind == "str":
        return _as_str(s), {}
    if kind in ("int", "float"):
        num = pd.to_numeric(s.where(~blank), errors="coerce")
        if kind == "int":
            fractional = num.notna() & (num % 1 != 0)
            num = num.where(~fractional)
            num = num.astype("Int64")
        else:
            num = num.astype("float64")
    elif kind == "bool":
        num = s.map(_to_bool).astype("boolean")
    elif kind == "date":
        num = pd.to_datetime(s.where(~blank), errors="coerce", format="mixed")
        num = num.dt.normalize().astype("datetime64[s]")
    else:  # pragma: no cover - schema kinds are fixed
        raise ValueError(f"unknown field kind {kind!r}")
    failed = num.isna() & ~blank
    return num, dict(s[failed].items())


_TRUE = {"true", "yes", "y", "1", "是", "有", "√", "t"}
_FALSE = {"false", "no", "n", "0", "否", "无", "×", "f"}


def _to_bool(v: Any) -> Any:
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return pd.NA
    if isinstance(v, bool | np.bool_):
        return bool(v)
    text = str(v).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return pd.NA


def check_fields(
    table: Table, df: pd.DataFrame, *, vocabularies: Mapping[str, Iterable[str]]
) -> list[Issue]:
    """Per-field problems of a typed frame: ids missing or repeated, required, ranges, codes.

    Parameters
    ----------
    table
        The schema table ``df`` was coerced to (with `coerce`).
    df
        The typed frame, indexed by the table's id.
    vocabularies
        Allowed codes for the vocabularies that are not in `spaces.schema.VOCABULARIES`,
        e.g. ``{"units": [...], "tracks": [...]}`` from settings.
    """
    vocab: dict[str, set[str]] = {k: set(v) for k, v in VOCABULARIES.items()}
    vocab.update({k: set(v) for k, v in vocabularies.items()})
    return _check_fields(table, df, vocab)


def _check_fields(table: Table, df: pd.DataFrame, vocab: Mapping[str, set[str]]) -> list[Issue]:
    issues: list[Issue] = []
    ids = pd.Series(df.index, index=df.index)
    missing_id = ids.isna()
    issues += [Issue(table.name, None, table.id, "missing") for _ in range(int(missing_id.sum()))]
    counts = ids[~missing_id].value_counts()
    issues += [
        Issue(table.name, rid, table.id, "duplicate_id", rid, {"count": int(n)})
        for rid, n in counts[counts > 1].items()
    ]
    for f in table.fields:
        if f.name == table.id or f.kind == "geometry" or f.name not in df.columns:
            continue
        col = df[f.name]
        if f.required:
            issues += _issues(table, f, col[col.isna()], "missing")
        present = col.dropna()
        if f.min is not None or f.max is not None:
            low = present < f.min if f.min is not None else False
            high = present > f.max if f.max is not None else False
            bad = present[low | high]
            issues += _issues(table, f, bad, "out_of_range", min=f.min, max=f.max, unit=f.unit)
        if f.vocabulary:
            allowed = vocab[f.vocabulary]
            bad = present[~present.isin(allowed)]
            issues += _issues(table, f, bad, "unknown_code", choices=", ".join(sorted(allowed)))
    return issues


def _issues(table: Table, f: Field, bad: pd.Series, code: str, **params: Any) -> list[Issue]:
    def plain(v: Any) -> Any:
        return None if v is pd.NA or v is None else (v.item() if hasattr(v, "item") else v)

    return [Issue(table.name, rid, f.name, code, plain(v), params) for rid, v in bad.items()]


def _check_geometry(table: Table, gdf: gpd.GeoDataFrame) -> list[Issue]:
    issues: list[Issue] = []
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        crs = "none" if gdf.crs is None else gdf.crs.to_string()
        return [Issue(table.name, None, "geometry", "wrong_crs", crs)]
    geoms = gdf.geometry
    missing = geoms.isna() | geoms.is_empty
    issues += [Issue(table.name, rid, "geometry", "missing") for rid in gdf.index[missing]]
    present = geoms[~missing]
    types = present.geom_type
    wrong = types[~types.isin(["Polygon", "MultiPolygon"])]
    issues += [
        Issue(table.name, rid, "geometry", "wrong_geometry_type", t, {"expected": "Polygon"})
        for rid, t in wrong.items()
    ]
    polys = present[types.isin(["Polygon", "MultiPolygon"])]
    invalid = ~polys.is_valid
    for rid, geom in polys[invalid].items():
        reason = shapely.is_valid_reason(geom)
        issues.append(Issue(table.name, rid, "geometry", "bad_geometry", None, {"reason": reason}))
    bounds = polys.bounds
    off = ~(
        bounds.minx.between(*LON_RANGE)
        & bounds.maxx.between(*LON_RANGE)
        & bounds.miny.between(*LAT_RANGE)
        & bounds.maxy.between(*LAT_RANGE)
    )
    for rid, row in bounds[off].iterrows():
        value = f"({row.minx:.6g}, {row.miny:.6g})"
        issues.append(Issue(table.name, rid, "geometry", "not_lonlat", value))
    return issues


def _check_references(inv: Inventory) -> list[Issue]:
    issues: list[Issue] = []
    for name, df in inv.tables().items():
        table = TABLES[name]
        for f in table.fields:
            if not f.ref or f.name not in df.columns:
                continue
            present = df[f.name].dropna()
            bad = present[~present.isin(inv.tables()[f.ref].index)]
            ref = TABLES[f.ref]
            issues += _issues(table, f, bad, "unknown_ref", ref=f.ref, ref_zh=ref.label_zh)
    carriers = inv.carriers
    for tier, target_table in TIER_TABLE.items():
        of_tier = carriers[carriers.tier == tier]
        known = inv.tables()[target_table].index
        bad = of_tier.target_id[of_tier.target_id.notna() & ~of_tier.target_id.isin(known)]
        ref = TABLES[target_table]
        issues += _issues(
            TABLES["carriers"],
            TABLES["carriers"].field("target_id"),
            bad,
            "unknown_ref",
            ref=target_table,
            ref_zh=ref.label_zh,
        )
    return issues


def _check_dates(buildings: pd.DataFrame) -> list[Issue]:
    issues: list[Issue] = []
    pairs = [
        ("planned_acceptance", "planned_completion"),
        ("actual_acceptance", "actual_completion"),
    ]
    table = TABLES["buildings"]
    for later, earlier in pairs:
        bad = buildings[buildings[later] < buildings[earlier]]
        f = table.field(earlier)
        for rid, row in bad.iterrows():
            issues.append(
                Issue(
                    "buildings",
                    rid,
                    later,
                    "date_order",
                    _day(row[later]),
                    {
                        "other_field": earlier,
                        "other_field_zh": f.label_zh,
                        "other": _day(row[earlier]),
                    },
                )
            )
    orphan = buildings.actual_acceptance.notna() & buildings.actual_completion.isna()
    issues += [
        Issue("buildings", rid, "actual_acceptance", "accepted_not_completed")
        for rid in buildings.index[orphan]
    ]
    return issues


def _day(ts: Any) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def _check_floors_and_rooms(inv: Inventory) -> list[Issue]:
    issues: list[Issue] = []
    floors, rooms = inv.floors, inv.rooms
    dup_level = floors.duplicated(["building_id", "level"], keep="first") & floors.level.notna()
    issues += [
        Issue(
            "floors", rid, "level", "duplicate_level", int(row.level), {"building": row.building_id}
        )
        for rid, row in floors[dup_level].iterrows()
    ]
    dup_number = rooms.duplicated(["floor_id", "number"], keep="first") & rooms.number.notna()
    issues += [
        Issue("rooms", rid, "number", "duplicate_number", row.number, {"floor": row.floor_id})
        for rid, row in rooms[dup_number].iterrows()
    ]
    room_total = rooms.groupby("floor_id").usable_area_m2.sum()
    joined = floors[["usable_area_m2"]].join(room_total.rename("rooms"), how="inner")
    over = joined[joined.rooms > joined.usable_area_m2 + 1e-6]
    issues += [
        Issue(
            "floors",
            rid,
            "usable_area_m2",
            "rooms_exceed_floor",
            None,
            {"rooms": row.rooms, "floor": row.usable_area_m2},
        )
        for rid, row in over.iterrows()
    ]
    return issues


def _check_overlaps(name: str, gdf: gpd.GeoDataFrame) -> list[Issue]:
    geoms = gdf.geometry[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    if len(geoms) < 2:
        return []
    projected = geoms.to_crs(PROJECTED)
    left, right = projected.sindex.query(projected.values, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if not len(left):
        return []
    areas = shapely.area(shapely.intersection(projected.values[left], projected.values[right]))
    hits = areas > AREA_TOLERANCE_M2
    ids = geoms.index.to_numpy()
    return [
        Issue(name, ids[i], "geometry", "overlap", float(a), {"other": ids[j]})
        for i, j, a in zip(left[hits], right[hits], areas[hits], strict=True)
    ]


def _check_inside_plots(inv: Inventory) -> list[Issue]:
    b = inv.buildings
    b = b[b.plot_id.notna() & b.plot_id.isin(inv.plots.index) & b.geometry.notna()]
    if b.empty:
        return []
    footprint = b.geometry.to_crs(PROJECTED)
    plot = inv.plots.geometry.to_crs(PROJECTED).loc[b.plot_id.to_numpy()]
    outside = shapely.area(shapely.difference(footprint.values, plot.values))
    bad = outside > AREA_TOLERANCE_M2
    return [
        Issue("buildings", rid, "geometry", "outside_plot", float(a), {"plot": pid})
        for rid, pid, a in zip(b.index[bad], b.plot_id[bad], outside[bad], strict=True)
    ]


def _check_offerings(inv: Inventory) -> list[Issue]:
    """No area offered twice: one carrier per object, and never a part of an offered whole."""
    issues: list[Issue] = []
    c = inv.carriers.dropna(subset=["tier", "target_id"])
    dup = c.duplicated(["tier", "target_id"], keep="first")
    first = c[~dup].reset_index().set_index(["tier", "target_id"]).carrier_id
    for rid, row in c[dup].iterrows():
        other = first.get((row.tier, row.target_id))
        issues.append(_offered_twice(rid, row.tier, row.target_id, row.tier, row.target_id, other))
    # Every offered object, with the chain of its parents: room -> floor -> building -> plot.
    room_floor = inv.rooms.floor_id
    floor_building = inv.floors.building_id
    building_plot = inv.buildings.plot_id
    ancestors = {
        "room": [("floor", room_floor), ("building", floor_building), ("plot", building_plot)],
        "floor": [("building", floor_building), ("plot", building_plot)],
        "building": [("plot", building_plot)],
        "plot": [],
    }
    offered = {
        tier: first.xs(tier, level="tier")
        if tier in first.index.get_level_values(0)
        else pd.Series(dtype="str")
        for tier in TIER_TABLE
    }
    for tier, chain in ancestors.items():
        ids = offered[tier].index.to_series()
        parent = ids
        for parent_tier, mapping in chain:
            parent = parent.map(mapping)
            hit = parent.isin(offered[parent_tier].index)
            for target, parent_id in parent[hit].items():
                issues.append(
                    _offered_twice(
                        offered[tier][target],
                        tier,
                        target,
                        parent_tier,
                        parent_id,
                        offered[parent_tier][parent_id],
                    )
                )
    not_plot = c[(c.status == "reserve_land") & (c.tier != "plot")]
    issues += [
        Issue("carriers", rid, "status", "status_tier", "reserve_land") for rid in not_plot.index
    ]
    issues += _check_team_units(inv)
    return issues


def _offered_twice(
    rid: str, tier: str, target: str, other_tier: str, other_target: str, other: str
) -> Issue:
    return Issue(
        "carriers",
        rid,
        "target_id",
        "offered_twice",
        f"{tier} {target}",
        {
            "other_tier": other_tier,
            "other_tier_zh": TIERS[other_tier][0],
            "other_target": other_target,
            "other": other,
        },
    )


def _check_team_units(inv: Inventory) -> list[Issue]:
    c = inv.carriers[inv.carriers.service_team_id.notna()]
    if c.empty:
        return []
    unit = carrier_units(inv).reindex(c.index)
    team_unit = c.service_team_id.map(inv.service_teams.responsible_unit)
    bad = unit.notna() & team_unit.notna() & (unit != team_unit)
    return [
        Issue(
            "carriers",
            rid,
            "service_team_id",
            "team_unit_mismatch",
            c.service_team_id[rid],
            {"team_unit": team_unit[rid], "unit": unit[rid]},
        )
        for rid in c.index[bad]
    ]
