"""Each carrier explains itself in Chinese and English: components, facts, gates, placement."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planning.readiness import score
from planning.release import plan
from words.release import explain, placement_reasons, score_one_decimal

AS_OF = "2026-11-30"


@pytest.fixture
def readiness(carriers, inv, layers, policy):
    return score(
        carriers,
        inv.service_teams,
        policy.carrier_facts(carriers, layers),
        policy=policy,
        as_of=AS_OF,
    )


@pytest.fixture
def tiny_plan(carriers, inv, layers, policy):
    return plan(
        carriers,
        inv.service_teams,
        policy.carrier_facts(carriers, layers),
        policy=policy,
        as_of=AS_OF,
    )


def test_components_carry_weights_points_and_facts(readiness, carriers):
    zh = explain(readiness, "C-F1", lang="zh", carriers=carriers)
    assert zh.score == pytest.approx(92.21875)
    rows = zh.components.set_index("component")
    assert rows.weight.to_dict() == pytest.approx(
        {"construction": 0.35, "facilities": 0.2, "service_team": 0.2, "industry_fit": 0.25}
    )
    assert rows.points.sum() == pytest.approx(92.21875)
    assert rows.loc["construction", "label"] == "载体建设"
    assert "竣工验收 2025-06-01（实际）" in rows.loc["construction", "facts"]
    assert "配套设施进度 90%" in rows.loc["facilities", "facts"]
    assert "T-XH" in rows.loc["service_team", "facts"]
    assert "已到位" in rows.loc["service_team", "facts"]
    assert "服务载体 3 个，能力 50 个" in rows.loc["service_team", "facts"]
    fit = rows.loc["industry_fit", "facts"]
    for fact in ("生物医药", "载体指定", "规格满足 100%", "优先级 1", "距上海虹桥站 3.0 km"):
        assert fact in fit
    assert "示例站 0.5 km" in fit
    assert zh.summary.startswith("2026-11-30 成熟度 92.2")
    en = explain(readiness, "C-F1", lang="en", carriers=carriers)
    assert en.components.label.tolist() == [
        "Construction",
        "Supporting facilities",
        "Service team",
        "Industry fit",
    ]
    assert "acceptance 2025-06-01 (actual)" in en.components.facts[0]
    assert "3.0 km from Hongqiao Railway Station" in en.components.facts[3]


def test_unmet_specs_and_best_fit_are_named(readiness, carriers):
    e = explain(readiness, "C-R202", lang="en", carriers=carriers)
    fit = e.components.set_index("component").loc["industry_fit", "facts"]
    assert "none set: best fit" in fit
    assert "floor load 3/5 kN/m²" in fit
    assert "lab exhaust" in fit and "wet-lab drainage" in fit


def test_failing_gate_says_when_it_passes(readiness):
    zh = explain(readiness, "C-P2", lang="zh")
    gates = zh.gates.set_index("gate")
    assert not gates.loc["land", "passes"]
    assert str(gates.loc["land", "expected"]) == "2027-06-30"
    assert gates.loc["land", "text"] == "未通过；预计通过：2027-06-30（计划）"
    assert gates.loc["acceptance", "text"] == "不适用"
    assert "未通过：净地交付" in zh.summary
    team = zh.components.set_index("component").loc["service_team", "facts"]
    assert "组建中" in team and "预计 2027-01-01 到位" in team
    en = explain(readiness, "C-P2", lang="en")
    assert en.gates.set_index("gate").loc["land", "text"] == (
        "not yet; expected to pass: 2027-06-30 (planned)"
    )
    assert "plot: land ready 2027-06-30 (planned)" in en.components.facts[0]


def test_placement_reasons_in_both_languages(tiny_plan):
    zh = placement_reasons(tiny_plan, lang="zh")
    en = placement_reasons(tiny_plan, lang="en")
    assert zh["C-F1"] == (
        "第1批（2026-06-01–2026-11-30）：2026-11-30 起可释放，闸门于 2025-06-01 通过，"
        "批次末日成熟度 92.2 ≥ 阈值 60；新虹街道本批第 1 位，能力 100 个"
    )
    assert en["C-F1"].startswith(
        "Batch 1 (2026-06-01 – 2026-11-30): releasable from 2026-11-30, gates pass on 2025-06-01"
    )
    assert zh["C-R201"] == "已出租，不再释放"
    assert en["C-R201"] == "Already let: not released again"
    assert zh["C-F3"] == "已预留给无锡示例药业（保留空间），不纳入批次"
    assert "第3批（2027-06-01–2027-11-30）：2027-06-30 起可释放" in zh["C-P2"]
    assert "闸门第3批已通过" not in zh["C-P2"]
    assert (zh.str.len() > 0).all() and (en.str.len() > 0).all()
    with pytest.raises(ValueError, match="lang must be"):
        placement_reasons(tiny_plan, lang="fr")


def test_unknown_carrier(readiness):
    with pytest.raises(KeyError, match="unknown carrier"):
        explain(readiness, "nope", lang="zh")


def test_scores_are_cut_not_rounded_next_to_a_threshold():
    """QA: a score of 59.97 read "highest 60.0, below the threshold of 60"."""
    scores = pd.Series([59.97, 60.0, 92.21875, 87.14375, float("nan")])
    assert score_one_decimal(scores).tolist()[:4] == [59.9, 60.0, 92.2, 87.1]
    assert np.isnan(score_one_decimal(scores).iloc[4])
