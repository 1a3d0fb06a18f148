"""Release windows and batches on the tiny inventory, worked out by hand, and on the sample."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from planning.explain import placement_reasons
from planning.release import add_months, plan, totals, windows

AS_OF = "2026-11-30"


def _plan(carriers, inv, layers, policy, as_of=AS_OF):
    return plan(carriers, inv.service_teams, layers, policy=policy, as_of=as_of)


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
    assert w[0].evaluated == date(2026, 11, 30)  # the window under way: judged as of today
    assert w[1].evaluated == date(2026, 12, 1)
    assert all(x.open for x in w)
    later = windows(policy, "2027-07-15")
    assert [x.open for x in later] == [False, False, True, True, True, True]
    assert later[2].evaluated == date(2027, 7, 15)


def test_cadence_that_does_not_divide_the_trial(policy):
    w = windows(policy.with_changes(cadence_months=8), "2026-06-01")
    assert len(w) == 5
    assert w[-1].start == date(2029, 2, 1) and w[-1].end == date(2029, 5, 31)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_tiny_plan_by_hand(carriers, inv, layers, policy):
    p = _plan(carriers, inv, layers, policy)
    a = p.assignments
    # Ready now with scores 91.75, 86.675 and 66.675 (≥ 60): batch 1.
    assert a.loc[["C-F1", "C-R202", "C-F3"], "batch"].tolist() == [1, 1, 1]
    assert a.loc["C-F1", "reason"] == "ready"
    assert a.loc[["C-F1", "C-R202", "C-F3"], "rank"].tolist() == [1, 2, 3]
    # Room 201 is leased: already let, in no batch.
    assert (a.loc["C-R201", "outcome"], a.loc["C-R201", "reason"]) == ("already_let", "already_let")
    assert pd.isna(a.loc["C-R201", "batch"])
    # The reserve plot: team in place 2027-01-01, land ready 2027-06-30: score 76 on
    # 2027-12-01, the first window after its land readiness.
    assert p.window_scores.loc["C-P2"].tolist() == pytest.approx([31, 31, 41, 76, 76, 76])
    assert a.loc["C-P2", "batch"] == 4
    assert a.loc["C-P2", "gates_window"] == 4
    assert a.loc["C-P2", "window_start"] == pd.Timestamp("2027-12-01")
    assert p.usage.loc[1].to_dict() == {"nanhongqiao": 0, "huacao": 0, "xinhong": 3}


def test_capacity_moves_the_overflow_on_highest_score_first(carriers, inv, layers, policy):
    tight = policy.with_changes(capacity={"xinhong": 1})
    a = _plan(carriers, inv, layers, tight).assignments
    assert a.loc[["C-F1", "C-R202", "C-F3"], "batch"].tolist() == [1, 2, 3]
    assert a.loc[["C-R202", "C-F3"], "reason"].tolist() == ["waited_capacity"] * 2
    assert a.loc[["C-R202", "C-F3"], "first_eligible"].tolist() == [1, 1]
    none = _plan(carriers, inv, layers, policy.with_changes(capacity={"xinhong": 0}))
    assert none.assignments.loc["C-F1", "reason"] == "capacity_full"
    assert none.assignments.loc["C-F1", "outcome"] == "not_releasable"


def test_threshold_and_gates_give_reasons(carriers, inv, layers, policy):
    high = _plan(carriers, inv, layers, policy.with_changes(threshold=80))
    assert high.assignments.loc["C-F3", "reason"] == "below_threshold"
    assert high.assignments.loc["C-P2", "reason"] == "below_threshold"  # 76 < 80
    gated = _plan(carriers, inv, layers, policy.with_changes(gates=("team_in_place",)))
    assert gated.assignments.loc["C-F3", "reason"] == "gate_no_date"
    late = _plan(carriers, inv, layers, policy, as_of="2029-06-01")
    assert set(late.assignments.reason) == {"trial_over", "already_let"}


def test_gates_after_the_trial(inv, layers, policy):
    from spaces.rollup import carrier_table
    from spaces.validation import build_inventory
    from tests.factories import TRACKS, UNITS, tiny_frames

    frames = tiny_frames()
    frames["plots"].loc[1, "land_ready_planned"] = "2029-09-30"
    inv2 = build_inventory(frames, units=UNITS, tracks=TRACKS)
    carriers = carrier_table(inv2)
    p = plan(carriers, inv2.service_teams, layers, policy=policy, as_of=AS_OF)
    assert p.assignments.loc["C-P2", "reason"] == "gate_after_trial"
    text = placement_reasons(p, lang="zh", ids=["C-P2"]).iloc[0]
    assert "2029-09-30" in text and "净地交付" in text


def test_totals_by_attribute(carriers, inv, layers, policy):
    p = _plan(carriers, inv, layers, policy)
    by_tier = totals(p, carriers, by="tier")
    first = by_tier[by_tier.batch == 1].set_index("tier")
    assert first["count"].to_dict() == {"floor": 2, "room": 1}
    assert first.loc["floor", "area_m2"] == pytest.approx(2000.0)
    assert first.loc["room", "area_m2"] == pytest.approx(500.0)
    by_unit = totals(p, carriers, by="responsible_unit").set_index(["batch", "responsible_unit"])
    assert by_unit.loc[(4, "huacao"), "count"] == 1
    with pytest.raises(ValueError, match="by must be"):
        totals(p, carriers, by="colour")


def test_sample_plan_is_plausible(sample_plan, policy):
    a = sample_plan.assignments
    released = a[a.outcome == "released"]
    assert released.batch.nunique() >= 4  # spread across the trial
    assert (a.outcome == "already_let").sum() > 100
    for unit, cap in policy.capacity_of().items():
        assert (sample_plan.usage[unit] <= cap).all()
    assert (released.score >= policy.threshold).all()
    texts = placement_reasons(sample_plan, lang="zh")
    assert texts.str.len().gt(0).all()
    assert sample_plan.fingerprint() == sample_plan.fingerprint()
