"""Validation of inventories: every rule, each on a small hand-made break."""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, Polygon, box

from spaces.validation import InventoryError, build_inventory
from tests.factories import TRACKS, UNITS, tiny_frames
from words.inventory import issue_message, issues_frame


def build(frames: dict[str, pd.DataFrame]):
    return build_inventory(frames, units=UNITS, tracks=TRACKS)


def test_tiny_inventory_is_valid_and_typed():
    inv = build(tiny_frames())
    assert inv.counts() == {
        "plots": 2,
        "buildings": 1,
        "floors": 3,
        "rooms": 2,
        "service_teams": 2,
        "carriers": 5,
    }
    assert inv.buildings.index.name == "building_id"
    assert str(inv.buildings.planned_completion.dtype) == "datetime64[s]"
    assert str(inv.floors.level.dtype) == "Int64"
    assert str(inv.floors.exhaust.dtype) == "boolean"
    assert inv.buildings.crs.to_epsg() == 4326


def _set(table: str, record: str, field: str, value) -> Callable[[dict], None]:
    def change(frames: dict) -> None:
        df = frames[table]
        id_col = df.columns[0]
        df[field] = df[field].astype(object)
        df.loc[df[id_col] == record, field] = value

    return change


def _append(table: str, **row) -> Callable[[dict], None]:
    def change(frames: dict) -> None:
        df = frames[table]
        extra = pd.DataFrame([row])
        if isinstance(df, gpd.GeoDataFrame):
            extra = gpd.GeoDataFrame(extra, geometry="geometry", crs=df.crs)
        frames[table] = pd.concat([df, extra], ignore_index=True)

    return change


def _geometry(table: str, record: str, geom) -> Callable[[dict], None]:
    def change(frames: dict) -> None:
        df = frames[table]
        id_col = df.columns[0]
        df.loc[df[id_col] == record, "geometry"] = geom

    return change


BOWTIE = Polygon([(121.316, 31.190), (121.318, 31.192), (121.318, 31.190), (121.316, 31.192)])

