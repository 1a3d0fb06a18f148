"""Base GIS layers of the zone (zone, areas, towns, stations, roads, waterways, landmarks)."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from geodata.crs import SHANGHAI_BOUNDS, WGS84, MissingCRSError

__all__ = [
    "COLUMNS",
    "DATA_DIR",
    "GEOMETRY_TYPES",
    "LAYERS",
    "LayerError",
    "area_of",
    "base_layers",
    "layer",
    "town_of",
    "validate_layers",
]

LAYERS = ("zone", "area", "town", "station", "road", "waterway", "landmark")
"""Layer names, in drawing order from bottom to top."""

COLUMNS = (
    "feature_id",
    "layer",
    "name_zh",
    "name_en",
    "kind",
    "source",
    "datum",
    "method",
    "approximate",
)
"""Properties every feature carries; ``feature_id`` becomes the index of :func:`base_layers`."""

_POLYGONS = frozenset({"Polygon", "MultiPolygon"})
_LINES = frozenset({"LineString", "MultiLineString"})
_POINTS = frozenset({"Point"})

GEOMETRY_TYPES = MappingProxyType(
    {
        "zone": _POLYGONS,
        "area": _POLYGONS,
        "town": _POLYGONS,
        "station": _POINTS,
        "road": _LINES,
        "waterway": _LINES,
        "landmark": _POINTS,
    }
)
"""Geometry types allowed in each layer."""

DATA_DIR = Path(__file__).resolve().parent / "data"
"""Directory of the packaged layer files (see its README.md for sources)."""

_FILES = MappingProxyType(
    {
        "zone": "zone.geojson",
        "area": "areas.geojson",
        "town": "towns.geojson",
        "station": "stations.geojson",
        "road": "roads.geojson",
        "waterway": "waterways.geojson",
        "landmark": "landmarks.geojson",
    }
)
_REQUIRED_TEXT = ("name_zh", "source", "datum", "method")
_MAX_LISTED = 10


class LayerError(ValueError):
    """A layer table breaks the schema; ``problems`` lists (feature_id, problem) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = list(problems)
        shown = [f"{fid}: {what}" if fid else what for fid, what in self.problems[:_MAX_LISTED]]
        more = len(self.problems) - len(shown)
        tail = f"; and {more} more" if more > 0 else ""
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} {noun} in the layers: {'; '.join(shown)}{tail}")


def base_layers() -> gpd.GeoDataFrame:
    """Load the packaged base layers of the zone.

    Returns
    -------
    geopandas.GeoDataFrame
        All features of :data:`LAYERS`, in EPSG:4326, indexed by ``feature_id``, with the
        columns ``layer, name_zh, name_en, kind, source, datum, method, approximate`` (bool)
        and ``geometry``. Outlines are schematic (``approximate`` is True): see
        ``geodata/data/README.md``.

    Raises
    ------
    LayerError
        If a packaged file breaks the schema (a packaging bug).
    """
    frames = [_read_layer_file(DATA_DIR / _FILES[name]) for name in LAYERS]
    gdf = pd.concat(frames, ignore_index=True)
    gdf = gpd.GeoDataFrame(gdf, geometry="geometry", crs=WGS84)
    gdf["approximate"] = gdf["approximate"].astype(bool)
    gdf = gdf.set_index("feature_id")[[*COLUMNS[1:], "geometry"]]
    return validate_layers(gdf)


def _read_layer_file(path: Path) -> gpd.GeoDataFrame:
    return pyogrio.read_dataframe(path)


