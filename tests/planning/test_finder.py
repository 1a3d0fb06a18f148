"""The finder: each filter on hand-made carriers, properties on random ones, URL round trips."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planning.finder import (
    AVAILABLE_BY_RANGE,
    CLEAN_ROOM_CLASSES,
    QUERY_KEYS,
    Filters,
    find,
    mask,
    matched_places,
)
from planning.supply import OFFERED_STATUSES
from spaces.schema import AREAS, STATUSES, TIERS
from tests.planning.tables import TRACK_IDS, TRACKS, carrier_tables, carriers, index_of, maybe
from words.finder import query_problem

TABLE = carriers(
    {
        "small-room": {"tier": "room", "usable_area_m2": 150.0, "rent_yuan_m2_day": 8.0},
        "lab-floor": {
            "floor_load_kn_m2": 6.0,
            "clear_height_m": 4.5,
            "exhaust": True,
            "wet_lab_drainage": True,
            "power_kva": 300.0,
            "clean_room_iso": 7,
            "rent_yuan_m2_day": 7.0,
        },
        "qw-floor": {"area": "qianwan", "usable_area_m2": 2500.0, "rent_yuan_m2_day": 3.5},
        "building": {
            "tier": "building",
            "area": "qianwan",
            "usable_area_m2": 12000.0,
            "floor_load_kn_m2": 12.0,
            "clear_height_m": 6.0,
            "power_kva": 3000.0,
            "status": "under_construction",
            "available_from": "2027-09-01",
            "rent_yuan_m2_day": 3.0,
        },
        "plot": {
            "tier": "plot",
            "area": "qianwan",
            "usable_area_m2": 30000.0,
            "status": "reserve_land",
            "available_from": "2027-06-30",
            "rent_yuan_m2_day": None,
        },
        "reserved": {"status": "reserved", "available_from": "2026-12-01"},
        "leased": {"status": "leased", "available_from": "2029-01-01"},
        "uc-no-date": {"status": "under_construction"},
    }
)
INDEX = index_of(TABLE)


def ids(filters: Filters, released: pd.Series | None = None) -> set[str]:
    return set(INDEX.ids[find(INDEX, filters, released=released)])


def test_default_shows_what_enterprises_can_take():
    assert ids(Filters()) == {"small-room", "lab-floor", "qw-floor", "building", "plot"}


def test_other_statuses_on_request_but_never_without_a_date():
    assert ids(Filters(statuses=("reserved", "under_construction"))) == {"reserved", "building"}
    assert "uc-no-date" not in ids(Filters(statuses=()))
    assert "leased" in ids(Filters(statuses=()))


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(area_min=1000, area_max=3000), {"lab-floor", "qw-floor"}),
        (Filters(tiers=("room", "building")), {"small-room", "building"}),
        (Filters(areas=("qianwan",)), {"qw-floor", "building", "plot"}),
        (Filters(track="biomedicine"), {"lab-floor", "plot"}),
        (Filters(track="automotive"), {"building", "plot"}),
        (Filters(min_floor_load=5), {"lab-floor", "building", "plot"}),
        (Filters(min_clear_height=5), {"building", "plot"}),
        (Filters(exhaust=True, wet_lab_drainage=True), {"lab-floor", "plot"}),
        (Filters(min_power_kva=1000), {"building", "plot"}),
        (Filters(max_clean_room_iso=7), {"lab-floor", "plot"}),
        (Filters(max_clean_room_iso=6), {"plot"}),
        (Filters(rent_min=3.5, rent_max=7), {"lab-floor", "qw-floor"}),
        (Filters(available_by=date(2027, 7, 1)), {"small-room", "lab-floor", "qw-floor", "plot"}),
    ],
)
def test_each_filter(filters, expected):
    assert ids(filters) == expected


def test_released_batches_only():
    assert ids(Filters(released_only=True)) == set()
    assert ids(Filters(released_only=True), released=pd.Series(dtype="object")) == set()
    batches = pd.Series({"lab-floor": "第一批", "plot": None, "leased": "第一批"})
    assert ids(Filters(released_only=True), released=batches) == {"lab-floor"}


def test_matched_places_counts_buildings_and_plots():
    places = matched_places(INDEX, find(INDEX, Filters()))
    assert places.to_dict() == {"B1": 4, "P1": 1}


def test_filters_refuse_unknown_codes_and_sort_their_tuples():
    with pytest.raises(ValueError, match="tiers"):
        Filters(tiers=("house",))
    assert Filters(tiers=("plot", "room")) == Filters(tiers=("room", "plot"))


# --- the URL ------------------------------------------------------------------------------


def test_default_filters_make_an_empty_query():
    assert Filters().to_query() == {}
    assert Filters.from_query({}) == (Filters(), [])


def test_query_round_trip_example():
    f = Filters(
        area_min=500,
        tiers=("floor",),
        track="biomedicine",
        exhaust=True,
        available_by=date(2027, 3, 31),
        statuses=(),
    )
    query = f.to_query()
    assert query == {
        "amin": "500",
        "tier": "floor",
        "track": "biomedicine",
        "exhaust": "1",
        "by": "2027-03-31",
        "status": "any",
    }
    assert set(query) <= QUERY_KEYS
    assert Filters.from_query(query, tracks=TRACK_IDS) == (f, [])


def test_bad_query_values_are_named_and_ignored():
    f, problems = Filters.from_query(
        {
            "amin": "abc",
            "amax": "-5",
            "tier": "room,house",
            "track": "aerospace",
            "by": "2027-02-30",
            "rmin": "9",
            "rmax": "3",
            "clean": "4.5",
            "exhaust": "maybe",
            "zone": ["qianwan"],  # a list (repeated key) takes its last value
            "page": "2",  # not ours: ignored silently
        },
        tracks=TRACK_IDS,
    )
    assert f == Filters(areas=("qianwan",))
    keys = [p.key for p in problems]
    assert keys == ["amin", "amax", "tier", "track", "exhaust", "clean", "by", "rmin/rmax"]
    assert "house" in query_problem(problems[2], "en")
    assert query_problem(problems[0], "zh").startswith("链接参数 amin")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("by", "2019-12-31"),
        ("by", "0001-01-01"),
        ("by", "2100-01-01"),
        ("clean", "0"),
        ("clean", "10"),
        ("power", "1e999"),
    ],
)
def test_values_out_of_range_are_named_and_ignored(key, value):
    f, problems = Filters.from_query({key: value, "tier": "floor"})
    assert f == Filters(tiers=("floor",))
    assert [(p.key, p.value) for p in problems] == [(key, value)]


def test_the_ends_of_the_ranges_are_accepted():
    first, last = AVAILABLE_BY_RANGE
    for day in (first, last):
        assert Filters.from_query({"by": day.isoformat()}) == (Filters(available_by=day), [])
    for iso in (CLEAN_ROOM_CLASSES[0], CLEAN_ROOM_CLASSES[-1]):
        assert Filters.from_query({"clean": str(iso)}) == (Filters(max_clean_room_iso=iso), [])
    assert list(CLEAN_ROOM_CLASSES) == [1, 2, 3, 4, 5, 6, 7, 8, 9]


numbers = maybe(st.floats(0, 1e6, allow_nan=False).map(lambda x: round(x, 3)))
filters_strategy = st.builds(
    Filters,
    area_min=numbers,
    area_max=numbers,
    tiers=st.lists(st.sampled_from(list(TIERS)), unique=True).map(tuple),
    areas=st.lists(st.sampled_from(list(AREAS)), unique=True).map(tuple),
    track=maybe(st.sampled_from(TRACK_IDS)),
    min_floor_load=numbers,
    min_clear_height=numbers,
    exhaust=st.booleans(),
    wet_lab_drainage=st.booleans(),
    min_power_kva=numbers,
    max_clean_room_iso=maybe(st.integers(1, 9)),
    rent_min=numbers,
    rent_max=numbers,
    available_by=maybe(st.dates(date(2020, 1, 1), date(2035, 12, 31))),
    statuses=st.lists(st.sampled_from(list(STATUSES)), unique=True).map(tuple),
    released_only=st.booleans(),
)


@given(filters_strategy)
def test_url_round_trip(f):
    back, problems = Filters.from_query(f.to_query(), tracks=TRACK_IDS)
    ranges_reversed = (f.area_min or 0) > (f.area_max if f.area_max is not None else np.inf) or (
        f.rent_min or 0
    ) > (f.rent_max if f.rent_max is not None else np.inf)
    if not ranges_reversed:
        assert problems == []
        assert back == f


# --- properties ---------------------------------------------------------------------------


def satisfies(row: pd.Series, f: Filters, released: set[str]) -> bool:
    """A plain, row-by-row reading of the rules in `Filters`' docstring."""
    plot = row.tier == "plot"

    def at_least(value, bound):
        return bound is None or plot or (pd.notna(value) and value >= bound)

    has_date = pd.notna(row.available_from)
    track = next((t for t in TRACKS if t.id == f.track), None)
    checks = [
        row.status == "available" or has_date,
        not f.statuses or row.status in f.statuses,
        f.area_min is None or (pd.notna(row.usable_area_m2) and row.usable_area_m2 >= f.area_min),
        f.area_max is None or (pd.notna(row.usable_area_m2) and row.usable_area_m2 <= f.area_max),
        not f.tiers or row.tier in f.tiers,
        not f.areas or row.area in f.areas,
        at_least(row.floor_load_kn_m2, f.min_floor_load),
        at_least(row.clear_height_m, f.min_clear_height),
        at_least(row.power_kva, f.min_power_kva),
        not f.exhaust or plot or row.exhaust is True,
        not f.wet_lab_drainage or plot or row.wet_lab_drainage is True,
        f.max_clean_room_iso is None
        or plot
        or (pd.notna(row.clean_room_iso) and row.clean_room_iso <= f.max_clean_room_iso),
        f.rent_min is None
        or (pd.notna(row.rent_yuan_m2_day) and row.rent_yuan_m2_day >= f.rent_min),
        f.rent_max is None
        or (pd.notna(row.rent_yuan_m2_day) and row.rent_yuan_m2_day <= f.rent_max),
        f.available_by is None
        or (row.status == "available" and not has_date)
        or (has_date and row.available_from.date() <= f.available_by),
        not f.released_only or row.name in released,
    ]
    if track is not None and not plot:
        checks += [
            at_least(row.floor_load_kn_m2, track.min_floor_load_kn_m2),
            at_least(row.clear_height_m, track.min_clear_height_m),
            at_least(row.power_kva, track.min_power_kva),
            not track.exhaust or row.exhaust is True,
            not track.wet_lab_drainage or row.wet_lab_drainage is True,
            track.max_clean_room_iso is None
            or (pd.notna(row.clean_room_iso) and row.clean_room_iso <= track.max_clean_room_iso),
        ]
    return all(bool(c) for c in checks)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=carrier_tables(), f=filters_strategy, data=st.data())
