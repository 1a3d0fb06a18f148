"""Which datum a file is in: declared, told by its CRS, or questioned by the GCJ-02 offset check.

GCJ-02 (AutoNavi, Tencent) and BD-09 (Baidu) coordinates look like ordinary longitude and
latitude, ~480 m (GCJ-02) or ~1 km (BD-09) off near Hongqiao. A file cannot say which one it
holds, so the user declares it; where a record can be compared with a known feature (its own
stored outline, its plot, a station of the same name), `offset_warnings` reports records that
sit far from it as declared but close to it when read in another web datum. A warning, never
a silent correction.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from geodata.crs import DATUMS, PROJECTED, WGS84, get_datum, to_wgs84

LONLAT_DATUMS = ("WGS84", "CGCS2000", "GCJ-02", "BD-09")
"""Datums whose coordinates are longitude/latitude and can be mistaken for one another."""

OFFSET_MIN_M = 200.0
"""A record this far from its reference (as declared) may be in another datum."""

MATCH_RATIO = 0.25
"""...when another datum brings it within this fraction of that distance (and 60 m)."""

MATCH_MAX_M = 60.0


class DatumError(ValueError):
    """The datum of a file's coordinates is neither declared nor told by the file.

    ``code`` (``datum_needed``) and ``params`` (``looks``: what the coordinates look like,
    see `looks_code`) let the pages word it, like `spaces.tabular.UnreadableFileError`.
    """

    code = "datum_needed"

    def __init__(self, message: str, *, looks: str = "") -> None:
        super().__init__(message)
        self.params = {"looks": looks}


@dataclass(frozen=True)
class Resolved:
    """The datum coordinates are converted from: a registered ``code`` or another ``crs``."""

    code: str | None
    crs: CRS | None
    how: str  # "declared" or "file"

    @property
    def label(self) -> str:
        """What to record as the data's datum, e.g. ``GCJ-02`` or ``EPSG:32651``."""
        if self.code:
            return self.code
        epsg = self.crs.to_epsg() if self.crs is not None else None
        return f"EPSG:{epsg}" if epsg else (self.crs.name if self.crs is not None else "")


def datum_from_crs(crs: object) -> str | None:
    """The registered datum code a CRS stands for (WGS84, CGCS2000, EPSG:4549, SH2000)."""
    if crs is None:
        return None
    c = CRS.from_user_input(crs)
    for code, d in DATUMS.items():
        if d.crs is not None and CRS.from_user_input(d.crs).equals(c, ignore_axis_order=True):
            return code
    return None


def resolve(declared: str | None, crs: object, *, sample: gpd.GeoSeries | None = None) -> Resolved:
    """The datum to convert from: the declared one, else the file's CRS.

    Raises
    ------
    DatumError
        When neither says it; the message tells what the coordinates look like.
    UnknownDatumError
        For a declared code that is not registered.
    """
    if declared:
        return Resolved(get_datum(declared).code, None, "declared")
    code = datum_from_crs(crs)
    if code:
        return Resolved(code, None, "file")
    if crs is not None:
        return Resolved(None, CRS.from_user_input(crs), "file")
    hint = f" They look like {looks_like(sample)}." if sample is not None else ""
    raise DatumError(
        "the file does not say which coordinate system its coordinates are in: choose it "
        "(WGS84 or CGCS2000 for GPS and Tianditu, GCJ-02 for AutoNavi/Tencent, BD-09 for "
        f"Baidu, EPSG:4549 or SH2000 for surveyed metres).{hint}",
        looks=looks_code(sample) if sample is not None else "",
    )


_NAMED = (
    ("GCJ-02", ("gcj02", "gcj", "火星", "高德", "国测局")),
    ("BD-09", ("bd09", "百度")),
    ("SH2000", ("sh2000", "上海2000")),
    ("EPSG:4549", ("epsg4549", "4549")),
    ("CGCS2000", ("cgcs2000", "4490", "国家2000", "天地图")),
    ("WGS84", ("wgs84", "4326", "gps")),
)


def datum_in_text(text: str) -> str | None:
    """A datum named in a column header such as ``轮廓(GCJ-02)`` or ``经度（WGS84）``."""
    flat = "".join(ch for ch in str(text).lower() if ch.isalnum() or ord(ch) > 127)
    for code, names in _NAMED:
        if any(name in flat for name in names):
            return code
    return None


