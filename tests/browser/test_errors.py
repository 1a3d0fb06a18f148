"""A page that fails shows the visitor a generic message: no traceback, path or error text."""

from __future__ import annotations

import pytest

from .conftest import REPO_ROOT

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000
SECRET = "token=SECRET-in-the-message"


def test_an_exception_shows_no_traceback_or_path(serve_app, page, tmp_path):
    script = tmp_path / "failing_app.py"
    script.write_text(
        f"import streamlit as st\nst.title('探针')\nraise RuntimeError({SECRET!r})\n",
        encoding="utf-8",
    )
    url = serve_app(script)  # from the repository root, with its .streamlit/config.toml
    page.goto(f"{url}/")
    page.get_by_role("heading", name="探针").wait_for(timeout=TIMEOUT_MS)
    alert = page.locator('[data-testid="stException"], [data-testid="stAlert"]').first
    alert.wait_for(timeout=TIMEOUT_MS)
    shown = page.locator("body").inner_text()
    for leak in (SECRET, "Traceback", "RuntimeError", str(tmp_path), str(REPO_ROOT), ".py"):
        assert leak not in shown
