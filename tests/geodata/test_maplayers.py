"""Compact map layers: the integer encoding decodes back to the input geometry."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from geodata.maplayers import CompactLayer, encode_geometries, to_js


def _decode_path(flat, x0, y0, scale):
    x, y, out = x0, y0, []
    for k in range(0, len(flat), 2):
        x, y = x + flat[k], y + flat[k + 1]
        out.append((x / scale, y / scale))
    return out


def test_polygons_with_holes_and_multipolygons():
    square = Polygon(
        [(121.30, 31.20), (121.31, 31.20), (121.31, 31.21), (121.30, 31.21)],
        holes=[[(121.302, 31.202), (121.304, 31.202), (121.304, 31.204)]],
    )
    multi = MultiPolygon([box(121.32, 31.19, 121.321, 31.191), box(121.33, 31.19, 121.331, 31.191)])
    enc = encode_geometries(gpd.GeoSeries([square, multi]))
    assert enc["type"] == "polygon"
    first = enc["geoms"][0]
    assert len(first) == 1 and len(first[0]) == 2  # one polygon: exterior and a hole
    ring = _decode_path(first[0][0], enc["x0"], enc["y0"], enc["scale"])
    assert np.allclose(ring, list(square.exterior.coords)[:-1], atol=1e-9)
    hole = _decode_path(first[0][1], enc["x0"], enc["y0"], enc["scale"])
    assert np.allclose(hole, list(square.interiors[0].coords)[:-1], atol=1e-9)
    assert len(enc["geoms"][1]) == 2


def test_lines_and_points():
    line = LineString([(121.3, 31.2), (121.31, 31.205), (121.32, 31.2)])
    enc = encode_geometries(gpd.GeoSeries([line]))
    assert enc["type"] == "line"
    assert np.allclose(
        _decode_path(enc["geoms"][0][0], enc["x0"], enc["y0"], enc["scale"]),
        list(line.coords),
        atol=1e-9,
    )
    pts = encode_geometries(gpd.GeoSeries([Point(121.31, 31.19), Point(121.32, 31.2)]))
    assert pts["type"] == "point"
    assert (pts["x0"] + pts["geoms"][1][0]) / pts["scale"] == pytest.approx(121.32)


def test_one_family_per_layer():
    with pytest.raises(ValueError, match="one family"):
        encode_geometries(gpd.GeoSeries([Point(121.3, 31.2), box(121.3, 31.2, 121.4, 31.3)]))


@given(st.lists(st.tuples(st.floats(121.0, 121.6), st.floats(30.9, 31.4)), min_size=2, max_size=30))
def test_quantisation_error_is_below_a_decimetre(points):
    line = LineString(points)
    enc = encode_geometries(gpd.GeoSeries([line]))
    back = _decode_path(enc["geoms"][0][0], enc["x0"], enc["y0"], enc["scale"])
    assert np.abs(np.array(back) - np.array(points)).max() <= 0.5e-6 + 1e-12


def test_layer_checks_its_inputs():
    geoms = gpd.GeoSeries([box(121.3, 31.2, 121.31, 31.21)])
    with pytest.raises(ValueError, match="same length"):
        CompactLayer(geoms, ids=["a", "b"], categories=[0], styles=[{}])
    with pytest.raises(ValueError, match="index into styles"):
        CompactLayer(geoms, ids=["a"], categories=[1], styles=[{}])


def test_text_is_utf8_and_script_safe():
    assert to_js({"name": "枢纽</script>"}) == '{"name":"枢纽<\\/script>"}'
