"""Bug 9: a production store starts empty, and `remove_sample` takes out exactly the sample."""

from __future__ import annotations

import pytest

from access.permissions import PermissionDenied
from geodata.layers import base_layers
from settings import SettingsError, load_settings
from spaces.changes import Edit
from store import schema
from store.bootstrap import open_store
from store.repository import SYSTEM, Actor, SampleError
from tests.factories import demand_frame
from tests.store.test_audit import ALICE, PLANNER

SAMPLE_META = {"sample": "1", "sample_seed": "1", "sample_scale": "1", "seeded_at": "2026-06-01"}
TEAM = {"name": "新团队", "responsible_unit": "xinhong", "status": "in_place", "capacity": 5}


def _empty(repo) -> None:
    assert all(n == 0 for n in repo.load_inventory().counts().values())
    assert repo.load_demands(actor=SYSTEM).empty
    assert len(repo.load_layers()) > 20  # the base layers are not sample data
    assert repo.get_meta("sample") is None
    assert repo.accounts(actor=SYSTEM) == () and not repo.sample_accounts_active()


@pytest.mark.postgis
def test_a_new_postgis_store_starts_empty(postgis_url):
    repo = open_store(load_settings(env={"DATABASE_URL": postgis_url}))
    try:
        _empty(repo)
    finally:
        repo.engine.dispose()


def test_fill_empty_store_never_leaves_a_new_sqlite_store_empty(tmp_path):
    url = f"sqlite:///{tmp_path}/prod.sqlite"
    repo = open_store(load_settings(env={"DATABASE_URL": url, "HQ_SAMPLE": "never"}))
    try:
        _empty(repo)
    finally:
        repo.engine.dispose()
    with pytest.raises(SettingsError, match=r"sample.fill_empty_store = 'maybe'"):
        load_settings(env={"DATABASE_URL": url, "HQ_SAMPLE": "maybe"})


def test_the_sample_comes_with_its_accounts_once(tmp_path):
    settings = load_settings(env={"DATABASE_URL": f"sqlite:///{tmp_path}/demo.sqlite"})
    repo = open_store(settings)
    try:
        found = repo.accounts(actor=SYSTEM)
        assert [(a.role, a.unit) for a in found if a.role != "steward"] == [
            ("admin", None),
            ("leader", None),
            ("planner", None),
        ]
        assert sorted(a.unit for a in found if a.role == "steward") == sorted(
            u.id for u in settings.units
        )
        assert all(a.sample and "示例" in a.display_name for a in found)
        assert repo.sample_accounts_active() and repo.get_meta("sample_accounts") == "1"

        # a sample store made before the accounts gets them when it is opened
        with repo.engine.begin() as conn:
            conn.execute(schema.accounts.delete())
            conn.execute(schema.meta.delete().where(schema.meta.c.key == "sample_accounts"))
        assert not repo.sample_accounts_active()
        again = open_store(settings)
        assert again.accounts(actor=SYSTEM) == found and again.sample_accounts_active()
        again.engine.dispose()
    finally:
        repo.engine.dispose()


@pytest.fixture
def sampled(repo, inv):
    """A store seeded as the sample is (the tiny inventory and demand list stand in for it)."""
    assert repo.seed(inv, base_layers(), meta=SAMPLE_META)
    assert repo.seed_demands(demand_frame(), meta={"sample_demands": "1"})
    return repo


def test_remove_takes_out_exactly_the_sample_and_audits_each_record(sampled, inv):
    layers = len(sampled.load_layers())
    sampled.apply_edits([Edit("service_teams", "T-NEW", TEAM)], actor=PLANNER)
    sampled.add_demands(demand_frame(demand_id=["D0100", "D0101", "D0102"]).iloc[:1], actor=PLANNER)
    found = sampled.sample_records()
    assert found.counts() == {**inv.counts(), "demands": 3}
    assert found.edited.empty

    result = sampled.remove_sample(actor=PLANNER)

    after = sampled.load_inventory()
    assert list(after.service_teams.index) == ["T-NEW"]  # added after seeding: kept
    assert all(len(df) == 0 for name, df in after.tables().items() if name != "service_teams")
    assert list(sampled.load_demands(actor=SYSTEM).index) == ["D0100"]
    assert len(sampled.load_layers()) == layers
    removed = sum(inv.counts().values()) + 3
    assert result.diff.summary().deleted.sum() == removed
    log = sampled.audit_log(actor=SYSTEM, limit=None)
    deletes = log[log.change_set == result.change_set]
    assert len(deletes) == removed and set(deletes.action) == {"delete"}
    assert deletes.before.notna().all() and set(deletes.actor) == {"pat"}
    assert sampled.get_meta("sample") is None and sampled.get_meta("sample_demands") is None
    assert sampled.sample_records().counts() == {name: 0 for name in found.counts()}
    with pytest.raises(SampleError, match="holds no sample"):
        sampled.remove_sample(actor=PLANNER)
    sampled.undo(int(deletes.index[0]), actor=PLANNER)  # each removal can be undone


def test_an_edited_sample_record_is_listed_and_removed_only_with_force(sampled):
    sampled.apply_edits([Edit("floors", "B1-3", {"power_kva": 120}, 1)], actor=ALICE)
    revision = sampled.revision()
    with pytest.raises(SampleError, match=r"floors B1-3 \(alice") as err:
        sampled.remove_sample(actor=PLANNER)
    assert "force" in str(err.value)
    assert sampled.revision() == revision and len(sampled.load_inventory().floors) == 3
    assert list(sampled.sample_records().edited.record_id) == ["B1-3"]
    sampled.remove_sample(actor=PLANNER, force=True)
    assert sampled.load_inventory().floors.empty


def test_a_record_added_on_a_sample_record_blocks_the_removal(sampled):
    room = {"floor_id": "B1-2", "number": "203", "usable_area_m2": 50}
    sampled.apply_edits([Edit("rooms", "B1-2-03", room)], actor=PLANNER)
    revision = sampled.revision()
    with pytest.raises(SampleError, match="B1-2-03"):
        sampled.remove_sample(actor=PLANNER)
    with pytest.raises(PermissionDenied, match=r"remove\.sample: role 'steward'"):
        sampled.remove_sample(actor=Actor("li", role="steward", unit="xinhong"))
    assert sampled.revision() == revision
    assert len(sampled.load_inventory().rooms) == 3
