"""Datums guessed from a file's source, and a question before committing when there is none."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from geodata.offsets import DatumError
from services.context import vocabs_for
from settings import load_settings
from spaces.datum import probe
from spaces.imports import plan_import
from spaces.io import read_inventory_file
from spaces.limits import ImportLimits, LimitError
from spaces.model import Inventory

DATA = Path(__file__).resolve().parents[1] / "data"
VOCABS = vocabs_for(load_settings(env={}))
HEADER = "楼栋编号,楼栋名称,地块编号,责任单位,经度,纬度"
ROW = "B{i},{i}号楼,P1,huacao,121.3{i:03d},31.19{i:02d}"


def sheet(*, title: str = "", header: str = HEADER, rows: int = 3, extra: str = "") -> bytes:
    lines = ([title] if title else []) + [header + extra]
    lines += [ROW.format(i=i) + (",GCJ-02" if extra else "") for i in range(1, rows + 1)]
    return "\n".join(lines).encode()


def xlsx(csv: bytes) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "楼栋"
    for line in csv.decode().splitlines():
        ws.append(line.split(","))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def plan(data: bytes, name: str, *, datum=None, guessed=None):
    return plan_import(
        read_inventory_file(data, name, table="buildings" if name.endswith("csv") else None),
        stored=Inventory.empty(),
        revision=0,
        vocabs=VOCABS,
        datum=datum,
        guessed=guessed,
    )


@pytest.mark.parametrize(
    ("title", "datum"),
    [
        ("楼宇坐标取自高德地图", "GCJ-02"),
        ("点位来自百度地图拾取", "BD-09"),
        ("Coordinates picked on amap.com", "GCJ-02"),
        ("坐标系：CGCS2000", "CGCS2000"),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_title_row_names_the_source(title, datum, fmt):
    data = sheet(title=title)
    name = f"b.{fmt}"
    data = data if fmt == "csv" else xlsx(data)
    found = probe(data, name)
    assert found.coordinates and found.guess == datum and not found.needs_answer
    assert title in found.clue
    assert len(found.points) == 3
    p = plan(data, name, guessed=found.guess)
    assert p.datum == datum and p.datum_how == "source"


@pytest.mark.parametrize(
    ("header", "datum"),
    [
        ("楼栋编号,楼栋名称,地块编号,责任单位,经度（高德）,纬度（高德）", "GCJ-02"),
        ("楼栋编号,楼栋名称,地块编号,责任单位,经度(bd09),纬度(bd09)", "BD-09"),
    ],
)
def test_headers_name_the_datum(header, datum):
    data = sheet(header=header)
    assert probe(data, "b.csv").guess == datum


def test_a_datum_column_names_it():
    found = probe(sheet(extra=",坐标系"), "b.csv")
    assert found.guess == "GCJ-02" and "坐标系" in found.clue


def test_coordinates_without_a_clue_must_be_asked_and_the_plan_refuses_until_answered():
    data = sheet(title="楼宇清单")
    found = probe(data, "b.csv")
    assert found.coordinates and found.guess is None and found.needs_answer
    with pytest.raises(DatumError, match="choose it"):
        plan(data, "b.csv")
    answered = plan(data, "b.csv", datum="GCJ-02")
    assert answered.datum == "GCJ-02" and answered.datum_how == "declared"


def test_a_file_without_coordinates_is_not_asked():
    data = "楼栋编号,楼栋名称,地块编号,责任单位\nB1,一号楼,P1,huacao\n".encode()
    assert not probe(data, "b.csv").needs_answer


def test_the_question_is_asked_from_the_head_before_the_whole_file_is_read():
    data = sheet(rows=400)  # past the row limit below: the full read refuses it
    small = replace(ImportLimits(), rows=100)
    found = probe(data, "b.csv", small)
    assert found.needs_answer and len(found.points) < 100
    with pytest.raises(LimitError):
        read_inventory_file(data, "b.csv", table="buildings", limits=small)


def test_a_kml_saved_by_amap_is_gcj02_and_a_plain_kml_is_its_wgs84():
    kml = (DATA / "stations_autonavi.kml").read_bytes()  # <name>高德标注</name>
    found = probe(kml, "s.kml")
    assert found.guess == "GCJ-02" and found.clue == "高德" and len(found.points) == 2
    plain = kml.replace("高德标注".encode(), b"stations")
    assert probe(plain, "s.kml").guess is None and not probe(plain, "s.kml").needs_answer
    baidu = kml.replace("高德标注".encode(), "百度地图收藏".encode())
    assert probe(baidu, "s.kmz" if False else "s.kml").guess == "BD-09"


def test_a_kmz_is_probed_inside():
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("doc.kml", (DATA / "stations_autonavi.kml").read_bytes())
    assert probe(buf.getvalue(), "s.kmz").guess == "GCJ-02"


def test_unreadable_files_probe_as_no_coordinates():
    assert not probe(b"PK\x03\x04 broken", "x.xlsx").coordinates
    assert not probe(b"\xff\xfe", "x.csv").coordinates
