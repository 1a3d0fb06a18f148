"""The carrier map coloured by release batch or readiness (issue 3)."""

from __future__ import annotations

import pytest

from planning.release import plan
from settings import MapSettings
from spaces.rollup import carrier_table
from spaces.validation import build_inventory
from tests.factories import TRACKS, UNITS, tiny_frames
from tests.planning.conftest import hand_layers
from ui.mapview import BATCH_COLORS, READINESS_COLORS, carrier_features, carrier_map, palette

from .test_mapview import compact_layers, render


@pytest.fixture(scope="module")
def planned():
    from planning.policy import Policy
    from settings import load_settings

    inv = build_inventory(tiny_frames(), units=UNITS, tracks=TRACKS)
    carriers = carrier_table(inv)
    layers = hand_layers(carriers)
    policy = Policy.from_settings(load_settings(env={}))
    facts = policy.carrier_facts(carriers, layers)
    p = plan(carriers, inv.service_teams, facts, policy=policy, as_of="2026-11-30")
    joined = carriers.join(p.assignments[["batch", "outcome"]]).assign(readiness=p.readiness.score)
    return inv, joined


def test_building_takes_its_earliest_batch(planned):
    inv, carriers = planned
    f = carrier_features(inv, carriers, color_by="batch")
    assert f.loc["B1", "category"] == "batch_1"  # C-F1, C-R202 in batch 1 (C-F3 is reserved)
    assert f.loc["P2", "category"] == "batch_3"  # the reserve plot, from its land-ready day
    assert f.loc["P1", "category"] == "none"
    assert palette(f)["batch_1"] == BATCH_COLORS[0]
    assert palette(f)["batch_3"] == BATCH_COLORS[2]
    let = carriers.assign(batch=carriers.batch.where(carriers.index == "x"), outcome="held")
    assert carrier_features(inv, let, color_by="batch").loc["B1", "category"] == "held"


def test_readiness_band_of_the_most_ready_carrier(planned):
    inv, carriers = planned
    f = carrier_features(inv, carriers, color_by="readiness")
    assert f.loc["B1", "category"] == "r80"  # C-F1 scores 92.2
    assert f.loc["P2", "category"] == "r0"  # 31.4 as of 2026-11-30
    assert palette(f) == READINESS_COLORS


def test_map_legend_for_batches(planned):
    inv, carriers = planned
    from geodata.layers import base_layers

    f = carrier_features(inv, carriers, color_by="batch")
    page = render(carrier_map(f, base_layers(), lang="zh", map_settings=MapSettings()))
    assert "图例 · 释放批次" in page
    assert "第1批" in page and "第3批" in page
    buildings = [p for p in compact_layers(page) if "hq-building" in str(p)]
    assert buildings
    en = render(carrier_map(f, base_layers(), lang="en", map_settings=MapSettings()))
    assert "Legend · Release batch" in en and "Batch 3" in en


def test_plan_columns_are_required(planned):
    inv, carriers = planned
    with pytest.raises(ValueError, match="needs the carrier column"):
        carrier_features(inv, carriers.drop(columns=["batch"]), color_by="batch")
    with pytest.raises(ValueError, match="color_by must be one of"):
        carrier_features(inv, carriers, color_by="colour")
