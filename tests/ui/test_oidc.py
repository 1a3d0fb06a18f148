"""Sign-in with the organisation's provider, without a browser: the identity -> actor lookup on
SQLite and PostGIS, the message to an unknown identity, and the app in mode "oidc" under AppTest
with ``st.user`` set as Streamlit's cookie would set it (the protocol itself:
tests/browser/test_oidc.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from access.permissions import ANONYMOUS, SYSTEM
from store.repository import Repository
from tests.factories import TRACKS, UNITS
from tests.ui.apps import APP
from ui.oidc import ProviderSignIn, identity_sign_in, problem_text, refreshed, verified_email

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
STEWARD_UNIT = UNITS[0]


@pytest.fixture
def store(store_url):
    """A store with a steward known by subject and a leader known by e-mail only."""
    repo = Repository.connect(store_url, units=UNITS, tracks=TRACKS)
    repo.add_account(
        "zhang",
        display_name="张三",
        role="steward",
        unit=STEWARD_UNIT,
        oidc_subject="sub-zhang",
        actor=SYSTEM,
    )
    repo.add_account(
        "wang", display_name="王五", role="leader", email="wang@hq.example.cn", actor=SYSTEM
    )
    yield repo
    repo.engine.dispose()


def test_the_subject_signs_in_to_its_account(store):
    signed = identity_sign_in(store, "sub-zhang", "other@x.cn", True, now=NOW)
    assert signed.problem is None and signed.login == "zhang"
    assert signed.actor.role == "steward" and signed.actor.unit == STEWARD_UNIT
    assert (signed.actor.user, signed.actor.account) == ("张三", "zhang")
    assert store.account("zhang").last_sign_in == NOW
    assert problem_text(signed, "zh") is None


@pytest.mark.parametrize("flag", [True, "true", "TRUE"])
def test_a_verified_email_finds_the_account_and_binds_the_subject(store, flag):
    signed = identity_sign_in(store, "sub-wang", "Wang@HQ.example.cn", flag, now=NOW)
    assert (signed.actor.role, signed.login) == ("leader", "wang")
    assert store.account("wang").oidc_subject == "sub-wang"
    again = identity_sign_in(store, "sub-wang", None, None, now=NOW)  # by subject from now on
    assert again.login == "wang"


@pytest.mark.parametrize("flag", [None, False, "false", "", "yes"])
def test_an_unverified_email_finds_nobody(store, flag):
    signed = identity_sign_in(store, "sub-mallory", "wang@hq.example.cn", flag, now=NOW)
    assert signed.actor == ANONYMOUS and signed.problem == "unknown"
    assert signed.email is None  # not named to the administrator either: it proves nothing
    assert store.account("wang").oidc_subject is None


def test_an_unknown_identity_is_public_and_told_what_the_administrator_needs(store):
    signed = identity_sign_in(store, "sub-new", "new@hq.example.cn", True, now=NOW)
    assert signed == ProviderSignIn(ANONYMOUS, "sub-new", "new@hq.example.cn", problem="unknown")
    zh = problem_text(signed, "zh")
    assert "您已通过统一身份认证登录，但尚未开通本系统账户，请联系管理员" in zh
    assert "new\\@" in zh.replace("\u2060", "") and "sub\\-new" in zh
    en = problem_text(signed, "en")
    assert "no account in this system yet" in en and "ask an administrator" in en
    only_subject = problem_text(identity_sign_in(store, "sub-new", None, None, now=NOW), "en")
    assert "sub\\-new" in only_subject and "e-mail" not in only_subject


def test_the_provider_values_in_the_message_are_plain_text(store):
    signed = identity_sign_in(store, "[x](https://evil.example)", None, None, now=NOW)
    text = problem_text(signed, "zh")
    assert "[x](" not in text and "\\[x\\]\\(" in text.replace("\u2060", "")


def test_an_empty_subject_signs_in_nobody(store):
    signed = identity_sign_in(store, "  ", "wang@hq.example.cn", True, now=NOW)
    assert signed.actor == ANONYMOUS and signed.problem == "unknown"
    assert store.account("wang").oidc_subject is None


def test_a_disabled_account_is_public_with_its_own_message(store):
    store.disable("zhang", actor=SYSTEM)
    signed = identity_sign_in(store, "sub-zhang", None, None, now=NOW)
    assert signed.actor == ANONYMOUS and signed.problem == "disabled"
    assert "已停用" in problem_text(signed, "zh")
    assert "disabled" in problem_text(signed, "en")


def test_each_run_reads_the_account_again(store):
    signed = identity_sign_in(store, "sub-zhang", None, None, now=NOW)
    store.set_role("zhang", "planner", actor=SYSTEM)
    assert refreshed(store, signed).actor.role == "planner"
    store.disable("zhang", actor=SYSTEM)
    now_disabled = refreshed(store, signed)
    assert now_disabled.actor == ANONYMOUS and now_disabled.problem == "disabled"
    store.enable("zhang", actor=SYSTEM)
    assert refreshed(store, signed).actor.account == "zhang"


@pytest.mark.parametrize(
    ("email", "flag", "expected"),
    [("a@b.cn", True, "a@b.cn"), (" a@b.cn ", "True", "a@b.cn"), ("", True, None)],
)
def test_verified_email(email, flag, expected):
    assert verified_email(email, flag) == expected


# --- the app in mode "oidc" (AppTest sets st.user as the sign-in cookie would) --------------


@pytest.fixture
def oidc_app(tmp_path, monkeypatch):
    """Factory: the app in mode "oidc" on a sample SQLite store with a planner by subject."""
    url = f"sqlite:///{tmp_path}/oidc.sqlite"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HQ_AUTH_MODE", "oidc")
    st.cache_resource.clear()
    st.cache_data.clear()
    from settings import load_settings
    from store.bootstrap import open_store

    repo = open_store(load_settings())
    repo.add_account("li", display_name="李四", role="planner", oidc_subject="sub-li", actor=SYSTEM)

    def make(user: dict) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=180)
        at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback"}
        at.user = user
        return at

    yield make, repo
    st.cache_resource.clear()
    st.cache_data.clear()
    repo.engine.dispose()


def _buttons(at: AppTest) -> list[str]:
    """The sign-in and sign-out buttons in the sidebar (the finder has buttons of its own)."""
    return [b.label for b in at.sidebar.button if str(b.key).startswith("hq_oidc")]


def test_mode_oidc_anonymous_visitor_gets_the_finder_and_a_sign_in_button(oidc_app):
    make, _ = oidc_app
    at = make({"is_logged_in": False})
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "找空间"
    assert _buttons(at) == ["统一身份认证登录"]
    assert any("企业/公众" in c.value for c in at.sidebar.caption)


def test_mode_oidc_signed_in_planner_acts_for_the_account(oidc_app):
    make, repo = oidc_app
    at = make({"is_logged_in": True, "sub": "sub-li", "name": "Li Si"})
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "找空间"  # the app's root is the finder for everyone
    assert "载体地图" in [link.label for link in at.sidebar.get("page_link")]  # the planner's menu
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "规划人员" in captions and "李四" in captions
    assert _buttons(at) == ["退出登录"]
    assert not at.sidebar.warning
    assert repo.account("li").last_sign_in is not None


def test_mode_oidc_unknown_identity_is_public_and_asked_to_see_an_administrator(oidc_app):
    make, _ = oidc_app
    at = make({"is_logged_in": True, "sub": "sub-nobody", "email": "n@x.cn", "email_verified": 1})
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "找空间"
    warning = at.sidebar.warning[0].value
    assert "尚未开通本系统账户" in warning and "sub\\-nobody" in warning
    assert "n\\@" not in warning.replace("\u2060", "")  # email_verified 1 is not "true"
    assert _buttons(at) == ["退出登录"]


def test_mode_oidc_without_secrets_says_it_is_not_configured(oidc_app):
    make, _ = oidc_app
    at = make({"is_logged_in": False})
    at.secrets.clear()
    at.run()
    assert not at.exception, at.exception
    assert "尚未配置" in at.sidebar.error[0].value
    assert _buttons(at) == []


def test_mode_oidc_an_account_added_meanwhile_applies_at_the_next_run(oidc_app):
    make, repo = oidc_app
    at = make({"is_logged_in": True, "sub": "sub-late", "name": "Late"})
    at.run()
    assert at.sidebar.warning and at.title[0].value == "找空间"
    repo.add_account(
        "late", display_name="赵六", role="leader", oidc_subject="sub-late", actor=SYSTEM
    )
    at.run()
    assert not at.exception, at.exception
    assert not at.sidebar.warning
    assert "赵六" in " ".join(c.value for c in at.sidebar.caption)
    repo.disable("late", actor=SYSTEM)
    at.run()
    assert "已停用" in at.sidebar.warning[0].value and at.title[0].value == "找空间"


def test_mode_oidc_sign_in_page_offers_the_provider_not_a_password_form(oidc_app):
    make, _ = oidc_app
    at = make({"is_logged_in": False})
    at.run()
    at.switch_page("ui/signin_page.py").run()
    assert not at.exception, at.exception
    assert not at.text_input  # no login or password to type
    assert [b.label for b in at.main.button] == ["统一身份认证登录"]
    assert any("统一身份认证" in c.value for c in at.main.caption)
    at = make({"is_logged_in": True, "sub": "sub-li", "name": "Li Si"})
    at.run()
    at.switch_page("ui/signin_page.py").run()
    assert not at.exception, at.exception
    assert "已通过统一身份认证登录：Li Si" in at.success[0].value and not at.main.button
