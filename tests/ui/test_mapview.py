"""The carrier map and cards, built without Streamlit and read back as HTML."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from geodata.crs import wgs84_to_gcj02
from geodata.layers import base_layers
from geodata.webassets import external_urls
from settings import MapSettings, load_settings
from spaces.rollup import carrier_table
from spaces.validation import build_inventory
from tests.factories import TRACKS, UNITS, tiny_frames
from ui.cards import building_attributes, plot_attributes, stacking_plan_html
from ui.mapview import (
    carrier_features,
    carrier_map,
    pick_feature,
    selection_layer,
    tooltip_rows,
)


@pytest.fixture(scope="module")
def layers():
    return base_layers()


@pytest.fixture(scope="module")
def inv():
    return build_inventory(tiny_frames(), units=UNITS, tracks=TRACKS)


@pytest.fixture(scope="module")
def carriers(inv, layers):
    return carrier_table(inv, layers=layers)


def render(m) -> str:
    """The page's HTML with JSON's \\uXXXX escapes read back as characters."""
    page = m.get_root().render()
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda u: chr(int(u.group(1), 16)), page)


def compact_layers(page: str) -> list[dict]:
    """The payloads of the page's compact layers (`hqCompact(group, <json>, tip)`)."""
    decoder = json.JSONDecoder()
    out = []
    for match in re.finditer(r"hqCompact\(\w+, ", page):
        payload, _ = decoder.raw_decode(page, match.end())
        out.append(payload)
    return out


def decoded(payload: dict) -> dict[str, list]:
    """Feature id -> its first ring or line (or point) as (lon, lat) pairs, decoded."""
    g = payload["g"]
    out = {}
    for fid, geom in zip(payload["ids"], g["geoms"], strict=True):
        flat = geom if g["type"] == "point" else (geom[0][0] if g["type"] == "polygon" else geom[0])
        x, y, pts = g["x0"], g["y0"], []
        for k in range(0, len(flat), 2):
            if g["type"] == "point":
                x, y = g["x0"] + flat[k], g["y0"] + flat[k + 1]
            else:
                x, y = x + flat[k], y + flat[k + 1]
            pts.append((x / g["scale"], y / g["scale"]))
        out[fid] = pts
    return out


def test_categories_by_tier_and_status(inv, carriers):
    tier = carrier_features(inv, carriers, color_by="tier")
    assert tier.loc["B1", "category"] == "floor_and_room"
    assert tier.loc["P2", "category"] == "plot"
    assert tier.loc["P1", "category"] == "none"  # its land is not offered as a plot
    status = carrier_features(inv, carriers, color_by="status")
    # B1: available 1,000 + 500 m², reserved 1,000 m², leased 400 m² -> available dominates
    assert status.loc["B1", "category"] == "available"
    assert status.loc["P2", "category"] == "reserve_land"
    assert status.loc["B1", "tiers"] == ("room", "floor")
    assert status.loc["B1", "statuses"] == {"available": 2, "leased": 1, "reserved": 1}
    assert status.loc["B1", "available_m2"] == 1500.0


def test_tooltip_rows(inv, carriers):
    features = carrier_features(inv, carriers, color_by="tier")
    rows = dict(zip(features.index, tooltip_rows(features), strict=True))
    # name, carriers, tier indexes (room, floor), counts in STATUSES order, available, rents
    assert rows["B1"] == ["示例大厦", 4, [0, 1], [2, 1, 1, 0, 0], 1500, 6.0, 7.2]
    assert rows["P1"] == ["虹桥示例地块", 0, [], [0, 0, 0, 0, 0], 0, None, None]


def test_unknown_colour_scheme(inv, carriers):
    with pytest.raises(ValueError, match="color_by must be one of"):
        carrier_features(inv, carriers, color_by="rent")


def test_map_is_offline_and_has_every_layer(inv, carriers, layers):
    features = carrier_features(inv, carriers, color_by="tier")
    page = render(carrier_map(features, layers, lang="zh", map_settings=MapSettings()))
    assert external_urls(page) == []
    assert "/app/static/vendor/leaflet/leaflet.js" in page
    for name in [
        "商务区闵行部分",
        "片区",
        "街镇",
        "地铁站",
        "主要道路",
        "河道",
        "载体：地块",
        "载体：楼栋",
    ]:
        assert name in page
    assert "示意范围" in page
    assert "hq-building" in page and "hq-legend" in page
    ids = {i for layer in compact_layers(page) for i in layer["ids"]}
    assert {"B1", "P1", "P2", "area.hub", "area.qianwan", "zone", "station.29"} <= ids
    assert "\\u" not in page.split("hqCompact(", 1)[1]  # UTF-8 text, not \\u escapes


