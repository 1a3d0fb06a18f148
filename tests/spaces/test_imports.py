"""Importing files: every format and datum, located problems, merges, scope and warnings.

Files come from tests/data (see its README) or are built here from the tiny inventory.
"""

from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from access.permissions import Actor
from geodata.crs import DATUMS, CRSMismatchError, area_m2, from_wgs84
from geodata.layers import base_layers
from geodata.offsets import DatumError
from services.context import vocabs_for
from settings import load_settings
from spaces.imports import plan_import
from spaces.io import (
    export_geojson,
    export_gpkg,
    export_xlsx,
    read_inventory_file,
    template_xlsx,
)
from spaces.model import Inventory
from spaces.tabular import UnreadableFileError
from spaces.validation import build_inventory
from tests.factories import TRACKS, UNITS, tiny_frames
from words.imports import import_report, import_summary, sheet_words

DATA = Path(__file__).resolve().parents[1] / "data"
VOCABS = vocabs_for(load_settings(env={}))
STORED = build_inventory(tiny_frames(), units=UNITS, tracks=TRACKS)
B2 = box(121.3174, 31.1914, 121.3178, 31.1918)  # free space on plot P1


def plan(data: bytes, name: str, *, datum=None, stored=None, actor=None, table=None):
    upload = read_inventory_file(data, name, table=table)
    return plan_import(
        upload,
        stored=STORED if stored is None else stored,
        revision=7,
        vocabs=VOCABS,
        datum=datum,
        actor=actor,
    )


def changes(p) -> set[tuple[str, str, str, str]]:
    return {tuple(r) for r in p.diff.records().itertuples(index=False)}


def codes(p) -> list[str]:
    return sorted({i.code for i in p.errors})


def csv(rows: list[list], *, encoding: str = "utf-8") -> bytes:
    return "\n".join(",".join(f'"{c}"' for c in row) for row in rows).encode(encoding)


def test_gbk_csv_from_chinese_excel():
    p = plan((DATA / "floors_gbk.csv").read_bytes(), "floors_gbk.csv")
    assert p.ok, import_report(p, "en")
    assert changes(p) == {
        ("floors", "B1-4", "insert", ""),
        ("floors", "B1-1", "update", "floor_load_kn_m2, power_kva"),
    }
    floors = p.inventory.floors
    assert floors.at["B1-4", "usable_area_m2"] == 1200.0
    assert floors.at["B1-1", "clean_room_iso"] == 8  # not in the file: kept as stored
    assert import_summary(p, "en").set_index("table").loc["floors"].tolist() == [1, 1, 0, 2]


def test_excel_with_an_autonavi_ring_in_gcj02():
    p = plan(
        (DATA / "building_autonavi.xlsx").read_bytes(), "building_autonavi.xlsx", datum="GCJ-02"
    )
    assert p.ok, import_report(p, "en")
    assert p.datum == "GCJ-02" and p.datum_how == "declared"
    b2 = p.inventory.buildings.loc["B2"]
    assert b2.geometry.equals_exact(B2, 2e-6)  # AutoNavi's 6 decimals: ~0.2 m
    assert bool(b2.approximate) is False
    assert b2.source == "导入 building_autonavi.xlsx"
    assert p.inventory.floors.at["B2-1", "usable_area_m2"] == 1500.0
    assert p.warnings == ()


def test_gcj02_read_as_wgs84_is_a_warning_not_a_guess():
    p = plan((DATA / "building_autonavi.xlsx").read_bytes(), "b.xlsx", datum="WGS84")
    (warning,) = [w for w in p.warnings if w.code == "datum_offset"]
    assert warning.params["better"] == "GCJ-02"
    assert 300 < warning.params["distance"] < 600  # to the edge of its plot
    report = import_report(p, "en")
    hit = report[report.problem.str.contains("read as GCJ-02")].iloc[0]
    assert hit.row == 3 and hit.column == "轮廓" and "declare that datum" in hit["how to fix"]
    assert "outside_plot" in codes(p)  # and, read as WGS84, it falls outside its plot
    assert p.inventory.buildings.loc["B2"].geometry.equals_exact(B2, 2e-6) is False


