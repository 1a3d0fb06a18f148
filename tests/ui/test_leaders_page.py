"""The leaders' page run headless with AppTest, as a leader and as a planner."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cli import main
from settings import load_settings
from store.bootstrap import open_store
from store.repository import SYSTEM, Actor
from tests.ui.apps import sample_login, sign_in_as

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGE = "ui/leaders_page.py"
AS_OF = "2026-11-30"


def _app(tmp_path, monkeypatch, role: str) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/app.sqlite")
    monkeypatch.setenv("HQ_AS_OF", AS_OF)
    st.cache_resource.clear()
    st.cache_data.clear()
    at = sign_in_as(AppTest.from_file(APP, default_timeout=180), sample_login(role))
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


@pytest.fixture
def leader(tmp_path, monkeypatch):
    yield _app(tmp_path, monkeypatch, "leader")
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def planner(tmp_path, monkeypatch):
    yield _app(tmp_path, monkeypatch, "planner")
    st.cache_resource.clear()
    st.cache_data.clear()


def _caption(at, prefix: str) -> str:
    return next(c.value for c in at.caption if c.value.startswith(prefix))


def test_page_shows_the_plan(leader):
    at = leader
    assert at.title[0].value == "分批释放审议"
    metrics = {m.label: int(float(m.value.replace(",", ""))) for m in at.metric}
    assert metrics["纳入批次"] > 300 and metrics["已出租或预留"] > 100
    windows = at.dataframe[0].value
    assert windows["批次"].tolist() == [f"第{n}批" for n in range(1, 7)]
    assert (windows["审议状态"] == "待审议").all()
    assert at.subheader[0].value == "第1批 · 2026-06-01 – 2026-11-30"
    assert at.button(key="hq_lead_approve_1").disabled is False
    downloads = at.get("download_button")
    assert len(downloads) == 2


def test_cli_and_page_give_the_same_plan(leader, capsys):
    at = leader
    fingerprint = _caption(at, "方案指纹").split("`")[1]
    assert main(["plan", "--as-of", AS_OF, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["fingerprint"] == fingerprint
    windows = at.dataframe[0].value
    assert windows["载体数"].tolist() == [w["count"] for w in out["windows"]]
    first = at.dataframe[5].value  # the members of batch 1
    assert first["载体编号"].tolist() == out["windows"][0]["carriers"]


def test_leader_approves_a_batch_and_it_is_frozen(leader, tmp_path):
    at = leader
    shown = [c.value.replace("\\", "") for c in at.caption]  # plain() escapes the "-"
    assert "审议人：示例领导（sample-leader）" in shown  # the account, no free-text approver
    at.text_area(key="hq_lead_comment_1").set_value("同意首批释放")
    at.button(key="hq_lead_approve_1").click().run()
    at.button(key="hq_lead_decide_1_ok").click().run()  # the confirmation
    assert not at.exception
    assert any("已记录：批准" in s.value for s in at.success)
    approved = "已批准：示例领导（sample-leader）（领导）"
    assert any(s.value.replace("\\", "").startswith(approved) for s in at.success)
    assert at.button(key="hq_lead_approve_1").disabled  # frozen: cannot approve twice
    assert at.dataframe[0].value["审议状态"].tolist()[0] == "已批准"
    assert any("批准后数据无变化" in s.value for s in at.success)

    repo = open_store(load_settings(env={"DATABASE_URL": f"sqlite:///{tmp_path}/app.sqlite"}))
    history = repo.decisions(actor=SYSTEM)
    assert history.decision.tolist() == ["approved"]
    assert history.comment.tolist() == ["同意首批释放"]
    assert history.role.tolist() == ["leader"]
    assert history.decided_by.tolist() == ["示例领导"]
    assert history.account.tolist() == ["sample-leader"]
    frozen = repo.decision_members(int(history.index[0]))
    assert len(frozen) == int(history.members.iloc[0]) > 0

    at.radio(key="hq_lead_view").set_value("history").run()
    assert at.dataframe[0].value["决定"].tolist() == ["批准"]


def test_return_needs_a_comment(leader):
    at = leader
    at.button(key="hq_lead_return_1").click().run()
    assert any("退回时请填写意见" in e.value for e in at.error)
    at.text_area(key="hq_lead_comment_1").set_value("请补充配套设施进度")
    at.button(key="hq_lead_return_1").click().run()
    at.button(key="hq_lead_decide_1_ok").click().run()
    assert at.dataframe[0].value["审议状态"].tolist()[0] == "已退回"
    assert any("请补充配套设施进度" in w.value for w in at.warning)


def test_planner_cannot_decide(planner):
    at = planner
    assert at.button(key="hq_lead_approve_1").disabled
    assert at.button(key="hq_lead_return_1").disabled
    assert any("仅领导角色可以批准或退回批次" in i.value for i in at.info)
    assert at.text_area(key="hq_lead_comment_1").disabled


def test_scenario_shows_moves(leader):
    at = leader
    at.radio(key="hq_lead_view").set_value("scenario").run()
    assert not at.exception
    at.slider[4].set_value(75)  # the threshold
    at.button[0].click().run()  # the form's submit button
    assert not at.exception
    summary = at.dataframe[0].value
    assert summary["指标"].tolist()[0] == "纳入批次载体"
    assert summary["变化"].tolist()[0] < 0
    moves = at.dataframe[1].value
    assert len(moves) > 0
    assert "阈值 60 → 75" in moves["原因"].iloc[0]


def test_map_view_and_english(leader):
    at = leader
    at.radio(key="hq_lead_view").set_value("map").run()
    assert not at.exception
    at.radio(key="hq_lead_color_by").set_value("readiness").run()
    assert not at.exception
    at.sidebar.radio[0].set_value("English").run()
    assert not at.exception
    assert at.title[0].value == "Release batches"
    assert "In batches" in [m.label for m in at.metric]


def test_a_plan_of_another_date_cannot_be_approved(leader):
    """QA: a leader set the plan's date back to 2020 and approved a window already over."""
    at = leader
    at.date_input(key="hq_lead_as_of").set_value(date(2026, 8, 1)).run()
    assert at.button(key="hq_lead_approve_1").disabled
    assert any("方案按 2026-08-01 编制" in i.value for i in at.info)


