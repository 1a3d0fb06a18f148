"""Helpers of the page tests: the app under AppTest, and its pages."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_page(app: AppTest, page: str) -> AppTest:
    """Run the app, switch to ``ui/<page>.py`` and run it; fail on an exception."""
    app.run()
    app.switch_page(f"ui/{page}.py")
    app.run()
    assert not app.exception, app.exception
    return app


def sample_login(role: str, unit: str | None = None) -> str | None:
    """The sample account of a role (a steward's of ``unit``); None for the public."""
    if role == "public":
        return None
    return f"sample-steward-{unit}" if role == "steward" else f"sample-{role}"


def sign_in_as(app: AppTest, login: str | None, repo=None) -> AppTest:
    """Sign ``app`` in as a sample account before it runs: start a session in the store (with
    the README's password, login + "-pw") and keep its token where the sign-in page keeps it.

    ``login`` None leaves the app a public visitor. Without ``repo`` the store of the
    settings (environment) is opened for it.
    """
    if login is None:
        return app
    from datetime import UTC, datetime

    from settings import load_settings
    from store.bootstrap import open_store
    from ui.common import SESSION_KEY

    store = repo if repo is not None else open_store(load_settings())
    try:
        token, _ = store.sign_in(login, f"{login}-pw", now=datetime.now(UTC))
    finally:
        if repo is None:
            store.engine.dispose()
    app.session_state[SESSION_KEY] = token
    return app
