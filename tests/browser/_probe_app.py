"""Probe page for the browser tests: a folium map through st_folium with vendored assets only."""

import folium
import streamlit as st
from streamlit_folium import st_folium

from geodata.webassets import localize, vendor_base_url

PARCELS = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "探针地块"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [121.30, 31.19],
                        [121.32, 31.19],
                        [121.32, 31.21],
                        [121.30, 31.21],
                        [121.30, 31.19],
                    ]
                ],
            },
        }
    ],
}

st.title("离线地图探针")
m = folium.Map(location=[31.2, 121.31], zoom_start=14, tiles=None)
folium.GeoJson(
    PARCELS,
    name="地块",
    style_function=lambda _: {"color": "#d33", "weight": 2, "fillOpacity": 0.3},
    tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=["地块"]),
).add_to(m)
# A default marker (vendored images) with a popup (jQuery) outside the polygon.
folium.Marker([31.185, 121.325], popup="载体").add_to(m)
folium.LayerControl(collapsed=False).add_to(m)
localize(m, base_url=vendor_base_url(base_url_path=st.get_option("server.baseUrlPath")))
st_folium(m, height=420, returned_objects=[], key="probe_map")
