"""Imports in words: the template and the Excel export, the report of a file's problems,
each on its row and column, and the preview of what the import changes (zh/en).

`spaces.io` writes the template and the export with the words of `sheet_words`: the
headers, notes and instructions in one language. `spaces.imports.plan_import` and
`spaces.demands.read_demands` give the problems as issues with what was read, and the plan
its differences; these functions lay them out as the tables the pages, the command line and
the downloaded reports show.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from geodata.crs import DATUMS
from spaces.entities import Unit
from spaces.imports import ImportPlan
from spaces.limits import LIMITS, LimitError
from spaces.schema import TABLES, Field
from spaces.sheets import DEFAULTED, SheetWords, Vocabularies, sheet_fields
from spaces.tabular import ReadResult, locate
from spaces.validation import Issue
from words import pick, t
from words.inventory import (
    KINDS,
    field_label,
    field_list,
    issue_hint,
    issue_message,
    table_term,
    vocabulary_labels,
)

TEXT: dict[str, tuple[str, str]] = {
    "report_level": ("级别", "level"),
    "level_error": ("错误", "error"),
    "level_warning": ("提示", "warning"),
    "level_skipped": ("已跳过", "skipped"),
    "report_table": ("表", "table"),
    "report_row": ("行", "row"),
    "report_column": ("列", "column"),
    "report_value": ("值", "value"),
    "report_problem": ("问题", "problem"),
    "report_fix": ("修改建议", "how to fix"),
    "report_record": ("记录编号", "record"),
    "changes_unchanged": ("不变", "unchanged"),
    "changes_action": ("操作", "action"),
    "changes_fields": ("修改的字段", "fields"),
    "file_recognised": ("已识别的列：{columns}", "Columns recognised: {columns}"),
    "file_unrecognised": ("未识别的列：{columns}", "Columns not recognised: {columns}"),
    "file_nothing_recognised": ("没有识别出任何列", "No column was recognised"),
    "file_closest": (
        "最接近的是“{sheet}”，按{table}表读取",
        "closest: '{sheet}', read as {table}",
    ),
    "file_use_template": (
        "请按导入模板的表头整理文件后再导入：",
        "Give the file the import template's headers and import it again:",
    ),
    "template_file": ("载体数据导入模板.xlsx", "carrier-import-template.xlsx"),
    "template_readme": ("说明", "README"),
    "template_heading": ("研发载体数据导入模板", "R&D carrier import template"),
    "template_title": (
        "{table}：第4行为表头，带*为必填；第2行为填写说明，第3行为示例（不导入）；从第5行起填写",
        "{table}: row 4 is the header (* = required); row 2 explains each column, row 3 is an "
        "example (not imported); fill from row 5",
    ),
    "template_choose_listed": (
        "请选择列表中的值 / choose a listed value",
        "请选择列表中的值 / choose a listed value",
    ),
    "template_how_topic": ("填写方法", "How to fill"),
    "template_how": (
        "每张表一个工作表。第4行为表头（带*为必填），第2行说明每列的填写要求，第3行为"
        "示例（不导入）；从第5行起填写。未填写的工作表和记录保持库中原样：导入按编号新增或修改"
        "记录，不删除记录。",
        "One sheet per table. Row 4 is the header (* = required); row 2 "
        "says what each column takes and row 3 is an example that is not imported. Fill "
        "from row 5. Sheets and rows you leave out keep what is stored: an import adds "
        "new ids and changes existing ones, it deletes nothing.",
    ),
    "template_values_topic": ("数值写法", "Values"),
    "template_values": (
        "可填写“1,200㎡”、全角数字、“2026-06-01”“2026/6/1”“2026年6月”（按当月1日）"
        "等日期、“0.8”或“80%”的进度、“是/否”，以及可选值的中文名称。",
        "Areas such as 1,200㎡, full-width digits, dates such as 2026-06-01, "
        "2026/6/1 or 2026年6月 (the 1st), progress as 0.8 or 80%, 是/否 for yes/no, and "
        "the Chinese labels of coded values are all understood.",
    ),
    "template_outlines_topic": ("轮廓", "Outlines"),
    "template_outlines": (
        "地块和楼栋在“轮廓”列填写 WKT，或“经度,纬度;经度,纬度;…”（高德、百度坐标拾取工具"
        "复制的格式）；也可只填“经度”“纬度”和“示意面积”，系统按面积绘制示意方形并标记为示意位置。",
        "Plots and buildings give their outline in 轮廓 as WKT or as "
        "lon,lat;lon,lat;… (what AutoNavi's and Baidu's coordinate tools copy), or a "
        "point in 经度/纬度 with 示意面积: a square of that area is drawn and marked "
        "approximate.",
    ),
    "template_datums_topic": ("坐标系", "Coordinates"),
    "template_datums": (
        "导入时请选择文件的坐标系：{datums}。"
        "从高德、腾讯地图复制的坐标为 GCJ-02，从百度地图复制的为 BD-09。",
        "Choose the file's coordinate system when importing: {datums}. Coordinates copied "
        "from AutoNavi or Tencent are GCJ-02, from Baidu BD-09.",
    ),
    "map_title": ("字段对应", "Column mapping"),
    "map_help": (
        "请核对文件每一列对应的字段；没有对应字段的列请选“不导入”。有数据却既未对应、也未标为"
        "不导入的列会阻止导入。",
        "Check the field each column of the file feeds; choose “not imported” for a column "
        "without one. A column holding data that is neither mapped nor marked not imported "
        "blocks the import.",
    ),
    "map_profile_used": (
        "已套用本单位保存的对应方案“{name}”（表头相同）",
        "Your unit's saved mapping “{name}” is applied (same headers)",
    ),
    "map_sheet": (
        "工作表 {sheet}：{table}，表头在第 {row} 行",
        "Sheet {sheet}: {table}, header in row {row}",
    ),
    "map_flat": ("平铺表（每行一层或一间房）", "flat sheet (one row per floor or room)"),
    "map_header": ("文件表头", "file header"),
    "map_samples": ("示例值", "sample values"),
    "map_target": ("对应字段", "field"),
    "map_confidence": ("把握", "confidence"),
    "map_not_imported": ("不导入", "not imported"),
    "map_values": ("取值对应", "Value mapping"),
    "map_value_word": ("{vocab}：{word}（{n} 行）", "{vocab}: {word} ({n} rows)"),
    "map_value_none": ("（按原文校验）", "(checked as written)"),
    "map_confirm": ("确认字段对应", "Confirm mapping"),
    "map_unconfirmed": (
        "请核对上方字段对应后点击“确认字段对应”，再查看检查结果。",
        "Check the mapping above and press “Confirm mapping” to see the check.",
    ),
    "map_save": ("导入后保存为本单位的对应方案", "Save as my unit's mapping after the import"),
    "map_save_name": ("方案名称", "Mapping name"),
    "map_save_unit": ("所属单位", "Unit"),
    "map_saved": ("，已保存对应方案“{name}”", "; mapping “{name}” saved"),
    "map_not_saved": ("对应方案未保存：{reason}", "The mapping was not saved: {reason}"),
    "note_required": ("必填", "required"),
    "note_share": ("0–1 或 百分比，如 80%", "0–1 or a percentage, e.g. 80%"),
    "note_one_of": ("可选：{labels}", "one of: {labels}"),
    "note_ref": ("填写{table}表中的编号", "an id of the {table} sheet"),
    "note_outline": (
        "WKT 或 经度,纬度;经度,纬度;…（高德/百度取点工具格式）",
        "WKT, or lon,lat;lon,lat;… as AutoNavi's/Baidu's tools copy it",
    ),
    "note_point": ("无轮廓时填写点位（投影坐标系填米）", "a point when there is no outline"),
    "note_footprint": ("按点位绘制示意方形的面积", "area of the square drawn at the point"),
    "note_source": ("新记录留空则记为“导入 文件名”", "blank: 'import <file name>'"),
    "note_approximate": (
        "留空：有轮廓为“否”，按点位绘制为“是”",
        "blank: no with an outline, yes when drawn from a point",
    ),
}

FILE_ERRORS: dict[str, tuple[str, str]] = {
    "unreadable": ("无法读取此文件", "the file cannot be read"),
    "unsupported_type": (
        "不支持的文件类型“{suffix}”，请使用 {known}",
        "unsupported file type '{suffix}': use {known}",
    ),
    "unknown_table": ("没有名为 {table} 的表，可选：{tables}", "no table {table}: use {tables}"),
    "no_table": (
        "没有找到载体数据表：没有工作表或图层的表头与模板相符（每张表至少需要编号列）",
        "no inventory table found: no sheet or layer has the template's headers (each "
        "table needs at least its id column)",
    ),
    "two_sources": (
        "“{first}”和“{second}”都是{table_zh}表，每张表请只放在一个工作表或图层中",
        "both '{first}' and '{second}' hold {table}: put each table in one sheet or layer",
    ),
    "not_gis": (
        "不是可读取的 GIS 文件（GeoJSON、GeoPackage、KML 或 zip）",
        "not a readable GIS file (GeoJSON, GeoPackage, KML or zip)",
    ),
    "kml_entities": (
        "KML 中含有实体声明（<!ENTITY），不予读取",
        "a KML with <!ENTITY declarations is not read",
    ),
    "not_text": (
        "不是 UTF-8 或 GBK 编码的文本，请另存为“CSV UTF-8”或 .xlsx",
        "not UTF-8 or GBK text: save it as CSV UTF-8 or .xlsx",
    ),
    "damaged": ("文件已损坏", "the file is damaged"),
    "bad_zip": ("不是可读取的 zip 压缩包", "not a readable zip archive"),
    "unzips_too_large": ("解压后超过 {limit_mb} MB", "it unzips to more than {limit_mb} MB"),
    "cannot_unzip": ("压缩包中的“{member}”无法解压", "'{member}' in the zip cannot be unzipped"),
    "zip_empty": (
        "压缩包中没有 Shapefile（.shp 及 .dbf/.shx）、GeoJSON、GeoPackage 或 KML",
        "the zip holds no Shapefile (.shp with .dbf/.shx), GeoJSON, GeoPackage or KML",
    ),
    "not_bytes": ("没有收到文件内容", "the file's content did not arrive"),
    "too_large": ("文件超过 {limit_mb} MB", "the file is larger than {limit_mb} MB"),
    "empty": ("文件是空的", "the file is empty"),
    "no_header": (
        "前 {rows} 行中没有{table_zh}表的表头，需要“{expected_zh}”等列",
        "no header row of {table} in the first {rows} rows: expected columns such as {expected}",
    ),
    "cannot_open": ("无法打开文件", "the file cannot be opened"),
    "not_xlsx": ("不是可读取的 .xlsx 工作簿", "not a readable .xlsx workbook"),
    "no_sheet": (
        "没有名为“{sheet}”的工作表，现有工作表：{sheets}",
        "there is no sheet '{sheet}'; its sheets are {sheets}",
    ),
    "not_csv": ("不是可读取的 CSV 文件", "not a readable CSV file"),
    "datum_needed": (
        "文件没有说明坐标所用的坐标系，请选择：GPS、天地图为 WGS84 或 CGCS2000，高德、腾讯地图为 "
        "GCJ-02，百度地图为 BD-09，测绘米制坐标为 EPSG:4549 或 SH2000",
        "the file does not say which coordinate system its coordinates are in: choose it "
        "(WGS84 or CGCS2000 for GPS and Tianditu, GCJ-02 for AutoNavi/Tencent, BD-09 for "
        "Baidu, EPSG:4549 or SH2000 for surveyed metres)",
    ),
}
"""File-level refusals by code (`spaces.tabular.UnreadableFileError`,
`geodata.offsets.DatumError`), worded by `file_error_text`."""

LOOKS: dict[str, tuple[str, str]] = {
    "lonlat": (
        "坐标看起来是上海附近的经纬度（WGS84、CGCS2000、GCJ-02 还是 BD-09？）",
        "they look like longitude/latitude around Shanghai (WGS84, CGCS2000, GCJ-02 or BD-09?)",
    ),
    "epsg4549": (
        "坐标看起来是 EPSG:4549（CGCS2000 高斯-克吕格 120°E）的米制坐标",
        "they look like metres of EPSG:4549 (CGCS2000 Gauss-Kruger, 120°E)",
    ),
    "sh2000": (
        "坐标看起来是上海 2000 坐标系（SH2000）原点附近的米制坐标",
        "they look like metres near the Shanghai 2000 origin (SH2000)",
    ),
    "none": ("文件中没有坐标", "there are no coordinates"),
    "unknown": ("坐标不属于本系统已知的坐标系", "they are in no coordinate system this app knows"),
}
"""What a file's coordinates look like (`geodata.offsets.looks_code`)."""

