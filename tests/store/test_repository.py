"""The repository on SQLite and PostGIS: round trips, transactions and refusal of bad data."""

from __future__ import annotations

import geopandas.testing
import pandas as pd
import pytest

from spaces.validation import InventoryError, coerce_frames
from store.repository import SYSTEM, Repository
from tests.factories import tiny_frames


def test_new_store_is_empty(repo):
    assert repo.is_empty()
    assert all(n == 0 for n in repo.load_inventory().counts().values())
    assert repo.revision() == 0


def test_inventory_round_trip(repo, inv):
    repo.replace_inventory(inv, actor=SYSTEM)
    back = repo.load_inventory()
    for name, df in inv.tables().items():
        got = back.tables()[name].drop(columns=["version"])
        if name in ("plots", "buildings"):
            geopandas.testing.assert_geodataframe_equal(got, df, check_like=True)
        else:
            pd.testing.assert_frame_equal(got, df, check_like=True)
    assert (back.carriers.version == 1).all()
    assert repo.revision() == 1


def test_replace_writes_only_differences(repo, inv):
    repo.replace_inventory(inv, actor=SYSTEM)
    frames = tiny_frames()
    frames["floors"].loc[2, "power_kva"] = 250.0
    typed, problems = coerce_frames(frames)
    assert problems == []
    result = repo.replace_inventory(typed, actor=SYSTEM)
    assert result.diff.records().to_dict("records") == [
        {"table": "floors", "record": "B1-3", "action": "update", "fields": "power_kva"}
    ]
    back = repo.load_inventory()
    assert back.floors.version.to_dict() == {"B1-1": 1, "B1-2": 1, "B1-3": 2}


def test_invalid_inventory_changes_nothing(repo, inv):
    repo.replace_inventory(inv, actor=SYSTEM)
    frames = tiny_frames()
    frames["rooms"].loc[0, "usable_area_m2"] = 900.0  # rooms now exceed their floor
    typed, problems = coerce_frames(frames)
    assert problems == []
    revision = repo.revision()
    with pytest.raises(InventoryError, match="rooms_exceed_floor"):
        repo.replace_inventory(typed, actor=SYSTEM)
    assert repo.load_inventory().rooms.loc["B1-2-01", "usable_area_m2"] == 400.0
    assert repo.revision() == revision


def test_failed_write_rolls_back(repo, inv, monkeypatch):
    repo.replace_inventory(inv, actor=SYSTEM)
    frames = tiny_frames()
    frames["floors"]["power_kva"] = 500.0
    frames["rooms"]["usable_area_m2"] = 300.0
    typed, _ = coerce_frames(frames)
    from store import records

    real_update = records.update_rows

    def failing_update(conn, table, df, id_name, expected):
        if table.name == "rooms":
            raise OSError("disk full")
        real_update(conn, table, df, id_name, expected)

    monkeypatch.setattr(records, "update_rows", failing_update)
    before = repo.revision()
    with pytest.raises(OSError, match="disk full"):
        repo.replace_inventory(typed, actor=SYSTEM)
    monkeypatch.undo()
    back = repo.load_inventory()
    assert (back.floors.power_kva != 500.0).all()
    assert repo.revision() == before
    assert len(repo.audit_log(actor=SYSTEM)) == sum(inv.counts().values())


def test_meta(repo):
    assert repo.get_meta("sample") is None
    repo.set_meta("sample", "1")
    repo.set_meta("sample", "2")
    assert repo.get_meta("sample") == "2"
    with pytest.raises(ValueError, match="revision"):
        repo.set_meta("revision", "7")


def test_seed_only_fills_an_empty_store(repo, inv):
    from geodata.layers import base_layers

    layers = base_layers()
    assert repo.seed(inv, layers, meta={"sample": "1"}) is True
    assert repo.seed(inv, layers, meta={"sample": "2"}) is False
    assert repo.get_meta("sample") == "1"
    assert len(repo.load_layers()) == len(layers)


def test_two_repositories_on_one_database_see_each_others_writes(store_url, inv):
    from tests.factories import TRACKS, UNITS

    a = Repository.connect(store_url, units=UNITS, tracks=TRACKS)
    b = Repository.connect(store_url, units=UNITS, tracks=TRACKS)
    try:
        a.replace_inventory(inv, actor=SYSTEM)
        assert b.revision() == a.revision() == 1
        assert b.load_inventory().counts() == inv.counts()
    finally:
        a.engine.dispose()
        b.engine.dispose()
