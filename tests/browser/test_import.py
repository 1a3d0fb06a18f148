"""A steward in Chromium: uploads a file with an error, reads the report, fixes it, commits."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from settings import load_settings
from store.bootstrap import open_store
from store.repository import SYSTEM

from .conftest import REPO_ROOT, non_local_requests, sign_in

pytestmark = pytest.mark.browser

TIMEOUT_MS = 90_000
FLOOR = "BH00001-F01"


def _csv(tmp_path, name: str, power: str) -> str:
    path = tmp_path / name
    path.write_bytes(f"楼层编号,供电容量(kVA)\r\n{FLOOR},{power}\r\n".encode("gbk"))
    return str(path)


@pytest.fixture
def served(serve_app, store_url):
    """The app for a steward of the unit that keeps FLOOR's building, on a new sample store."""
    repo = open_store(load_settings(env={"DATABASE_URL": store_url, "HQ_SAMPLE": "always"}))
    unit = repo.load_inventory().buildings.at[FLOOR.split("-")[0], "responsible_unit"]
    url = serve_app(REPO_ROOT / "app.py", env={"DATABASE_URL": store_url})
    yield url, repo, f"sample-steward-{unit}"
    repo.engine.dispose()


def test_upload_with_an_error_then_the_fixed_file_and_commit(served, page, tmp_path):
    url, repo, login = served
    sign_in(page, url, login)
    page.goto(f"{url}/import")
    page.get_by_text("请选择要导入的文件").wait_for(timeout=TIMEOUT_MS)
    uploader = page.locator('input[type="file"]')

    uploader.set_input_files(_csv(tmp_path, "楼层-有误.csv", "很多"))
    page.get_by_text("文件中有错误，未写入任何数据").wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("问题清单", exact=True).wait_for(timeout=TIMEOUT_MS)
    report = page.locator('[data-testid="stDataFrame"]:visible').first  # not the mapping's
    report.wait_for(timeout=TIMEOUT_MS)
    expect(page.get_by_role("button", name="确认导入")).to_be_disabled(timeout=TIMEOUT_MS)
    revision = repo.revision()

    uploader.set_input_files(_csv(tmp_path, "楼层-已改.csv", "480kVA"))
    page.get_by_text("检查通过，没有发现问题").wait_for(timeout=TIMEOUT_MS)
    commit = page.get_by_role("button", name="确认导入")
    expect(commit).to_be_enabled(timeout=TIMEOUT_MS)  # once the rerun has redrawn it
    assert repo.revision() == revision  # nothing written before the commit
    commit.click()
    page.get_by_text("导入完成").wait_for(timeout=TIMEOUT_MS)

    assert repo.load_inventory().floors.at[FLOOR, "power_kva"] == 480.0
    entry = repo.audit_log(actor=SYSTEM, table="floors").iloc[0]
    assert (entry.actor, entry.account, entry.record_id) == (
        repo.account(login).display_name,
        login,
        FLOOR,
    )
    page.wait_for_load_state("networkidle")
    assert non_local_requests(page.requested_urls) == []
