"""Entry point: page config, settings, sidebar and navigation. Nothing else lives here."""

import streamlit as st

from ui.common import current_actor, lang, language_switch, sample_accounts_banner, sidebar
from ui.navigation import BY_URL, HOME, NEXT, PAGES, may_see, next_value
from words import t

st.set_page_config(page_title=t("app_short", lang()), page_icon="🏢", layout="wide")
lg = language_switch()
actor = current_actor()
# Every page is registered for every visitor, so that each keeps its URL path; the menu
# (`sidebar`) lists those the visitor may see, and another page says so instead of running.
pages = {e.url: st.Page(e.script, title=t(e.title, lg), icon=e.icon, url_path=e.url) for e in PAGES}


def _root() -> None:
    # The app's root URL opens the finder at its own address, with the root's query: the
    # default page of st.navigation has no address of its own, so /finder would be "not found".
    st.switch_page(pages[HOME], query_params=st.query_params.to_dict())


root = st.Page(_root, title=t(BY_URL[HOME].title, lg), url_path="home", default=True)
page = st.navigation([root, *pages.values()], position="hidden")
if page is root:
    page.run()
entry = next(e for e in PAGES if pages[e.url] is page)
query = st.query_params.to_dict()
here = "" if entry.url == "signin" else next_value(entry.url, query)
menu = [(pages[e.url], t(e.title, lg)) for e in PAGES if e.menu and may_see(actor, e)]
sidebar(menu, pages["signin"], here)
sample_accounts_banner()
if may_see(actor, entry):
    page.run()
else:
    if actor.role == "public":
        st.warning(t("needs_signin", lg), icon=":material/lock:")
    else:
        st.warning(t("needs_role", lg).format(role=t(f"role_{actor.role}", lg)))
    label = t("signin_to_see" if actor.role == "public" else "signin_other", lg)
    st.page_link(pages["signin"], label=label, icon=":material/login:", query_params={NEXT: here})