def test_results_are_exactly_the_carriers_satisfying_every_active_filter(table, f, data):
    released = set(data.draw(st.lists(st.sampled_from(list(table.index) or ["x"]), unique=True)))
    index = index_of(table)
    got = mask(index, f, released=pd.Series("batch", index=sorted(released), dtype="object"))
    table = table.assign(exhaust=table.exhaust.astype(object), wet=0)
    table["exhaust"] = [v if v is not pd.NA else None for v in table.exhaust]
    table["wet_lab_drainage"] = [
        v if v is not pd.NA else None for v in table.wet_lab_drainage.astype(object)
    ]
    expected = [satisfies(row, f, released) for _, row in table.iterrows()]
    assert got.tolist() == expected


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=carrier_tables(), f=filters_strategy)
def test_loosening_a_filter_never_removes_a_result(table, f):
    index = index_of(table)
    before = mask(index, f)
    for name in {*f.active(), "statuses"}:
        after = mask(index, f.loosened(name))
        assert not (before & ~after).any(), name
    if f.statuses:  # adding a status widens too
        wider = Filters(**{**f.__dict__, "statuses": (*f.statuses, "leased", "reserved")})
        assert not (before & ~mask(index, wider)).any()


def test_offered_statuses_are_the_default():
    assert Filters().statuses == OFFERED_STATUSES
