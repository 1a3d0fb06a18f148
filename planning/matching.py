"""Supply–demand matching: carriers for a demand, demands for a carrier, gaps, growth paths."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from planning.arrays import codes, flags, floats
from planning.days import NEVER, day, days
from planning.facts import requirement_table
from planning.rules import MATCH_COMPONENTS, MatchingSettings
from planning.supply import AREA_CODES, STATUS_CODES, TIER_CODES, CarrierIndex
from spaces.entities import REQUIREMENTS, Track

HARD_CONSTRAINTS = ("status", "tier", "area", "zone", "date", "technical", "rent")
"""The hard constraints a carrier must meet for a demand, in the order they are explained.

status: offered (`planning.supply.OFFERED_STATUSES`, with a date unless available now);
tier: the tier wanted, if any; area: usable area within the demand's range; zone: the
preferred area of the zone, if any; date: available by the date needed, if any; technical:
floor load, clear height, power, exhaust, wet-lab drainage and clean room at least what the
demand needs, and what its track needs when it asks for its track's specifications (plots
are built to suit and pass); rent: at most the demand's rent ceiling, if any (a plot
without a rent is to be negotiated and passes).
"""

AREA_BANDS = (0.0, 300.0, 1000.0, 3000.0, 10000.0, np.inf)
"""Edges (m²) of the area bands of the gap report: <300, 300–1,000, ... ≥10,000."""

_DEMAND_COLUMNS = (
    "tier",
    "area_min_m2",
    "area_max_m2",
    "needed_by",
    *REQUIREMENTS,  # a demand names its technical needs as a track names its requirements
    "max_rent_yuan_m2_day",
    "area",
    "track",
    "track_specs",
    "status",
)


@dataclass(frozen=True, eq=False)
class DemandArrays:
    """The demand list as aligned arrays.

    ``floor_load`` … ``clean_iso`` are the demand's own technical needs; ``track_specs``
    asks, besides, that the carrier meets its track's requirements (decided once, by
    `planning.facts`: ``CarrierIndex.track_ok``). ``load_need``, ``height_need`` and
    ``power_need`` are the stricter of both, which the technical score measures headroom
    over. NaN (or -1 for codes, False for flags) means no constraint.
    """

    ids: pd.Index
    tier: np.ndarray
    area_min: np.ndarray
    area_max: np.ndarray
    needed_day: np.ndarray
    floor_load: np.ndarray
    clear_height: np.ndarray
    exhaust: np.ndarray
    wet_lab: np.ndarray
    power: np.ndarray
    clean_iso: np.ndarray
    track_specs: np.ndarray
    load_need: np.ndarray
    height_need: np.ndarray
    power_need: np.ndarray
    rent_max: np.ndarray
    zone: np.ndarray
    track: np.ndarray
    open: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(cls, demands: pd.DataFrame, *, tracks: Sequence[Track]) -> DemandArrays:
        """Arrays of a typed demand frame (`spaces.demands`), indexed by demand id."""
        missing = [c for c in _DEMAND_COLUMNS if c not in demands.columns]
        if missing:
            raise ValueError(f"the demand frame lacks the column(s) {', '.join(missing)}")
        d = demands
        track_ids = tuple(t.id for t in tracks)
        track = codes(d["track"], track_ids).astype(np.int16)
        wants = flags(d["track_specs"]) & (track >= 0)
        # The track's minimums (NaN where none applies), a last row of none for no track.
        req = np.vstack([requirement_table(tracks)["value"], np.full(len(REQUIREMENTS), np.nan)])
        r = {
            name: req[np.where(wants, track, len(tracks)), i] for i, name in enumerate(REQUIREMENTS)
        }
        load = floats(d["min_floor_load_kn_m2"])
        height = floats(d["min_clear_height_m"])
        power = floats(d["min_power_kva"])
        return cls(
            ids=pd.Index(d.index.astype("str"), name="demand_id"),
            tier=codes(d["tier"], TIER_CODES).astype(np.int16),
            area_min=floats(d["area_min_m2"]),
            area_max=floats(d["area_max_m2"]),
            needed_day=days(d["needed_by"]),
            floor_load=load,
            clear_height=height,
            exhaust=flags(d["exhaust"]),
            wet_lab=flags(d["wet_lab_drainage"]),
            power=power,
            clean_iso=floats(d["max_clean_room_iso"]),
            track_specs=wants,
            load_need=np.fmax(load, r["min_floor_load_kn_m2"]),
            height_need=np.fmax(height, r["min_clear_height_m"]),
            power_need=np.fmax(power, r["min_power_kva"]),
            rent_max=floats(d["max_rent_yuan_m2_day"]),
            zone=codes(d["area"], AREA_CODES).astype(np.int16),
            track=track,
            open=(d["status"] == "open").to_numpy(dtype=bool, na_value=False),
        )

    def take(self, positions: np.ndarray | Sequence[int]) -> DemandArrays:
        """The arrays of a subset of demands."""
        pos = np.asarray(positions, dtype=np.intp)
        return DemandArrays(**{n: getattr(self, n)[pos] for n in self.__dataclass_fields__})

    def position(self, demand_id: str) -> int:
        """Position of a demand id; KeyError if unknown."""
        pos = self.ids.get_indexer([demand_id])[0]
        if pos < 0:
            raise KeyError(f"unknown demand id {demand_id!r}")
        return int(pos)


# --- constraints and scores (numpy broadcasting: carriers × one demand, or one carrier × demands)


def constraints(c: CarrierIndex, d: DemandArrays) -> dict[str, np.ndarray]:
    """Each hard constraint (`HARD_CONSTRAINTS`) as a boolean array.

    ``c`` and ``d`` broadcast: all carriers against one demand (``d.take([j])``) or one
    carrier (``c.take([i])``) against all demands.
    """
    available = c.status == STATUS_CODES.index("available")
    no_date = c.available_day == NEVER
    suit = c.built_to_suit
    own = (
        (np.isnan(d.floor_load) | (c.floor_load >= d.floor_load))
        & (np.isnan(d.clear_height) | (c.clear_height >= d.clear_height))
        & (~d.exhaust | c.exhaust)
        & (~d.wet_lab | c.wet_lab)
        & (np.isnan(d.power) | (c.power >= d.power))
        & (np.isnan(d.clean_iso) | (c.clean_iso <= d.clean_iso))
    )
    tech = own & (~d.track_specs | _meets_track(c, d))
    return {
        "status": c.offered & np.ones_like(d.open),
        "tier": (d.tier < 0) | (c.tier == d.tier),
        "area": (np.isnan(d.area_min) | (c.usable_area >= d.area_min))
        & (np.isnan(d.area_max) | (c.usable_area <= d.area_max)),
        "zone": (d.zone < 0) | (c.zone == d.zone),
        "date": (d.needed_day == NEVER) | (c.available_day <= d.needed_day) | (available & no_date),
        "technical": suit | tech,
        "rent": np.isnan(d.rent_max) | np.isnan(c.rent) | (c.rent <= d.rent_max),
    }


def _meets_track(c: CarrierIndex, d: DemandArrays) -> np.ndarray:
    """Whether the carrier meets the demand's track (False for a demand without a track)."""
    track = np.maximum(d.track, 0)
    if len(d) == 1:
        ok = c.track_ok[track[0]] if len(c.tracks) else np.zeros(len(c), bool)
    else:
        ok = c.track_ok[track, 0] if len(c.tracks) else np.zeros(len(d), bool)
    return ok & (d.track >= 0)


