"""The inventory in words: tables and fields, problems found in the data, conflicts (zh/en).

`spaces.schema` declares each table's and field's Chinese and English labels; these
functions choose them. `spaces.validation` reports each problem as an `Issue`: a code with
the value and the parameters that say what is wrong (a field's kind, the allowed range, the
other record ...), and `spaces.changes` a record changed by someone else as a `Conflict`;
these functions phrase them in the language asked for. The catalogs are keyed by issue code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from spaces.changes import Conflict, ConflictError
from spaces.demands import DemandError
from spaces.entities import Unit
from spaces.schema import table_named
from spaces.validation import InventoryError, Issue
from words import pick, t, vocab
from words.access import unit_label

MESSAGES: dict[str, tuple[str, str]] = {
    "missing_column": ("表中缺少此列", "column is missing from the table"),
    "missing": ("必填项为空", "a value is required"),
    "bad_type": ("{value!r} 不是有效的{kind_zh}", "{value!r} is not a valid {kind}"),
    "cell_error": (
        "单元格是表格错误值 {value}（公式计算出错）",
        "the cell holds the spreadsheet error {value}: its formula failed",
    ),
    "out_of_range": (
        "{value} 超出允许范围 {min}–{max} {unit}",
        "{value} is outside the allowed range {min}–{max} {unit}",
    ),
    "unknown_code": ("{value!r} 不在可选值中：{choices}", "{value!r} is not one of: {choices}"),
    "duplicate_id": ("编号 {value!r} 重复出现 {count} 次", "id {value!r} occurs {count} times"),
    "unknown_ref": ("{value!r} 不是已有的{ref_zh}编号", "{value!r} is not a known {ref} id"),
    "bad_geometry": ("几何图形无效：{reason}", "geometry is invalid: {reason}"),
    "wrong_geometry_type": (
        "几何类型为 {value}，应为 {expected}",
        "geometry is a {value}, expected {expected}",
    ),
    "wrong_crs": (
        "图层坐标系为 {value}，应为 EPSG:4326（WGS84），请先转换",
        "layer CRS is {value}, expected EPSG:4326 (WGS84); convert it first",
    ),
    "not_lonlat": (
        "坐标 {value} 不是上海范围内的经纬度（是否为投影坐标或经纬度颠倒？）",
        "coordinates {value} are not longitude/latitude in Shanghai "
        "(projected metres, or latitude and longitude swapped?)",
    ),
    "rooms_exceed_floor": (
        "本层房间面积合计 {rooms:.0f} m²，超过楼层使用面积 {floor:.0f} m²",
        "rooms on this floor add up to {rooms:.0f} m², more than the floor's {floor:.0f} m²",
    ),
    "outside_plot": (
        "建筑轮廓有 {value:.0f} m² 超出所在地块 {plot}",
        "footprint lies {value:.0f} m² outside its plot {plot}",
    ),
    "overlap": ("与 {other} 重叠 {value:.0f} m²", "overlaps {other} by {value:.0f} m²"),
    "offered_twice": (
        "{value} 已作为{other_tier_zh} {other_target} 的一部分由载体 {other} 提供，不能重复提供",
        "{value} is already offered as part of {other_tier} {other_target} by carrier {other}",
    ),
    "date_order": (
        "{value} 早于{other_field_zh} {other}",
        "{value} is before {other_field} {other}",
    ),
    "accepted_not_completed": (
        "已填写竣工验收日期，但未填写实际竣工日期",
        "acceptance is recorded but completion is not",
    ),
    "duplicate_level": (
        "楼栋 {building} 中楼层 {value} 重复",
        "level {value} occurs more than once in building {building}",
    ),
    "duplicate_number": (
        "楼层 {floor} 中房号 {value!r} 重复",
        "room number {value!r} occurs more than once on floor {floor}",
    ),
    "skipped_total": ("合计/小计行，不是记录", "a totals row, not a record"),
    "skipped_note": ("表格下方的说明文字，不是记录", "a note under the table, not a record"),
    "skipped_blank": ("空行", "a blank row"),
    "below_min": ("{value:g} 小于最小值 {min:g} {unit}", "{value:g} is less than {min:g} {unit}"),
    "team_unit_mismatch": (
        "企业服务团队 {value} 属于{team_unit}，而载体属于{unit}",
        "service team {value} belongs to {team_unit}, the carrier to {unit}",
    ),
    "status_tier": ("状态 {value!r} 仅适用于地块", "status {value!r} is only for plots"),
    "range_order": (
        "{value} 大于{other_field_zh} {other}",
        "{value} is more than {other_field} {other}",
    ),
    "unknown_record": ("库中没有编号为 {value!r} 的记录", "no stored record has the id {value!r}"),
    # imports and edits
    "out_of_scope": (
        "此记录属于{owner}；{unit}的数据维护人员只能修改本单位的记录",
        "this record belongs to {owner}; a steward of {unit} changes only that unit's records",
    ),
    "bad_outline": ("{value!r} 不是有效的轮廓：{reason}", "{value!r} is not an outline: {reason}"),
    "missing_outline": ("新记录需要轮廓或点位坐标", "a new record needs an outline or a point"),
    "too_many_vertices": (
        "轮廓有 {count:,} 个顶点，超过上限 {max:,}",
        "the outline has {count:,} vertices, more than the limit of {max:,}",
    ),
    "drawn_footprint": (
        "未提供轮廓：按点位绘制 {area:.0f} m² 的示意方形，标记为示意位置",
        "no outline given: drawn as a {area:.0f} m² square around the point, marked approximate",
    ),
    "datum_offset": (
        "距{reference} {distance:.0f} 米；若按 {better} 解读则相距 {better_distance:.0f} 米",
        "lies {distance:.0f} m from {reference}; read as {better} it would lie "
        "{better_distance:.0f} m from it",
    ),
    "unmapped_column": (
        "列 {value!r} 有数据，但未对应任何字段，也未标为不导入",
        "column {value!r} holds data but is neither mapped to a field nor marked not imported",
    ),
    "flat_conflict": (
        "同一对象在第 {first_row} 行为 {first!r}，此行为 {value!r}，两者不一致",
        "the same record reads {first!r} in row {first_row} and {value!r} here",
    ),
    "flat_ambiguous": (
        "库中有多个名为 {value!r} 的楼栋（{ids}），无法确定是哪一栋",
        "several stored buildings are called {value!r} ({ids}): which one is meant is unclear",
    ),
    "bad_floor_label": ("无法识别楼层 {value!r}", "floor {value!r} cannot be read"),
    "floor_range_split": (
        "楼层 {value!r} 按每层一条记录导入（共 {n} 层），面积按层平均分配",
        "floor {value!r} is imported as one record per level ({n} levels), the area divided "
        "equally",
    ),
    "flat_room_floor": (
        "房间 {value!r} 需要一个单独楼层（此行楼层为空、无法识别或为楼层范围）",
        "room {value!r} needs a single floor (this row's floor is blank, unreadable or a range)",
    ),
    "flat_with_tables": (
        "平铺表只能单独导入：{value}",
        "a flat sheet is imported on its own: {value}",
    ),
}
"""An issue's message by its code: (Chinese, English), formatted with its value and params."""

