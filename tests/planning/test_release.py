"""Release windows and batches on the tiny inventory, worked out by hand, and on the sample."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pandas as pd
import pytest

from planning.approval import freeze
from planning.release import add_months, plan, totals, windows
from spaces.rollup import carrier_table
from spaces.validation import build_inventory
from tests.factories import TRACKS, UNITS, tiny_frames
from words.release import explain, member_reasons, placement_reasons

AS_OF = "2026-11-30"


def _plan(carriers, inv, layers, policy, as_of=AS_OF):
    return plan(
        carriers,
        inv.service_teams,
        policy.carrier_facts(carriers, layers),
        policy=policy,
        as_of=as_of,
    )


def test_six_half_year_windows_from_june_2026(policy):
    w = windows(policy, "2026-11-30")
    assert [(x.number, x.start, x.end) for x in w] == [
        (1, date(2026, 6, 1), date(2026, 11, 30)),
        (2, date(2026, 12, 1), date(2027, 5, 31)),
        (3, date(2027, 6, 1), date(2027, 11, 30)),
        (4, date(2027, 12, 1), date(2028, 5, 31)),
        (5, date(2028, 6, 1), date(2028, 11, 30)),
        (6, date(2028, 12, 1), date(2029, 5, 31)),
    ]
    assert w[0].opens == date(2026, 11, 30)  # the window under way opens today
    assert w[1].opens == date(2026, 12, 1)
    assert all(x.open for x in w)
    later = windows(policy, "2027-07-15")
    assert [x.open for x in later] == [False, False, True, True, True, True]
    assert later[2].opens == date(2027, 7, 15)
    assert later[0].opens == date(2026, 6, 1)  # a closed window does not open after its end


def test_cadence_that_does_not_divide_the_trial(policy):
    w = windows(policy.with_changes(cadence_months=8), "2026-06-01")
    assert len(w) == 5
    assert w[-1].start == date(2029, 2, 1) and w[-1].end == date(2029, 5, 31)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_tiny_plan_by_hand(carriers, inv, layers, policy):
    p = _plan(carriers, inv, layers, policy)
    a = p.assignments
    # Ready now with scores 92.2 and 87.1 (≥ 60): batch 1, released from today.
    assert a.loc[["C-F1", "C-R202"], "batch"].tolist() == [1, 1]
    assert a.loc["C-F1", "reason"] == "ready"
    assert a.loc[["C-F1", "C-R202"], "rank"].tolist() == [1, 2]
    assert (a.loc[["C-F1", "C-R202"], "released_on"] == pd.Timestamp(AS_OF)).all()
    # Room 201 is leased, floor 3 reserved for a named prospect: held, in no batch.
    assert (a.loc["C-R201", "outcome"], a.loc["C-R201", "reason"]) == ("held", "already_let")
    assert (a.loc["C-F3", "outcome"], a.loc["C-F3", "reason"]) == ("held", "reserved")
    assert a.loc[["C-R201", "C-F3"], "batch"].isna().all()
    # The reserve plot: team in place 2027-01-01, land ready 2027-06-30, scored on each
    # window's last day: 41.4 in window 2, 76.4 in window 3, which it goes in, released from
    # the day its land is ready (not from the window's first day, when it is not).
    hub = 25 * 0.15 * (1 - p.readiness.facts.loc["C-P2", "hub_m"] / 8000)
    assert p.window_scores.loc["C-P2"].tolist() == pytest.approx(
        [31 + hub, 41 + hub, 76 + hub, 76 + hub, 76 + hub, 76 + hub]
    )
    assert a.loc["C-P2", "batch"] == 3
    assert a.loc["C-P2", "gates_window"] == 3
    assert a.loc["C-P2", "eligible_on"] == pd.Timestamp("2027-06-30")
    assert a.loc["C-P2", "released_on"] == pd.Timestamp("2027-06-30")
    assert a.loc["C-P2", "window_start"] == pd.Timestamp("2027-06-01")
    assert p.usage.loc[1].to_dict() == {"nanhongqiao": 0, "huacao": 0, "xinhong": 2}


def test_reserved_space_is_held_unless_the_policy_releases_it(carriers, inv, layers, policy):
    """Regression: a carrier reserved for a prospect went into batch 1 and its totals."""
    p = _plan(carriers, inv, layers, policy)
    assert "C-F3" not in p.batch(1).index
    first = totals(p, carriers, by="tier")
    assert first[first.batch == 1]["count"].sum() == 2
    reason = placement_reasons(p, lang="zh", ids=["C-F3"]).iloc[0]
    assert "已预留给无锡示例药业" in reason and "保留空间" in reason
    en = placement_reasons(p, lang="en", ids=["C-F3"]).iloc[0]
    assert en.startswith("Reserved for 无锡示例药业: held space")
    q = _plan(carriers, inv, layers, _releasing_reserved(policy))
    assert q.assignments.loc["C-F3", "batch"] == 1
    assert q.assignments.loc["C-R201", "reason"] == "already_let"  # leased: never released


def test_a_carrier_ready_inside_the_last_window_goes_in_it(inv, layers, policy):
    """Regression: land ready 2029-01-15, inside the last window (2028-12-01 – 2029-05-31),
    was labelled "gates pass after the trial" and never released: windows were judged on
    their first day only."""
    frames = tiny_frames()
    frames["plots"].loc[1, "land_ready_planned"] = "2029-01-15"
    inv2 = build_inventory(frames, units=UNITS, tracks=TRACKS)
    carriers = carrier_table(inv2)
    p = _plan(carriers, inv2, layers, policy)
    a = p.assignments.loc["C-P2"]
    assert (a["batch"], a["reason"]) == (6, "ready")
    assert a["released_on"] == pd.Timestamp("2029-01-15")
    zh = placement_reasons(p, lang="zh", ids=["C-P2"]).iloc[0]
    assert "第6批" in zh and "2029-01-15 起可释放" in zh
    en = placement_reasons(p, lang="en", ids=["C-P2"]).iloc[0]
    assert "releasable from 2029-01-15" in en
    e = explain(p.readiness_for(6), "C-P2", lang="en")
    land = e.gates.set_index("gate").loc["land"]
    assert land["passes"]
    assert land["text"] == "passes as planned on 2029-01-15 (no actual date yet)"
    # One day after the trial, it is after the trial, and said so.
    frames["plots"].loc[1, "land_ready_planned"] = "2029-06-01"
    inv3 = build_inventory(frames, units=UNITS, tracks=TRACKS)
    late = _plan(carrier_table(inv3), inv3, layers, policy)
    assert late.assignments.loc["C-P2", "reason"] == "gate_after_trial"
    assert "2029-05-31" in placement_reasons(late, lang="en", ids=["C-P2"]).iloc[0]


def test_equal_scores_are_ordered_by_carrier_id(inv, layers, policy):
    """Regression: equal-score carriers kept input order in `Plan.batch`, and an approval
    froze that order as each member's position."""
    frames = tiny_frames()
    inv2 = build_inventory(frames, units=UNITS, tracks=TRACKS)
    carriers = carrier_table(inv2)
    twin = carriers.loc[["C-F1"]].rename(index={"C-F1": "C-A0"})
    table = pd.concat([carriers, twin])  # the twin comes last in the input
    table.index.name = "carrier_id"
    p = _plan(table, inv2, layers, policy)
    batch = p.batch(1)
    assert batch.loc["C-A0", "score"] == batch.loc["C-F1", "score"]
    assert batch.index.tolist()[:2] == ["C-A0", "C-F1"]
    assert p.assignments.loc[["C-A0", "C-F1"], "rank"].tolist() == [1, 2]
    _, members = freeze(
        p,
        1,
        table,
        reasons=member_reasons,
        decision="approved",
        comment="",
        decided_at=datetime(2026, 11, 30, tzinfo=UTC),
    )
    assert members.set_index("carrier_id").loc[["C-A0", "C-F1"], "position"].tolist() == [1, 2]


