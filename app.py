"""Entry point: page config, settings, sidebar and navigation. Nothing else lives here."""

import streamlit as st

from ui.common import get_settings, lang, sidebar
from words import t

EVERYONE = {"public", "planner", "steward", "leader"}
STAFF = {"planner", "steward", "leader"}
PLANNERS = {"planner", "leader"}
# (script, title key, icon, URL path, roles that see it). The map's cards show tenants, so the
# public role gets the finder only; stewards and planners import and edit (a steward only
# their own unit's records), leaders review release batches.
PAGES = [
    ("ui/map_page.py", "page_map", ":material/map:", "map", STAFF),
    ("ui/finder_page.py", "page_finder", ":material/search:", "finder", EVERYONE),
    ("ui/leaders_page.py", "page_leaders", ":material/fact_check:", "leaders", PLANNERS),
    ("ui/demand_page.py", "page_demands", ":material/list_alt:", "demands", PLANNERS),
    ("ui/matching_page.py", "page_matching", ":material/handshake:", "matching", PLANNERS),
    (
        "ui/import_page.py",
        "page_import",
        ":material/upload_file:",
        "import",
        {"planner", "steward"},
    ),
    ("ui/edit_page.py", "page_edit", ":material/edit:", "edit", {"planner", "steward"}),
    ("ui/audit_page.py", "page_audit", ":material/history:", "audit", STAFF),
    ("ui/export_page.py", "page_export", ":material/download:", "export", STAFF),
]

st.set_page_config(page_title=t("app_short", lang()), page_icon="🏢", layout="wide")
sidebar()
lg = lang()
role = get_settings().role
visible = [p for p in PAGES if role in p[4]]
page = st.navigation(
    [
        st.Page(script, title=t(title, lg), icon=icon, url_path=url, default=i == 0)
        for i, (script, title, icon, url, _) in enumerate(visible)
    ]
)
page.run()
