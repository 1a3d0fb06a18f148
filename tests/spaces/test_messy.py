"""Messy files as stewards send them (`tests/data/make_messy.py`), each with the report it
must produce: rows skipped and why, problems by Excel row and column, columns recognised and
not. Where a file needs the mapping step (its own header words), the report says so honestly:
the columns not recognised are named.
"""

from __future__ import annotations

import json

import pytest

from geodata.offsets import DatumError
from spaces.tabular import UnreadableFileError
from tests.data.make_messy import (
    extended_data_kml,
    gcj02_points_csv,
    town_office_xlsx,
    truncated_shapefile_zip,
)
from tests.spaces.test_imports import plan
from words.imports import (
    file_error_columns,
    file_error_json,
    file_error_text,
    import_report,
    shown,
)


def test_a_town_office_workbook_is_refused_naming_its_columns_in_either_language():
    with pytest.raises(UnreadableFileError) as refused:
        plan(town_office_xlsx(), "新虹街道载体.xlsx")
    e = refused.value
    assert e.code == "no_table" and e.params["sheet"] == "Sheet1"
    recognised, unrecognised = file_error_columns(e, "zh")
    assert recognised == ["状态", "备注"]  # the closest table is carriers
    assert unrecognised == [
        "序号",
        "楼宇名称",
        "地址",
        "可用面积",
        "层高",
        "楼板荷载",
        "可入驻时间",
        "物业联系人",
    ]
    assert file_error_text(e, "zh").startswith("新虹街道载体.xlsx：没有找到载体数据表")
    assert "no inventory table found" in file_error_text(e, "en")
    assert file_error_columns(e, "en")[0] == ["Status", "Note"]


def test_the_workbook_with_ids_added_skips_its_totals_note_and_blank_row():
    p = plan(town_office_xlsx(ids=True), "新虹街道载体.xlsx")
    report = import_report(p, "zh")
    skipped = report[report["级别"] == "已跳过"]
    assert skipped[["行", "问题"]].values.tolist() == [
        [6, "空行"],
        [8, "合计/小计行，不是记录"],
        [9, "表格下方的说明文字，不是记录"],
    ]
    bad = report[report["问题"].str.contains("不是有效的数值")]
    assert bad[["行", "列", "值"]].values.tolist() == [[5, "使用面积", "约800平米"]]
    unmapped = report[report["问题"].str.contains("未对应任何字段，也未标为不导入")]
    columns = ["层高", "楼板荷载", "可入驻时间", "状态", "物业联系人", "备注"]
    assert unmapped["列"].tolist() == columns
    assert set(unmapped["级别"]) == {"错误"}  # data no field takes blocks the commit
    assert p.inventory.floors.at["B1-5", "usable_area_m2"] == 1200.0  # "1,200㎡"
    assert sorted(p.diff.records().record) == ["B1-5", "B1-6", "B1-7"]  # 合计 is no floor
    cells = shown(report)
    assert not cells.isin(["None", "nan", "<NA>", "NaN"]).any().any()


def test_a_shapefile_with_gbk_names_cut_to_ten_bytes_and_no_cpg():
    p = plan(truncated_shapefile_zip(), "楼栋.zip")
    assert p.ok and p.warnings == (), import_report(p, "en")
    read = p.reads["buildings"]
    assert read.columns["planned_completion"] == "计划竣工日"
    assert read.columns["planned_acceptance"] == "计划竣工验"
    assert read.columns["facilities_progress"] == "配套设施进"
    b2 = p.inventory.buildings.loc["B2"]
    assert (b2["name"], b2.responsible_unit, b2.facilities_progress) == ("二号楼", "xinhong", 0.8)
    assert str(b2.planned_completion.date()) == "2025-09-01"


def test_utf8_names_cut_to_three_characters_are_matched_where_unique_and_named_where_not():
    p = plan(truncated_shapefile_zip(encoding="UTF-8"), "楼栋.zip")
    read = p.reads["buildings"]
    assert read.columns["building_id"] == "楼栋编"
    assert read.columns["facilities_progress"] == "配套设"
    report = import_report(p, "zh")
    unmapped = report[report["问题"].str.contains("未对应任何字段")]["列"].tolist()
    assert unmapped == ["计划竣", "计划_1"]  # 计划竣工日期 or 计划竣工验收日期: not guessed
    assert p.inventory.buildings.at["B2", "name"] == "二号楼"  # GBK was not guessed


@pytest.mark.parametrize("schema", [False, True], ids=["Data", "SchemaData"])
def test_a_kml_with_chinese_extended_data_names(schema):
    p = plan(extended_data_kml(schema=schema), "我的地图.kml")
    assert p.ok, import_report(p, "en")
    assert p.datum == "WGS84" and p.datum_how == "file"
    b2 = p.inventory.buildings.loc["B2"]
    assert (b2.plot_id, b2.responsible_unit, b2.operator) == ("P1", "xinhong", "示例运营")
    assert b2.construction_progress == 1.0
    columns = p.reads["buildings"].columns
    assert columns["building_id"] == "楼栋编号" and columns["facilities_progress"] == "配套设施进度"


def test_gcj02_points_without_a_datum_are_a_question_not_a_guess():
    with pytest.raises(DatumError) as asked:
        plan(gcj02_points_csv(), "高德取点.csv")
    e = asked.value
    assert (e.code, e.params) == ("datum_needed", {"looks": "lonlat"})
    out = file_error_json(e, "zh", file="高德取点.csv")
    assert out["ok"] is False and out["file"] == "高德取点.csv"
    assert "GCJ-02" in out["message"] and "上海附近的经纬度" in out["message"]
    json.dumps(out, ensure_ascii=False)  # it is JSON as it is
    declared = plan(gcj02_points_csv(), "高德取点.csv", datum="GCJ-02")
    assert declared.ok, import_report(declared, "en")