CASES = {
    "range": (
        _set("buildings", "B1", "construction_progress", 1.5),
        "buildings",
        "B1",
        "construction_progress",
        "out_of_range",
    ),
    "negative area": (
        _set("rooms", "B1-2-01", "usable_area_m2", -3.0),
        "rooms",
        "B1-2-01",
        "usable_area_m2",
        "out_of_range",
    ),
    "not a number": (
        _set("floors", "B1-1", "floor_load_kn_m2", "heavy"),
        "floors",
        "B1-1",
        "floor_load_kn_m2",
        "bad_type",
    ),
    "not a date": (
        _set("buildings", "B1", "planned_completion", "soon"),
        "buildings",
        "B1",
        "planned_completion",
        "bad_type",
    ),
    "missing required": (
        _set("carriers", "C-F1", "status", None),
        "carriers",
        "C-F1",
        "status",
        "missing",
    ),
    "unknown tier": (
        _set("carriers", "C-F1", "tier", "tower"),
        "carriers",
        "C-F1",
        "tier",
        "unknown_code",
    ),
    "unknown unit": (
        _set("buildings", "B1", "responsible_unit", "qibao"),
        "buildings",
        "B1",
        "responsible_unit",
        "unknown_code",
    ),
    "unknown track": (
        _set("carriers", "C-F1", "track", "aerospace"),
        "carriers",
        "C-F1",
        "track",
        "unknown_code",
    ),
    "duplicate id": (
        _append(
            "service_teams",
            team_id="T-XH",
            name="x",
            responsible_unit="xinhong",
            status="none",
            capacity=1,
        ),
        "service_teams",
        "T-XH",
        "team_id",
        "duplicate_id",
    ),
    "floor without building": (
        _set("floors", "B1-3", "building_id", "B9"),
        "floors",
        "B1-3",
        "building_id",
        "unknown_ref",
    ),
    "room without floor": (
        _set("rooms", "B1-2-02", "floor_id", "B1-9"),
        "rooms",
        "B1-2-02",
        "floor_id",
        "unknown_ref",
    ),
    "carrier target unknown": (
        _set("carriers", "C-F3", "target_id", "B1-7"),
        "carriers",
        "C-F3",
        "target_id",
        "unknown_ref",
    ),
    "team unknown": (
        _set("carriers", "C-F3", "service_team_id", "T-NONE"),
        "carriers",
        "C-F3",
        "service_team_id",
        "unknown_ref",
    ),
    "rooms larger than floor": (
        _set("rooms", "B1-2-02", "usable_area_m2", 700.0),
        "floors",
        "B1-2",
        "usable_area_m2",
        "rooms_exceed_floor",
    ),
    "building outside plot": (
        _geometry("buildings", "B1", box(121.3175, 31.1905, 121.3190, 31.1912)),
        "buildings",
        "B1",
        "geometry",
        "outside_plot",
    ),
    "overlapping plots": (
        _geometry("plots", "P2", box(121.3170, 31.1910, 121.3190, 31.1930)),
        "plots",
        "P1",
        "geometry",
        "overlap",
    ),
    "invalid geometry": (
        _geometry("plots", "P2", BOWTIE),
        "plots",
        "P2",
        "geometry",
        "bad_geometry",
    ),
    "point footprint": (
        _geometry("buildings", "B1", Point(121.3168, 31.1908)),
        "buildings",
        "B1",
        "geometry",
        "wrong_geometry_type",
    ),
    "swapped lon/lat": (
        _geometry("plots", "P2", box(31.24, 121.30, 31.242, 121.303)),
        "plots",
        "P2",
        "geometry",
        "not_lonlat",
    ),
    "floor offered twice": (
        _append("carriers", carrier_id="C-X", tier="floor", target_id="B1-1", status="available"),
        "carriers",
        "C-X",
        "target_id",
        "offered_twice",
    ),
    "room of a whole floor": (
        _append("carriers", carrier_id="C-X", tier="floor", target_id="B1-2", status="available"),
        "carriers",
        "C-R201",
        "target_id",
        "offered_twice",
    ),
    "floor of a whole building": (
        _append("carriers", carrier_id="C-X", tier="building", target_id="B1", status="available"),
        "carriers",
        "C-F1",
        "target_id",
        "offered_twice",
    ),
    "building on a whole plot": (
        _append("carriers", carrier_id="C-X", tier="plot", target_id="P1", status="available"),
        "carriers",
        "C-R202",
        "target_id",
        "offered_twice",
    ),
    "acceptance before completion": (
        _set("buildings", "B1", "actual_acceptance", "2025-01-01"),
        "buildings",
        "B1",
        "actual_acceptance",
        "date_order",
    ),
    "duplicate level": (
        _set("floors", "B1-3", "level", 2),
        "floors",
        "B1-3",
        "level",
        "duplicate_level",
    ),
    "team of another unit": (
        _set("carriers", "C-F1", "service_team_id", "T-HC"),
        "carriers",
        "C-F1",
        "service_team_id",
        "team_unit_mismatch",
    ),
    "reserve land status on a floor": (
        _set("carriers", "C-F1", "status", "reserve_land"),
        "carriers",
        "C-F1",
        "status",
        "status_tier",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_each_rule_names_record_field_and_problem(case):
    change, table, record, field, code = case
    frames = tiny_frames()
    change(frames)
    with pytest.raises(InventoryError) as err:
        build(frames)
    found = [(i.table, i.record_id, i.field, i.code) for i in err.value.issues]
    assert (table, record, field, code) in found
    issue = next(i for i in err.value.issues if i.code == code)
    assert record in str(err.value)
    assert issue_message(issue, "zh") and issue_message(issue, "en") != issue_message(issue, "zh")


def test_wrong_crs_is_reported_once_for_the_table():
    frames = tiny_frames()
    frames["plots"] = frames["plots"].to_crs("EPSG:4549")
    with pytest.raises(InventoryError) as err:
        build(frames)
    codes = [(i.table, i.code) for i in err.value.issues]
    assert codes == [("plots", "wrong_crs")]
    assert "EPSG:4549" in str(err.value)


def test_missing_column_is_reported():
    frames = tiny_frames()
    frames["floors"] = frames["floors"].drop(columns=["clear_height_m"])
    with pytest.raises(InventoryError) as err:
        build(frames)
    assert ("floors", None, "clear_height_m", "missing_column") in [
        (i.table, i.record_id, i.field, i.code) for i in err.value.issues
    ]


def test_issue_table_for_display():
    frames = tiny_frames()
    _set("buildings", "B1", "construction_progress", 2)(frames)
    with pytest.raises(InventoryError) as err:
        build(frames)
    table = issues_frame(err.value.issues, "zh")
    assert list(table.columns) == ["table", "record", "field", "value", "problem"]
    assert table.loc[0, "record"] == "B1"
    assert "超出允许范围" in table.loc[0, "problem"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("是", True), ("否", False), ("yes", True), (0, False), (1, True), ("TRUE", True)],
)
def test_boolean_spellings(raw, expected):
    frames = tiny_frames()
    frames["floors"]["exhaust"] = frames["floors"]["exhaust"].astype(object)
    frames["floors"].loc[0, "exhaust"] = raw
    inv = build(frames)
    assert bool(inv.floors.loc["B1-1", "exhaust"]) is expected
