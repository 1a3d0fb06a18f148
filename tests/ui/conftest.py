"""Fixtures of the page tests."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from settings import load_settings
from store.bootstrap import open_store
from tests.ui.apps import APP, sign_in_as


@pytest.fixture
def make_app(store_url, monkeypatch):
    """Factory: the app on a fresh sample store with the given environment, and its store,
    signed in as a sample account (`tests.ui.apps.sign_in_as`; a planner unless told)."""
    monkeypatch.setenv("DATABASE_URL", store_url)
    monkeypatch.setenv("HQ_SAMPLE", "always")  # PostGIS stores start empty otherwise
    repos = []

    def make(login: str | None = "sample-planner", **env: str):
        """``login``: the sample account the app is signed in as (None: a public visitor)."""
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        st.cache_resource.clear()
        st.cache_data.clear()
        repo = open_store(load_settings())
        repos.append(repo)
        app = AppTest.from_file(APP, default_timeout=180)
        return sign_in_as(app, login, repo), repo

    yield make
    st.cache_resource.clear()
    st.cache_data.clear()
    for repo in repos:
        repo.engine.dispose()


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """Label -> data of every download button the pages draw (the real buttons still draw)."""
    seen: dict[str, bytes] = {}
    original = DeltaGenerator.download_button

    def record(self, label, data, *args, **kwargs):
        seen[label] = data
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    monkeypatch.setattr(st, "download_button", lambda *a, **k: record(st._main, *a, **k))
    return seen
