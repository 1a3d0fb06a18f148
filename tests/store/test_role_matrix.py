"""The role matrix: every role × every store action, on SQLite and PostGIS.

Each row is an action of the store (a write or a read of what is not for everyone), each
column a role; "+" means the store does it, "-" that it refuses with `PermissionDenied` and
writes nothing (the revision, the audit log and the decisions as they were). The steward is
a steward of unit A (新虹街道, ``xinhong``); "other unit" is 华漕镇 (``huacao``). The
expectations are checked against `access.permissions.allowed` as well, cell by cell, so that
the permission table and the store cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd
import pytest

from access.permissions import ACTIONS, NO_UNIT, SYSTEM, Actor, PermissionDenied, allowed
from geodata.layers import base_layers
from spaces.changes import Edit
from spaces.mapping import FLAT, Mapping, SheetMapping
from spaces.validation import build_inventory
from store.repository import Repository
from tests.factories import TRACKS, UNITS, demand_frame, tiny_frames

A, OTHER = "xinhong", "huacao"

ACTORS = {
    "public": Actor("", role="public"),
    "steward": Actor("李四", role="steward", unit=A, account="li4"),
    "planner": Actor("张三", role="planner", account="zhang3"),
    "leader": Actor("王局长", role="leader", account="wang"),
    "admin": Actor("管理员", role="admin", account="root"),
}

MATRIX = """
                                public  steward  planner  leader  admin
edit inventory, own unit          -        +        +        -      -
edit inventory, other unit        -        -        +        -      -
import inventory, own unit        -        +        +        -      -
import inventory, other unit      -        -        +        -      -
replace layers                    -        -        +        -      -
add demands                       -        -        +        +      -
update demands                    -        -        +        +      -
import demands                    -        -        +        +      -
record a decision                 -        -        -        +      -
undo, own unit                    -        +        +        -      -
undo, other unit                  -        -        +        -      -
undo, demand change               -        -        +        -      -
undo, layer change                -        -        +        -      -
remove sample                     -        -        +        -      -
save mapping, own unit            -        +        +        -      -
save mapping, other unit          -        -        +        -      -
read demands                      -        -        +        +      -
read audit                        -        +        +        +      +
read decision history             -        -        +        +      -
add an account                    -        -        -        -      +
read the accounts                 -        -        -        -      +
"""
"""The role matrix as the store must keep it, read like the permission table."""


def _parse(table: str) -> dict[str, dict[str, bool]]:
    header, *lines = [line for line in table.strip("\n").splitlines() if line.strip()]
    roles = header.split()
    out = {}
    for line in lines:
        name, marks = line[:32].strip(), line[32:].split()
        assert len(marks) == len(roles) and set(marks) <= {"+", "-"}, line
        out[name] = dict(zip(roles, (m == "+" for m in marks), strict=True))
    return out


EXPECTED = _parse(MATRIX)


# --- the store's actions --------------------------------------------------------------------


@cache
def _layers():
    return base_layers()


@cache
def _inventory():
    return build_inventory(tiny_frames(), units=UNITS, tracks=TRACKS)


@dataclass
class World:
    """A store with the tiny inventory (a sample), three demands, base layers and, for the
    undo and audit rows, a planner's change of each kind; ``undo`` names the entries."""

    repo: Repository
    undo: dict[str, int]


PLANNER = ACTORS["planner"]


def _world(repo: Repository, *, changed: bool) -> World:
    repo.seed(_inventory(), _layers(), meta={"sample": "1"})
    repo.seed_demands(demand_frame(), meta={"sample_demands": "1"})
    if not changed:
        return World(repo, {})
    edits = [
        Edit("floors", "B1-3", {"power_kva": 120}, 1),
        Edit("service_teams", "T-HC", {"capacity": 31}, 1),
    ]
    repo.apply_edits(edits, actor=PLANNER)
    demands = repo.load_demands(actor=SYSTEM)
    repo.update_demands(demands.loc[["D0003"]].assign(note="跟进中"), actor=PLANNER)
    renamed = _layers().copy()
    renamed.iloc[0, renamed.columns.get_loc("name_zh")] = "改名"
    repo.replace_layers(renamed, actor=PLANNER)
    repo.add_account("zhao", display_name="赵六", role="planner", actor=SYSTEM)
    log = repo.audit_log(actor=SYSTEM, limit=None)
    first = {t: int(log.index[log.table_name == t][0]) for t in set(log.table_name)}
    undo = {
        "own": first["floors"],
        "other": first["service_teams"],
        "demand": first["demands"],
        "layer": first["layer_features"],
    }
    return World(repo, undo)


