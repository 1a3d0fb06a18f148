"""The sample inventory: deterministic, valid, believable and scalable."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal

from geodata.crs import PROJECTED
from geodata.layers import area_of, base_layers
from settings import load_settings
from spaces import sample
from spaces.model import Inventory, empty
from spaces.schema import STATUSES, TABLES, TIERS
from spaces.validation import AREA_TOLERANCE_M2, check

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = load_settings(env={})
UNITS = tuple(u.id for u in SETTINGS.units)
TRACKS = tuple(t.id for t in SETTINGS.tracks)


@pytest.fixture(scope="module")
def layers() -> gpd.GeoDataFrame:
    return base_layers()


@pytest.fixture(scope="module")
def inv1(layers) -> Inventory:
    return sample.generate(layers, units=UNITS, tracks=TRACKS)


@pytest.fixture(scope="module")
def inv10(layers) -> Inventory:
    return sample.generate(layers, scale=10, units=UNITS, tracks=TRACKS)


@pytest.fixture(params=["1x", "10x"])
def inv(request, inv1, inv10) -> Inventory:
    return {"1x": inv1, "10x": inv10}[request.param]


def assert_inventories_equal(a: Inventory, b: Inventory) -> None:
    for name, left in a.tables().items():
        right = getattr(b, name)
        if isinstance(left, gpd.GeoDataFrame):
            assert_geodataframe_equal(left, right, check_less_precise=False)
        else:
            assert_frame_equal(left, right)


def by_area(inv: Inventory) -> pd.Series:
    """ "hub" or "qianwan" for each building, from its plot's land use."""
    hub_plot = inv.plots.land_use == "commercial_office"
    return inv.buildings.plot_id.map(hub_plot).map({True: "hub", False: "qianwan"})


def carrier_facts(inv: Inventory) -> pd.DataFrame:
    """Each carrier with its building (if any), plot and the plot's area."""
    c = inv.carriers
    floor = c.target_id.where(c.tier == "floor").fillna(
        c.target_id.where(c.tier == "room").map(inv.rooms.floor_id)
    )
    building = c.target_id.where(c.tier == "building").fillna(floor.map(inv.floors.building_id))
    plot = c.target_id.where(c.tier == "plot").fillna(building.map(inv.buildings.plot_id))
    return c.assign(
        floor_id=floor,
        building_id=building,
        plot_id=plot,
        area=plot.map(inv.plots.land_use)
        .eq("commercial_office")
        .map({True: "hub", False: "qianwan"}),
        accepted=building.map(inv.buildings.actual_acceptance).notna(),
        unit=building.map(inv.buildings.responsible_unit).fillna(
            plot.map(inv.plots.responsible_unit)
        ),
    )


# --- determinism and validity --------------------------------------------------------------


def test_same_arguments_give_identical_frames(layers, inv1):
    assert_inventories_equal(inv1, sample.generate(layers, units=UNITS, tracks=TRACKS))


def test_another_seed_gives_another_inventory(layers, inv1):
    other = sample.generate(layers, seed=7, units=UNITS, tracks=TRACKS)
    assert not other.carriers.equals(inv1.carriers)
    assert other.buildings.geometry.to_wkt().tolist() != inv1.buildings.geometry.to_wkt().tolist()
    assert 800 <= len(other.carriers) <= 1_250


