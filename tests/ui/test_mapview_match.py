"""The finder's map: matching buildings and plots highlighted, the rest dimmed; public cards."""

from __future__ import annotations

import folium
import pytest

from geodata.layers import base_layers
from settings import load_settings
from spaces.rollup import carrier_table
from spaces.validation import build_inventory
from tests.factories import TRACKS, UNITS, tiny_frames
from ui.cards import building_attributes, plot_attributes
from ui.mapview import MATCH_COLORS, carrier_features, carrier_map, highlight_layer


@pytest.fixture(scope="module")
def layers():
    return base_layers()


@pytest.fixture(scope="module")
def inv():
    return build_inventory(tiny_frames(), units=UNITS, tracks=TRACKS)


@pytest.fixture(scope="module")
def carriers(inv, layers):
    return carrier_table(inv, layers=layers)


def test_match_colouring(inv, carriers):
    f = carrier_features(inv, carriers, color_by="match", matches=["B1"])
    assert f.category.to_dict() == {"P1": "none", "P2": "other", "B1": "match"}
    dim = carrier_features(inv, carriers, color_by="match")
    assert set(dim.category) == {"none", "other"}


def test_match_map_has_its_legend(inv, carriers, layers):
    f = carrier_features(inv, carriers, color_by="match", matches=["B1"])
    html = carrier_map(f, layers, lang="zh", map_settings=load_settings(env={}).map)
    html = html.get_root().render()
    assert "符合条件" in html and "其他载体" in html
    assert MATCH_COLORS["match"] in html


def test_highlight_layer_draws_only_the_matches(inv, carriers, layers):
    f = carrier_features(inv, carriers, color_by="match")
    m = folium.Map()
    highlight_layer(f, ["B1", "P2"], datum="WGS84").add_to(m)
    html = m.get_root().render()
    assert html.count('"cls":"hq-match"') == 1
    assert '"ids":["P2","B1"]' in html
    assert "hqCompact" in html
    empty = folium.Map()
    highlight_layer(f, [], datum="WGS84").add_to(empty)
    assert "hq-match" not in empty.get_root().render()


def test_public_cards_leave_out_readiness_inputs(inv):
    s = load_settings(env={})
    pairs = building_attributes(inv, "B1", lang="zh", settings=s, public=True)
    labels = {k for k, _ in pairs}
    assert "楼栋名称" in labels
    assert not labels & {"建设进度", "配套设施进度", "计划竣工验收日期", "数据来源"}
    labels = {k for k, _ in plot_attributes(inv, "P2", lang="zh", settings=s, public=True)}
    assert "地块名称" in labels and "计划净地交付日期" not in labels