def test_coordinates_survive_encoding(inv, carriers, layers):
    features = carrier_features(inv, carriers, color_by="tier")
    page = render(carrier_map(features, layers, lang="en", map_settings=MapSettings()))
    got = {k: v for layer in compact_layers(page) for k, v in decoded(layer).items()}
    expected = list(inv.buildings.geometry["B1"].exterior.coords)[:-1]
    assert np.allclose(got["B1"], expected, atol=1e-6, rtol=0)
    station = layers.geometry["station.29"]
    assert got["station.29"][0] == pytest.approx((station.x, station.y), abs=1e-6)


def test_autonavi_tiles_shift_our_data_to_gcj02(inv, carriers, layers):
    features = carrier_features(inv, carriers, color_by="tier")
    plain = compact_layers(
        render(carrier_map(features, layers, lang="zh", map_settings=MapSettings()))
    )
    shifted_page = render(
        carrier_map(features, layers, lang="zh", map_settings=MapSettings(basemap="amap"))
    )
    shifted = compact_layers(shifted_page)

    def first_corner(payloads, fid):
        corners = {k: v[0] for p in payloads for k, v in decoded(p).items()}
        return corners[fid]

    lon, lat = first_corner(plain, "B1")
    glon, glat = first_corner(shifted, "B1")
    elon, elat = wgs84_to_gcj02(lon, lat)
    assert glon == pytest.approx(elon, abs=2e-6)
    assert glat == pytest.approx(elat, abs=2e-6)
    assert 0.004 < glon - lon < 0.005  # the ~+0.0045° offset near Hongqiao
    assert "autonavi.com" in shifted_page  # the tiles the user chose, and nothing else


def test_pick_feature(inv, carriers):
    features = carrier_features(inv, carriers, color_by="tier")
    assert pick_feature(features, None) is None
    assert pick_feature(features, {"properties": {"id": "P2"}}) == "P2"
    assert pick_feature(features, {"lat": 31.1908, "lng": 121.3168}) == "B1"  # building wins
    assert pick_feature(features, {"lat": 31.1918, "lng": 121.3178}) == "P1"
    assert pick_feature(features, {"lat": 31.0, "lng": 121.0}) is None
    glon, glat = wgs84_to_gcj02(121.3168, 31.1908)
    assert pick_feature(features, {"lat": glat, "lng": glon}, datum="GCJ-02") == "B1"


def test_stacking_plan_html(inv):
    page = stacking_plan_html(inv, "B1", lang="zh", highlight={"C-R202"})
    levels = re.findall(r'data-level="(-?\d+)"', page)
    assert levels == ["3", "2", "1"]
    statuses = re.findall(r'data-status="(\w+)"', page)
    assert statuses == ["reserved", "leased", "available", "available"]
    assert "#ff1744" in page  # the highlighted room is outlined


def test_card_attributes(inv):
    settings = load_settings(env={})
    pairs = dict(building_attributes(inv, "B1", lang="zh", settings=settings))
    assert pairs["楼栋名称"] == "示例大厦"
    assert pairs["责任单位"] == "新虹街道"
    assert pairs["建设进度"] == "100%"
    assert pairs["实际竣工验收日期"] == "2025-06-01"
    plot = dict(plot_attributes(inv, "P2", lang="en", settings=settings))
    assert plot["Land status"] == "Land reserve"
    assert 62_500 < float(plot["Area (m²)"].replace(",", "")) < 64_000


def test_selection_layer_outlines_one_feature(inv, carriers):
    features = carrier_features(inv, carriers, color_by="tier")
    assert not selection_layer(features, None)._children
    group = selection_layer(features, "B1")
    (layer,) = group._children.values()
    assert [f["properties"]["id"] for f in layer.data["features"]] == ["B1"]
    assert not selection_layer(features, "B404")._children


def test_official_layers_lose_the_schematic_label_and_dashes(inv, carriers, layers):
    """After an official import (approximate false) the map says nothing is schematic there."""
    official = layers.copy()
    outlines = official.layer.isin(["zone", "area", "town"])
    official.loc[outlines, "approximate"] = False
    features = carrier_features(inv, carriers, color_by="tier")
    before = render(carrier_map(features, layers, lang="zh", map_settings=MapSettings()))
    after = render(carrier_map(features, official, lang="zh", map_settings=MapSettings()))
    assert "片区（示意范围）" in before and "片区（示意范围）" not in after
    assert "虚线范围为示意范围" in before and "虚线范围为示意范围" not in after
    assert "主要道路（示意范围）" in after  # roads are still the schematic ones
    hub = next(p for p in compact_layers(after) if "area.hub" in p["ids"])
    assert all("dashArray" not in style for style in hub["styles"])
    hub = next(p for p in compact_layers(before) if "area.hub" in p["ids"])
    assert any("dashArray" in style for style in hub["styles"])
