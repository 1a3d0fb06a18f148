"""Reading stewards' spreadsheets: headers in either language, encodings and messy values.

Every file here is built in the test (openpyxl or encoded text) to look like what Chinese Excel
and WPS write: a merged title row, two-row headers, GBK CSV, full-width digits, units in cells.
"""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.context import vocabs_for
from settings import load_settings
from spaces.imports import plan_import
from spaces.io import read_inventory_file
from spaces.schema import FLOORS, SERVICE_TEAMS
from spaces.tabular import (
    ROW,
    UnreadableFileError,
    clean_value,
    read_table,
)
from spaces.validation import InventoryError, build_inventory
from tests.factories import TRACKS, UNITS, tiny_frames
from words.imports import import_report, issue_report
from words.inventory import EXPECTED_ZH, issue_message

VOCABS = vocabs_for(load_settings(env={}))
STORED = build_inventory(tiny_frames(), units=UNITS, tracks=TRACKS)


def xlsx(rows: list[list], *, merge: str | None = None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "楼层"
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


FLOOR_ROWS = [
    [
        "楼层编号",
        "所在楼栋",
        "楼层",
        "使用面积(m²)",
        "楼面荷载(kN/m²)",
        "净高(m)",
        "实验排风",
        "湿实验排水",
        "供电容量(kVA)",
        "洁净室等级(ISO)",
        "备注说明",
    ],
    ["B1-1", "B1", "１", "1,000㎡", "5.0", "4.5m", "是", "有", "300kVA", "8", "首层"],
    ["B1-2", "B1", 2, 1000, 3, 3, "否", "无", 100, None, ""],
    ["B1-3", "B1", 3, "1000 平方米", "3", "3.0", "否", "否", "100", "", None],
]


def test_excel_with_title_row_and_chinese_headers():
    data = xlsx([["新虹研发大厦楼层清单（2026年11月）"], *FLOOR_ROWS], merge="A1:K1")
    result = read_table(data, table=FLOORS, filename="楼层.xlsx")
    assert result.header_row == 2
    assert result.ignored == ["备注说明"]
    assert result.columns["usable_area_m2"] == "使用面积(m²)"
    f = result.frame.set_index("floor_id")
    assert f.loc["B1-1", "level"] == 1  # full-width digit
    assert f.loc["B1-1", "usable_area_m2"] == 1000.0  # "1,000㎡"
    assert f.loc["B1-1", "clear_height_m"] == 4.5  # "4.5m"
    assert f.loc["B1-1", "power_kva"] == 300.0
    assert f.loc["B1-3", "usable_area_m2"] == 1000.0
    assert f.loc["B1-1", "exhaust"] is True and f.loc["B1-2", "exhaust"] is False
    assert f.loc["B1-2", "clean_room_iso"] is None  # blank cell
    assert result.frame[ROW].tolist() == [3, 4, 5]
    assert result.issues == []


def test_read_floors_build_a_valid_inventory():
    frames = tiny_frames()
    frames["floors"] = read_table(xlsx(FLOOR_ROWS), table=FLOORS, filename="f.xlsx").frame
    inv = build_inventory(frames, units=UNITS, tracks=TRACKS)
    assert inv.floors.loc["B1-1", "usable_area_m2"] == 1000.0


def test_two_row_header_with_merged_group_titles():
    rows = [
        ["基本信息", None, None, "空间参数", None, None, None, None, None, None],
        [
            "floor id",
            "Building",
            "Level",
            "Usable area",
            "Floor load",
            "Clear height",
            "Lab exhaust",
            "Wet-lab drainage",
            "Power",
            "Clean room (ISO class)",
        ],
        ["F-1", "B1", 1, 900, 5, 4.5, "yes", "no", 200, 7],
    ]
    result = read_table(xlsx(rows, merge="A1:C1"), table=FLOORS, filename="f.xlsx")
    assert result.header_row == 2
    assert len(result.columns) == 10
    assert result.frame.loc[0, "clean_room_iso"] == 7


def test_gbk_csv_from_chinese_excel():
    text = (
        "团队编号,团队名称,责任单位,组建状态,计划到位日期,服务能力(载体数),负责人\n"
        "T1,华漕镇前湾企业服务专班,huacao,forming,2027年3月,４０,王五\n"
    )
    result = read_table(text.encode("gbk"), table=SERVICE_TEAMS, filename="teams.csv")
    row = result.frame.iloc[0]
    assert row["name"] == "华漕镇前湾企业服务专班"
    assert row["ready_date"] == pd.Timestamp("2027-03-01")
    assert row["capacity"] == 40
    assert result.issues == []


def test_utf8_bom_csv():
    text = "\ufeffteam_id,name,responsible_unit,status,capacity\nT2,x,xinhong,in_place,10\n"
    result = read_table(text.encode("utf-8"), table=SERVICE_TEAMS, filename="t.csv")
    assert result.frame.loc[0, "team_id"] == "T2"


def test_bad_cells_are_reported_with_row_and_column():
    rows = [FLOOR_ROWS[0], ["B1-1", "B1", 1, "一千", 5, 4.5, "是", "否", 300, 8]]
    result = read_table(xlsx(rows), table=FLOORS, filename="f.xlsx")
    (issue,) = result.issues
    assert issue.field == "usable_area_m2"
    assert issue.params["row"] == 2
    assert issue.params["column"] == "使用面积(m²)"
    report = issue_report(result.issues, {"floors": result}, "zh")
    assert report.iloc[0].tolist()[:4] == ["楼层", 2, "使用面积(m²)", "一千"]
    assert "数值" in report.iloc[0]["修改建议"]


def test_validation_issues_are_located_on_their_rows():
    frames = tiny_frames()
    rows = [FLOOR_ROWS[0], *FLOOR_ROWS[1:], ["B1-4", "B1", 4, 1000, 99, 3, "否", "否", 100, None]]
    read = read_table(xlsx(rows), table=FLOORS, filename="f.xlsx")
    frames["floors"] = read.frame
    with pytest.raises(InventoryError) as err:
        build_inventory(frames, units=UNITS, tracks=TRACKS)
    report = issue_report(err.value.issues, {"floors": read}, "en")
    hit = report[report.column == "楼面荷载(kN/m²)"].iloc[0]
    assert hit["row"] == 5
    assert hit["value"] == "99.0"
    assert "1.5 to 60.0 kN/m²" in hit["how to fix"]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4 not a sheet", "plan.pdf", "unsupported_type"),
        (b"PK\x03\x04 broken zip", "f.xlsx", "not_xlsx"),
        (b"\xff\xfe\x00\xd8\x00\xdc", "f.csv", "not_text"),
        (b"a,b,c\n1,2,3\n", "f.csv", "no_header"),
    ],
)
def test_unreadable_files_say_what_is_wrong(data, name, message):
    with pytest.raises(UnreadableFileError, match=message):
        read_table(data, table=FLOORS, filename=name)


