"""Hand-made carrier tables and demand lists for the planning tests, and their strategies."""

from __future__ import annotations

import functools
from datetime import date

import pandas as pd
from hypothesis import strategies as st

from geodata.layers import base_layers
from planning.policy import Policy
from planning.supply import CarrierIndex
from settings import load_settings
from spaces.schema import AREAS, STATUSES, TIERS

SETTINGS = load_settings(env={})
TRACKS = SETTINGS.tracks
TRACK_IDS = tuple(t.id for t in TRACKS)

COLUMNS = [
    "tier",
    "status",
    "area",
    "usable_area_m2",
    "floor_load_kn_m2",
    "clear_height_m",
    "exhaust",
    "wet_lab_drainage",
    "power_kva",
    "clean_room_iso",
    "rent_yuan_m2_day",
    "available_from",
    "track",
    "building_id",
    "plot_id",
    "lon",
    "lat",
    "name",
]


def carriers(rows: dict[str, dict]) -> pd.DataFrame:
    """A carrier table (`spaces.rollup.carrier_table` columns the planning code reads).

    Each row gives what differs from an available 1,000 m² hub floor with modest specs.
    """
    base = {
        "tier": "floor",
        "status": "available",
        "area": "hub",
        "usable_area_m2": 1000.0,
        "floor_load_kn_m2": 3.0,
        "clear_height_m": 3.0,
        "exhaust": False,
        "wet_lab_drainage": False,
        "power_kva": 100.0,
        "clean_room_iso": None,
        "rent_yuan_m2_day": 6.0,
        "available_from": None,
        "track": None,
        "building_id": "B1",
        "plot_id": "P1",
        "lon": 121.3165,
        "lat": 31.1905,
    }
    records = []
    for cid, row in rows.items():
        record = {**base, **row, "carrier_id": cid}
        if record["tier"] == "plot":
            record["building_id"] = None
            for spec in ("floor_load_kn_m2", "clear_height_m", "power_kva"):
                record.setdefault(spec, None)
        record.setdefault("name", cid)
        records.append(record)
    return typed(pd.DataFrame(records).set_index("carrier_id"))


def typed(df: pd.DataFrame) -> pd.DataFrame:
    """The dtypes of the real carrier table."""
    out = df.copy()
    for c in ("tier", "status", "area", "track", "building_id", "plot_id", "name"):
        out[c] = out[c].astype("str")
    for c in ("usable_area_m2", "floor_load_kn_m2", "clear_height_m", "power_kva"):
        out[c] = pd.to_numeric(out[c]).astype("float64")
    out["rent_yuan_m2_day"] = pd.to_numeric(out["rent_yuan_m2_day"]).astype("float64")
    out["exhaust"] = out["exhaust"].astype("boolean")
    out["wet_lab_drainage"] = out["wet_lab_drainage"].astype("boolean")
    out["clean_room_iso"] = pd.to_numeric(out["clean_room_iso"]).astype("Int64")
    out["available_from"] = pd.to_datetime(out["available_from"]).astype("datetime64[s]")
    out.index = out.index.astype("str")
    out.index.name = "carrier_id"
    return out


@functools.cache
def _base_layers():
    return base_layers()


def index_of(table: pd.DataFrame, *, layers=None) -> CarrierIndex:
    """The search index of a carrier table, its facts judged by the default settings."""
    layers = _base_layers() if layers is None else layers
    facts = Policy.from_settings(SETTINGS).carrier_facts(table, layers)
    return CarrierIndex.build(table, facts=facts)


def maybe(strategy):
    return st.none() | strategy


@st.composite
def carrier_tables(draw, min_size: int = 0, max_size: int = 12) -> pd.DataFrame:
    """Random carrier tables, including missing values and plots without specifications."""
    n = draw(st.integers(min_size, max_size))
    records = []
    for i in range(n):
        tier = draw(st.sampled_from(list(TIERS)))
        plot = tier == "plot"
        records.append(
            {
                "carrier_id": f"C{i:03d}",
                "tier": tier,
                "status": draw(st.sampled_from(list(STATUSES))),
                "area": draw(maybe(st.sampled_from(list(AREAS)))),
                "usable_area_m2": draw(maybe(st.floats(20, 60000))),
                "floor_load_kn_m2": None if plot else draw(maybe(st.floats(2, 15))),
                "clear_height_m": None if plot else draw(maybe(st.floats(2.5, 8))),
                "exhaust": None if plot else draw(maybe(st.booleans())),
                "wet_lab_drainage": None if plot else draw(maybe(st.booleans())),
                "power_kva": None if plot else draw(maybe(st.floats(0, 3000))),
                "clean_room_iso": None if plot else draw(maybe(st.integers(5, 9))),
                "rent_yuan_m2_day": draw(maybe(st.floats(1, 12))),
                "available_from": draw(maybe(st.dates(date(2024, 1, 1), date(2031, 12, 31)))),
                "track": draw(maybe(st.sampled_from(TRACK_IDS))),
                "building_id": None if plot else f"B{i % 4}",
                "plot_id": f"P{i % 3}",
                "lon": 121.30 + draw(st.floats(0, 0.05)),
                "lat": 31.18 + draw(st.floats(0, 0.05)),
                "name": f"C{i:03d}",
            }
        )
    frame = pd.DataFrame(records, columns=["carrier_id", *COLUMNS])
    return typed(frame.set_index("carrier_id"))