def test_does_not_depend_on_the_hash_seed(inv1):
    code = (
        "import pandas as pd\n"
        "from geodata.layers import base_layers\n"
        "from spaces.sample import generate\n"
        f"inv = generate(base_layers(), units={UNITS!r}, tracks={TRACKS!r})\n"
        "for df in inv.tables().values():\n"
        "    print(int(pd.util.hash_pandas_object(df.drop(columns='geometry', errors='ignore'))"
        ".sum()))\n"
        "    if 'geometry' in df: print(int(pd.util.hash_pandas_object(df.geometry.to_wkb())"
        ".sum()))\n"
    )
    outputs = []
    for hash_seed in ("1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]


def test_inventory_is_valid_and_typed(inv):
    assert check(inv, units=UNITS, tracks=TRACKS) is inv
    for name, df in inv.tables().items():
        expected = empty(TABLES[name])
        assert list(df.columns) == list(expected.columns), name
        assert df.dtypes.astype(str).to_dict() == expected.dtypes.astype(str).to_dict(), name
        assert df.index.name == TABLES[name].id
        assert df.index.is_unique
    assert inv.plots.crs.to_epsg() == 4326
    assert inv.buildings.crs.to_epsg() == 4326


def test_every_record_says_it_is_sample_data(inv1):
    for df in (inv1.plots, inv1.buildings):
        assert (df.source == sample.record_source(sample.DEFAULT_SEED)).all()
        assert df.approximate.all()
    assert "样例数据" in sample.SOURCE and "sample data" in sample.SOURCE


# --- counts ---------------------------------------------------------------------------------


def test_counts_at_1x_are_those_of_the_zone(inv1):
    n = inv1.counts()
    assert 800 <= n["carriers"] <= 1_250
    plots, buildings = inv1.plots, inv1.buildings
    hub_plots = plots[plots.land_use == "commercial_office"]
    assert 15 <= len(hub_plots) <= 20
    assert 30 <= (buildings.kind == "office").sum() <= 50
    assert 25 <= buildings[buildings.kind == "self_built"].plot_id.nunique() <= 40
    assert 12 <= (plots.land_status == "reserve").sum() <= 18
    per_unit = inv1.service_teams.groupby("responsible_unit").size()
    assert set(per_unit.index) == set(UNITS)
    assert per_unit.between(2, 4).all()


def test_counts_grow_with_scale(inv1, inv10):
    n1, n10 = inv1.counts(), inv10.counts()
    for table in ("plots", "buildings", "floors", "rooms", "carriers"):
        assert 8 <= n10[table] / n1[table] <= 12, table
    assert inv10.service_teams.capacity.sum() > 5 * inv1.service_teams.capacity.sum()


def test_every_tier_and_status_is_present(inv):
    assert set(inv.carriers.tier) == set(TIERS)
    assert set(inv.carriers.status) == set(STATUSES)


# --- geometry -------------------------------------------------------------------------------


def test_buildings_lie_in_their_area_by_kind(inv, layers):
    b = inv.buildings
    area = by_area(inv)
    assert (b.kind[area == "hub"] == "office").all()
    assert (b.kind[area == "qianwan"] == "self_built").all()
    found = area_of(layers, b.geometry.representative_point())
    assert (found == area).all()
    hub, qianwan = layers.geometry["area.hub"], layers.geometry["area.qianwan"]
    assert b.geometry[b.kind == "office"].within(hub).all()
    assert b.geometry[b.kind == "self_built"].within(qianwan).all()


def test_plots_lie_in_their_area(inv, layers):
    p = inv.plots
    hub = p.land_use == "commercial_office"
    assert p.geometry[hub].within(layers.geometry["area.hub"]).all()
    assert p.geometry[~hub].within(layers.geometry["area.qianwan"]).all()
    assert (p.land_status[hub] == "supplied").all()
    assert set(p.land_use[~hub]) <= {"research", "industrial", "mixed"}


@pytest.mark.parametrize("table", ["plots", "buildings"])
def test_nothing_overlaps(inv, table):
    geoms = getattr(inv, table).geometry.to_crs(PROJECTED).to_numpy()
    assert shapely.is_valid(geoms).all()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = left < right
    overlap = shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]]))
    assert (overlap <= AREA_TOLERANCE_M2).all()


def test_buildings_lie_in_their_plots(inv):
    b = inv.buildings.to_crs(PROJECTED)
    plots = inv.plots.to_crs(PROJECTED).geometry.loc[b.plot_id].to_numpy()
    outside = shapely.area(shapely.difference(b.geometry.to_numpy(), plots))
    assert (outside <= AREA_TOLERANCE_M2).all()


def test_footprints_match_floor_areas_at_1x(inv1):
    footprint = inv1.buildings.geometry.to_crs(PROJECTED).area
    usable = inv1.floors.groupby("building_id").usable_area_m2.mean()
    ratio = usable / footprint
    assert ratio.between(0.75, 0.88).all()


# --- buildings, floors and rooms ------------------------------------------------------------


