"""Scenarios: policies changed as a leader would, and what moved between two plans."""

from __future__ import annotations

import pytest

from planning.policy import Policy, PolicyError
from planning.release import plan
from planning.scenario import compare
from words.release import move_reasons

AS_OF = "2026-11-30"


def _plan(carriers, inv, layers, policy):
    return plan(
        carriers,
        inv.service_teams,
        policy.carrier_facts(carriers, layers),
        policy=policy,
        as_of=AS_OF,
    )


def test_weights_are_normalised_and_validated(policy):
    p = policy.with_changes(weights={"construction": 2, "facilities": 1, "service_team": 1})
    w = p.weights
    assert sum(w.values()) == pytest.approx(1.0)
    # industry_fit keeps its current 0.25 before normalising: 2 + 1 + 1 + 0.25.
    assert w["construction"] == pytest.approx(2 / 4.25)
    with pytest.raises(PolicyError, match="all zero"):
        policy.with_changes(weights=dict.fromkeys(w, 0))
    with pytest.raises(PolicyError, match="unknown component"):
        policy.with_changes(weights={"luck": 1})
    with pytest.raises(PolicyError, match=r"release\.cadence_months = 0"):
        policy.with_changes(cadence_months=0)
    with pytest.raises(PolicyError, match="unknown gate"):
        policy.with_changes(gates=("fire",))
    with pytest.raises(PolicyError, match="capacity: unknown unit"):
        policy.with_changes(capacity={"nowhere": 3})


def test_policy_round_trips_through_json(policy):
    changed = policy.with_changes(threshold=72.5, cadence_months=4, gates=("team_in_place",))
    again = Policy.from_dict(changed.to_dict())
    assert again == changed
    assert again.key() == changed.key()
    assert changed.key() != policy.key()
    with pytest.raises(PolicyError, match="not a stored policy"):
        Policy.from_dict({"readiness": {}})


def test_no_change_no_moves(carriers, inv, layers, open_policy):
    policy = open_policy
    a = _plan(carriers, inv, layers, policy)
    c = compare(a, _plan(carriers, inv, layers, policy))
    assert c.moves.empty
    assert (c.summary["change"] == 0).all()
    assert c.summary.loc["released", "a"] == 4


def test_threshold_change_moves_carriers_out_with_reasons(carriers, inv, layers, open_policy):
    policy = open_policy
    a = _plan(carriers, inv, layers, policy)
    b = _plan(carriers, inv, layers, policy.with_changes(threshold=80))
    c = compare(a, b)
    # 67.1 (C-F3) and 76.4 (C-P2) no longer clear 80.
    assert sorted(c.moves.index) == ["C-F3", "C-P2"]
    assert set(c.moves.direction) == {"out"}
    assert c.moved["out"] == 2
    assert c.summary.loc["released", "change"] == -2
    assert c.summary.loc["released_area_m2", "change"] == pytest.approx(
        -(1000.0 + carriers.loc["C-P2", "usable_area_m2"])
    )
    zh = move_reasons(c, lang="zh")
    assert zh["C-F3"] == (
        "第1批（2026-06–2026-11） → 不释放；成熟度 67.1；阈值 60 → 80；"
        "可释放起 2026-11-30 → —；成熟即释放 → 成熟度未达阈值"
    )
    en = move_reasons(c, lang="en")
    assert en["C-P2"].startswith("batch 3 (2027-06–2027-11) → not released; readiness 76.3;")
    assert "threshold 60 → 80" in en["C-P2"]


def test_capacity_and_weights_move_carriers_later_and_earlier(carriers, inv, layers, open_policy):
    policy = open_policy
    tight = policy.with_changes(capacity={"xinhong": 1})
    a = _plan(carriers, inv, layers, tight)
    # Industry fit alone, threshold 50: C-F1 scores 76.9, C-R202 and C-F3 56.6 each.
    fit_only = {"construction": 0, "facilities": 0, "service_team": 0}
    b = _plan(carriers, inv, layers, tight.with_changes(weights=fit_only, threshold=50))
    c = compare(a, b)
    # Under fit alone C-F3 (0.566) ties C-R202 (0.566): id order puts C-F3 first, to batch 2.
    assert c.moves.loc["C-F3", "direction"] == "earlier"
    assert c.moves.loc["C-R202", "direction"] == "later"
    assert (c.moves.loc["C-F3", "from_batch"], c.moves.loc["C-F3", "to_batch"]) == (3, 2)
    why = move_reasons(c, lang="zh")["C-R202"]
    assert "第2批（2026-12–2027-05） → 第3批（2027-06–2027-11）" in why
    assert "成熟度 87.1 → 56.5" in why
    assert "因服务能力顺延" in why


def test_cadence_change_compares_by_release_date(carriers, inv, layers, open_policy):
    tight = open_policy.with_changes(capacity={"xinhong": 1})
    a = _plan(carriers, inv, layers, tight)
    b = _plan(carriers, inv, layers, tight.with_changes(cadence_months=3))
    c = compare(a, b)
    # Released on the same day in both plans: not a move, whatever the batch numbers. The
    # plot is released when its land is ready, 2027-06-30, in batch 3 of 6 or 5 of 12.
    assert "C-F1" not in c.moves.index and "C-P2" not in c.moves.index
    assert (a.assignments.loc["C-P2", "batch"], b.assignments.loc["C-P2", "batch"]) == (3, 5)
    # Floor 3 waits two windows for the unit's capacity: from 2027-06-01, or 2027-03-01.
    assert c.moves.loc["C-F3", "direction"] == "earlier"
    assert "批次间隔 6 → 3 个月" in move_reasons(c, lang="zh")["C-F3"]
    assert len(c.windows_b) == 12 and len(c.windows_a) == 6


def test_compare_refuses_unrelated_plans(carriers, inv, layers, policy):
    a = _plan(carriers, inv, layers, policy)
    other = plan(
        carriers,
        inv.service_teams,
        policy.carrier_facts(carriers, layers),
        policy=policy,
        as_of="2027-01-01",
    )
    with pytest.raises(ValueError, match="different dates"):
        compare(a, other)
    fewer = plan(
        carriers.iloc[:3],
        inv.service_teams,
        policy.carrier_facts(carriers.iloc[:3], layers),
        policy=policy,
        as_of=AS_OF,
    )
    with pytest.raises(ValueError, match="different carriers"):
        compare(a, fewer)
