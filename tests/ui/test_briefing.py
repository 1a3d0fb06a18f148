"""Briefings: the Excel workbook with Chinese headers and the printable page with its map."""

from __future__ import annotations

import base64
import dataclasses
import io
import re
from datetime import UTC, datetime

import openpyxl
import pytest
from PIL import Image

from geodata.layers import base_layers
from planning.approval import members_of
from planning.policy import Policy
from planning.release import plan
from settings import load_settings
from spaces.rollup import carrier_table
from spaces.validation import build_inventory
from tests.factories import TRACKS, UNITS, tiny_frames
from tests.planning.conftest import hand_layers
from ui.briefing import Briefing, excel_workbook, html_page, static_map_png
from words.release import member_reasons

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def settings():
    return load_settings(env={})


@pytest.fixture(scope="module")
def inv():
    return build_inventory(tiny_frames(), units=UNITS, tracks=TRACKS)


@pytest.fixture(scope="module")
def briefing(inv, settings):
    carriers = carrier_table(inv)
    policy = Policy.from_settings(settings)
    layers = hand_layers(carriers)
    p = plan(
        carriers,
        inv.service_teams,
        policy.carrier_facts(carriers, layers),
        policy=policy,
        as_of="2026-11-30",
    )
    w = p.window(1)
    return Briefing(
        batch=1,
        start=w.start,
        end=w.end,
        evaluated=w.end,
        as_of=p.as_of,
        state="approved",
        members=members_of(p, 1, carriers, reasons=member_reasons),
        policy=policy,
        fingerprint=p.fingerprint(),
        decision={
            "decided_by": "王局长",
            "decided_at": "2026-11-30T09:30:00+00:00",
            "comment": "同意",
        },
        sample=True,
    )


def test_excel_has_chinese_headers_totals_and_list(briefing, settings):
    data = excel_workbook(briefing, settings=settings, generated=NOW)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["批次信息", "汇总", "载体清单"]
    info = {r[0]: r[1] for r in wb["批次信息"].iter_rows(min_row=2, values_only=True)}
    assert info["批次"] == "第1批"
    assert info["时间窗"] == "2026-06-01 至 2026-11-30"
    assert info["审议状态"] == "已批准"
    assert info["载体数"] == 2
    assert info["审议人"] == "王局长"
    totals = list(wb["汇总"].iter_rows(values_only=True))
    assert totals[0] == ("分组", "类别", "载体数", "使用面积（m²）")
    assert ("载体梯度", "一层楼", 1, 1000.0) in totals
    assert totals[-1][0] == "合计" and totals[-1][2] == 2
    rows = list(wb["载体清单"].iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "载体编号", "载体名称", "载体梯度")
    assert [r[1] for r in rows[1:]] == ["C-F1", "C-R202"]
    assert rows[1][3] == "一层楼" and rows[1][9] == 92.2
    assert rows[1][-1].startswith("第1批（2026-06-01–2026-11-30）")


def test_static_map_is_a_png_of_our_own_layers(briefing, inv):
    png = static_map_png(briefing, inv, base_layers())
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size[0] > 600


def test_printable_page(briefing, inv, settings):
    png = static_map_png(briefing, inv, base_layers())
    page = html_page(briefing, png=png, settings=settings, lang="zh", generated=NOW)
    assert page.startswith("<!DOCTYPE html>")
    assert "@page { size: A4" in page
    assert "第1批 · 2026-06-01 – 2026-11-30" in page
    assert "C-F1" in page and "示例大厦 1F" in page
    assert "王局长" in page and "样例数据" in page
    src = re.search(r'src="data:image/png;base64,([^"]+)"', page).group(1)
    assert base64.b64decode(src) == png
    assert "http" not in page.replace("http-equiv", "")  # nothing fetched from elsewhere
    en = html_page(briefing, png=png, settings=settings, lang="en", generated=NOW)
    assert "Release batch briefing" in en and "Batch 1 · 2026-06-01 – 2026-11-30" in en


def test_excel_keeps_leaders_text_and_names_as_text(briefing, settings):
    link = '=HYPERLINK("https://evil.example/","点我")'
    members = briefing.members.copy()
    members.loc[members.index[0], "name"] = "=1+1"
    risky = dataclasses.replace(
        briefing,
        members=members,
        decision={"decided_by": "@SUM(1)", "decided_at": "2026-11-30T09:30", "comment": link},
    )
    wb = openpyxl.load_workbook(io.BytesIO(excel_workbook(risky, settings=settings, generated=NOW)))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type in ("f", "e")]
    info = {r[0]: r[1] for r in wb["批次信息"].iter_rows(min_row=2, values_only=True)}
    assert (info["审议人"], info["审议意见"]) == ("@SUM(1)", link)
    assert wb["载体清单"].cell(row=2, column=3).value == "=1+1"
