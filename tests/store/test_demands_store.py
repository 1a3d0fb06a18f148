"""The demand list in the store: validated, transactional writes that bump the revision."""

from __future__ import annotations

import pytest

from spaces.demands import DemandError, build_demands
from store.repository import Repository
from tests.factories import TRACKS, UNITS, demand_frame


@pytest.fixture
def repo(tmp_path):
    return Repository.connect(f"sqlite:///{tmp_path}/d.sqlite", units=UNITS, tracks=TRACKS)


def test_add_and_load_round_trip(repo):
    before = repo.revision()
    repo.add_demands(demand_frame())
    back = repo.load_demands()
    expected = build_demands(demand_frame(), tracks=TRACKS)
    assert back.drop(columns="version").equals(expected)
    assert (back.version == 1).all()
    assert repo.revision() == before + 1


def test_add_refuses_existing_ids_and_writes_nothing(repo):
    repo.add_demands(demand_frame())
    revision = repo.revision()
    with pytest.raises(DemandError, match="D0001"):
        repo.add_demands(demand_frame().iloc[:1])
    assert len(repo.load_demands()) == 3
    assert repo.revision() == revision


def test_invalid_rows_leave_the_store_unchanged(repo):
    repo.add_demands(demand_frame())
    bad = demand_frame(demand_id=["D0010", "D0011", "D0012"], home_city=["x", "hefei", "ningbo"])
    with pytest.raises(DemandError) as e:
        repo.import_demands(bad)
    assert e.value.issues[0].record_id == "D0010"
    assert len(repo.load_demands()) == 3


def test_update_bumps_version_and_detects_stale_edits(repo):
    repo.add_demands(demand_frame())
    mine = repo.load_demands()
    theirs = repo.load_demands()
    mine.loc["D0002", "status"] = "matched"
    repo.update_demands(mine.loc[["D0002"]])
    back = repo.load_demands()
    assert back.loc["D0002", "status"] == "matched"
    assert back.loc["D0002", "version"] == 2
    assert back.loc["D0001", "version"] == 1
    theirs.loc["D0002", "status"] = "closed"
    with pytest.raises(DemandError) as e:
        repo.update_demands(theirs.loc[["D0002"]])
    assert e.value.issues[0].code == "stale"
    assert repo.load_demands().loc["D0002", "status"] == "matched"


def test_update_of_an_unknown_id_is_refused(repo):
    with pytest.raises(DemandError) as e:
        repo.update_demands(demand_frame().iloc[:1])
    assert e.value.issues[0].code == "unknown_record"


def test_import_adds_and_replaces(repo):
    repo.add_demands(demand_frame().iloc[:2])
    changed = demand_frame(status=["matched", "open", "closed"])
    repo.import_demands(changed)
    back = repo.load_demands()
    assert back.status.tolist() == ["matched", "open", "closed"]
    assert back.version.tolist() == [2, 2, 1]