def test_zipped_shapefile_in_epsg4549_with_a_gbk_dbf():
    p = plan((DATA / "plot_4549_shp.zip").read_bytes(), "plot_4549_shp.zip")
    assert p.ok, import_report(p, "en")
    assert (p.datum, p.datum_how) == ("EPSG:4549", "file")
    plot = p.inventory.plots.loc["P3"]
    assert plot["name"] == "前湾测绘地块"
    assert (plot.land_status, plot.responsible_unit, plot.facilities_progress) == (
        "reserve",
        "huacao",
        0.2,
    )
    expected = box(121.3050, 31.2450, 121.3070, 31.2470).normalize()
    assert plot.geometry.normalize().equals_exact(expected, 1e-7)  # a Shapefile turns rings


def test_declared_datum_that_contradicts_the_prj_is_refused():
    with pytest.raises(CRSMismatchError, match="EPSG:4549"):
        plan((DATA / "plot_4549_shp.zip").read_bytes(), "plot.zip", datum="WGS84")


@pytest.mark.parametrize("datum", list(DATUMS))
def test_each_datum_converts_to_wgs84(datum):
    """The outline of B2 published in each datum reads back as B2 in WGS84."""
    published = from_wgs84(gpd.GeoSeries([B2], crs=4326), datum=datum).iloc[0]
    ring = ";".join(f"{x!r},{y!r}" for x, y in published.exterior.coords)
    rows = [
        [
            "楼栋编号",
            "所在地块",
            "楼栋名称",
            "载体类型",
            "建设进度",
            "计划竣工日期",
            "计划竣工验收日期",
        ],
        ["B2", "P1", "二号楼", "office", "1", "2025-09-01", "2025-12-01"],
    ]
    rows[0] += ["配套设施进度", "责任单位", "运营方", "轮廓"]
    rows[1] += ["0.8", "xinhong", "示例运营", ring]
    p = plan(csv(rows), "buildings.csv", datum=datum)
    assert p.ok, import_report(p, "en")
    assert p.inventory.buildings.loc["B2"].geometry.equals_exact(B2, 1e-9)
    assert p.datum == datum


def test_datum_named_in_the_header():
    gcj = from_wgs84(gpd.GeoSeries([B2], crs=4326), datum="GCJ-02").iloc[0]
    ring = ";".join(f"{x!r},{y!r}" for x, y in gcj.exterior.coords)
    rows = [
        ["building_id", "plot_id", "name", "kind", "construction_progress"],
        ["B2", "P1", "二号楼", "商务楼宇", "100%"],
    ]
    rows[0] += ["planned_completion", "planned_acceptance", "facilities_progress"]
    rows[1] += ["2025-09-01", "2025-12-01", "80%"]
    rows[0] += ["responsible_unit", "operator", "轮廓(GCJ-02)"]
    rows[1] += ["新虹街道", "示例运营", ring]
    p = plan(csv(rows), "b.csv")
    assert (p.datum, p.datum_how) == ("GCJ-02", "header")
    assert p.inventory.buildings.loc["B2"].geometry.equals_exact(B2, 1e-9)


def test_coordinates_without_a_datum_are_a_clear_error():
    rows = [
        ["楼栋编号", "楼栋名称", "轮廓"],
        ["B1", "示例大厦", "121.3165,31.1905;121.3172,31.1905;121.3172,31.1912"],
    ]
    with pytest.raises(DatumError, match=r"choose it.*longitude/latitude around Shanghai"):
        plan(csv(rows), "b.csv")
    metres = [["楼栋编号", "轮廓"], ["B1", "630000,3450000;630100,3450000;630100,3450100"]]
    with pytest.raises(DatumError, match="metres of EPSG:4549"):
        plan(csv(metres), "b.csv")