_TOPICS = ("how", "values", "outlines", "datums")
"""The template's instruction topics, in order: each a title and a text."""

FAMILIES: dict[str, tuple[str, ...]] = {
    "level_{}": ("error", "warning", "skipped"),
    "template_{}_topic": _TOPICS,
    "template_{}": _TOPICS,
    "limit_{}": LIMITS,
}
"""Keys built at run time: each pattern's "{}" takes each of the codes."""

_GEOMETRY_NOTES = {
    "outline": "note_outline",
    "lon": "note_point",
    "lat": "note_point",
    "footprint_m2": "note_footprint",
    "source": "note_source",
    "approximate": "note_approximate",
}
"""The notes of the columns an import reads outlines from or fills in when blank."""

_REPORT = (
    "report_table",
    "report_row",
    "report_column",
    "report_value",
    "report_problem",
    "report_fix",
    "report_record",
)


def sheet_words(vocabs: Vocabularies, lang: str) -> SheetWords:
    """The words of the import template and the Excel export in ``lang``.

    ``vocabs`` are the labels of every vocabulary with the configured units and tracks
    (`spaces.sheets.vocabularies`).
    """
    tables = TABLES.values()
    columns = {t_.name: sheet_fields(t_) for t_ in tables}
    datums = t("sep_semicolon", lang).join(
        t("labelled", lang).format(label=d.code, value=pick((d.label_zh, d.label_en), lang))
        for d in DATUMS.values()
    )
    return SheetWords(
        sheets={t_.name: pick((t_.label_zh, t_.name), lang) for t_ in tables},
        titles={
            t_.name: t("template_title", lang).format(
                table=pick((f"{t_.label_zh}（{t_.label_en}）", t_.label_en), lang)
            )
            for t_ in tables
        },
        captions={t_.name: f"{t_.label_zh} {t_.label_en}" for t_ in tables},
        headers={n: {f.name: sheet_header(f, lang) for f in fs} for n, fs in columns.items()},
        notes={n: {f.name: sheet_note(f, vocabs, lang) for f in fs} for n, fs in columns.items()},
        comments={n: {f.name: f"{f.name}: {f.label_en}" for f in fs} for n, fs in columns.items()},
        labels=vocabulary_labels(vocabs, lang),
        yes_no=(t("yes", lang), t("no", lang)),
        readme=t("template_readme", lang),
        heading=t("template_heading", lang),
        instructions=tuple(
            (t(f"template_{topic}_topic", lang), t(f"template_{topic}", lang).format(datums=datums))
            for topic in _TOPICS
        ),
        choose_listed=t("template_choose_listed", lang),
        template_file=t("template_file", lang),
    )


