"""Signing in with AppTest, on SQLite and PostGIS: the form and its errors, the lock, a password
that must be changed, signing out, an expired session, one's own password, the deep links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from access.permissions import SYSTEM
from settings import BEIJING
from tests.ui.apps import sign_in_as
from ui.common import SESSION_KEY
from ui.navigation import BY_URL, next_value, return_to


def _signin_page(app):
    app.run()
    app.switch_page("ui/signin_page.py").run()
    assert not app.exception, app.exception
    return app


def _submit(app, login: str, password: str):
    app.text_input(key="hq_signin_login").set_value(login)
    app.text_input(key="hq_signin_pw").set_value(password)
    app.main.button[0].click().run()
    assert not app.exception, app.exception
    return app


def _role_caption(app) -> str:
    return next(c.value for c in app.sidebar.caption if c.value.startswith("当前角色"))


def test_a_wrong_password_is_refused_in_the_page_s_language(make_app):
    app, repo = make_app(None)
    _submit(_signin_page(app), "sample-planner", "not-the-password")
    assert app.error[0].value == "账号或密码错误。"
    _submit(app, "nobody-at-all", "not-the-password")  # the same words: never which
    assert app.error[0].value == "账号或密码错误。"
    assert SESSION_KEY not in app.session_state
    app.sidebar.radio[0].set_value("English").run()
    _submit(app, "sample-planner", "not-the-password")
    assert app.error[0].value == "The login or the password is wrong."
    assert repo.account("sample-planner").failed_attempts == 2


def test_five_failures_lock_the_account_and_say_until_when_in_beijing_time(make_app):
    app, repo = make_app(None)
    _signin_page(app)
    for _ in range(4):
        _submit(app, "sample-leader", "not-the-password")
        assert app.error[0].value == "账号或密码错误。"
    _submit(app, "sample-leader", "not-the-password")
    until = repo.account("sample-leader").locked_until.astimezone(BEIJING)
    message = app.error[0].value
    assert "已锁定至" in message and until.strftime("%Y-%m-%d %H:%M") in message
    assert "北京时间" in message
    _submit(app, "sample-leader", "sample-leader-pw")  # even the right password, for now
    assert "已锁定至" in app.error[0].value and SESSION_KEY not in app.session_state


def test_a_reset_password_is_changed_on_signing_in_then_the_page_opens(make_app):
    app, repo = make_app(None)
    temporary = repo.reset_password("sample-steward-xinhong", actor=SYSTEM)
    _submit(_signin_page(app), "sample-steward-xinhong", temporary)
    assert "请先设置新密码" in app.warning[-1].value
    assert SESSION_KEY not in app.session_state
    app.text_input(key="hq_signin_old").set_value(temporary)
    app.text_input(key="hq_signin_new1").set_value("short")
    app.text_input(key="hq_signin_new2").set_value("short")
    app.main.button[0].click().run()
    assert "新密码短于 10 个字符" in app.error[0].value
    app.text_input(key="hq_signin_new1").set_value("新虹-维护-2027-春")
    app.text_input(key="hq_signin_new2").set_value("新虹-维护-2027-秋")
    app.main.button[0].click().run()
    assert app.error[0].value == "两次输入的新密码不一致。"
    app.text_input(key="hq_signin_new2").set_value("新虹-维护-2027-春")
    app.main.button[0].click().run()
    assert not app.exception, app.exception
    assert app.title[0].value == "载体地图"  # a steward's first page
    assert _role_caption(app) == "当前角色：数据维护人员 · 新虹街道"
    assert repo.account("sample-steward-xinhong").must_change_password is False


def test_signing_in_and_out(make_app):
    app, repo = make_app(None)
    _submit(_signin_page(app), "sample-planner", "sample-planner-pw")
    assert app.title[0].value == "载体地图"
    assert any(c.value == "已登录：示例规划人员" for c in app.sidebar.caption)
    assert repo.open_sessions("sample-planner", now=datetime.now(UTC)) == 1
    app.sidebar.button(key="hq_signout").click().run()
    assert not app.exception, app.exception
    assert _role_caption(app) == "当前角色：企业/公众"
    assert any(c.value == "已退出登录。" for c in app.sidebar.caption)
    app.switch_page("ui/map_page.py").run()
    assert "此页面需要登录" in app.warning[-1].value  # the map, for the public
    assert repo.open_sessions("sample-planner", now=datetime.now(UTC)) == 0


def test_an_expired_session_is_the_public(make_app):
    app, repo = make_app(None)
    idle = timedelta(minutes=repo.auth.idle_minutes)
    token, _ = repo.sign_in("sample-planner", "sample-planner-pw", now=datetime.now(UTC) - idle)
    app.session_state[SESSION_KEY] = token
    app.run()
    assert not app.exception, app.exception
    assert _role_caption(app) == "当前角色：企业/公众"
    assert SESSION_KEY not in app.session_state
    assert not [b for b in app.sidebar.button if b.key == "hq_signout"]


def test_a_disabled_account_is_signed_out_at_the_next_page(make_app):
    app, repo = make_app("sample-leader")
    app.run()
    assert _role_caption(app) == "当前角色：领导"
    repo.disable("sample-leader", actor=SYSTEM)
    app.run()
    assert _role_caption(app) == "当前角色：企业/公众"


def test_one_s_own_password_is_changed_on_my_account(make_app):
    app, repo = make_app("sample-planner")
    app.run()
    app.switch_page("ui/account_page.py").run()
    assert not app.exception, app.exception
    assert app.title[0].value == "我的账户"
    old_token = app.session_state[SESSION_KEY]
    app.text_input(key="hq_account_old").set_value("sample-planner-pw")
    app.text_input(key="hq_account_new1").set_value("规划-2027-new-pass")
    app.text_input(key="hq_account_new2").set_value("规划-2027-new-pass")
    app.main.button[0].click().run()
    assert not app.exception, app.exception
    assert "密码已修改" in app.success[0].value
    now = datetime.now(UTC)
    assert repo.session_account(old_token, now=now) is None  # other browsers: signed out
    assert repo.session_account(app.session_state[SESSION_KEY], now=now).login == "sample-planner"
    assert repo.sign_in("sample-planner", "规划-2027-new-pass", now=now)[1].login


def test_the_account_page_is_for_signed_in_accounts_only(make_app):
    app, _ = make_app(None)
    app.run()
    app.switch_page("ui/account_page.py").run()
    assert "此页面需要登录" in app.warning[-1].value and not app.title


@pytest.mark.parametrize(
    "value, expected",
    [
        ("map", ("map", {})),
        (
            "/finder?tier=floor&track=biomedicine&amin=800",
            ("finder", {"tier": "floor", "track": "biomedicine", "amin": "800"}),
        ),
        ("https://evil.example/map", None),
        ("//evil.example/map", None),
        ("signin?next=map", None),
        ("nowhere", None),
        ("", None),
        (None, None),
    ],
)
def test_the_sign_in_page_returns_only_to_the_app_s_own_pages(value, expected):
    found = return_to(value)
    assert (None if found is None else (found[0].url, found[1])) == expected


def test_a_page_and_its_query_round_trip():
    value = next_value("finder", {"tier": "floor", "amin": "800"})
    assert value == "finder?tier=floor&amin=800"
    assert return_to(value) == (BY_URL["finder"], {"tier": "floor", "amin": "800"})


def test_sign_in_as_helper_starts_a_real_session(make_app):
    app, repo = make_app(None)
    sign_in_as(app, "sample-admin", repo)
    account = repo.session_account(app.session_state[SESSION_KEY], now=datetime.now(UTC))
    assert account.role == "admin"
