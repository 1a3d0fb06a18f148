"""Signing in, in headless Chromium against one server: the public visitor, deep links, the
cookie that keeps a browser signed in, and several people at once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from settings import load_settings
from store.bootstrap import open_store

from .conftest import REPO_ROOT, non_local_requests, sign_in

pytestmark = pytest.mark.browser

TIMEOUT_MS = 90_000
MENU = (
    "载体地图",
    "找空间",
    "分批释放审议",
    "需求清单",
    "供需匹配",
    "导入数据",
    "编辑数据",
    "修改记录",
    "导出数据",
)


@pytest.fixture
def app(serve_app, tmp_path):
    """The app on a fresh sample store (with the sample accounts), and its store."""
    db = f"sqlite:///{tmp_path}/signin.sqlite"
    repo = open_store(load_settings(env={"DATABASE_URL": db}))
    return serve_app(REPO_ROOT / "app.py", env={"DATABASE_URL": db}), repo


def _menu(page, expected: list[str] | None = None) -> list[str]:
    """The labels of the sidebar's page links (their icons' names left out); with
    ``expected``, once the menu shows them (it is drawn link by link) or the timeout passed."""
    page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"]').first.wait_for()
    links = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]')
    script = "els => els.map(e => e.querySelector('[data-testid=stMarkdownContainer]').innerText)"
    for _ in range(int(TIMEOUT_MS / 250)):
        labels = [t.strip() for t in links.evaluate_all(script) if t.strip() in MENU]
        if expected is None or labels == expected:
            break
        page.wait_for_timeout(250)
    return labels


def test_a_visitor_sees_the_finder_only_and_a_deep_link_offers_the_sign_in(app, page):
    url, _ = app
    page.goto(f"{url}/")
    page.get_by_role("heading", name="找空间").wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("示例账户已启用").wait_for(timeout=TIMEOUT_MS)
    assert _menu(page, ["找空间"]) == ["找空间"]

    page.goto(f"{url}/map")
    page.get_by_text("此页面需要登录").wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_text("Page not found").count() == 0
    expect(page.get_by_role("heading", name="载体地图")).to_have_count(0)

    # the sign-in link returns to the page asked for
    page.get_by_role("link", name="登录后查看").click()
    page.get_by_label("账号").fill("sample-planner")
    page.get_by_label("密码").fill("sample-planner-pw")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="载体地图").wait_for(timeout=TIMEOUT_MS)
    assert page.url.rstrip("/").endswith("/map")
    page.wait_for_load_state("networkidle")
    assert non_local_requests(page.requested_urls) == []


def test_a_finder_link_keeps_its_filters_for_a_visitor(app, page):
    url, _ = app
    page.goto(f"{url}/finder?tier=floor&track=biomedicine&amin=800")
    page.get_by_role("heading", name="找空间").wait_for(timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    assert "/finder?" in page.url
    assert "tier=floor" in page.url and "track=biomedicine" in page.url and "amin=800" in page.url
    assert page.get_by_text("此页面需要登录").count() == 0
    assert page.get_by_text("Page not found").count() == 0  # Streamlit's English dialog
    page.goto(f"{url}/?tier=floor")  # the root opens the finder at its own address
    page.get_by_role("heading", name="找空间").wait_for(timeout=TIMEOUT_MS)
    page.wait_for_url("**/finder?tier=floor", timeout=TIMEOUT_MS)
    page.wait_for_timeout(1000)
    assert page.get_by_text("Page not found").count() == 0


def test_a_wrong_password_then_a_reload_stays_signed_in_until_sign_out(app, page):
    url, repo = app
    page.goto(f"{url}/signin")
    page.get_by_label("账号").fill("sample-planner")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("账号或密码错误").wait_for(timeout=TIMEOUT_MS)

    sign_in(page, url, "sample-planner")
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["hq_session"]["sameSite"] == "Strict" and cookies["hq_session"]["path"] == "/"
    page.goto(f"{url}/demands")  # a new page load: the cookie signs it in
    page.get_by_role("heading", name="需求清单").wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("已登录：示例规划人员").wait_for(timeout=TIMEOUT_MS)

    page.get_by_role("button", name="退出登录").click()
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("link", name="登录", exact=True).wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function("!document.cookie.includes('hq_session=')", timeout=TIMEOUT_MS)
    page.goto(f"{url}/demands")
    page.get_by_text("此页面需要登录").wait_for(timeout=TIMEOUT_MS)
    assert repo.open_sessions("sample-planner", now=_now()) == 0


def test_a_steward_and_a_planner_at_once_each_see_their_own_menu(app, new_page):
    url, _ = app
    steward, planner = new_page(), new_page()
    sign_in(steward, url, "sample-steward-xinhong")
    sign_in(planner, url, "sample-planner")
    for page in (steward, planner):
        page.goto(f"{url}/finder")
        page.get_by_role("heading", name="找空间").wait_for(timeout=TIMEOUT_MS)
    expect(steward.get_by_text("数据维护人员 · 新虹街道")).to_be_visible(timeout=TIMEOUT_MS)
    stewards = ["载体地图", "找空间", "导入数据", "编辑数据", "修改记录", "导出数据"]
    assert _menu(steward, stewards) == stewards
    assert _menu(planner, list(MENU)) == list(MENU)
    steward.goto(f"{url}/demands")
    steward.get_by_text("您的角色（数据维护人员）无权查看此页面").wait_for(timeout=TIMEOUT_MS)


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)
