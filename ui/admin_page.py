"""账户管理 / Accounts: list them; add, disable, enable, unlock, reset, change role or unit.

An administrator's page (``manage.accounts``). Every change goes through the store's account
methods, which ask the permission table again, keep the last active admin, refuse a stale
version and write the audit log (the audit page lists those entries for the administrator).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import streamlit as st

from access.accounts import ACCOUNT_ROLES, Account, AccountError, PasswordError
from access.permissions import PermissionDenied, require
from ui.common import (
    ask_confirmation,
    confirmation,
    current_actor,
    get_settings,
    get_store,
    lang,
    plain,
)
from ui.times import beijing
from words import t
from words.access import refusal, unit_label
from words.admin import account_error
from words.signin import password_error

FLASH = "hq_admin_flash"
SECRET = "hq_admin_secret"
PICK = "hq_admin_pick"
DISABLE = "hq_admin_disable"
RESET = "hq_admin_reset"

settings = get_settings()
lg = lang()
repo = get_store()
actor = current_actor()
units = settings.units

st.title(t("page_admin", lg))
try:
    require(actor, "manage.accounts")
except PermissionDenied as e:
    st.error(refusal(e, lg, units))
    st.stop()
st.caption(t("admin_intro", lg))

if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH))
if SECRET in st.session_state:  # a password made for an account: shown this once
    login, password = st.session_state.pop(SECRET)
    st.warning(t("admin_password_once", lg).format(login=plain(login)))
    st.code(password, language=None)
if repo.sample_accounts_active():
    st.warning(t("admin_samples", lg))


def _unit(code: str | None) -> str:
    return unit_label(code, lg, units) if code else t("admin_no_unit", lg)


def _run(change: Callable[[], Any], done: Callable[[Any], str | None]) -> None:
    """Make a change; word what refuses it; on success remember ``done``'s message, rerun."""
    try:
        result = change()
    except PermissionDenied as e:
        st.error(refusal(e, lg, units))
    except AccountError as e:
        st.error(plain(account_error(e, lg, units)))
    except PasswordError as e:
        st.error(plain(password_error(e, lg)))
    else:
        message = done(result)
        if message:
            st.session_state[FLASH] = message
        st.rerun()


now = datetime.now(UTC)
accounts = {a.login: a for a in repo.accounts(actor=actor)}
table = pd.DataFrame(
    {
        t("admin_login", lg): [a.login for a in accounts.values()],
        t("admin_name", lg): [a.display_name for a in accounts.values()],
        t("admin_role", lg): [t(f"role_{a.role}", lg) for a in accounts.values()],
        t("admin_unit", lg): [_unit(a.unit) for a in accounts.values()],
        t("admin_state", lg): [t(f"account_state_{a.state(now)}", lg) for a in accounts.values()],
        t("admin_sample", lg): [
            t("admin_sample", lg) if a.sample else "" for a in accounts.values()
        ],
        t("admin_last_sign_in", lg): [beijing(a.last_sign_in) for a in accounts.values()],
        t("admin_must_change", lg): [
            t("yes", lg) if a.must_change_password else "" for a in accounts.values()
        ],
    }
)
st.markdown(t("admin_count", lg).format(n=len(accounts)))
st.dataframe(table, hide_index=True, width="stretch", key="hq_admin_table")
st.caption(t("beijing_time", lg) + " " + t("admin_audit_hint", lg))


# --- one account: disable or enable, unlock, reset the password, role and unit ---------------


def _describe(kind: str) -> Callable[[Mapping[str, Any]], list[str]]:
    def lines(asked: Mapping[str, Any]) -> list[str]:
        text = t(f"admin_confirm_{kind}_text", lg)
        return [plain(text.format(name=asked["name"], login=asked["login"]))]

    return lines


def _confirmed_changes() -> None:
    """The disabling and resets a dialog confirmed (on this run), made with the version shown
    when they were asked for."""
    asked = confirmation(
        DISABLE, title=t("admin_confirm_disable", lg), describe=_describe("disable")
    )
    if asked is not None:
        login = asked["login"]
        _run(
            lambda: repo.disable(login, actor=actor, expected_version=asked["version"]),
            lambda _: t("admin_disabled", lg).format(login=plain(login)),
        )
    asked = confirmation(RESET, title=t("admin_confirm_reset", lg), describe=_describe("reset"))
    if asked is not None:
        login = asked["login"]

        def reset() -> str:
            return repo.reset_password(login, actor=actor, expected_version=asked["version"])

        def shown(password: str) -> None:
            st.session_state[SECRET] = (login, password)

        _run(reset, shown)


