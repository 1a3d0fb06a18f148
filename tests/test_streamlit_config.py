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


def test_cross_site_requests_are_refused_and_uploads_are_bounded():
    server = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["server"]
    assert server["enableXsrfProtection"] is True
    # XSRF protection needs CORS protection on: left at Streamlit's default (on), not turned off
    assert server.get("enableCORS", True) is True
    assert 1 <= server["maxUploadSize"] <= 50  # megabytes


def test_streamlit_reads_the_same_settings(monkeypatch):
    """Streamlit ignores a misspelt option: ask Streamlit itself what it read."""
    from streamlit import config
    from streamlit.config import get_config_options

    monkeypatch.chdir(CONFIG.parents[1])  # Streamlit reads ./.streamlit/config.toml
    get_config_options(force_reparse=True, options_from_flags={})
    try:
        assert config.get_option("server.enableXsrfProtection") is True
        assert config.get_option("server.maxUploadSize") == 50
    finally:
        get_config_options(force_reparse=True)
