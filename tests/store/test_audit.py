"""Edits with optimistic locking, the append-only audit log, undo and stewards' scope."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from access.permissions import PermissionDenied
from spaces.changes import ConflictError, Edit, StaleError, UndoError
from spaces.validation import InventoryError
from store.repository import SYSTEM, Actor
from tests.factories import BUILDING, demand_frame
from words.inventory import conflict_message

ALICE = Actor("alice", role="steward", unit="xinhong")
BOB = Actor("bob", role="steward", unit="xinhong")
HUACAO = Actor("hua", role="steward", unit="huacao")
PLANNER = Actor("pat")
LEADER = Actor("wang", role="leader")


@pytest.fixture
def stored(repo, inv):
    repo.replace_inventory(inv, actor=SYSTEM)
    return repo


def test_every_change_is_audited_with_before_and_after(stored):
    stored.apply_edits(
        [Edit("floors", "B1-2", {"power_kva": 180, "exhaust": "是"}, expected_version=1)],
        actor=ALICE,
        note="form",
    )
    entry = stored.audit_log(actor=SYSTEM, table="floors").iloc[0]
    assert (entry.actor, entry.unit, entry.action, entry.record_id) == (
        "alice",
        "xinhong",
        "update",
        "B1-2",
    )
    assert entry.before["power_kva"] == 100.0 and entry.after["power_kva"] == 180.0
    assert entry.before["exhaust"] is False and entry.after["exhaust"] is True
    assert entry.version == 2 and entry.note == "form"
    assert entry.fields == "exhaust, power_kva"
    assert stored.load_inventory().floors.at["B1-2", "version"] == 2


def test_every_entry_names_the_account_behind_it(stored):
    li = Actor("李四", role="steward", unit="xinhong", account="li4")
    stored.apply_edits([Edit("floors", "B1-2", {"power_kva": 180}, expected_version=1)], actor=li)
    entry = stored.audit_log(actor=SYSTEM, table="floors").iloc[0]
    assert (entry.actor, entry.account, entry.unit) == ("李四", "li4", "xinhong")
    assert (
        stored.audit_log(actor=SYSTEM, table="carriers").account.isna().all()
    )  # the system has none


def test_second_editor_is_told_of_the_conflict_and_loses_nothing(stored):
    stored.apply_edits(
        [Edit("floors", "B1-2", {"power_kva": 180}, expected_version=1)], actor=ALICE
    )
    mine = {"clear_height_m": 3.3, "power_kva": 200}
    with pytest.raises(ConflictError) as err:
        stored.apply_edits([Edit("floors", "B1-2", mine, expected_version=1)], actor=BOB)
    (conflict,) = err.value.conflicts
    assert conflict.by[0][0] == "alice"
    assert conflict.changes == {"power_kva": (100.0, 180.0)}
    assert conflict.yours == mine
    assert (conflict.expected_version, conflict.current_version) == (1, 2)
    assert "alice" in conflict_message(conflict, "zh")
    assert "power_kva" in conflict_message(conflict, "en")
    floors = stored.load_inventory().floors
    assert floors.at["B1-2", "power_kva"] == 180.0  # nothing of bob's was written
    # Bob re-applies his input on the current version: both changes are kept.
    stored.apply_edits([Edit("floors", "B1-2", mine, expected_version=2)], actor=BOB)
    floors = stored.load_inventory().floors
    assert floors.at["B1-2", "clear_height_m"] == 3.3 and floors.at["B1-2", "version"] == 3


def test_deleted_record_is_a_conflict(stored):
    stored.apply_edits(
        [
            Edit("carriers", "C-R202", None, expected_version=1),
            Edit("rooms", "B1-2-02", None, expected_version=1),
        ],
        actor=ALICE,
    )
    with pytest.raises(ConflictError, match="deleted by alice"):
        stored.apply_edits(
            [Edit("rooms", "B1-2-02", {"number": "203"}, expected_version=1)], actor=BOB
        )


def test_invalid_edit_writes_nothing(stored):
    revision = stored.revision()
    with pytest.raises(InventoryError, match="rooms_exceed_floor"):
        stored.apply_edits(
            [Edit("rooms", "B1-2-01", {"usable_area_m2": 900}, expected_version=1)], actor=ALICE
        )
    with pytest.raises(InventoryError, match=r"bad_type.*kind='float'"):
        stored.apply_edits(
            [Edit("rooms", "B1-2-01", {"usable_area_m2": "很大"}, expected_version=1)],
            actor=ALICE,
        )
    assert stored.revision() == revision
    assert len(stored.audit_log(actor=SYSTEM, table="rooms")) == 2


def test_undo_restores_and_is_audited(stored):
    stored.apply_edits(
        [Edit("floors", "B1-3", {"usable_area_m2": 1100}, expected_version=1)], actor=ALICE
    )
    change = int(stored.audit_log(actor=SYSTEM, table="floors").index[0])
    stored.undo(change, actor=BOB)
    floors = stored.load_inventory().floors
    assert floors.at["B1-3", "usable_area_m2"] == 1000.0 and floors.at["B1-3", "version"] == 3
    undo = stored.audit_log(actor=SYSTEM, table="floors").iloc[0]
    assert (undo.actor, undo.undo_of, undo.fields) == ("bob", change, "usable_area_m2")
    with pytest.raises(UndoError, match=r"changed again by bob"):
        stored.undo(change, actor=ALICE)


def test_undo_of_insert_and_delete(stored):
    stored.apply_edits(
        [Edit("rooms", "B1-2-03", {"floor_id": "B1-2", "number": "203", "usable_area_m2": 50})],
        actor=ALICE,
    )
    insert = int(stored.audit_log(actor=SYSTEM, record_id="B1-2-03").index[0])
    stored.undo(insert, actor=ALICE)
    assert "B1-2-03" not in stored.load_inventory().rooms.index
    delete = int(stored.audit_log(actor=SYSTEM, record_id="B1-2-03").index[0])
    stored.undo(delete, actor=ALICE)  # the undo of the undo brings it back
    rooms = stored.load_inventory().rooms
    assert rooms.at["B1-2-03", "number"] == "203"
    assert rooms.at["B1-2-03", "version"] == 2  # a new incarnation never reuses version 1


def test_undo_that_would_break_the_inventory_is_refused(stored):
    stored.apply_edits(
        [
            Edit(
                "floors",
                "B1-4",
                {
                    "building_id": "B1",
                    "level": 4,
                    "usable_area_m2": 800,
                    "floor_load_kn_m2": 3,
                    "clear_height_m": 3,
                    "exhaust": False,
                    "wet_lab_drainage": False,
                    "power_kva": 50,
                },
            )
        ],
        actor=ALICE,
    )
    floor_insert = int(stored.audit_log(actor=SYSTEM, record_id="B1-4").index[0])
    stored.apply_edits(
        [Edit("rooms", "B1-4-01", {"floor_id": "B1-4", "number": "401", "usable_area_m2": 80})],
        actor=ALICE,
    )
    with pytest.raises(InventoryError, match=r"unknown_ref.*ref='floors'"):
        stored.undo(floor_insert, actor=ALICE)
    assert "B1-4" in stored.load_inventory().floors.index


def test_steward_changes_only_their_units_records(stored):
    """The permission table refuses, naming the record's unit (one rule: the table's)."""
    revision = stored.revision()
    with pytest.raises(PermissionDenied) as err:
        stored.apply_edits(
            [Edit("service_teams", "T-HC", {"capacity": 31}, expected_version=1)], actor=ALICE
        )
    e = err.value
    assert (e.code, e.action, e.unit, e.owner) == ("unit", "edit.inventory", "xinhong", "huacao")
    with pytest.raises(PermissionDenied, match="a record of 'xinhong'"):
        stored.apply_edits(  # a carrier of a xinhong building, seen from huacao
            [Edit("carriers", "C-F1", {"rent_yuan_m2_day": 5.0}, expected_version=1)],
            actor=HUACAO,
        )
    # Moving a building away is refused by the permission table before it is validated
    with pytest.raises(PermissionDenied, match="a record of 'huacao'"):
        stored.apply_edits(
            [Edit("buildings", "B1", {"responsible_unit": "huacao"}, expected_version=1)],
            actor=ALICE,
        )
    assert (
        stored.revision() == revision and len(stored.audit_log(actor=SYSTEM)) == 15
    )  # the inventory's
    stored.apply_edits(
        [Edit("service_teams", "T-HC", {"capacity": 31}, expected_version=1)], actor=PLANNER
    )
    assert stored.load_inventory().service_teams.at["T-HC", "capacity"] == 31


def test_each_entry_keeps_the_unit_of_its_record(stored):
    stored.apply_edits(
        [
            Edit("floors", "B1-2", {"power_kva": 180}, expected_version=1),
            Edit("service_teams", "T-HC", {"capacity": 31}, expected_version=1),
        ],
        actor=PLANNER,
    )
    log = (
        stored.audit_log(actor=SYSTEM).drop_duplicates("record_id").set_index("record_id")
    )  # latest
    assert (log.at["B1-2", "record_unit"], log.at["T-HC", "record_unit"]) == ("xinhong", "huacao")
    assert log.at["C-P2", "record_unit"] == "huacao"  # a carrier: its plot's unit
    stored.apply_edits(  # moved to another unit: the entry is the new unit's
        [
            Edit("carriers", "C-P2", {"service_team_id": None}, expected_version=1),
            Edit("service_teams", "T-HC", {"responsible_unit": "nanhongqiao"}, expected_version=2),
        ],
        actor=PLANNER,
    )
    assert stored.audit_log(actor=SYSTEM, record_id="T-HC").record_unit.tolist()[:2] == [
        "nanhongqiao",
        "huacao",
    ]


def test_a_steward_undoes_changes_of_their_own_units_records_only(stored):
    stored.apply_edits(  # a planner changes a record of each unit
        [
            Edit("floors", "B1-2", {"power_kva": 180}, expected_version=1),
            Edit("service_teams", "T-HC", {"capacity": 31}, expected_version=1),
        ],
        actor=PLANNER,
    )
    own = int(stored.audit_log(actor=SYSTEM, record_id="B1-2").index[0])
    other = int(stored.audit_log(actor=SYSTEM, record_id="T-HC").index[0])
    assert not stored.may_undo(ALICE, "service_teams", "huacao")
    revision = stored.revision()
    with pytest.raises(PermissionDenied) as err:
        stored.undo(other, actor=ALICE)
    assert (err.value.code, err.value.action, err.value.owner) == (
        "unit",
        "edit.inventory",
        "huacao",
    )
    assert stored.revision() == revision
    assert stored.load_inventory().service_teams.at["T-HC", "capacity"] == 31
    assert stored.may_undo(ALICE, "floors", "xinhong")
    stored.undo(own, actor=ALICE)  # a planner's change of her own unit's floor
    assert stored.load_inventory().floors.at["B1-2", "power_kva"] == 100.0


def test_geometry_edits_round_trip_through_the_audit(stored):
    moved = box(121.3166, 31.1906, 121.3173, 31.1913)
    stored.apply_edits(
        [Edit("buildings", "B1", {"geometry": moved}, expected_version=1)], actor=ALICE
    )
    entry = stored.audit_log(actor=SYSTEM, table="buildings").iloc[0]
    assert entry.fields == "geometry" and entry.after["geometry"]["type"] == "Polygon"
    stored.undo(int(entry.name), actor=ALICE)
    assert stored.load_inventory().buildings.geometry["B1"].equals_exact(BUILDING, 1e-12)
    assert stored.audit_log(actor=SYSTEM, table="buildings").iloc[0].undo_of == entry.name


def test_commit_refuses_a_stale_preview(stored, inv):
    revision = stored.revision()
    stored.apply_edits(
        [Edit("floors", "B1-3", {"power_kva": 120}, expected_version=1)], actor=PLANNER
    )
    with pytest.raises(StaleError, match="changed since the preview"):
        stored.commit(inv, actor=PLANNER, expected_revision=revision)
    assert stored.load_inventory().floors.at["B1-3", "power_kva"] == 120.0


def test_audit_filters(stored):
    stored.apply_edits(
        [Edit("floors", "B1-3", {"power_kva": 120}, expected_version=1)], actor=ALICE
    )
    assert set(stored.audit_log(actor=SYSTEM, by="alice").record_id) == {"B1-3"}
    assert len(stored.audit_log(actor=SYSTEM, table="carriers")) == 5
    assert stored.audit_log(actor=SYSTEM, record_id="nope").empty
    first = stored.audit_log(actor=SYSTEM).changed_at.min()
    assert len(stored.audit_log(actor=SYSTEM, since=first)) == len(stored.audit_log(actor=SYSTEM))


def test_undo_of_a_layer_change_restores_the_feature(repo):
    from geodata.layers import base_layers

    layers = base_layers()
    repo.replace_layers(layers, actor=PLANNER)
    fid = layers.index[0]
    renamed = layers.copy()
    renamed.loc[fid, "name_zh"] = "改名"
    repo.replace_layers(renamed, actor=PLANNER)
    change = repo.audit_log(actor=SYSTEM, table="layer_features", record_id=fid).iloc[0]
    assert change.fields == "name_zh"
    with pytest.raises(PermissionDenied, match=r"replace\.layers: role 'steward'"):
        repo.undo(int(change.name), actor=ALICE)  # stewards never change layers
    repo.undo(int(change.name), actor=PLANNER)
    assert repo.load_layers().at[fid, "name_zh"] == layers.at[fid, "name_zh"]
    undo = repo.audit_log(actor=SYSTEM, table="layer_features", record_id=fid).iloc[0]
    assert (undo.undo_of, undo.version) == (change.name, 3)


def test_a_steward_reads_the_audit_entries_of_their_own_units_records_only(stored):
    """Issue 9: a steward read every unit's entries, and the demand list's contacts, in full."""
    stored.add_demands(demand_frame().assign(contact="13800000000"), actor=PLANNER)
    stored.apply_edits(
        [
            Edit("floors", "B1-2", {"power_kva": 180}, expected_version=1),
            Edit("service_teams", "T-HC", {"capacity": 31}, expected_version=1),
        ],
        actor=PLANNER,
    )
    everything = stored.audit_log(actor=PLANNER)
    assert {"demands", "floors", "service_teams"} <= set(everything.table_name)
    assert stored.audit_log(actor=LEADER).index.tolist() == everything.index.tolist()

    mine = stored.audit_log(actor=ALICE)
    assert "demands" not in set(mine.table_name)  # no contacts of enterprises
    assert set(mine.record_unit) == {"xinhong"}
    assert "T-HC" not in set(mine.record_id) and "B1-2" in set(mine.record_id)
    assert not any("13800000000" in str(e) for e in mine.after)
    assert set(stored.audit_log(actor=HUACAO).record_unit) == {"huacao"}
    assert stored.audit_log(actor=ALICE, table="demands").empty
    with pytest.raises(PermissionDenied, match=r"view\.audit: role 'public'"):
        stored.audit_log(actor=Actor("", role="public"))