def meets(c: CarrierIndex, d: DemandArrays) -> np.ndarray:
    """Whether each pair meets every hard constraint (broadcast as in `constraints`)."""
    out = None
    for value in constraints(c, d).values():
        out = value if out is None else out & value
    return out


def components(
    c: CarrierIndex, d: DemandArrays, *, settings: MatchingSettings, as_of: date
) -> dict[str, np.ndarray]:
    """The component scores in [0, 1] of each pair (broadcast as in `constraints`)."""
    today = day(as_of)
    # area: 1 at the target (the middle of the range, or its one end), falling linearly
    target = np.where(
        np.isnan(d.area_min),
        d.area_max,
        np.where(np.isnan(d.area_max), d.area_min, (d.area_min + d.area_max) / 2),
    )
    with np.errstate(all="ignore"):  # a tiny or missing target: inf or nan, handled below
        area = np.clip(1 - np.abs(c.usable_area - target) / target, 0, 1)
    area = np.where(np.isnan(target), 1.0, np.nan_to_num(area, nan=0.0))
    # rent: cheaper is better, between the settings' low and high rents; none: neutral
    span = settings.rent_high - settings.rent_low
    rent = np.clip((settings.rent_high - c.rent) / span, 0, 1)
    rent = np.where(np.isnan(c.rent), 0.5, rent)
    # date: sooner is better, over the horizon (or until the date needed, if further)
    wait = np.maximum(np.where(c.available_day == NEVER, today, c.available_day) - today, 0)
    needed = np.where(d.needed_day == NEVER, today, d.needed_day)
    horizon = np.maximum(np.maximum(needed - today, 0), settings.horizon_days)
    date_score = np.clip(1 - wait / horizon, 0, 1)
    # technical: headroom over each numeric need, full at 50 % above it; plots built to suit
    heads = [
        _headroom(have, need)
        for have, need in (
            (c.floor_load, d.load_need),
            (c.clear_height, d.height_need),
            (c.power, d.power_need),
        )
    ]
    stacked = np.stack(np.broadcast_arrays(*heads))
    counted = (~np.isnan(stacked)).sum(axis=0)
    technical = np.where(counted > 0, np.nansum(stacked, axis=0) / np.maximum(counted, 1), 1.0)
    technical = np.where(c.built_to_suit, 1.0, technical)
    # track: designated for the demand's track, for none, or for another
    track = np.where(
        d.track < 0, 0.5, np.where(c.track == d.track, 1.0, np.where(c.track < 0, 0.5, 0.0))
    )
    # access: half nearness to the metro, half to the hub (`planning.facts`)
    access = 0.5 * c.metro_near + 0.5 * c.hub_near
    shape = np.broadcast(c.usable_area, d.open).shape
    return {
        name: np.broadcast_to(value, shape)
        for name, value in zip(
            MATCH_COMPONENTS,
            (area, rent, date_score, technical, track, access),
            strict=True,
        )
    }