def _version(repo: Repository, table: str, rid: str) -> int:
    return int(getattr(repo.load_inventory(), table).at[rid, "version"])


def _edit(table: str, rid: str, values: dict) -> Callable:
    def run(w: World, actor: Actor) -> Any:
        edit = Edit(table, rid, values, _version(w.repo, table, rid))
        return w.repo.apply_edits([edit], actor=actor)

    return run


def _import(table: str, rid: str, column: str, value: Any) -> Callable:
    def run(w: World, actor: Actor) -> Any:
        inv = w.repo.load_inventory()
        frames = {n: df.drop(columns="version") for n, df in inv.tables().items()}
        frames[table].loc[rid, column] = value
        merged = type(inv).from_frames(frames)
        return w.repo.commit(merged, actor=actor, expected_revision=w.repo.revision())

    return run


def _replace_layers(w: World, actor: Actor) -> Any:
    layers = _layers().copy()
    layers.iloc[1, layers.columns.get_loc("name_en")] = "renamed"
    return w.repo.replace_layers(layers, actor=actor)


def _add_demands(w: World, actor: Actor) -> Any:
    return w.repo.add_demands(demand_frame(demand_id=["D0101", "D0102", "D0103"]), actor=actor)


def _update_demands(w: World, actor: Actor) -> Any:
    stored = w.repo.load_demands(actor=SYSTEM)
    return w.repo.update_demands(stored.loc[["D0002"]].assign(status="matched"), actor=actor)


def _import_demands(w: World, actor: Actor) -> Any:
    rows = demand_frame(demand_id=["D0001", "D0002", "D0104"])
    return w.repo.import_demands(rows.assign(contact="换了联系人"), actor=actor, note="d.xlsx")


def _record_decision(w: World, actor: Actor) -> Any:
    record = {
        "batch": 1,
        "window_start": "2026-06-01",
        "window_end": "2026-11-30",
        "evaluated": "2026-11-30",
        "as_of": "2026-11-30",
        "decision": "returned",
        "comment": "请补充配套设施进度",
        "decided_at": "2026-11-30T09:30:00+00:00",
        "policy": "{}",
        "plan_fingerprint": "f",
        "data_revision": w.repo.revision(),
        "members": 1,
        "area_m2": 500.0,
    }
    members = pd.DataFrame({"carrier_id": ["C-F1"], "position": [1], "score": [90.0]})
    return w.repo.record_decision(record, members, actor=actor)


def _undo(which: str) -> Callable:
    def run(w: World, actor: Actor) -> Any:
        return w.repo.undo(w.undo[which], actor=actor)

    return run


def _remove_sample(w: World, actor: Actor) -> Any:
    return w.repo.remove_sample(actor=actor, force=True)


def _save_mapping(unit: str) -> Callable:
    def run(w: World, actor: Actor) -> Any:
        mapping = Mapping((SheetMapping("6月", FLAT, {"楼宇名称": "buildings.name"}),))
        return w.repo.save_mapping_profile("台账", mapping, actor=actor, unit=unit)

    return run


def _read_audit(w: World, actor: Actor) -> Any:
    log = w.repo.audit_log(actor=actor, limit=None)
    if actor.role == "steward":  # their own unit's records only
        assert set(log.record_unit) == {A} and set(log.record_id) == {"B1-3"}
    elif actor.role == "admin":  # the accounts' entries only: no record of the inventory
        assert set(log.table_name) == {"accounts"} and set(log.record_id) == {"zhao"}
    else:
        assert len(log) == len(w.repo.audit_log(actor=SYSTEM, limit=None))
    return log


@dataclass(frozen=True)
class Row:
    """A store action: what it asks the permission table (action, unit of the record) and
    how to take it."""

    asks: tuple[tuple[str, str | None], ...]
    run: Callable[[World, Actor], Any]
    reads: bool = False


