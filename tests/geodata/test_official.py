"""Official layer files replace the schematic outlines, with datum detection and warnings."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geodata.crs import from_wgs84
from geodata.layers import LayerError, base_layers, layer
from geodata.official import plan_layer_import
from geodata.offsets import DatumError, datum_from_crs, datum_in_text, looks_like, resolve
from spaces.io import read_vector

DATA = Path(__file__).resolve().parents[1] / "data"
LAYERS = base_layers()


def test_areas_in_cgcs2000_replace_the_schematic_ones():
    frames = read_vector((DATA / "areas_cgcs2000.geojson").read_bytes(), "areas.geojson")
    plan = plan_layer_import(
        frames, filename="areas.geojson", layer="area", stored=LAYERS, revision=1
    )
    assert plan.ok and plan.warnings == ()
    assert plan.datum == "CGCS2000"
    f = plan.features
    assert sorted(f.index) == ["area.hub", "area.qianwan"]  # ids kept: styles and look-ups work
    assert sorted(f.kind) == ["hub", "qianwan"]
    assert not f.approximate.any()
    assert set(f.datum) == {"CGCS2000 → WGS84"} and f.source.str.contains("areas.geojson").all()
    assert set(plan.replaced) == {"area.hub", "area.qianwan"}


def test_gcj02_points_in_a_kml_are_flagged():
    frames = read_vector((DATA / "stations_autonavi.kml").read_bytes(), "stations.kml")
    plan = plan_layer_import(frames, filename="s.kml", layer="station", stored=LAYERS, revision=1)
    assert plan.datum == "WGS84"  # what KML declares
    assert len(plan.warnings) == 2
    assert all("read as GCJ-02 it would lie 0 m" in w for w in plan.warnings)
    declared = plan_layer_import(
        frames, filename="s.kml", layer="station", stored=LAYERS, revision=1, datum="GCJ-02"
    )
    assert declared.warnings == ()
    hub = layer(LAYERS, "station").set_index("name_zh").geometry["虹桥火车站"]
    assert declared.features.set_index("name_zh").geometry["虹桥火车站"].distance(hub) < 1e-6


def test_a_zone_file_without_names_matches_the_single_zone():
    zone = layer(LAYERS, "zone")
    frame = gpd.GeoDataFrame(geometry=zone.geometry.to_crs(4549).values, crs=4549)
    plan = plan_layer_import(
        {"z": frame}, filename="zone.shp", layer="zone", stored=LAYERS, revision=1
    )
    assert plan.ok and list(plan.features.index) == ["zone"]
    assert plan.features.name_zh.iloc[0] == zone.name_zh.iloc[0]


def test_missing_area_kinds_are_a_warning():
    frame = gpd.GeoDataFrame(
        {"名称": ["某片区"]}, geometry=[Point(121.3, 31.2).buffer(0.01)], crs=4326
    )
    plan = plan_layer_import(
        {"x": frame}, filename="x.geojson", layer="area", stored=LAYERS, revision=1
    )
    assert "no feature of kind hub, qianwan" in plan.warnings[0]


def test_bad_features_are_errors_not_exceptions():
    frame = gpd.GeoDataFrame({"name": ["站"]}, geometry=[Point(121.3, 31.2).buffer(0.01)], crs=4326)
    plan = plan_layer_import(
        {"x": frame}, filename="x.geojson", layer="station", stored=LAYERS, revision=1
    )
    assert not plan.ok and "not allowed in layer 'station'" in plan.errors[0]


def test_unknown_layer_and_empty_file():
    with pytest.raises(LayerError, match="unknown layer 'parks'"):
        plan_layer_import({}, filename="x", layer="parks", stored=LAYERS, revision=1)
    with pytest.raises(LayerError, match="holds no features"):
        plan_layer_import({}, filename="x", layer="zone", stored=LAYERS, revision=1)


def test_datum_detection():
    assert datum_from_crs("EPSG:4326") == "WGS84"
    assert datum_from_crs("OGC:CRS84") == "WGS84"
    assert datum_from_crs("EPSG:4490") == "CGCS2000"
    assert datum_from_crs("EPSG:4549") == "EPSG:4549"
    assert datum_from_crs(None) is None and datum_from_crs("EPSG:32651") is None
    assert resolve(None, "EPSG:32651").label == "EPSG:32651"
    assert datum_in_text("轮廓（高德）") == "GCJ-02" and datum_in_text("经度(BD-09)") == "BD-09"
    assert datum_in_text("轮廓") is None
    with pytest.raises(DatumError, match="choose it"):
        resolve(None, None)


def test_looks_like():
    gcj = from_wgs84(gpd.GeoSeries([Point(121.32, 31.19)], crs=4326), datum="GCJ-02")
    assert "longitude/latitude" in looks_like(gcj)
    assert "Shanghai 2000" in looks_like(gpd.GeoSeries([Point(-15000, -4000)]))
