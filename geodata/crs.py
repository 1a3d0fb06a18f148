"""CRS and datum handling: WGS84, CGCS2000, GCJ-02, BD-09, Shanghai 2000 and metric measures."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

__all__ = [
    "CGCS2000",
    "DATUMS",
    "PROJECTED",
    "SHANGHAI_2000",
    "SHANGHAI_BOUNDS",
    "WGS84",
    "CRSMismatchError",
    "Datum",
    "MissingCRSError",
    "UnknownDatumError",
    "area_m2",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "check_lonlat",
    "distance_m",
    "from_wgs84",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "get_datum",
    "out_of_china",
    "projected",
    "to_wgs84",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]

WGS84 = "EPSG:4326"
"""WGS84 longitude/latitude: the CRS every geometry of the product is stored in."""

CGCS2000 = "EPSG:4490"
"""CGCS2000 geographic; equal to WGS84 to about a metre, so no datum shift is applied."""

PROJECTED = "EPSG:4549"
"""CGCS2000 / 3-degree Gauss-Kruger CM 120E (500 000 m easting on 120°E): areas and distances."""

SHANGHAI_2000 = (
    "+proj=tmerc +lat_0=31.235277777777778 +lon_0=121.46444444444445 +k=1.0000025627"
    " +x_0=-238.173 +y_0=-0.003 +ellps=GRS80 +units=m +no_defs +type=crs"
)
"""Approximate PROJ string for 上海2000坐标系 (Shanghai 2000 local grid). APPROXIMATE.

Gauss-Krüger on the CGCS2000 ellipsoid (GRS80), central meridian 121°27′52″E, origin
121°28′01″E / 31°14′07″N, projection plane at 16.32 m (scale 1 + 16.32 m / R ≈ 1.0000025627).
The official false easting/northing are not published, so ``x_0``/``y_0`` are chosen to map the
published origin to (0, 0). Coordinates will differ from official Shanghai 2000 values by an
unknown constant until checked against a control point. Axis order here is (easting, northing);
survey convention lists X = northing, Y = easting.
"""

SHANGHAI_BOUNDS = (120.5, 30.4, 122.5, 32.1)
"""(min lon, min lat, max lon, max lat) of plausible WGS84 coordinates for Shanghai data."""

# Krasovsky ellipsoid parameters used by the GCJ-02 obfuscation, and Baidu's BD-09 constant.
_GCJ_A = 6378245.0
_GCJ_EE = 0.00669342162296594323
_BD_X_PI = np.pi * 3000.0 / 180.0
_INVERSE_ITERATIONS = 8  # each fixed-point step gains ~2-3 digits; 8 reach float precision
_CHINA_BOUNDS = (72.004, 0.8293, 137.8347, 55.8271)


class UnknownDatumError(ValueError):
    """A datum code is not one the product accepts."""


class MissingCRSError(ValueError):
    """Geometries carry no CRS where one is needed to measure or reproject them."""


class CRSMismatchError(ValueError):
    """Coordinates or a CRS do not match what was declared or expected."""


@dataclass(frozen=True, slots=True)
class Datum:
    """A coordinate datum or grid the product accepts on import.

    Attributes
    ----------
    code : str
        Code used in settings, files and the UI, e.g. ``"GCJ-02"``.
    label_zh, label_en : str
        Human labels in Chinese and English.
    crs : str or None
        CRS that pyproj understands, or None for the obfuscated web datums (GCJ-02, BD-09),
        which are non-linear offsets of WGS84 rather than CRSs.
    approximate : bool
        True where the definition itself is approximate (Shanghai 2000).
    """

    code: str
    label_zh: str
    label_en: str
    crs: str | None
    approximate: bool = False


DATUMS: Mapping[str, Datum] = MappingProxyType(
    {
        d.code: d
        for d in (
            Datum("WGS84", "WGS84 经纬度（GPS、OpenStreetMap）", "WGS84 lon/lat (GPS, OSM)", WGS84),
            Datum(
                "CGCS2000",
                "CGCS2000 国家大地坐标系（经纬度，天地图）",
                "CGCS2000 geographic lon/lat (Tianditu)",
                CGCS2000,
            ),
            Datum(
                "EPSG:4549",
                "CGCS2000 3度带高斯-克吕格投影（中央经线120°E，米）",
                "CGCS2000 / 3-degree Gauss-Kruger CM 120E (metres)",
                PROJECTED,
            ),
            Datum("GCJ-02", "GCJ-02 国测局坐标（高德、腾讯）", "GCJ-02 (Gaode, Tencent)", None),
            Datum("BD-09", "BD-09 百度坐标", "BD-09 (Baidu Maps)", None),
            Datum(
                "SH2000",
                "上海2000坐标系（近似，米）",
                "Shanghai 2000 local grid (approximate, metres)",
                SHANGHAI_2000,
                approximate=True,
            ),
        )
    }
)
"""The datums the product accepts, by code."""


def get_datum(code: str) -> Datum:
    """Return the registered datum for a code.

    Parameters
    ----------
    code : str
        One of the keys of :data:`DATUMS`.

    Returns
    -------
    Datum

    Raises
    ------
    UnknownDatumError
        If the code is not registered; the message lists the accepted codes.
    """
    try:
        return DATUMS[code]
    except (KeyError, TypeError):
        accepted = ", ".join(repr(c) for c in DATUMS)
        raise UnknownDatumError(
            f"unknown datum code {code!r}: use one of {accepted} "
            "(declare the datum the coordinates were published in)"
        ) from None


# --- point transforms (vectorised) -------------------------------------------------------------


def out_of_china(lon: Any, lat: Any) -> np.ndarray:
    """Return True where a point lies outside the rough bounding box of China.

    This is the usual ``out_of_china`` rule of GCJ-02 libraries (lon 72.004–137.8347,
    lat 0.8293–55.8271). GCJ-02 and BD-09 transforms leave such points unchanged. It is a
    bounding box, not the border: points in neighbouring countries inside the box are shifted.

    Parameters
    ----------
    lon, lat : array_like or float
        Longitude and latitude in degrees.

    Returns
    -------
    numpy.ndarray of bool
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    min_lon, min_lat, max_lon, max_lat = _CHINA_BOUNDS
    return (lon < min_lon) | (lon > max_lon) | (lat < min_lat) | (lat > max_lat)