HINTS: dict[str, tuple[str, str]] = {
    "missing_column": ("按模板补充此列", "add the column (see the template's headers)"),
    "missing": ("请填写此项", "fill in the cell"),
    "cell_error": (
        "请直接填写数值，或修正公式后重新保存文件",
        "type the value itself, or fix the formula, and save the file again",
    ),
    "bad_type": (
        "请按{kind_zh}填写，如 1200、0.8、2026-06-01 或 是/否",
        "write it as a {kind}, e.g. 1200, 0.8, 2026-06-01 or 是/否",
    ),
    "below_min": ("请填写不小于 {min:g} {unit} 的值", "enter at least {min:g} {unit}"),
    "out_of_range": (
        "请填写 {min} 至 {max} {unit} 之间的值",
        "enter a value from {min} to {max} {unit}",
    ),
    "unknown_code": ("请从可选值中选择", "use one of the listed values"),
    "duplicate_id": ("每条记录使用唯一编号", "give each record its own id"),
    "unknown_ref": ("请先录入被引用的记录，或更正编号", "add that record first, or correct the id"),
    "bad_geometry": ("请重新绘制轮廓，避免自相交", "redraw the outline without self-intersections"),
    "wrong_geometry_type": ("请提供面状轮廓", "give the outline as a polygon"),
    "wrong_crs": (
        "请声明文件坐标系以便转换",
        "declare the file's coordinate system so it can be converted",
    ),
    "not_lonlat": (
        "请检查坐标系及经纬度顺序",
        "check the coordinate system and the order of longitude and latitude",
    ),
    "rooms_exceed_floor": (
        "请核对房间面积或楼层使用面积",
        "correct the room areas or the floor's usable area",
    ),
    "outside_plot": ("请核对建筑轮廓或所在地块", "correct the footprint or the plot"),
    "overlap": ("请核对两个轮廓之一", "correct one of the two outlines"),
    "offered_twice": (
        "整体与其部分只能择一作为载体",
        "offer either the whole or its parts, not both",
    ),
    "date_order": ("请核对两个日期", "correct one of the two dates"),
    "accepted_not_completed": ("请填写实际竣工日期", "fill in the actual completion date"),
    "duplicate_level": ("同一楼栋的楼层不能重复", "give each floor of a building its own level"),
    "duplicate_number": ("同一楼层的房号不能重复", "give each room on a floor its own number"),
    "team_unit_mismatch": (
        "请选择载体所属责任单位的服务团队",
        "choose a team of the carrier's responsible unit",
    ),
    "status_tier": ("仅地块载体可用此状态", "use it for plot carriers only"),
    "range_order": ("请交换或更正这两个值", "swap or correct the two values"),
    "unknown_record": ("请作为新记录添加", "add it as a new record instead"),
    "out_of_scope": (
        "请从文件中删去此记录，或请该单位的数据维护人员修改",
        "leave it out of your file, or ask that unit's steward",
    ),
    "bad_outline": (
        "请填写 WKT（如 POLYGON((121.31 31.19, …))）或从高德工具复制的“经度,纬度;经度,纬度;…”，"
        "或填写经度、纬度列",
        "give WKT such as POLYGON((121.31 31.19, …)) or lon,lat;lon,lat;… as copied from "
        "AutoNavi's tools, or lon/lat columns",
    ),
    "missing_outline": (
        "请填写轮廓列，或经度、纬度列",
        "fill in the outline column, or the longitude and latitude columns",
    ),
    "too_many_vertices": (
        "请在 GIS 软件中简化轮廓（如 QGIS 的“简化”，容差 0.5 米）后再导入",
        "simplify the outline in a GIS (e.g. QGIS Simplify, 0.5 m tolerance) and import again",
    ),
    "drawn_footprint": (
        "取得测绘轮廓后请替换",
        "replace it with the surveyed outline when you have it",
    ),
    "datum_offset": (
        "如坐标取自高德/腾讯（GCJ-02）或百度（BD-09），请选择对应坐标系后重新检查",
        "if the coordinates come from AutoNavi/Tencent (GCJ-02) or Baidu (BD-09), declare "
        "that datum and check the file again",
    ),
    "unmapped_column": (
        "请在字段对应中为此列选择字段，或选择“不导入”",
        "map the column to a field, or mark it not imported, in the column mapping",
    ),
    "flat_conflict": (
        "同一楼栋（楼层、载体）各行的值应一致，请修改其中一行",
        "rows of one building (floor, carrier) must agree: correct one of them",
    ),
    "flat_ambiguous": (
        "请填写地址以区分，或改用模板按编号导入",
        "give the address to tell them apart, or import with ids using the template",
    ),
    "bad_floor_label": ("可用写法：{forms}", "accepted forms: {forms}"),
    "floor_range_split": (
        "如各层面积不同，请每层填写一行",
        "write one row per floor if the floors' areas differ",
    ),
    "flat_room_floor": ("请为此行填写单个楼层，如 5 或 5F", "give one floor, e.g. 5 or 5F"),
    "flat_with_tables": (
        "每个文件放一张平铺表，或改用模板的分表格式",
        "put one flat sheet per file, or use the template's sheets",
    ),
}
"""How to fix an issue, by its code: (Chinese, English), shown next to the message."""