def sheet_header(f: Field, lang: str) -> str:
    """A column header: label, unit in brackets and ``*`` when it must be filled in."""
    text = pick((f.label_zh, f.label_en), lang)
    if f.unit and f.unit != "0–1":
        text += f"({f.unit})"
    return text + ("*" if f.required and f.name not in DEFAULTED else "")


def sheet_note(f: Field, vocabs: Vocabularies, lang: str) -> str:
    """What a column takes, for the row above the header: the other language's label, kind,
    unit, range, allowed values, the table its ids come from, how outlines are given."""
    parts = [pick((f.label_en, f.label_zh), lang), pick(KINDS.get(f.kind, ("", "")), lang)]
    if f.required and f.name not in DEFAULTED:
        parts.append(t("note_required", lang))
    if f.unit == "0–1":
        parts.append(t("note_share", lang))
    elif f.min is not None and f.max is not None:
        parts.append(f"{_num(f.min)}–{_num(f.max)} {f.unit}".strip())
    elif f.min is not None:
        parts.append(f"≥ {_num(f.min)} {f.unit}".strip())
    if f.vocabulary:
        labels = [pick(pair, lang) for pair in vocabs[f.vocabulary].values()]
        parts.append(t("note_one_of", lang).format(labels="、".join(labels)))
    if f.ref:
        ref = TABLES[f.ref]
        parts.append(t("note_ref", lang).format(table=pick((ref.label_zh, ref.name), lang)))
    if f.name in _GEOMETRY_NOTES:
        parts.append(t(_GEOMETRY_NOTES[f.name], lang))
    return " · ".join(p for p in parts if p)


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def issue_report(
    issues: Iterable[Issue],
    reads: Mapping[str, ReadResult],
    lang: str,
    *,
    units: Iterable[Unit] = (),
) -> pd.DataFrame:
    """Every problem with the file row and column it came from, what is wrong and the fix.

    ``reads`` maps table names to what was read of them (`spaces.tabular.read_table`);
    issues about a record are placed on the row holding its id (`spaces.tabular.locate`)
    and name the record in the last column, for records that are not in the file. Units
    are named as the configured ``units`` call them.
    """
    units = tuple(units)
    rows = []
    for issue in issues:
        row, column = locate(issue, reads)
        rows.append(
            [
                table_term(issue.table, lang),
                row,
                column or (issue.field and field_label(issue.table, issue.field, lang)),
                None if _missing(issue.value) else str(issue.value),
                issue_message(issue, lang, units=units),
                issue_hint(issue, lang),
                issue.record_id,
            ]
        )
    columns = [t(key, lang) for key in _REPORT]
    frame = pd.DataFrame(rows, columns=columns)
    frame[columns[1]] = frame[columns[1]].astype("Int64")
    return frame