def test_carriers_in_no_batch_include_held_space(leader):
    at = leader
    table = next(d.value for d in at.dataframe if "去向" in d.value.columns)
    reasons = table["理由"].astype(str)
    assert reasons.str.startswith("已预留给").any()  # reserved for a named prospect
    assert (reasons == "已出租，不再释放").any()
    assert set(table["去向"]) <= {"试点期内不可释放", "已出租或预留"}
    # not releasable first, then held space
    held = (table["去向"] == "已出租或预留").to_numpy()
    assert held.any() and not held[: int((~held).sum())].any()


def _shown(text: str) -> str:
    """Text as the reader sees it (`ui.common.plain` escapes punctuation for Markdown)."""
    return text.replace("\\", "").replace("\u2060", "")


@pytest.fixture
def signed_in(tmp_path, monkeypatch):
    """The page as the signed-in leader 王局长 of the account ``wang``."""
    import ui.common

    wang = Actor("王局长", role="leader", account="wang")
    monkeypatch.setattr(ui.common, "current_actor", lambda: wang)
    yield _app(tmp_path, monkeypatch, "leader")
    st.cache_resource.clear()
    st.cache_data.clear()


def test_approving_asks_first_and_cancel_does_nothing(signed_in, tmp_path):
    at = signed_in
    at.text_area(key="hq_lead_comment_1").set_value("同意")
    at.button(key="hq_lead_approve_1").click().run()
    summary = [_shown(m.value) for m in at.markdown]
    count = int(at.dataframe[0].value["载体数"].iloc[0])
    assert "**批准本批，冻结其载体**" in summary
    assert "第1批 · 2026-06-01 – 2026-11-30" in summary
    assert any(line.startswith(f"{count} 个载体，可用面积 ") for line in summary)
    assert any(line.startswith("片区：") for line in summary)
    assert "以 王局长（wang） 的账户记录。" in summary
    at.button(key="hq_lead_decide_1_cancel").click().run()
    assert not at.exception
    repo = open_store(load_settings(env={"DATABASE_URL": f"sqlite:///{tmp_path}/app.sqlite"}))
    assert repo.decisions(actor=SYSTEM).empty  # nothing recorded
    assert not [b for b in at.button if b.key == "hq_lead_decide_1_ok"]  # the dialog is gone
    assert at.dataframe[0].value["审议状态"].tolist()[0] == "待审议"

    at.button(key="hq_lead_approve_1").click().run()
    at.button(key="hq_lead_decide_1_ok").click().run()
    assert at.dataframe[0].value["审议状态"].tolist()[0] == "已批准"
    history = repo.decisions(actor=SYSTEM)
    assert (history.account.tolist(), history.decided_by.tolist()) == (["wang"], ["王局长"])
    assert any(_shown(s.value).startswith("已批准：王局长（wang）（领导）") for s in at.success)


def test_withdrawing_asks_first_and_the_history_names_the_account(signed_in):
    at = signed_in
    at.button(key="hq_lead_approve_1").click().run()
    at.button(key="hq_lead_decide_1_ok").click().run()
    at.text_area(key="hq_lead_comment_1").set_value("数据有误，撤回")
    at.button(key="hq_lead_return_1").click().run()  # now: withdraw the approval
    assert "**撤回对本批的批准**" in [_shown(m.value) for m in at.markdown]
    at.button(key="hq_lead_decide_1_ok").click().run()
    assert at.dataframe[0].value["审议状态"].tolist()[0] == "已退回"

    at.radio(key="hq_lead_view").set_value("history").run()
    history = at.dataframe[0].value
    assert history["决定"].tolist() == ["撤回批准", "批准"]
    assert set(history["审议人"]) == {"王局长（wang）"}
    assert any("北京时间" in c.value for c in at.caption)


def test_the_history_shows_beijing_time(leader, tmp_path):
    repo = open_store(load_settings(env={"DATABASE_URL": f"sqlite:///{tmp_path}/app.sqlite"}))
    record = {
        "batch": 1,
        "window_start": "2026-06-01",
        "window_end": "2026-11-30",
        "evaluated": "2026-11-30",
        "as_of": "2026-11-30",
        "decision": "returned",
        "comment": "请补充",
        "decided_at": "2026-12-01T17:30:00+00:00",  # stored in UTC
        "policy": "{}",
        "plan_fingerprint": "f",
        "data_revision": repo.revision(),
        "members": 0,
        "area_m2": 0.0,
    }
    members = pd.DataFrame({"carrier_id": [], "position": [], "score": []})
    repo.record_decision(record, members, actor=Actor("李副主任", role="leader", account="li"))
    at = leader
    at.radio(key="hq_lead_view").set_value("history").run()
    row = at.dataframe[0].value.iloc[0]
    assert (row["时间（北京时间）"], row["审议人"]) == ("2026-12-02 01:30", "李副主任（li）")
    assert repo.decisions(actor=SYSTEM)["decided_at"].tolist() == ["2026-12-01T17:30:00+00:00"]
