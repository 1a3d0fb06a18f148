"""Tests of datum transforms, CRS helpers and projected measures."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, box

from geodata import crs
from geodata.crs import (
    CRSMismatchError,
    MissingCRSError,
    UnknownDatumError,
    area_m2,
    bd09_to_gcj02,
    bd09_to_wgs84,
    check_lonlat,
    distance_m,
    from_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    projected,
    to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

# Shanghai region (WGS84 degrees) for property tests.
SH_LON = st.floats(120.85, 122.2, allow_nan=False)
SH_LAT = st.floats(30.65, 31.9, allow_nan=False)
CHINA_LON = st.floats(75.0, 134.0, allow_nan=False)
CHINA_LAT = st.floats(18.0, 53.0, allow_nan=False)

# Reference facts (shared/reference/reference_points.csv, metromancn sh.js id 29): Hongqiao
# Railway Station metro, published GCJ-02 (121.318937, 31.194016), WGS84 (121.314428, 31.195985).
HONGQIAO_GCJ = (121.318937, 31.194016)
HONGQIAO_WGS = (121.314428, 31.195985)


# --- published test vectors -------------------------------------------------------------------


def test_published_vector_wgs84_to_gcj02():
    # Widely quoted vector (shared/reference/README.md): WGS84 (120, 40) -> GCJ-02.
    lon, lat = wgs84_to_gcj02(120.0, 40.0)
    assert lon == pytest.approx(120.00567568355486, abs=1e-12)
    assert lat == pytest.approx(40.0013047896019, abs=1e-12)


# Vectors of wandergis/coordtransform (npm "coordtransform"), README.md "result" block:
#   bd09togcj02(116.404, 39.915)  -> [116.39762729119315, 39.90865673957631]
#   gcj02tobd09(116.404, 39.915)  -> [116.41036949371029, 39.92133699351021]
#   wgs84togcj02(116.404, 39.915) -> [116.41024449916938, 39.91640428150164]
#   gcj02towgs84(116.404, 39.915) -> [116.39775550083061, 39.91359571849836]
# The same values are asserted by athxx/coordtransform-rs and hutool's CoordinateUtilTest.
# The library's two inverses are one-step approximations (errors ~1e-6° for BD-09, ~5e-7° for
# GCJ-02); ours iterate to the exact inverse, so those two are compared at that tolerance.
@pytest.mark.parametrize(
    ("func", "expected", "tol"),
    [
        (wgs84_to_gcj02, (116.41024449916938, 39.91640428150164), 1e-12),
        (gcj02_to_bd09, (116.41036949371029, 39.92133699351021), 1e-12),
        (bd09_to_gcj02, (116.39762729119315, 39.90865673957631), 2e-6),
        (gcj02_to_wgs84, (116.39775550083061, 39.91359571849836), 1e-6),
    ],
)
def test_coordtransform_vectors(func, expected, tol):
    lon, lat = func(116.404, 39.915)
    assert lon == pytest.approx(expected[0], abs=tol)
    assert lat == pytest.approx(expected[1], abs=tol)


def test_inverse_is_exact_where_the_library_approximates():
    lon, lat = gcj02_to_wgs84(116.404, 39.915)
    assert wgs84_to_gcj02(lon, lat) == pytest.approx((116.404, 39.915), abs=1e-12)
    lon, lat = bd09_to_gcj02(116.404, 39.915)
    assert gcj02_to_bd09(lon, lat) == pytest.approx((116.404, 39.915), abs=1e-12)


def test_hongqiao_reference_point_both_ways():
    assert gcj02_to_wgs84(*HONGQIAO_GCJ) == pytest.approx(HONGQIAO_WGS, abs=1e-6)
    assert wgs84_to_gcj02(*HONGQIAO_WGS) == pytest.approx(HONGQIAO_GCJ, abs=1e-6)


def test_gcj02_offset_near_hongqiao_is_about_480_m():
    # Reference README: about +0.0045° lon / -0.0020° lat near Hongqiao, roughly 480 m.
    glon, glat = wgs84_to_gcj02(*HONGQIAO_WGS)
    assert glon - HONGQIAO_WGS[0] == pytest.approx(0.0045, abs=0.0002)
    assert glat - HONGQIAO_WGS[1] == pytest.approx(-0.0020, abs=0.0002)
    pts = gpd.GeoSeries([Point(HONGQIAO_WGS)], crs=crs.WGS84)
    offset = distance_m(pts, Point(glon, glat)).iloc[0]
    assert 430 < offset < 530


# --- vectorisation and out-of-China rule ------------------------------------------------------


def test_arrays_in_arrays_out_and_scalars_stay_scalars():
    lon = np.array([[121.3, 121.4], [121.5, 121.6]])
    lat = np.array([[31.1, 31.2], [31.3, 31.4]])
    glon, glat = wgs84_to_gcj02(lon, lat)
    assert glon.shape == lon.shape and glat.shape == lat.shape
    single = wgs84_to_gcj02(121.4, 31.2)
    assert isinstance(single[0], float)
    assert glon[0, 1] == pytest.approx(single[0], abs=0)
    # broadcasting a scalar latitude
    blon, _ = wgs84_to_gcj02(lon[0], 31.2)
    assert blon.shape == (2,)
    # the input arrays are not modified
    assert lon[0, 0] == 121.3


@pytest.mark.parametrize("func", [wgs84_to_gcj02, gcj02_to_wgs84])
def test_points_outside_china_pass_through(func):
    lon = np.array([2.3522, -74.006, 121.4])  # Paris, New York, Shanghai
    lat = np.array([48.8566, 40.7128, 31.2])
    out_lon, out_lat = func(lon, lat)
    assert out_lon[:2] == pytest.approx(lon[:2], abs=0)
    assert out_lat[:2] == pytest.approx(lat[:2], abs=0)
    assert abs(out_lon[2] - 121.4) > 1e-3


# --- round trips ------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(lon=SH_LON, lat=SH_LAT)
def test_wgs_gcj_round_trip_in_shanghai(lon, lat):
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert back == pytest.approx((lon, lat), abs=1e-6)
    assert abs(back[0] - lon) < 1e-9 and abs(back[1] - lat) < 1e-9


@settings(max_examples=300, deadline=None)
@given(lon=CHINA_LON, lat=CHINA_LAT)
def test_gcj02_inverse_is_accurate_to_1e7_degrees_inside_china(lon, lat):
    wlon, wlat = gcj02_to_wgs84(lon, lat)
    glon, glat = wgs84_to_gcj02(wlon, wlat)
    assert abs(glon - lon) < 1e-7 and abs(glat - lat) < 1e-7


@settings(max_examples=300, deadline=None)
@given(lon=SH_LON, lat=SH_LAT)
def test_bd09_round_trips_in_shanghai(lon, lat):
    assert bd09_to_gcj02(*gcj02_to_bd09(lon, lat)) == pytest.approx((lon, lat), abs=1e-9)
    assert bd09_to_wgs84(*wgs84_to_bd09(lon, lat)) == pytest.approx((lon, lat), abs=1e-9)


@settings(max_examples=50, deadline=None)
@given(points=st.lists(st.tuples(SH_LON, SH_LAT), min_size=1, max_size=50))
def test_round_trip_vectorised(points):
    lon = np.array([p[0] for p in points])
    lat = np.array([p[1] for p in points])
    wlon, wlat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert np.abs(wlon - lon).max() < 1e-9
    assert np.abs(wlat - lat).max() < 1e-9


# --- datum registry and geometry conversion ---------------------------------------------------


def test_registry_has_the_accepted_datums_with_labels():
    assert tuple(crs.DATUMS) == ("WGS84", "CGCS2000", "EPSG:4549", "GCJ-02", "BD-09", "SH2000")
    for code, datum in crs.DATUMS.items():
        assert datum.code == code
        assert datum.label_zh and datum.label_en
    assert crs.DATUMS["SH2000"].approximate
    assert crs.DATUMS["GCJ-02"].crs is None


def test_unknown_datum_names_the_code_and_lists_accepted():
    with pytest.raises(UnknownDatumError, match=r"'WGS-84'.*'WGS84'.*'GCJ-02'.*'SH2000'"):
        to_wgs84(gpd.GeoSeries([Point(121.3, 31.2)]), datum="WGS-84")
    with pytest.raises(ValueError, match="unknown datum"):
        from_wgs84([Point(121.3, 31.2)], datum="gcj02")


@pytest.mark.parametrize("code", list(crs.DATUMS))
def test_from_and_back_to_wgs84_for_every_datum(code):
    geoms = gpd.GeoSeries(
        [
            Point(121.314428, 31.195985),
            box(121.30, 31.18, 121.33, 31.21),
            LineString([(121.25, 31.24), (121.35, 31.23)]),
        ],
        index=["rail", "hub", "river"],
        crs=crs.WGS84,
    )
    there = from_wgs84(geoms, datum=code)
    assert there.attrs["datum"] == code
    assert list(there.index) == ["rail", "hub", "river"]
    plain = there.set_crs(None, allow_override=True)
    back = to_wgs84(plain, datum=code)
    assert back.crs == crs.WGS84
    assert list(back.index) == ["rail", "hub", "river"]
    for a, b in zip(back, geoms, strict=True):
        assert a.equals_exact(b, tolerance=1e-7)


def test_to_wgs84_gcj02_moves_every_vertex_of_a_polygon():
    glon, glat = HONGQIAO_GCJ
    square = Polygon([(glon, glat), (glon + 0.01, glat), (glon + 0.01, glat + 0.01), (glon, glat)])
    out = to_wgs84(np.array([square], dtype=object), datum="GCJ-02")
    first = out.iloc[0].exterior.coords[0]
    assert first == pytest.approx(HONGQIAO_WGS, abs=1e-6)
    assert len(out.iloc[0].exterior.coords) == 4


def test_to_wgs84_accepts_gcj02_labelled_epsg4326_but_rejects_a_projected_crs():
    pts = gpd.GeoSeries([Point(HONGQIAO_GCJ)], crs="EPSG:4326")
    assert to_wgs84(pts, datum="GCJ-02").iloc[0].x == pytest.approx(HONGQIAO_WGS[0], abs=1e-6)
    with pytest.raises(CRSMismatchError, match="projected CRS EPSG:4549"):
        to_wgs84(pts.to_crs(crs.PROJECTED), datum="GCJ-02")


def test_to_wgs84_rejects_a_crs_that_contradicts_the_datum():
    pts = gpd.GeoSeries([Point(121.3, 31.2)], crs="EPSG:4326").to_crs(crs.PROJECTED)
    with pytest.raises(CRSMismatchError, match=r"declared as WGS84.*EPSG:4549"):
        to_wgs84(pts, datum="WGS84")
    assert to_wgs84(pts, datum="EPSG:4549").iloc[0].x == pytest.approx(121.3, abs=1e-9)


def test_from_wgs84_rejects_non_wgs84_input():
    pts = gpd.GeoSeries([Point(121.3, 31.2)], crs="EPSG:4326").to_crs(crs.PROJECTED)
    with pytest.raises(CRSMismatchError, match="expects EPSG:4326"):
        from_wgs84(pts, datum="GCJ-02")


def test_from_wgs84_to_gcj02_matches_the_reference_and_is_display_labelled():
    out = from_wgs84(gpd.GeoSeries([Point(HONGQIAO_WGS)], crs=crs.WGS84), datum="GCJ-02")
    assert (out.iloc[0].x, out.iloc[0].y) == pytest.approx(HONGQIAO_GCJ, abs=1e-6)
    assert out.crs == crs.WGS84  # label only, so that folium accepts it
    assert out.attrs["datum"] == "GCJ-02"


# --- projections ------------------------------------------------------------------------------


def test_epsg4549_easting_is_500000_on_120e():
    out = from_wgs84(gpd.GeoSeries([Point(120.0, 31.2)], crs=crs.WGS84), datum="EPSG:4549")
    assert out.iloc[0].x == pytest.approx(500_000.0, abs=1e-6)
    rail = gpd.GeoSeries([Point(HONGQIAO_WGS)], crs=crs.WGS84)
    east = from_wgs84(rail, datum="EPSG:4549")
    assert 620_000 < east.iloc[0].x < 630_000  # Hongqiao is ~125 km east of 120°E


def test_shanghai_2000_maps_its_published_origin_to_zero():
    # 上海2000坐标系 origin 121°28′01″E / 31°14′07″N (reference_points.csv), CGCS2000 ≈ WGS84.
    origin = (121 + 28 / 60 + 1 / 3600, 31 + 14 / 60 + 7 / 3600)
    t = Transformer.from_crs(crs.CGCS2000, crs.SHANGHAI_2000, always_xy=True)
    x, y = t.transform(*origin)
    assert abs(x) < 0.01 and abs(y) < 0.01
    # Hongqiao lies ~14.6 km west and ~4.4 km south of the People's Square origin.
    hx, hy = t.transform(*HONGQIAO_WGS)
    assert -15_500 < hx < -13_500 and -5_000 < hy < -3_500


# --- measures ---------------------------------------------------------------------------------


def test_area_of_a_known_square_in_metres():
    x0, y0 = 625_000.0, 3_453_000.0  # near Hongqiao in EPSG:4549
    square = gpd.GeoSeries([box(x0, y0, x0 + 1000, y0 + 1000)], index=["sq"], crs=crs.PROJECTED)
    in_degrees = square.to_crs(crs.WGS84)
    areas = area_m2(in_degrees)
    assert areas.name == "area_m2" and list(areas.index) == ["sq"]
    assert areas.iloc[0] == pytest.approx(1_000_000.0, rel=1e-9)


def test_area_of_a_degree_square_is_not_in_degrees():
    # 0.01° x 0.01° at 31.2°N: ~952 m x ~1109 m on the ellipsoid (scale error of 4549 ~2e-4).
    cell = gpd.GeoSeries([box(121.30, 31.20, 121.31, 31.21)], crs=crs.WGS84)
    assert area_m2(cell).iloc[0] == pytest.approx(952.6 * 1108.8, rel=3e-3)


def test_distance_between_aligned_series_and_to_one_geometry():
    a = gpd.GeoSeries([Point(625_000, 3_453_000), Point(626_000, 3_453_000)], index=["p", "q"])
    a = a.set_crs(crs.PROJECTED).to_crs(crs.WGS84)
    b = gpd.GeoSeries([Point(625_000, 3_454_000)], index=["p"], crs=crs.PROJECTED)
    d = distance_m(a, b)
    assert d.name == "distance_m" and list(d.index) == ["p", "q"]
    assert d["p"] == pytest.approx(1000.0, abs=1e-6)
    assert np.isnan(d["q"])
    to_one = distance_m(a, a.iloc[0])
    assert to_one["q"] == pytest.approx(1000.0, abs=1e-6)


def test_projected_reprojects_without_touching_the_input():
    gdf = gpd.GeoDataFrame({"n": [1]}, geometry=[Point(121.3, 31.2)], crs=crs.WGS84)
    out = projected(gdf)
    assert out.crs == crs.PROJECTED
    assert gdf.crs == crs.WGS84


@pytest.mark.parametrize(
    "call",
    [
        lambda g: projected(g),
        lambda g: area_m2(g),
        lambda g: distance_m(g, Point(121.3, 31.2)),
        lambda g: distance_m(gpd.GeoSeries([Point(121.3, 31.2)], crs=crs.WGS84), g),
    ],
)
def test_missing_crs_is_a_clear_error(call):
    naive = gpd.GeoDataFrame(geometry=[Point(121.3, 31.2)])
    with pytest.raises(MissingCRSError, match=r"no CRS.*set_crs"):
        call(naive)


def test_plain_geometries_cannot_be_measured():
    with pytest.raises(MissingCRSError, match="GeoSeries"):
        area_m2([box(0, 0, 1, 1)])


# --- plausibility checks ----------------------------------------------------------------------


def test_check_lonlat_passes_good_input_through():
    good = gpd.GeoSeries([Point(HONGQIAO_WGS)], crs=crs.WGS84)
    assert check_lonlat(good, where="test") is good


def test_check_lonlat_catches_swapped_coordinates():
    swapped = gpd.GeoSeries([Point(121.3, 31.2), Point(31.195985, 121.314428)], index=["a", "b"])
    with pytest.raises(CRSMismatchError, match=r"carriers\.csv.*row 'b'.*swapped"):
        check_lonlat(swapped, where="carriers.csv")


def test_check_lonlat_catches_projected_metres_passed_as_degrees():
    metres = [Point(625_281.1, 3_453_447.9)]
    with pytest.raises(CRSMismatchError, match=r"import.*projected metres"):
        check_lonlat(metres, where="import")


def test_check_lonlat_catches_far_away_degrees_and_projected_crs():
    with pytest.raises(CRSMismatchError, match="not around Shanghai"):
        check_lonlat([Point(116.404, 39.915)], where="beijing")
    projected_series = gpd.GeoSeries([Point(121.3, 31.2)], crs=crs.WGS84).to_crs(crs.PROJECTED)
    with pytest.raises(CRSMismatchError, match="projected CRS"):
        check_lonlat(projected_series, where="layer")
