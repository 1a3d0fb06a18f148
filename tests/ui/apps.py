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


def sign_in_as(app: AppTest, repo, login: str) -> AppTest:
    """Sign ``app`` in as a sample account: start a session in the store (with the README's
    password, login + "-pw") and keep its token where the sign-in page keeps it."""
    from datetime import UTC, datetime

    from ui.common import SESSION_KEY

    token, _ = repo.sign_in(login, f"{login}-pw", now=datetime.now(UTC))
    app.session_state[SESSION_KEY] = token
    return app
