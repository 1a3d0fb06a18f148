"""Saved column mappings on SQLite and PostGIS: saved per unit, found by headers, audited."""

from __future__ import annotations

import pytest

from access.permissions import SYSTEM, Actor, PermissionDenied
from geodata.layers import base_layers
from spaces.mapping import FLAT, Mapping, SheetMapping

STEWARD = Actor("李四", role="steward", unit="xinhong", account="li4")
OTHER = Actor("王五", role="steward", unit="huacao", account="wang5")
PLANNER = Actor("张三", role="planner", account="zhang3")
MAY = Mapping(
    (SheetMapping("5月", FLAT, {"楼宇名称": "buildings.name", "层高": "floors.clear_height_m"}),),
    {"status": {"可租": "available"}},
)
JUNE = Mapping(
    (SheetMapping("6月", FLAT, {"楼宇": "buildings.name", "层高": None}),),
    {"status": {"可租": "available", "意向": "reserved"}},
)


def test_a_profile_is_saved_per_unit_found_by_its_headers_and_audited(repo, inv):
    repo.seed(inv, base_layers(), meta={})
    saved = repo.save_mapping_profile("月度台账", MAY, actor=STEWARD)
    assert (saved.unit, saved.version) == ("xinhong", 1)
    found = repo.mapping_profiles(actor=STEWARD, signature=MAY.signature)
    assert [(p.name, p.mapping) for p in found] == [("月度台账", MAY)]
    assert repo.mapping_profiles(actor=OTHER, signature=MAY.signature) == ()  # not huacao's
    assert repo.mapping_profiles(actor=STEWARD, signature=JUNE.signature) == ()

    again = repo.save_mapping_profile("月度台账", JUNE, actor=STEWARD)
    assert again.version == 2
    assert [p.mapping for p in repo.mapping_profiles(actor=PLANNER, unit="xinhong")] == [JUNE]

    log = repo.audit_log(actor=SYSTEM, table="mapping_profiles", limit=None)
    assert list(log.action) == ["update", "insert"]
    assert set(log.record_id) == {"xinhong/月度台账"}
    assert set(log.record_unit) == {"xinhong"} and set(log.account) == {"li4"}
    newest = log.iloc[0]
    assert newest.before["mapping"]["sheets"][0]["columns"]["楼宇名称"] == "buildings.name"
    assert newest.after["signature"] == JUNE.signature
    mine = repo.audit_log(actor=STEWARD, table="mapping_profiles", limit=None)
    assert len(mine) == 2  # a steward sees their own unit's saves


def test_a_steward_cannot_save_another_units_profile_and_nothing_is_written(repo, inv):
    repo.seed(inv, base_layers(), meta={})
    revision = repo.revision()
    with pytest.raises(PermissionDenied):
        repo.save_mapping_profile("台账", MAY, actor=STEWARD, unit="huacao")
    assert repo.revision() == revision
    assert repo.mapping_profiles(actor=PLANNER) == ()
    assert repo.save_mapping_profile("台账", MAY, actor=PLANNER, unit="huacao").unit == "huacao"


def test_a_profile_needs_a_name_and_a_unit(repo):
    with pytest.raises(ValueError, match="name"):
        repo.save_mapping_profile("  ", MAY, actor=STEWARD)
    with pytest.raises(ValueError, match="unit"):
        repo.save_mapping_profile("台账", MAY, actor=PLANNER)
