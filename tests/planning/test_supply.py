"""The carrier index, the public view, the supply list and its spreadsheet exports."""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from geodata.layers import base_layers
from planning.supply import PUBLIC_COLUMNS, PUBLIC_FIELDS, supply_rows
from spaces.export import csv_bytes, excel_bytes
from spaces.rollup import carrier_table
from spaces.schema import TABLES
from spaces.validation import build_inventory
from tests.factories import TRACKS as TRACK_IDS
from tests.factories import UNITS, tiny_frames
from tests.planning.tables import SETTINGS, index_of
from words.tables import public_table, supply_list

PRIVATE = {
    f.name
    for table in TABLES.values()
    for f in table.fields
    if not f.public and f.name not in ("name", "status")  # a team's; a carrier's are public
} | {"readiness", "score", "batch_reasons"}


@pytest.fixture(scope="module")
def table():
    inv = build_inventory(tiny_frames(), units=UNITS, tracks=TRACK_IDS)
    return carrier_table(inv, layers=base_layers())


def test_public_fields_are_public_and_hide_tenants_notes_and_readiness():
    assert all(f.public for f in PUBLIC_FIELDS)
    assert not set(PUBLIC_COLUMNS) & PRIVATE
    assert {"tenant", "note", "service_team_id", "lead", "construction_progress"} <= PRIVATE


def test_index_distances_are_metres_in_epsg_4549(table):
    index = index_of(table)
    # the tiny building lies about 230 m east and 570 m south of Hongqiao Railway Station
    assert 590 < index.hub_m[0] < 640
    assert index.metro_m[0] < index.hub_m[0] + 1
    assert np.isfinite(index.x).all() and index.x[0] > 400_000  # CGCS2000 / 3-degree GK zone


def test_index_takes_subsets_in_order(table):
    index = index_of(table)
    sub = index.take([1, 0])
    assert sub.ids.tolist() == table.index[[1, 0]].tolist()
    assert sub.hub_m.tolist() == index.hub_m[[1, 0]].tolist()


def test_public_table_translates_and_keeps_numbers(table):
    out = public_table(table, lang="zh", settings=SETTINGS)
    assert "使用面积 (m²)" in out.columns and "租金 (元/m²/天)" in out.columns
    assert not {"入驻/意向企业", "备注", "企业服务团队"} & set(out.columns)
    row = out.set_index("载体编号").loc["C-F1"]
    assert row["载体梯度"] == "一层楼" and row["状态"] == "可招商"
    assert row["赛道"] == "生物医药" and row["实验排风"] == "是"
    assert row["使用面积 (m²)"] == 1000.0
    assert "无锡示例药业" not in out.to_string()
    en = public_table(table, lang="en", settings=SETTINGS)
    assert "Usable area (m²)" in en.columns


def test_supply_list_is_offered_carriers_with_their_batch(table):
    assert supply_rows(table).index.tolist() == ["C-R202", "C-F1"]  # room, then floor
    out = supply_list(table, lang="zh", settings=SETTINGS)
    # not leased, not reserved, and not the reserve plot without a land-ready date
    assert set(out["载体编号"]) == {"C-F1", "C-R202"}
    assert out["发布批次"].isna().all()
    batches = pd.Series({"C-F1": "2026年第一批"})
    out = supply_list(table, lang="zh", settings=SETTINGS, batches=batches)
    assert out.set_index("载体编号")["发布批次"].to_dict() == {
        "C-F1": "2026年第一批",
        "C-R202": None,
    }


def test_excel_export_has_chinese_headers_and_notes(table):
    frame = supply_list(table, lang="zh", settings=SETTINGS)
    data = excel_bytes({"供给清单": frame}, notes={"供给清单": ["样例数据"]})
    ws = openpyxl.load_workbook(io.BytesIO(data))["供给清单"]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["载体编号", "载体名称", "载体梯度", "状态"]
    assert ws.freeze_panes == "A2"
    assert ws.cell(row=len(frame) + 3, column=1).value == "样例数据"
    back = pd.read_excel(io.BytesIO(data), sheet_name="供给清单", nrows=len(frame))
    assert back["载体编号"].tolist() == frame["载体编号"].tolist()


def test_csv_export_has_a_bom_for_excel(table):
    data = csv_bytes(public_table(table, lang="zh", settings=SETTINGS))
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[0].startswith("载体编号,载体名称,载体梯度")
