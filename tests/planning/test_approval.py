"""Freezing a batch for a decision, storing it, and what drifts after the data changes."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from access.permissions import Actor, PermissionDenied
from planning.approval import MEMBER_COLUMNS, drift, freeze, policy_of
from planning.policy import Policy
from planning.release import plan
from spaces.rollup import carrier_table
from spaces.validation import build_inventory
from store.repository import SYSTEM, DecisionError, Repository
from tests.factories import TRACKS, UNITS, tiny_frames
from words.release import member_reasons

AS_OF = "2026-11-30"
LEADER = Actor("王局长", role="leader", account="wang")
WHEN = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)


@pytest.fixture
def repo(tmp_path):
    return Repository.connect(f"sqlite:///{tmp_path}/d.sqlite", units=UNITS, tracks=TRACKS)


@pytest.fixture
def tiny_plan(carriers, inv, layers, policy):
    return plan(
        carriers,
        inv.service_teams,
        policy.carrier_facts(carriers, layers),
        policy=policy,
        as_of=AS_OF,
    )


def _freeze(tiny_plan, carriers, decision="approved", comment="同意"):
    return freeze(
        tiny_plan,
        1,
        carriers,
        reasons=member_reasons,
        decision=decision,
        comment=comment,
        decided_at=WHEN,
        data_revision=7,
    )


def test_freeze_keeps_members_scores_reasons_and_policy(tiny_plan, carriers, policy):
    record, members = _freeze(tiny_plan, carriers)
    assert list(members.columns) == list(MEMBER_COLUMNS)
    assert members.carrier_id.tolist() == ["C-F1", "C-R202"]  # best first; C-F3 is reserved
    assert members.score.tolist() == pytest.approx([92.21875, 87.14375])
    assert members.position.tolist() == [1, 2]
    assert members.reason_zh[0].startswith("第1批（2026-06-01–2026-11-30）")
    assert members.reason_en[0].startswith("Batch 1 (2026-06-01 – 2026-11-30)")
    assert members.ready.all()
    assert record["members"] == 2 and record["area_m2"] == pytest.approx(1500.0)
    assert record["evaluated"].isoformat() == "2026-11-30"  # scored on the window's last day
    assert record["decided_at"] == "2026-11-30T09:30:00+00:00"
    assert record["window_start"].isoformat() == "2026-06-01"
    assert Policy.from_dict(policy_of(record)) == policy
    assert record["plan_fingerprint"] == tiny_plan.fingerprint()


def test_store_decisions_and_history(repo, tiny_plan, carriers):
    record, members = _freeze(tiny_plan, carriers)
    first = repo.record_decision(record, members, actor=LEADER)
    stored = repo.decision_members(first)
    assert stored.carrier_id.tolist() == ["C-F1", "C-R202"]
    assert stored.score.tolist() == pytest.approx(members.score.tolist())
    assert stored.reason_zh.tolist() == members.reason_zh.tolist()
    with pytest.raises(DecisionError, match=r"already approved .*return it first"):
        repo.record_decision(record, members, actor=LEADER)
    back, members2 = _freeze(tiny_plan, carriers, decision="returned", comment="请补充配套")
    repo.record_decision(back, members2, actor=LEADER)
    again, members3 = _freeze(tiny_plan, carriers)
    third = repo.record_decision(again, members3, actor=LEADER)
    history = repo.decisions(actor=SYSTEM)
    assert history.decision.tolist() == ["approved", "returned", "approved"]
    assert history.comment.tolist()[1] == "请补充配套"
    latest = repo.latest_decisions(actor=SYSTEM)
    assert latest.index.tolist() == [third]
    assert repo.revision() == 3  # each decision takes the write lock, which bumps the revision


def test_the_decision_is_the_actors_not_the_records(repo, tiny_plan, carriers):
    """Who decided comes from the signed-in actor: a name in the record is not taken."""
    record, members = _freeze(tiny_plan, carriers)
    forged = {**record, "decided_by": "某人", "role": "leader", "account": "someone"}
    repo.record_decision(forged, members, actor=LEADER)
    (decision,) = repo.decisions(actor=SYSTEM).itertuples()
    assert (decision.decided_by, decision.role, decision.account) == ("王局长", "leader", "wang")


@pytest.mark.parametrize("role", ["public", "steward", "planner", "admin"])
def test_only_a_leader_decides(repo, tiny_plan, carriers, role):
    record, members = _freeze(tiny_plan, carriers)
    with pytest.raises(PermissionDenied, match=r"decide\.batch"):
        repo.record_decision(record, members, actor=Actor("x", role=role, unit="xinhong"))
    assert repo.decisions(actor=SYSTEM).empty and repo.revision() == 0


@pytest.mark.parametrize("role", ["public", "steward", "admin"])
def test_the_decisions_are_read_by_planners_and_leaders(repo, tiny_plan, carriers, role):
    record, members = _freeze(tiny_plan, carriers)
    repo.record_decision(record, members, actor=LEADER)
    reader = Actor("x", role=role, unit="xinhong")
    for read in (repo.decisions, repo.latest_decisions):
        with pytest.raises(PermissionDenied, match=r"view\.plan"):
            read(actor=reader)
    assert len(repo.decisions(actor=Actor("p", role="planner"))) == 1
    states = repo.release_states()  # for everyone: released or not, not who or why
    assert states.columns.tolist() == ["batch", "window_start", "window_end", "decision"]
    assert states.decision.tolist() == ["approved"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"decision": "returned", "comment": " "}, "a returned batch needs a comment"),
        ({"decision": "maybe"}, "decision = 'maybe' must be one of"),
        ({"members": 9}, "the record counts 9 members but 2 are given"),
        ({"batch": 0}, "batch = 0 must be a whole number from 1"),
    ],
)
def test_bad_decisions_are_refused_and_nothing_stored(repo, tiny_plan, carriers, change, message):
    record, members = _freeze(tiny_plan, carriers)
    with pytest.raises(DecisionError, match=message):
        repo.record_decision({**record, **change}, members, actor=LEADER)
    assert repo.decisions(actor=SYSTEM).empty


def test_failed_member_write_rolls_back(repo, tiny_plan, carriers):
    record, members = _freeze(tiny_plan, carriers)
    broken = members.copy()
    broken["position"] = None  # NOT NULL in the store
    with pytest.raises(sa.exc.IntegrityError, match="NOT NULL"):
        repo.record_decision(record, broken, actor=LEADER)
    assert repo.decisions(actor=SYSTEM).empty


def test_drift_after_data_changes(carriers, inv, layers, policy):
    # Reserved carriers released too, so that floor 3 is a member whose score can drift.
    policy = dataclasses.replace(
        policy, release=dataclasses.replace(policy.release, release_reserved=True)
    )
    tiny_plan = plan(
        carriers,
        inv.service_teams,
        policy.carrier_facts(carriers, layers),
        policy=policy,
        as_of=AS_OF,
    )
    record, members = _freeze(tiny_plan, carriers)
    same = plan(
        carriers,
        inv.service_teams,
        policy.carrier_facts(carriers, layers),
        policy=policy,
        as_of=AS_OF,
    )
    assert drift(record, members, same, carriers).empty

    frames = tiny_frames()
    c = frames["carriers"]
    c.loc[c.carrier_id == "C-R202", "status"] = "leased"  # let since approval
    c.loc[c.carrier_id == "C-R202", "tenant"] = "某企业"
    frames["floors"].loc[2, "power_kva"] = 400.0  # floor 3 improves: C-F3 scores higher
    frames["carriers"] = c[c.carrier_id != "C-F1"]  # C-F1 withdrawn
    inv2 = build_inventory(frames, units=UNITS, tracks=TRACKS)
    carriers2 = carrier_table(inv2)
    frozen_policy = Policy.from_dict(policy_of(record))
    now = plan(
        carriers2,
        inv2.service_teams,
        frozen_policy.carrier_facts(carriers2, layers),
        policy=frozen_policy,
        as_of=record["as_of"],
    )
    d = drift(record, members, now, carriers2)
    changes = {(r.carrier_id, r.change) for r in d.itertuples()}
    assert ("C-F1", "removed") in changes
    assert ("C-R202", "status") in changes
    assert ("C-R202", "batch") in changes  # leased now: no longer released
    assert ("C-F3", "score") in changes
    row = d[(d.carrier_id == "C-R202") & (d.change == "status")].iloc[0]
    assert (row.before, row.after) == ("available", "leased")
    # The frozen members themselves are untouched.
    assert members.carrier_id.tolist() == ["C-F1", "C-R202", "C-F3"]


def test_no_carrier_is_approved_in_two_batches(repo, tiny_plan, carriers, inv, layers, policy):
    """QA: with the plan's date moved, the same carriers were frozen in two approved batches."""
    record, members = _freeze(tiny_plan, carriers)
    repo.record_decision(record, members, actor=LEADER)
    assert repo.approved_elsewhere("2027-06-01", "2027-11-30").to_dict() == {
        "C-F1": 1,
        "C-R202": 1,
    }
    # The same carriers proposed again for another window: refused, nothing stored.
    other = {**record, "batch": 2, "window_start": "2026-12-01", "window_end": "2027-05-31"}
    with pytest.raises(DecisionError, match=r"2 carrier\(s\) .* another approved batch: C-F1"):
        repo.record_decision(other, members, actor=LEADER)
    assert len(repo.decisions(actor=SYSTEM)) == 1
    # Returned, the first batch frees them.
    back, members2 = _freeze(tiny_plan, carriers, decision="returned", comment="重排")
    repo.record_decision(back, members2, actor=LEADER)
    assert repo.record_decision(other, members, actor=LEADER) > 0


def test_a_window_over_on_the_plans_date_cannot_be_approved(repo, tiny_plan, carriers):
    record, members = _freeze(tiny_plan, carriers)
    late = {**record, "as_of": "2026-12-15"}  # batch 1 ended on 2026-11-30
    with pytest.raises(DecisionError, match="ended before the plan's date 2026-12-15"):
        repo.record_decision(late, members, actor=LEADER)
    assert repo.decisions(actor=SYSTEM).empty