def _account_form(a: Account) -> None:
    state = a.state(now)
    asked = {"login": a.login, "name": a.display_name, "version": a.version}
    c1, c2, c3 = st.columns(3)
    if a.active:
        if c1.button(t("admin_disable", lg), key="hq_admin_disable_button"):
            ask_confirmation(DISABLE, asked)
    elif c1.button(t("admin_enable", lg), key="hq_admin_enable_button"):
        _run(
            lambda: repo.enable(a.login, actor=actor, expected_version=a.version),
            lambda _: t("admin_enabled", lg).format(login=plain(a.login)),
        )
    if c2.button(t("admin_unlock", lg), key="hq_admin_unlock", disabled=state != "locked"):
        _run(
            lambda: repo.unlock(a.login, actor=actor, expected_version=a.version),
            lambda _: t("admin_unlocked", lg).format(login=plain(a.login)),
        )
    if settings.auth.mode == "local" and c3.button(t("admin_reset", lg), key="hq_admin_reset"):
        ask_confirmation(RESET, asked)

    codes = [u.id for u in units]
    with st.form(f"hq_admin_role_form_{a.login}"):
        r1, r2 = st.columns(2)
        role = r1.selectbox(
            t("admin_role", lg),
            ACCOUNT_ROLES,
            index=ACCOUNT_ROLES.index(a.role),
            format_func=lambda r: t(f"role_{r}", lg),
            key=f"hq_admin_set_role_{a.login}",
        )
        unit = r2.selectbox(
            t("admin_unit", lg),
            ["", *codes],
            index=codes.index(a.unit) + 1 if a.unit in codes else 0,
            format_func=_unit,
            key=f"hq_admin_set_unit_{a.login}",
        )
        save = st.form_submit_button(t("admin_set_role", lg), key="hq_admin_role_save")
    if save:
        if (role, unit or None) == (a.role, a.unit):
            st.info(t("admin_unchanged", lg))
            return
        _run(
            lambda: repo.set_role(
                a.login, role, unit or None, actor=actor, expected_version=a.version
            ),
            lambda changed: t("admin_role_set", lg).format(
                login=plain(changed.login),
                role=t(f"role_{changed.role}", lg),
                unit=_unit(changed.unit),
            ),
        )


st.subheader(t("admin_change", lg))
if accounts:
    if st.session_state.get(PICK) not in accounts:
        st.session_state[PICK] = next(iter(accounts))
    chosen = st.selectbox(
        t("admin_choose", lg),
        list(accounts),
        format_func=lambda login: f"{login} · {accounts[login].display_name}",
        key=PICK,
    )
    _account_form(accounts[chosen])
_confirmed_changes()


# --- a new account ------------------------------------------------------------------------------

st.subheader(t("admin_add", lg))
with st.form("hq_admin_add", clear_on_submit=False):
    a1, a2 = st.columns(2)
    login = a1.text_input(t("admin_login", lg), key="hq_admin_new_login")
    name = a2.text_input(t("admin_name", lg), key="hq_admin_new_name")
    b1, b2 = st.columns(2)
    role = b1.selectbox(
        t("admin_role", lg),
        ACCOUNT_ROLES,
        format_func=lambda r: t(f"role_{r}", lg),
        key="hq_admin_new_role",
    )
    unit = b2.selectbox(
        t("admin_unit", lg),
        ["", *(u.id for u in units)],
        format_func=_unit,
        key="hq_admin_new_unit",
    )
    c1, c2 = st.columns(2)
    email = c1.text_input(t("admin_email", lg), key="hq_admin_new_email")
    subject = c2.text_input(t("admin_subject", lg), key="hq_admin_new_subject")
    password = ""
    if settings.auth.mode == "local":
        password = st.text_input(
            t("admin_password", lg), type="password", key="hq_admin_new_password"
        )
    add = st.form_submit_button(t("admin_add_submit", lg), type="primary", key="hq_admin_add")
if add:

    def added(result: tuple[Account, str | None]) -> str:
        account, made = result
        if made is not None:
            st.session_state[SECRET] = (account.login, made)
        return t("admin_added", lg).format(login=plain(account.login))

    _run(
        lambda: repo.add_account(
            login,
            display_name=name,
            role=role,
            unit=unit or None,
            email=email or None,
            oidc_subject=subject or None,
            password=password or None,
            actor=actor,
        ),
        added,
    )