def _headroom(have: np.ndarray, need: np.ndarray) -> np.ndarray:
    """0 at the need, 1 at 50 % above it; nan where there is no need, 0 where nothing is known.

    A need near zero makes the ratio overflow to inf (full headroom), not a warning.
    """
    with np.errstate(all="ignore"):
        h = np.clip((have / need - 1) / 0.5, 0, 1)
    return np.where(np.isnan(need), np.nan, np.nan_to_num(h, nan=0.0))


def score(parts: dict[str, np.ndarray], *, settings: MatchingSettings) -> np.ndarray:
    """100 × the weighted mean of the component scores."""
    weights = settings.weights()
    total = sum(weights.values())
    return 100 * sum(weights[k] * parts[k] for k in MATCH_COMPONENTS) / total


# --- a demand's carriers, a carrier's demands ----------------------------------------------


def match_demand(
    index: CarrierIndex,
    demands: DemandArrays,
    demand_id: str,
    *,
    settings: MatchingSettings,
    as_of: date,
    limit: int | None = None,
) -> pd.DataFrame:
    """The carriers that meet a demand's hard constraints, best first.

    Returns
    -------
    DataFrame indexed by carrier_id with ``score`` (0–100) and one column per component
    (`settings.MATCH_COMPONENTS`, each 0–1), sorted by score (then carrier id); the first
    ``limit`` rows only, if given.
    """
    d = demands.take([demands.position(demand_id)])
    ok = np.flatnonzero(meets(index, d))
    sub = index.take(ok)
    parts = components(sub, d, settings=settings, as_of=as_of)
    total = score(parts, settings=settings)
    order = np.lexsort((sub.ids.to_numpy(), -total))
    if limit is not None:
        order = order[:limit]
    out = pd.DataFrame(
        {"score": total[order].round(1), **{k: parts[k][order].round(3) for k in parts}},
        index=sub.ids[order],
    )
    return out


def demands_for_carrier(
    index: CarrierIndex,
    demands: DemandArrays,
    carrier_id: str,
    *,
    settings: MatchingSettings,
    as_of: date,
    open_only: bool = True,
) -> pd.DataFrame:
    """The demands a carrier could serve (it meets their hard constraints), best first."""
    c = index.take(index.positions([carrier_id]))
    ok = meets(c, demands)
    if open_only:
        ok = ok & demands.open
    pos = np.flatnonzero(ok)
    d = demands.take(pos)
    parts = components(c, d, settings=settings, as_of=as_of)
    total = score(parts, settings=settings)
    order = np.lexsort((d.ids.to_numpy(), -total))
    return pd.DataFrame(
        {"score": total[order].round(1), **{k: parts[k][order].round(3) for k in parts}},
        index=d.ids[order],
    )


