"""Sign-in with the organisation's OpenID Connect provider (``[auth] mode = "oidc"``).

Streamlit's ``st.login`` speaks the protocol with the provider configured in the ``[auth]``
section of ``.streamlit/secrets.toml`` (never committed) and keeps the identity in a signed
cookie; ``st.user`` holds its claims. This module turns that identity into the actor the pages
and the store act with: the account found by the provider's subject, else by its verified
e-mail (`store.accounts.AccountStore.account_for_identity`, once per session while it finds
one), read again at every run so that an account disabled or changed meanwhile takes effect at
once. A person the
provider knows but the users table does not is public (`access.permissions.ANONYMOUS`), told
to ask an administrator and what the administrator needs to add the account.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from access.accounts import SignInError
from access.permissions import ANONYMOUS, Actor
from store.repository import Repository
from ui.common import get_store, lang, plain
from words import t

SESSION_KEY = "hq_oidc"
"""Session state: the `ProviderSignIn` of the provider's identity signed in in this session."""


@dataclass(frozen=True)
class ProviderSignIn:
    """What a provider's identity is in this system.

    Attributes
    ----------
    actor
        Who acts: the account's actor, or `access.permissions.ANONYMOUS`.
    subject, email
        The provider's subject, and its e-mail when the provider says it is verified (what an
        administrator adds the account with: ``cli.py users add --subject/--email``).
    login
        The account's login; None when there is none to act for.
    problem
        None (signed in to an account), "unknown" (no account has this subject or e-mail) or
        "disabled" (the account is disabled).
    """

    actor: Actor
    subject: str
    email: str | None = None
    login: str | None = None
    problem: str | None = None


def verified_email(email: Any, email_verified: Any) -> str | None:
    """The provider's e-mail if it says the address is verified (``True``, or "true" as some
    providers send it), else None: an unverified address must not find an account."""
    verified = email_verified is True or str(email_verified).strip().lower() == "true"
    text = str(email).strip() if isinstance(email, str) else ""
    return text if verified and text else None


def identity_sign_in(
    store: Repository,
    subject: Any,
    email: Any = None,
    email_verified: Any = None,
    *,
    now: datetime,
) -> ProviderSignIn:
    """Sign in the person the provider names ``subject``: the account's actor, or public.

    The account is found by the subject, else by the e-mail if verified (binding the subject
    to it); the sign-in is recorded (audited) at ``now``.
    """
    subject = str(subject or "").strip()
    address = verified_email(email, email_verified)
    if not subject:  # a provider always sends one; without it nobody can be found
        return ProviderSignIn(ANONYMOUS, subject, address, problem="unknown")
    try:
        account = store.account_for_identity(subject, address, now=now)
    except SignInError:  # "disabled", the only refusal of a provider's sign-in
        return ProviderSignIn(ANONYMOUS, subject, address, problem="disabled")
    if account is None:
        return ProviderSignIn(ANONYMOUS, subject, address, problem="unknown")
    return ProviderSignIn(account.actor(), subject, address, login=account.login)


def refreshed(store: Repository, signed: ProviderSignIn) -> ProviderSignIn:
    """``signed`` as the store has its account now: a role, unit or name changed since the
    sign-in applies; an account disabled (or removed) since then acts as public."""
    if signed.login is None:
        return signed
    account = store.account(signed.login)
    if account is None or account.oidc_subject != signed.subject:
        return replace(signed, actor=ANONYMOUS, login=None, problem="unknown")
    if not account.active:
        return replace(signed, actor=ANONYMOUS, problem="disabled")
    return replace(signed, actor=account.actor(), problem=None)


def problem_text(signed: ProviderSignIn, lang: str) -> str | None:
    """What a signed-in person without an account to act for is told, in ``lang``; None
    when they act for their account. Names what an administrator needs to add the account;
    the provider's values are shown as plain text."""
    if signed.problem is None:
        return None
    if signed.problem == "disabled":
        return t("oidc_disabled", lang)
    ident = t("oidc_ident_subject", lang).format(subject=plain(signed.subject))
    if signed.email:
        ident = t("oidc_ident_email", lang).format(email=plain(signed.email), subject=ident)
    return t("oidc_unknown", lang).format(ident=ident)


# --- the pages --------------------------------------------------------------------------------


def oidc_state() -> ProviderSignIn | None:
    """The provider's identity signed in in this session, as the store has it now; None when
    nobody is signed in with the provider."""
    user = st.user
    if not user.is_logged_in:
        st.session_state.pop(SESSION_KEY, None)
        return None
    subject = str(user.get("sub") or "").strip()
    signed = st.session_state.get(SESSION_KEY)
    store = get_store()
    # Looked up again while there is no account to act for: one added (or enabled) by an
    # administrator meanwhile applies at the next run, without signing in again.
    if not isinstance(signed, ProviderSignIn) or signed.subject != subject or not signed.login:
        signed = identity_sign_in(
            store, subject, user.get("email"), user.get("email_verified"), now=datetime.now(UTC)
        )
        st.session_state[SESSION_KEY] = signed
        return signed
    return refreshed(store, signed)


def oidc_actor() -> Actor:
    """Who acts in this session in mode "oidc": the signed-in account's actor, else public."""
    signed = oidc_state()
    return ANONYMOUS if signed is None else signed.actor


def _configured() -> bool:
    """Whether secrets hold an ``[auth]`` section for ``st.login``."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def oidc_sidebar() -> None:
    """The sign-in or sign-out button and, for an identity without an account to act for,
    the message to ask an administrator: for the sidebar in mode "oidc"."""
    current = lang()
    signed = oidc_state()
    with st.sidebar:
        if signed is None:
            if not _configured():
                st.error(t("oidc_not_configured", current))
                return
            if st.button(t("oidc_sign_in", current), key="hq_oidc_sign_in", type="primary"):
                st.login()
            return
        message = problem_text(signed, current)
        if message:
            name = st.user.get("name") or signed.email or signed.subject
            st.caption(t("oidc_signed_in_as", current).format(name=plain(name)))
            st.warning(message, icon="⚠️")
        if st.button(t("oidc_sign_out", current), key="hq_oidc_sign_out"):
            st.session_state.pop(SESSION_KEY, None)
            st.logout()


def oidc_sign_in_page() -> None:
    """The sign-in page in mode "oidc": the provider's sign-in button (no password form: the
    organisation's provider checks who one is), or that one is signed in already."""
    current = lang()
    signed = oidc_state()
    if signed is not None:
        name = st.user.get("name") or signed.email or signed.subject
        st.success(t("oidc_signed_in_as", current).format(name=plain(name)))
        message = problem_text(signed, current)
        if message:
            st.warning(message, icon="⚠️")
        return
    if not _configured():
        st.error(t("oidc_not_configured", current))
        return
    st.caption(t("oidc_signin_intro", current))
    if st.button(t("oidc_sign_in", current), key="hq_oidc_sign_in_page", type="primary"):
        st.login()