KINDS: dict[str, tuple[str, str]] = {
    "str": ("文本", "text"),
    "int": ("整数", "integer"),
    "float": ("数值", "number"),
    "bool": ("是/否", "yes/no"),
    "date": ("日期", "date"),
}
"""A field's kind in words."""

EXPECTED_ZH: dict[str, str] = {
    "float_no_percent": "数值（不带%）",
    "date_written": "日期（如 2026-06-01 或 2026年6月）",
}
"""What a cell should hold where the reader says more than the field's kind (the
``expected_kind`` of a ``bad_type`` issue, `spaces.tabular.clean_value`), for the Chinese
messages; the English ones name the field's kind."""

TEXT: dict[str, tuple[str, str]] = {
    "problem_at": ("{where}：{problem}", "{where}: {problem}"),
    "problems_more": ("（另有 {n} 处）", " (and {n} more)"),
    "problems_inventory": (
        "载体数据有 {n} 处问题：{problems}{more}",
        "{n} problem(s) in the inventory: {problems}{more}",
    ),
    "problems_demands": (
        "需求清单有 {n} 处问题：{problems}{more}",
        "{n} problem(s) in the demand list: {problems}{more}",
    ),
    "sep_semicolon": ("；", "; "),
    "table_flat": ("平铺表", "flat sheet"),
    "field_geometry": ("轮廓", "Outline"),
    "sep_list": ("、", ", "),
    "conflict_deleted": ("{record} 已被 {who} 删除", "{record} was deleted by {who}"),
    "conflict_created": ("{record} 已由 {who} 新建", "{record} was created meanwhile by {who}"),
    "conflict_changed": (
        "{record} 在您编辑期间已被 {who} 修改（版本 {versions}；字段：{fields}）",
        "{record} was changed by {who} while you edited it (version {versions}; fields: {fields})",
    ),
    "conflict_no_fields": ("—", "-"),
    "conflicts": (
        "{n} 条记录在您读取后已被他人修改，未保存任何内容：{conflicts}。请重新加载后再修改。",
        "{n} record(s) changed since you read them, nothing was saved: {conflicts}. Reload "
        "them and apply your changes again.",
    ),
}