def _releasing_reserved(policy):
    return dataclasses.replace(
        policy, release=dataclasses.replace(policy.release, release_reserved=True)
    )


def test_capacity_moves_the_overflow_on_highest_score_first(carriers, inv, layers, policy):
    tight = _releasing_reserved(policy).with_changes(capacity={"xinhong": 1})
    a = _plan(carriers, inv, layers, tight).assignments
    assert a.loc[["C-F1", "C-R202", "C-F3"], "batch"].tolist() == [1, 2, 3]
    assert a.loc[["C-R202", "C-F3"], "reason"].tolist() == ["waited_capacity"] * 2
    assert a.loc[["C-R202", "C-F3"], "first_eligible"].tolist() == [1, 1]
    assert a.loc["C-F3", "released_on"] == pd.Timestamp("2027-06-01")
    none = _plan(carriers, inv, layers, policy.with_changes(capacity={"xinhong": 0}))
    assert none.assignments.loc["C-F1", "reason"] == "capacity_full"
    assert none.assignments.loc["C-F1", "outcome"] == "not_releasable"


def test_threshold_and_gates_give_reasons(carriers, inv, layers, policy):
    releasing = _releasing_reserved(policy)
    high = _plan(carriers, inv, layers, releasing.with_changes(threshold=80))
    assert high.assignments.loc["C-F3", "reason"] == "below_threshold"
    assert high.assignments.loc["C-P2", "reason"] == "below_threshold"  # 76.4 < 80
    assert high.assignments.loc["C-P2", "score"] == pytest.approx(
        high.window_scores.loc["C-P2", 6]  # the highest it reaches: on the trial's last day
    )
    gated = _plan(carriers, inv, layers, releasing.with_changes(gates=("team_in_place",)))
    assert gated.assignments.loc["C-F3", "reason"] == "gate_no_date"
    late = _plan(carriers, inv, layers, policy, as_of="2029-06-01")
    assert set(late.assignments.reason) == {"trial_over", "already_let", "reserved"}


