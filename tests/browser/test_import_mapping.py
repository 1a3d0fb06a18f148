"""A steward in Chromium maps the columns of their own flat workbook, saves the mapping,
commits, and imports next month's file with the saved mapping proposed."""

from __future__ import annotations

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from settings import load_settings
from store.bootstrap import open_store
from store.repository import SYSTEM

from .conftest import REPO_ROOT, non_local_requests, sign_in

pytestmark = pytest.mark.browser

TIMEOUT_MS = 90_000
BUILDING = "BH00001"


@pytest.fixture
def served(serve_app, store_url):
    """The app on a new sample store, and the sample steward of BUILDING's unit."""
    repo = open_store(load_settings(env={"DATABASE_URL": store_url, "HQ_SAMPLE": "always"}))
    unit = repo.load_inventory().buildings.at[BUILDING, "responsible_unit"]
    env = {"DATABASE_URL": store_url}
    yield serve_app(REPO_ROOT / "app.py", env=env), repo, f"sample-steward-{unit}"
    repo.engine.dispose()


def _workbook(tmp_path, name: str, inv, extra: float) -> str:
    """The office's own workbook: a merged title row, its own headers, one row per floor."""
    building = inv.buildings.loc[BUILDING]
    floors = inv.floors[inv.floors.building_id == BUILDING].sort_values("level").iloc[:2]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = name
    ws.append([f"{building['name']} 招商台账"])
    ws.merge_cells("A1:F1")
    ws.append(["楼宇", "地址", "楼层", "可租面积(㎡)", "层高", "物业联系人"])
    for _, f in floors.iterrows():
        ws.append(
            [
                building["name"],
                building["address"],
                f"{f.level}F",
                f"{f.usable_area_m2 + extra:,.1f}㎡",
                99,  # not the floor's clear height: the steward marks it not imported
                "王五 13800000000",
            ]
        )
    path = tmp_path / f"{name}.xlsx"
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())
    return str(path)


def test_map_a_flat_workbook_save_the_mapping_and_reuse_it_next_month(served, page, tmp_path):
    url, repo, steward = served
    inv = repo.load_inventory()
    floors = inv.floors[inv.floors.building_id == BUILDING].sort_values("level").iloc[:2]
    sign_in(page, url, steward)
    page.goto(f"{url}/import")
    page.get_by_text("请选择要导入的文件").wait_for(timeout=TIMEOUT_MS)
    uploader = page.locator('input[type="file"]')

    uploader.set_input_files(_workbook(tmp_path, "6月台账", inv, 10))
    confirm = page.get_by_role("button", name="确认字段对应")
    confirm.wait_for(timeout=TIMEOUT_MS)
    height = page.get_by_role("combobox", name="层高", exact=True)
    expect(height).to_have_value("楼层 · 净高", timeout=TIMEOUT_MS)  # proposed: near 净高
    height.click()
    page.keyboard.type("不导入")
    page.keyboard.press("Enter")
    expect(height).to_have_value("不导入", timeout=TIMEOUT_MS)
    revision = repo.revision()
    confirm.click()
    page.get_by_text("检查通过，没有发现问题").wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("导入后保存为本单位的对应方案").click()
    expect(page.get_by_label("方案名称")).to_have_value("6月台账", timeout=TIMEOUT_MS)
    assert repo.revision() == revision  # nothing written before the commit
    commit = page.get_by_role("button", name="确认导入")
    expect(commit).to_be_enabled(timeout=TIMEOUT_MS)
    commit.click()
    page.get_by_text("已保存对应方案“6月台账”").wait_for(timeout=TIMEOUT_MS)

    stored = repo.load_inventory().floors.loc[floors.index]
    assert (stored.usable_area_m2 == floors.usable_area_m2 + 10).all()
    assert (stored.clear_height_m == floors.clear_height_m).all()
    (profile,) = repo.mapping_profiles(actor=SYSTEM)
    assert profile.name == "6月台账" and profile.mapping.sheets[0].columns["层高"] is None
    log = repo.audit_log(actor=SYSTEM, table="mapping_profiles")
    assert (log.account.iloc[0], log.record_id.iloc[0]) == (steward, f"{profile.unit}/6月台账")

    uploader = page.locator('input[type="file"]')
    uploader.set_input_files(_workbook(tmp_path, "7月台账", inv, 20))
    page.get_by_text("已套用本单位保存的对应方案“6月台账”").wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("检查通过，没有发现问题").wait_for(timeout=TIMEOUT_MS)
    commit = page.get_by_role("button", name="确认导入")
    expect(commit).to_be_enabled(timeout=TIMEOUT_MS)
    commit.click()
    page.get_by_text("导入完成").wait_for(timeout=TIMEOUT_MS)
    stored = repo.load_inventory().floors.loc[floors.index]
    assert (stored.usable_area_m2 == floors.usable_area_m2 + 20).all()
    page.wait_for_load_state("networkidle")
    assert non_local_requests(page.requested_urls) == []
