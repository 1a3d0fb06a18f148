"""Regenerate the tiny files in tests/data (see README.md there): `python tests/data/make_files.py`.

Each file is written the way the tool that typically produces it does: Chinese Excel saving CSV
in GBK, a workbook with an outline copied from AutoNavi's polygon tool (GCJ-02), a surveyor's
Shapefile in EPSG:4549 with a GBK .dbf and no .cpg, a KML of AutoNavi points, and a GeoJSON in
CGCS2000 with the old-style "crs" member.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import openpyxl
import pyogrio
from shapely.geometry import box

from geodata.crs import from_wgs84
from geodata.layers import base_layers, layer

HERE = Path(__file__).resolve().parent
B2 = box(121.3174, 31.1914, 121.3178, 31.1918)  # a second building on plot P1 of the factories
P3 = box(121.3050, 31.2450, 121.3070, 31.2470)  # a new plot north of P2


def floors_gbk_csv() -> bytes:
    rows = [
        "楼层编号,所在楼栋,楼层,使用面积(平方米),楼面荷载(kN/m2),净高(m),实验排风,湿实验排水,供电容量(kVA)",
        'B1-1,B1,１,"1,000㎡",7.5,4.5m,是,有,400kVA',
        'B1-4,B1,4,"1,200㎡",5,4.2,否,否,250',
    ]
    return ("\r\n".join(rows) + "\r\n").encode("gbk")


def building_autonavi_xlsx() -> bytes:
    gcj = from_wgs84(gpd.GeoSeries([B2], crs=4326), datum="GCJ-02").iloc[0]
    ring = ";".join(f"{x:.6f},{y:.6f}" for x, y in gcj.exterior.coords[:-1])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "楼栋"
    ws.append(["新虹街道 载体台账（2026年11月）"])
    ws.merge_cells("A1:P1")
    ws.append(
        [
            "楼栋编号",
            "所在地块",
            "楼栋名称",
            "载体类型",
            "建设进度",
            "计划竣工日期",
            "计划竣工验收日期",
            "配套设施进度",
            "责任单位",
            "运营方",
            "轮廓",
        ]
    )
    ws.append(
        [
            "B2",
            "P1",
            "示例二号楼",
            "商务楼宇",
            "100%",
            "2025年9月",
            "2025年12月",
            "80%",
            "新虹街道",
            "上海示例置业有限公司",
            ring,
        ]
    )
    floors = wb.create_sheet("楼层")
    floors.append(
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
        ]
    )
    floors.append(["B2-1", "B2", 1, "1,500㎡", 5, 4.5, "是", "是", 300])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def plot_4549_zip() -> bytes:
    frame = gpd.GeoDataFrame(
        {
            "plot_id": ["P3"],
            "name": ["前湾测绘地块"],
            "land_use": ["research"],
            "land_status": ["reserve"],
            "facilities": [0.2],
            "responsibl": ["huacao"],
            "operator": ["华漕镇"],
        },
        geometry=[P3],
        crs=4326,
    ).to_crs(4549)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plots.shp"
        pyogrio.write_dataframe(frame, path, encoding="GBK")
        path.with_suffix(".cpg").unlink(missing_ok=True)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for part in sorted(Path(tmp).iterdir()):
                z.write(part, f"测绘成果/{part.name}")
    return buf.getvalue()


def stations_kml() -> bytes:
    stations = layer(base_layers(), "station")
    picked = stations[stations.name_zh.isin(["虹桥火车站", "虹桥2号航站楼"])]
    gcj = from_wgs84(picked.geometry, datum="GCJ-02")
    marks = "".join(
        f"<Placemark><name>{name}</name><Point><coordinates>{p.x:.6f},{p.y:.6f}</coordinates>"
        "</Point></Placemark>"
        for name, p in zip(picked.name_zh, gcj, strict=True)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">'
        f"<Document><name>高德标注</name>{marks}</Document></kml>\n"
    ).encode()


def areas_cgcs2000_geojson() -> bytes:
    areas = layer(base_layers(), "area")
    features = []
    for name, geom in zip(areas.name_zh, areas.geometry.simplify(0.0005), strict=True):
        features.append(
            {
                "type": "Feature",
                "properties": {"名称": name.replace("（重点开发区域）", "")},
                "geometry": json.loads(gpd.GeoSeries([geom]).to_json())["features"][0]["geometry"],
            }
        )
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4490"}},
        "features": features,
    }
    return json.dumps(doc, ensure_ascii=False).encode()


FILES = {
    "floors_gbk.csv": floors_gbk_csv,
    "building_autonavi.xlsx": building_autonavi_xlsx,
    "plot_4549_shp.zip": plot_4549_zip,
    "stations_autonavi.kml": stations_kml,
    "areas_cgcs2000.geojson": areas_cgcs2000_geojson,
}

if __name__ == "__main__":
    for name, make in FILES.items():
        (HERE / name).write_bytes(make())
        print(name, (HERE / name).stat().st_size, "bytes")
