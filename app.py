"""Entry point: page config, settings, sidebar and navigation. Nothing else lives here."""

import streamlit as st

from ui.common import get_settings, lang, sidebar
from ui.i18n import t

st.set_page_config(page_title=t("app_short", lang()), page_icon="🏢", layout="wide")
sidebar()
lg = lang()
role = get_settings().role
public = role == "public"
pages = []
if not public:  # the map's cards show tenants: planners, stewards and leaders only
    pages.append(
        st.Page("ui/map_page.py", title=t("page_map", lg), icon="🗺️", url_path="map", default=True)
    )
pages.append(
    st.Page(
        "ui/finder_page.py",
        title=t("page_finder", lg),
        icon="🔎",
        url_path="finder",
        default=public,
    )
)
if role in ("planner", "leader"):
    pages.append(
        st.Page("ui/demand_page.py", title=t("page_demands", lg), icon="📋", url_path="demands")
    )
    pages.append(
        st.Page("ui/matching_page.py", title=t("page_matching", lg), icon="🤝", url_path="matching")
    )
page = st.navigation(pages)
page.run()