_SHOWN = 5  # problems named in an error's text; the rest are counted
_SHOWN_CONFLICTS = 3


def table_label(table: str, lang: str) -> str:
    """A table's label in ``lang`` (楼栋, Buildings); its name if the schema has no such table."""
    spec = table_named(table)
    return table if spec is None else pick((spec.label_zh, spec.label_en), lang)


def table_term(table: str, lang: str) -> str:
    """A table as reports name it: its Chinese label in Chinese, its name in English."""
    if table == "flat":
        return t("table_flat", lang)
    spec = table_named(table)
    return pick((spec.label_zh if spec is not None else table, table), lang)


def field_label(table: str, name: str, lang: str) -> str:
    """A field's label in ``lang``; the outline for ``geometry``; else the field's name."""
    if name == "geometry":
        return t("field_geometry", lang)
    spec = table_named(table)
    try:
        f = spec.field(name) if spec is not None else None
    except KeyError:
        f = None
    return name if f is None else pick((f.label_zh, f.label_en), lang)


def vocabulary_labels(
    vocabs: Mapping[str, Mapping[str, tuple[str, str]]], lang: str
) -> dict[str, dict[str, str]]:
    """Vocabulary name -> code -> label in ``lang``, e.g. of `spaces.sheets.vocabularies`."""
    return {
        name: {code: pick(pair, lang) for code, pair in v.items()} for name, v in vocabs.items()
    }


def field_list(table: str, names: Iterable[str], lang: str) -> str:
    """Fields as reports list them: 使用面积、实验排风 in Chinese, their names in English."""
    terms = [pick((field_label(table, n, "zh"), n), lang) for n in names if n]
    return t("sep_list", lang).join(terms)


