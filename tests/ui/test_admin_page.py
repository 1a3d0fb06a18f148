"""The admin page, headless with AppTest, on SQLite and PostGIS: the sample's accounts, an
administrator's changes (with confirmations), the errors in words, and the audit log."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from streamlit.testing.v1 import AppTest

import ui.common
from access.accounts import SignInError
from access.permissions import Actor
from tests.ui.apps import open_page, sample_login

ROOT = Actor("管理员甲", role="admin", account="root")
"""The signed-in administrator (as `ui.common.current_actor` will give it after sign-in)."""


@pytest.fixture
def admin(make_app, monkeypatch):
    """The admin page as the administrator `ROOT`, and the store."""
    monkeypatch.setattr(ui.common, "current_actor", lambda: ROOT)
    app, repo = make_app("sample-admin")
    return open_page(app, "admin_page"), repo


def _accounts(app: AppTest):
    return next(d.value for d in app.dataframe if "登录名" in d.value.columns).set_index("登录名")


def _choose(app: AppTest, login: str) -> None:
    app.selectbox(key="hq_admin_pick").set_value(login).run()


def _shown(text: str) -> str:
    """Text as the reader sees it (`ui.common.plain` escapes punctuation for Markdown)."""
    return text.replace("\\", "").replace("\u2060", "")


def _errors(app: AppTest) -> list[str]:
    return [_shown(e.value) for e in app.error]


def test_the_accounts_are_listed_in_words(admin):
    app, repo = admin
    assert app.title[0].value == "账户管理"
    shown = _accounts(app)
    assert len(shown) == len(repo.accounts(actor=ROOT))
    steward = shown.loc["sample-steward-xinhong"]
    assert (steward["角色"], steward["责任单位"], steward["状态"]) == (
        "数据维护人员",
        "新虹街道",
        "正常",
    )
    assert steward["示例"] == "示例"
    assert shown.loc["sample-admin", "责任单位"] == "（无）"
    assert any("示例账户的密码已在说明文档中公开" in w.value for w in app.warning)


def test_the_last_sign_in_is_shown_in_beijing_time(admin):
    app, repo = admin
    repo.authenticate(
        "sample-planner", "sample-planner-pw", now=datetime(2026, 12, 1, 17, 30, tzinfo=UTC)
    )
    app.run()
    assert _accounts(app).loc["sample-planner", "最近登录（北京时间）"] == "2026-12-02 01:30"
    assert any("北京时间" in c.value for c in app.caption)


def test_adding_an_account_shows_its_password_once(admin):
    app, repo = admin
    app.text_input(key="hq_admin_new_login").set_value("Zhang.San")
    app.text_input(key="hq_admin_new_name").set_value("张三")
    app.selectbox(key="hq_admin_new_role").set_value("planner")
    app.button(key="hq_admin_add").click().run()  # the add form's submit button
    assert not app.exception
    assert any("已新增账户 zhang\\.san" in s.value for s in app.success)
    assert any("只显示这一次" in w.value and "首次登录时须修改密码" in w.value for w in app.warning)
    password = app.code[0].value
    with pytest.raises(SignInError) as refused:
        repo.authenticate("zhang.san", password, now=datetime.now(UTC))
    assert refused.value.code == "must_change"  # the right password, to be changed first
    assert _accounts(app).loc["zhang.san", "首次登录须改密码"] == "是"
    app.run()
    assert not app.code  # shown once


def test_adding_is_refused_in_words(admin):
    app, repo = admin
    app.text_input(key="hq_admin_new_login").set_value("li")
    app.text_input(key="hq_admin_new_name").set_value("李四")
    app.selectbox(key="hq_admin_new_role").set_value("steward")
    app.button(key="hq_admin_add").click().run()
    assert _errors(app) == ["数据维护人员须指定责任单位（其维护的载体所属单位）。"]
    app.text_input(key="hq_admin_new_login").set_value("sample-leader")
    app.selectbox(key="hq_admin_new_role").set_value("leader")
    app.button(key="hq_admin_add").click().run()
    assert _errors(app) == ["登录名 sample-leader 已被占用。"]
    app.text_input(key="hq_admin_new_login").set_value("li")
    app.text_input(key="hq_admin_new_password").set_value("li")
    app.button(key="hq_admin_add").click().run()
    assert "新密码不能是或包含账号或姓名" in _errors(app)[0]
    assert "li" not in {a.login for a in repo.accounts(actor=ROOT)}  # nothing written


def test_disabling_asks_first_and_cancel_does_nothing(admin):
    app, repo = admin
    _choose(app, "sample-planner")
    app.button(key="hq_admin_disable_button").click().run()
    assert any(
        "示例规划人员（sample-planner）将不能登录" in m.value.replace("\\", "")
        for m in app.markdown
    )
    app.button(key="hq_admin_disable_cancel").click().run()
    assert repo.account("sample-planner").status == "active"
    assert not [b for b in app.button if b.key == "hq_admin_disable_ok"]

    app.button(key="hq_admin_disable_button").click().run()
    app.button(key="hq_admin_disable_ok").click().run()
    assert not app.exception
    assert repo.account("sample-planner").status == "disabled"
    assert any("已停用账户 sample\\-planner" in s.value for s in app.success)
    assert _accounts(app).loc["sample-planner", "状态"] == "已停用"
    app.button(key="hq_admin_enable_button").click().run()
    assert repo.account("sample-planner").status == "active"


def test_the_last_admin_is_kept_in_either_language(admin):
    app, repo = admin
    _choose(app, "sample-admin")
    app.button(key="hq_admin_disable_button").click().run()
    app.button(key="hq_admin_disable_ok").click().run()
    assert _errors(app) == [
        "sample-admin 是最后一个启用的管理员账户，不能停用或改为其他角色："
        "请先新增或启用另一个管理员。"
    ]
    assert repo.account("sample-admin").status == "active"
    app.sidebar.radio[0].set_value("English").run()
    app.selectbox(key="hq_admin_set_role_sample-admin").set_value("leader")
    app.button(key="hq_admin_role_save").click().run()
    assert _errors(app) == [
        "sample-admin is the last active administrator and cannot be disabled or given "
        "another role: add or enable another administrator first."
    ]
    assert repo.account("sample-admin").role == "admin"


def test_unlock_reset_and_set_role(admin):
    app, repo = admin
    for _ in range(5):
        with pytest.raises(SignInError):
            repo.authenticate("sample-leader", "wrong", now=datetime.now(UTC))
    app.run()
    assert _accounts(app).loc["sample-leader", "状态"] == "已锁定"
    _choose(app, "sample-leader")
    app.button(key="hq_admin_unlock").click().run()
    assert _accounts(app).loc["sample-leader", "状态"] == "正常"

    app.button(key="hq_admin_reset").click().run()
    app.button(key="hq_admin_reset_ok").click().run()
    password = app.code[0].value
    with pytest.raises(SignInError) as refused:
        repo.authenticate("sample-leader", password, now=datetime.now(UTC))
    assert refused.value.code == "must_change"

    _choose(app, "sample-planner")
    app.selectbox(key="hq_admin_set_role_sample-planner").set_value("steward")
    app.selectbox(key="hq_admin_set_unit_sample-planner").set_value("huacao")
    app.button(key="hq_admin_role_save").click().run()
    assert any("现为数据维护人员（华漕镇）" in s.value for s in app.success)
    assert (repo.account("sample-planner").role, repo.account("sample-planner").unit) == (
        "steward",
        "huacao",
    )


def test_a_stale_version_is_refused_in_words(admin):
    app, repo = admin
    _choose(app, "sample-planner")
    app.button(key="hq_admin_disable_button").click().run()  # the dialog, version shown
    repo.set_role("sample-planner", "leader", actor=ROOT)  # meanwhile, elsewhere
    app.button(key="hq_admin_disable_ok").click().run()
    assert "在显示后已被修改" in _errors(app)[0]
    assert repo.account("sample-planner").status == "active"


def test_the_changes_show_on_the_audit_page_naming_the_account(admin):
    app, _ = admin
    _choose(app, "sample-planner")
    app.button(key="hq_admin_disable_button").click().run()
    app.button(key="hq_admin_disable_ok").click().run()
    app.switch_page("ui/audit_page.py").run()
    assert not app.exception
    log = next(d.value for d in app.dataframe if "修改人" in d.value.columns)
    assert set(log["表"]) == {"账户"}  # an administrator reads the accounts' entries only
    first = log.iloc[0]
    assert (first["修改人"], first["记录编号"], first["修改的字段"]) == (
        "管理员甲（root）",
        "sample-planner",
        "状态",
    )
    assert not [b for b in app.button if b.key == "hq_audit_undo"]


@pytest.mark.parametrize("role", ["public", "steward", "planner", "leader"])
def test_no_other_role_gets_the_admin_page(make_app, role):
    app, _ = make_app(sample_login(role, "xinhong"))
    app.run()
    app.switch_page("ui/admin_page.py").run()
    assert not app.exception
    assert not app.title and not app.dataframe  # the page did not run
    assert any("此页面" in w.value for w in app.warning)


def test_the_role_form_shows_the_chosen_account_not_the_one_before(admin):
    app, _ = admin
    _choose(app, "sample-admin")
    assert app.selectbox(key="hq_admin_set_role_sample-admin").value == "admin"
    _choose(app, "sample-steward-xinhong")
    role = app.selectbox(key="hq_admin_set_role_sample-steward-xinhong")
    unit = app.selectbox(key="hq_admin_set_unit_sample-steward-xinhong")
    assert (role.value, unit.value) == ("steward", "xinhong")
