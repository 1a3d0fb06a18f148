"""Tests of the packaged base layers, their geography and the layer validator."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon, box

from geodata import crs
from geodata.layers import (
    COLUMNS,
    DATA_DIR,
    GEOMETRY_TYPES,
    LAYERS,
    LayerError,
    area_of,
    base_layers,
    layer,
    town_of,
    validate_layers,
)

# Points from shared/reference/reference_points.csv, WGS84 columns (converted from GCJ-02 as
# published by metromancn/MetroMapOpenMiniProgram sh.js, ids in brackets):
RAILWAY_STATION = Point(121.314428, 31.195985)  # 虹桥火车站 metro [29], Minhang/新虹街道
T2 = Point(121.321773, 31.19617)  # 虹桥2号航站楼 metro [30], Minhang
T1 = Point(121.342799, 31.193281)  # 虹桥1号航站楼 metro [250], Changning
NECC_L2 = Point(121.294724, 31.190371)  # 国家会展中心 L2 platform [28], Qingpu
NECC_L17 = Point(121.28858, 31.193692)  # 国家会展中心 L17 platform [376], Qingpu
PANLONG_ROAD = Point(121.274197, 31.188353)  # 蟠龙路 [377], Qingpu
SONGHONG_ROAD = Point(121.354935, 31.220108)  # 淞虹路 [31], Changning
# zh.wikipedia 国家会展中心（上海）, probably GCJ-02, converted (reference_points.csv), Qingpu.
NECC_VENUE = Point(121.292934, 31.193607)
# Line 13 stations in Jiading, north of 吴淞江 (shanghai_metro_stations.csv ids 304, 305).
JINYUN_ROAD = Point(121.314792, 31.242934)
WEST_JINSHAJIANG_ROAD = Point(121.330604, 31.243069)

OUTSIDE_ZONE = {
    "NECC venue": NECC_VENUE,
    "NECC L2 station": NECC_L2,
    "NECC L17 station": NECC_L17,
    "蟠龙路": PANLONG_ROAD,
    "T1": T1,
    "淞虹路": SONGHONG_ROAD,
    "金运路": JINYUN_ROAD,
    "金沙江西路": WEST_JINSHAJIANG_ROAD,
}


@pytest.fixture(scope="module")
def base() -> gpd.GeoDataFrame:
    return base_layers()


def geom(base: gpd.GeoDataFrame, feature_id: str):
    return base.geometry.loc[feature_id]


def km2(geometry) -> float:
    return float(crs.area_m2(gpd.GeoSeries([geometry], crs=crs.WGS84)).iloc[0]) / 1e6


# --- schema -----------------------------------------------------------------------------------


def test_base_layers_schema(base):
    assert base.crs == crs.WGS84
    assert base.index.name == "feature_id"
    assert list(base.columns) == [*COLUMNS[1:], "geometry"]
    assert base.index.is_unique
    assert base["approximate"].dtype == bool
    assert set(base["layer"]) == set(LAYERS)
    for col in ("name_zh", "name_en", "kind", "source", "datum", "method"):
        assert base[col].map(lambda v: isinstance(v, str) and v.strip() != "").all(), col


def test_validate_layers_accepts_the_packaged_layers(base):
    assert validate_layers(base) is base


def test_feature_ids_follow_the_naming_rule(base):
    assert {"zone", "area.hub", "area.qianwan", "town.xinhong", "town.huacao"} <= set(base.index)
    for fid, name in base["layer"].items():
        if name == "zone":
            assert fid == "zone"
        else:
            assert fid.startswith(f"{name}."), fid


def test_kinds_per_layer(base):
    kinds = base.groupby("layer")["kind"].apply(set)
    assert kinds["area"] == {"hub", "qianwan"}
    assert kinds["town"] == {"310112008", "310112106"}
    assert kinds["road"] <= {"expressway", "elevated", "arterial"}
    assert kinds["waterway"] <= {"river", "canal"}
    assert kinds["landmark"] <= {"rail_station", "terminal", "venue"}
    stations = layer(base, "station")
    assert stations["kind"].str.fullmatch(r"[^|]+(\|[^|]+)*").all()
    assert stations.loc["station.29", "kind"] == "2号线|10号线|17号线"


def test_geometry_types_per_layer(base):
    for fid, row in base.iterrows():
        assert row.geometry.geom_type in GEOMETRY_TYPES[row["layer"]], fid


def test_all_geometries_valid(base):
    assert shapely.is_valid(np.asarray(base.geometry.array, dtype=object)).all()


def test_outlines_are_flagged_approximate_and_stations_are_not(base):
    drawn = base[base["layer"].isin(["zone", "area", "town", "road", "waterway"])]
    assert drawn["approximate"].all()
    assert drawn["method"].str.contains("schematic").all()
    assert not layer(base, "station")["approximate"].any()


@pytest.mark.parametrize("path", sorted(DATA_DIR.glob("*.geojson")), ids=lambda p: p.name)
def test_files_are_rfc7946_with_six_decimals(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert "crs" not in data
    coords = shapely.get_coordinates(
        np.array([shapely.from_geojson(json.dumps(f["geometry"])) for f in data["features"]])
    )
    assert np.allclose(coords, np.round(coords, 6), atol=1e-12, rtol=0)
    for feature in data["features"]:
        assert list(feature["properties"]) == list(COLUMNS)


# --- geography --------------------------------------------------------------------------------


def test_zone_area_is_48_km2(base):
    # Action plan: the Minhang part of the CBD is 48 km² (aim within 2 %, required within 5 %).
    assert km2(geom(base, "zone")) == pytest.approx(48.0, rel=0.02)


def test_railway_station_and_t2_in_hub_and_xinhong(base):
    hub, xinhong, zone = (geom(base, f) for f in ("area.hub", "town.xinhong", "zone"))
    for point in (RAILWAY_STATION, T2):
        assert hub.contains(point)
        assert xinhong.contains(point)
        assert zone.contains(point)


def test_hub_inside_xinhong(base):
    assert geom(base, "area.hub").within(geom(base, "town.xinhong"))


def test_qianwan_inside_huacao(base):
    assert geom(base, "area.qianwan").within(geom(base, "town.huacao"))


def test_qianwan_north_of_beidi_beiqing_road(base):
    road = geom(base, "road.beidi-beiqing")
    qianwan = geom(base, "area.qianwan")
    assert not qianwan.intersects(road)
    coords = list(road.coords)  # close the road line with a far-north edge: the half-plane north
    north = Polygon([*coords, (coords[-1][0], 31.35), (coords[0][0], 31.35)])
    assert north.is_valid and qianwan.within(north)


def test_qianwan_is_the_10_km2_priority_core(base):
    # 2021 Qianwan plan: ~10 km² of priority development north of 北青高架 (~30 km² in all).
    assert 8.0 < km2(geom(base, "area.qianwan")) < 12.0


def test_towns_do_not_overlap_and_tile_the_zone(base):
    xinhong, huacao, zone = (geom(base, f) for f in ("town.xinhong", "town.huacao", "zone"))
    assert km2(xinhong.intersection(huacao)) < 1e-6
    assert km2(zone.symmetric_difference(xinhong.union(huacao))) < 0.05


def test_towns_share_their_common_edge_exactly(base):
    xinhong, huacao = geom(base, "town.xinhong"), geom(base, "town.huacao")
    shared = xinhong.boundary.intersection(huacao.boundary)
    assert shared.geom_type in {"LineString", "MultiLineString"}
    shared_len = gpd.GeoSeries([shared], crs=crs.WGS84).to_crs(crs.PROJECTED).length.iloc[0]
    assert shared_len > 5_000  # 北翟路 from the airport to 嘉闵高架, then 嘉闵高架 to NECC
    assert xinhong.touches(huacao)


def test_town_areas_are_plausible(base):
    # Published figures are unreliable; both towns must be substantial and sum to the zone.
    xinhong, huacao = km2(geom(base, "town.xinhong")), km2(geom(base, "town.huacao"))
    assert 12 < xinhong < 30 and 18 < huacao < 36
    assert xinhong + huacao == pytest.approx(km2(geom(base, "zone")), rel=1e-6)


@pytest.mark.parametrize("name", list(OUTSIDE_ZONE))
def test_neighbours_are_outside_the_zone(base, name):
    assert not geom(base, "zone").intersects(OUTSIDE_ZONE[name])


def test_minhang_qingpu_line_runs_between_necc_and_the_railway_station(base):
    zone = geom(base, "zone")
    assert not zone.contains(NECC_VENUE) and zone.contains(RAILWAY_STATION)
    crossing = LineString([NECC_VENUE, RAILWAY_STATION]).intersection(zone.boundary)
    lons = shapely.get_coordinates(crossing)[:, 0]
    assert len(lons) >= 1
    assert ((lons > NECC_VENUE.x) & (lons < RAILWAY_STATION.x)).all()


def test_stations_cover_the_zone_and_its_neighbourhood(base):
    stations = layer(base, "station")
    zone = gpd.GeoSeries([geom(base, "zone")], crs=crs.WGS84).iloc[0]
    d = crs.distance_m(stations, zone)
    assert (d <= 3_000.0 + 1e-6).all()
    inside = set(stations.index[d == 0])
    assert inside == {"station.29", "station.30", "station.410"}
    for sid in ("28", "376", "377", "250", "31", "304", "32"):
        assert f"station.{sid}" in stations.index
    assert stations.geometry.loc["station.29"].equals_exact(RAILWAY_STATION, tolerance=1e-9)


def test_landmarks_where_the_facts_put_them(base):
    zone = geom(base, "zone")
    marks = layer(base, "landmark").geometry
    assert zone.contains(marks.loc["landmark.hongqiao-railway-station"])
    assert zone.contains(marks.loc["landmark.hongqiao-t2"])
    assert not zone.intersects(marks.loc["landmark.hongqiao-t1"])
    assert not zone.intersects(marks.loc["landmark.necc"])
    assert marks.loc["landmark.necc"].equals_exact(NECC_VENUE, tolerance=1e-9)


def test_zone_boundary_follows_the_river_and_the_roads(base):
    zone = geom(base, "zone")
    river = geom(base, "waterway.wusong-jiang")
    shared_river = zone.boundary.intersection(river)
    length = gpd.GeoSeries([shared_river], crs=crs.WGS84).to_crs(crs.PROJECTED).length.iloc[0]
    assert length > 8_000  # 吴淞江 is the whole northern edge
    hqp = zone.boundary.intersection(geom(base, "road.huqingping"))
    assert gpd.GeoSeries([hqp], crs=crs.WGS84).to_crs(crs.PROJECTED).length.iloc[0] > 3_000


# --- helpers ----------------------------------------------------------------------------------


def test_area_of_hub_qianwan_and_outside(base):
    points = gpd.GeoSeries(
        [RAILWAY_STATION, Point(121.29, 31.232), NECC_VENUE, Point(121.33, 31.225)],
        index=["rail", "qianwan", "necc", "huacao_east"],
        crs=crs.WGS84,
    )
    got = area_of(base, points)
    assert got.name == "area" and list(got.index) == list(points.index)
    assert got.to_dict() == {"rail": "hub", "qianwan": "qianwan", "necc": None, "huacao_east": None}


def test_area_of_reprojects_and_keeps_a_duplicate_index(base):
    points = gpd.GeoSeries([T2, T2, T1], index=[7, 7, 8], crs=crs.WGS84).to_crs(crs.PROJECTED)
    got = area_of(base, points)
    assert list(got.index) == [7, 7, 8]
    assert got.tolist() == ["hub", "hub", None]


def test_town_of(base):
    points = gpd.GeoDataFrame(
        geometry=[RAILWAY_STATION, Point(121.29, 31.232), T1],
        index=pd.Index(["rail", "north", "t1"], name="carrier_id"),
        crs=crs.WGS84,
    )
    got = town_of(base, points)
    assert got.to_dict() == {"rail": "310112008", "north": "310112106", "t1": None}
    assert got.index.name == "carrier_id"


def test_area_of_needs_a_crs(base):
    with pytest.raises(ValueError, match="CRS"):
        area_of(base, gpd.GeoSeries([T2]))


def test_layer_subset_and_unknown_name(base):
    assert set(layer(base, "town").index) == {"town.xinhong", "town.huacao"}
    with pytest.raises(LayerError, match=r"unknown layer 'parks'.*zone, area"):
        layer(base, "parks")


# --- validate_layers on small hand-made tables ------------------------------------------------


def _table(**overrides) -> gpd.GeoDataFrame:
    data = {
        "feature_id": ["zone", "station.1", "road.a"],
        "layer": ["zone", "station", "road"],
        "name_zh": ["区", "站", "路"],
        "name_en": ["zone", "station", "road"],
        "kind": ["zone", "1号线", "arterial"],
        "source": ["test", "test", "test"],
        "datum": ["WGS84", "WGS84", "WGS84"],
        "method": ["drawn", "drawn", "drawn"],
        "approximate": [True, False, True],
    }
    geometry = [
        box(121.30, 31.18, 121.34, 31.22),
        Point(121.314428, 31.195985),
        LineString([(121.30, 31.20), (121.34, 31.20)]),
    ]
    crs_ = overrides.pop("crs", crs.WGS84)
    geometry = overrides.pop("geometry", geometry)
    data.update(overrides)
    return gpd.GeoDataFrame(data, geometry=geometry, crs=crs_)


def test_validate_accepts_feature_id_as_column_or_index():
    table = _table()
    assert validate_layers(table) is table
    indexed = table.set_index("feature_id")
    assert validate_layers(indexed) is indexed


BOWTIE = Polygon([(121.30, 31.18), (121.34, 31.22), (121.34, 31.18), (121.30, 31.22)])
ZONE_BOX = box(121.30, 31.18, 121.34, 31.22)
ROAD_LINE = LineString([(121.30, 31.20), (121.34, 31.20)])


@pytest.mark.parametrize(
    ("make", "match"),
    [
        pytest.param(
            lambda: _table().drop(columns="source"), r"missing columns source", id="column"
        ),
        pytest.param(
            lambda: _table(feature_id=["zone", "zone", "road.a"]),
            r"feature 'zone': duplicate feature_id \(rows 0, 1\)",
            id="duplicate",
        ),
        pytest.param(
            lambda: _table(feature_id=["zone", "", "road.a"]),
            r"row 1: feature_id is empty",
            id="blank-id",
        ),
        pytest.param(
            lambda: _table(layer=["zone", "parks", "road"]),
            r"feature 'station.1': unknown layer 'parks'",
            id="layer",
        ),
        pytest.param(
            lambda: _table(geometry=[ZONE_BOX, box(121.31, 31.19, 121.32, 31.2), ROAD_LINE]),
            r"feature 'station.1': geometry type Polygon is not allowed in layer 'station' "
            r"\(expected Point\)",
            id="type",
        ),
        pytest.param(
            lambda: _table(geometry=[BOWTIE, Point(121.31, 31.19), ROAD_LINE]),
            r"feature 'zone': invalid geometry \(Self-intersection",
            id="invalid",
        ),
        pytest.param(
            lambda: _table(geometry=[ZONE_BOX, Point(), ROAD_LINE]),
            r"feature 'station.1': geometry is missing or empty",
            id="empty",
        ),
        pytest.param(lambda: _table(crs=None), r"no CRS", id="no-crs"),
        pytest.param(lambda: _table().to_crs(crs.PROJECTED), r"not WGS84 \(EPSG:4326\)", id="crs"),
        pytest.param(
            lambda: _table(geometry=[ZONE_BOX, Point(31.195985, 121.314428), ROAD_LINE]),
            r"feature 'station.1': coordinates outside plausible Shanghai bounds",
            id="bounds",
        ),
        pytest.param(
            lambda: _table(source=["test", " ", "test"]),
            r"feature 'station.1': source is empty",
            id="source",
        ),
        pytest.param(
            lambda: _table(approximate=[True, "yes", True]),
            r"feature 'station.1': approximate must be true or false",
            id="approximate",
        ),
        pytest.param(lambda: pd.DataFrame({"a": [1]}), r"expected a GeoDataFrame", id="not-gdf"),
    ],
)
def test_validate_layers_errors(make, match):
    with pytest.raises(LayerError, match=match) as info:
        validate_layers(make())
    assert isinstance(info.value, ValueError)
    assert info.value.problems


def test_validate_layers_lists_every_problem():
    bad = _table(layer=["zone", "parks", "lanes"], source=["", "test", "test"])
    with pytest.raises(LayerError) as info:
        validate_layers(bad)
    fids = [fid for fid, _ in info.value.problems]
    assert fids == ["feature 'zone'", "feature 'station.1'", "feature 'road.a'"]
    assert str(info.value).startswith("3 problems in the layers:")
