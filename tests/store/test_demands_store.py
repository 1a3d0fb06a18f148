"""The demand list in the store: validated, transactional, audited writes (SQLite and PostGIS)."""

from __future__ import annotations

import pytest

from access.permissions import PermissionDenied
from spaces.changes import ConflictError, UndoError
from spaces.demands import DemandError, build_demands
from store.repository import SYSTEM, Actor
from tests.factories import TRACKS, demand_frame
from tests.store.test_audit import ALICE, PLANNER
from words.inventory import conflict_message

ANN = Actor("ann")


def test_add_and_load_round_trip(repo):
    before = repo.revision()
    repo.add_demands(demand_frame(), actor=PLANNER)
    back = repo.load_demands(actor=SYSTEM)
    expected = build_demands(demand_frame(), tracks=TRACKS)
    assert back.drop(columns="version").equals(expected)
    assert (back.version == 1).all()
    assert repo.revision() == before + 1


def test_add_refuses_existing_ids_and_writes_nothing(repo):
    repo.add_demands(demand_frame(), actor=PLANNER)
    revision = repo.revision()
    with pytest.raises(DemandError, match="D0001"):
        repo.add_demands(demand_frame().iloc[:1], actor=PLANNER)
    assert len(repo.load_demands(actor=SYSTEM)) == 3
    assert repo.revision() == revision


def test_invalid_rows_leave_the_store_unchanged(repo):
    repo.add_demands(demand_frame(), actor=PLANNER)
    bad = demand_frame(demand_id=["D0010", "D0011", "D0012"], home_city=["x", "hefei", "ningbo"])
    with pytest.raises(DemandError) as e:
        repo.import_demands(bad, actor=PLANNER)
    assert e.value.issues[0].record_id == "D0010"
    assert len(repo.load_demands(actor=SYSTEM)) == 3


def test_update_bumps_version_and_detects_stale_edits(repo):
    repo.add_demands(demand_frame(), actor=PLANNER)
    mine = repo.load_demands(actor=SYSTEM)
    theirs = repo.load_demands(actor=SYSTEM)
    mine.loc["D0002", "status"] = "matched"
    repo.update_demands(mine.loc[["D0002"]], actor=PLANNER)
    back = repo.load_demands(actor=SYSTEM)
    assert back.loc["D0002", "status"] == "matched"
    assert back.loc["D0002", "version"] == 2
    assert back.loc["D0001", "version"] == 1
    theirs.loc["D0002", "status"] = "closed"
    with pytest.raises(ConflictError) as e:
        repo.update_demands(theirs.loc[["D0002"]], actor=ANN)
    (conflict,) = e.value.conflicts
    assert (conflict.record_id, conflict.expected_version, conflict.current_version) == (
        "D0002",
        1,
        2,
    )
    assert conflict.by[0][0] == "pat" and conflict.changes == {"status": ("open", "matched")}
    assert conflict_message(conflict, "zh").startswith("需求 D0002 在您编辑期间已被 pat")
    assert "需求状态" in conflict_message(conflict, "zh")
    assert repo.load_demands(actor=SYSTEM).loc["D0002", "status"] == "matched"
    assert (
        len(repo.audit_log(actor=SYSTEM, table="demands", record_id="D0002")) == 2
    )  # nothing of ann's


def test_a_demand_deleted_since_it_was_read_is_a_conflict(repo):
    repo.add_demands(demand_frame(), actor=PLANNER)
    mine = repo.load_demands(actor=SYSTEM)
    insert = repo.audit_log(actor=SYSTEM, table="demands", record_id="D0003").iloc[0]
    repo.undo(int(insert.name), actor=ANN)  # ann removes D0003
    mine.loc["D0003", "status"] = "open"
    with pytest.raises(ConflictError, match="demands D0003: version 1 → deleted by ann"):
        repo.update_demands(mine.loc[["D0003"]], actor=PLANNER)
    assert "D0003" not in repo.load_demands(actor=SYSTEM).index


def test_update_of_an_unknown_id_is_refused(repo):
    with pytest.raises(DemandError) as e:
        repo.update_demands(demand_frame().iloc[:1], actor=PLANNER)
    assert e.value.issues[0].code == "unknown_record"


def test_import_adds_and_replaces(repo):
    repo.add_demands(demand_frame().iloc[:2], actor=PLANNER)
    changed = demand_frame(status=["matched", "open", "closed"])
    repo.import_demands(changed, actor=PLANNER)
    back = repo.load_demands(actor=SYSTEM)
    assert back.status.tolist() == ["matched", "open", "closed"]
    # only what differs is written: D0002 is the same as stored and keeps its version
    assert back.version.tolist() == [2, 1, 1]
    log = repo.audit_log(actor=SYSTEM, table="demands")
    assert sorted(zip(log.action, log.record_id, strict=True)) == [
        ("insert", "D0001"),
        ("insert", "D0002"),
        ("insert", "D0003"),
        ("update", "D0001"),
    ]


