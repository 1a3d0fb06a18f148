"""Readiness scores worked out by hand on the tiny inventory, and the model's rules."""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pandas as pd
import pytest

from planning.facts import FactsError
from planning.readiness import ReadinessError, day, prepare, score
from spaces.rollup import carrier_table
from spaces.validation import build_inventory
from tests.factories import TRACKS, UNITS, tiny_frames

from .conftest import hand_layers

AS_OF = "2026-11-30"


def _score(carriers, inv, layers, policy, as_of=AS_OF):
    return score(
        carriers,
        inv.service_teams,
        policy.carrier_facts(carriers, layers),
        policy=policy,
        as_of=as_of,
    )


def test_floor_ready_now_by_hand(carriers, inv, layers, policy):
    r = _score(carriers, inv, layers, policy)
    # C-F1: floor B1-1 of an accepted building, facilities 0.9, team T-XH in place serving 3
    # carriers (capacity 50), own track biomedicine whose every requirement the floor meets
    # (load 5/5, height 4.5/3.6, exhaust, drainage, 300/150 kVA), priority 1, no leased or
    # reserved biomedicine carrier near, hub 3 km away (1 - 3/8), a station 500 m away
    # (1 - 0.5/2).
    fit = 0.35 * 1 + 0.25 * 1 + 0.15 * 0 + 0.15 * 0.625 + 0.10 * 0.75
    assert fit == pytest.approx(0.76875)
    comp = r.components.loc["C-F1"]
    assert comp.to_dict() == pytest.approx(
        {"construction": 1.0, "facilities": 0.9, "service_team": 1.0, "industry_fit": fit}
    )
    assert r.score["C-F1"] == pytest.approx(100 * (0.35 + 0.20 * 0.9 + 0.20 + 0.25 * fit))
    assert r.score["C-F1"] == pytest.approx(92.21875)
    assert r.gates.loc["C-F1"].all()
    f = r.facts.loc["C-F1"]
    assert (f.track_used, f.track_source, f.neighbours) == ("biomedicine", "own", 0)
    assert f.hub_m == pytest.approx(3000, abs=1e-3)
    assert f.metro_m == pytest.approx(500, abs=1e-3)
    assert (f.team_assigned, f.team_capacity) == (3, 50)


def test_room_without_a_track_takes_its_best_fitting_track(carriers, inv, layers, policy):
    r = _score(carriers, inv, layers, policy)
    # Room 202 lies on floor B1-2: load 3, height 3, no exhaust or drainage, 100 kVA.
    spec = {
        "biomedicine": (3 / 5 + 3 / 3.6 + 100 / 150 + 0 + 0) / 5,
        "new_energy": (3 / 7.5 + 3 / 4.5 + 0 + 100 / 400) / 4,
        "automotive": (3 / 10 + 3 / 5 + 100 / 500) / 3,
        "smart_manufacturing": (3 / 5 + 3 / 4 + 100 / 250) / 3,
    }
    # new_energy has one neighbour (room 201 is leased to a new-energy firm): 1/5.
    by_track = {
        "biomedicine": 0.35 * spec["biomedicine"] + 0.25 * 1.0,
        "new_energy": 0.35 * spec["new_energy"] + 0.25 * 1.0 + 0.15 * 0.2,
        "automotive": 0.35 * spec["automotive"] + 0.25 * 1.0,
        "smart_manufacturing": 0.35 * spec["smart_manufacturing"] + 0.25 * 0.5,
    }
    assert max(by_track, key=by_track.get) == "biomedicine"
    f = r.facts.loc["C-R202"]
    assert (f.track_used, f.track_source) == ("biomedicine", "best")
    assert r.parts.loc["C-R202", "specs"] == pytest.approx(spec["biomedicine"])
    fit = by_track["biomedicine"] + 0.15 * 0.625 + 0.10 * 0.75
    assert r.components.loc["C-R202", "industry_fit"] == pytest.approx(fit)
    assert r.score["C-R202"] == pytest.approx(100 * (0.35 + 0.18 + 0.20 + 0.25 * fit))


def test_no_team_scores_zero_and_a_carrier_is_not_its_own_neighbour(carriers, inv, layers, policy):
    r = _score(carriers, inv, layers, policy)
    assert r.components.loc["C-F3", "service_team"] == 0.0  # reserved floor without a team
    assert r.score["C-F3"] == pytest.approx(r.score["C-R202"] - 20.0)
    # Room 201 is the only leased new-energy carrier: it does not count itself.
    assert r.facts.loc["C-R201", "neighbours"] == 0


