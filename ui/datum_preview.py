"""The datum question's map: a file's sample points as each datum would place them."""

from __future__ import annotations

import folium
import geopandas as gpd

from geodata.crs import to_wgs84
from geodata.webassets import localize

COLORS = {"WGS84": "#1565c0", "GCJ-02": "#2e7d32", "BD-09": "#c62828", "CGCS2000": "#6a1b9a"}


def datum_preview_map(
    points: gpd.GeoSeries,
    layers: gpd.GeoDataFrame,
    *,
    choices: tuple[str, ...],
    chosen: str | None,
    labels: dict[str, str],
    asset_url: str,
) -> folium.Map:
    """Roads and stations, and the points read in each datum (the chosen one drawn larger).

    A point read in the right datum sits on its street or building; read in another it lies
    ~480 m (GCJ-02) or ~1 km (BD-09) off.
    """
    m = folium.Map(tiles=None, control_scale=True, prefer_canvas=True)
    context = layers[layers.layer.isin(["road", "station", "zone"])]
    if len(context):
        folium.GeoJson(
            context[["geometry"]].to_json(),
            style_function=lambda _: {"color": "#90a4ae", "weight": 1.5, "fill": False},
            marker=folium.CircleMarker(radius=4, color="#455a64", fill=True),
        ).add_to(m)
    bounds = None
    for code in choices:
        placed = to_wgs84(gpd.GeoSeries(points.to_numpy(), crs=None), datum=code)
        group = folium.FeatureGroup(name=labels[code])
        big = code == chosen
        for p in placed:
            folium.CircleMarker(
                (p.y, p.x),
                radius=7 if big else 4,
                color=COLORS.get(code, "#000"),
                weight=3 if big else 1,
                fill=True,
                fill_opacity=0.8 if big else 0.4,
                tooltip=labels[code],
            ).add_to(group)
        group.add_to(m)
        if len(placed):
            west, south, east, north = placed.total_bounds
            bounds = (
                [
                    min(bounds[0], south),
                    min(bounds[1], west),
                    max(bounds[2], north),
                    max(bounds[3], east),
                ]
                if bounds
                else [south, west, north, east]
            )
    if bounds:
        m.fit_bounds([[bounds[0], bounds[1]], [bounds[2], bounds[3]]], max_zoom=17)
    folium.LayerControl(collapsed=False).add_to(m)
    localize(m, base_url=asset_url, allow_tiles=False)
    return m