def test_demand_changes_are_audited_and_can_be_undone(repo):
    repo.add_demands(demand_frame(), actor=PLANNER, note="form")
    mine = repo.load_demands(actor=SYSTEM)
    mine.loc["D0002", ["status", "max_rent_yuan_m2_day"]] = ["matched", 9.5]
    result = repo.update_demands(mine.loc[["D0002"]], actor=ANN)
    assert result.diff.tables["demands"].changed == {"D0002": ("max_rent_yuan_m2_day", "status")}
    entry = repo.audit_log(actor=SYSTEM, table="demands", record_id="D0002").iloc[0]
    assert (entry.actor, entry.action, entry.version) == ("ann", "update", 2)
    assert entry.before["status"] == "open" and entry.after["status"] == "matched"
    assert entry.before["max_rent_yuan_m2_day"] == 8.0
    assert entry.after["max_rent_yuan_m2_day"] == 9.5

    repo.undo(int(entry.name), actor=PLANNER)
    back = repo.load_demands(actor=SYSTEM).loc["D0002"]
    assert back.status == "open" and back.max_rent_yuan_m2_day == 8.0 and back.version == 3
    undo = repo.audit_log(actor=SYSTEM, table="demands", record_id="D0002").iloc[0]
    assert undo.undo_of == entry.name and undo.actor == "pat"

    # undoing an insert deletes the demand; a later change must be undone first
    insert = repo.audit_log(actor=SYSTEM, table="demands", record_id="D0001").iloc[0]
    repo.undo(int(insert.name), actor=PLANNER)
    assert "D0001" not in repo.load_demands(actor=SYSTEM).index
    first = repo.audit_log(actor=SYSTEM, table="demands", record_id="D0002").iloc[-1]
    with pytest.raises(UndoError, match="D0002"):
        repo.undo(int(first.name), actor=PLANNER)


def test_a_demand_write_that_changes_nothing_audits_nothing(repo):
    repo.add_demands(demand_frame(), actor=PLANNER)
    count = len(repo.audit_log(actor=SYSTEM, table="demands"))
    result = repo.update_demands(repo.load_demands(actor=SYSTEM), actor=PLANNER)
    assert result.diff.is_empty()
    assert len(repo.audit_log(actor=SYSTEM, table="demands")) == count
    assert (repo.load_demands(actor=SYSTEM).version == 1).all()


def test_seeding_demands_fills_an_empty_list_once_with_one_audit_entry(repo):
    assert repo.seed_demands(demand_frame(), meta={"sample_demands": "1"})
    assert (
        len(repo.load_demands(actor=SYSTEM)) == 3
        and (repo.load_demands(actor=SYSTEM).version == 1).all()
    )
    assert repo.get_meta("sample_demands") == "1"
    (entry,) = repo.audit_log(actor=SYSTEM).itertuples()
    assert (entry.table_name, entry.record_id, entry.actor) == ("*", "seed-demands", "system")
    assert entry.after["counts"] == {"demands": 3}
    # a second seeding (another process, or a list already kept by planners) writes nothing
    assert not repo.seed_demands(
        demand_frame(demand_id=["D0007", "D0008", "D0009"]), meta={"sample_demands": "1"}
    )
    assert list(repo.load_demands(actor=SYSTEM).index) == ["D0001", "D0002", "D0003"]
    assert len(repo.audit_log(actor=SYSTEM)) == 1


@pytest.mark.parametrize("write", ["add_demands", "update_demands", "import_demands"])
def test_a_steward_may_not_write_the_demand_list(repo, write):
    """Issue 9: `import_demands` accepted a steward's actor; the list is planners' and leaders'."""
    repo.add_demands(demand_frame().iloc[:1], actor=PLANNER)
    revision, log = repo.revision(), len(repo.audit_log(actor=SYSTEM))
    rows = demand_frame().iloc[1:] if write == "add_demands" else demand_frame().iloc[:1]
    with pytest.raises(PermissionDenied) as err:
        getattr(repo, write)(rows.assign(contact="steward@example.com"), actor=ALICE)
    assert (err.value.code, err.value.action, err.value.role) == ("role", "edit.demands", "steward")
    assert repo.revision() == revision and len(repo.audit_log(actor=SYSTEM)) == log
    assert list(repo.load_demands(actor=SYSTEM).index) == ["D0001"]


def test_a_steward_may_not_undo_a_planners_demand_change(repo):
    repo.add_demands(demand_frame(), actor=PLANNER)
    mine = repo.load_demands(actor=SYSTEM)
    mine.loc["D0002", "status"] = "matched"
    repo.update_demands(mine.loc[["D0002"]], actor=PLANNER)
    entry = repo.audit_log(actor=SYSTEM, table="demands", record_id="D0002").iloc[0]
    assert entry.record_unit is None  # a demand belongs to no unit
    assert not repo.may_undo(ALICE, "demands", entry.record_unit)
    revision = repo.revision()
    with pytest.raises(PermissionDenied, match=r"edit\.demands: role 'steward'"):
        repo.undo(int(entry.name), actor=ALICE)
    assert repo.revision() == revision
    assert repo.load_demands(actor=SYSTEM).at["D0002", "status"] == "matched"
    assert repo.may_undo(PLANNER, "demands", entry.record_unit)


@pytest.mark.parametrize("role", ["public", "steward", "admin"])
def test_only_planners_and_leaders_read_the_demand_list(repo, role):
    repo.add_demands(demand_frame(), actor=PLANNER)
    with pytest.raises(PermissionDenied, match=r"view\.demands"):
        repo.load_demands(actor=Actor("x", role=role, unit="xinhong"))
    assert repo.count_demands() == 3  # a count is no record
    assert len(repo.load_demands(actor=Actor("w", role="leader"))) == 3
