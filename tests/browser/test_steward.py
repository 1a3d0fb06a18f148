"""A data steward signs in with a browser and edits their own unit's building, and is refused
another unit's, with the units named in words."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from access.permissions import SYSTEM
from settings import load_settings
from store.bootstrap import open_store

from .conftest import REPO_ROOT, non_local_requests, sign_in

pytestmark = pytest.mark.browser

TIMEOUT_MS = 90_000


def test_a_steward_edits_their_own_building_and_not_another_unit_s(serve_app, page, tmp_path):
    db = f"sqlite:///{tmp_path}/steward.sqlite"
    repo = open_store(load_settings(env={"DATABASE_URL": db}))
    url = serve_app(REPO_ROOT / "app.py", env={"DATABASE_URL": db})
    buildings = repo.load_inventory().buildings
    mine = sorted(buildings.index[buildings.responsible_unit == "xinhong"])[0]

    sign_in(page, url, "sample-steward-xinhong")
    page.goto(f"{url}/edit")
    page.get_by_text("新虹街道的数据维护人员").first.wait_for(timeout=TIMEOUT_MS)
    page.get_by_role("tab", name="楼栋与楼层").click()
    form = page.locator('[data-testid="stForm"]').first
    name = form.get_by_label("楼栋名称 *")
    name.wait_for(timeout=TIMEOUT_MS)
    name.fill("新虹维护改名楼")
    form.get_by_role("button", name="保存").click()
    page.get_by_text("已保存 1 条记录").wait_for(timeout=TIMEOUT_MS)
    edited = repo.load_inventory().buildings
    assert edited.at[mine, "name"] == "新虹维护改名楼"
    entry = repo.audit_log(actor=SYSTEM, table="buildings").iloc[0]
    assert (entry.account, entry.record_id) == ("sample-steward-xinhong", mine)

    # Handing the building to another unit is another unit's record: refused, in words.
    page.get_by_role("tab", name="楼栋与楼层").click()
    form = page.locator('[data-testid="stForm"]').first
    box = form.get_by_label("责任单位 *")
    box.click()
    box.press_sequentially("华漕")
    page.get_by_role("option", name="华漕镇").first.click()
    form.get_by_role("button", name="保存").click()
    refusal = page.locator('[data-testid="stAlert"]', has_text="此记录属于华漕镇")
    refusal.wait_for(state="attached", timeout=TIMEOUT_MS)
    tab = page.get_by_role("tab", name="楼栋与楼层")
    expect(tab).to_have_count(1, timeout=TIMEOUT_MS)  # the rerun's elements only
    tab.click()  # the rerun showed the first tab
    refusal.wait_for(timeout=TIMEOUT_MS)
    assert "新虹街道的数据维护人员只能处理本单位的记录" in refusal.inner_text()
    assert "huacao" not in refusal.inner_text()
    assert repo.load_inventory().buildings.at[mine, "responsible_unit"] == "xinhong"
    page.wait_for_load_state("networkidle")
    assert non_local_requests(page.requested_urls) == []