def test_neighbours_within_the_radius(inv, policy):
    frames = tiny_frames()
    frames["carriers"].loc[1, "track"] = "biomedicine"  # room 201, leased
    inv2 = build_inventory(frames, units=UNITS, tracks=TRACKS)
    carriers = carrier_table(inv2)
    r = score(
        carriers,
        inv2.service_teams,
        policy.carrier_facts(carriers, hand_layers(carriers)),
        policy=policy,
        as_of=AS_OF,
    )
    assert r.facts.loc["C-F1", "neighbours"] == 1
    assert r.parts.loc["C-F1", "neighbours"] == pytest.approx(1 / 5)
    assert r.score["C-F1"] == pytest.approx(92.21875 + 100 * 0.25 * 0.15 * 0.2)
    near = policy.with_changes()  # same policy: a radius too small to reach P2 is irrelevant
    assert near == policy


def test_plot_by_hand_now_and_projected(carriers, inv, layers, policy):
    # C-P2: reserve plot, land ready 2027-06-30 (planned), facilities 0.3, team T-HC forming
    # until 2027-01-01, automotive (a plot fits every track), the metro beyond reach and the
    # hub near the edge of it (8 km).
    now = _score(carriers, inv, layers, policy)
    hub = 1 - now.facts.loc["C-P2", "hub_m"] / 8000
    assert 0 < hub < 0.15
    fit = 0.6 + 0.15 * hub
    assert now.components.loc["C-P2"].to_dict() == pytest.approx(
        {"construction": 0.0, "facilities": 0.3, "service_team": 0.5, "industry_fit": fit}
    )
    assert now.score["C-P2"] == pytest.approx(0 + 6 + 10 + 25 * fit)
    assert not now.gates.loc["C-P2", "land"]
    assert now.gate_dates.loc["C-P2", "land"] == pd.Timestamp("2027-06-30")
    assert now.ready_from["C-P2"] == pd.Timestamp("2027-06-30")
    # Projected from 2026-11-30: the team is in place on its ready date, the land on its own.
    model = prepare(
        carriers,
        inv.service_teams,
        policy.carrier_facts(carriers, layers),
        policy=policy,
        as_of=AS_OF,
    )
    assert model.readiness(day("2027-01-01")).score["C-P2"] == pytest.approx(26 + 25 * fit)
    land_ready = model.readiness(day("2027-06-30"))
    assert land_ready.score["C-P2"] == pytest.approx(61 + 25 * fit)
    assert land_ready.gates.loc["C-P2"].all()
    # Scored as of its ready date with the team still recorded as forming: not yet in place.
    for as_of in ("2027-01-01", "2026-12-31"):
        later = _score(carriers, inv, layers, policy, as_of=as_of)
        assert later.score["C-P2"] == pytest.approx(16 + 25 * fit)


def test_acceptance_gate_and_overdue_dates(inv, layers, policy):
    frames = tiny_frames()
    b = frames["buildings"]
    b.loc[0, ["actual_completion", "actual_acceptance"]] = None
    b.loc[0, "construction_progress"] = 0.8
    b.loc[0, ["planned_completion", "planned_acceptance"]] = ["2026-03-31", "2026-06-30"]
    inv2 = build_inventory(frames, units=UNITS, tracks=TRACKS)
    carriers = carrier_table(inv2)
    r = score(
        carriers,
        inv2.service_teams,
        policy.carrier_facts(carriers, layers),
        policy=policy,
        as_of=AS_OF,
    )
    # Both planned dates are past with no actual date: overdue, expected the next day.
    assert not r.gates.loc["C-F1", "acceptance"]
    assert r.gate_dates.loc["C-F1", "acceptance"] == pd.Timestamp("2026-12-01")
    assert r.facts.loc["C-F1", "acceptance_overdue"]
    assert r.components.loc["C-F1", "construction"] == pytest.approx(0.5 * 0.8)
    # Projected from 2026-11-30, it passes the next day (as in the plan's later windows) ...
    model = prepare(
        carriers,
        inv2.service_teams,
        policy.carrier_facts(carriers, layers),
        policy=policy,
        as_of=AS_OF,
    )
    later = model.readiness(day("2026-12-01"))
    assert later.gates.loc["C-F1", "acceptance"]
    assert later.components.loc["C-F1", "construction"] == 1.0
    # ... but scored as of a later date with still no actual date, it is overdue again.
    again = score(
        carriers,
        inv2.service_teams,
        policy.carrier_facts(carriers, layers),
        policy=policy,
        as_of="2026-12-01",
    )
    assert again.gate_dates.loc["C-F1", "acceptance"] == pd.Timestamp("2026-12-02")


