"""Property tests of the readiness model and the release plan on random small inventories.

The carrier tables are drawn directly (one flat row per carrier, as `carrier_table` makes
them), so that improving one row's facts touches that carrier alone.
"""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planning.days import day
from planning.policy import Policy
from planning.readiness import score
from planning.release import plan
from settings import load_settings

POLICY = Policy.from_settings(load_settings(env={}))
UNIT_IDS = [u.id for u in POLICY.units]
TRACK_IDS = [t.id for t in POLICY.tracks]
TIERS = np.array(["room", "floor", "building", "plot"], dtype=object)
STATUSES = np.array(
    ["available", "reserved", "leased", "under_construction", "reserve_land"], dtype=object
)
BASE = np.datetime64("2024-01-01", "D")
LAYERS = gpd.GeoDataFrame(
    {
        "layer": ["landmark", "station", "station"],
        "name_zh": ["枢纽", "甲站", "乙站"],
        "name_en": ["Hub", "Station A", "Station B"],
    },
    index=pd.Index(
        ["landmark.hongqiao-railway-station", "station.a", "station.b"], name="feature_id"
    ),
    geometry=[
        shapely.Point(121.320, 31.195),
        shapely.Point(121.300, 31.200),
        shapely.Point(121.330, 31.220),
    ],
    crs="EPSG:4326",
)
PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _dates(rng, n, missing):
    d = BASE + rng.integers(0, 6 * 365, n).astype("timedelta64[D]")
    out = d.astype("datetime64[s]")
    out[rng.random(n) < missing] = np.datetime64("NaT")
    return out


def make_case(seed: int, n: int):
    """A random carrier table, teams and policy (capacities 0–3 or unlimited)."""
    rng = np.random.default_rng(seed)
    n_teams = int(rng.integers(1, 4))
    teams = pd.DataFrame(
        {
            "name": [f"团队{i}" for i in range(n_teams)],
            "responsible_unit": rng.choice(UNIT_IDS, n_teams),
            "status": rng.choice(["in_place", "forming", "none"], n_teams),
            "ready_date": _dates(rng, n_teams, 0.3),
            "capacity": rng.integers(0, 6, n_teams),
        },
        index=pd.Index([f"T{i}" for i in range(n_teams)], name="team_id"),
    )
    tier = TIERS[rng.integers(0, 4, n)]
    is_plot = tier == "plot"

    def spec(low, high):
        v = rng.uniform(low, high, n)
        return np.where(is_plot | (rng.random(n) < 0.1), np.nan, v)

    carriers = pd.DataFrame(
        {
            "tier": tier,
            "status": STATUSES[rng.integers(0, len(STATUSES), n)],
            "track": np.where(
                rng.random(n) < 0.5, None, np.array(TRACK_IDS, dtype=object)[rng.integers(0, 6, n)]
            ),
            "service_team_id": np.where(
                rng.random(n) < 0.25, None, teams.index.to_numpy()[rng.integers(0, n_teams, n)]
            ),
            "responsible_unit": rng.choice(UNIT_IDS, n),
            "usable_area_m2": rng.uniform(50, 5000, n),
            "floor_load_kn_m2": spec(2, 12),
            "clear_height_m": spec(2.5, 6.5),
            "exhaust": pd.array(np.where(is_plot, None, rng.random(n) < 0.5), dtype="boolean"),
            "wet_lab_drainage": pd.array(
                np.where(is_plot, None, rng.random(n) < 0.5), dtype="boolean"
            ),
            "power_kva": spec(50, 1500),
            "clean_room_iso": pd.array(
                np.where(is_plot | (rng.random(n) < 0.6), None, rng.integers(5, 9, n)),
                dtype="Int64",
            ),
            "construction_progress": np.where(is_plot, np.nan, rng.uniform(0, 1, n).round(2)),
            "planned_completion": _dates(rng, n, 0.0),
            "actual_completion": _dates(rng, n, 0.5),
            "planned_acceptance": _dates(rng, n, 0.0),
            "actual_acceptance": _dates(rng, n, 0.5),
            "facilities_progress": rng.uniform(0, 1, n).round(2),
            "land_ready_planned": _dates(rng, n, 0.2),
            "land_ready_actual": _dates(rng, n, 0.6),
            # A few buildings: carriers share locations, as rooms of one building do.
            "tenant": np.where(rng.random(n) < 0.5, None, "示例企业"),
            "lon": 121.30 + 0.004 * rng.integers(0, 8, n),
            "lat": 31.18 + 0.004 * rng.integers(0, 8, n),
        },
        index=pd.Index([f"C{i:03d}" for i in rng.permutation(n)], name="carrier_id"),
    )
    for col in ("tier", "status", "track", "service_team_id", "responsible_unit", "tenant"):
        carriers[col] = carriers[col].astype("str")
    caps = {u: (None if rng.random() < 0.2 else int(rng.integers(0, 4))) for u in UNIT_IDS}
    policy = POLICY.with_changes(
        capacity=caps,
        threshold=float(rng.choice([40.0, 60.0, 75.0])),
        cadence_months=int(rng.choice([3, 6, 12])),
        gates=tuple(g for g in ("team_in_place", "min_facilities") if rng.random() < 0.3),
    )
    as_of = BASE + int(rng.integers(600, 2000))
    return carriers, teams, policy, as_of