def test_office_and_self_built_specs(inv1):
    f = inv1.floors.join(inv1.buildings.kind, on="building_id")
    office = f[f.kind == "office"]
    lab = office.floor_load_kn_m2 >= 5
    assert office.usable_area_m2.between(1_000, 2_500).all()
    assert office.floor_load_kn_m2[~lab].between(2.0, 3.5).all()
    assert office.clear_height_m[~lab].between(2.7, 3.3).all()
    assert office.power_kva.between(60, 250).all()
    assert 0 < lab.sum() < 0.3 * len(office)
    assert (office[lab][["exhaust", "wet_lab_drainage"]]).all().all()
    assert (office.clear_height_m[lab] == 4.5).all()
    floors_per_office = office.groupby("building_id").size()
    assert floors_per_office.between(8, 30).all()

    own = f[f.kind == "self_built"]
    assert own.floor_load_kn_m2.between(5, 12).all()
    assert own.clear_height_m.between(4.0, 6.5).all()
    assert own.power_kva.between(200, 1_500).all()
    assert own.exhaust.mean() > 0.3 and own.clean_room_iso.notna().any()
    assert own.groupby("building_id").size().between(3, 12).all()


def test_rooms_divide_some_floors(inv):
    rooms = inv.rooms
    per_floor = rooms.groupby("floor_id")
    assert per_floor.size().between(3, 10).all()
    assert rooms.usable_area_m2.between(80, 600).all()
    total = per_floor.usable_area_m2.sum()
    assert (total <= inv.floors.usable_area_m2.loc[total.index]).all()
    level = rooms.floor_id.map(inv.floors.level).astype(int).astype(str)
    assert (rooms.number.str[:-2] == level).all()
    assert rooms.number.str.len().isin([3, 4]).all()


def test_construction_dates_and_progress(inv1):
    b = inv1.buildings
    done = b.actual_completion.notna()
    assert (b.construction_progress[done] == 1.0).all()
    assert (b.construction_progress[~done] < 1.0).all()
    assert done.any() and (~done).any()
    assert (b.planned_completion[~done] >= pd.Timestamp("2026-12-01")).all()
    assert (b.planned_completion[~done] <= pd.Timestamp("2029-06-30")).all()
    lag = (b.actual_acceptance - b.actual_completion).dt.days.dropna()
    assert lag.between(30, 185).all()
    lag = (b.planned_acceptance - b.planned_completion).dt.days
    assert lag.between(30, 185).all()
    hub = b.kind == "office"
    assert b.facilities_progress[hub].between(0.7, 1.0).all()
    assert b.facilities_progress[~hub].between(0.2, 0.9).all()
    assert b.facilities_progress[hub].mean() > b.facilities_progress[~hub].mean()


def test_all_dates_fall_in_2024_to_2029(inv):
    for name, df in inv.tables().items():
        for col in df.columns[df.dtypes.astype(str) == "datetime64[s]"]:
            values = df[col].dropna()
            assert values.between(pd.Timestamp("2024-01-01"), pd.Timestamp("2029-12-31")).all(), (
                name,
                col,
            )


# --- carriers -------------------------------------------------------------------------------


def test_reserve_plots_are_offered_as_reserve_land(inv):
    p = inv.plots
    reserve = p.index[p.land_status == "reserve"]
    c = inv.carriers
    offered = c[c.target_id.isin(reserve)]
    assert len(offered) == len(reserve)
    assert (offered.tier == "plot").all() and (offered.status == "reserve_land").all()
    assert c.target_id[c.status == "reserve_land"].isin(reserve).all()
    assert not inv.buildings.plot_id.isin(reserve).any()
    planned = p.land_ready_planned[reserve]
    assert planned.between(pd.Timestamp("2026-01-01"), pd.Timestamp("2029-12-31")).all()
    assert p.land_ready_actual[reserve].isna().all()


def test_status_follows_acceptance(inv):
    c = carrier_facts(inv)
    on_building = c.building_id.notna()
    assert (c.accepted[c.status == "under_construction"] == False).all()  # noqa: E712
    assert (c.status[on_building & ~c.accepted].isin(["under_construction", "reserved"])).all()
    accepted = c[on_building & c.accepted]
    assert set(accepted.status) == {"available", "reserved", "leased"}
    # occupancy varies between buildings
    leased = accepted.status.eq("leased").groupby(accepted.building_id).mean()
    assert leased.std() > 0.1