def _gcj_offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = lon - 105.0
    y = lat - 35.0
    sqrt_abs_x = np.sqrt(np.abs(x))
    common = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * sqrt_abs_x
        + common
        + (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
        + (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    )
    dlon = (
        300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * sqrt_abs_x
        + common
        + (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
        + (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    )
    rad_lat = lat / 180.0 * np.pi
    magic = 1.0 - _GCJ_EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = dlat * 180.0 / ((_GCJ_A * (1.0 - _GCJ_EE)) / (magic * sqrt_magic) * np.pi)
    dlon = dlon * 180.0 / (_GCJ_A / sqrt_magic * np.cos(rad_lat) * np.pi)
    return dlon, dlat


def _result(lon: np.ndarray, lat: np.ndarray, scalar: bool) -> tuple[Any, Any]:
    if scalar:
        return float(lon), float(lat)
    return lon, lat


def _inputs(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray, bool]:
    scalar = np.ndim(lon) == 0 and np.ndim(lat) == 0
    lon_a, lat_a = np.broadcast_arrays(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return lon_a.astype(float, copy=True), lat_a.astype(float, copy=True), scalar


def wgs84_to_gcj02(lon: Any, lat: Any) -> tuple[Any, Any]:
    """Convert WGS84 longitude/latitude to GCJ-02 (the datum of AutoNavi/Gaode and Tencent maps).

    Points outside China (see :func:`out_of_china`) pass through unchanged.

    Parameters
    ----------
    lon, lat : array_like or float
        WGS84 longitude and latitude in degrees; arrays broadcast together.

    Returns
    -------
    tuple
        (lon, lat) in GCJ-02: floats for scalar input, numpy arrays otherwise.
    """
    lon_a, lat_a, scalar = _inputs(lon, lat)
    dlon, dlat = _gcj_offset(lon_a, lat_a)
    outside = out_of_china(lon_a, lat_a)
    out_lon = np.where(outside, lon_a, lon_a + dlon)
    out_lat = np.where(outside, lat_a, lat_a + dlat)
    return _result(out_lon, out_lat, scalar)


def gcj02_to_wgs84(lon: Any, lat: Any) -> tuple[Any, Any]:
    """Convert GCJ-02 longitude/latitude to WGS84 by iterating on the forward transform.

    The inverse has no closed form. Starting from the one-step approximation used by most
    libraries (error up to ~5e-7°), fixed-point iteration reaches ~1e-13° inside China, far
    below the 1e-7° the product needs. Points outside China pass through unchanged.

    Parameters
    ----------
    lon, lat : array_like or float
        GCJ-02 longitude and latitude in degrees; arrays broadcast together.

    Returns
    -------
    tuple
        (lon, lat) in WGS84: floats for scalar input, numpy arrays otherwise.
    """
    lon_a, lat_a, scalar = _inputs(lon, lat)
    outside = out_of_china(lon_a, lat_a)
    dlon, dlat = _gcj_offset(lon_a, lat_a)
    w_lon = lon_a - dlon
    w_lat = lat_a - dlat
    for _ in range(_INVERSE_ITERATIONS):
        dlon, dlat = _gcj_offset(w_lon, w_lat)
        w_lon = lon_a - dlon
        w_lat = lat_a - dlat
    out_lon = np.where(outside, lon_a, w_lon)
    out_lat = np.where(outside, lat_a, w_lat)
    return _result(out_lon, out_lat, scalar)


def _gcj_to_bd(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    z = np.hypot(lon, lat) + 0.00002 * np.sin(lat * _BD_X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _BD_X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def gcj02_to_bd09(lon: Any, lat: Any) -> tuple[Any, Any]:
    """Convert GCJ-02 longitude/latitude to BD-09 (Baidu Maps).

    Parameters
    ----------
    lon, lat : array_like or float
        GCJ-02 longitude and latitude in degrees; arrays broadcast together.

    Returns
    -------
    tuple
        (lon, lat) in BD-09: floats for scalar input, numpy arrays otherwise.
    """
    lon_a, lat_a, scalar = _inputs(lon, lat)
    return _result(*_gcj_to_bd(lon_a, lat_a), scalar)


def bd09_to_gcj02(lon: Any, lat: Any) -> tuple[Any, Any]:
    """Convert BD-09 longitude/latitude to GCJ-02.

    Starts from the closed-form approximation published with most libraries (round-trip error
    up to ~2e-6°) and refines it by fixed-point iteration on :func:`gcj02_to_bd09`, so that a
    round trip returns the input to ~1e-12°.

    Parameters
    ----------
    lon, lat : array_like or float
        BD-09 longitude and latitude in degrees; arrays broadcast together.

    Returns
    -------
    tuple
        (lon, lat) in GCJ-02: floats for scalar input, numpy arrays otherwise.
    """
    lon_a, lat_a, scalar = _inputs(lon, lat)
    x = lon_a - 0.0065
    y = lat_a - 0.006
    z = np.hypot(x, y) - 0.00002 * np.sin(y * _BD_X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _BD_X_PI)
    g_lon = z * np.cos(theta)
    g_lat = z * np.sin(theta)
    for _ in range(_INVERSE_ITERATIONS):
        b_lon, b_lat = _gcj_to_bd(g_lon, g_lat)
        g_lon = g_lon - (b_lon - lon_a)
        g_lat = g_lat - (b_lat - lat_a)
    return _result(g_lon, g_lat, scalar)


def wgs84_to_bd09(lon: Any, lat: Any) -> tuple[Any, Any]:
    """Convert WGS84 longitude/latitude to BD-09 (through GCJ-02).

    Parameters
    ----------
    lon, lat : array_like or float
        WGS84 longitude and latitude in degrees.

    Returns
    -------
    tuple
        (lon, lat) in BD-09.
    """
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: Any, lat: Any) -> tuple[Any, Any]:
    """Convert BD-09 longitude/latitude to WGS84 (through GCJ-02).

    Parameters
    ----------
    lon, lat : array_like or float
        BD-09 longitude and latitude in degrees.

    Returns
    -------
    tuple
        (lon, lat) in WGS84.
    """
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


_OBFUSCATED: Mapping[str, tuple[Callable[..., tuple[Any, Any]], Callable[..., tuple[Any, Any]]]]
_OBFUSCATED = MappingProxyType(
    {
        # code: (to WGS84, from WGS84)
        "GCJ-02": (gcj02_to_wgs84, wgs84_to_gcj02),
        "BD-09": (bd09_to_wgs84, wgs84_to_bd09),
    }
)


# --- geometry-level helpers --------------------------------------------------------------------


def _as_geoseries(geoms: Any) -> gpd.GeoSeries:
    if isinstance(geoms, gpd.GeoDataFrame):
        return geoms.geometry
    if isinstance(geoms, gpd.GeoSeries):
        return geoms
    if isinstance(geoms, shapely.Geometry):
        return gpd.GeoSeries([geoms])
    return gpd.GeoSeries(list(geoms) if not isinstance(geoms, np.ndarray) else geoms)


def _apply_pointwise(
    gs: gpd.GeoSeries, func: Callable[..., tuple[Any, Any]], crs: str | None
) -> gpd.GeoSeries:
    def _coords(xy: np.ndarray) -> np.ndarray:
        lon, lat = func(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])

    moved = shapely.transform(np.asarray(gs.array, dtype=object), _coords)
    return gpd.GeoSeries(moved, index=gs.index, crs=crs, name=gs.name)


def _crs_label(crs: Any) -> str:
    if crs is None:
        return "no CRS"
    epsg = CRS.from_user_input(crs).to_epsg()
    return f"EPSG:{epsg}" if epsg else CRS.from_user_input(crs).name


def to_wgs84(geoms: Any, *, datum: str) -> gpd.GeoSeries:
    """Convert geometries published in a given datum to WGS84 (EPSG:4326).

    Parameters
    ----------
    geoms : GeoSeries, GeoDataFrame or array_like of shapely geometries
        The geometries as published. A GeoSeries/GeoDataFrame may carry a CRS; it must agree
        with ``datum`` (GCJ-02/BD-09 data may be labelled EPSG:4326 or EPSG:4490 or have no
        CRS, since those datums have no EPSG code). Plain arrays carry no CRS: ``datum`` alone
        declares it.
    datum : str
        Code of the datum the coordinates are in, a key of :data:`DATUMS`.

    Returns
    -------
    geopandas.GeoSeries
        Geometries in EPSG:4326, indexed like the input.

    Raises
    ------
    UnknownDatumError
        If ``datum`` is not registered.
    CRSMismatchError
        If the input carries a CRS that contradicts ``datum``.
    """
    d = get_datum(datum)
    gs = _as_geoseries(geoms)
    if d.crs is None:
        if gs.crs is not None and not CRS.from_user_input(gs.crs).is_geographic:
            raise CRSMismatchError(
                f"geometries declared as {d.code} carry the projected CRS {_crs_label(gs.crs)}; "
                f"{d.code} is longitude/latitude: pass the datum the data really is in"
            )
        to_wgs, _ = _OBFUSCATED[d.code]
        return _apply_pointwise(gs, to_wgs, WGS84)
    if gs.crs is not None and not CRS.from_user_input(gs.crs).equals(CRS.from_user_input(d.crs)):
        raise CRSMismatchError(
            f"geometries declared as {d.code} ({_crs_label(d.crs)}) carry the CRS "
            f"{_crs_label(gs.crs)}: pass the datum matching their CRS, or drop the CRS"
        )
    return gs.set_crs(d.crs, allow_override=True).to_crs(WGS84)


def from_wgs84(geoms: Any, *, datum: str) -> gpd.GeoSeries:
    """Convert WGS84 geometries to another datum, e.g. to overlay them on a GCJ-02 basemap.

    Parameters
    ----------
    geoms : GeoSeries, GeoDataFrame or array_like of shapely geometries
        Geometries in WGS84. A GeoSeries/GeoDataFrame with a CRS must be in EPSG:4326; plain
        arrays and CRS-less series are taken to be WGS84.
    datum : str
        Target datum code, a key of :data:`DATUMS`.

    Returns
    -------
    geopandas.GeoSeries
        Geometries in the target datum, indexed like the input. For GCJ-02 and BD-09, which
        have no EPSG code, the result is labelled EPSG:4326 so that web-map tools (folium)
        accept it unchanged, and ``attrs["datum"]`` records the real datum: use such output for
        display only, never to measure or to store.

    Raises
    ------
    UnknownDatumError
        If ``datum`` is not registered.
    CRSMismatchError
        If the input carries a CRS other than EPSG:4326.
    """
    d = get_datum(datum)
    gs = _as_geoseries(geoms)
    if gs.crs is not None and not CRS.from_user_input(gs.crs).equals(CRS.from_user_input(WGS84)):
        raise CRSMismatchError(
            f"from_wgs84 expects EPSG:4326 but the geometries carry {_crs_label(gs.crs)}: "
            "convert them with to_wgs84(..., datum=...) first"
        )
    gs = gs.set_crs(WGS84, allow_override=True)
    if d.crs is None:
        _, from_wgs = _OBFUSCATED[d.code]
        out = _apply_pointwise(gs, from_wgs, WGS84)
    else:
        out = gs.to_crs(d.crs)
    out.attrs["datum"] = d.code
    return out


def _require_crs(geoms: Any, what: str) -> gpd.GeoSeries:
    if not isinstance(geoms, gpd.GeoSeries | gpd.GeoDataFrame):
        raise MissingCRSError(
            f"{what} needs a GeoSeries or GeoDataFrame with a CRS, got {type(geoms).__name__}: "
            "wrap the geometries in a GeoSeries with crs='EPSG:4326' (or their real CRS)"
        )
    if geoms.crs is None:
        raise MissingCRSError(
            f"{what}: the geometries have no CRS, so they cannot be measured in metres; "
            "set it with .set_crs('EPSG:4326') (or the CRS they were published in)"
        )
    return _as_geoseries(geoms)


def projected(gdf: Any) -> Any:
    """Reproject a GeoDataFrame or GeoSeries to :data:`PROJECTED` (EPSG:4549, metres).

    Parameters
    ----------
    gdf : GeoDataFrame or GeoSeries
        Input with a CRS.

    Returns
    -------
    GeoDataFrame or GeoSeries
        A reprojected copy; the input is not changed.

    Raises
    ------
    MissingCRSError
        If the input has no CRS.
    """
    _require_crs(gdf, "projected()")
    return gdf.to_crs(PROJECTED)


def area_m2(geoms: Any) -> pd.Series:
    """Area of each geometry in square metres, computed in EPSG:4549.

    Parameters
    ----------
    geoms : GeoSeries or GeoDataFrame
        Geometries with a CRS.

    Returns
    -------
    pandas.Series
        Float areas named ``area_m2``, indexed like the input.

    Raises
    ------
    MissingCRSError
        If the input has no CRS.
    """
    gs = _require_crs(geoms, "area_m2()")
    return pd.Series(gs.to_crs(PROJECTED).area.to_numpy(), index=gs.index, name="area_m2")


def distance_m(a: Any, b: Any) -> pd.Series:
    """Distance in metres from each geometry of ``a`` to ``b``, computed in EPSG:4549.

    Parameters
    ----------
    a : GeoSeries or GeoDataFrame
        Geometries with a CRS.
    b : GeoSeries, GeoDataFrame or shapely geometry
        A GeoSeries/GeoDataFrame with a CRS is aligned with ``a`` by index (as in
        :meth:`geopandas.GeoSeries.distance`); a single shapely geometry is taken to be in the
        CRS of ``a`` and measured against every row.

    Returns
    -------
    pandas.Series
        Float distances named ``distance_m``, indexed like ``a``.

    Raises
    ------
    MissingCRSError
        If ``a``, or ``b`` when it is a GeoSeries/GeoDataFrame, has no CRS.
    """
    ga = _require_crs(a, "distance_m() argument a")
    pa = ga.to_crs(PROJECTED)
    if isinstance(b, shapely.Geometry):
        pb: Any = gpd.GeoSeries([b], crs=ga.crs).to_crs(PROJECTED).iloc[0]
        dist = pa.distance(pb)
    else:
        pb = _require_crs(b, "distance_m() argument b").to_crs(PROJECTED)
        dist = pa.distance(pb, align=True).reindex(ga.index)
    return pd.Series(dist.to_numpy(), index=ga.index, name="distance_m")


def _diagnose(lon: float, lat: float) -> str:
    min_lon, min_lat, max_lon, max_lat = SHANGHAI_BOUNDS
    if not (np.isfinite(lon) and np.isfinite(lat)):
        return "it is not a finite number"
    if min_lat <= lon <= max_lat and min_lon <= lat <= max_lon:
        return "longitude and latitude look swapped; give coordinates as (lon, lat)"
    if abs(lon) > 180 or abs(lat) > 90:
        return (
            "it looks like projected metres (e.g. EPSG:4549 or Shanghai 2000) passed as degrees; "
            "convert with geodata.crs.to_wgs84(..., datum='EPSG:4549' or 'SH2000')"
        )
    return "it is not around Shanghai; check the datum, the columns and the sign of the values"


def check_lonlat(geoms: Any, *, where: str) -> Any:
    """Check that coordinates are plausible WGS84 longitude/latitude around Shanghai.

    Catches projected metres passed as degrees, swapped longitude/latitude and stray values
    before they reach the map or the database.

    Parameters
    ----------
    geoms : GeoSeries, GeoDataFrame or array_like of shapely geometries
        Geometries to check; every vertex must lie in :data:`SHANGHAI_BOUNDS`.
    where : str
        What is being checked, for the message, e.g. ``"carriers.csv column geometry"``.

    Returns
    -------
    The input, unchanged, so that the call can be chained.

    Raises
    ------
    CRSMismatchError
        If the geometries carry a projected CRS, or any coordinate is implausible; the message
        names the first offending row and what the values look like.
    """
    gs = _as_geoseries(geoms)
    if gs.crs is not None and not CRS.from_user_input(gs.crs).is_geographic:
        raise CRSMismatchError(
            f"{where}: geometries carry the projected CRS {_crs_label(gs.crs)}, not "
            "longitude/latitude; reproject them with .to_crs('EPSG:4326') first"
        )
    coords, index = shapely.get_coordinates(np.asarray(gs.array, dtype=object), return_index=True)
    if len(coords) == 0:
        return geoms
    min_lon, min_lat, max_lon, max_lat = SHANGHAI_BOUNDS
    lon, lat = coords[:, 0], coords[:, 1]
    with np.errstate(invalid="ignore"):
        ok = (lon >= min_lon) & (lon <= max_lon) & (lat >= min_lat) & (lat <= max_lat)
    if ok.all():
        return geoms
    bad = np.flatnonzero(~ok)
    first = bad[0]
    label = gs.index[index[first]]
    n_rows = len(np.unique(index[bad]))
    raise CRSMismatchError(
        f"{where}: {n_rows} geometr{'y' if n_rows == 1 else 'ies'} with coordinates that are not "
        f"plausible WGS84 lon/lat around Shanghai (lon {min_lon}–{max_lon}, lat {min_lat}–"
        f"{max_lat}); first at row {label!r}: ({lon[first]:.6f}, {lat[first]:.6f}): "
        f"{_diagnose(float(lon[first]), float(lat[first]))}"
    )