def test_a_point_with_an_area_draws_an_approximate_square():
    rows = [
        [
            "楼栋编号",
            "所在地块",
            "楼栋名称",
            "载体类型",
            "建设进度",
            "计划竣工日期",
            "计划竣工验收日期",
        ],
        ["B2", "P1", "二号楼", "商务楼宇", "100%", "2025年9月", "2025年12月"],
    ]
    rows[0] += ["配套设施进度", "责任单位", "运营方", "经度", "纬度", "示意面积(m²)"]
    rows[1] += ["80%", "新虹街道", "示例运营", "121.3176", "31.1916", "1,200㎡"]
    p = plan(csv(rows), "points.csv", datum="WGS84")
    assert p.ok, import_report(p, "en")
    b2 = p.inventory.buildings.loc[["B2"]]
    assert area_m2(b2).iloc[0] == pytest.approx(1200, rel=1e-3)
    assert bool(b2.approximate.iloc[0]) is True
    assert [w.code for w in p.warnings] == ["drawn_footprint"]


def test_partial_file_changes_only_its_fields_and_keeps_outlines():
    rows = [["楼栋编号", "建筑高度(m)", "轮廓"], ["B1", "24m", ""]]
    p = plan(csv(rows), "heights.csv", datum="WGS84")
    assert p.ok, import_report(p, "en")
    assert changes(p) == {("buildings", "B1", "update", "height_m")}
    assert p.inventory.buildings.geometry["B1"].equals(STORED.buildings.geometry["B1"])


def test_problems_are_located_with_row_column_value_and_fix():
    rows = [
        ["全部楼层清单"],
        [
            "楼层编号",
            "所在楼栋",
            "楼层",
            "使用面积",
            "楼面荷载",
            "净高",
            "实验排风",
            "湿实验排水",
            "供电容量",
        ],
        ["B1-5", "B1", "5", "一千", "5", "4", "否", "否", "100"],
        ["B1-6", "B1", "6", "800", "99", "4", "否", "否", "100"],
        ["B1-6", "B1", "7", "800", "5", "4", "否", "否", "100"],
        ["B9-1", "B9", "1", "800", "5", "4", "否", "否", "100"],
    ]
    p = plan(csv(rows, encoding="gb18030"), "floors.csv")
    assert not p.ok
    report = import_report(p, "zh").set_index(["行", "列"])
    assert report.loc[(3, "使用面积"), "值"] == "一千"
    assert "数值" in report.loc[(3, "使用面积"), "修改建议"]
    assert "1.5 至 60.0 kN/m²" in report.loc[(4, "楼面荷载"), "修改建议"]
    assert "重复" in report.loc[(5, "楼层编号"), "问题"]
    assert "不是已有的楼栋编号" in report.loc[(6, "所在楼栋"), "问题"]
    assert set(report["级别"]) == {"错误"}


def test_vocabulary_labels_become_codes():
    rows = [
        ["载体编号", "载体梯度", "对应对象编号", "状态", "赛道", "企业服务团队"],
        ["C-F2", "一层楼", "B1-2", "可招商", "生物医药", "T-XH"],
    ]
    stored = build_inventory(
        {**tiny_frames(), "carriers": tiny_frames()["carriers"].iloc[[0, 3, 4]]},
        units=UNITS,
        tracks=TRACKS,
    )
    p = plan(csv(rows), "carriers.csv", stored=stored)
    assert p.ok, import_report(p, "en")
    c = p.inventory.carriers.loc["C-F2"]
    assert (c.tier, c.status, c.track) == ("floor", "available", "biomedicine")


def test_steward_cannot_import_another_units_records():
    rows = [["团队编号", "服务能力(载体数)"], ["T-HC", "45"], ["T-XH", "60"]]
    p = plan(csv(rows), "teams.csv", actor=Actor("li", role="steward", unit="xinhong"))
    assert codes(p) == ["out_of_scope"]
    assert p.errors[0].record_id == "T-HC"
    assert p.errors[0].params == {"owner": "huacao", "unit": "xinhong"}
    report = import_report(p, "zh", units=load_settings(env={}).units)
    assert report["问题"].iloc[0] == "此记录属于华漕镇；新虹街道的数据维护人员只能修改本单位的记录"
    assert plan(csv(rows), "teams.csv", actor=Actor("pat", role="planner")).ok
    assert plan(csv(rows), "teams.csv").ok


