"""Matching: hard constraints, ranking and reasons on hand-made cases; properties; gaps; growth."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planning.matching import (
    HARD_CONSTRAINTS,
    DemandArrays,
    area_band,
    components,
    constraints,
    demands_for_carrier,
    gap_report,
    growth_path,
    match_all,
    match_demand,
)
from spaces.demands import build_demands
from spaces.schema import AREAS, TIERS
from tests.factories import demand_frame
from tests.planning.tables import (
    SETTINGS,
    TRACK_IDS,
    TRACKS,
    carrier_tables,
    carriers,
    index_of,
    maybe,
)
from words.matching import reasons

AS_OF = date(2026, 11, 30)
M = SETTINGS.matching

TABLE = carriers(
    {
        "lab-800": {
            "usable_area_m2": 800.0,
            "floor_load_kn_m2": 6.0,
            "clear_height_m": 4.5,
            "exhaust": True,
            "wet_lab_drainage": True,
            "power_kva": 300.0,
            "track": "biomedicine",
        },
        "lab-1000": {
            "usable_area_m2": 1000.0,
            "floor_load_kn_m2": 5.0,
            "clear_height_m": 4.0,
            "exhaust": True,
            "wet_lab_drainage": True,
            "power_kva": 200.0,
        },
        "lab-1200-late": {
            "usable_area_m2": 1200.0,
            "floor_load_kn_m2": 8.0,
            "clear_height_m": 5.0,
            "exhaust": True,
            "wet_lab_drainage": True,
            "power_kva": 400.0,
            "status": "under_construction",
            "available_from": "2027-09-01",
        },
        "office-1000": {"usable_area_m2": 1000.0},
        "room-400": {"tier": "room", "usable_area_m2": 400.0, "rent_yuan_m2_day": 7.5},
        "room-500-far": {
            "tier": "room",
            "usable_area_m2": 500.0,
            "lon": 121.36,
            "lat": 31.24,
            "building_id": "B9",
            "rent_yuan_m2_day": 9.0,
        },
        "reserved-1000": {"status": "reserved", "available_from": "2026-12-01"},
        "plot": {
            "tier": "plot",
            "area": "qianwan",
            "usable_area_m2": 30000.0,
            "status": "reserve_land",
            "available_from": "2027-06-30",
            "rent_yuan_m2_day": None,
            "plot_id": "P2",
            "lon": 121.30,
            "lat": 31.24,
        },
    }
)
INDEX = index_of(TABLE)
DEMANDS = build_demands(demand_frame(), tracks=TRACK_IDS)
ARRAYS = DemandArrays.build(DEMANDS, tracks=TRACKS)


def matched(demand_id: str, arrays: DemandArrays = ARRAYS) -> list[str]:
    return list(match_demand(INDEX, arrays, demand_id, settings=M, as_of=AS_OF).index)


def test_a_lab_floor_demand_gets_the_lab_floors_that_fit_best_first():
    # D0001: floor 800–1,200 m², load 5, height 4, exhaust + wet lab, 200 kVA, by 2026-12-31
    out = match_demand(INDEX, ARRAYS, "D0001", settings=M, as_of=AS_OF)
    assert list(out.index) == ["lab-800", "lab-1000"]
    # lab-1000 is the middle of the range; lab-800 is designated for biomedicine, with headroom
    assert out.loc["lab-1000", "area"] == 1.0 and out.loc["lab-800", "area"] == 0.8
    assert out.loc["lab-800", "track"] == 1.0 and out.loc["lab-1000", "track"] == 0.5
    assert out.loc["lab-800", "technical"] > out.loc["lab-1000", "technical"]


def test_the_date_needed_is_a_hard_constraint():
    later = build_demands(demand_frame(needed_by=["2027-12-31", None, None]), tracks=TRACK_IDS)
    arrays = DemandArrays.build(later, tracks=TRACKS)
    assert set(matched("D0001", arrays)) == {"lab-800", "lab-1000", "lab-1200-late"}


def test_track_specs_add_the_tracks_requirements():
    raw = demand_frame(
        track_specs=[True, False, False],
        min_floor_load_kn_m2=[None, None, None],
        min_clear_height_m=[None, None, None],
        min_power_kva=[None, None, None],
        exhaust=[False, False, False],
        wet_lab_drainage=[False, False, False],
    )
    arrays = DemandArrays.build(build_demands(raw, tracks=TRACK_IDS), tracks=TRACKS)
    # biomedicine needs 5 kN/m², 3.6 m, exhaust, wet lab, 150 kVA: lab-800 and lab-1000
    assert set(matched("D0001", arrays)) == {"lab-800", "lab-1000"}
    plain = DemandArrays.build(
        build_demands(raw.assign(track_specs=False), tracks=TRACK_IDS), tracks=TRACKS
    )
    assert "office-1000" in matched("D0001", plain)


def test_rent_ceiling_tier_and_zone():
    # D0002: a hub room of 300–600 m², rent up to 8.0
    assert matched("D0002") == ["room-400"]
    # D0003: any tier up to 500 m², no rent ceiling, by 2027-06-30: rooms only (no status)
    assert set(matched("D0003")) == {"room-400", "room-500-far"}


def test_weights_from_settings_change_the_order():
    assert matched("D0001")[0] == "lab-800"
    area_only = replace(
        M, weight_technical=0, weight_rent=0, weight_date=0, weight_track=0, weight_access=0
    )
    order = match_demand(INDEX, ARRAYS, "D0001", settings=area_only, as_of=AS_OF)
    assert order.index[0] == "lab-1000"
    assert order.score.tolist() == [100.0, 80.0]


def test_scores_and_components_are_bounded():
    out = match_demand(INDEX, ARRAYS, "D0001", settings=M, as_of=AS_OF)
    assert out.score.between(0, 100).all()
    assert out.drop(columns="score").stack().between(0, 1).all()
    assert list(out.columns) == ["score", *M.weights()]


def test_needs_near_zero_give_full_headroom_without_overflow():
    # the smallest positive double: have / need overflows to inf, which is full headroom
    tiny = 5e-324
    raw = demand_frame(
        min_floor_load_kn_m2=[tiny, None, None],
        min_clear_height_m=[tiny, None, None],
        min_power_kva=[tiny, None, None],
        needed_by=[None, None, None],
    )
    arrays = DemandArrays.build(build_demands(raw, tracks=TRACK_IDS), tracks=TRACKS)
    parts = components(INDEX, arrays.take([0]), settings=M, as_of=AS_OF)
    known = ~np.isnan(INDEX.floor_load) & ~np.isnan(INDEX.clear_height) & ~np.isnan(INDEX.power)
    assert known.any()
    assert (parts["technical"][known] == 1.0).all()


def test_reasons_in_both_languages():
    zh = reasons(INDEX, ARRAYS, "D0001", ["lab-800"], tracks=TRACKS, lang="zh")["lab-800"]
    assert "面积 800 m²（需求 800–1,200 m²）" in zh
    assert "湿实验排水 ✓" in zh and "载体定向生物医药赛道" in zh
    en = reasons(INDEX, ARRAYS, "D0001", ["lab-800"], tracks=TRACKS, lang="en")["lab-800"]
    assert "area 800 m² (asked 800–1,200 m²)" in en and "load 6 ≥ 5 kN/m²" in en


def test_a_carriers_demands_mirror_the_demands_carriers():
    for cid in INDEX.ids:
        served = demands_for_carrier(
            INDEX, ARRAYS, cid, settings=M, as_of=AS_OF, open_only=False
        ).index
        for did in ARRAYS.ids:
            assert (did in served) == (cid in matched(did))


def test_match_all_lists_open_demands_only():
    pairs = match_all(INDEX, ARRAYS, settings=M, as_of=AS_OF)
    assert set(pairs.demand_id) == {"D0001", "D0002"}  # D0003 is closed
    assert pairs[pairs.demand_id == "D0001"].carrier_id.tolist() == matched("D0001")


def test_gap_report_names_unmet_demand_and_unwanted_supply():
    raw = demand_frame(
        demand_id=["D0001", "D0002", "D0003"],
        tier=["floor", "room", "building"],
        area_min_m2=[800.0, 300.0, 8000.0],
        area_max_m2=[1200.0, 600.0, 20000.0],
        status=["open", "open", "open"],
    )
    frame = build_demands(raw, tracks=TRACK_IDS)
    report = gap_report(INDEX, DemandArrays.build(frame, tracks=TRACKS), TABLE, frame)
    assert list(report.unmet.index) == ["D0003"]
    # no building at all: dropping any one constraint alone lets nothing through
    assert report.unmet.loc["D0003", ["blocking", "without_it"]].tolist() == ["several", 0]
    assert report.unmet.loc["D0003", "band"] == "3,000–10,000 m²"
    assert report.unmet_summary.to_dict("records") == [
        {
            "track": "—",
            "tier": "building",
            "band": "3,000–10,000 m²",
            "demands": 1,
            "area_m2": 8000.0,
        }
    ]
    assert set(report.unwanted) == {"office-1000", "lab-1200-late", "room-500-far", "plot"}
    assert report.unwanted_summary.carriers.sum() == 4


def test_gap_report_blocking_constraint_is_the_one_that_alone_blocks_most():
    raw = demand_frame(max_rent_yuan_m2_day=[5.0, 8.0, None])
    frame = build_demands(raw, tracks=TRACK_IDS)
    report = gap_report(INDEX, DemandArrays.build(frame, tracks=TRACKS), TABLE, frame)
    assert report.unmet.loc["D0001", "blocking"] == "rent"
    assert report.unmet.loc["D0001", "without_it"] == 2


def test_area_bands():
    bands = area_band(np.array([100, 300, np.nan, 50000, np.nan]), np.array([0, 0, 900, 0, np.nan]))
    assert bands.tolist() == ["< 300 m²", "300–1,000 m²", "300–1,000 m²", "≥ 10,000 m²", "—"]


def test_growth_path_from_a_room_to_floors_nearby():
    path = growth_path(INDEX, "room-400", settings=M)
    # floors of its own building first, smallest first; the reserved floor is not offered
    assert list(path.index) == ["lab-800", "lab-1000", "office-1000", "lab-1200-late"]
    assert (path.step == 1).all() and (path.distance_m == 0).all()
    assert "plot" not in path.index  # 6 km away, beyond the growth radius
    wide = growth_path(INDEX, "room-400", settings=M, radius_m=50_000)
    assert "plot" in wide.index and wide.loc["plot", "step"] == 3


def test_growth_path_keeps_the_lab_services_it_has():
    lab_room = carriers(
        {
            "lab-room": {"tier": "room", "usable_area_m2": 200.0, "exhaust": True},
            "dry-floor": {},
            "lab-floor": {"exhaust": True},
        }
    )
    index = index_of(lab_room)
    assert list(growth_path(index, "lab-room", settings=M).index) == ["lab-floor"]


# --- properties ---------------------------------------------------------------------------

numbers = maybe(st.floats(0, 50000, allow_nan=False))
demand_rows = st.fixed_dictionaries(
    {
        "enterprise": st.just("示例企业"),
        "home_city": st.just("suzhou"),
        "track": maybe(st.sampled_from(TRACK_IDS)),
        "tier": maybe(st.sampled_from(list(TIERS))),
        "area_min_m2": maybe(st.floats(5, 40000)),
        "area_max_m2": maybe(st.floats(40000, 60000)),
        "needed_by": maybe(st.dates(date(2025, 1, 1), date(2031, 12, 31))),
        "track_specs": st.booleans(),
        "min_floor_load_kn_m2": maybe(st.floats(0, 12)),
        "min_clear_height_m": maybe(st.floats(0, 7)),
        "exhaust": st.booleans(),
        "wet_lab_drainage": st.booleans(),
        "min_power_kva": maybe(st.floats(0, 2000)),
        "max_clean_room_iso": maybe(st.integers(5, 9)),
        "max_rent_yuan_m2_day": maybe(st.floats(1, 12)),
        "area": maybe(st.sampled_from(list(AREAS))),
        "status": st.just("open"),
    }
)


def meets_by_hand(row: pd.Series, d: pd.Series) -> bool:
    """The hard constraints of `planning.matching.HARD_CONSTRAINTS`, read row by row."""
    plot = row.tier == "plot"
    track = next((t for t in TRACKS if t.id == d.track), None) if d.track_specs else None

    def need(own, from_track):
        values = [v for v in (own, from_track) if v is not None and not pd.isna(v)]
        return max(values) if values else None

    def enough(have, bound):
        return bound is None or (pd.notna(have) and have >= bound)

    load = need(d.min_floor_load_kn_m2, track and track.min_floor_load_kn_m2)
    height = need(d.min_clear_height_m, track and track.min_clear_height_m)
    power = need(d.min_power_kva, track and track.min_power_kva)
    own_iso = None if pd.isna(d.max_clean_room_iso) else d.max_clean_room_iso
    isos = [v for v in (own_iso, track and track.max_clean_room_iso) if v]
    iso = min(isos) if isos else None
    exhaust = bool(d.exhaust) or bool(track and track.exhaust)
    wet = bool(d.wet_lab_drainage) or bool(track and track.wet_lab_drainage)
    has_date = pd.notna(row.available_from)
    technical = plot or (
        enough(row.floor_load_kn_m2, load)
        and enough(row.clear_height_m, height)
        and enough(row.power_kva, power)
        and (not exhaust or row.exhaust is True)
        and (not wet or row.wet_lab_drainage is True)
        and (iso is None or (pd.notna(row.clean_room_iso) and row.clean_room_iso <= iso))
    )
    return bool(
        row.status in ("available", "under_construction", "reserve_land")
        and (row.status == "available" or has_date)
        and (pd.isna(d.tier) or row.tier == d.tier)
        and (pd.isna(d.area_min_m2) or row.usable_area_m2 >= d.area_min_m2)
        and (pd.isna(d.area_max_m2) or row.usable_area_m2 <= d.area_max_m2)
        and (pd.isna(d.area) or row.area == d.area)
        and (
            pd.isna(d.needed_by)
            or (row.status == "available" and not has_date)
            or (has_date and row.available_from <= d.needed_by)
        )
        and technical
        and (
            pd.isna(d.max_rent_yuan_m2_day)
            or pd.isna(row.rent_yuan_m2_day)
            or row.rent_yuan_m2_day <= d.max_rent_yuan_m2_day
        )
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=carrier_tables(), rows=st.lists(demand_rows, min_size=1, max_size=3))
def test_a_demands_matches_are_exactly_the_carriers_meeting_its_hard_constraints(table, rows):
    frame = build_demands(
        pd.DataFrame(rows).assign(demand_id=[f"D{i}" for i in range(len(rows))]),
        tracks=TRACK_IDS,
    )
    index = index_of(table)
    arrays = DemandArrays.build(frame, tracks=TRACKS)
    plain = table.astype({"exhaust": object, "wet_lab_drainage": object})
    plain["exhaust"] = [v if v is not pd.NA else None for v in plain.exhaust]
    plain["wet_lab_drainage"] = [v if v is not pd.NA else None for v in plain.wet_lab_drainage]
    for did, d in frame.iterrows():
        got = match_demand(index, arrays, did, settings=M, as_of=AS_OF)
        expected = {cid for cid, row in plain.iterrows() if meets_by_hand(row, d)}
        assert set(got.index) == expected
        assert got.score.is_monotonic_decreasing
        parts = constraints(index, arrays.take([arrays.position(did)]))
        assert set(parts) == set(HARD_CONSTRAINTS)
