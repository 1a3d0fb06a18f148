"""Entry point: page config, settings, sidebar and navigation. Nothing else lives here."""

import streamlit as st

from access.permissions import allowed
from ui.common import current_actor, lang, sidebar
from words import t

# (script, title key, icon, URL path, the action of the permission table a visitor must be
# allowed to see it). The map's cards show tenants, so the public role gets the finder only;
# stewards and planners import and edit (a steward only their own unit's records), leaders
# review release batches.
PAGES = [
    ("ui/map_page.py", "page_map", ":material/map:", "map", "view.map"),
    ("ui/finder_page.py", "page_finder", ":material/search:", "finder", "view.finder"),
    ("ui/leaders_page.py", "page_leaders", ":material/fact_check:", "leaders", "view.plan"),
    ("ui/demand_page.py", "page_demands", ":material/list_alt:", "demands", "view.demands"),
    ("ui/matching_page.py", "page_matching", ":material/handshake:", "matching", "view.matching"),
    ("ui/import_page.py", "page_import", ":material/upload_file:", "import", "edit.inventory"),
    ("ui/edit_page.py", "page_edit", ":material/edit:", "edit", "edit.inventory"),
    ("ui/audit_page.py", "page_audit", ":material/history:", "audit", "view.audit"),
    ("ui/export_page.py", "page_export", ":material/download:", "export", "view.export"),
    ("ui/admin_page.py", "page_admin", ":material/manage_accounts:", "admin", "manage.accounts"),
]

st.set_page_config(page_title=t("app_short", lang()), page_icon="🏢", layout="wide")
sidebar()
lg = lang()
actor = current_actor()
visible = [p for p in PAGES if allowed(actor, p[4])]
page = st.navigation(
    [
        st.Page(script, title=t(title, lg), icon=icon, url_path=url, default=i == 0)
        for i, (script, title, icon, url, _) in enumerate(visible)
    ]
)
page.run()
