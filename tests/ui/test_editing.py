"""The pure helpers of the edit and audit pages."""

from __future__ import annotations

import pandas as pd

from access.permissions import Actor
from spaces.changes import Conflict, Edit
from spaces.validation import build_inventory
from tests.factories import TRACKS, UNITS, tiny_frames
from ui.editing import (
    audit_frame,
    before_after,
    conflict_frame,
    editor_frame,
    edits_from_editor,
    in_scope,
    rebase,
)

INV = build_inventory(tiny_frames(), units=UNITS, tracks=TRACKS)


def _versioned():
    tables = {
        n: df.assign(version=pd.array([1] * len(df), dtype="Int64"))
        for n, df in INV.tables().items()
    }
    return type(INV).from_frames(tables)


def _steward(unit: str) -> Actor:
    return Actor("s", role="steward", unit=unit)


def test_scope_follows_buildings_and_plots():
    assert list(in_scope(INV, "floors", _steward("xinhong"))) == ["B1-1", "B1-2", "B1-3"]
    assert list(in_scope(INV, "floors", _steward("huacao"))) == []
    assert list(in_scope(INV, "carriers", _steward("huacao"))) == ["C-P2"]
    assert len(in_scope(INV, "carriers", Actor("p", role="planner", unit="huacao"))) == 5
    assert len(in_scope(INV, "carriers", Actor("l", role="leader"))) == 0  # may not edit


def test_edits_from_the_editor_state():
    base = editor_frame(_versioned(), "rooms", _steward("xinhong"))
    assert base.columns.tolist() == ["room_id", "floor_id", "number", "usable_area_m2", "version"]
    state = {
        "edited_rows": {"0": {"usable_area_m2": 380}, 1: {"room_id": "X"}},
        "added_rows": [
            {"room_id": "B1-2-03", "floor_id": "B1-2", "number": "", "usable_area_m2": 20}
        ],
        "deleted_rows": [],
    }
    edits, problems = edits_from_editor(base, state, "rooms", lang="en")
    assert edits == [
        Edit("rooms", "B1-2-01", {"usable_area_m2": 380}, 1),
        Edit("rooms", "B1-2-03", {"floor_id": "B1-2", "number": None, "usable_area_m2": 20}, None),
    ]
    assert problems == ["The id of B1-2-02 cannot be changed; add a new row for a new record."]
    edits, _ = edits_from_editor(base, {"deleted_rows": [1]}, "rooms")
    assert edits == [Edit("rooms", "B1-2-02", None, 1)]


def test_rebase_takes_the_current_versions():
    inv = _versioned()
    edits = [Edit("rooms", "B1-2-01", {"number": "2A"}, 0), Edit("rooms", "gone", None, 3)]
    assert rebase(edits, inv) == [Edit("rooms", "B1-2-01", {"number": "2A"}, 1)]


def test_conflict_and_audit_tables():
    c = Conflict(
        "floors",
        "B1-2",
        1,
        2,
        (("alice", "2026-06-01 09:00 UTC"),),
        {"power_kva": (100.0, 180.0)},
        {"power_kva": 200.0, "clear_height_m": 3.3},
    )
    frame = conflict_frame(c, lang="zh")
    assert frame.values.tolist() == [
        ["供电容量", "100.0", "180.0", "200.0"],
        ["净高", "—", "—", "3.3"],
    ]
    log = pd.DataFrame(
        {
            "changed_at": pd.to_datetime(["2026-06-01T01:00:00Z"]),
            "actor": ["alice"],
            "unit": ["xinhong"],
            "action": ["update"],
            "table_name": ["floors"],
            "record_id": ["B1-2"],
            "fields": ["power_kva"],
            "undo_of": [None],
            "note": ["form"],
        },
        index=pd.Index([7], name="audit_id"),
    )
    row = audit_frame(log, lang="zh").iloc[0].tolist()
    assert row == [
        7,
        "2026-06-01 09:00",
        "alice",
        "xinhong",
        "修改",
        "楼层",
        "B1-2",
        "供电容量",
        "form",
    ]
    signed_in = audit_frame(log.assign(account=["alice.w"]), lang="en").iloc[0]
    assert signed_in["Who"] == "alice (alice.w)"  # the display name and the account's login
    late = log.assign(changed_at=pd.to_datetime(["2026-12-01T17:30:00Z"]))
    assert audit_frame(late, lang="zh").iloc[0]["时间（北京时间）"] == "2026-12-02 01:30"
    others = log.assign(unit=[None], table_name=["demands"], record_id=["D0001"], fields=["status"])
    others = pd.concat([others, log.assign(table_name=["layer_features"])])
    frame = audit_frame(others, lang="zh")
    assert frame["单位"].tolist() == ["", "xinhong"]
    assert frame["表"].tolist() == ["需求", "基础图层"]
    assert frame["修改的字段"].tolist()[0] == "需求状态"
    assert audit_frame(others, lang="en")["Table"].tolist() == ["Demands", "Base layers"]
    entry = {
        "table_name": "floors",
        "before": {"power_kva": 100.0, "level": 2},
        "after": {"power_kva": 180.0, "level": 2},
    }
    assert before_after(entry, lang="en").values.tolist() == [
        ["Power", "100.0", "180.0", True],
        ["Level", "2", "2", False],
    ]


def test_before_after_in_words():
    from services.context import vocabs_for
    from settings import load_settings

    entry = {
        "table_name": "buildings",
        "before": {"kind": "office", "approximate": True, "responsible_unit": "xinhong"},
        "after": {"kind": "self_built", "approximate": False, "responsible_unit": "xinhong"},
    }
    rows = before_after(entry, lang="zh", vocabs=vocabs_for(load_settings(env={}))).values.tolist()
    assert rows == [
        ["载体类型", "商务楼宇", "拿地企业自建载体", True],
        ["位置为示意", "是", "否", True],
        ["责任单位", "新虹街道", "新虹街道", False],
    ]
