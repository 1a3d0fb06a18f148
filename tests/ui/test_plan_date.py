"""The plan date: the matching page, the release plan and released batches use one date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from planning.matching import DemandArrays, match_demand
from planning.policy import Policy
from planning.supply import CarrierIndex
from settings import load_settings
from spaces.rollup import carrier_table
from store.bootstrap import open_store
from store.repository import SYSTEM
from tests.ui.apps import sign_in_as

APP = str(Path(__file__).resolve().parents[2] / "app.py")
AS_OF = date(2027, 9, 1)


@pytest.fixture
def planner(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/app.sqlite"
    repo = open_store(load_settings(env={"DATABASE_URL": url}))
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HQ_AS_OF", AS_OF.isoformat())
    st.cache_resource.clear()
    st.cache_data.clear()
    yield sign_in_as(AppTest.from_file(APP, default_timeout=120), "sample-planner", repo), repo
    st.cache_resource.clear()


def test_matching_scores_as_of_the_plan_date_not_today(planner):
    """Regression: the matching page scored dates against today while the release plan and
    released batches used the as-of date (HQ_AS_OF or the page's date)."""
    at, repo = planner
    at.run()
    at.switch_page("ui/matching_page.py").run()
    assert not at.exception
    assert at.date_input(key="hq_match_as_of").value == AS_OF
    settings = load_settings(env={"DATABASE_URL": repo.engine.url.render_as_string(False)})
    inv, layers = repo.load_inventory(), repo.load_layers()
    carriers = carrier_table(inv, layers=layers)
    index = CarrierIndex.build(
        carriers, facts=Policy.from_settings(settings).carrier_facts(carriers, layers)
    )
    arrays = DemandArrays.build(repo.load_demands(actor=SYSTEM), tracks=settings.tracks)
    demand = at.selectbox(key="hq_match_demand").value
    expected = match_demand(index, arrays, demand, settings=settings.matching, as_of=AS_OF)
    today = match_demand(index, arrays, demand, settings=settings.matching, as_of=date.today())
    shown = next(df.value for df in at.dataframe if "得分" in df.value.columns)
    date_column = "入驻时间"
    assert shown[date_column].tolist() == expected.head(20)["date"].tolist()
    assert expected["date"].tolist() != today["date"].tolist()  # the date matters here


def test_a_date_chosen_on_one_page_is_the_date_of_the_other(planner):
    at, _ = planner
    at.run()
    at.switch_page("ui/leaders_page.py").run()
    at.date_input(key="hq_lead_as_of").set_value(date(2028, 1, 10)).run()
    at.switch_page("ui/matching_page.py").run()
    assert at.date_input(key="hq_match_as_of").value == date(2028, 1, 10)
