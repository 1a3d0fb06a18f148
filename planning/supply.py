"""The supply side: carriers as arrays for vectorised search, their public view, the supply list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planning.arrays import codes, flags, floats
from planning.days import NEVER, days
from planning.facts import CarrierFacts
from spaces.schema import AREAS, CARRIER_LIST, STATUSES, TIERS, Field

OFFERED_STATUSES = ("available", "under_construction", "reserve_land")
"""Statuses of carriers an enterprise can take now or once ready (the supply list).

A carrier counts as offered when its status is one of these and, unless it is available
now, it has an available-from date: under construction with a planned date, or reserve land
with its land-ready date. Reserved carriers are held for a prospect and leased ones let,
so they are left out unless a search asks for them.
"""

TIER_CODES = tuple(TIERS)
STATUS_CODES = tuple(STATUSES)
AREA_CODES = tuple(AREAS)

# Columns an enterprise may see: those of a carrier list whose field the schema marks public.
PUBLIC_FIELDS: tuple[Field, ...] = tuple(f for f in CARRIER_LIST.fields if f.public)
PUBLIC_COLUMNS = tuple(f.name for f in PUBLIC_FIELDS)


@dataclass(frozen=True, eq=False)
class CarrierIndex:
    """The carrier table as aligned numpy arrays, precomputed once for fast searches.

    Build it with `CarrierIndex.build`; every array has one entry per carrier, in the order
    of ``ids``. Codes index into `TIER_CODES`, `STATUS_CODES`, `AREA_CODES` and ``tracks``
    (-1: none). Dates are day numbers (`planning.days`; NEVER: none). Lab specifications are
    NaN (or False) for plots, which are built to suit (``built_to_suit``). Whether a carrier
    meets a track (``track_ok``, tracks × carriers), where it is (``x``, ``y`` in EPSG:4549)
    and how near the hub and metro it is come from its facts (`planning.facts`).
    """

    ids: pd.Index
    tier: np.ndarray
    status: np.ndarray
    zone: np.ndarray
    usable_area: np.ndarray
    floor_load: np.ndarray
    clear_height: np.ndarray
    exhaust: np.ndarray
    wet_lab: np.ndarray
    power: np.ndarray
    clean_iso: np.ndarray
    rent: np.ndarray
    available_day: np.ndarray
    track: np.ndarray
    built_to_suit: np.ndarray
    offered: np.ndarray
    x: np.ndarray
    y: np.ndarray
    metro_m: np.ndarray
    hub_m: np.ndarray
    metro_near: np.ndarray
    hub_near: np.ndarray
    track_ok: np.ndarray
    tracks: tuple[str, ...]
    place: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(cls, carriers: pd.DataFrame, *, facts: CarrierFacts) -> CarrierIndex:
        """Precompute the arrays of a carrier table (`spaces.rollup.carrier_table`).

        Parameters
        ----------
        carriers
            The carrier table, with an ``area`` column (hub, qianwan).
        facts
            The carriers' facts (`planning.facts.build`), in the table's order.
        """
        c = carriers
        if not facts.ids.equals(pd.Index(c.index.astype("str"))):
            raise ValueError("the facts were built from another carrier table: build them again")
        n = len(c)
        tier = codes(c["tier"], TIER_CODES).astype(np.int8)
        status = codes(c["status"], STATUS_CODES).astype(np.int8)
        zone = (
            codes(c["area"], AREA_CODES).astype(np.int8) if "area" in c else np.full(n, -1, np.int8)
        )
        built_to_suit = tier == TIER_CODES.index("plot")
        available_day = days(c["available_from"])
        available = status == STATUS_CODES.index("available")
        offered = np.isin(status, [STATUS_CODES.index(s) for s in OFFERED_STATUSES]) & (
            available | (available_day != NEVER)
        )
        on_plot = built_to_suit | c["building_id"].isna().to_numpy()
        place = np.where(on_plot, c["plot_id"].to_numpy(object), c["building_id"].to_numpy(object))
        return cls(
            ids=facts.ids,
            tier=tier,
            status=status,
            zone=zone,
            usable_area=floats(c["usable_area_m2"]),
            floor_load=floats(c["floor_load_kn_m2"]),
            clear_height=floats(c["clear_height_m"]),
            exhaust=flags(c["exhaust"]),
            wet_lab=flags(c["wet_lab_drainage"]),
            power=floats(c["power_kva"]),
            clean_iso=floats(c["clean_room_iso"]),
            rent=floats(c["rent_yuan_m2_day"]),
            available_day=available_day,
            track=codes(c["track"], facts.track_ids).astype(np.int16),
            built_to_suit=built_to_suit,
            offered=offered,
            x=facts.x,
            y=facts.y,
            metro_m=facts.metro_m,
            hub_m=facts.hub_m,
            metro_near=facts.metro_near,
            hub_near=facts.hub_near,
            track_ok=facts.meets.T,
            tracks=facts.track_ids,
            place=place,
        )

    def positions(self, carrier_ids: Sequence[str] | pd.Index) -> np.ndarray:
        """Positions of these carrier ids; raises KeyError naming any unknown id."""
        pos = self.ids.get_indexer(pd.Index(carrier_ids))
        if (pos < 0).any():
            missing = [str(i) for i, p in zip(carrier_ids, pos, strict=True) if p < 0]
            raise KeyError(f"unknown carrier id(s): {', '.join(missing[:5])}")
        return pos

    def take(self, positions: np.ndarray | Sequence[int]) -> CarrierIndex:
        """The index of a subset of carriers, in the given order."""
        pos = np.asarray(positions, dtype=np.intp)
        values = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if name == "tracks":
                values[name] = value
            elif name == "track_ok":
                values[name] = value[:, pos]
            else:
                values[name] = value[pos]
        return CarrierIndex(**values)


# --- the supply list -------------------------------------------------------------------------


def offered(carriers: pd.DataFrame) -> pd.Series:
    """Which carriers are offered: one of `OFFERED_STATUSES` and, unless available now, dated."""
    status = carriers["status"]
    return status.isin(OFFERED_STATUSES) & (
        (status == "available") | carriers["available_from"].notna()
    )


def supply_rows(carriers: pd.DataFrame) -> pd.DataFrame:
    """The supply list's carriers (供给清单): the offered ones, ordered by area of the zone, tier
    (room to plot) and name. `words.tables.supply_list` shows their public fields."""
    c = carriers[offered(carriers)]
    order = pd.DataFrame(
        {
            "area": c["area"].fillna("~") if "area" in c else "",
            "tier": c["tier"].map({t: i for i, t in enumerate(TIER_CODES)}),
            "name": c["name"],
        },
        index=c.index,
    ).sort_values(["area", "tier", "name"])
    return c.loc[order.index]
