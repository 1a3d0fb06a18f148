"""The finder (public role, filters from the URL), the demand list and the matching page."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from commands.planning import load
from planning.approval import freeze
from planning.policy import Policy
from planning.release import plan
from settings import load_settings
from spaces.schema import TABLES
from store.bootstrap import open_store
from store.repository import SYSTEM, Actor
from tests.ui.apps import sample_login, sign_in_as
from words.release import member_reasons

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path}/app.sqlite"
    return url, open_store(load_settings(env={"DATABASE_URL": url}))


def make_app(monkeypatch, url: str, role: str) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_resource.clear()
    st.cache_data.clear()
    return sign_in_as(AppTest.from_file(APP, default_timeout=120), sample_login(role))


@pytest.fixture
def public_app(db, monkeypatch):
    yield make_app(monkeypatch, db[0], "public")
    st.cache_resource.clear()


@pytest.fixture
def planner_app(db, monkeypatch):
    yield make_app(monkeypatch, db[0], "planner")
    st.cache_resource.clear()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(at: AppTest) -> str:
    """Everything the page shows as text and tables, to look for what must not be there."""
    parts = [str(e.value) for e in at.dataframe]
    for kind in ("markdown", "caption", "subheader", "metric", "selectbox", "html"):
        parts += [str(getattr(e, "value", "")) or str(e.proto) for e in at.get(kind)]
    parts += [str(o) for s in at.selectbox for o in s.options]
    return "\n".join(parts)


def test_public_role_sees_only_the_finder_and_public_fields(public_app, db):
    repo = db[1]
    at = public_app
    at.query_params.update({"tier": "floor", "track": "biomedicine", "amin": "abc"})
    at.run()
    assert not at.exception
    assert at.title[0].value == "找空间"
    assert any("amin" in w.value and "已忽略" in w.value for w in at.warning)
    assert at.sidebar.multiselect(key="hq_finder_tiers").value == ["floor"]
    assert at.sidebar.selectbox(key="hq_finder_track").value == "biomedicine"
    assert dict(at.query_params) == {"tier": "floor", "track": "biomedicine"}
    n = int(metrics(at)["符合条件的载体"].replace(",", ""))
    assert 0 < n < 100
    table = at.dataframe[0].value
    assert len(table) == n
    assert set(table["载体梯度"]) == {"一层楼"}
    # never tenants, notes, service teams or readiness internals
    shown = texts(at)
    inv = repo.load_inventory()
    for tenant in inv.carriers.tenant.dropna().unique()[:50]:
        assert tenant not in shown
    private = [f.label_zh for table in TABLES.values() for f in table.fields if not f.public] + [
        "建设进度",
        "配套设施进度",
    ]
    assert not set(table.columns) & set(private)


@pytest.mark.parametrize("value", ["2019-12-31", "0001-01-01"])
def test_a_date_out_of_range_in_a_link_is_named_and_ignored(public_app, value):
    at = public_app
    at.query_params.update({"by": value, "tier": "floor"})
    at.run()
    assert not at.exception, at.exception
    assert any("by" in w.value and "已忽略" in w.value for w in at.warning)
    assert at.sidebar.date_input(key="hq_finder_available_by").value is None
    assert dict(at.query_params) == {"tier": "floor"}


def test_changing_a_filter_changes_the_count_and_the_url(public_app):
    at = public_app
    at.run()
    before = int(metrics(at)["符合条件的载体"].replace(",", ""))
    at.sidebar.multiselect(key="hq_finder_areas").set_value(["qianwan"]).run()
    assert not at.exception
    after = int(metrics(at)["符合条件的载体"].replace(",", ""))
    assert 0 < after < before
    assert at.query_params["zone"] == ["qianwan"] or at.query_params["zone"] == "qianwan"


def test_released_only_says_no_batch_is_approved_yet(public_app):
    at = public_app
    at.query_params["released"] = "1"
    at.run()
    assert metrics(at)["符合条件的载体"] == "0"
    assert any("尚无已发布的批次" in i.value for i in at.info)


def test_released_only_finds_the_approved_batch(db, monkeypatch):
    url, repo = db
    settings = load_settings(env={"DATABASE_URL": url})
    carriers, teams, layers = load(settings)
    p = plan(
        carriers,
        teams,
        Policy.from_settings(settings).carrier_facts(carriers, layers),
        policy=Policy.from_settings(settings),
        as_of="2026-11-30",
    )
    record, members = freeze(
        p,
        1,
        carriers,
        reasons=member_reasons,
        decision="approved",
        comment="同意",
        decided_at=datetime(2026, 11, 30, tzinfo=UTC),
    )
    repo.record_decision(record, members, actor=Actor("王局长", role="leader"))
    at = make_app(monkeypatch, url, "public")
    at.query_params["released"] = "1"
    at.run()
    assert not at.exception
    found = int(metrics(at)["符合条件的载体"].replace(",", ""))
    assert 0 < found <= len(members)
    assert not any("尚无已发布的批次" in i.value for i in at.info)
    st.cache_resource.clear()


def test_shortlist_and_building_card(public_app, db):
    at = public_app
    at.query_params.update({"tier": "room"})
    at.run()
    inv = db[1].load_inventory()
    c = inv.carriers
    room = c[(c.tier == "room") & (c.status == "available")].target_id.iloc[0]
    building = inv.floors.building_id[inv.rooms.floor_id[room]]
    at.selectbox(key="hq_finder_pick_None").set_value(building).run()
    assert not at.exception
    assert at.session_state["hq_finder_selected"] == building
    stacking = [e for e in at.get("html") if "hq-stacking" in e.proto.body]
    assert stacking and "2px solid #ff1744" in stacking[0].proto.body  # matching rooms outlined
    results = next(d.value for d in at.dataframe if "载体编号" in d.value.columns)
    at.session_state["hq_shortlist"] = list(results["载体编号"][:3])
    at.run()
    assert not at.exception
    assert any(s.value.startswith("备选清单 (3)") for s in at.subheader)
    assert len(at.get("download_button")) == 2


def test_planner_pages_are_listed_for_planners(planner_app):
    at = planner_app
    at.run()
    at.switch_page("ui/map_page.py").run()
    assert at.title[0].value == "载体地图"
    at.switch_page("ui/demand_page.py").run()
    assert not at.exception
    assert at.title[0].value == "需求清单"
    assert int(metrics(at)["需求总数"]) > 20


def test_add_a_demand(planner_app, db):
    at = planner_app
    at.run()
    at.switch_page("ui/demand_page.py").run()
    before_ids = db[1].load_demands(actor=SYSTEM).index
    before = len(before_ids)
    at.text_input(key="hq_add_enterprise").input("常州测试精密机械有限公司")
    at.main.button[-1].click()  # the form's submit button comes last on the page
    at.run()
    assert not at.exception
    demands = db[1].load_demands(actor=SYSTEM)
    assert len(demands) == before + 1
    assert "常州测试精密机械有限公司" in set(demands.enterprise)
    assert any("已新增需求" in s.value for s in at.success)

    # the new demand is in the audit log, under 需求, and undoing it removes it
    (added,) = demands.index.difference(before_ids)
    at.switch_page("ui/audit_page.py").run()
    assert not at.exception
    log = next(d.value for d in at.dataframe if "修改人" in d.value.columns)
    assert log.iloc[0][["修改人", "操作", "表", "记录编号"]].tolist() == [
        "示例规划人员（sample-planner）",
        "新增",
        "需求",
        added,
    ]
    at.button(key="hq_audit_undo").click().run()
    assert not at.exception
    assert added not in db[1].load_demands(actor=SYSTEM).index


def test_a_demand_changed_since_the_editor_showed_it_is_refused_not_overwritten(planner_app, db):
    """Bug 10: the version travels with the edit from when the list was shown, not from the
    data reloaded at save time, so the second of two editors is told instead of winning."""
    repo = db[1]
    at = planner_app
    at.run()
    at.switch_page("ui/demand_page.py").run()
    editor = at.data_editor[0]
    rid = editor.value.index[0]
    # meanwhile another planner (session B) saves a change to that demand
    theirs = repo.load_demands(actor=SYSTEM).loc[[rid]].assign(note="B 的备注")
    repo.update_demands(theirs.reset_index(), actor=Actor("ann"))
    # session A edits the demand as the page showed it, and saves
    at.session_state[editor.key] = {
        "edited_rows": {0: {"note": "A 的备注"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    next(b for b in at.button if b.label.startswith("保存修改")).click().run()
    assert not at.exception
    refused = "\n".join(e.value for e in at.error)
    assert f"需求 {rid}" in refused and "ann" in refused and "备注" in refused
    assert not any("已保存" in s.value for s in at.success)
    back = repo.load_demands(actor=SYSTEM).loc[rid]
    assert (back.note, back.version) == ("B 的备注", 2)  # nothing of A's was written

    # A discards and reloads, sees B's note, and saves again; a further edit after one's own
    # save starts from the saved version (no conflict with oneself)
    at.button(key="hq_demands_reload").click().run()
    for note, version in (("A 的备注", 3), ("A 再改", 4)):
        editor = at.data_editor[0]
        at.session_state[editor.key] = {
            "edited_rows": {0: {"note": note}},
            "added_rows": [],
            "deleted_rows": [],
        }
        at.run()
        next(b for b in at.button if b.label.startswith("保存修改")).click().run()
        assert not at.exception and not at.error
        back = repo.load_demands(actor=SYSTEM).loc[rid]
        assert (back.note, back.version) == (note, version)


def _xlsx(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_import_reports_row_and_column(planner_app):
    """AppTest cannot upload files: the page's reader is tested directly, the page renders."""
    from spaces.demands import read_demands
    from words.imports import issue_report

    at = planner_app
    at.run()
    at.switch_page("ui/demand_page.py").run()
    assert not at.exception
    data = _xlsx([["企业名称", "企业所在城市", "需求状态"], ["甲", "北京", "待匹配"]])
    result = read_demands(data, filename="x.xlsx", tracks=["biomedicine"])
    report = issue_report(result.issues, result.reads, "zh")
    assert report[["行", "列"]].values.tolist() == [[2, "企业所在城市"]]


def test_matching_page_shows_weights_matches_and_gaps(planner_app):
    at = planner_app
    at.run()
    at.switch_page("ui/matching_page.py").run()
    assert not at.exception
    assert at.title[0].value == "供需匹配"
    weights = at.dataframe[0].value
    assert list(weights["权重"]) == [0.25, 0.15, 0.15, 0.15, 0.15, 0.15]
    shown = texts(at)
    assert "匹配理由" in shown or any("没有载体" in w.value for w in at.warning)
    assert "未被满足的需求" in shown
    assert "发布批次" in shown


def test_english(public_app):
    at = public_app
    at.run()
    at.sidebar.radio[0].set_value("English").run()
    assert not at.exception
    assert at.title[0].value == "Space finder"
    assert "Matching carriers" in metrics(at)
