"""Roll-ups: one flat row per carrier with everything it inherits, and stacking plans."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.crs import PROJECTED
from geodata.layers import area_of, town_of
from spaces.model import CRS, Inventory

# Columns a carrier inherits from its building (rooms, floors, buildings) or plot (plots).
_BUILDING_FACTS = [
    "construction_progress",
    "planned_completion",
    "actual_completion",
    "planned_acceptance",
    "actual_acceptance",
    "facilities_progress",
    "responsible_unit",
    "operator",
]
_SPECS = [
    "floor_load_kn_m2",
    "clear_height_m",
    "exhaust",
    "wet_lab_drainage",
    "power_kva",
    "clean_room_iso",
]


def carrier_parents(inv: Inventory) -> pd.DataFrame:
    """For each carrier, the room, floor, building and plot it is or lies in (NaN if none)."""
    c = inv.carriers
    tier, target = c.tier, c.target_id
    room_id = target.where(tier == "room")
    floor_id = target.where(tier == "floor").fillna(room_id.map(inv.rooms.floor_id))
    building_id = target.where(tier == "building").fillna(floor_id.map(inv.floors.building_id))
    plot_id = target.where(tier == "plot").fillna(building_id.map(inv.buildings.plot_id))
    return pd.DataFrame(
        {
            "room_id": room_id.astype("str"),
            "floor_id": floor_id.astype("str"),
            "building_id": building_id.astype("str"),
            "plot_id": plot_id.astype("str"),
        },
        index=c.index,
    )


def carrier_units(inv: Inventory) -> pd.Series:
    """The responsible unit of each carrier: its building's, or its plot's for a plot."""
    p = carrier_parents(inv)
    unit = p.building_id.map(inv.buildings.responsible_unit)
    on_plot = inv.carriers.tier == "plot"
    return unit.where(~on_plot, p.plot_id.map(inv.plots.responsible_unit)).rename(
        "responsible_unit"
    )


def building_specs(inv: Inventory) -> pd.DataFrame:
    """Per building: floors, levels, total usable area and its best lab specifications.

    A whole building offers its strongest floor for load and height, any floor's exhaust or
    wet-lab drainage, the sum of its floors' power and its cleanest clean room.
    """
    f = inv.floors
    g = f.groupby("building_id")
    out = pd.DataFrame(
        {
            "floors": g.size(),
            "top_level": g["level"].max(),
            "usable_area_m2": g["usable_area_m2"].sum(),
            "floor_load_kn_m2": g["floor_load_kn_m2"].max(),
            "clear_height_m": g["clear_height_m"].max(),
            "exhaust": g["exhaust"].any(),
            "wet_lab_drainage": g["wet_lab_drainage"].any(),
            "power_kva": g["power_kva"].sum(),
            "clean_room_iso": g["clean_room_iso"].min(),
        }
    )
    out["exhaust"] = out.exhaust.astype("boolean")
    out["wet_lab_drainage"] = out.wet_lab_drainage.astype("boolean")
    return out.reindex(inv.buildings.index)


def carrier_table(inv: Inventory, *, layers: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """One row per carrier with its own fields and all it inherits, in EPSG:4326.

    Parameters
    ----------
    inv
        A valid inventory.
    layers
        The base layers (see `geodata.layers.base_layers`); when given, each carrier gets the
        ``area`` ("hub"/"qianwan") and ``town`` its representative point falls in.

    Returns
    -------
    GeoDataFrame indexed by carrier_id: tier, target_id, status, rent, dates, track, tenant,
    service team, the room/floor/building/plot ids, a display ``name``, ``level``,
    ``usable_area_m2``, lab specifications, construction and facilities facts, responsible
    unit and operator, ``lon``/``lat`` of a point inside it, and the geometry of the building
    or plot it lies in.
    """
    c = inv.carriers
    parents = carrier_parents(inv)
    tier = c.tier
    out = pd.concat([c, parents], axis=1)

    floors, rooms, buildings, plots = inv.floors, inv.rooms, inv.buildings, inv.plots
    bspecs = building_specs(inv)
    room_area = parents.room_id.map(rooms.usable_area_m2)
    floor_area = parents.floor_id.map(floors.usable_area_m2)
    building_area = parents.building_id.map(bspecs.usable_area_m2)
    plot_area = parents.plot_id.map(_plot_area_m2(plots))
    out["usable_area_m2"] = np.select(
        [tier == "room", tier == "floor", tier == "building", tier == "plot"],
        [room_area, floor_area, building_area, plot_area],
        default=np.nan,
    )
    out["level"] = parents.floor_id.map(floors.level).astype("Int64")
    for spec in _SPECS:
        per_floor = parents.floor_id.map(floors[spec])
        per_building = parents.building_id.map(bspecs[spec])
        value = per_floor.where(tier.isin(["room", "floor"]), per_building)
        out[spec] = value.where(tier != "plot").astype(floors[spec].dtype)
    for fact in _BUILDING_FACTS:
        from_building = parents.building_id.map(buildings[fact])
        if fact in plots.columns:
            from_plot = parents.plot_id.map(plots[fact])
            value = from_building.where(tier != "plot", from_plot)
        else:
            value = from_building.where(tier != "plot")
        out[fact] = value.astype(buildings[fact].dtype)
    out["land_ready_planned"] = parents.plot_id.map(plots.land_ready_planned)
    out["land_ready_actual"] = parents.plot_id.map(plots.land_ready_actual)
    out["land_status"] = parents.plot_id.map(plots.land_status).astype("str")
    out["building_kind"] = parents.building_id.map(buildings.kind).astype("str")
    out["name"] = _names(inv, parents, tier)

    geometry = parents.building_id.map(buildings.geometry)
    geometry = geometry.where(tier != "plot", parents.plot_id.map(plots.geometry))
    gdf = gpd.GeoDataFrame(
        out, geometry=gpd.GeoSeries(geometry.values, index=out.index, crs=CRS), crs=CRS
    )
    points = gdf.geometry.representative_point()
    gdf["lon"], gdf["lat"] = points.x, points.y
    if layers is not None:
        gdf["area"] = area_of(layers, points).astype("str")
        gdf["town"] = town_of(layers, points).astype("str")
    return gdf


def _plot_area_m2(plots: gpd.GeoDataFrame) -> pd.Series:
    if plots.empty:
        return pd.Series(dtype="float64")
    return plots.geometry.to_crs(PROJECTED).area


def _names(inv: Inventory, parents: pd.DataFrame, tier: pd.Series) -> pd.Series:
    building = parents.building_id.map(inv.buildings.name)
    level = parents.floor_id.map(inv.floors.level)
    level_label = level.map(_level_label, na_action="ignore")
    number = parents.room_id.map(inv.rooms.number)
    plot = parents.plot_id.map(inv.plots.name)
    name = building.copy()
    floor_like = tier.isin(["floor", "room"])
    name[floor_like] = building[floor_like] + " " + level_label[floor_like]
    room = tier == "room"
    name[room] = name[room] + " " + number[room]
    name[tier == "plot"] = plot[tier == "plot"]
    return name.astype("str")


def _level_label(level: int) -> str:
    return f"B{-int(level)}" if level < 0 else f"{int(level)}F"


def stacking_plan(inv: Inventory, building_id: str) -> pd.DataFrame:
    """The floors of a building top to bottom, with what is offered on each and its status.

    Returns
    -------
    DataFrame with one row per floor (highest level first): floor_id, level, label,
    usable_area_m2, offer ("building", "floor", "rooms" or "none"), carrier_id and status of
    the offer covering the whole floor (building or floor carrier), and ``rooms``: a list of
    dicts (room_id, number, usable_area_m2, carrier_id, status) for the rooms on the floor.
    """
    if building_id not in inv.buildings.index:
        raise KeyError(f"unknown building {building_id!r}")
    floors = inv.floors[inv.floors.building_id == building_id].sort_values("level", ascending=False)
    c = inv.carriers
    by_target = c.reset_index().set_index(["tier", "target_id"])
    whole = (
        by_target.loc[("building", building_id)]
        if ("building", building_id) in by_target.index
        else None
    )
    rooms = inv.rooms[inv.rooms.floor_id.isin(floors.index)]
    rows = []
    for fid, floor in floors.iterrows():
        if whole is not None:
            offer, cid, status = "building", whole.carrier_id, whole.status
        elif ("floor", fid) in by_target.index:
            hit = by_target.loc[("floor", fid)]
            offer, cid, status = "floor", hit.carrier_id, hit.status
        else:
            offer, cid, status = "none", None, None
        floor_rooms = []
        for rid, room in rooms[rooms.floor_id == fid].sort_values("number").iterrows():
            rc = by_target.loc[("room", rid)] if ("room", rid) in by_target.index else None
            floor_rooms.append(
                {
                    "room_id": rid,
                    "number": room.number,
                    "usable_area_m2": room.usable_area_m2,
                    "carrier_id": None if rc is None else rc.carrier_id,
                    "status": None if rc is None else rc.status,
                }
            )
        if offer == "none" and any(r["carrier_id"] for r in floor_rooms):
            offer = "rooms"
        rows.append(
            {
                "floor_id": fid,
                "level": int(floor.level),
                "label": _level_label(floor.level),
                "usable_area_m2": floor.usable_area_m2,
                "offer": offer,
                "carrier_id": cid,
                "status": status,
                "rooms": floor_rooms,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "floor_id",
            "level",
            "label",
            "usable_area_m2",
            "offer",
            "carrier_id",
            "status",
            "rooms",
        ],
    )
