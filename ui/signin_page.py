"""登录 / Sign in: a login and password (``[auth] mode = "local"``), and a new password when
an administrator set or reset it; then back to the page the visitor came from (``?next=``).
In mode "oidc", the organisation's provider's sign-in button (`ui.oidc.oidc_sign_in_page`)."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from access.accounts import PasswordError, SignInError
from ui.common import current_account, get_settings, get_store, lang, plain, sign_in
from ui.navigation import NEXT, home, return_to
from words import t
from words.signin import password_error, sign_in_error

# The login whose password must be changed before it signs in (the second form). A comment, not
# a docstring: Streamlit would show a bare string of a page script on the page.
MUST_CHANGE = "hq_signin_must_change"

lg = lang()
settings = get_settings()
repo = get_store()
st.title(t("page_signin", lg))
if settings.auth.mode == "oidc":
    from ui.oidc import oidc_sign_in_page

    oidc_sign_in_page()
    st.stop()


def _done(token: str) -> None:
    """Keep the session and go back to the page asked for (or the landing page)."""
    sign_in(token)
    st.session_state.pop(MUST_CHANGE, None)
    target = return_to(st.query_params.get(NEXT))
    if target is None:
        account = repo.session_account(token, now=datetime.now(UTC))
        st.switch_page(home(account.actor()).script)
    entry, query = target
    st.switch_page(entry.script, query_params=query)


account = current_account()
if account is not None and MUST_CHANGE not in st.session_state:
    st.success(t("signin_done", lg).format(name=plain(account.display_name)))
    st.stop()

login = st.session_state.get(MUST_CHANGE)
if login is None:
    st.caption(t("signin_intro", lg))
    with st.form("hq_signin"):
        login_in = st.text_input(t("signin_login", lg), key="hq_signin_login")
        password = st.text_input(t("signin_password", lg), type="password", key="hq_signin_pw")
        submitted = st.form_submit_button(t("signin_submit", lg), type="primary")
    if submitted:
        if not login_in.strip() or not password:
            st.error(t("signin_missing", lg))
            st.stop()
        try:
            token, _ = repo.sign_in(login_in, password, now=datetime.now(UTC))
        except SignInError as e:
            if e.code != "must_change":
                st.error(sign_in_error(e, lg))
                st.stop()
            st.session_state[MUST_CHANGE] = login_in.strip()
            st.rerun()
        _done(token)
else:
    st.warning(t("signin_error_must_change", lg))
    st.caption(
        t("password_rules", lg).format(min_length=settings.auth.min_password_length)
        + " "
        + t("account_login", lg).format(login=plain(login))
    )
    with st.form("hq_signin_new"):
        old = st.text_input(t("password_current", lg), type="password", key="hq_signin_old")
        new = st.text_input(t("password_new", lg), type="password", key="hq_signin_new1")
        again = st.text_input(t("password_repeat", lg), type="password", key="hq_signin_new2")
        submitted = st.form_submit_button(t("password_set", lg), type="primary")
    if submitted:
        if new != again:
            st.error(t("password_mismatch", lg))
            st.stop()
        now = datetime.now(UTC)
        try:
            repo.change_password(login, old, new, now=now)
            token, _ = repo.sign_in(login, new, now=now)
        except SignInError as e:
            st.error(sign_in_error(e, lg))
            st.stop()
        except PasswordError as e:
            st.error(password_error(e, lg))
            st.stop()
        _done(token)
