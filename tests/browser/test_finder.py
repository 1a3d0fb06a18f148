"""The finder in headless Chromium: filters change the count, the map and the link; export."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest

from settings import load_settings
from store.bootstrap import open_store

from .conftest import REPO_ROOT, non_local_requests

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000


@pytest.fixture
def finder_url(serve_app, tmp_path):
    """The app for the public on a fresh SQLite file: the finder is its first page."""
    url = f"sqlite:///{tmp_path}/finder.sqlite"
    open_store(load_settings(env={"DATABASE_URL": url}))
    return serve_app(REPO_ROOT / "app.py", env={"DATABASE_URL": url})


def _count(page) -> int:
    metric = page.locator('[data-testid="stMetric"]', has_text="符合条件的载体")
    return int(metric.locator('[data-testid="stMetricValue"]').inner_text().replace(",", ""))


def _wait_for_count_change(page, before: int) -> int:
    for _ in range(120):
        page.wait_for_timeout(500)
        now = _count(page)
        if now != before:
            return now
    raise AssertionError(f"the count stayed at {before}")


def test_filters_count_map_link_shortlist_and_export(finder_url, page):
    page.goto(f"{finder_url}/?tier=floor")
    page.get_by_role("heading", name="找空间").wait_for(timeout=TIMEOUT_MS)
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    matches = frame.locator("path.hq-match")
    matches.first.wait_for(state="attached", timeout=TIMEOUT_MS)
    floors = _count(page)
    drawn = matches.count()
    assert floors > 0 and 0 < drawn <= floors
    assert frame.locator(".hq-legend", has_text="符合条件").count() == 1

    area_min = page.get_by_label("面积下限 (m²)")
    area_min.fill("2500")
    area_min.press("Enter")
    fewer = _wait_for_count_change(page, floors)
    assert 0 < fewer < floors
    page.wait_for_function("() => location.search.includes('amin=2500')", timeout=TIMEOUT_MS)
    assert "tier=floor" in page.url
    for _ in range(60):  # the highlights are redrawn in place, without reloading the map
        if matches.count() < drawn:
            break
        page.wait_for_timeout(500)
    assert 0 < matches.count() < drawn

    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=TIMEOUT_MS)
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's checkbox
    add = page.get_by_role("button", name=re.compile("加入备选清单（已选 1 个）"))
    add.wait_for(timeout=TIMEOUT_MS)
    add.click()
    page.get_by_role("heading", name="备选清单 (1)").wait_for(timeout=TIMEOUT_MS)

    with page.expect_download(timeout=TIMEOUT_MS) as download:
        page.get_by_role("button", name="下载 Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = book["备选载体清单"]
    assert [c.value for c in sheet[1]][:3] == ["载体编号", "载体名称", "载体梯度"]
    assert sheet.cell(row=2, column=3).value == "一层楼"

    with page.expect_download(timeout=TIMEOUT_MS) as download:
        page.get_by_role("button", name="下载 CSV").click()
    assert Path(download.value.path()).read_bytes().startswith("\ufeff载体编号".encode())

    page.wait_for_load_state("networkidle")
    assert non_local_requests(page.requested_urls) == []


def test_a_shared_link_reproduces_the_search(finder_url, page):
    page.goto(f"{finder_url}/?zone=qianwan&tier=building,plot")
    page.get_by_role("heading", name="找空间").wait_for(timeout=TIMEOUT_MS)
    page.locator('[data-testid="stMetric"]', has_text="符合条件的载体").wait_for(timeout=TIMEOUT_MS)
    first = _count(page)
    other = page.context.new_page()
    other.goto(page.url)
    other.get_by_role("heading", name="找空间").wait_for(timeout=TIMEOUT_MS)
    other.locator('[data-testid="stMetric"]', has_text="符合条件的载体").wait_for(
        timeout=TIMEOUT_MS
    )
    assert _count(other) == first > 0
    other.close()
