"""What every page shares: settings, the store, cached data, language and the sidebar."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from access.accounts import Account
from access.permissions import ANONYMOUS, Actor
from geodata.webassets import vendor_base_url
from planning.approval import released_carriers
from planning.facts import CarrierFacts
from planning.policy import Policy
from planning.supply import CarrierIndex
from settings import BEIJING, Settings, load_settings
from spaces.model import Inventory
from spaces.rollup import carrier_table
from store.bootstrap import open_store
from store.repository import Repository
from ui.mapview import (
    carrier_map,
    display_datum,
    highlight_layer,
    pick_feature,
    selection_layer,
)
from ui.navigation import NEXT
from words import t
from words.access import unit_label

LANG_KEY = "hq_lang"
AS_OF_KEY = "hq_as_of"
SESSION_KEY = "hq_session_token"
"""The session state's key of the signed-in session's token (`store.sessions`)."""
SIGNED_OUT_KEY = "hq_signed_out"
"""Set by signing out: the cookie the browser sent when the page opened is not read again."""
COOKIE = "hq_session"
"""The browser's cookie holding the session's token, so that reloads and new tabs of the same
browser stay signed in."""


@st.cache_resource(show_spinner=False)
def get_settings() -> Settings:
    """The process's settings (files and environment are read once)."""
    return load_settings()


def _close(repo: Repository) -> None:
    repo.engine.dispose()


@st.cache_resource(show_spinner="正在打开数据库 / opening the store…", on_release=_close)
def _store(url: str) -> Repository:
    return open_store(get_settings())


def get_store() -> Repository:
    """The repository of the configured database, seeded with sample data on first use."""
    return _store(get_settings().database_url)


