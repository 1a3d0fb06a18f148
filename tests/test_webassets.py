"""Tests for geodata.webassets: folium maps that load only vendored front-end files."""

import branca.colormap
import folium
import pytest
from branca.element import MacroElement
from folium.plugins import MarkerCluster
from folium.template import Template

from geodata import webassets
from geodata.webassets import (
    VENDOR_DIR,
    UnvendoredAssetError,
    external_urls,
    localize,
    standalone_html,
    vendor_base_url,
)

BASE = "/app/static/vendor"

PARCELS = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "地块 A", "area_m2": 12000},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [121.30, 31.19],
                        [121.32, 31.19],
                        [121.32, 31.21],
                        [121.30, 31.21],
                        [121.30, 31.19],
                    ]
                ],
            },
        }
    ],
}


class _Legend(MacroElement):
    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <div style="position: fixed; bottom: 20px; left: 20px; z-index: 9999;">
          <b>图例</b><br><i style="background: #3388ff">&nbsp;&nbsp;</i> 载体
        </div>
        {% endmacro %}
        """
    )


def _layered_map() -> folium.Map:
    m = folium.Map(location=[31.2, 121.31], zoom_start=13, tiles=None)
    folium.GeoJson(
        PARCELS, name="地块", tooltip=folium.GeoJsonTooltip(fields=["name", "area_m2"])
    ).add_to(m)
    folium.CircleMarker([31.2, 121.31], radius=6, tooltip=folium.Tooltip("中心")).add_to(m)
    folium.LayerControl().add_to(m)
    m.get_root().add_child(_Legend())
    return m


@pytest.fixture
def layered_map() -> folium.Map:
    return _layered_map()


def _asset_urls(html: str) -> list[str]:
    collector = webassets._UrlCollector()
    collector.feed(html)
    return collector.urls


def test_unlocalized_map_loads_from_cdns(layered_map):
    # Guards the tests below: folium's defaults really do point at the internet.
    assert external_urls(layered_map.get_root().render())


@pytest.mark.parametrize("base_url", [BASE, f"{BASE}/", "/gis/app/static/vendor"])
def test_localized_map_has_no_external_url(layered_map, base_url):
    html = localize(layered_map, base_url=base_url).get_root().render()

    assert external_urls(html) == []
    base = base_url.rstrip("/")
    assert _asset_urls(html) == [
        f"{base}/leaflet/leaflet.js",
        f"{base}/jquery/jquery.min.js",
        f"{base}/leaflet/leaflet.css",
    ]
    assert f'"iconUrl": "{base}/leaflet/images/marker-icon.png"' in html


def test_localize_returns_the_same_map(layered_map):
    assert localize(layered_map, base_url=BASE) is layered_map


def test_localize_fixes_an_already_rendered_figure(layered_map):
    layered_map.get_root().render()
    localize(layered_map, base_url=BASE)

    html = layered_map.get_root().render()

    assert external_urls(html) == []
    assert "bootstrap" not in html


def test_localize_again_moves_to_the_new_base(layered_map):
    localize(layered_map, base_url=BASE)
    html = localize(layered_map, base_url="/gis/app/static/vendor").get_root().render()

    assert all(url.startswith("/gis/app/static/vendor/") for url in _asset_urls(html))
    assert html.count("L.Icon.Default.mergeOptions") == 1


def test_localize_leaves_folium_class_defaults_alone(layered_map):
    before = list(folium.Map.default_js), list(folium.Map.default_css)
    localize(layered_map, base_url=BASE)

    assert (folium.Map.default_js, folium.Map.default_css) == before
    assert external_urls(_layered_map().get_root().render())


def test_localize_keeps_jquery_for_popups():
    m = folium.Map(tiles=None)
    folium.CircleMarker([31.2, 121.31], popup="<b>载体</b>").add_to(m)

    html = localize(m, base_url=BASE).get_root().render()

    assert f"{BASE}/jquery/jquery.min.js" in _asset_urls(html)
    assert external_urls(html) == []


def test_local_url_of_the_app_is_kept():
    m = folium.Map(tiles="/app/static/tiles/{z}/{x}/{y}.png", attr="本地瓦片")

    html = localize(m, base_url=BASE).get_root().render()

    assert "/app/static/tiles/{z}/{x}/{y}.png" in html
    assert external_urls(html) == []


def test_every_vendored_asset_is_on_disk():
    paths = [asset.path for asset in webassets._ASSETS]
    paths += [f"leaflet/images/{name}" for name in webassets._LEAFLET_IMAGES.values()]
    paths += ["leaflet/LICENSE", "jquery/LICENSE.txt", "README.md"]

    assert [path for path in paths if not (VENDOR_DIR / path).is_file()] == []


@pytest.mark.parametrize(
    ("base_url_path", "expected"),
    [
        ("", "/app/static/vendor"),
        ("gis", "/gis/app/static/vendor"),
        ("/gis/", "/gis/app/static/vendor"),
        ("apps/gis", "/apps/gis/app/static/vendor"),
    ],
)
def test_vendor_base_url_follows_base_url_path(base_url_path, expected):
    assert vendor_base_url(base_url_path=base_url_path) == expected


def _with_icon(m: folium.Map) -> None:
    folium.Marker([31.2, 121.31], icon=folium.Icon(color="red", icon="home")).add_to(m)


def _with_plugin(m: folium.Map) -> None:
    MarkerCluster().add_to(m)


def _with_colormap(m: folium.Map) -> None:
    branca.colormap.LinearColormap(["white", "red"], vmin=0, vmax=1).add_to(m)


def _with_osm_tiles(m: folium.Map) -> None:
    folium.TileLayer("OpenStreetMap").add_to(m)


def _with_remote_js(m: folium.Map) -> None:
    m.get_root().header.add_child(
        folium.JavascriptLink("https://unpkg.com/leaflet.heat@0.2.0/dist/leaflet-heat.js"),
        name="heat",
    )


@pytest.mark.parametrize(
    ("add", "element", "url"),
    [
        (_with_icon, "folium.map.Icon icon_", "leaflet.awesome-markers.js"),
        (_with_plugin, "MarkerCluster marker_cluster_", "leaflet.markercluster.js"),
        (_with_colormap, "LinearColormap", "https://d3js.org/d3.v4.min.js"),
        (_with_osm_tiles, "TileLayer", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
        (_with_remote_js, "JavascriptLink", "https://unpkg.com/leaflet.heat@0.2.0/"),
    ],
    ids=["icon", "plugin", "colormap", "osm-tiles", "header-link"],
)
def test_unvendored_asset_is_refused(layered_map, add, element, url):
    add(layered_map)

    with pytest.raises(UnvendoredAssetError, match="not served by the app") as caught:
        localize(layered_map, base_url=BASE)

    assert element in caught.value.element
    assert url in caught.value.url
    assert element in str(caught.value)
    assert url in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_refused_map_is_left_unchanged(layered_map):
    _with_plugin(layered_map)

    with pytest.raises(UnvendoredAssetError):
        localize(layered_map, base_url=BASE)

    assert "default_js" not in vars(layered_map)
    assert "vendored_icon_defaults" not in layered_map._children


def test_empty_base_url_is_refused(layered_map):
    with pytest.raises(ValueError, match="base_url"):
        localize(layered_map, base_url="/")


def test_standalone_html_inlines_leaflet(layered_map):
    html = standalone_html(layered_map)

    assert html.startswith("<!DOCTYPE html>")
    assert external_urls(html) == []
    assert _asset_urls(html) == []
    assert 't.version="1.9.4"' in html
    assert "jQuery v3.7.1" in html
    assert "url(images/" not in html
    assert '"iconUrl": "data:image/png;base64,' in html
    assert "sourceMappingURL" not in html
    assert "L.geoJson(" in html


def test_standalone_html_leaves_the_map_alone(layered_map):
    localize(layered_map, base_url=BASE)

    standalone_html(layered_map)

    html = layered_map.get_root().render()
    assert [url.startswith(f"{BASE}/") for url in _asset_urls(html)] == [True] * 3
    assert "data:image/png" not in html
    assert html.count("L.Icon.Default.mergeOptions") == 1


def test_standalone_html_refuses_unvendored_assets(layered_map):
    _with_icon(layered_map)

    with pytest.raises(UnvendoredAssetError, match=r"folium\.map\.Icon"):
        standalone_html(layered_map)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<script src="https://cdn.example.com/a.js"></script>', ["https://cdn.example.com/a.js"]),
        ('<link rel="stylesheet" href="//cdn.example.com/a.css">', ["//cdn.example.com/a.css"]),
        ('<img src="http://tiles.example.com/1/2/3.png"/>', ["http://tiles.example.com/1/2/3.png"]),
        ('<script src="/app/static/vendor/leaflet/leaflet.js"></script>', []),
        ('<script src="http://localhost:8501/app/static/x.js"></script>', []),
        ('<img src="http://127.0.0.1/x.png"><img src="http://[::1]:8501/y.png">', []),
        ('<img src="data:image/png;base64,AAAA">', []),
        ('<a href="https://www.openstreetmap.org/copyright">OSM</a>', []),
    ],
)
def test_external_urls(html, expected):
    assert external_urls(html) == expected
