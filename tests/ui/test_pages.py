"""Streamlit pages run headless with AppTest against a fresh sample store."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.ui.apps import sign_in_as

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def app(tmp_path, monkeypatch):
    """The app on a new SQLite file (seeded with sample data on first run), signed in as a
    planner and turned to the map."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/app.sqlite")
    st.cache_resource.clear()
    st.cache_data.clear()
    at = sign_in_as(AppTest.from_file(APP, default_timeout=120), "sample-planner")
    at.run()  # the finder, the page at the root for everyone
    at.switch_page("ui/map_page.py")
    yield at
    st.cache_resource.clear()
    st.cache_data.clear()


def test_map_page_shows_sample_inventory(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "载体地图"
    metrics = {m.label: m.value for m in app.metric}
    assert int(metrics["载体"].replace(",", "")) > 500
    assert any("样例数据" in i.value for i in app.sidebar.info)
    assert app.selectbox[0].label == "选择楼栋或地块"


def test_choosing_a_building_opens_its_card(app):
    app.run()
    options = app.selectbox[0].options
    building = next(o for o in options if "(BH" in o or "(BQ" in o)
    app.selectbox[0].select_index(options.index(building)).run()
    assert not app.exception
    assert app.session_state["hq_map_selected"] in building
    assert app.subheader[0].value in building
    stacking = [e for e in app.get("html") if "hq-stacking" in e.proto.body]
    assert stacking, "the stacking plan is drawn"


def test_english_switch(app):
    app.run()
    app.sidebar.radio[0].set_value("English").run()
    assert not app.exception
    assert app.title[0].value == "Carrier map"
    assert "Carriers" in [m.label for m in app.metric]