def _plan(case):
    carriers, teams, policy, as_of = case
    return plan(carriers, teams, policy.carrier_facts(carriers, LAYERS), policy=policy, as_of=as_of)


cases = st.builds(make_case, st.integers(0, 2**32 - 1), st.integers(1, 24))


@PROPERTY_SETTINGS
@given(cases)
def test_every_carrier_in_one_batch_or_listed_with_a_reason(case):
    carriers = case[0]
    p = _plan(case)
    a = p.assignments
    assert a.index.equals(carriers.index)
    released = a.outcome == "released"
    assert (released == a.batch.notna()).all()
    assert a.reason.notna().all()
    assert (a.loc[released, "score"] >= p.policy.threshold).all()
    assert (a.loc[carriers.status == "leased", "reason"] == "already_let").all()
    held = carriers.status.isin(["leased", "reserved"])
    assert (a.loc[held, "outcome"] == "held").all()  # held space is never released
    assert set(a.loc[~released, "reason"]) <= {
        "already_let",
        "reserved",
        "trial_over",
        "gate_no_date",
        "gate_after_trial",
        "below_threshold",
        "capacity_full",
    }
    # A released carrier is released within its window, from the day it is ready: its gates
    # pass and its score clears the threshold that day, and not the day before (unless that
    # day is before its window opens).
    r = a[released]
    opens = r["batch"].map({w.number: pd.Timestamp(w.opens) for w in p.windows})
    assert (r["released_on"] >= opens).all() and (r["released_on"] <= r["window_end"]).all()
    assert (r["ready_from"] <= r["released_on"]).all()
    for cid, on in r["released_on"].items():
        ready = p.model.readiness(day(on))
        assert ready.ready[cid] and ready.score[cid] >= p.policy.threshold
        if on > opens[cid]:
            before = p.model.readiness(day(on) - 1)
            assert not before.ready[cid] or before.score[cid] < p.policy.threshold
    # Ready by a window's last day is exactly: gates pass by then and its score then clears
    # the threshold (the score never falls, so no day inside the window is missed).
    for w in p.windows:
        if w.open:
            by_end = (a["ready_from"] <= pd.Timestamp(w.end)) & (
                p.window_scores[w.number] >= p.policy.threshold
            )
            assert (by_end == (a["eligible_on"] <= pd.Timestamp(w.end))).all()


@PROPERTY_SETTINGS
@given(cases)
def test_no_unit_exceeds_its_capacity_in_any_window(case):
    p = _plan(case)
    a = p.assignments
    counted = a[a.batch.notna()].groupby(["batch", "responsible_unit"], observed=True).size()
    for (batch, unit), count in counted.items():
        assert p.usage.loc[batch, unit] == count
    for unit, cap in p.policy.capacity_of().items():
        if cap is not None:
            assert (p.usage[unit] <= cap).all()


@PROPERTY_SETTINGS
@given(cases, st.integers(0, 2**32 - 1))
def test_same_input_same_plan_whatever_the_row_order(case, shuffle_seed):
    carriers, teams, policy, as_of = case
    first, again = _plan(case), _plan(case)
    pd.testing.assert_frame_equal(first.assignments, again.assignments)
    assert first.fingerprint() == again.fingerprint()
    order = np.random.default_rng(shuffle_seed).permutation(len(carriers))
    shuffled = plan(
        carriers.iloc[order],
        teams,
        policy.carrier_facts(carriers.iloc[order], LAYERS),
        policy=policy,
        as_of=as_of,
    )
    pd.testing.assert_frame_equal(
        shuffled.assignments.loc[carriers.index], first.assignments, check_exact=False
    )
    assert shuffled.fingerprint() == first.fingerprint()