@pytest.mark.parametrize(
    ("raw", "field", "expected"),
    [
        ("30%", "construction_progress", 0.3),
        ("２０２６年６月", "planned_completion", pd.Timestamp("2026-06-01")),
        ("2026/6/15", "planned_completion", pd.Timestamp("2026-06-15")),
        ("2026.06", "planned_completion", pd.Timestamp("2026-06-01")),
        ("7.5元/m²/天", None, 7.5),
    ],
)
def test_clean_values(raw, field, expected):
    from spaces.schema import BUILDINGS, CARRIERS

    f = BUILDINGS.field(field) if field else CARRIERS.field("rent_yuan_m2_day")
    value, problem = clean_value(raw, f)
    assert problem is None
    assert value == expected


def test_percent_is_only_for_progress():
    value, problem = clean_value("30%", FLOORS.field("usable_area_m2"))
    assert value is None and "不带%" in EXPECTED_ZH[problem]


@given(
    st.lists(
        st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12), min_size=1, max_size=6
    )
)
def test_any_text_cells_never_raise(cells):
    rows = [FLOOR_ROWS[0], ["B1-9", "B1", *cells]]
    result = read_table(xlsx(rows), table=FLOORS, filename="f.xlsx")
    assert len(result.frame) == 1


@pytest.mark.parametrize("text", ["NA", "nan", "None", "null", "N/A"])
def test_words_pandas_would_take_for_missing_stay_text(text):
    rows = [
        ["团队编号", "团队名称", "责任单位", "组建状态", "服务能力(载体数)"],
        ["T1", text, "huacao", "none", 1],
    ]
    result = read_table(xlsx(rows), table=SERVICE_TEAMS, filename="t.xlsx")
    assert result.frame.loc[0, "name"] == text


def test_excel_error_cells_are_reported_not_read_as_blank():
    # openpyxl writes "#N/A" and "#DIV/0!" as error cells, as Excel saves failed formulas
    rows = [FLOOR_ROWS[0], ["B1-1", "B1", 1, "#DIV/0!", 5, 4.5, "是", "否", "#N/A", 8, "#REF!"]]
    result = read_table(xlsx(rows), table=FLOORS, filename="f.xlsx")
    assert [(i.code, i.field, i.params["row"], i.value) for i in result.issues] == [
        ("cell_error", "usable_area_m2", 2, "#DIV/0!"),
        ("cell_error", "power_kva", 2, "#N/A"),
    ]  # the #REF! is in 备注说明, a column that matches no field
    report = issue_report(result.issues, {"floors": result}, "zh")
    assert report.iloc[1].tolist()[:5] == [
        "楼层",
        2,
        "供电容量(kVA)",
        "#N/A",
        "单元格是表格错误值 #N/A（公式计算出错）",
    ]
    assert "修正公式" in report.iloc[1]["修改建议"]


