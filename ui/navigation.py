"""The app's pages, who may see each, and the way back to a page after signing in.

Every page is registered with Streamlit on every run, whoever visits, so that each keeps its
URL path (a deep link never meets Streamlit's English "Page not found"); the menu lists the
pages the visitor may see, and a page the visitor may not see says so instead of running
(`app.py`). What a visitor may see is the permission table's answer (`access.permissions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from access.permissions import Actor, allowed

NEXT = "next"
"""The sign-in page's query parameter: the page (URL path and query) to return to."""

HOME = "finder"
"""The page at the app's root URL, for every visitor: the finder, which the public may see."""

SIGNED_IN = "signed_in"
"""The ``need`` of a page for any signed-in account (their own account's page)."""


@dataclass(frozen=True)
class Entry:
    """A page: its script, title key, icon, URL path and what a visitor needs to see it.

    ``need`` is an action of the permission table, `SIGNED_IN`, or None (everyone).
    ``menu``: whether the sidebar menu lists it (the sign-in page is reached by its button).
    """

    script: str
    title: str
    icon: str
    url: str
    need: str | None
    menu: bool = True


# The map's cards show tenants, so the public role gets the finder only; stewards and planners
# import and edit (a steward only their own unit's records), leaders review release batches.
PAGES = (
    Entry("ui/map_page.py", "page_map", ":material/map:", "map", "view.map"),
    Entry("ui/finder_page.py", "page_finder", ":material/search:", "finder", "view.finder"),
    Entry("ui/leaders_page.py", "page_leaders", ":material/fact_check:", "leaders", "view.plan"),
    Entry("ui/demand_page.py", "page_demands", ":material/list_alt:", "demands", "view.demands"),
    Entry(
        "ui/matching_page.py", "page_matching", ":material/handshake:", "matching", "view.matching"
    ),
    Entry("ui/import_page.py", "page_import", ":material/upload_file:", "import", "edit.inventory"),
    Entry("ui/edit_page.py", "page_edit", ":material/edit:", "edit", "edit.inventory"),
    Entry("ui/audit_page.py", "page_audit", ":material/history:", "audit", "view.audit"),
    Entry("ui/export_page.py", "page_export", ":material/download:", "export", "view.export"),
    Entry(
        "ui/admin_page.py", "page_admin", ":material/manage_accounts:", "admin", "manage.accounts"
    ),
    Entry("ui/account_page.py", "page_account", ":material/person:", "account", SIGNED_IN),
    Entry("ui/signin_page.py", "page_signin", ":material/login:", "signin", None, menu=False),
)
BY_URL = {e.url: e for e in PAGES}


def may_see(actor: Actor, entry: Entry) -> bool:
    """Whether ``actor`` may see the page ``entry``."""
    if entry.need is None:
        return True
    if entry.need == SIGNED_IN:
        return actor.account is not None
    return allowed(actor, entry.need)


def home(actor: Actor) -> Entry:
    """The page one lands on after signing in (without a page to return to): the first page of
    the menu one may see."""
    return next(e for e in PAGES if e.menu and may_see(actor, e))


def next_value(url: str, query: dict[str, str]) -> str:
    """The sign-in page's `NEXT`: a page's URL path with its query string."""
    return url + (f"?{urlencode(query)}" if query else "")


def return_to(value: str | None) -> tuple[Entry, dict[str, str]] | None:
    """The page and query a `NEXT` value names; None for one that names no page of the app
    (only the app's own pages are returned to, whatever the link says)."""
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    entry = BY_URL.get(parts.path.strip("/"))
    if entry is None or entry.url == "signin":
        return None
    return entry, dict(parse_qsl(parts.query))