def import_report(plan: ImportPlan, lang: str, *, units: Iterable[Unit] = ()) -> pd.DataFrame:
    """Every error, then every warning of a planned import, then the rows passed over as
    not records (totals, notes, blank rows), with its level first; units named as the
    configured ``units`` call them."""
    frames = []
    levels = (("error", plan.errors), ("warning", plan.warnings), ("skipped", plan.skipped_rows))
    for level, issues in levels:
        frame = issue_report(issues, plan.reads, lang, units=units)
        frame.insert(0, t("report_level", lang), t(f"level_{level}", lang))
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True) if any(len(f) for f in frames) else frames[0]
    return out.reset_index(drop=True)


def import_summary(plan: ImportPlan, lang: str) -> pd.DataFrame:
    """Per table: records the import adds, changes and deletes, and those it leaves alone."""
    columns = ["report_table", "action_insert", "action_update", "action_delete"]
    rows = [
        [table_term(name, lang), len(d.added), len(d.changed), len(d.deleted), d.unchanged]
        for name, d in plan.diff.tables.items()
    ]
    return pd.DataFrame(rows, columns=[t(k, lang) for k in [*columns, "changes_unchanged"]])


def import_changes(plan: ImportPlan, lang: str) -> pd.DataFrame:
    """One row per record the import adds, changes or deletes, with the changed fields.

    In English the actions keep their codes (insert, update, delete), as in the command
    line's JSON.
    """
    records = plan.diff.records()
    out = pd.DataFrame(
        {
            t("report_table", lang): [table_term(n, lang) for n in records.table],
            t("report_record", lang): records.record,
            t("changes_action", lang): [
                pick((t(f"action_{a}", "zh"), a), lang) for a in records.action
            ],
            t("changes_fields", lang): [
                field_list(n, fs.split(", "), lang)
                for n, fs in zip(records.table, records.fields, strict=True)
            ],
        }
    )
    return out


