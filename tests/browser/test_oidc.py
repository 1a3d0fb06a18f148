"""Sign-in with an OpenID Connect provider, in headless Chromium, against a local provider.

The provider is `oidc_provider_mock` (a real OpenID Connect server on a local port, started by
the test: discovery, authorization form, tokens, signed ID tokens); the app runs with
``HQ_AUTH_MODE=oidc`` and a secrets file written here, and Streamlit's own ``st.login`` speaks
the protocol. Nothing leaves this machine: the provider's authorization page links a stylesheet
on a CDN, which the page fixture aborts like every request to another host.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from oidc_provider_mock import User, run_server_in_thread

from access.permissions import SYSTEM
from settings import load_settings
from store.bootstrap import open_store
from store.repository import Repository

from .conftest import REPO_ROOT, free_port, non_local_requests, running_app

pytestmark = [
    pytest.mark.browser,
    # The provider (in this process, on a thread) calls an Authlib API that Authlib 1.9
    # deprecates; that is the mock's business, not the app's (which runs in its own process).
    pytest.mark.filterwarnings(r"ignore:get_jwt_config\(self, grant\) is deprecated"),
]

TIMEOUT_MS = 60_000
PROVIDER_STYLESHEET = "https://cdn.jsdelivr.net/npm/@picocss/"
"""The one non-local request, of the provider's own page (aborted): not the app's."""

PLANNER_SUB = "c81d4e2e-planner"
PLANNER_EMAIL = "li.si@hq.example.gov.cn"
BY_EMAIL_SUB = "7f3a-by-email"
BY_EMAIL = "wang.wu@hq.example.gov.cn"
PROVIDER_USERS = [
    # signs in to an account that has the provider's subject
    User(sub=PLANNER_SUB, claims={"email": PLANNER_EMAIL, "email_verified": True, "name": "李四"}),
    # an account added with the e-mail only: the verified address finds it, the subject binds
    User(sub=BY_EMAIL_SUB, claims={"email": BY_EMAIL, "email_verified": True, "name": "王五"}),
]


@dataclass(frozen=True)
class OidcApp:
    url: str
    store: Repository


@pytest.fixture(scope="module")
def oidc_app(tmp_path_factory) -> Iterator[OidcApp]:
    """The local provider and the app in mode "oidc" on a fresh SQLite store with accounts."""
    tmp = tmp_path_factory.mktemp("oidc")
    database = f"sqlite:///{tmp}/oidc.sqlite"
    env = {
        "DATABASE_URL": database,
        "HQ_AUTH_MODE": "oidc",
        # The app's server fetches the provider's metadata and tokens: never through a proxy.
        "NO_PROXY": "localhost,127.0.0.1",
        "no_proxy": "localhost,127.0.0.1",
    }
    store = open_store(load_settings(env=env))
    store.add_account(
        "lisi", display_name="李四", role="planner", actor=SYSTEM, oidc_subject=PLANNER_SUB
    )
    store.add_account("wangwu", display_name="王五", role="leader", actor=SYSTEM, email=BY_EMAIL)
    with run_server_in_thread(user_claims=PROVIDER_USERS) as provider:
        port = free_port()
        secrets_file = tmp / "secrets.toml"
        secrets_file.write_text(
            "[auth]\n"
            f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_hex(32)}"\n'
            'client_id = "hongqiao-carriers"\n'
            f'client_secret = "{secrets.token_hex(16)}"\n'
            "server_metadata_url = "
            f'"http://localhost:{provider.server_port}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        with running_app(
            REPO_ROOT / "app.py",
            env=env,
            log_path=tmp / "streamlit.log",
            port=port,
            args=["--secrets.files", str(secrets_file)],
        ) as url:
            # The redirect URI names localhost: the sign-in's state cookie is set there.
            yield OidcApp(url.replace("127.0.0.1", "localhost"), store)
    store.engine.dispose()


def _sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def _nav(page):
    """The sidebar's menu of page links."""
    return page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]')


def _finder_only(page) -> None:
    """The menu is the public's: the finder, and no page of the staff."""
    _nav(page).get_by_text("找空间", exact=True).wait_for(timeout=TIMEOUT_MS)
    assert _nav(page).get_by_text("载体地图", exact=True).count() == 0


