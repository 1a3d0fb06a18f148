"""Outlines in spreadsheets: WKT, rings copied from AutoNavi's tools, or a point with an area.

A plot or building row of a spreadsheet gives its outline in one of three ways, in the datum
the user declares for the file:

1. ``轮廓 / outline`` as WKT, e.g. ``POLYGON((121.3165 31.1905, 121.3172 31.1905, ...))``
   (MULTIPOLYGON too, or a GeoJSON geometry object);
2. ``轮廓 / outline`` as a ring ``lon,lat;lon,lat;...``, the text AutoNavi's (高德) and Baidu's
   coordinate pickers and polygon tools copy (``;`` or ``|`` between points, the ring closes
   itself; full-width ``，；`` are accepted);
3. ``经度 / lon`` and ``纬度 / lat`` of a point inside it, and for a building optionally
   ``示意面积 / footprint_m2``: the outline is then drawn as a square of that area around the
   point (a building without it takes the area of its largest floor, else 1,000 m²) and the
   record is marked approximate. A plot given as a point needs the area.

In projected datums (EPSG:4549, Shanghai 2000) the same columns hold easting and northing in
metres.
"""

from __future__ import annotations

import math
import re
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point, Polygon

from geodata.crs import PROJECTED, WGS84
from spaces.schema import Field, Table

DEFAULT_FOOTPRINT_M2 = 1000.0
"""Area of the square drawn for a building given as a point, without area or floors."""

OUTLINE = Field("outline", "str", "轮廓", "Outline")
LON = Field("lon", "float", "经度", "Longitude")
LAT = Field("lat", "float", "纬度", "Latitude")
FOOTPRINT = Field("footprint_m2", "float", "示意面积", "Sketch area", unit="m²", min=1.0)
SHEET_FIELDS = (OUTLINE, LON, LAT, FOOTPRINT)
"""Columns that carry geometry in a spreadsheet (not stored: they make ``geometry``)."""

ALIASES = {
    "outline": ("wkt", "geometry", "几何", "范围", "坐标串", "边界坐标", "polygon"),
    "lon": ("经度坐标", "longitude", "lng", "x坐标", "东坐标", "easting"),
    "lat": ("纬度坐标", "latitude", "y坐标", "北坐标", "northing"),
    "footprint_m2": ("占地面积", "基底面积", "footprint"),
}
"""Other header spellings of the geometry columns."""

_PAIR_SEP = re.compile(r"[;|；\n]+")
_XY_SEP = re.compile(r"[,，\s]+")


class OutlineError(ValueError):
    """Outline text that cannot be read; the message says why."""


def reading_table(table: Table) -> Table:
    """``table`` with the spreadsheet geometry columns added (for reading sheets)."""
    if not table.geometry:
        return table
    return Table(
        table.name,
        table.id,
        table.label_zh,
        table.label_en,
        (*table.fields, *SHEET_FIELDS),
        table.geometry,
    )


def parse_outline(text: Any) -> shapely.Geometry:
    """A polygon from WKT, GeoJSON or ``x,y;x,y;...`` ring text (coordinates as written).

    Raises
    ------
    OutlineError
        Naming what is wrong: too few points, a number that is not one, an unknown format.
    """
    s = str(text).strip()
    if not s:
        raise OutlineError("it is empty")
    if s[0].isalpha():  # WKT (or EWKT with its SRID=...; prefix)
        wkt = s.split(";", 1)[1] if s.upper().startswith("SRID=") and ";" in s else s
        try:
            return shapely.from_wkt(wkt)
        except shapely.errors.ShapelyError as e:
            raise OutlineError(f"WKT that cannot be read ({e})") from None
    if s.startswith("{"):
        try:
            return shapely.from_geojson(s)
        except shapely.errors.ShapelyError as e:
            raise OutlineError(f"GeoJSON that cannot be read ({e})") from None
    return _ring(s)


def _ring(s: str) -> Polygon:
    points = []
    for part in _PAIR_SEP.split(s):
        part = part.strip().strip("()[]")
        if not part:
            continue
        xy = [v for v in _XY_SEP.split(part) if v]
        if len(xy) != 2:
            raise OutlineError(f"'{part}' is not one 'lon,lat' pair")
        try:
            x, y = float(xy[0]), float(xy[1])
        except ValueError:
            raise OutlineError(f"'{part}' holds something that is not a number") from None
        if not (math.isfinite(x) and math.isfinite(y)):
            raise OutlineError(f"'{part}' is not a finite coordinate")
        points.append((x, y))
    if len(points) > 1 and points[0] == points[-1]:
        points = points[:-1]
    if len(set(points)) < 3:
        raise OutlineError(f"a ring needs at least 3 distinct points, got {len(set(points))}")
    return Polygon(points)


def format_outline(geom: shapely.Geometry | None) -> str:
    """WKT with full precision, so that an exported outline reads back identically."""
    if geom is None or geom.is_empty:
        return ""
    return shapely.to_wkt(geom, rounding_precision=-1, trim=True)


def squares(points: gpd.GeoSeries, areas_m2: pd.Series) -> gpd.GeoSeries:
    """Squares of the given areas centred on WGS84 points, drawn in EPSG:4549."""
    if points.empty:
        return gpd.GeoSeries([], crs=WGS84, index=points.index)
    metric = points.to_crs(PROJECTED)
    half = np.sqrt(areas_m2.reindex(points.index).to_numpy(dtype=float)) / 2.0
    boxes = shapely.box(metric.x - half, metric.y - half, metric.x + half, metric.y + half)
    return gpd.GeoSeries(boxes, index=points.index, crs=PROJECTED).to_crs(WGS84)


def point(x: Any, y: Any) -> Point | None:
    """A point from two cell values, None when either is missing."""
    if x is None or y is None or pd.isna(x) or pd.isna(y):
        return None
    return Point(float(x), float(y))
