"""Browser tests: folium maps draw in headless Chromium with no request off this machine."""

import shutil
from pathlib import Path

import folium
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from geodata.webassets import standalone_html

from .conftest import REPO_ROOT, non_local_requests

pytestmark = pytest.mark.browser

PROBE = Path(__file__).with_name("_probe_app.py")
MAP_TIMEOUT_MS = 30_000


def _wait_for_map(page, polygon) -> None:
    """Wait for the polygon; if it never shows, say which requests went wrong."""
    try:
        polygon.first.wait_for(state="visible", timeout=MAP_TIMEOUT_MS)
    except PlaywrightTimeoutError:
        pytest.fail(
            f"no polygon drawn within {MAP_TIMEOUT_MS / 1000:.0f} s; "
            f"non-local requests: {non_local_requests(page.requested_urls)}; "
            f"failed requests: {page.failed_requests}"
        )


@pytest.fixture
def probe_script(tmp_path) -> Path:
    """The probe page laid out like the real app: a script with the repository's static/ beside it.

    Streamlit serves ``static/`` from the main script's directory, so the probe is copied into a
    fresh directory next to a symlink to the repository's ``static/`` (nothing is added to the
    repository). The server still runs from the repository root, with its .streamlit/config.toml.
    """
    app_dir = tmp_path / "probe"
    app_dir.mkdir()
    (app_dir / "static").symlink_to(REPO_ROOT / "static", target_is_directory=True)
    return Path(shutil.copy(PROBE, app_dir / "probe_app.py"))


@pytest.mark.parametrize("base_url_path", ["", "gis"], ids=["root", "baseUrlPath"])
def test_st_folium_map_draws_offline(serve_app, page, probe_script, base_url_path):
    env = {"STREAMLIT_SERVER_BASE_URL_PATH": base_url_path} if base_url_path else None
    url = serve_app(probe_script, env=env)

    page.goto(f"{url}/")
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    polygon = frame.locator(".leaflet-container .leaflet-overlay-pane path.leaflet-interactive")
    _wait_for_map(page, polygon)
    polygon.first.hover()
    frame.locator(".leaflet-tooltip", has_text="探针地块").wait_for(timeout=MAP_TIMEOUT_MS)
    page.wait_for_load_state("networkidle")

    assert polygon.count() == 1
    assert frame.locator(".leaflet-control-layers").count() == 1
    marker = frame.locator("img.leaflet-marker-icon")
    assert marker.evaluate("img => img.complete && img.naturalWidth > 0")
    vendored = f"{url}/app/static/vendor/leaflet/leaflet.js"
    assert vendored in page.requested_urls
    assert non_local_requests(page.requested_urls) == []
    assert page.failed_requests == []


def test_standalone_html_draws_from_a_file(page, tmp_path):
    m = folium.Map(location=[31.2, 121.31], zoom_start=14, tiles=None)
    folium.GeoJson(
        {
            "type": "Polygon",
            "coordinates": [[[121.30, 31.19], [121.32, 31.19], [121.31, 31.21], [121.30, 31.19]]],
        },
        tooltip="打印页",
    ).add_to(m)
    folium.Marker([31.185, 121.325]).add_to(m)
    path = tmp_path / "map.html"
    path.write_text(standalone_html(m), encoding="utf-8")

    page.goto(path.as_uri())
    polygon = page.locator(".leaflet-container path.leaflet-interactive")
    _wait_for_map(page, polygon)

    assert page.locator("img.leaflet-marker-icon").evaluate(
        "img => img.complete && img.naturalWidth > 0"
    )
    assert page.requested_urls[0] == path.as_uri()
    assert non_local_requests(page.requested_urls) == []
    assert page.failed_requests == []
