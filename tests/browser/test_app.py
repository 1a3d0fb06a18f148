"""The real app in headless Chromium: every carrier drawn, offline; a click opens its card."""

from __future__ import annotations

import pytest

from settings import load_settings
from store.bootstrap import open_store

from .conftest import REPO_ROOT, non_local_requests, sign_in

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000


@pytest.fixture
def app_url(serve_app, tmp_path):
    """The app served from the repository on a fresh SQLite file, and its inventory."""
    url = f"sqlite:///{tmp_path}/browser.sqlite"
    repo = open_store(load_settings(env={"DATABASE_URL": url}))
    return serve_app(REPO_ROOT / "app.py", env={"DATABASE_URL": url}), repo.load_inventory()


def test_map_draws_all_carriers_offline_and_opens_a_card(app_url, page):
    url, inv = app_url
    # The whole map in the window: the sample-account banner pushes it down, and a click on a
    # building of 2 px after scrolling the page is not a click Leaflet sees.
    page.set_viewport_size({"width": 1280, "height": 1200})
    sign_in(page, url, "sample-planner")  # then the planner's first page, the map
    # Loading /signin directly makes Streamlit's page probe /signin/_stcore/… for a base path
    # (404, then it finds the root): not the map's requests.
    page.failed_requests.clear()
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    buildings = frame.locator("path.hq-building")
    buildings.first.wait_for(state="visible", timeout=TIMEOUT_MS)

    assert buildings.count() == len(inv.buildings)
    assert frame.locator("path.hq-plot").count() == len(inv.plots)
    assert frame.locator(".hq-legend").count() == 1
    assert frame.locator(".leaflet-control-layers").count() == 1

    target = buildings.nth(len(inv.buildings) // 2)
    target.hover(force=True)
    frame.locator(".leaflet-tooltip", has_text="载体").wait_for(timeout=TIMEOUT_MS)
    target.click(force=True)
    page.locator(".hq-stacking").wait_for(timeout=TIMEOUT_MS)
    assert page.locator(".hq-floor").count() >= 1

    page.wait_for_load_state("networkidle")
    assert non_local_requests(page.requested_urls) == []
    assert page.failed_requests == []
