"""Entry point: page config, settings, sidebar and navigation. Nothing else lives here."""

import streamlit as st

from store.transfer import can_edit
from ui.common import get_settings, lang, sidebar
from ui.i18n import t

st.set_page_config(page_title=t("app_short", lang()), page_icon="🏢", layout="wide")
sidebar()
lg = lang()
role = get_settings().role
pages = [st.Page("ui/map_page.py", title=t("page_map", lg), icon="🗺️", url_path="map", default=True)]
if can_edit(get_settings()):
    pages += [
        st.Page("ui/import_page.py", title=t("page_import", lg), icon="📥", url_path="import"),
        st.Page("ui/edit_page.py", title=t("page_edit", lg), icon="✏️", url_path="edit"),
    ]
if role != "public":
    pages += [
        st.Page("ui/audit_page.py", title=t("page_audit", lg), icon="🧾", url_path="audit"),
        st.Page("ui/export_page.py", title=t("page_export", lg), icon="📤", url_path="export"),
    ]
st.navigation(pages).run()
