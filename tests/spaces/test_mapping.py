"""Column mappings: proposals from synonyms and fuzzy matching, value maps, the document."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from services.context import vocabs_for
from settings import load_settings
from spaces.io import read_inventory_file
from spaces.mapping import (
    EXACT,
    FLAT,
    Mapping,
    MappingError,
    SheetMapping,
    propose,
    propose_value,
)
from spaces.tabular import read_grids

VOCABS = vocabs_for(load_settings(env={}))

SYNONYMS = {
    "楼宇名称": "buildings.name",
    "楼宇": "buildings.name",
    "项目名称": "buildings.name",
    "地址": "buildings.address",
    "可用面积": "floors.usable_area_m2",
    "可租面积": "floors.usable_area_m2",
    "面积(㎡)": "floors.usable_area_m2",
    "层高": "floors.clear_height_m",
    "净高": "floors.clear_height_m",
    "楼板荷载": "floors.floor_load_kn_m2",
    "荷载": "floors.floor_load_kn_m2",
    "可入驻时间": "carriers.available_from",
    "可租日期": "carriers.available_from",
    "状态": "carriers.status",
    "招商状态": "carriers.status",
    "经度": "buildings.lon",
    "纬度": "buildings.lat",
    "楼层": "floors.level",
    "所在楼层": "floors.level",
    "租金": "carriers.rent_yuan_m2_day",
    "元/㎡·天": "carriers.rent_yuan_m2_day",
}
NOT_KEPT = ("物业联系人", "联系人", "电话")


def grid(rows: list[list]) -> pd.DataFrame:
    width = max(len(r) for r in rows)
    return pd.DataFrame([[*r, *[None] * (width - len(r))] for r in rows], dtype=object)


def flat_columns(headers: list[str], row: list) -> dict[str, tuple[str | None, float]]:
    p = propose({"s": grid([headers, row])}, vocabs=VOCABS, tables={"s": FLAT})
    return {c.header: (c.target, c.confidence) for c in p.sheets[0].columns}


@pytest.mark.parametrize(("header", "target"), SYNONYMS.items())
def test_each_synonym_is_proposed_onto_its_field(header, target):
    other = "楼层" if target == "buildings.name" else "楼宇名称"
    got = flat_columns([other, header], ["x", "1"])
    assert got[header][0] == target
    assert got[header][1] == (0.8 if header == "层高" else EXACT)  # 层高 is floor to floor


@pytest.mark.parametrize("header", NOT_KEPT)
def test_contacts_are_proposed_as_not_imported(header):
    got = flat_columns(["楼宇名称", header], ["x", "王五 13800000000"])
    assert got[header] == (None, EXACT)


def test_room_sheets_put_the_area_on_the_room():
    got = flat_columns(["楼宇名称", "楼层", "房号", "面积"], ["x", "5", "501", "80"])
    assert got["房号"][0] == "rooms.number"
    assert got["面积"][0] == "rooms.usable_area_m2"
    got = flat_columns(["楼宇名称", "楼层", "单元", "可租面积"], ["x", "5", "501", "80"])
    assert (got["单元"][0], got["可租面积"][0]) == ("rooms.number", "rooms.usable_area_m2")


def test_fuzzy_proposals_are_less_than_sure_and_unknown_words_are_not_imported():
    got = flat_columns(
        ["楼宇名称", "楼宇名称（全称）", "可租赁面积", "天气"], ["x", "y", "1", "晴"]
    )
    assert got["楼宇名称"] == ("buildings.name", EXACT)
    assert got["楼宇名称（全称）"] == (None, 0.0)  # the target is taken by the exact header
    target, conf = got["可租赁面积"]
    assert target == "floors.usable_area_m2" and 0.6 <= conf < EXACT
    assert got["天气"] == (None, 0.0)


def test_a_title_row_and_merged_cells_above_the_header_are_skipped():
    rows = [["某街道 楼宇台账", None, None], [None, None, None], ["楼宇", "地址", "楼层"]]
    p = propose({"s": grid([*rows, ["A", "路 1 号", "3F"]])}, vocabs=VOCABS)
    s = p.sheets[0]
    assert (s.table, s.header_row) == (FLAT, 3)
    assert [c.samples for c in s.columns] == [("A",), ("路 1 号",), ("3F",)]


def test_template_sheets_are_proposed_onto_their_own_table():
    p = propose(
        {"楼层": grid([["楼层编号", "所在楼栋", "荷载"], ["B1-9", "B1", "5"]])}, vocabs=VOCABS
    )
    s = p.sheets[0]
    assert s.table == "floors"
    assert [c.target for c in s.columns] == [
        "floors.floor_id",
        "floors.building_id",
        "floors.floor_load_kn_m2",
    ]


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("可租", "available"),
        ("招商中", "available"),
        ("空置", "available"),
        ("规划", "under_construction"),
        ("在建", "under_construction"),
        ("已签约", "leased"),
        ("已租", "leased"),
        ("预留", "reserved"),
        ("意向", "reserved"),
        ("可招商", "available"),
        ("Leased", "leased"),
    ],
)
def test_status_words_are_proposed_onto_the_codes(word, code):
    assert propose_value("status", word, VOCABS)[0] == code


@pytest.mark.parametrize(
    ("word", "code"), [("整层", "floor"), ("单间", "room"), ("整栋", "building"), ("地块", "plot")]
)
def test_tier_words_are_proposed_onto_the_codes(word, code):
    assert propose_value("tier", word, VOCABS)[0] == code


def test_value_proposals_list_the_files_words_with_counts():
    rows = [
        ["楼宇名称", "楼层", "状态"],
        ["A", "1", "可租"],
        ["A", "2", "可租"],
        ["A", "3", "火星"],
    ]
    p = propose({"s": grid(rows)}, vocabs=VOCABS)
    got = {(v.word, v.code, v.count) for v in p.values}
    assert got == {("可租", "available", 2), ("火星", None, 1)}


def xlsx(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_changed_proposal_and_a_value_map_are_applied_before_cleaning():
    data = xlsx([["楼层编号", "供电", "备注说明"], ["B1-1", "300kVA", "首层"]])
    p = propose(read_grids(data, filename="f.xlsx"), vocabs=VOCABS, tables={"Sheet": "floors"})
    m = p.mapping()
    cols = dict(m.sheets[0].columns)
    assert cols == {"楼层编号": "floors.floor_id", "供电": "floors.power_kva"}  # fuzzy: power
    m = Mapping((SheetMapping("Sheet", "floors", {**cols, "备注说明": None}),))
    upload = read_inventory_file(data, "f.xlsx", mapping=m)
    read = upload.tables["floors"].read
    assert read.frame["power_kva"].tolist() == [300.0]
    assert read.columns == {"floor_id": "楼层编号", "power_kva": "供电"}
    assert read.ignored == []


def test_an_unmapped_column_stays_unmatched_and_is_named():
    data = xlsx([["楼层编号", "供电容量", "备注说明"], ["B1-1", "300", "首层"]])
    m = Mapping((SheetMapping("Sheet", "floors", {"楼层编号": "floors.floor_id"}),))
    read = read_inventory_file(data, "f.xlsx", mapping=m).tables["floors"].read
    assert set(read.columns) == {"floor_id", "power_kva"}  # its label still matches
    assert read.ignored == ["备注说明"]


def test_the_mapping_document_round_trips_and_is_checked():
    m = Mapping(
        (SheetMapping("6月", FLAT, {"楼宇名称": "buildings.name", "联系人": None}),),
        {"status": {"可租": "available"}},
    )
    assert Mapping.from_json(m.to_json()) == m
    assert Mapping.from_json(m.to_json()).signature == m.signature
    bad = m.to_json().replace("buildings.name", "buildings.colour")
    with pytest.raises(MappingError, match=r"buildings\.colour"):
        Mapping.from_json(bad)
    with pytest.raises(MappingError, match="unknown code 'gone'"):
        Mapping.from_json(m.to_json().replace('"available"', '"gone"'))
    with pytest.raises(MappingError, match="format"):
        Mapping.from_json("{}")
    with pytest.raises(MappingError, match="JSON"):
        Mapping.from_json("not json")


def test_the_signature_depends_on_the_headers_not_the_sheet_name():
    a = propose({"5月": grid([["楼宇名称", "楼层"], ["A", "1"]])}, vocabs=VOCABS)
    b = propose({"6月": grid([["楼宇名称", "楼层"], ["B", "2"]])}, vocabs=VOCABS)
    c = propose({"6月": grid([["楼宇名称", "楼层", "租金"], ["B", "2", "5"]])}, vocabs=VOCABS)
    assert a.signature == b.signature != c.signature


def test_a_mapping_finds_next_months_sheet_by_its_headers():
    m = propose({"5月": grid([["楼宇名称", "楼层"], ["A", "1"]])}, vocabs=VOCABS).mapping()
    assert m.sheet_for("6月", grid([["标题"], ["楼宇名称", "楼层"], ["B", "2"]])) is m.sheets[0]
    assert m.sheet_for("其他", grid([["名称", "金额"], ["x", "1"]])) is None