def match_all(
    index: CarrierIndex,
    demands: DemandArrays,
    *,
    settings: MatchingSettings,
    as_of: date,
    open_only: bool = True,
) -> pd.DataFrame:
    """Every (demand, carrier) pair that meets the hard constraints, with its score.

    A loop over demands, each vectorised over all carriers. Returns a long frame with
    demand_id, carrier_id and score, best first within each demand.
    """
    frames = []
    ids = demands.ids
    for j in np.flatnonzero(demands.open) if open_only else range(len(demands)):
        d = demands.take([j])
        ok = np.flatnonzero(meets(index, d))
        if not len(ok):
            continue
        sub = index.take(ok)
        total = score(components(sub, d, settings=settings, as_of=as_of), settings=settings)
        order = np.argsort(-total, kind="stable")
        frames.append(
            pd.DataFrame(
                {
                    "demand_id": ids[j],
                    "carrier_id": sub.ids.to_numpy()[order],
                    "score": total[order].round(1),
                }
            )
        )
    if not frames:
        return pd.DataFrame(
            {
                "demand_id": pd.Series(dtype="str"),
                "carrier_id": pd.Series(dtype="str"),
                "score": pd.Series(dtype="float64"),
            }
        )
    return pd.concat(frames, ignore_index=True)


# --- the gap report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GapReport:
    """Demand the supply does not meet, and supply no demand wants.

    Attributes
    ----------
    unmet
        Open demands that no offered carrier meets, indexed by demand_id, with ``band``
        (area band), ``blocking`` (the hard constraint that, dropped alone, lets the most
        carriers through) and ``without_it`` (how many would then match).
    unmet_summary
        Unmet demands by track × tier × area band: ``demands`` and ``area_m2`` (the sum of
        their minimum areas, or maximum where no minimum is given).
    unwanted
        Offered carriers that meet no open demand, indexed by carrier_id (positions order).
    unwanted_summary
        Those carriers by tier × area of the zone × designated track: ``carriers`` and
        ``area_m2``.
    """

    unmet: pd.DataFrame
    unmet_summary: pd.DataFrame
    unwanted: pd.Index
    unwanted_summary: pd.DataFrame


def area_band(area_min: np.ndarray, area_max: np.ndarray) -> np.ndarray:
    """The band label ("300–1,000 m²") of each demand's area (its minimum, else maximum)."""
    value = np.where(np.isnan(area_min), area_max, area_min)
    labels = np.array([*_band_labels(), "—"], dtype=object)
    pos = np.searchsorted(AREA_BANDS, value, side="right") - 1
    pos = np.where(np.isnan(value), len(labels) - 1, np.clip(pos, 0, len(AREA_BANDS) - 2))
    return labels[pos]


def _band_labels() -> list[str]:
    out = []
    for lo, hi in itertools.pairwise(AREA_BANDS):
        if lo == 0:
            out.append(f"< {hi:,.0f} m²")
        elif np.isinf(hi):
            out.append(f"≥ {lo:,.0f} m²")
        else:
            out.append(f"{lo:,.0f}–{hi:,.0f} m²")
    return out