def _improve(carriers: pd.DataFrame, i: int, kind: int, amount: float, as_of) -> pd.DataFrame:
    """A copy of ``carriers`` with one fact of row ``i`` made better (or kept)."""
    c = carriers.copy()
    row = c.index[i]
    days = np.timedelta64(int(amount * 400), "D")
    if kind == 0:
        c.loc[row, "construction_progress"] = min(
            1.0, np.nan_to_num(c.loc[row, "construction_progress"]) + amount
        )
    elif kind == 1:
        c.loc[row, "facilities_progress"] = min(1.0, c.loc[row, "facilities_progress"] + amount)
    elif kind in (2, 3, 4):
        actual, planned = {
            2: ("actual_completion", "planned_completion"),
            3: ("actual_acceptance", "planned_acceptance"),
            4: ("land_ready_actual", "land_ready_planned"),
        }[kind]
        if pd.notna(c.loc[row, actual]):
            c.loc[row, actual] = c.loc[row, actual] - days
        elif pd.notna(c.loc[row, planned]):
            c.loc[row, planned] = c.loc[row, planned] - days
        else:
            c.loc[row, planned] = pd.Timestamp(as_of)
    elif kind == 5:
        for col, step in (("floor_load_kn_m2", 4), ("clear_height_m", 1.5), ("power_kva", 400)):
            if pd.notna(c.loc[row, col]):
                c.loc[row, col] = c.loc[row, col] + amount * step
    elif kind == 6:
        c.loc[row, "exhaust"] = True
        c.loc[row, "wet_lab_drainage"] = True
    elif kind == 7:
        iso = c.loc[row, "clean_room_iso"]
        c.loc[row, "clean_room_iso"] = 5 if pd.isna(iso) else max(1, int(iso) - 1)
    return c


@PROPERTY_SETTINGS
@given(cases, st.integers(0, 1000), st.integers(0, 7), st.floats(0, 1))
def test_improving_a_fact_never_lowers_the_score_nor_delays_the_batch(case, pick, kind, amount):
    carriers, teams, policy, as_of = case
    i = pick % len(carriers)
    better = _improve(carriers, i, kind, amount, as_of)
    before = plan(
        carriers, teams, policy.carrier_facts(carriers, LAYERS), policy=policy, as_of=as_of
    )
    after = plan(better, teams, policy.carrier_facts(better, LAYERS), policy=policy, as_of=as_of)
    cid = carriers.index[i]
    b = before.window_scores.loc[cid].fillna(-1).to_numpy()
    a = after.window_scores.loc[cid].fillna(-1).to_numpy()
    assert (a >= b - 1e-9).all()
    assert after.readiness.score[cid] >= before.readiness.score[cid] - 1e-9
    assert (
        after.readiness.components.loc[cid] >= before.readiness.components.loc[cid] - 1e-12
    ).all()
    was = before.assignments.loc[cid, "batch"]
    now = after.assignments.loc[cid, "batch"]
    if pd.notna(was):
        assert pd.notna(now) and now <= was
    # Nobody else's score moved: the fact is this carrier's own.
    others = carriers.index != cid
    pd.testing.assert_series_equal(after.readiness.score[others], before.readiness.score[others])


@PROPERTY_SETTINGS
@given(cases, st.integers(0, 1000))
def test_improving_a_team_never_lowers_anyones_score(case, pick):
    carriers, teams, policy, as_of = case
    t = teams.index[pick % len(teams)]
    better = teams.copy()
    status = better.loc[t, "status"]
    if status == "none":
        better.loc[t, "status"] = "forming"
        better.loc[t, "ready_date"] = pd.Timestamp(as_of) + pd.Timedelta(days=90)
    elif status == "forming":
        better.loc[t, "status"] = "in_place"
    better.loc[t, "capacity"] = better.loc[t, "capacity"] + 3
    before = plan(
        carriers, teams, policy.carrier_facts(carriers, LAYERS), policy=policy, as_of=as_of
    )
    after = plan(
        carriers, better, policy.carrier_facts(carriers, LAYERS), policy=policy, as_of=as_of
    )
    assert (after.readiness.score >= before.readiness.score - 1e-9).all()
    assert (after.window_scores.fillna(-1) >= before.window_scores.fillna(-1) - 1e-9).all().all()
    # A carrier alone on its team is never delayed by its team's improvement.
    alone = carriers.service_team_id.eq(t) & (carriers.service_team_id.eq(t).sum() == 1)
    for cid in carriers.index[alone.to_numpy()]:
        was, now = before.assignments.batch[cid], after.assignments.batch[cid]
        if pd.notna(was):
            assert pd.notna(now) and now <= was


@PROPERTY_SETTINGS
@given(cases)
def test_scores_never_fall_over_the_trial(case):
    p = _plan(case)
    s = p.window_scores.dropna(axis=1, how="all").to_numpy()
    assert (np.diff(s, axis=1) >= -1e-9).all()
    assert ((p.readiness.components >= 0) & (p.readiness.components <= 1)).all().all()


def test_a_scenario_policy_is_a_plain_copy():
    changed = POLICY.with_changes(threshold=70)
    assert changed.threshold == 70 and POLICY.threshold == 60
    assert dataclasses.replace(changed, readiness=POLICY.readiness) == POLICY
    carriers, teams, policy, as_of = make_case(1, 8)
    r = score(carriers, teams, policy.carrier_facts(carriers, LAYERS), policy=policy, as_of=as_of)
    assert r.score.index.equals(carriers.index)
