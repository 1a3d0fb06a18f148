"""The SQLite repository: round trips, transactions and refusal of bad data."""

from __future__ import annotations

import geopandas.testing
import pandas as pd
import pytest

from spaces.validation import InventoryError, build_inventory, coerce_frames
from store.repository import Repository
from tests.factories import TRACKS, UNITS, tiny_frames


@pytest.fixture
def repo(tmp_path):
    return Repository.connect(f"sqlite:///{tmp_path}/db/test.sqlite", units=UNITS, tracks=TRACKS)


@pytest.fixture
def inv():
    return build_inventory(tiny_frames(), units=UNITS, tracks=TRACKS)


def test_new_store_is_empty(repo):
    assert repo.is_empty()
    assert all(n == 0 for n in repo.load_inventory().counts().values())


def test_inventory_round_trip(repo, inv):
    repo.replace_inventory(inv)
    back = repo.load_inventory()
    for name, df in inv.tables().items():
        got = back.tables()[name].drop(columns=["version"])
        if name in ("plots", "buildings"):
            geopandas.testing.assert_geodataframe_equal(got, df, check_like=True)
        else:
            pd.testing.assert_frame_equal(got, df, check_like=True)
    assert (back.carriers.version == 1).all()


def test_invalid_inventory_changes_nothing(repo, inv):
    repo.replace_inventory(inv)
    frames = tiny_frames()
    frames["rooms"].loc[0, "usable_area_m2"] = 900.0  # rooms now exceed their floor
    typed, problems = coerce_frames(frames)
    assert problems == []
    with pytest.raises(InventoryError, match="rooms on this floor"):
        repo.replace_inventory(typed)
    assert repo.load_inventory().rooms.loc["B1-2-01", "usable_area_m2"] == 400.0


def test_failed_write_rolls_back(repo, inv, monkeypatch):
    repo.replace_inventory(inv)
    from store import repository

    calls = {"n": 0}
    real_insert = repository._insert

    def failing_insert(conn, table, df, id_name):
        calls["n"] += 1
        if table.name == "rooms":
            raise OSError("disk full")
        real_insert(conn, table, df, id_name)

    monkeypatch.setattr(repository, "_insert", failing_insert)
    with pytest.raises(OSError, match="disk full"):
        repo.replace_inventory(inv)
    monkeypatch.undo()
    assert repo.load_inventory().counts() == inv.counts()


def test_meta(repo):
    assert repo.get_meta("sample") is None
    repo.set_meta("sample", "1")
    repo.set_meta("sample", "2")
    assert repo.get_meta("sample") == "2"