def _sign_in(page, app: OidcApp) -> None:
    """Open the app as an anonymous visitor and press its sign-in button."""
    page.goto(f"{app.url}/")
    _sidebar(page).get_by_role("button", name="统一身份认证登录").click()
    page.get_by_role("heading", name="Authorize Client").wait_for(timeout=TIMEOUT_MS)


def _back_in_the_app(page, app: OidcApp) -> None:
    page.wait_for_url(f"{app.url}/**", timeout=TIMEOUT_MS)
    _sidebar(page).get_by_role("button", name="退出登录").wait_for(timeout=TIMEOUT_MS)


def _only_local(page) -> None:
    outside = non_local_requests(page.requested_urls)
    assert [u for u in outside if not u.startswith(PROVIDER_STYLESHEET)] == []


def test_an_anonymous_visitor_sees_the_finder_and_the_sign_in_button(oidc_app, page):
    page.goto(f"{oidc_app.url}/")
    page.get_by_role("heading", name="找空间").wait_for(timeout=TIMEOUT_MS)
    _sidebar(page).get_by_role("button", name="统一身份认证登录").wait_for(timeout=TIMEOUT_MS)
    assert "企业/公众" in _sidebar(page).inner_text()
    _finder_only(page)
    assert _sidebar(page).get_by_role("button", name="退出登录").count() == 0
    _only_local(page)


def test_a_planner_signs_in_by_subject_sees_their_pages_and_name_and_signs_out(oidc_app, page):
    _sign_in(page, oidc_app)
    page.get_by_role("button", name=PLANNER_SUB).click()
    _back_in_the_app(page, oidc_app)
    sidebar = _sidebar(page)
    sidebar.get_by_text("当前用户：李四").wait_for(timeout=TIMEOUT_MS)
    assert "规划人员" in sidebar.inner_text()
    for title in ("载体地图", "分批释放审议", "需求清单", "修改记录"):
        _nav(page).get_by_text(title, exact=True).wait_for(timeout=TIMEOUT_MS)
    assert sidebar.get_by_text("尚未开通本系统账户").count() == 0
    account = oidc_app.store.account("lisi")
    assert account.last_sign_in is not None

    sidebar.get_by_role("button", name="退出登录").click()
    _follow_the_provider_sign_out(page)
    page.get_by_role("heading", name="找空间").wait_for(timeout=TIMEOUT_MS)
    _sidebar(page).get_by_role("button", name="统一身份认证登录").wait_for(timeout=TIMEOUT_MS)
    assert "李四" not in _sidebar(page).inner_text()
    _finder_only(page)
    page.goto(f"{oidc_app.url}/leaders")  # the cookie is gone: a deep link shows no plan
    _sidebar(page).get_by_role("button", name="统一身份认证登录").wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_role("heading", name="分批释放审议").count() == 0
    _only_local(page)


def _follow_the_provider_sign_out(page) -> None:
    """st.logout sends the browser to the provider's end-session page, which asks to confirm
    before it returns to the app."""
    end = page.get_by_role("button", name="End session")
    end.wait_for(timeout=TIMEOUT_MS)
    end.click()


def test_a_verified_email_finds_the_account_and_binds_the_subject(oidc_app, page):
    _sign_in(page, oidc_app)
    page.get_by_role("button", name=BY_EMAIL_SUB).click()
    _back_in_the_app(page, oidc_app)
    _sidebar(page).get_by_text("当前用户：王五").wait_for(timeout=TIMEOUT_MS)
    assert "领导" in _sidebar(page).inner_text()
    assert oidc_app.store.account("wangwu").oidc_subject == BY_EMAIL_SUB
    _only_local(page)


def test_an_unknown_identity_is_public_and_told_to_ask_an_administrator(oidc_app, page):
    _sign_in(page, oidc_app)
    page.locator('input[name="sub"]').fill("stranger-42")
    page.get_by_role("button", name="Authorize", exact=True).click()
    _back_in_the_app(page, oidc_app)
    sidebar = _sidebar(page)
    warning = sidebar.get_by_text("尚未开通本系统账户")
    warning.wait_for(timeout=TIMEOUT_MS)
    assert "stranger-42" in warning.inner_text()  # what the administrator needs
    assert "企业/公众" in sidebar.inner_text()
    _finder_only(page)
    page.get_by_role("heading", name="找空间").wait_for(timeout=TIMEOUT_MS)
    assert oidc_app.store.account("stranger-42") is None
    _only_local(page)