def test_a_column_with_data_that_no_field_takes_blocks_the_import():
    rows = [["楼层编号", "供电容量", "备注说明", "空列"], ["B1-1", "300", "首层", ""]]
    p = plan(csv(rows), "f.csv", table="floors")
    assert not p.ok
    assert [(e.code, e.value) for e in p.errors] == [("unmapped_column", "备注说明")]
    report = import_report(p, "zh")
    assert report["列"].tolist() == ["备注说明"]
    assert "未对应任何字段" in report["问题"].iloc[0]
    assert not p.warnings  # the empty column holds nothing to lose


@pytest.mark.parametrize(
    ("export", "name"),
    [
        (lambda inv: export_xlsx(inv, sheet_words(VOCABS, "zh")), "inventory.xlsx"),
        (lambda inv: export_xlsx(inv, sheet_words(VOCABS, "en")), "inventory-en.xlsx"),
        (lambda inv: export_gpkg(inv, base_layers()), "inventory.gpkg"),
        (lambda inv: export_geojson(inv, base_layers()), "inventory.zip"),
    ],
)
def test_export_then_import_gives_the_same_inventory(export, name):
    p = plan(export(STORED), name, stored=Inventory.empty())
    assert p.ok, import_report(p, "en")
    for table, df in STORED.tables().items():
        got = p.inventory.tables()[table].drop(columns=["version"], errors="ignore")
        pd.testing.assert_frame_equal(got, df, check_like=True)
    again = plan(export(STORED), name)
    assert again.diff.is_empty()


def test_template_example_rows_form_a_valid_inventory():
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx(sheet_words(VOCABS, "zh"))))
    for ws in wb.worksheets[2:]:
        example = [c.value for c in ws[3]]
        ws.append(example)
    buf = io.BytesIO()
    wb.save(buf)
    p = plan(buf.getvalue(), "filled.xlsx", stored=Inventory.empty(), datum="WGS84")
    assert p.ok, import_report(p, "en")
    assert p.inventory.counts() == dict.fromkeys(p.inventory.counts(), 1)
    assert bool(p.inventory.buildings.approximate.iloc[0]) is True  # drawn from its point


def test_the_empty_template_imports_nothing():
    p = plan(template_xlsx(sheet_words(VOCABS, "zh")), "template.xlsx")
    assert p.ok and p.diff.is_empty()
    assert set(p.skipped) == {"说明", "lists"}


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4", "plan.pdf", "unsupported_type"),
        (b"", "empty.xlsx", "empty"),
        (b"PK\x03\x04 broken", "x.zip", "bad_zip"),
        (b"not sqlite", "x.gpkg", "not_gis"),
        (b'{"type": "FeatureCollection", "features": [', "x.geojson", "not_gis"),
        (b"a,b\n1,2\n", "x.csv", "no_table"),
    ],
)
def test_unreadable_files_say_what_is_wrong(data, name, message):
    with pytest.raises(UnreadableFileError, match=message):
        read_inventory_file(data, name)


def test_zip_without_gis_files():
    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(UnreadableFileError, match="zip_empty"):
        read_inventory_file(buf.getvalue(), "x.zip")


def test_invalid_outline_text_is_located():
    rows = [["楼栋编号", "轮廓"], ["B1", "121.3165,31.1905;abc"]]
    p = plan(csv(rows), "b.csv", datum="WGS84")
    (issue,) = p.errors
    assert issue.code == "bad_outline" and issue.params["row"] == 2
    assert shapely.is_valid(STORED.buildings.geometry["B1"])