def test_rents_are_in_range(inv):
    c = carrier_facts(inv)
    rent = c.rent_yuan_m2_day
    assert rent[c.tier == "plot"].isna().all()
    hub = c.area == "hub"
    room = c.tier == "room"
    assert rent[hub & ~room].between(*sample.RENT_HUB).all()
    assert rent[hub & room].between(*sample.RENT_HUB_ROOM).all()
    assert rent[~hub & (c.tier != "plot")].between(*sample.RENT_QIANWAN).all()
    assert rent[hub & room].mean() > rent[hub & (c.tier == "floor")].mean()
    assert set(c.tier[hub]) == {"room", "floor", "building"}
    assert set(c.tier[~hub]) == {"floor", "building", "plot"}


def test_tracks_tenants_and_teams(inv):
    c = carrier_facts(inv)
    let = c.status.isin(["leased", "reserved"])
    assert c.track[let].notna().all() and c.tenant[let].notna().all()
    assert c.tenant[~let].isna().all()
    assert c.tenant[let].str.endswith("上海研发中心").all()
    assert 0.1 < c.track[~let].notna().mean() < 0.9
    priority = c.track.isin(["biomedicine", "new_energy", "automotive"])
    assert priority[c.area == "qianwan"].mean() > priority[c.area == "hub"].mean()
    assert 0.05 < c.note.notna().mean() < 0.15
    teams = inv.service_teams
    assert (
        c.service_team_id.dropna().map(teams.responsible_unit) == c.unit[c.service_team_id.notna()]
    ).all()
    assert 0.1 < c.service_team_id.isna().mean() < 0.4
    hub_units = set(c.unit[c.area == "hub"])
    assert hub_units <= {"xinhong", "nanhongqiao"} and "xinhong" in hub_units
    assert set(c.unit[c.area == "qianwan"]) <= {"huacao", "nanhongqiao"}
    assert teams.ready_date.notna().eq(teams.status == "forming").all()


def test_available_from_follows_status(inv):
    c = carrier_facts(inv)
    assert c.available_from.notna().all()
    acceptance = c.building_id.map(inv.buildings.planned_acceptance)
    uc = c.status == "under_construction"
    assert (c.available_from[uc] >= acceptance[uc]).all()
    leased = c.status == "leased"
    assert (c.available_from[leased] > pd.Timestamp(sample.AS_OF)).all()
    reserve = c.status == "reserve_land"
    planned = c.plot_id.map(inv.plots.land_ready_planned)
    assert (c.available_from[reserve] == planned[reserve]).all()


# --- options --------------------------------------------------------------------------------


def test_bad_options_are_refused(layers):
    with pytest.raises(ValueError, match="scale"):
        sample.generate(layers, scale=0, units=UNITS, tracks=TRACKS)
    with pytest.raises(ValueError, match="units and tracks"):
        sample.generate(layers, units=(), tracks=TRACKS)
    with pytest.raises(ValueError, match="no CRS"):
        sample.generate(layers.set_crs(None, allow_override=True), units=UNITS, tracks=TRACKS)
    with pytest.raises(ValueError, match=r"area\.qianwan"):
        sample.generate(layers.drop(index="area.qianwan"), units=UNITS, tracks=TRACKS)


def test_other_configured_ids_are_used(layers):
    inv = sample.generate(layers, scale=0.3, units=("xinhong", "other"), tracks=("robotics",))
    check(inv, units=("xinhong", "other"), tracks=("robotics",))
    assert set(inv.carriers.track.dropna()) == {"robotics"}
    assert set(inv.buildings.responsible_unit) <= {"xinhong", "other"}


@pytest.mark.slow
def test_100x_is_valid_and_quick(layers):
    start = time.perf_counter()
    inv = sample.generate(layers, scale=100, units=UNITS, tracks=TRACKS)
    seconds = time.perf_counter() - start
    check(inv, units=UNITS, tracks=TRACKS)
    assert 80_000 <= len(inv.carriers) <= 125_000
    assert inv.buildings.geometry.within(
        layers.geometry["area.hub"].union(layers.geometry["area.qianwan"])
    ).all()
    assert seconds < 60