@st.cache_resource(show_spinner=False, max_entries=4)
def _inventory(url: str, revision: int) -> tuple[Inventory, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    repo = _store(url)
    inv = repo.load_inventory()
    layers = repo.load_layers()
    return inv, layers, carrier_table(inv, layers=layers)


def load_data() -> tuple[Inventory, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The inventory, base layers and carrier table, re-read only after a write.

    Cached per store revision and shared by all sessions; callers must not modify them.
    """
    repo = get_store()
    return _inventory(get_settings().database_url, repo.revision())


@st.cache_resource(show_spinner=False, max_entries=8)
def _facts(url: str, revision: int, key: str, _policy: Policy) -> CarrierFacts:
    _, layers, carriers = _inventory(url, revision)
    return _policy.carrier_facts(carriers, layers)


def load_facts(policy: Policy | None = None) -> CarrierFacts:
    """The carriers' facts as ``policy`` (default: the settings') judges them.

    Computed once per store revision and per tracks/access/neighbour settings, and shared by
    the release plan, the finder and matching.
    """
    policy = Policy.from_settings(get_settings()) if policy is None else policy
    return _facts(get_settings().database_url, get_store().revision(), policy.facts_key(), policy)


@st.cache_resource(show_spinner=False, max_entries=4)
def _supply(url: str, revision: int) -> CarrierIndex:
    _, _, carriers = _inventory(url, revision)
    return CarrierIndex.build(carriers, facts=load_facts())


def load_supply() -> CarrierIndex:
    """The carrier table's search index (finder and matching), rebuilt only after a write."""
    return _supply(get_settings().database_url, get_store().revision())


def plan_date() -> date:
    """The date plans, released batches and matches are made as of.

    The date chosen on the release or matching page in this session, else ``release.as_of``
    in the settings (HQ_AS_OF), else today in Beijing (whatever the server's clock zone), the
    day approvals are checked against.
    """
    chosen = st.session_state.get(AS_OF_KEY) or get_settings().release.as_of
    return chosen or datetime.now(BEIJING).date()


def plan_date_input(container, *, key: str) -> date:
    """A date field for `plan_date`, shared by the pages that plan or match."""
    current = lang()
    chosen = container.date_input(
        t("as_of", current), value=plan_date(), key=key, help=t("as_of_help", current)
    )
    st.session_state[AS_OF_KEY] = chosen
    return chosen


@st.cache_resource(show_spinner=False, max_entries=8)
def _demands(url: str, revision: int, actor: Actor) -> pd.DataFrame:
    return _store(url).load_demands(actor=actor)


def load_demands(actor: Actor) -> pd.DataFrame:
    """The demand list (需求清单) as ``actor`` may read it, re-read only after a write.

    Cached per store revision and actor, so that the store is asked for each actor; callers
    must not modify it.
    """
    return _demands(get_settings().database_url, get_store().revision(), actor)


@st.cache_resource(show_spinner=False, max_entries=64)
def _frozen_members(url: str, decision_id: int) -> pd.DataFrame:
    return _store(url).decision_members(decision_id)  # frozen: never changes once written


def released_batches() -> pd.Series:
    """Released carriers: carrier id -> "batch · window start", from the leaders' approvals.

    A carrier is released once its batch is approved and the batch's window has begun (as of
    `plan_date`). Empty while no such batch exists.
    """
    settings = get_settings()
    latest = get_store().release_states()
    approved = latest[latest["decision"] == "approved"] if not latest.empty else latest
    members = {int(i): _frozen_members(settings.database_url, int(i)) for i in approved.index}
    released = released_carriers(latest, members, as_of=plan_date())
    labels = released["batch"].astype(str) + " · " + released["window_start"].astype(str)
    return labels.rename("batch")


def lang() -> str:
    """The session's interface language ("zh" or "en")."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = get_settings().language
    return st.session_state[LANG_KEY]


def current_actor() -> Actor:
    """Who acts on this page: the one place the pages get their actor from.

    In ``[auth] mode = "local"`` the account of the browser's session (`current_account`), or
    `access.permissions.ANONYMOUS` (public) without a valid one; in "oidc" the organisation's
    provider's (`ui.oidc.oidc_actor`). What the actor may do is asked of
    `access.permissions`, by the pages and again by the store.
    """
    if get_settings().auth.mode == "oidc":
        from ui.oidc import oidc_actor

        return oidc_actor()
    account = current_account()
    return ANONYMOUS if account is None else account.actor()


def current_account() -> Account | None:
    """The account signed in in this browser (local mode), as the store has it now.

    The session's token is in the session state once signed in here, else in the ``hq_session``
    cookie the browser sent when the page opened (a reload or a new tab). The store says
    whether the session is still valid (not signed out, not idle for ``[auth] idle_minutes``,
    the account active) and keeps it alive (`store.sessions.SessionStore.session_account`).
    """
    token = st.session_state.get(SESSION_KEY)
    if not token and not st.session_state.get(SIGNED_OUT_KEY):
        token = _cookies().get(COOKIE)
    if not token:
        return None
    account = get_store().session_account(token, now=datetime.now(UTC))
    if account is None:
        st.session_state.pop(SESSION_KEY, None)
    else:
        st.session_state[SESSION_KEY] = token
    return account


def sign_in(token: str) -> None:
    """Keep a new session's token (`store.sessions`) in this browser: the session state now,
    the cookie from the next run on (`sidebar`)."""
    st.session_state[SESSION_KEY] = token
    st.session_state.pop(SIGNED_OUT_KEY, None)


def sign_out() -> None:
    """End this browser's session in the store and forget it here (the cookie is cleared by
    `sidebar`)."""
    token = st.session_state.pop(SESSION_KEY, None) or _cookies().get(COOKIE)
    get_store().end_session(token, now=datetime.now(UTC))
    st.session_state[SIGNED_OUT_KEY] = True


def _cookies() -> dict[str, str]:
    """The cookies the browser sent when this session's page opened (none under AppTest)."""
    try:
        return dict(st.context.cookies)
    except Exception:  # no browser behind the session (AppTest, bare mode)
        return {}


