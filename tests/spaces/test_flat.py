"""Flat sheets: one row per floor or room, building fields repeated, no ids."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from access.permissions import Actor
from services.context import vocabs_for
from settings import load_settings
from spaces.flat import FLOOR_FORMS, FloorLabelError, parse_floor
from spaces.imports import plan_import
from spaces.io import read_inventory_file
from spaces.mapping import propose
from spaces.tabular import read_grids
from spaces.validation import build_inventory
from tests.factories import TRACKS, UNITS, tiny_frames
from words.imports import import_report

VOCABS = vocabs_for(load_settings(env={}))
STORED = build_inventory(tiny_frames(), units=UNITS, tracks=TRACKS)
STEWARD = Actor("li", role="steward", unit="xinhong")


def csv(rows: list[list]) -> bytes:
    return "\n".join(",".join(f'"{c}"' for c in row) for row in rows).encode()


def plan(data: bytes, name: str = "flat.csv", *, mapping=None, actor=STEWARD, datum="WGS84"):
    if mapping is None:
        mapping = propose(read_grids(data, filename=name), vocabs=VOCABS).mapping()
    upload = read_inventory_file(data, name, mapping=mapping)
    return plan_import(upload, stored=STORED, revision=1, vocabs=VOCABS, actor=actor, datum=datum)


def changes(p) -> set[tuple[str, str, str, str]]:
    return {tuple(r) for r in p.diff.records().itertuples(index=False)}


@pytest.mark.parametrize(
    ("label", "levels"),
    [
        ("5", [5]),
        (5, [5]),
        (5.0, [5]),
        ("5层", [5]),
        ("第5层", [5]),
        ("3F", [3]),
        ("3f", [3]),
        ("L5", [5]),
        ("B1", [-1]),
        ("-1", [-1]),
        ("地下2层", [-2]),
        ("1-2", [1, 2]),
        ("1～3层", [1, 2, 3]),
        ("1~3", [1, 2, 3]),
        ("B2-B1", [-2, -1]),
        ("B1-2", [-1, 1, 2]),
        ("１２Ｆ", [12]),
    ],
)
def test_floor_labels(label, levels):
    assert parse_floor(label) == levels


@pytest.mark.parametrize("label", ["顶层", "3-1", "0", "五层", "3.5", "A座"])
def test_unreadable_floor_labels(label):
    with pytest.raises(FloorLabelError):
        parse_floor(label)


HEAD = [
    "楼宇名称",
    "地址",
    "楼层",
    "可租面积",
    "楼板荷载",
    "净高",
    "招商状态",
    "租金",
    "物业联系人",
]


def test_per_floor_rows_update_the_stored_building_and_its_floors_and_carriers():
    rows = [
        ["2026年6月 楼宇台账"],
        HEAD,
        ["示例大厦", "申长路 1 号", "1F", "1,000㎡", "6", "4.5", "可租", "6.8", "王五"],
        ["示例大厦", "申长路 1 号", "第3层", "1000", "3", "3", "意向", "6", "王五"],
    ]
    p = plan(csv(rows))
    assert p.ok, import_report(p, "en")
    assert changes(p) == {
        ("floors", "B1-1", "update", "floor_load_kn_m2"),
        ("carriers", "C-F1", "update", "rent_yuan_m2_day"),
    }
    assert p.inventory.buildings.at["B1", "responsible_unit"] == "xinhong"  # kept


def test_a_new_building_gets_an_id_in_the_stored_style_and_one_floor_per_level():
    rows = [
        [*HEAD, "经度", "纬度", "运营方", "载体类型", "建设进度", "配套设施进度", "计划竣工日期",
         "计划竣工验收日期", "实验排风", "湿实验排水", "供电容量"],
        ["新楼", "申长路 9 号", "1～2层", "2000", "5", "4", "可租", "5", "赵六", "121.317",
         "31.19", "示例运营", "商务楼宇", "100%", "100%", "2025-01-01", "2025-06-01", "否", "否",
         "200"],
    ]  # fmt: skip
    p = plan(csv(rows))
    assert p.ok, import_report(p, "en")
    assert {(t, r, a) for t, r, a, _ in changes(p)} == {
        ("buildings", "B2", "insert"),
        ("floors", "B2-F01", "insert"),
        ("floors", "B2-F02", "insert"),
        ("carriers", "C00001", "insert"),
        ("carriers", "C00002", "insert"),
    }
    floors = p.inventory.floors
    assert floors.loc[["B2-F01", "B2-F02"], "usable_area_m2"].tolist() == [1000.0, 1000.0]
    b = p.inventory.buildings.loc["B2"]
    assert (b.responsible_unit, b.source, bool(b.approximate)) == ("xinhong", "导入 flat.csv", True)
    assert [w.code for w in p.warnings] == ["floor_range_split", "drawn_footprint"]
    assert p.inventory.carriers.loc["C00001", ["tier", "target_id", "status"]].tolist() == [
        "floor",
        "B2-F01",
        "available",
    ]


def test_conflicting_repeated_building_values_name_both_rows():
    rows = [
        HEAD,
        ["示例大厦", "申长路 1 号", "1", "1000", "5", "4.5", "可租", "6.5", "王五"],
        ["示例大厦", "申长路 2 号", "3", "1000", "3", "3", "预留", "6", "王五"],
    ]
    p = plan(csv(rows))
    assert [e.code for e in p.errors] == ["flat_conflict"]
    report = import_report(p, "zh")
    row = report.iloc[0]
    assert (row["行"], row["列"], row["值"]) == (3, "地址", "申长路 2 号")
    assert "第 2 行" in row["问题"] and "申长路 1 号" in row["问题"]


def test_an_unreadable_floor_is_reported_with_the_accepted_forms():
    rows = [HEAD, ["示例大厦", "申长路 1 号", "顶层", "1000", "5", "4.5", "可租", "6.5", "王五"]]
    p = plan(csv(rows))
    assert [e.code for e in p.errors] == ["bad_floor_label"]
    report = import_report(p, "zh")
    assert (report["行"].iloc[0], report["列"].iloc[0]) == (2, "楼层")
    assert FLOOR_FORMS in report["修改建议"].iloc[0]


def test_per_room_rows_update_rooms_and_their_carriers():
    rows = [
        ["楼宇名称", "楼层", "房号", "面积", "状态", "租金"],
        ["示例大厦", "2", "201", "400", "已签约", "7"],
        ["示例大厦", "2", "202", "450", "可租", "7.2"],
    ]
    p = plan(csv(rows))
    assert p.ok, import_report(p, "en")
    assert changes(p) == {("rooms", "B1-2-02", "update", "usable_area_m2")}


def test_a_blank_building_name_and_an_unmapped_column_are_errors():
    rows = [["楼宇名称", "楼层", "天气"], ["", "2", "晴"], ["示例大厦", "2", "雨"]]
    p = plan(csv(rows))
    report = import_report(p, "zh")
    assert sorted(zip(report["行"].fillna(0), report["列"], strict=True)) == [
        (0, "天气"),
        (2, "楼宇名称"),
    ]


def test_a_flat_sheet_of_another_units_building_is_refused_for_a_steward():
    rows = [HEAD, ["示例大厦", "申长路 1 号", "1", "1000", "6", "4.5", "可租", "6.5", "王五"]]
    p = plan(csv(rows), actor=Actor("wu", role="steward", unit="huacao"))
    assert not p.ok  # B1 is xinhong's: a huacao steward is told so, naming the unit
    (issue,) = [i for i in p.errors if i.code == "out_of_scope"]
    assert (issue.value, issue.params["owner"], issue.params["unit"]) == (
        "示例大厦",
        "xinhong",
        "huacao",
    )
    assert ("buildings", "B2", "insert", "") in changes(p)


SPELLINGS = {
    "name": ["楼宇名称", "楼宇", "项目名称"],
    "address": ["地址", "楼宇地址", "项目地址"],
    "level": ["楼层", "所在楼层"],
    "area": ["可用面积", "可租面积", "面积(㎡)"],
    "load": ["楼板荷载", "荷载"],
    "height": ["净高", "层高"],
    "status": ["状态", "招商状态"],
    "rent": ["租金", "元/㎡·天"],
    "available": ["可入驻时间", "可租日期"],
    "contact": ["物业联系人", "联系人", "电话"],
}
VALUES = {
    "name": ["示例大厦", "示例大厦"],
    "address": ["申长路 1 号"] * 2,
    "level": ["1F", "第3层"],
    "area": ["1,000㎡", "990"],
    "load": ["6", "3"],
    "height": ["4.5", "3.2"],
    "status": ["可租", "预留"],
    "rent": ["6.5", "6.6"],
    "available": ["2026年7月", "2026/9/1"],
    "contact": ["王五", "赵六"],
}


def _inventory(order: list[str], words: dict[str, str]) -> dict[str, pd.DataFrame]:
    rows = [[words[k] for k in order]]
    rows += [[VALUES[k][i] for k in order] for i in range(2)]
    p = plan(csv(rows))
    assert p.ok, import_report(p, "en")
    return {
        n: df.drop(columns=["version"], errors="ignore") for n, df in p.inventory.tables().items()
    }


EXPECTED = _inventory(list(SPELLINGS), {k: v[0] for k, v in SPELLINGS.items()})


@given(
    order=st.permutations(list(SPELLINGS)),
    words=st.fixed_dictionaries({k: st.sampled_from(v) for k, v in SPELLINGS.items()}),
)
def test_any_column_order_and_synonyms_map_to_the_same_records(order, words):
    got = _inventory(order, words)
    for name, frame in EXPECTED.items():
        pd.testing.assert_frame_equal(got[name], frame, check_like=True)


def test_a_planner_matches_the_building_whatever_its_unit():
    rows = [HEAD, ["示例大厦", "申长路 1 号", "1", "1000", "6", "4.5", "可租", "6.5", "王五"]]
    p = plan(csv(rows), actor=Actor("pat", role="planner"))
    assert p.ok, import_report(p, "en")
    assert changes(p) == {("floors", "B1-1", "update", "floor_load_kn_m2")}
