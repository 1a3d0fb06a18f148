"""Messy files as stewards really send them, made at test time (`tests/spaces/test_messy.py`).

Each function returns a file's bytes, written the way the tool that produces it does:

- `town_office_xlsx`: a town office's own workbook: a title row and merged group titles above
  the header, its own header words (楼宇名称, 可用面积, 层高, 楼板荷载, 可入驻时间, 状态 with
  可租/规划, 物业联系人), units and remarks in cells ("1,200㎡", "约800平米", "4.5米"), a blank
  separator row, a 合计 row and a 备注 line under the table. With ``ids`` the steward has
  added the template's id columns (楼层编号, 所在楼栋) and named the area 使用面积.
- `truncated_shapefile_zip`: building B2 as a zipped Shapefile whose Chinese field names GDAL
  cut to 10 bytes (GBK: 计划竣工日, 配套设施进; UTF-8: 3 characters), with no .cpg.
- `extended_data_kml`: building B2 as a KML polygon from a map app, its fields in
  ExtendedData ``<Data name="…">`` and ``<SchemaData><SimpleData name="…">`` with Chinese
  names.
- `gcj02_points_csv`: building B2 as a point picked on AutoNavi (GCJ-02), no datum stated.
"""

from __future__ import annotations

import io
import tempfile
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import openpyxl
import pyogrio
from shapely.geometry import box

from geodata.crs import from_wgs84

B2 = box(121.3174, 31.1914, 121.3178, 31.1918)  # free space on plot P1 of the test inventory

B2_FIELDS = {
    "楼栋编号": "B2",
    "所在地块": "P1",
    "楼栋名称": "二号楼",
    "载体类型": "商务楼宇",
    "建设进度": 1.0,
    "计划竣工日期": "2025-09-01",
    "计划竣工验收日期": "2025-12-01",
    "配套设施进度": 0.8,
    "责任单位": "新虹街道",
    "运营方": "示例运营",
}


def town_office_xlsx(*, ids: bool = False) -> bytes:
    head = ["序号", "楼宇名称", "地址", "可用面积", "层高", "楼板荷载", "可入驻时间", "状态"]
    head += ["物业联系人", "备注"]
    rows = [
        [1, "虹桥科创中心", "申长路1号", "1,200㎡", "4.5米", 8, "2026年6月", "可租", "张先生", ""],
        [
            2,
            "虹桥科创中心",
            "申长路1号",
            "约800平米",
            "4.2米",
            5,
            "2026年6月",
            "规划",
            "张先生",
            "待装修",
        ],
        None,  # a blank row between groups
        [3, "前湾研发楼", "", "2,000㎡", "5米", 10, "2027年1月", "规划", "李女士", ""],
    ]
    if ids:
        head = ["楼层编号", "所在楼栋", "楼层", "使用面积", *head[4:]]
        rows[0] = ["B1-5", "B1", 5, *rows[0][3:]]
        rows[1] = ["B1-6", "B1", 6, *rows[1][3:]]
        rows[3] = ["B1-7", "B1", 7, *rows[3][3:]]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["新虹街道 可招商载体统计表（2026年10月）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(head))
    ws.append(["基本信息", None, None, "空间指标", None, None, "招商", None, None, None])
    ws.merge_cells("A2:C2")
    ws.merge_cells("D2:F2")
    ws.merge_cells("G2:J2")
    ws.append(head)
    for row in rows:
        ws.append(row or [])
    ws.append(["合计", None, None, "4,000㎡", None, None, None, None, None, None])
    ws.append(["备注：面积为可租赁面积，数据截至2026年10月。"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def truncated_shapefile_zip(*, encoding: str = "GBK") -> bytes:
    frame = gpd.GeoDataFrame({k: [v] for k, v in B2_FIELDS.items()}, geometry=[B2], crs=4326)
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "楼栋.shp"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GDAL says it cuts the names
            pyogrio.write_dataframe(frame, path, encoding=encoding)
        path.with_suffix(".cpg").unlink(missing_ok=True)
        with zipfile.ZipFile(buf, "w") as z:
            for part in sorted(Path(tmp).iterdir()):
                z.write(part, part.name)
    return buf.getvalue()


def extended_data_kml(*, schema: bool = False) -> bytes:
    """B2 with its fields as ``<Data>`` (what AutoNavi and Google My Maps write) or, with
    ``schema``, as ``<SchemaData>`` of a ``<Schema>`` (what ArcGIS and QGIS write)."""
    ring = " ".join(f"{x},{y},0" for x, y in B2.exterior.coords)
    if schema:
        fields = "".join(f'<SimpleField name="{k}" type="string"/>' for k in B2_FIELDS)
        head = f'<Schema name="载体" id="carrier">{fields}</Schema>'
        simple = "".join(f'<SimpleData name="{k}">{v}</SimpleData>' for k, v in B2_FIELDS.items())
        extended = f'<SchemaData schemaUrl="#carrier">{simple}</SchemaData>'
    else:
        head = ""
        extended = "".join(
            f'<Data name="{k}"><value>{v}</value></Data>' for k, v in B2_FIELDS.items()
        )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>我的地图</name>{head}
<Folder><name>楼栋</name>
<Placemark><name>二号楼</name><ExtendedData>{extended}</ExtendedData>
<Polygon><outerBoundaryIs><LinearRing><coordinates>{ring}</coordinates></LinearRing>
</outerBoundaryIs></Polygon></Placemark>
</Folder></Document></kml>
""".encode()


def gcj02_points_csv() -> bytes:
    gcj = from_wgs84(gpd.GeoSeries([B2.centroid], crs=4326), datum="GCJ-02").iloc[0]
    head = [k for k in B2_FIELDS] + ["经度", "纬度", "示意面积"]
    row = [str(v) for v in B2_FIELDS.values()] + [f"{gcj.x:.6f}", f"{gcj.y:.6f}", "1,600㎡"]
    return ("\n".join(",".join(r) for r in (head, row)) + "\n").encode("utf-8")