def gap_report(
    index: CarrierIndex,
    demands: DemandArrays,
    carriers: pd.DataFrame,
    demand_frame: pd.DataFrame,
) -> GapReport:
    """The gap report over open demands and offered carriers (no scores needed).

    Parameters
    ----------
    index, demands
        Arrays of the carrier table and the demand list.
    carriers, demand_frame
        The carrier table and typed demand list they were built from (for labels).
    """
    wanted = np.zeros(len(index), dtype=bool)
    rows = []
    for j in np.flatnonzero(demands.open):
        d = demands.take([j])
        parts = constraints(index, d)
        stacked = np.stack(list(parts.values()))
        ok = stacked.all(axis=0)
        wanted |= ok
        if ok.any():
            continue
        # Which single constraint, dropped, lets the most carriers through.
        failing = ~stacked
        only = failing.sum(axis=0) == 1
        counts = (failing & only).sum(axis=1)
        names = list(parts)
        k = int(np.argmax(counts))
        rows.append(
            {
                "demand_id": demands.ids[j],
                "blocking": names[k] if counts[k] else "several",
                "without_it": int(counts[k]),
            }
        )
    unmet = pd.DataFrame(rows, columns=["demand_id", "blocking", "without_it"]).set_index(
        "demand_id"
    )
    frame = demand_frame.loc[unmet.index]
    unmet.insert(0, "band", area_band(floats(frame["area_min_m2"]), floats(frame["area_max_m2"])))
    for column in ("enterprise", "track", "tier"):
        unmet.insert(0, column, frame[column].astype("object").where(frame[column].notna(), None))
    size = frame["area_min_m2"].fillna(frame["area_max_m2"])
    summary = (
        pd.DataFrame(
            {
                "track": unmet["track"].fillna("—"),
                "tier": unmet["tier"].fillna("—"),
                "band": unmet["band"],
                "area_m2": size.to_numpy(),
            }
        )
        .groupby(["track", "tier", "band"])
        .agg(demands=("area_m2", "size"), area_m2=("area_m2", "sum"))
        .reset_index()
        .sort_values(["demands", "area_m2"], ascending=False, ignore_index=True)
    )
    spare = index.offered & ~wanted
    unwanted = index.ids[spare]
    c = carriers.loc[unwanted]
    unwanted_summary = (
        pd.DataFrame(
            {
                "tier": c["tier"].to_numpy(),
                "area": c["area"].astype("object").fillna("—").to_numpy() if "area" in c else "—",
                "track": c["track"].astype("object").fillna("—").to_numpy(),
                "usable_area_m2": c["usable_area_m2"].to_numpy(),
            }
        )
        .groupby(["tier", "area", "track"])
        .agg(carriers=("usable_area_m2", "size"), area_m2=("usable_area_m2", "sum"))
        .reset_index()
        .sort_values(["carriers", "area_m2"], ascending=False, ignore_index=True)
    )
    return GapReport(unmet, summary, unwanted, unwanted_summary)


# --- growth path ------------------------------------------------------------------------------


def growth_path(
    index: CarrierIndex,
    carrier_id: str,
    *,
    settings: MatchingSettings,
    radius_m: float | None = None,
    limit: int | None = 20,
) -> pd.DataFrame:
    """Where an enterprise in a carrier could move next: a bigger tier, nearby, fit for it.

    Candidates are offered carriers of a higher tier (room → floor → building → plot) with
    more usable area, within ``radius_m`` (default ``settings.growth_radius_m``) of the
    current carrier in EPSG:4549, that meet the requirements of the current carrier's
    track (if it has one) and keep the exhaust and wet-lab drainage it has now.

    Returns
    -------
    DataFrame indexed by carrier_id with ``tier``, ``distance_m``, ``usable_area_m2`` and
    ``step`` (how many tiers up), ordered by step, distance and area.
    """
    radius = settings.growth_radius_m if radius_m is None else radius_m
    here = index.positions([carrier_id])[0]
    ok = index.offered & (index.tier > index.tier[here])
    ok &= index.usable_area > index.usable_area[here]
    distance = np.hypot(index.x - index.x[here], index.y - index.y[here])
    ok &= distance <= radius
    track = int(index.track[here])
    if track >= 0:
        ok &= index.track_ok[track]
    if index.exhaust[here]:
        ok &= index.built_to_suit | index.exhaust
    if index.wet_lab[here]:
        ok &= index.built_to_suit | index.wet_lab
    ok[here] = False
    pos = np.flatnonzero(ok)
    step = index.tier[pos] - index.tier[here]
    order = np.lexsort((index.usable_area[pos], distance[pos], step))
    if limit is not None:
        order = order[:limit]
    pos = pos[order]
    return pd.DataFrame(
        {
            "tier": [TIER_CODES[t] for t in index.tier[pos]],
            "step": (index.tier[pos] - index.tier[here]).astype(int),
            "distance_m": distance[pos].round(0),
            "usable_area_m2": index.usable_area[pos].round(0),
        },
        index=index.ids[pos],
    )