def shown(frame: pd.DataFrame) -> pd.DataFrame:
    """A report table as the page shows it: every cell text, a missing one blank (never
    "None", "nan" or "<NA>"); whole numbers without ".0". A column of whole numbers with none
    missing (the Excel rows) stays numbers, so that it sorts as numbers."""
    out = frame.copy()
    for column in out.columns:
        values = list(out[column])
        if values and all(_whole(v) for v in values):
            out[column] = pd.array([int(v) for v in values], dtype="Int64")
        else:
            out[column] = [_cell(v) for v in values]
    return out


def _whole(value: Any) -> bool:
    if isinstance(value, bool) or _missing(value):
        return False
    return isinstance(value, int | np.integer) or (
        isinstance(value, float | np.floating) and float(value).is_integer()
    )


def _cell(value: Any) -> str:
    if _missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _missing(value: Any) -> bool:
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and value != value)
    )


def file_error_text(error: Exception, lang: str) -> str:
    """A file-level refusal in ``lang``: the file's name, what is wrong, and a library's
    own detail in brackets. An error without a code is shown as its text."""
    code = getattr(error, "code", None)
    params: dict[str, Any] = dict(getattr(error, "params", {}) or {})
    if isinstance(error, LimitError):
        return limit_message(error, lang)
    if code not in FILE_ERRORS:
        return str(error)
    sep = t("sep_list", lang)
    words = {
        k: sep.join(map(str, v)) if isinstance(v, list | tuple) else v for k, v in params.items()
    }
    if "table" in params and params["table"] in TABLES:
        words["table_zh"] = table_term(params["table"], "zh")
        words["table"] = table_term(params["table"], lang)
    if "expected" in params and params.get("table") in TABLES:
        labels = [field_label(params["table"], f, lang) for f in params["expected"]]
        zh = [field_label(params["table"], f, "zh") for f in params["expected"]]
        words |= {"expected": sep.join(labels), "expected_zh": "、".join(zh)}
    text = pick(FILE_ERRORS[code], lang).format_map(_Blank(words))
    if code == "datum_needed" and params.get("looks") in LOOKS:
        text += t("sep_semicolon", lang) + pick(LOOKS[params["looks"]], lang)
    if params.get("detail"):
        text += f"（{params['detail']}）" if lang == "zh" else f" ({params['detail']})"
    name = params.get("file")
    return name + pick(("：", ": "), lang) + text if name else text