def validate_layers(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Check a layer table against the schema of the base layers.

    Works on any GeoDataFrame, e.g. an official file about to replace a schematic layer.
    ``feature_id`` may be the index (named ``feature_id``) or a column.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layers to check.

    Returns
    -------
    geopandas.GeoDataFrame
        The same object, unchanged, when it passes.

    Raises
    ------
    LayerError
        Naming each offending feature and the problem: not a GeoDataFrame, missing or
        non-WGS84 CRS, missing columns, empty or duplicate ``feature_id``, unknown layer,
        missing text (name_zh, source, datum, method), non-boolean ``approximate``, missing,
        wrongly typed or invalid geometry, or coordinates outside plausible Shanghai bounds.
    """
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise LayerError([("", f"expected a GeoDataFrame, got {type(gdf).__name__}")])
    table_problems = _check_table(gdf)
    if table_problems:
        raise LayerError(table_problems)
    ids = _feature_ids(gdf)
    problems = _check_ids(ids)
    problems += _check_rows(gdf, ids)
    if problems:
        raise LayerError(problems)
    return gdf


def _check_table(gdf: gpd.GeoDataFrame) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if gdf.crs is None:
        problems.append(("", "the table has no CRS: set it to EPSG:4326 (WGS84) after converting"))
    elif not CRS.from_user_input(gdf.crs).equals(CRS.from_user_input(WGS84)):
        problems.append(
            (
                "",
                f"the table is in {CRS.from_user_input(gdf.crs).name}, not WGS84 (EPSG:4326): "
                "convert it with geodata.crs.to_wgs84(..., datum=...)",
            )
        )
    present = set(gdf.columns) | ({gdf.index.name} if gdf.index.name else set())
    missing = [c for c in COLUMNS if c not in present]
    if missing:
        expected = ", ".join(COLUMNS)
        problems.append(("", f"missing columns {', '.join(missing)} (expected {expected})"))
    return problems


def _feature_ids(gdf: gpd.GeoDataFrame) -> pd.Series:
    source = gdf["feature_id"] if "feature_id" in gdf.columns else gdf.index
    values = source.to_numpy()
    return pd.Series(values, index=range(len(gdf)), dtype=object)


def _label(fid: Any, position: int) -> str:
    if isinstance(fid, str) and fid.strip():
        return f"feature {fid!r}"
    return f"row {position}"


def _check_ids(ids: pd.Series) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    blank = ids.map(lambda v: not (isinstance(v, str) and v.strip()))
    for pos in np.flatnonzero(blank.to_numpy()):
        problems.append((f"row {pos}", "feature_id is empty: give every feature a unique id"))
    dup = ids[~blank & ids.duplicated(keep=False)]
    for fid in dict.fromkeys(dup):
        rows = ", ".join(str(p) for p in dup.index[dup == fid])
        problems.append((f"feature {fid!r}", f"duplicate feature_id (rows {rows})"))
    return problems


def _check_rows(gdf: gpd.GeoDataFrame, ids: pd.Series) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    layers = gdf["layer"].to_numpy()
    geoms = np.asarray(gdf.geometry.array, dtype=object)
    types = gdf.geom_type.to_numpy()
    valid = shapely.is_valid(geoms)
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    bounds = shapely.bounds(geoms)
    min_lon, min_lat, max_lon, max_lat = SHANGHAI_BOUNDS
    with np.errstate(invalid="ignore"):
        inside = (
            (bounds[:, 0] >= min_lon)
            & (bounds[:, 1] >= min_lat)
            & (bounds[:, 2] <= max_lon)
            & (bounds[:, 3] <= max_lat)
        )
    text = {c: gdf[c].to_numpy() for c in _REQUIRED_TEXT}
    approx = gdf["approximate"].to_numpy()
    for pos in range(len(gdf)):
        where = _label(ids.iloc[pos], pos)
        name = layers[pos]
        if name not in GEOMETRY_TYPES:
            problems.append(
                (where, f"unknown layer {name!r}: use one of {', '.join(LAYERS)}"),
            )
        for col, values in text.items():
            if not (isinstance(values[pos], str) and values[pos].strip()):
                problems.append((where, f"{col} is empty: every feature must say it"))
        if not isinstance(approx[pos], bool | np.bool_):
            problems.append((where, f"approximate must be true or false, got {approx[pos]!r}"))
        if empty[pos]:
            problems.append((where, "geometry is missing or empty"))
            continue
        gtype = types[pos]
        allowed = GEOMETRY_TYPES.get(name)
        if allowed is not None and gtype not in allowed:
            problems.append(
                (
                    where,
                    f"geometry type {gtype} is not allowed in layer {name!r} "
                    f"(expected {' or '.join(sorted(allowed))})",
                )
            )
        if not valid[pos]:
            reason = shapely.is_valid_reason(geoms[pos])
            problems.append((where, f"invalid geometry ({reason}): repair it (e.g. make_valid)"))
        if not inside[pos]:
            problems.append(
                (
                    where,
                    f"coordinates outside plausible Shanghai bounds (lon {min_lon}–{max_lon}, "
                    f"lat {min_lat}–{max_lat}; bounds {np.round(bounds[pos], 6).tolist()}): "
                    "check for projected metres, swapped lon/lat or a wrong datum",
                )
            )
    return problems


def layer(gdf: gpd.GeoDataFrame, name: str) -> gpd.GeoDataFrame:
    """Return the features of one layer.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Layers as returned by :func:`base_layers`.
    name : str
        One of :data:`LAYERS`.

    Returns
    -------
    geopandas.GeoDataFrame
        The subset, indexed as the input.

    Raises
    ------
    LayerError
        If ``name`` is not a known layer.
    """
    if name not in LAYERS:
        raise LayerError([("", f"unknown layer {name!r}: use one of {', '.join(LAYERS)}")])
    return gdf[gdf["layer"] == name]


def area_of(gdf: gpd.GeoDataFrame, points: gpd.GeoSeries | gpd.GeoDataFrame) -> pd.Series:
    """Area code (``kind`` of the area layer, e.g. ``"hub"``, ``"qianwan"``) containing each point.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Layers as returned by :func:`base_layers` (or an imported replacement).
    points : GeoSeries or GeoDataFrame
        Points (or any geometries) with a CRS; reprojected to the layers' CRS if needed.

    Returns
    -------
    pandas.Series
        Object Series named ``area``, indexed like ``points``; None where no area contains the
        point. A point on an edge counts as inside; where areas overlap, the first by
        ``feature_id`` wins.
    """
    return _containing(gdf, points, "area", "area")


def town_of(gdf: gpd.GeoDataFrame, points: gpd.GeoSeries | gpd.GeoDataFrame) -> pd.Series:
    """Town statistical code (``kind`` of the town layer, e.g. ``"310112008"``) of each point.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Layers as returned by :func:`base_layers` (or an imported replacement).
    points : GeoSeries or GeoDataFrame
        Points (or any geometries) with a CRS; reprojected to the layers' CRS if needed.

    Returns
    -------
    pandas.Series
        Object Series named ``town``, indexed like ``points``; None outside every town. On the
        shared edge the first town by ``feature_id`` wins.
    """
    return _containing(gdf, points, "town", "town")


def _containing(
    gdf: gpd.GeoDataFrame, points: gpd.GeoSeries | gpd.GeoDataFrame, name: str, out: str
) -> pd.Series:
    if not isinstance(points, gpd.GeoSeries | gpd.GeoDataFrame):
        raise TypeError(f"points must be a GeoSeries or GeoDataFrame, got {type(points).__name__}")
    geoms = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
    if geoms.crs is None or gdf.crs is None:
        raise MissingCRSError(
            f"{out}_of: the points and the layers both need a CRS "
            f"(points: {geoms.crs}, layers: {gdf.crs}); set it with .set_crs('EPSG:4326')"
        )
    polys = layer(gdf, name)
    polys = gpd.GeoDataFrame(
        {"code": polys["kind"].to_numpy(), "order": polys.index.to_numpy()},
        geometry=polys.geometry.to_numpy(),
        crs=gdf.crs,
    ).sort_values("order", kind="stable")
    left = gpd.GeoDataFrame(geometry=geoms.to_crs(gdf.crs).to_numpy(), crs=gdf.crs)
    joined = gpd.sjoin(left, polys, how="left", predicate="intersects")
    joined = joined.sort_values("order", kind="stable", na_position="last")
    first = joined[~joined.index.duplicated(keep="first")].sort_index()
    codes = first["code"].astype(object).where(first["code"].notna(), None)
    return pd.Series(codes.to_numpy(dtype=object), index=geoms.index, name=out, dtype=object)