def test_geopackage_opens_in_qgis_as_is(tmp_path):
    """Every table and layer in the GeoPackage registry; spatial ones in EPSG:4326."""
    import sqlite3

    path = tmp_path / "inventory.gpkg"
    path.write_bytes(export_gpkg(STORED, base_layers()))
    with sqlite3.connect(path) as db:
        contents = dict(db.execute("SELECT table_name, data_type FROM gpkg_contents"))
        srs = dict(db.execute("SELECT table_name, srs_id FROM gpkg_geometry_columns"))
    assert {
        t: contents[t] for t in ("floors", "rooms", "service_teams", "carriers")
    } == dict.fromkeys(("floors", "rooms", "service_teams", "carriers"), "attributes")
    spatial = ["plots", "buildings", *[f"layer_{n}" for n in ("zone", "area", "town", "station")]]
    assert all(contents[t] == "features" and srs[t] == 4326 for t in spatial)


def _point_building(area: str = "") -> list[list[str]]:
    head = ["楼栋编号", "所在地块", "楼栋名称", "载体类型", "建设进度", "计划竣工日期"]
    head += ["计划竣工验收日期", "配套设施进度", "责任单位", "运营方", "经度", "纬度", "示意面积"]
    row = ["B2", "P1", "二号楼", "商务楼宇", "100%", "2025年9月", "2025年12月", "80%"]
    row += ["新虹街道", "示例运营", "121.3176", "31.1916", area]
    return [head, row]


def test_a_negative_floor_area_is_its_rows_error_not_a_sketch_square(recwarn):
    """Regression: the floor's -300 m² sized the building's square (a RuntimeWarning, a
    notice "按点位绘制 -300 m² 的示意方形" and two false errors on the building)."""
    wb = openpyxl.Workbook()
    wb.active.title = "楼栋"
    for row in _point_building():
        wb.active.append(row)
    floors = wb.create_sheet("楼层")
    floors.append(["楼层编号", "所在楼栋", "楼层", "使用面积(平方米)", "楼面荷载(kN/m2)"])
    floors["F1"], floors["G1"], floors["H1"], floors["I1"] = (
        "净高",
        "实验排风",
        "湿实验排水",
        "供电容量",
    )
    floors.append(["B2-1", "B2", "1", "-300", "5", "4.5", "否", "否", "100"])
    buf = io.BytesIO()
    wb.save(buf)
    p = plan(buf.getvalue(), "neg.xlsx", datum="WGS84")
    assert [(i.table, i.record_id, i.code) for i in p.errors] == [
        ("floors", "B2-1", "out_of_range")
    ]
    (note,) = p.warnings
    assert note.code == "drawn_footprint" and note.params["area"] == 1000.0  # the default
    assert area_m2(p.inventory.buildings.loc[["B2"]]).iloc[0] == pytest.approx(1000, rel=1e-3)
    report = import_report(p, "zh")
    assert not report["问题"].str.contains("-300 m²").any()
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_a_negative_sketch_area_is_one_error_and_draws_nothing(recwarn):
    p = plan(csv(_point_building("-300")), "points.csv", datum="WGS84")
    (error,) = p.errors
    assert (error.record_id, error.field, error.code, error.value) == (
        "B2",
        "footprint_m2",
        "below_min",
        -300.0,
    )
    assert p.warnings == ()
    row = import_report(p, "zh").iloc[0]
    assert (row["行"], row["列"], row["问题"]) == (2, "示意面积", "-300 小于最小值 1 m²")
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_a_plot_with_a_negative_sketch_area_has_that_one_error():
    rows = [
        ["地块编号", "地块名称", "片区", "土地状态", "责任单位", "经度", "纬度", "示意面积"],
        ["P9", "新地块", "前湾片区", "储备", "华漕镇", "121.2900", "31.2300", "-5000"],
    ]
    p = plan(csv(rows), "plots.csv", datum="WGS84")
    shape = {"footprint_m2", "geometry", "approximate"}  # its other blank fields aside
    assert [(i.field, i.code) for i in p.errors if i.field in shape] == [
        ("footprint_m2", "below_min")
    ]
