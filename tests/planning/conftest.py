"""Fixtures for planning tests: the tiny inventory, its carrier table, and hand-placed layers."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import pytest
import shapely
from pyproj import Transformer

from planning.policy import Policy
from settings import load_settings
from spaces.rollup import carrier_table
from spaces.validation import build_inventory
from tests.factories import TRACKS, UNITS, tiny_frames

HUB_EAST_M = 3000.0
STATION_NORTH_M = 500.0


@pytest.fixture(scope="session")
def settings():
    return load_settings(env={})


@pytest.fixture(scope="session")
def policy(settings):
    return Policy.from_settings(settings)


@pytest.fixture(scope="session")
def open_policy(policy):
    """The settings' policy, but releasing reserved carriers: one more carrier to move."""
    return dataclasses.replace(
        policy, release=dataclasses.replace(policy.release, release_reserved=True)
    )


@pytest.fixture
def inv():
    return build_inventory(tiny_frames(), units=UNITS, tracks=TRACKS)


@pytest.fixture
def carriers(inv):
    return carrier_table(inv)


def hand_layers(carriers, *, hub_east_m=HUB_EAST_M, station_north_m=STATION_NORTH_M):
    """Layers with the hub ``hub_east_m`` east and one station ``station_north_m`` north of
    the tiny building B1 (distances in EPSG:4549)."""
    fwd = Transformer.from_crs("EPSG:4326", "EPSG:4549", always_xy=True)
    back = Transformer.from_crs("EPSG:4549", "EPSG:4326", always_xy=True)
    lon, lat = carriers.loc["C-F1", ["lon", "lat"]]
    x, y = fwd.transform(lon, lat)
    hub = shapely.Point(*back.transform(x + hub_east_m, y))
    station = shapely.Point(*back.transform(x, y + station_north_m))
    return gpd.GeoDataFrame(
        {
            "layer": ["landmark", "station"],
            "name_zh": ["上海虹桥站", "示例站"],
            "name_en": ["Hongqiao Railway Station", "Sample station"],
        },
        index=gpd.pd.Index(["landmark.hongqiao-railway-station", "station.1"], name="feature_id"),
        geometry=[hub, station],
        crs="EPSG:4326",
    )


@pytest.fixture
def layers(carriers):
    return hand_layers(carriers)


@pytest.fixture(scope="session")
def sample(settings):
    """The 1× sample inventory, its base layers and carrier table."""
    from geodata.layers import base_layers
    from spaces import sample as sample_module

    layers = base_layers()
    inv = sample_module.generate(
        layers,
        units=[u.id for u in settings.units],
        tracks=[t.id for t in settings.tracks],
    )
    return inv, layers, carrier_table(inv, layers=layers)


@pytest.fixture(scope="session")
def sample_plan(sample, policy):
    from planning.release import plan

    inv, layers, carriers = sample
    return plan(
        carriers,
        inv.service_teams,
        policy.carrier_facts(carriers, layers),
        policy=policy,
        as_of="2026-11-30",
    )
