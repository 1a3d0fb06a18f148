"""Streamlit's own settings (.streamlit/config.toml) that keep the app private and offline."""

from __future__ import annotations

import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"


def test_visitors_see_no_error_details():
    client = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["client"]
    # "none": a generic message only; false would still show the traceback ("stacktrace")
    assert client["showErrorDetails"] == "none"
    assert client["showErrorLinks"] is False
