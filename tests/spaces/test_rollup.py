"""Carrier roll-ups and stacking plans on the tiny inventory."""

from __future__ import annotations

import pandas as pd
import pytest

from spaces.rollup import building_specs, carrier_table, carrier_units, stacking_plan
from spaces.validation import build_inventory
from tests.factories import TRACKS, UNITS, tiny_frames


@pytest.fixture
def inv():
    return build_inventory(tiny_frames(), units=UNITS, tracks=TRACKS)


def test_each_tier_inherits_area_and_specs(inv):
    t = carrier_table(inv)
    assert t.loc["C-R201", "usable_area_m2"] == 400.0
    assert t.loc["C-F1", "usable_area_m2"] == 1000.0
    # a room has its floor's specifications
    assert t.loc["C-R201", "floor_load_kn_m2"] == 3.0
    assert t.loc["C-F1", "clear_height_m"] == 4.5
    assert bool(t.loc["C-F1", "exhaust"]) is True
    # a plot has its area in square metres: 0.003° x 0.002° at 31.24°N ≈ 285.5 m x 221.9 m
    assert 62_500 < t.loc["C-P2", "usable_area_m2"] < 64_000
    assert pd.isna(t.loc["C-P2", "floor_load_kn_m2"])


def test_parents_names_and_building_facts(inv):
    t = carrier_table(inv)
    assert t.loc["C-R202", "building_id"] == "B1"
    assert t.loc["C-R202", "floor_id"] == "B1-2"
    assert t.loc["C-R202", "plot_id"] == "P1"
    assert t.loc["C-R202", "name"] == "示例大厦 2F 202"
    assert t.loc["C-F3", "name"] == "示例大厦 3F"
    assert t.loc["C-P2", "name"] == "前湾储备地块"
    assert t.loc["C-F1", "construction_progress"] == 1.0
    assert t.loc["C-F1", "responsible_unit"] == "xinhong"
    assert t.loc["C-P2", "responsible_unit"] == "huacao"
    assert t.loc["C-P2", "land_ready_planned"] == pd.Timestamp("2027-06-30")
    assert t.crs.to_epsg() == 4326
    assert t.geometry.notna().all()
    assert t.geometry.contains(
        t.set_geometry(pd.Series(t.geometry.representative_point(), index=t.index)).geometry
    ).all()


def test_carrier_units_match_table(inv):
    assert carrier_units(inv).to_dict() == carrier_table(inv).responsible_unit.to_dict()


def test_building_specs_take_the_best_floor(inv):
    spec = building_specs(inv).loc["B1"]
    assert spec.floors == 3
    assert spec.usable_area_m2 == 3000.0
    assert spec.floor_load_kn_m2 == 5.0
    assert spec.power_kva == 500.0
    assert spec.clean_room_iso == 8


def test_stacking_plan_top_to_bottom(inv):
    plan = stacking_plan(inv, "B1")
    assert plan.level.tolist() == [3, 2, 1]
    assert plan.label.tolist() == ["3F", "2F", "1F"]
    assert plan.offer.tolist() == ["floor", "rooms", "floor"]
    assert plan.status.tolist()[0] == "reserved"
    rooms = plan.loc[plan.level == 2, "rooms"].iloc[0]
    assert [(r["number"], r["status"]) for r in rooms] == [("201", "leased"), ("202", "available")]


def test_stacking_plan_unknown_building(inv):
    with pytest.raises(KeyError, match="B404"):
        stacking_plan(inv, "B404")
