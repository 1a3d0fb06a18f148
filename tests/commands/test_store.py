"""Bug 9 from the command line: `init --empty`, `info` on the sample, `sample remove`."""

from __future__ import annotations

import json

from cli import main
from settings import load_settings
from spaces.changes import Edit
from store.bootstrap import open_store
from store.repository import Actor
from tests.factories import demand_frame

TEAM = {"name": "新团队", "responsible_unit": "xinhong", "status": "in_place", "capacity": 5}


def _json(capsys, *argv: str) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_init_empty_makes_a_store_without_the_sample(sqlite_store, capsys):
    out = _json(capsys, "init", "--empty")
    assert out["sample"] is False and out["sample_records"] == {}
    assert set(out["counts"].values()) == {0} and out["demands"] == 0
    assert out["accounts"] == out["sample_accounts"] == 0  # no sample, no sample accounts
    assert out["layers"] > 20
    assert _json(capsys, "info")["counts"]["carriers"] == 0  # not filled on a later open
    assert main(["info"]) == 0
    assert "sample data: none" in capsys.readouterr().out
    assert main(["sample", "remove"]) == 2
    assert "holds no sample data" in capsys.readouterr().err


def test_sample_remove_keeps_what_was_added_after_seeding(sqlite_store, capsys):
    info = _json(capsys, "info")  # a new SQLite store gets the sample, as `make run` does
    assert (
        info["sample"] is True and info["sample_records"]["carriers"] == info["counts"]["carriers"]
    )
    assert main(["init", "--empty"]) == 2
    assert "already holds the sample data" in capsys.readouterr().err

    repo = open_store(load_settings())
    ann = Actor("ann")
    repo.apply_edits([Edit("service_teams", "T-NEW", TEAM)], actor=ann)
    repo.add_demands(demand_frame(demand_id=["D9001", "D9002", "D9003"]).iloc[:1], actor=ann)
    carrier = repo.load_inventory().carriers.index[0]
    repo.apply_edits([Edit("carriers", carrier, {"note": "看过"}, 1)], actor=ann)
    layers = len(repo.load_layers())
    repo.engine.dispose()

    assert main(["sample", "remove"]) == 2  # an edited sample record is named, not removed
    assert f"carriers {carrier} (ann" in capsys.readouterr().err
    removed = _json(capsys, "sample", "remove", "--force")["removed"]
    assert removed["carriers"] == info["counts"]["carriers"]
    assert removed["demands"] == info["demands"]

    after = _json(capsys, "info")
    assert after["sample"] is False and after["sample_records"] == {}
    assert after["counts"] == {**{t: 0 for t in info["counts"]}, "service_teams": 1}
    assert (after["demands"], after["layers"]) == (1, layers)
    assert main(["info"]) == 0
    assert "sample data: none" in capsys.readouterr().out