def issue_message(issue: Issue, lang: str, *, units: Iterable[Unit] = ()) -> str:
    """What is wrong, in ``lang`` ("zh" or "en"); responsible units named as ``units`` (the
    configured ones) call them."""
    params = _params(issue)
    if issue.code == "out_of_scope":  # whose record, and whose steward: by their names
        params |= {k: unit_label(params.get(k), lang, units) for k in ("owner", "unit")}
    if issue.code == "team_unit_mismatch":  # the team's unit and the carrier's, by name
        params |= {k: unit_label(params.get(k), lang, units) for k in ("team_unit", "unit")}
    return pick(MESSAGES[issue.code], lang).format(value=issue.value, **params)


def issue_hint(issue: Issue, lang: str) -> str:
    """How to fix it, in ``lang``; "" for a problem without a hint."""
    blank = {"kind": "", "kind_zh": "", "min": "", "max": "", "unit": ""}
    hint = pick(HINTS.get(issue.code, ("", "")), lang)
    return hint.format(value=issue.value, **{**blank, **_params(issue)})


def issue_where(issue: Issue, lang: str) -> str:
    """Table, record and field, e.g. ``buildings 'B-01' construction_progress`` (楼栋 in zh)."""
    parts = [table_term(issue.table, lang)]
    if issue.record_id is not None:
        parts.append(repr(issue.record_id))
    if issue.field:
        parts.append(issue.field)
    return " ".join(parts)


def issues_frame(issues: Iterable[Issue], lang: str) -> pd.DataFrame:
    """A table of issues with one row each (table, record, field, value, problem)."""
    rows = [
        {
            "table": i.table,
            "record": i.record_id,
            "field": i.field,
            "value": None if i.value is None else str(i.value),
            "problem": issue_message(i, lang),
        }
        for i in issues
    ]
    return pd.DataFrame(rows, columns=["table", "record", "field", "value", "problem"])


def conflict_message(conflict: Conflict, lang: str) -> str:
    """The conflict in words: which record, who changed it, which fields."""
    c = conflict
    who = ", ".join(f"{actor} ({when})" for actor, when in c.by) or "?"
    record = f"{table_term(c.table, lang)} {c.record_id}"
    if c.current_version is None:
        return t("conflict_deleted", lang).format(record=record, who=who)
    if c.expected_version is None:
        return t("conflict_created", lang).format(record=record, who=who)
    return t("conflict_changed", lang).format(
        record=record,
        who=who,
        versions=f"{c.expected_version} → {c.current_version}",
        fields=field_list(c.table, c.changes, lang) or t("conflict_no_fields", lang),
    )


def error_text(error: InventoryError | ConflictError, lang: str) -> str:
    """An error of the data in one line: the problems (or conflicts), the first ones named."""
    if isinstance(error, ConflictError):
        named = [conflict_message(c, lang) for c in error.conflicts[:_SHOWN_CONFLICTS]]
        return t("conflicts", lang).format(
            n=len(error.conflicts), conflicts=t("sep_semicolon", lang).join(named)
        )
    issues = error.issues
    named = [
        t("problem_at", lang).format(where=issue_where(i, lang), problem=issue_message(i, lang))
        for i in issues[:_SHOWN]
    ]
    more = t("problems_more", lang).format(n=len(issues) - _SHOWN) if len(issues) > _SHOWN else ""
    key = "problems_demands" if isinstance(error, DemandError) else "problems_inventory"
    return t(key, lang).format(
        n=len(issues), problems=t("sep_semicolon", lang).join(named), more=more
    )


def _params(issue: Issue) -> dict[str, Any]:
    """The issue's parameters with the Chinese words its Chinese messages use."""
    params: dict[str, Any] = dict(issue.params)
    if "kind" in params:
        kind_zh = KINDS.get(params["kind"], ("", ""))[0]
        params["kind_zh"] = EXPECTED_ZH.get(params.get("expected_kind", ""), kind_zh)
    if "ref" in params:
        params["ref_zh"] = table_term(params["ref"], "zh")
    if "other_field" in params:
        params["other_field_zh"] = field_label(issue.table, params["other_field"], "zh")
    if "other_tier" in params:
        params["other_tier_zh"] = vocab("tier", params["other_tier"], "zh")
    return params
