"""Compact folium layers: features sent as quantised, delta-encoded integers, styled by category.

folium's GeoJson writes every coordinate with full precision, escapes every Chinese character
as ``\\uXXXX`` and repeats a style per feature. A `CompactLayer` sends integers at 1e-6°
(about 0.1 m), UTF-8 text and one style per category, and `CompactDecoder` (added once to the
map) turns them into Leaflet polygons, polylines or circle markers in the browser.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from branca.element import MacroElement
from jinja2 import Template

PRECISION = 6  # decimal degrees kept: about 0.1 m, finer than any outline we hold

_FAMILIES = {
    "Polygon": "polygon",
    "MultiPolygon": "polygon",
    "LineString": "line",
    "MultiLineString": "line",
    "Point": "point",
}


def encode_geometries(geoms: gpd.GeoSeries, *, precision: int = PRECISION) -> dict[str, Any]:
    """Encode one family of geometries as quantised, delta-coded integers.

    Returns
    -------
    dict with ``type`` ("polygon", "line" or "point"), ``scale`` (10**precision), ``x0``/``y0``
    (the quantised origin) and ``geoms``, one entry per geometry: for polygons a list of
    polygons, each a list of rings; for lines a list of lines; each ring or line a flat list
    ``[dx0, dy0, dx1, dy1, ...]`` whose first pair is relative to the origin and the others to
    the previous vertex (rings drop their closing vertex); for points ``[dx, dy]``.
    """
    values = np.asarray(geoms.values, dtype=object)
    families = {_FAMILIES.get(g.geom_type, g.geom_type) for g in values}
    if len(families) > 1 or not families <= set(_FAMILIES.values()):
        raise ValueError(
            f"a compact layer holds one family of polygons, lines or points; got {families}"
        )
    family = families.pop() if families else "polygon"
    scale = 10**precision
    if len(values) == 0:
        return {"type": family, "scale": scale, "x0": 0, "y0": 0, "geoms": []}
    origin = np.floor(shapely.get_coordinates(values).min(axis=0) * scale).astype(np.int64)

    def code(coords: Any, *, closed: bool = False) -> list[int]:
        q = np.round(np.asarray(coords)[:, :2] * scale).astype(np.int64)
        if closed:
            q = q[:-1]
        q -= origin
        q[1:] -= q[:-1].copy()
        return q.ravel().tolist()

    out: list[Any] = []
    for geom in values:
        parts = list(getattr(geom, "geoms", [geom]))
        if family == "polygon":
            out.append(
                [[code(r.coords, closed=True) for r in (p.exterior, *p.interiors)] for p in parts]
            )
        elif family == "line":
            out.append([code(line.coords) for line in parts])
        else:
            out.append(code(geom.coords))
    return {
        "type": family,
        "scale": scale,
        "x0": int(origin[0]),
        "y0": int(origin[1]),
        "geoms": out,
    }


class CompactDecoder(MacroElement):
    """Defines ``hqCompact`` in the page; add it to the map before any `CompactLayer`."""

    _template = Template("""
{% macro script(this, kwargs) %}
window.hqCompact = function (group, d, tip) {
  var g = d.g, s = g.scale;
  function path(a) {
    var x = g.x0, y = g.y0, out = [];
    for (var k = 0; k < a.length; k += 2) { x += a[k]; y += a[k + 1]; out.push([y / s, x / s]); }
    return out;
  }
  for (var i = 0; i < d.ids.length; i++) {
    var geom = g.geoms[i], layer;
    var options = Object.assign({className: d.cls}, d.styles[d.cat[i]]);
    if (g.type === "polygon") {
      layer = L.polygon(geom.map(function (p) { return p.map(path); }), options);
    } else if (g.type === "line") {
      layer = L.polyline(geom.map(path), options);
    } else {
      layer = L.circleMarker([(g.y0 + geom[1]) / s, (g.x0 + geom[0]) / s], options);
    }
    layer.feature = {type: "Feature", properties: Object.assign({id: d.ids[i]}, d.props)};
    if (d.rows) {
      layer.bindTooltip(tip ? tip(d.rows[i], d.labels) : String(d.rows[i]), {sticky: true});
    }
    layer.addTo(group);
  }
};
{% endmacro %}
""")

    def __init__(self):
        super().__init__()
        self._name = "CompactDecoder"


class CompactLayer(MacroElement):
    """Features of one geometry family added to the parent FeatureGroup from one payload.

    Each feature gets the style of its category, the CSS class ``class_name``, a tooltip made
    in the browser by ``tooltip_js`` from its row (or the row itself as HTML) and
    ``feature.properties`` with its id and ``properties``, so that streamlit-folium reports
    the clicked feature. Needs a `CompactDecoder` on the map.

    Parameters
    ----------
    geoms
        Geometries in display coordinates (longitude, latitude), all polygons, all lines or
        all points.
    ids
        One id per geometry.
    categories
        One index into ``styles`` per geometry.
    styles
        Leaflet path options per category (for points, circle-marker options).
    rows
        One JSON-serialisable tooltip row per geometry; None for no tooltips.
    tooltip_js
        A JavaScript function expression ``function (row, labels) { return html; }``; None
        shows the row itself as the tooltip's HTML.
    labels
        The second argument of ``tooltip_js`` (e.g. translated words).
    class_name
        CSS class of every feature (tests and styles select on it).
    properties
        Extra properties for every feature, e.g. ``{"kind": "building"}``.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
hqCompact({{ this._parent.get_name() }}, {{ this.payload }}, {{ this.tooltip_js }});
{% endmacro %}
""")

    def __init__(
        self,
        geoms: gpd.GeoSeries,
        *,
        ids: Sequence[str],
        categories: Sequence[int],
        styles: Sequence[Mapping[str, Any]],
        rows: Sequence[Any] | None = None,
        tooltip_js: str | None = None,
        labels: Mapping[str, Any] | None = None,
        class_name: str = "",
        properties: Mapping[str, Any] | None = None,
    ):
        super().__init__()
        self._name = "CompactLayer"
        n = len(geoms)
        if len(ids) != n or len(categories) != n or (rows is not None and len(rows) != n):
            raise ValueError("geoms, ids, categories and rows must have the same length")
        if n and not 0 <= min(categories) <= max(categories) < len(styles):
            raise ValueError("every category must index into styles")
        payload = {
            "ids": [str(i) for i in ids],
            "cat": [int(c) for c in categories],
            "styles": list(styles),
            "rows": None if rows is None else list(rows),
            "labels": dict(labels or {}),
            "cls": class_name,
            "props": dict(properties or {}),
            "g": encode_geometries(geoms),
        }
        self.payload = to_js(payload)
        self.tooltip_js = tooltip_js or "null"


def to_js(value: Any) -> str:
    """Compact JSON, UTF-8 rather than \\u escapes, safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("</", "<\\/")
