"""我的账户 / My account: who is signed in, the session's idle time, and changing one's own
password (which signs out every other browser)."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from access.accounts import PasswordError, SignInError
from ui.common import current_account, get_settings, get_store, lang, plain, sign_in
from words import t
from words.access import unit_label
from words.signin import password_error, sign_in_error

lg = lang()
settings = get_settings()
repo = get_store()
account = current_account()
st.title(t("page_account", lg))
if account is None:  # app.py shows this page to signed-in accounts only
    st.stop()

role = t(f"role_{account.role}", lg)
if account.unit:
    role += " · " + unit_label(account.unit, lg, settings.units)
st.subheader(t("account_details", lg).format(name=plain(account.display_name), role=role))
st.caption(t("account_login", lg).format(login=plain(account.login)))
st.caption(t("session_note", lg).format(minutes=settings.auth.idle_minutes))

if account.has_password:
    st.subheader(t("password_change", lg))
    st.caption(t("password_rules", lg).format(min_length=settings.auth.min_password_length))
    with st.form("hq_account_password", clear_on_submit=True):
        old = st.text_input(t("password_current", lg), type="password", key="hq_account_old")
        new = st.text_input(t("password_new", lg), type="password", key="hq_account_new1")
        again = st.text_input(t("password_repeat", lg), type="password", key="hq_account_new2")
        submitted = st.form_submit_button(t("password_change", lg), type="primary")
    if submitted:
        if new != again:
            st.error(t("password_mismatch", lg))
            st.stop()
        now = datetime.now(UTC)
        try:
            repo.change_password(account.login, old, new, now=now)  # ends every session
            token, _ = repo.sign_in(account.login, new, now=now)  # this browser stays in
        except SignInError as e:
            st.error(sign_in_error(e, lg))
            st.stop()
        except PasswordError as e:
            st.error(password_error(e, lg))
            st.stop()
        sign_in(token)
        st.success(t("password_changed", lg))
