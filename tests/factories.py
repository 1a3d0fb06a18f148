"""Tiny inventories built in code for tests: one plot, one building, a few floors and rooms."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

UNITS = ("nanhongqiao", "huacao", "xinhong")
TRACKS = (
    "biomedicine",
    "new_energy",
    "automotive",
    "integrated_circuits",
    "new_materials",
    "smart_manufacturing",
)

# A plot east of Hongqiao Railway Station (WGS84), a building inside it, a reserve plot north.
PLOT = box(121.3160, 31.1900, 121.3180, 31.1920)
BUILDING = box(121.3165, 31.1905, 121.3172, 31.1912)
RESERVE = box(121.3000, 31.2400, 121.3030, 31.2420)


def tiny_frames() -> dict[str, pd.DataFrame]:
    """Raw frames (ids as columns, dates as text) of a small valid inventory."""
    plots = gpd.GeoDataFrame(
        {
            "plot_id": ["P1", "P2"],
            "name": ["虹桥示例地块", "前湾储备地块"],
            "land_use": ["commercial_office", "research"],
            "land_status": ["supplied", "reserve"],
            "far": [3.0, 2.0],
            "land_ready_planned": [None, "2027-06-30"],
            "land_ready_actual": ["2020-01-01", None],
            "facilities_progress": [0.9, 0.3],
            "responsible_unit": ["xinhong", "huacao"],
            "operator": ["上海示例置业有限公司", "华漕镇"],
            "source": ["test", "test"],
            "approximate": [True, True],
        },
        geometry=[PLOT, RESERVE],
        crs="EPSG:4326",
    )
    buildings = gpd.GeoDataFrame(
        {
            "building_id": ["B1"],
            "plot_id": ["P1"],
            "name": ["示例大厦"],
            "address": ["申长路 1 号"],
            "kind": ["office"],
            "height_m": [20.0],
            "construction_progress": [1.0],
            "planned_completion": ["2025-03-31"],
            "actual_completion": ["2025-03-15"],
            "planned_acceptance": ["2025-06-30"],
            "actual_acceptance": ["2025-06-01"],
            "facilities_progress": [0.9],
            "responsible_unit": ["xinhong"],
            "operator": ["上海示例置业有限公司"],
            "source": ["test"],
            "approximate": [True],
        },
        geometry=[BUILDING],
        crs="EPSG:4326",
    )
    floors = pd.DataFrame(
        {
            "floor_id": ["B1-1", "B1-2", "B1-3"],
            "building_id": ["B1", "B1", "B1"],
            "level": [1, 2, 3],
            "usable_area_m2": [1000.0, 1000.0, 1000.0],
            "floor_load_kn_m2": [5.0, 3.0, 3.0],
            "clear_height_m": [4.5, 3.0, 3.0],
            "exhaust": [True, False, False],
            "wet_lab_drainage": [True, False, False],
            "power_kva": [300.0, 100.0, 100.0],
            "clean_room_iso": [8, None, None],
        }
    )
    rooms = pd.DataFrame(
        {
            "room_id": ["B1-2-01", "B1-2-02"],
            "floor_id": ["B1-2", "B1-2"],
            "number": ["201", "202"],
            "usable_area_m2": [400.0, 500.0],
        }
    )
    teams = pd.DataFrame(
        {
            "team_id": ["T-XH", "T-HC"],
            "name": ["新虹街道企业服务专班", "华漕镇前湾企业服务专班"],
            "responsible_unit": ["xinhong", "huacao"],
            "status": ["in_place", "forming"],
            "ready_date": [None, "2027-01-01"],
            "capacity": [50, 30],
            "lead": ["张三", "李四"],
        }
    )
    carriers = pd.DataFrame(
        {
            "carrier_id": ["C-F1", "C-R201", "C-R202", "C-F3", "C-P2"],
            "tier": ["floor", "room", "room", "floor", "plot"],
            "target_id": ["B1-1", "B1-2-01", "B1-2-02", "B1-3", "P2"],
            "status": ["available", "leased", "available", "reserved", "reserve_land"],
            "rent_yuan_m2_day": [6.5, 7.0, 7.2, 6.0, None],
            "available_from": ["2026-07-01", "2028-12-31", "2026-06-01", "2026-09-01", None],
            "service_team_id": ["T-XH", "T-XH", "T-XH", None, "T-HC"],
            "track": ["biomedicine", "new_energy", None, None, "automotive"],
            "tenant": [None, "苏州示例新能源科技有限公司", None, "无锡示例药业", None],
            "note": [None, None, None, None, None],
        }
    )
    return {
        "plots": plots,
        "buildings": buildings,
        "floors": floors,
        "rooms": rooms,
        "service_teams": teams,
        "carriers": carriers,
    }


def demand_frame(**overrides: list) -> pd.DataFrame:
    """Raw demands (labels or codes, dates as text) of a small valid demand list."""
    data = {
        "demand_id": ["D0001", "D0002", "D0003"],
        "enterprise": [
            "苏州示例生物医药有限公司",
            "合肥示例新能源有限公司",
            "宁波示例智能装备有限公司",
        ],
        "home_city": ["suzhou", "hefei", "ningbo"],
        "track": ["biomedicine", "new_energy", None],
        "tier": ["floor", "room", None],
        "area_min_m2": [800.0, 300.0, None],
        "area_max_m2": [1200.0, 600.0, 500.0],
        "needed_by": ["2026-12-31", None, "2027-06-30"],
        "track_specs": [False, False, False],
        "min_floor_load_kn_m2": [5.0, None, None],
        "min_clear_height_m": [4.0, None, None],
        "exhaust": [True, False, False],
        "wet_lab_drainage": [True, False, False],
        "min_power_kva": [200.0, None, None],
        "max_clean_room_iso": [None, None, None],
        "max_rent_yuan_m2_day": [None, 8.0, None],
        "area": [None, "hub", None],
        "contact": ["张先生 138****0001", None, None],
        "status": ["open", "open", "closed"],
        "source": ["test", "test", "test"],
        "note": [None, None, None],
    }
    data.update(overrides)
    return pd.DataFrame(data)