def test_gates_after_the_trial(inv, layers, policy):
    frames = tiny_frames()
    frames["plots"].loc[1, "land_ready_planned"] = "2029-09-30"
    inv2 = build_inventory(frames, units=UNITS, tracks=TRACKS)
    carriers = carrier_table(inv2)
    p = plan(
        carriers,
        inv2.service_teams,
        policy.carrier_facts(carriers, layers),
        policy=policy,
        as_of=AS_OF,
    )
    assert p.assignments.loc["C-P2", "reason"] == "gate_after_trial"
    text = placement_reasons(p, lang="zh", ids=["C-P2"]).iloc[0]
    assert "2029-09-30" in text and "净地交付" in text


def test_totals_by_attribute(carriers, inv, layers, policy):
    p = _plan(carriers, inv, layers, policy)
    by_tier = totals(p, carriers, by="tier")
    first = by_tier[by_tier.batch == 1].set_index("tier")
    assert first["count"].to_dict() == {"floor": 1, "room": 1}
    assert first.loc["floor", "area_m2"] == pytest.approx(1000.0)
    assert first.loc["room", "area_m2"] == pytest.approx(500.0)
    by_unit = totals(p, carriers, by="responsible_unit").set_index(["batch", "responsible_unit"])
    assert by_unit.loc[(3, "huacao"), "count"] == 1
    with pytest.raises(ValueError, match="by must be"):
        totals(p, carriers, by="colour")


def test_sample_plan_is_plausible(sample_plan, policy):
    a = sample_plan.assignments
    released = a[a.outcome == "released"]
    assert released.batch.nunique() >= 4  # spread across the trial
    assert (a.reason == "already_let").sum() > 100
    assert (a.reason == "reserved").sum() > 10
    assert (a.loc[a.reason == "reserved", "outcome"] == "held").all()
    for unit, cap in policy.capacity_of().items():
        assert (sample_plan.usage[unit] <= cap).all()
    assert (released.score >= policy.threshold).all()
    texts = placement_reasons(sample_plan, lang="zh")
    assert texts.str.len().gt(0).all()
    assert sample_plan.fingerprint() == sample_plan.fingerprint()
