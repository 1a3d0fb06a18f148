"""Entry point: page config, settings, sidebar and navigation. Nothing else lives here."""

import streamlit as st

from ui.common import lang, sidebar
from ui.i18n import t

st.set_page_config(page_title=t("app_short", lang()), page_icon="🏢", layout="wide")
sidebar()
lg = lang()
page = st.navigation(
    [
        st.Page("ui/map_page.py", title=t("page_map", lg), icon="🗺️", url_path="map", default=True),
        st.Page("ui/leaders_page.py", title=t("page_leaders", lg), icon="📋", url_path="leaders"),
    ]
)
page.run()