def _cookie_script(token: str | None) -> None:
    """Write (or, without ``token``, clear) the ``hq_session`` cookie in the browser.

    Streamlit cannot set cookies from the server: a script in an empty frame (`st.iframe`,
    same origin) writes
    ``document.cookie`` of the app's page (path /, SameSite=Strict, Secure over https). Its
    max-age is the idle time; the script changes each minute of use, so the cookie's life
    starts again while the person works.
    """
    minutes = get_settings().auth.idle_minutes
    if token:
        cookie = f"{COOKIE}={token}; path=/; max-age={minutes * 60}; SameSite=Strict"
    else:
        cookie = f"{COOKIE}=; path=/; max-age=0; SameSite=Strict"
    stamp = int(time.time() // 60) if token else 0
    st.iframe(
        "<script>(function(){var d=window.parent.document;"
        f"d.cookie={json.dumps(cookie)}"
        "+(window.parent.location.protocol==='https:'?'; Secure':'');})();"
        f"</script><!-- {stamp} -->",
        height="content",
    )


def language_switch() -> str:
    """The sidebar's language switch (first, so that everything after it is worded in the
    chosen language); returns the language."""
    current = lang()
    with st.sidebar:
        choice = st.radio(
            t("language", current),
            ["中文", "English"],
            index=0 if current == "zh" else 1,
            horizontal=True,
            key="hq_lang_radio",
        )
    st.session_state[LANG_KEY] = "zh" if choice == "中文" else "en"
    return lang()


def sidebar(menu: Iterable[tuple[Any, str]], signin: Any, here: str) -> None:
    """The menu, who is signed in with the sign-in or sign-out button, and the sample-data
    notice, on every page.

    Parameters
    ----------
    menu
        (page, label) of each page the visitor may see, for `st.page_link`.
    signin
        The sign-in page.
    here
        The current page's URL path and query, for the sign-in page to return to.
    """
    settings = get_settings()
    current = lang()
    local = settings.auth.mode == "local"
    account = current_account() if local else None
    actor = current_actor()
    with st.sidebar:
        for page, label in menu:
            st.page_link(page, label=label)
        st.divider()
        if account is not None:
            st.caption(f"{t('signed_in_as', current)}：{plain(account.display_name)}")
        elif actor.user:  # signed in by the organisation's provider
            st.caption(f"{t('user', current)}：{plain(actor.user)}")
        unit = f" · {unit_label(actor.unit, current, settings.units)}" if actor.unit else ""
        st.caption(f"{t('role', current)}：{t(f'role_{actor.role}', current)}{unit}")
        if local and account is not None:
            st.button(t("signout", current), on_click=sign_out, key="hq_signout")
            _cookie_script(st.session_state[SESSION_KEY])
        elif local:
            if st.session_state.get(SIGNED_OUT_KEY):
                st.caption(t("signed_out", current))
            st.page_link(
                signin,
                label=t("page_signin", current),
                icon=":material/login:",
                query_params={NEXT: here} if here else None,
            )
            if COOKIE in _cookies():  # a cookie of a session that ended: clear it
                _cookie_script(None)
        else:
            from ui.oidc import oidc_sidebar  # ui.oidc uses this module's store and language

            oidc_sidebar()
        if get_store().get_meta("sample") == "1":
            st.info(t("sample_banner", current), icon="ℹ️")


def sample_accounts_banner() -> None:
    """The warning on every page while sample accounts (published passwords) are active."""
    if get_store().sample_accounts_active():
        st.warning(t("sample_accounts_banner", lang()), icon="⚠️")


def show_map(
    features: gpd.GeoDataFrame,
    layers: gpd.GeoDataFrame,
    *,
    key: str,
    height: int,
    selection_key: str | None = None,
    highlight: Iterable[str] | None = None,
) -> None:
    """Draw the carrier map; with ``selection_key``, a click selects a building or plot.

    The selected id lives in ``st.session_state[selection_key]`` (outlined on the map); a new
    click stores the clicked id there and reruns the page. The selection outline and the
    highlighted matches are layers added to the drawn map (streamlit-folium's
    ``feature_group_to_add``), so changing them keeps the user's pan and zoom.
    """
    settings = get_settings()
    datum = display_datum(settings.map)
    m = carrier_map(
        features,
        layers,
        lang=lang(),
        map_settings=settings.map,
        asset_url=vendor_base_url(base_url_path=st.get_option("server.baseUrlPath")),
    )
    selected = st.session_state.get(selection_key) if selection_key else None
    extra = [] if highlight is None else [highlight_layer(features, highlight, datum=datum)]
    extra.append(selection_layer(features, selected, datum=datum))
    event = st_folium(
        m,
        height=height,
        use_container_width=True,
        key=key,
        feature_group_to_add=extra,
        returned_objects=["last_active_drawing", "last_object_clicked"] if selection_key else [],
    )
    if not selection_key or not event:
        return
    clicked = event.get("last_active_drawing") or event.get("last_object_clicked")
    picked = pick_feature(features, clicked, datum=datum)
    last = f"{key}_last_pick"
    if picked and picked != st.session_state.get(last):
        st.session_state[last] = picked
        st.session_state[selection_key] = picked
        st.rerun()


# --- confirmations ------------------------------------------------------------------------------


def ask_confirmation(key: str, params: Mapping[str, Any]) -> None:
    """Ask the user to confirm the action ``key`` (with what it needs, ``params``): from the
    next run on, `confirmation` shows its dialog until the user confirms or cancels."""
    st.session_state[f"{key}_asked"] = dict(params)


def confirmation(
    key: str,
    *,
    title: str,
    describe: Callable[[Mapping[str, Any]], Sequence[str]],
    confirm: str | None = None,
) -> Mapping[str, Any] | None:
    """The confirmation step of the action ``key`` asked for with `ask_confirmation`.

    While it is asked, a dialog (``st.dialog``) shows ``title`` and ``describe(params)``, each
    line as Markdown (put user text through `plain`), with a confirm and a cancel button;
    cancelling or closing the dialog forgets the request. Returns the params on the run the
    user confirms (once), else None. Call it on every run of the page, after the buttons that
    ask.
    """
    done = st.session_state.pop(f"{key}_confirmed", None)
    if done is not None:
        return done
    params = st.session_state.get(f"{key}_asked")
    if params is None:
        return None
    current = lang()

    def forget() -> None:
        st.session_state.pop(f"{key}_asked", None)

    def confirmed() -> None:
        st.session_state[f"{key}_confirmed"] = st.session_state.pop(f"{key}_asked", params)

    @st.dialog(title, on_dismiss=forget)
    def dialog() -> None:
        for line in describe(params):
            st.markdown(line)
        c1, c2 = st.columns(2)
        ok = c1.button(
            confirm or t("confirm", current),
            type="primary",
            key=f"{key}_ok",
            on_click=confirmed,
            width="stretch",
        )
        cancel = c2.button(
            t("cancel", current), key=f"{key}_cancel", on_click=forget, width="stretch"
        )
        if ok or cancel:
            st.rerun()

    dialog()
    return None


# --- text from users, files and links on pages ---------------------------------------------

_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_WORD_JOINER = "\u2060"  # invisible, and no line break either
_LIVE_TEXT = re.compile(r"(\\:)|(\\@)|(?<=www)(?=\\\.)", flags=re.IGNORECASE)


def plain(text: Any) -> str:
    """Text from users, files or links, for anything Streamlit renders as Markdown.

    Headings, captions, alerts, ``st.markdown`` and ``st.table`` cells render Markdown: links,
    images, HTML, emphasis, ``:directives:``. Every ASCII punctuation character is escaped
    with a backslash (CommonMark allows it for each of them), so the text shows as written;
    and since bare URLs, e-mail addresses and ``:shortcodes:`` are turned into links and
    emoji after unescaping, an invisible word joiner (U+2060) follows each ``:`` and ``www``
    and precedes each ``@``. Nothing in the text becomes a link, an image or markup.
    """
    escaped = _ASCII_PUNCTUATION.sub(r"\\\1", str(text))
    return _LIVE_TEXT.sub(_join, escaped)


def _join(m: re.Match[str]) -> str:
    if m.group(1):
        return m.group(1) + _WORD_JOINER
    if m.group(2):
        return _WORD_JOINER + m.group(2)
    return _WORD_JOINER


def plain_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` for ``st.table`` (which renders Markdown): every cell `plain`."""
    out = frame.map(plain)
    out.columns = [plain(c) for c in frame.columns]
    out.index = [plain(i) for i in frame.index]
    out.index.name = None if frame.index.name is None else plain(frame.index.name)
    return out