def convert(geoms: gpd.GeoSeries, resolved: Resolved) -> gpd.GeoSeries:
    """Geometries as read converted to WGS84 (EPSG:4326)."""
    if resolved.code is not None:
        return to_wgs84(geoms, datum=resolved.code)
    return geoms.set_crs(resolved.crs, allow_override=True).to_crs(WGS84)


def looks_code(geoms: gpd.GeoSeries) -> str:
    """What a sample of coordinates looks like, as a code: ``lonlat`` (around Shanghai),
    ``epsg4549``, ``sh2000``, ``none`` (no coordinates) or ``unknown``."""
    coords = shapely.get_coordinates(np.asarray(geoms.dropna().array, dtype=object))
    if not len(coords):
        return "none"
    x, y = np.median(coords[:, 0]), np.median(coords[:, 1])
    if 120 <= x <= 123 and 30 <= y <= 32.5:
        return "lonlat"
    if 300_000 <= x <= 800_000 and 3_200_000 <= y <= 3_700_000:
        return "epsg4549"
    if abs(x) <= 80_000 and abs(y) <= 80_000:
        return "sh2000"
    return "unknown"


def looks_like(geoms: gpd.GeoSeries) -> str:
    """What a sample of coordinates looks like, for a message."""
    coords = shapely.get_coordinates(np.asarray(geoms.dropna().array, dtype=object))
    if not len(coords):
        return "nothing (no coordinates)"
    x, y = np.median(coords[:, 0]), np.median(coords[:, 1])
    if 120 <= x <= 123 and 30 <= y <= 32.5:
        return "longitude/latitude around Shanghai (WGS84, CGCS2000, GCJ-02 or BD-09?)"
    if 300_000 <= x <= 800_000 and 3_200_000 <= y <= 3_700_000:
        return "metres of EPSG:4549 (CGCS2000 Gauss-Kruger, 120°E)"
    if abs(x) <= 80_000 and abs(y) <= 80_000:
        return "metres near the Shanghai 2000 origin (SH2000)"
    return f"values around ({x:.6g}, {y:.6g}), no coordinate system this app knows"


@dataclass(frozen=True)
class Offset:
    """A record far from its reference as declared, close to it in another datum."""

    index: object
    reference: str
    distance_m: float
    better: str
    better_distance_m: float


def offset_warnings(
    raw: gpd.GeoSeries, references: gpd.GeoSeries, labels: pd.Series, *, datum: str
) -> list[Offset]:
    """Records that fit their reference feature better in another lon/lat datum.

    Parameters
    ----------
    raw
        Geometries as read (coordinates in ``datum``), for the records that have a reference.
    references
        The reference feature of each record (WGS84), indexed like ``raw``: its own stored
        outline, its plot, a station of the same name.
    labels
        What each reference is, for the message.
    datum
        The declared (or detected) datum; only lon/lat datums are checked.
    """
    if datum not in LONLAT_DATUMS or raw.empty:
        return []
    common = raw.index.intersection(references.dropna().index)
    if common.empty:
        return []
    raw = gpd.GeoSeries(raw.loc[common].array, index=common, crs=None)
    refs = references.loc[common].to_crs(PROJECTED)
    distances = {}
    for code in LONLAT_DATUMS:
        as_code = to_wgs84(raw, datum=code).to_crs(PROJECTED)
        distances[code] = as_code.centroid.distance(refs, align=False).to_numpy()
    declared = distances[datum]
    out = []
    for i, idx in enumerate(common):
        if not declared[i] > OFFSET_MIN_M:
            continue
        others = {c: d[i] for c, d in distances.items() if c != datum and c in _RIVALS[datum]}
        best = min(others, key=others.get)
        if others[best] <= min(MATCH_MAX_M, declared[i] * MATCH_RATIO):
            out.append(Offset(idx, str(labels.get(idx, "")), declared[i], best, others[best]))
    return out


# WGS84 and CGCS2000 agree to a metre: they are not rivals of one another.
_RIVALS = {
    "WGS84": ("GCJ-02", "BD-09"),
    "CGCS2000": ("GCJ-02", "BD-09"),
    "GCJ-02": ("WGS84", "BD-09"),
    "BD-09": ("WGS84", "GCJ-02"),
}
