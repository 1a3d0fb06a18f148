"""Carrier facts: one decision on spec fit for readiness, finder, matching and explanations."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from planning.facts import NeighbourRule, build
from planning.finder import Filters, mask
from planning.matching import DemandArrays, constraints
from planning.policy import Policy
from planning.readiness import score
from planning.supply import CarrierIndex
from spaces.demands import build_demands
from spaces.entities import Track
from tests.factories import demand_frame
from tests.planning.tables import SETTINGS, TRACK_IDS, carrier_tables, carriers
from tests.planning.test_properties import LAYERS
from words.release import explain

POLICY = Policy.from_settings(SETTINGS)


def _teams() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": [],
            "status": [],
            "ready_date": pd.Series([], dtype="datetime64[s]"),
            "capacity": [],
        },
        index=pd.Index([], name="team_id", dtype="str"),
    )


def _readiness_columns(table: pd.DataFrame) -> pd.DataFrame:
    """The table with the readiness-only columns a hand-made finder table lacks."""
    out = table.copy()
    for column in (
        "planned_completion",
        "actual_completion",
        "planned_acceptance",
        "actual_acceptance",
        "land_ready_planned",
        "land_ready_actual",
    ):
        out[column] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[s]")
    out["construction_progress"] = 1.0
    out["facilities_progress"] = 1.0
    out["service_team_id"] = pd.Series(None, index=out.index, dtype="str")
    out["responsible_unit"] = "xinhong"
    out["tenant"] = pd.Series(None, index=out.index, dtype="str")
    return out


def _all_views(table: pd.DataFrame, policy: Policy, track: str):
    """Spec fit of every carrier for ``track`` as readiness, finder, matching and explain see it."""
    facts = policy.carrier_facts(table, LAYERS)
    k = facts.track_ids.index(track)
    own = table.assign(track=track)  # readiness scores the carrier's own track
    r_own = score(
        _readiness_columns(own),
        _teams(),
        policy.carrier_facts(own, LAYERS),
        policy=policy,
        as_of="2026-11-30",
    )
    index = CarrierIndex.build(table, facts=facts)
    listed = mask(index, Filters(statuses=()))  # what the finder lists at all (status, date)
    finder = np.where(listed, mask(index, Filters(track=track, statuses=())), np.nan)
    demand = demand_frame(
        track=[track, None, None],
        track_specs=[True, False, False],
        tier=[None, None, None],
        area_min_m2=[None, None, None],
        area_max_m2=[None, None, None],
        needed_by=[None, None, None],
        min_floor_load_kn_m2=[None, None, None],
        min_clear_height_m=[None, None, None],
        exhaust=[False, False, False],
        wet_lab_drainage=[False, False, False],
        min_power_kva=[None, None, None],
    )
    arrays = DemandArrays.build(
        build_demands(demand, tracks=[t.id for t in policy.tracks]), tracks=policy.tracks
    )
    technical = constraints(index, arrays.take([0]))["technical"]
    unmet = [
        explain(r_own, cid, lang="en")
        .components.set_index("component")
        .loc["industry_fit", "facts"]
        for cid in table.index
    ]
    return {
        "spec": r_own.parts["specs"].to_numpy(),
        "facts_meets": facts.meets[:, k],
        "finder": finder,
        "matching": np.asarray(technical),
        "explain_short": np.array(["short:" in text for text in unmet]),
    }


def test_a_zero_minimum_and_an_unknown_value_agree_everywhere():
    """Regression: with ``min_power_kva = 0`` and a carrier of unknown power, readiness scored
    the fit 1.0 while the finder said the carrier did not meet the track."""
    lab = POLICY.tracks[0]
    zero = dataclasses.replace(
        lab,
        id="zero_power",
        min_power_kva=0.0,
        min_floor_load_kn_m2=None,
        min_clear_height_m=None,
        exhaust=False,
        wet_lab_drainage=False,
        max_clean_room_iso=None,
    )
    policy = dataclasses.replace(POLICY, tracks=(*POLICY.tracks, zero))
    table = carriers({"no-power": {"power_kva": None}, "power": {"power_kva": 50.0}})
    views = _all_views(table, policy, "zero_power")
    # A minimum of zero requires nothing: both carriers meet it, in every view.
    assert views["spec"].tolist() == [1.0, 1.0]
    assert views["facts_meets"].tolist() == [True, True]
    assert views["finder"].tolist() == [1.0, 1.0]
    assert views["matching"].tolist() == [True, True]
    assert views["explain_short"].tolist() == [False, False]


def test_an_unrecorded_value_does_not_meet_a_real_minimum():
    table = carriers({"no-power": {"power_kva": None}, "power": {"power_kva": 500.0}})
    track = "smart_manufacturing"  # load 5, height 4, power 250
    table.loc[:, ["floor_load_kn_m2", "clear_height_m"]] = [6.0, 4.5]
    views = _all_views(table, POLICY, track)
    assert views["spec"].tolist() == pytest.approx([2 / 3, 1.0])
    assert views["facts_meets"].tolist() == [False, True]
    assert views["finder"].tolist() == [0.0, 1.0]
    assert views["matching"].tolist() == [False, True]
    assert views["explain_short"].tolist() == [True, False]


@settings(max_examples=40, deadline=None)
@given(table=carrier_tables(min_size=1), track=st.sampled_from(TRACK_IDS))
def test_readiness_finder_matching_and_explain_agree_on_spec_fit(table, track):
    views = _all_views(table, POLICY, track)
    full = views["spec"] == 1.0
    assert (full == views["facts_meets"]).all()
    listed = ~np.isnan(views["finder"])
    assert (full[listed] == views["finder"][listed].astype(bool)).all()
    assert (full == views["matching"]).all()
    assert (full == ~views["explain_short"]).all()


def test_the_sample_agrees_on_spec_fit(sample):
    inv, layers, table = sample
    facts = POLICY.carrier_facts(table, layers)
    index = CarrierIndex.build(table, facts=facts)
    r = score(table, inv.service_teams, facts, policy=POLICY, as_of="2026-11-30")
    used = r.facts["track_used"].astype(str).to_numpy()
    listed = mask(index, Filters(statuses=()))  # what the finder lists at all (status, date)
    assert listed.sum() > 100
    for k, track in enumerate(facts.track_ids):
        mine = (used == track) & listed
        finder = mask(index, Filters(track=track, statuses=()))
        full = r.parts["specs"].to_numpy() == 1.0
        assert (finder[mine] == full[mine]).all()
        assert (finder[listed] == facts.meets[listed, k]).all()
    assert (index.hub_m == r.facts["hub_m"].to_numpy()).all()  # one distance, one hub setting


@settings(max_examples=30, deadline=None)
@given(
    points=st.lists(
        st.tuples(st.integers(0, 20), st.integers(0, 20), st.sampled_from(["leased", "available"])),
        min_size=1,
        max_size=30,
    ),
    radius=st.sampled_from([150.0, 400.0, 1000.0]),
)
def test_neighbours_match_a_brute_force_count(points, radius):
    table = carriers(
        {
            f"C{i:02d}": {
                "lon": 121.30 + 0.001 * x,
                "lat": 31.18 + 0.001 * y,
                "status": s,
                "track": "biomedicine",
            }
            for i, (x, y, s) in enumerate(points)
        }
    )
    tracks = (Track("biomedicine", "生物医药", "Biomedicine", 1),)
    facts = build(
        table,
        LAYERS,
        tracks=tracks,
        access=POLICY.access,
        neighbour_rule=NeighbourRule(radius_m=radius, cap=5),
    )
    fwd = Transformer.from_crs("EPSG:4326", "EPSG:4549", always_xy=True)
    x, y = fwd.transform(table["lon"].to_numpy(), table["lat"].to_numpy())
    d = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
    held = (table["status"] == "leased").to_numpy()
    within = (d <= radius) & held[None, :]
    np.fill_diagonal(within, False)
    expected = np.minimum(within.sum(axis=1), 5)
    assert facts.neighbours[:, 0].tolist() == expected.tolist()