def test_an_excel_text_cell_reading_like_an_error_stays_text():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["团队编号", "团队名称", "责任单位", "组建状态", "服务能力(载体数)"])
    ws.append(["T1", "#N/A", "huacao", "none", 1])
    ws["B2"].data_type = "s"  # typed as text ('#N/A), not an error
    buf = io.BytesIO()
    wb.save(buf)
    result = read_table(buf.getvalue(), table=SERVICE_TEAMS, filename="t.xlsx")
    assert result.issues == [] and result.frame.loc[0, "name"] == "#N/A"


def test_csv_error_values_from_excel_are_reported():
    text = "团队编号,团队名称,责任单位,组建状态,服务能力(载体数)\nT1,专班,huacao,none,#VALUE!\n"
    result = read_table(text.encode("utf-8"), table=SERVICE_TEAMS, filename="t.csv")
    (issue,) = result.issues
    assert (issue.code, issue.field, issue.params["column"]) == (
        "cell_error",
        "capacity",
        "服务能力(载体数)",
    )
    assert "spreadsheet error #VALUE!" in issue_message(issue, "en")


def test_a_missing_sheet_is_named():
    with pytest.raises(UnreadableFileError, match=r"no_sheet \(sheet='团队', sheets=\['楼层'\]\)"):
        read_table(xlsx(FLOOR_ROWS), table=FLOORS, filename="f.xlsx", sheet="团队")


HEAD = ["楼层编号", "所在楼栋", "楼层", "使用面积"]


def test_totals_notes_and_blank_rows_are_skipped_with_their_row_and_why():
    rows = [
        ["楼层清单"],
        HEAD,
        ["B1-1", "B1", "1", "1,000㎡"],
        [None, None, None, None],  # a separator: a record follows
        ["B1-2", "B1", "2", "800"],
        ["合计", None, None, "1800"],
        [None, "小计（2层）", None, "=SUM(D3:D5)"],
        ["Total:", None, None, "1800"],
        ["注：面积为使用面积", None, None, None],
        ["填表人：张三", None, "制表日期：2026年10月", None],
        ["以上数据由新虹街道提供，截至2026年10月", None, None, None],
        [None, None, None, None],  # trailing: not listed
    ]
    read = read_table(xlsx(rows, merge="A1:D1"), table=FLOORS, filename="f.xlsx")
    assert read.frame[ROW].tolist() == [3, 5]
    assert read.issues == []  # "=SUM(...)" in a totals row is not read as an area
    assert [(i.params["row"], i.code, i.value) for i in read.skipped] == [
        (4, "skipped_blank", None),
        (6, "skipped_total", "合计"),
        (7, "skipped_total", "小计（2层）"),
        (8, "skipped_total", "Total:"),
        (9, "skipped_note", "注：面积为使用面积"),
        (10, "skipped_note", "填表人：张三"),
        (11, "skipped_note", "以上数据由新虹街道提供，截至2026年10月"),
    ]


def test_a_row_with_an_id_is_a_record_whatever_else_it_says():
    rows = [
        [*HEAD, "备注"],
        ["B1-3", "B1", "3", "100", "合计"],  # a remark that reads like a total
        ["B1-4", None, None, None, None],  # only an id: a record with blanks
        ["说明：B1-5 待定", None, None, None, None],
        ["B1-5", None, None, "一千", None],
    ]
    read = read_table(xlsx(rows), table=FLOORS, filename="f.xlsx")
    assert read.frame.floor_id.tolist() == ["B1-3", "B1-4", "B1-5"]
    assert [(i.params["row"], i.code) for i in read.skipped] == [(4, "skipped_note")]
    assert [(i.params["row"], i.code) for i in read.issues] == [(5, "bad_type")]


def test_skipped_rows_are_listed_in_the_report_in_either_language():
    rows = [HEAD, ["B1-5", "B1", "5", "800"], ["合计", None, None, "800"], ["备注：无"]]
    upload = read_inventory_file(xlsx(rows), "f.xlsx")
    plan = plan_import(upload, stored=STORED, revision=1, vocabs=VOCABS)
    zh = import_report(plan, "zh")
    skipped = zh[zh["级别"] == "已跳过"]
    assert skipped[["行", "值", "问题"]].values.tolist() == [
        [3, "合计", "合计/小计行，不是记录"],
        [4, "备注：无", "表格下方的说明文字，不是记录"],
    ]
    en = import_report(plan, "en")
    assert en[en.level == "skipped"].problem.tolist() == [
        "a totals row, not a record",
        "a note under the table, not a record",
    ]
    assert set(zh[zh["级别"] == "错误"]["行"]) == {2}  # the new floor's blank fields only
    assert plan.diff.records().record.tolist() == ["B1-5"]
