"""The leaders' page in headless Chromium: approve a batch, see it frozen, restart, change data."""

from __future__ import annotations

import dataclasses

import pytest
from playwright.sync_api import expect

from settings import load_settings
from store.bootstrap import open_store
from store.repository import SYSTEM

from .conftest import REPO_ROOT, non_local_requests, running_app, sign_in

pytestmark = pytest.mark.browser

TIMEOUT_MS = 90_000
AS_OF = "2026-11-30"


def _open_batches(page, url):
    page.goto(f"{url}/leaders")
    page.get_by_text("第1批 · 2026-06-01 – 2026-11-30").wait_for(timeout=TIMEOUT_MS)


def test_leader_approves_a_batch_that_stays_frozen(browser, page, tmp_path):
    db = f"sqlite:///{tmp_path}/leaders.sqlite"
    env = {"DATABASE_URL": db, "HQ_AS_OF": AS_OF}
    repo = open_store(load_settings(env={"DATABASE_URL": db}))

    with running_app(REPO_ROOT / "app.py", env=env, log_path=tmp_path / "first.log") as url:
        sign_in(page, url, "sample-leader")
        _open_batches(page, url)
        page.get_by_label("意见").fill("同意首批释放")
        page.get_by_label("意见").press("Tab")  # a text area commits its value on blur
        page.get_by_role("button", name="批准本批").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_text("第1批 · 2026-06-01 – 2026-11-30").wait_for(timeout=TIMEOUT_MS)
        dialog.get_by_text("意见：同意首批释放").wait_for(timeout=TIMEOUT_MS)
        dialog.get_by_role("button", name="取消").click()  # cancel: nothing is recorded
        expect(dialog).to_have_count(0, timeout=TIMEOUT_MS)
        assert repo.decisions(actor=SYSTEM).empty
        page.get_by_role("button", name="批准本批").click()
        page.get_by_role("dialog").get_by_role("button", name="确认").click()
        page.get_by_text("已批准：示例领导（sample-leader）（领导）").wait_for(timeout=TIMEOUT_MS)
        # Streamlit redraws element by element: wait for the button, not only the note
        expect(page.get_by_role("button", name="批准本批")).to_be_disabled(timeout=TIMEOUT_MS)
        page.get_by_text("批准后的变化（0）").wait_for(timeout=TIMEOUT_MS)
        page.wait_for_load_state("networkidle")
        assert non_local_requests(page.requested_urls) == []

    decision = repo.decisions(actor=SYSTEM).iloc[0]
    frozen = repo.decision_members(int(repo.decisions(actor=SYSTEM).index[0]))
    assert decision.decision == "approved" and decision.decided_by == "示例领导"
    assert decision.account == "sample-leader"

    # A member of the approved batch is let meanwhile: the data changes under the frozen batch.
    inv = repo.load_inventory()
    first = frozen.carrier_id.iloc[0]
    carriers = inv.carriers.drop(columns=["version"]).copy()
    carriers.loc[first, "status"] = "leased"
    carriers.loc[first, "tenant"] = "苏州示例科技有限公司上海研发中心"
    tables = {k: v.drop(columns=["version"]) for k, v in inv.tables().items()}
    repo.replace_inventory(
        dataclasses.replace(inv, **{**tables, "carriers": carriers}), actor=SYSTEM
    )

    # After a restart the approval is still there, unchanged, and the drift is shown; the
    # browser is still signed in (its cookie names a session the store keeps).
    with running_app(REPO_ROOT / "app.py", env=env, log_path=tmp_path / "second.log") as url:
        _open_batches(page, url)
        note = page.get_by_text("已批准：示例领导（sample-leader）（领导）")
        note.wait_for(timeout=TIMEOUT_MS)
        assert f"批准时冻结 {len(frozen)} 个载体" in note.inner_text()
        page.get_by_text("批准后的变化（").wait_for(timeout=TIMEOUT_MS)
        expect(page.get_by_role("button", name="批准本批")).to_be_disabled(timeout=TIMEOUT_MS)
        expect(page.get_by_role("button", name="撤回批准（退回）")).to_be_enabled()
    assert repo.decision_members(int(repo.decisions(actor=SYSTEM).index[0])).equals(frozen)