def file_error_columns(error: Exception, lang: str) -> tuple[list[str], list[str]]:
    """The columns a refused file was found to have: those recognised, as field labels in
    ``lang``, and those not, as written in the file."""
    params = getattr(error, "params", {}) or {}
    recognised = [field_label(table, name, lang) for table, name in params.get("recognised", ())]
    return recognised, [str(h) for h in params.get("unrecognised", ())]


def file_error_json(error: Exception, lang: str, *, file: str = "") -> dict[str, Any]:
    """A file-level refusal for the command line's JSON: code, message, columns, issues;
    ``file`` names the file when the error does not (a datum question)."""
    recognised, unrecognised = file_error_columns(error, lang)
    params = getattr(error, "params", {}) or {}
    return {
        "ok": False,
        "code": getattr(error, "code", "unreadable"),
        "message": file_error_text(error, lang),
        "file": params.get("file") or file or None,
        "sheet": params.get("sheet"),
        "table": params.get("table") if params.get("table") in TABLES else None,
        "recognised": recognised,
        "unrecognised": unrecognised,
        "issues": [],
    }


class _Blank(dict):
    """Format parameters where a missing one is blank, not a KeyError."""

    def __missing__(self, key: str) -> str:
        return ""


# --- files past the import limits (spaces.limits) ----------------------------------------------

TEXT |= {
    "cli_mapping_hint": (
        "要按文件自己的列导入：cli.py import {file} --write-mapping mapping.json，编辑该文件后"
        "加上 --mapping mapping.json 再运行",
        "To map the file's own columns: cli.py import {file} --write-mapping mapping.json, edit "
        "it, then run again with --mapping mapping.json",
    ),
    "limit_upload_mb": ("文件大小（MB）", "file size (MB)"),
    "limit_rows": ("行数", "rows"),
    "limit_columns": ("一行的列数", "columns in a row"),
    "limit_cells": ("单元格数（行数×最宽行的列数）", "cells (rows × the widest row)"),
    "limit_unzipped_mb": ("解压后大小（MB）", "unzipped size (MB)"),
    "limit_zip_entries": ("压缩包或文件内的文件、图层数", "files or layers in the zip or file"),
    "limit_outline_vertices": ("轮廓顶点数", "vertices of an outline"),
    "limit_refused": (
        "{file}{where}：{what}已达 {value:,}，超过导入上限 {max:,}，文件未被读取完，"
        "也未写入任何内容。请拆分或精简文件后再导入"
        "（上限由管理员在设置 [import] {limit} 中配置）。",
        "{file}{where}: {what} reached {value:,}, past the import limit of {max:,}; the file "
        "was not read further and nothing was written. Split or trim the file and import it "
        "again (an administrator sets the limit, [import] {limit} in the settings).",
    ),
}


def limit_message(error: LimitError, lang: str) -> str:
    """A file refused for passing an import limit, naming the limit, in ``lang``."""
    p = error.params
    row = p.get("row")
    at = [p["where"]] if p["where"] else []
    at += [(f"第 {row} 行" if lang == "zh" else f"row {row}")] if row else []
    sep = "，" if lang == "zh" else ", "
    where = (f"（{sep.join(at)}）" if lang == "zh" else f" ({sep.join(at)})") if at else ""
    return t("limit_refused", lang).format(
        file=p["file"] or "",
        where=where,
        what=t(f"limit_{p['limit']}", lang),
        value=p["value"],
        max=p["max"],
        limit=p["limit"],
    )
