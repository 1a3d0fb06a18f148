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