def test_overloaded_team(inv, layers, policy):
    frames = tiny_frames()
    frames["service_teams"].loc[0, "capacity"] = 2  # T-XH serves 3 carriers
    inv2 = build_inventory(frames, units=UNITS, tracks=TRACKS)
    carriers = carrier_table(inv2)
    r = score(
        carriers,
        inv2.service_teams,
        policy.carrier_facts(carriers, layers),
        policy=policy,
        as_of=AS_OF,
    )
    # One carrier in three beyond capacity, half of that as a penalty.
    assert r.parts.loc["C-F1", "team_load"] == pytest.approx(1 - 0.5 * (1 - 2 / 3))
    assert r.components.loc["C-F1", "service_team"] == pytest.approx(1 - 0.5 / 3)


def test_settings_gates(carriers, inv, layers, policy):
    strict = policy.with_changes(gates=("team_in_place", "min_facilities"))
    r = _score(carriers, inv, layers, strict)
    assert list(r.gates.columns) == ["acceptance", "land", "team_in_place", "min_facilities"]
    assert not r.gates.loc["C-F3", "team_in_place"]  # no team: no date
    assert pd.isna(r.gate_dates.loc["C-F3", "team_in_place"])
    assert pd.isna(r.ready_from["C-F3"])
    assert not r.gates.loc["C-P2", "min_facilities"]  # facilities 0.3 < 0.6
    assert r.gate_dates.loc["C-P2", "team_in_place"] == pd.Timestamp("2027-01-01")
    assert r.gates.loc["C-F1"].all()


def test_input_is_not_changed_and_index_kept(carriers, inv, layers, policy):
    before = carriers.copy()
    r = _score(carriers, inv, layers, policy)
    pd.testing.assert_frame_equal(carriers, before)
    assert r.score.index.equals(carriers.index)
    assert r.as_of == date(2026, 11, 30)
    assert ((r.components >= 0) & (r.components <= 1)).all().all()
    assert np.isfinite(r.score).all()


def test_bad_input_says_what(carriers, inv, layers, policy):
    facts = policy.carrier_facts(carriers, layers)
    with pytest.raises(ReadinessError, match=r"lacks the column.*build it with spaces\.rollup"):
        score(
            carriers.drop(columns=["tenant"]), inv.service_teams, facts, policy=policy, as_of=AS_OF
        )
    with pytest.raises(FactsError, match=r"lacks the column.*lon.*build it with spaces\.rollup"):
        policy.carrier_facts(carriers.drop(columns=["lon"]), layers)
    with pytest.raises(FactsError, match=r"no feature 'landmark\.hongqiao-railway-station'"):
        policy.carrier_facts(carriers, layers.iloc[1:])
    with pytest.raises(ReadinessError, match="is not a date"):
        _score(carriers, inv, layers, policy, as_of="someday")
    other = policy.carrier_facts(carriers.iloc[1:], layers)
    with pytest.raises(ReadinessError, match="facts were built from another carrier table"):
        score(carriers, inv.service_teams, other, policy=policy, as_of=AS_OF)
    radius = dataclasses.replace(
        policy,
        readiness=dataclasses.replace(
            policy.readiness,
            industry_fit=dataclasses.replace(policy.readiness.industry_fit, neighbour_radius_m=5),
        ),
    )
    with pytest.raises(ReadinessError, match="built with other tracks, access or neighbour"):
        score(carriers, inv.service_teams, facts, policy=radius, as_of=AS_OF)


def test_sample_scores_are_plausible(sample_plan):
    r = sample_plan.readiness
    assert r.score.between(0, 100).all()
    assert r.score.std() > 5  # scores vary
    assert (r.facts.track_source == "best").any() and (r.facts.track_source == "own").any()
    assert r.facts.neighbours.nunique() > 1
