"""The carrier map: base layers and carriers as a folium map, built without Streamlit."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement, Template

from geodata.crs import from_wgs84, gcj02_to_wgs84
from geodata.maplayers import PRECISION, CompactDecoder, CompactLayer
from geodata.webassets import localize
from settings import MapSettings
from spaces.model import Inventory
from spaces.schema import STATUSES, TIERS
from words import t, vocab

CENTER = (31.212, 121.318)  # WGS84 lat, lon: between the hub and Qianwan areas
ZOOM = 13

STATUS_COLORS = {
    "available": "#2e7d32",
    "reserved": "#f9a825",
    "leased": "#1565c0",
    "under_construction": "#8e24aa",
    "reserve_land": "#8d6e63",
    "none": "#9e9e9e",
}
TIER_COLORS = {
    "room": "#00897b",
    "floor": "#3949ab",
    "floor_and_room": "#7e57c2",
    "building": "#d81b60",
    "plot": "#6d4c41",
    "none": "#9e9e9e",
}
# The finder's colouring: buildings and plots holding a matching carrier stand out, the rest dim.
MATCH_COLORS = {
    "match": "#e65100",
    "other": "#90a4ae",
    "none": "#cfd8dc",
}
# Release batches (issue 3): early batches dark, later ones light; carriers in no batch apart.
BATCH_COLORS = (
    "#1a237e",
    "#1565c0",
    "#0288d1",
    "#00838f",
    "#2e7d32",
    "#7cb342",
    "#c0ca33",
    "#fbc02d",
    "#fb8c00",
    "#e64a19",
    "#8d6e63",
    "#5d4037",
)
BATCH_OTHER_COLORS = {
    "not_releasable": "#ef9a9a",
    "held": "#b0bec5",
    "none": "#9e9e9e",
}
READINESS_COLORS = {
    "r80": "#1b5e20",
    "r60": "#66bb6a",
    "r40": "#fdd835",
    "r0": "#e53935",
    "none": "#9e9e9e",
}
READINESS_BANDS = ((80.0, "r80"), (60.0, "r60"), (40.0, "r40"), (0.0, "r0"))
"""Lower bound of each readiness band (score 0–100) and its category."""
COLOR_BY = ("tier", "status", "match", "batch", "readiness")
OFFICIAL = ":official"  # style-key suffix of outlines imported from official files
OUTLINE_PANE = "hq-outlines"
_LAYER_STYLE = {
    "zone": {
        "color": "#37474f",
        "weight": 2.5,
        "dashArray": "8 4",
        "fillColor": "#fffaeb",
        "fillOpacity": 0.75,
    },
    "town": {"color": "#78909c", "weight": 1.2, "dashArray": "3 4", "fillOpacity": 0},
    "area.hub": {
        "color": "#ef6c00",
        "weight": 2,
        "dashArray": "6 4",
        "fillColor": "#ffcc80",
        "fillOpacity": 0.18,
    },
    "area.qianwan": {
        "color": "#00838f",
        "weight": 2,
        "dashArray": "6 4",
        "fillColor": "#80deea",
        "fillOpacity": 0.18,
    },
    "road.expressway": {"color": "#e8903a", "weight": 4, "opacity": 0.9},
    "road.elevated": {"color": "#f2b25c", "weight": 3.5, "opacity": 0.9},
    "road.arterial": {"color": "#b0a89a", "weight": 2, "opacity": 0.9},
    "waterway": {"color": "#64a6d9", "weight": 2.5, "opacity": 0.9},
    "station": {
        "radius": 5,
        "color": "#c62828",
        "weight": 2,
        "fillColor": "#ffffff",
        "fillOpacity": 1.0,
    },
    "landmark": {
        "radius": 7,
        "color": "#37474f",
        "weight": 2,
        "fillColor": "#ffffff",
        "fillOpacity": 1.0,
    },
}
_DEFAULT_STYLE = {"color": "#90a4ae", "weight": 1}
_TILES = {
    "osm": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors",
        "WGS84",
        None,
    ),
    "tianditu": (
        "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile"
        "&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
        "&TILECOL={x}&TILEROW={y}&TILEMATRIX={z}&tk=",
        "&copy; 天地图 Tianditu",
        "WGS84",
        "01234567",
    ),
    "amap": (
        "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
        "&x={x}&y={y}&z={z}",
        "&copy; 高德地图 AutoNavi",
        "GCJ-02",
        "1234",
    ),
}


def display_datum(map_settings: MapSettings) -> str:
    """The datum the map is drawn in: GCJ-02 under AutoNavi-like tiles, else WGS84."""
    if map_settings.basemap == "amap":
        return "GCJ-02"
    if map_settings.basemap == "custom":
        return map_settings.custom_datum
    return "WGS84"


def carrier_features(
    inv: Inventory,
    carriers: gpd.GeoDataFrame,
    *,
    color_by: str,
    matches: Iterable[str] | None = None,
) -> gpd.GeoDataFrame:
    """One map feature per building and per plot, categorised from the carriers they hold.

    Parameters
    ----------
    inv
        The inventory (for buildings and plots that offer nothing yet).
    carriers
        `spaces.rollup.carrier_table` of the same inventory.
    color_by
        "tier": the tiers offered (a building offering floors and rooms is "floor_and_room");
        "status": the status covering the largest usable area; "match": "match" for the
        buildings and plots in ``matches``, "other" for the rest; "batch": the earliest release
        batch of its carriers ("batch_1", ...; else "not_releasable", or "held" when
        all are let), which needs the columns ``batch`` (Int64) and ``outcome`` of a
        `planning.release.Plan`; "readiness": the band (`READINESS_BANDS`) of its most ready
        carrier, which needs a ``readiness`` column (0–100). "none" when nothing is offered.
    matches
        With ``color_by="match"``, the ids of the buildings and plots to highlight.

    Returns
    -------
    GeoDataFrame indexed by building or plot id, in EPSG:4326 (``attrs["color_by"]`` says
    how it was categorised), with ``kind``
    ("building"/"plot"), ``name``, ``category``, ``n_carriers``, ``tiers`` (tuple of tier
    codes), ``statuses`` (status -> count), ``available_m2``, ``rent_min`` and ``rent_max``.
    """
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {COLOR_BY}, got {color_by!r}")
    needs = {"batch": ("batch", "outcome"), "readiness": ("readiness",)}.get(color_by, ())
    missing = [c for c in needs if c not in carriers.columns]
    if missing:
        raise ValueError(
            f"color_by={color_by!r} needs the carrier column(s) {', '.join(missing)}: join "
            "them from the release plan (Plan.assignments, Plan.readiness.score)"
        )
    on_plot = carriers.tier == "plot"
    summary_by = "tier" if color_by == "match" else color_by
    b = _summarise(carriers[~on_plot], "building_id", summary_by)
    p = _summarise(carriers[on_plot], "plot_id", summary_by)
    buildings = inv.buildings[["name", "geometry"]].join(b)
    buildings["kind"] = "building"
    plots = inv.plots[["name", "geometry"]].join(p)
    plots["kind"] = "plot"
    out = pd.concat([plots, buildings])
    out["n_carriers"] = out.n_carriers.fillna(0).astype(int)
    out["category"] = out.category.fillna("none")
    if color_by == "match":
        hit = out.index.isin(list(matches or ()))
        out["category"] = np.where(hit, "match", np.where(out.n_carriers > 0, "other", "none"))
    out["available_m2"] = out.available_m2.fillna(0.0).astype(float)
    for column, empty in (("tiers", ()), ("statuses", {})):
        out[column] = [v if isinstance(v, tuple | dict) else empty for v in out[column]]
    gdf = gpd.GeoDataFrame(out, geometry="geometry", crs=inv.buildings.crs)
    gdf.index.name = "id"
    gdf.attrs["color_by"] = color_by
    return gdf


_SUMMARY = ["n_carriers", "category", "statuses", "tiers", "available_m2", "rent_min", "rent_max"]


def _summarise(c: gpd.GeoDataFrame, key: str, color_by: str) -> pd.DataFrame:
    if c.empty:
        return pd.DataFrame(columns=_SUMMARY)
    g = c.groupby(key)
    tiers = g["tier"].agg(lambda s: tuple(sorted(set(s), key=list(TIERS).index)))
    area_by_status = c.pivot_table(
        index=key, columns="status", values="usable_area_m2", aggfunc="sum", fill_value=0.0
    )
    counts = c.pivot_table(index=key, columns="status", values="tier", aggfunc="size", fill_value=0)
    statuses = counts.apply(lambda r: {k: int(v) for k, v in r.items() if v}, axis=1)
    if color_by == "tier":
        category = tiers.map(lambda s: "floor_and_room" if s == ("room", "floor") else s[0])
    elif color_by == "batch":
        category = _batch_category(c, key)
    elif color_by == "readiness":
        category = _readiness_category(g["readiness"].max())
    else:
        category = area_by_status.idxmax(axis=1)
    available = c[c.status == "available"].groupby(key)["usable_area_m2"].sum()
    return pd.DataFrame(
        {
            "n_carriers": g.size(),
            "category": category,
            "statuses": statuses,
            "tiers": tiers,
            "available_m2": available.reindex(tiers.index).fillna(0.0),
            "rent_min": g["rent_yuan_m2_day"].min(),
            "rent_max": g["rent_yuan_m2_day"].max(),
        }
    )


def _batch_category(c: gpd.GeoDataFrame, key: str) -> pd.Series:
    """The earliest batch of each building or plot, else why none of its carriers is in one."""
    first = c.groupby(key)["batch"].min()
    all_let = c.assign(let=c["outcome"].astype(str) == "held").groupby(key)["let"].all()
    other = pd.Series(np.where(all_let, "held", "not_releasable"), index=all_let.index)
    batch = first.reindex(other.index)
    label = "batch_" + batch.astype("Int64").astype(str)
    return label.where(batch.notna(), other).astype(object)


def _readiness_category(best: pd.Series) -> pd.Series:
    """The readiness band of each score (NaN: "none")."""
    out = pd.Series("none", index=best.index, dtype=object)
    for low, code in reversed(READINESS_BANDS):
        out[best >= low] = code
    return out


def palette(features: gpd.GeoDataFrame) -> dict[str, str]:
    """Category -> colour for the way ``features`` were categorised (`carrier_features`)."""
    color_by = features.attrs["color_by"]
    if color_by == "tier":
        return dict(TIER_COLORS)
    if color_by == "status":
        return dict(STATUS_COLORS)
    if color_by == "readiness":
        return dict(READINESS_COLORS)
    if color_by == "match":
        return dict(MATCH_COLORS)
    batches = sorted(
        int(c.removeprefix("batch_")) for c in set(features.category) if c.startswith("batch_")
    )
    colors = {f"batch_{n}": BATCH_COLORS[(n - 1) % len(BATCH_COLORS)] for n in batches}
    return colors | BATCH_OTHER_COLORS


def tooltip_rows(features: gpd.GeoDataFrame) -> list[list[Any]]:
    """Per feature, the values its tooltip shows, compactly, for `TOOLTIP_JS`.

    ``[name, n_carriers, [tier index, ...], [count per status in STATUSES order],
    available m² (int), rent min, rent max]``; rents are None when no carrier has one.
    """
    tiers, statuses = list(TIERS), list(STATUSES)
    rows = []
    for f in features.itertuples():
        rows.append(
            [
                str(f.name),
                int(f.n_carriers),
                [tiers.index(x) for x in f.tiers],
                [int(f.statuses.get(s, 0)) for s in statuses],
                round(float(f.available_m2)),
                None if _missing(f.rent_min) else round(float(f.rent_min), 2),
                None if _missing(f.rent_max) else round(float(f.rent_max), 2),
            ]
        )
    return rows


# Renders a row of `tooltip_rows` with the translated words of `_tooltip_labels`.
TOOLTIP_JS = """function (r, L) {
  var esc = function (s) { return String(s).replace(/[&<>"]/g, function (c) {
    return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]; }); };
  var h = "<b>" + esc(r[0]) + "</b> <small>" + L.kind + "</small>";
  if (!r[1]) { return h + "<br>" + L.not_offered; }
  h += "<br>" + L.carriers + " " + r[1] + " · "
    + r[2].map(function (i) { return L.tiers[i]; }).join(L.sep);
  h += "<br>" + r[3].map(function (n, i) { return n ? L.statuses[i] + " " + n : ""; })
    .filter(Boolean).join(" · ");
  if (r[4]) { h += "<br>" + L.available + " " + r[4].toLocaleString() + " m²"; }
  if (r[5] !== null) {
    h += "<br>" + L.rent + " " + (r[5] === r[6] ? r[5].toFixed(1)
      : r[5].toFixed(1) + "–" + r[6].toFixed(1));
  }
  return h;
}"""


def _tooltip_labels(kind: str, lang: str) -> dict[str, Any]:
    return {
        "kind": t("buildings" if kind == "building" else "plots", lang),
        "carriers": t("carriers", lang),
        "not_offered": t("not_offered", lang),
        "available": t("available_area", lang),
        "rent": t("rent", lang),
        "sep": "、" if lang == "zh" else ", ",
        "tiers": [vocab("tier", k, lang) for k in TIERS],
        "statuses": [vocab("status", k, lang) for k in STATUSES],
    }


def carrier_map(
    features: gpd.GeoDataFrame,
    layers: gpd.GeoDataFrame,
    *,
    lang: str,
    map_settings: MapSettings,
    asset_url: str | None = "/app/static/vendor",
) -> folium.Map:
    """The map: tiles if configured, the vector basemap, carriers, legend and layer control.

    Parameters
    ----------
    features
        `carrier_features` output.
    layers
        Base layers (`geodata.layers.base_layers` or the store's), EPSG:4326.
    asset_url
        Where the app serves its vendored Leaflet (`geodata.webassets.vendor_base_url`);
        None keeps folium's CDN defaults (only for comparisons such as benchmarks).
    """
    datum = display_datum(map_settings)
    m = folium.Map(
        location=_shift_point(CENTER, datum),
        zoom_start=ZOOM,
        tiles=None,
        control_scale=False,
        prefer_canvas=False,
        zoom_snap=0.25,
    )
    m.add_child(_MetricScale())
    m.add_child(CompactDecoder())
    folium.map.CustomPane(OUTLINE_PANE, z_index=450, pointer_events=False).add_to(m)
    m.get_root().header.add_child(
        Element(
            "<style>.leaflet-container{background:#e6e4de}"
            ".hq-label{font:600 13px sans-serif;color:#455a64;white-space:nowrap;"
            "text-shadow:0 0 3px #fff,0 0 3px #fff}</style>"
        )
    )
    _add_tiles(m, map_settings)
    for name in ("zone", "town", "area", "waterway", "road"):
        _add_base_layer(m, layers[layers.layer == name], name, lang, datum)
    color_by = features.attrs["color_by"]
    colors = palette(features)
    for kind in ("plot", "building"):
        _add_carriers(m, features[features.kind == kind], kind, colors, lang, datum)
    for name in ("station", "landmark"):
        _add_base_layer(m, layers[layers.layer == name], name, lang, datum)
    _add_legend(m, features, lang, color_by, layers)
    folium.LayerControl(collapsed=True).add_to(m)
    zone = layers[layers.layer == "zone"]
    if not zone.empty:
        west, south, east, north = zone.total_bounds
        m.fit_bounds([_shift_point((south, west), datum), _shift_point((north, east), datum)])
    if asset_url is not None:
        localize(m, base_url=asset_url, allow_tiles=map_settings.basemap != "none")
    return m


def _shift_point(latlon: tuple[float, float], datum: str) -> tuple[float, float]:
    if datum == "WGS84":
        return latlon
    shifted = from_wgs84(
        gpd.GeoSeries([shapely.Point(latlon[1], latlon[0])], crs=4326), datum=datum
    )
    return (shifted.iloc[0].y, shifted.iloc[0].x)


def _geojson(gdf: gpd.GeoDataFrame, columns: list[str], datum: str) -> dict[str, Any]:
    """Compact GeoJSON: chosen properties only, coordinates rounded, shifted if needed."""
    geoms = gdf.geometry
    if datum != "WGS84":
        geoms = from_wgs84(geoms, datum=datum)
    geoms = shapely.set_precision(
        np.asarray(geoms.values, dtype=object), 10.0**-PRECISION, mode="valid_output"
    )
    features = []
    for fid, geom, props in zip(gdf.index, geoms, gdf[columns].to_dict("records"), strict=True):
        if geom is None or geom.is_empty:
            continue
        props = {k: (None if _missing(v) else v) for k, v in props.items()}
        props["id"] = str(fid)
        features.append(
            {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)}
        )
    return {"type": "FeatureCollection", "features": features}


def _missing(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))


def _name(row: Mapping[str, Any] | Any, lang: str) -> str:
    return row["name_zh"] if lang == "zh" else row["name_en"]


def _add_base_layer(m: folium.Map, gdf: gpd.GeoDataFrame, name: str, lang: str, datum: str) -> None:
    """One layer of the vector basemap; zone, town and area outlines drawn above the roads."""
    if gdf.empty:
        return
    keys = [_style_key(fid, row) for fid, row in gdf.iterrows()]
    codes = sorted(set(keys))
    styles = [_style(k) for k in codes]
    labels = [html.escape(_layer_label(row, lang)) for _, row in gdf.iterrows()]
    geoms = gdf.geometry if datum == "WGS84" else from_wgs84(gdf.geometry, datum=datum)
    common = {
        "ids": list(gdf.index),
        "categories": [codes.index(k) for k in keys],
        "class_name": f"hq-{name}",
    }
    group = folium.FeatureGroup(name=_group_name(gdf, name, lang), show=True)
    if name in ("station", "landmark"):
        CompactLayer(geoms, styles=styles, rows=labels, **common).add_to(group)
    elif name in ("zone", "town", "area"):
        fills = [{**st, "stroke": False, "interactive": name != "zone"} for st in styles]
        CompactLayer(geoms, styles=fills, rows=None if name == "zone" else labels, **common).add_to(
            group
        )
        outlines = [
            {**st, "fill": False, "interactive": False, "pane": OUTLINE_PANE} for st in styles
        ]
        CompactLayer(geoms, styles=outlines, **common).add_to(group)
    else:
        CompactLayer(geoms, styles=styles, rows=labels, **common).add_to(group)
    if name == "area":
        for label, geom in zip(labels, gdf.geometry, strict=True):
            point = geom.representative_point()
            folium.Marker(
                _shift_point((point.y, point.x), datum),
                icon=folium.DivIcon(
                    html=f'<div class="hq-label">{label}</div>',
                    icon_size=(160, 20),
                    icon_anchor=(80, 10),
                ),
                interactive=False,
            ).add_to(group)
    group.add_to(m)


def _layer_label(row: Any, lang: str) -> str:
    text = _name(row, lang)
    if row["layer"] == "station" and row["kind"]:
        text += f" · {str(row['kind']).replace('|', ' / ')}"
    if row["approximate"] and row["layer"] in ("zone", "area", "town"):
        text += f"（{t('schematic', lang)}）" if lang == "zh" else f" ({t('schematic', lang)})"
    return text


def _style(key: str) -> dict[str, Any]:
    """A layer style; official (non-approximate) outlines are drawn solid, not dashed."""
    name = key.removesuffix(OFFICIAL)
    style = dict(_LAYER_STYLE.get(name, _DEFAULT_STYLE))
    if key.endswith(OFFICIAL):
        style.pop("dashArray", None)
    return style


def _style_key(fid: str, row: Any) -> str:
    key = _base_style_key(fid, row)
    if row["layer"] in ("zone", "area", "town") and not row["approximate"]:
        return key + OFFICIAL
    return key


def _base_style_key(fid: str, row: Any) -> str:
    if row["layer"] == "area":
        return str(fid) if str(fid) in _LAYER_STYLE else f"area.{row['kind']}"
    if row["layer"] == "road":
        return f"road.{row['kind']}" if f"road.{row['kind']}" in _LAYER_STYLE else "road.arterial"
    return str(row["layer"])


def _group_name(gdf: gpd.GeoDataFrame, name: str, lang: str) -> str:
    text = t(f"layer_{name}", lang)
    if name in ("zone", "area", "town", "road", "waterway") and gdf.approximate.any():
        text += f"（{t('schematic', lang)}）" if lang == "zh" else f" ({t('schematic', lang)})"
    return text


def _add_carriers(
    m: folium.Map,
    features: gpd.GeoDataFrame,
    kind: str,
    palette: Mapping[str, str],
    lang: str,
    datum: str,
) -> None:
    if features.empty:
        return
    group = folium.FeatureGroup(name=t(f"layer_{kind}s", lang), show=True)
    codes = list(palette)
    geoms = features.geometry if datum == "WGS84" else from_wgs84(features.geometry, datum=datum)
    if palette is MATCH_COLORS:
        styles = [_match_style(k, kind) for k in palette]
    elif kind == "building":
        styles = [
            {"color": "#263238", "weight": 0.8, "fillColor": c, "fillOpacity": 0.85}
            for c in palette.values()
        ]
    else:
        styles = [
            {"color": c, "weight": 1.5, "fillColor": c, "fillOpacity": 0.35}
            for c in palette.values()
        ]
    CompactLayer(
        geoms,
        ids=list(features.index),
        categories=[codes.index(c) for c in features.category],
        styles=styles,
        rows=tooltip_rows(features),
        tooltip_js=TOOLTIP_JS,
        labels=_tooltip_labels(kind, lang),
        class_name=f"hq-{kind}",
        properties={"kind": kind},
    ).add_to(group)
    group.add_to(m)


def _match_style(category: str, kind: str) -> dict[str, Any]:
    color = MATCH_COLORS[category]
    if category == "match":
        return {"color": "#bf360c", "weight": 1.5, "fillColor": color, "fillOpacity": 0.9}
    opacity = 0.35 if kind == "building" else 0.15
    return {"color": color, "weight": 0.6, "fillColor": color, "fillOpacity": opacity}


def highlight_layer(
    features: gpd.GeoDataFrame, ids: Iterable[str], *, datum: str = "WGS84"
) -> folium.FeatureGroup:
    """A layer drawing the given buildings and plots in the match colour, above the rest.

    Given to streamlit-folium as ``feature_group_to_add`` so that a new search redraws the
    highlights without rebuilding the map (the base map dims every carrier). Its features
    carry the CSS class ``hq-match`` and let clicks through to the carriers below.
    """
    group = folium.FeatureGroup(name="matches", control=False)
    hits = features[features.index.isin(list(ids))]
    if hits.empty:
        return group
    geoms = hits.geometry if datum == "WGS84" else from_wgs84(hits.geometry, datum=datum)
    kinds = ["plot", "building"]
    CompactLayer(
        geoms,
        ids=list(hits.index),
        categories=[kinds.index(k) for k in hits.kind],
        styles=[
            {**_match_style("match", kind), "interactive": False, "weight": 2} for kind in kinds
        ],
        class_name="hq-match",
    ).add_to(group)
    return group


def selection_layer(
    features: gpd.GeoDataFrame, selected: str | None, *, datum: str = "WGS84"
) -> folium.FeatureGroup:
    """A layer outlining the selected building or plot (empty when nothing is selected).

    Given to streamlit-folium as ``feature_group_to_add`` so that selecting does not
    rebuild the map or lose the user's pan and zoom.
    """
    group = folium.FeatureGroup(name="selection", control=False)
    if selected is not None and selected in features.index:
        folium.GeoJson(
            _geojson(features.loc[[selected]], [], datum),
            style_function=lambda f: {
                "color": "#ff1744",
                "weight": 4,
                "fillOpacity": 0,
                "className": "hq-selected",
            },
            interactive=False,
        ).add_to(group)
    return group


_LEGEND = Template("""
{% macro html(this, kwargs) %}
<div class="hq-legend" style="position:absolute;z-index:1000;bottom:24px;left:10px;
  background:rgba(255,255,255,.92);padding:6px 10px;border-radius:4px;font:12px sans-serif;
  box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:260px">
  <b>{{ this.title }}</b><br>
  {% for label, color in this.items %}
  <span style="display:inline-block;width:12px;height:12px;background:{{ color }};
    margin-right:4px;vertical-align:middle;border:1px solid #555"></span>{{ label }}<br>
  {% endfor %}
  {% if this.note %}<div style="margin-top:4px;color:#6d4c41">{{ this.note }}</div>{% endif %}
</div>
{% endmacro %}
""")


class _MetricScale(MacroElement):
    """A metric-only scale bar (folium's own shows miles as well)."""

    _template = Template("""
{% macro script(this, kwargs) %}
L.control.scale({imperial: false, maxWidth: 150}).addTo({{ this._parent.get_name() }});
{% endmacro %}
""")


class _Legend(MacroElement):
    def __init__(self, title: str, items: list[tuple[str, str]], note: str):
        super().__init__()
        self._template = _LEGEND
        self.title = title
        self.items = items
        self.note = note


def _add_legend(
    m: folium.Map, features: gpd.GeoDataFrame, lang: str, color_by: str, layers: gpd.GeoDataFrame
) -> None:
    present = set(features.category)
    if color_by == "tier":
        items = [(_tier_label(k, lang), c) for k, c in TIER_COLORS.items() if k in present]
    elif color_by == "match":
        items = [
            (t(f"match_{k}", lang), c)
            for k, c in MATCH_COLORS.items()
            if k != "none" or k in present
        ]
    elif color_by == "status":
        items = [(_status_label(k, lang), c) for k, c in STATUS_COLORS.items() if k in present]
    else:
        items = [(_plan_label(k, lang), c) for k, c in palette(features).items() if k in present]
    approximate = layers[layers.layer.isin(["zone", "area", "town"])].approximate.any()
    note = f"虚线范围为{t('schematic', lang)}" if lang == "zh" else "Dashed outlines are schematic"
    title = f"{t('legend', lang)} · {t(f'by_{color_by}', lang)}"
    m.add_child(_Legend(title, items, note if approximate else ""))


def _tier_label(code: str, lang: str) -> str:
    if code == "floor_and_room":
        return t("floor_and_room", lang)
    if code == "none":
        return t("not_offered", lang)
    return vocab("tier", code, lang)


def _status_label(code: str, lang: str) -> str:
    return t("not_offered", lang) if code == "none" else vocab("status", code, lang)


def _plan_label(code: str, lang: str) -> str:
    """Legend label of a batch or readiness category."""
    if code.startswith("batch_"):
        return t("batch_n", lang).format(n=code.removeprefix("batch_"))
    if code == "none":
        return t("not_offered", lang)
    return t(f"legend_{code}", lang)


def _add_tiles(m: folium.Map, map_settings: MapSettings) -> None:
    provider = map_settings.basemap
    if provider == "none":
        return
    if provider == "custom":
        url, attribution, subdomains = (
            map_settings.custom_tiles,
            map_settings.custom_attribution or "tiles",
            None,
        )
    else:
        url, attribution, _, subdomains = _TILES[provider]
        if provider == "tianditu":
            url += map_settings.tianditu_key
    kwargs = {"subdomains": subdomains} if subdomains else {}
    folium.TileLayer(
        tiles=url,
        attr=attribution,
        name=provider,
        overlay=False,
        control=True,
        max_zoom=19,
        **kwargs,
    ).add_to(m)


def pick_feature(
    features: gpd.GeoDataFrame, clicked: Mapping[str, Any] | None, *, datum: str = "WGS84"
) -> str | None:
    """The id of the building (preferred) or plot under a map click, or None.

    ``clicked`` is what streamlit-folium returns: either a GeoJSON feature (with
    ``properties.id``) or a point ``{"lat": .., "lng": ..}`` in the display datum.
    """
    if not clicked:
        return None
    props = clicked.get("properties") if isinstance(clicked, Mapping) else None
    if props and props.get("id") in features.index:
        return str(props["id"])
    if "lat" not in clicked or "lng" not in clicked:
        return None
    lon, lat = float(clicked["lng"]), float(clicked["lat"])
    if datum == "GCJ-02":
        lon, lat = (float(v) for v in gcj02_to_wgs84(lon, lat))
    point = shapely.Point(lon, lat)
    hits = features[features.geometry.contains(point)]
    if hits.empty:
        return None
    buildings = hits[hits.kind == "building"]
    return str((buildings if not buildings.empty else hits).index[0])