ROWS = {
    "edit inventory, own unit": Row(
        (("edit.inventory", A),), _edit("floors", "B1-2", {"power_kva": 150})
    ),
    "edit inventory, other unit": Row(
        (("edit.inventory", OTHER),), _edit("service_teams", "T-HC", {"capacity": 33})
    ),
    "import inventory, own unit": Row(
        (("edit.inventory", A),), _import("floors", "B1-1", "clear_height_m", 5.0)
    ),
    "import inventory, other unit": Row(
        (("edit.inventory", OTHER),), _import("plots", "P2", "far", 2.5)
    ),
    "replace layers": Row((("replace.layers", None),), _replace_layers),
    "add demands": Row((("edit.demands", None),), _add_demands),
    "update demands": Row((("edit.demands", None),), _update_demands),
    "import demands": Row((("edit.demands", None),), _import_demands),
    "record a decision": Row((("decide.batch", None),), _record_decision),
    "undo, own unit": Row((("edit.inventory", A), ("undo", A)), _undo("own")),
    "undo, other unit": Row((("edit.inventory", OTHER), ("undo", OTHER)), _undo("other")),
    "undo, demand change": Row((("edit.demands", NO_UNIT), ("undo", NO_UNIT)), _undo("demand")),
    "undo, layer change": Row((("replace.layers", NO_UNIT), ("undo", NO_UNIT)), _undo("layer")),
    "remove sample": Row((("remove.sample", None),), _remove_sample),
    "save mapping, own unit": Row((("save.mapping", A),), _save_mapping(A)),
    "save mapping, other unit": Row((("save.mapping", OTHER),), _save_mapping(OTHER)),
    "read demands": Row(
        (("view.demands", None),), lambda w, a: w.repo.load_demands(actor=a), reads=True
    ),
    "read audit": Row((("view.audit", None),), _read_audit, reads=True),
    "read decision history": Row(
        (("view.plan", None),), lambda w, a: w.repo.decisions(actor=a), reads=True
    ),
    "add an account": Row(
        (("manage.accounts", None),),
        lambda w, a: w.repo.add_account("qian", display_name="钱七", role="leader", actor=a),
    ),
    "read the accounts": Row(
        (("manage.accounts", None),), lambda w, a: w.repo.accounts(actor=a), reads=True
    ),
}

CELLS = [(row, role) for row in EXPECTED for role in ACTORS]


def test_the_matrix_has_a_row_for_every_store_action_and_a_column_for_every_role():
    assert list(EXPECTED) == list(ROWS)
    assert all(list(cols) == list(ACTORS) for cols in EXPECTED.values())
    taken = {action for row in ROWS.values() for action, _ in row.asks}
    unstored = {"view.finder", "view.map", "view.private", "view.matching", "view.export"}
    assert taken | unstored == set(ACTIONS)


@pytest.mark.parametrize(("row", "role"), CELLS)
def test_the_matrix_is_the_permission_table(row, role):
    """What this test expects of the store is what `access.permissions.allowed` says."""
    actor = ACTORS[role]
    asked = all(allowed(actor, action, unit=unit) for action, unit in ROWS[row].asks)
    assert EXPECTED[row][role] == asked


@pytest.mark.parametrize(("row", "role"), CELLS)
def test_the_store_keeps_the_matrix(store_url, row, role):
    repo = Repository.connect(store_url, units=UNITS, tracks=TRACKS)
    try:
        w = _world(repo, changed=row.startswith(("undo", "read audit")))
        actor = ACTORS[role]
        revision = repo.revision()
        log = repo.audit_log(actor=SYSTEM, limit=None)
        decisions = len(repo.decisions(actor=SYSTEM))
        if EXPECTED[row][role]:
            ROWS[row].run(w, actor)
            if not ROWS[row].reads:
                assert repo.revision() > revision
                after = repo.audit_log(actor=SYSTEM, limit=None)
                new = after.loc[~after.index.isin(log.index)]
                assert (new.account == actor.account).all()  # who did it, every entry
                history = repo.decisions(actor=SYSTEM)
                assert len(new) or len(history) > decisions
                assert (history.account.iloc[: len(history) - decisions] == actor.account).all()
        else:
            with pytest.raises(PermissionDenied):
                ROWS[row].run(w, actor)
            assert repo.revision() == revision
            assert repo.audit_log(actor=SYSTEM, limit=None).index.equals(log.index)
            assert len(repo.decisions(actor=SYSTEM)) == decisions
    finally:
        repo.engine.dispose()
