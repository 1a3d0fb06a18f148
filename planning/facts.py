"""A carrier's derived facts, computed once: spec fit per track, neighbours, distances.

Readiness, the finder, matching, the supply list and the explanations all read these facts
instead of deciding them again:

- **spec fit**: for every carrier and track, which of the track's requirements the carrier
  meets (`spaces.entities.REQUIREMENTS`). A requirement applies when the track sets it: a
  minimum above zero, a flag set, a clean-room class given. A value the carrier has not
  recorded does not meet it. A plot is built to suit and meets every requirement. Readiness
  scores the mean share met (a number short of its minimum scores its share of it); the
  finder, matching and the growth path ask that all are met (`meets`); the explanations
  list the unmet ones. The two agree: the share is 1 exactly when all are met.
- **neighbours**: leased or reserved carriers of each track within the neighbour radius,
  found with the spatial index of shapely (``STRtree.query(..., predicate="dwithin")``)
  between the carriers' locations in EPSG:4549, the carrier itself not counted, capped.
- **distances** to the hub feature and to the nearest metro station (`AccessSettings`), in
  metres in EPSG:4549.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from geodata.crs import PROJECTED, WGS84
from planning.arrays import check_columns, codes
from planning.rules import AccessSettings
from spaces.entities import REQUIREMENTS, Track

HELD = ("leased", "reserved")
"""Statuses of carriers that hold their space: neighbours for industry fit."""

_SPEC_COLUMNS = {
    "min_floor_load_kn_m2": "floor_load_kn_m2",
    "min_clear_height_m": "clear_height_m",
    "exhaust": "exhaust",
    "wet_lab_drainage": "wet_lab_drainage",
    "min_power_kva": "power_kva",
    "max_clean_room_iso": "clean_room_iso",
}
"""The carrier column each requirement reads."""

BUILD_IT = "build it with spaces.rollup.carrier_table(inventory)"

REQUIRED_COLUMNS = ("tier", "status", "track", "lon", "lat", *_SPEC_COLUMNS.values())
"""Columns of `spaces.rollup.carrier_table` the facts read."""

_QUERY_CHUNK = 1024
"""Locations queried at once for neighbours: bounds the memory of the pairs found."""


class FactsError(ValueError):
    """Input the facts cannot be computed from; the message says what is missing and where."""


@dataclass(frozen=True)
class NeighbourRule:
    """How neighbours are counted: within ``radius_m``, up to ``cap`` (the full score)."""

    radius_m: float = 1000.0
    cap: int = 5


@dataclass(frozen=True, eq=False)
class CarrierFacts:
    """The derived facts of every carrier, aligned with ``ids`` (see the module docstring).

    Attributes
    ----------
    ids
        Carrier ids, in the order of the carrier table.
    tracks
        The tracks the spec fit was judged against (their order is the columns' order).
    access, neighbour_rule
        What the distances and neighbour counts were measured with.
    met
        carriers × tracks × requirements: the requirement is met (True where it does not
        apply).
    applies
        tracks × requirements: the track sets this requirement.
    spec
        carriers × tracks: mean share of the track's requirements met, in [0, 1] (1 with
        none); 1 exactly where `meets`.
    meets
        carriers × tracks: every requirement of the track is met.
    neighbours
        carriers × tracks: leased or reserved carriers of that track within the radius,
        the carrier itself not counted, at most ``neighbour_rule.cap``.
    x, y
        Location in EPSG:4549 metres.
    hub_m, metro_m
        Distance to the hub feature and to the nearest metro station (inf: no station).
    station
        Position of the nearest station in ``station_names`` (-1: none).
    hub_name, station_names
        (Chinese, English) names of the hub and of every station.
    """

    ids: pd.Index
    tracks: tuple[Track, ...]
    access: AccessSettings
    neighbour_rule: NeighbourRule
    met: np.ndarray
    applies: np.ndarray
    spec: np.ndarray
    meets: np.ndarray
    neighbours: np.ndarray
    x: np.ndarray
    y: np.ndarray
    hub_m: np.ndarray
    metro_m: np.ndarray
    station: np.ndarray
    hub_name: tuple[str, str]
    station_names: tuple[tuple[str, str], ...]

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def track_ids(self) -> tuple[str, ...]:
        """The ids of `tracks`, in column order."""
        return tuple(t.id for t in self.tracks)

    @property
    def key(self) -> str:
        """What the facts depend on besides the data (a cache key, checked by readiness)."""
        return facts_key(self.tracks, self.access, self.neighbour_rule)

    @property
    def hub_near(self) -> np.ndarray:
        """Nearness to the hub in [0, 1]: 1 there, 0 at ``access.hub_distance_m`` or more."""
        return np.clip(1.0 - self.hub_m / self.access.hub_distance_m, 0.0, 1.0)

    @property
    def metro_near(self) -> np.ndarray:
        """Nearness to the nearest metro station in [0, 1] (0 at ``metro_distance_m``)."""
        return np.clip(1.0 - self.metro_m / self.access.metro_distance_m, 0.0, 1.0)

    def unmet(self, carrier_id: str, track_id: str) -> list[str]:
        """The requirements (`spaces.entities.REQUIREMENTS`) the carrier does not meet."""
        i = self.ids.get_loc(carrier_id)
        k = self.track_ids.index(track_id)
        return [r for r, ok in zip(REQUIREMENTS, self.met[i, k], strict=True) if not ok]

    def take(self, positions: np.ndarray | Sequence[int]) -> CarrierFacts:
        """The facts of a subset of carriers, in the given order."""
        pos = np.asarray(positions, dtype=np.intp)
        per_carrier = (
            "met",
            "spec",
            "meets",
            "neighbours",
            "x",
            "y",
            "hub_m",
            "metro_m",
            "station",
        )
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        values["ids"] = self.ids[pos]
        for name in per_carrier:
            values[name] = values[name][pos]
        return CarrierFacts(**values)


def facts_key(tracks: Sequence[Track], access: AccessSettings, rule: NeighbourRule) -> str:
    """Canonical text of what facts are built with: equal for equal inputs."""
    return json.dumps(
        {
            "tracks": [asdict(t) for t in tracks],
            "access": asdict(access),
            "neighbours": asdict(rule),
        },
        sort_keys=True,
        ensure_ascii=False,
    )


def build(
    carriers: pd.DataFrame,
    layers: pd.DataFrame,
    *,
    tracks: Sequence[Track],
    access: AccessSettings,
    neighbour_rule: NeighbourRule,
) -> CarrierFacts:
    """Compute the facts of every carrier.

    Parameters
    ----------
    carriers
        `spaces.rollup.carrier_table` output (or any frame with `REQUIRED_COLUMNS`),
        indexed by carrier id. Not modified.
    layers
        Base layers in EPSG:4326 with the hub feature (``access.hub_feature``) and the metro
        stations (``layer == "station"``).
    tracks, access, neighbour_rule
        The tracks to judge spec fit against, the hub and distance scales, the neighbour
        radius and cap.

    Raises
    ------
    FactsError
        For a missing column, repeated ids, a carrier without a location or a hub feature
        the layers lack.
    """
    _check(carriers, layers, access)
    tracks = tuple(tracks)
    c = carriers
    applies = requirement_table(tracks)["applies"]
    met, share = _spec(c, tracks)
    count = applies.sum(axis=1)
    spec = np.where(count > 0, (share * applies).sum(axis=2) / np.maximum(count, 1), 1.0)  # n × k
    meets = (met | ~applies[None, :, :]).all(axis=2)

    loc, lx, ly = _locations(c["lon"].to_numpy(float), c["lat"].to_numpy(float))
    own = codes(c["track"], [t.id for t in tracks])
    held = c["status"].isin(HELD).to_numpy(bool) & (own >= 0)
    neighbours = _neighbours(loc, lx, ly, own, held, len(tracks), neighbour_rule)

    hub_xy = _hub_point(layers, access.hub_feature)
    hub_m = np.hypot(lx - hub_xy[0], ly - hub_xy[1])[loc]
    stations = layers[layers["layer"] == "station"] if "layer" in layers.columns else layers[:0]
    metro_m, station = _nearest_station(lx, ly, stations)
    return CarrierFacts(
        ids=pd.Index(c.index.astype("str"), name="carrier_id"),
        tracks=tracks,
        access=access,
        neighbour_rule=neighbour_rule,
        met=met,
        applies=applies,
        spec=spec,
        meets=meets,
        neighbours=neighbours,
        x=lx[loc],
        y=ly[loc],
        hub_m=hub_m,
        metro_m=metro_m[loc],
        station=station[loc],
        hub_name=_names(layers.loc[[access.hub_feature]])[0],
        station_names=tuple(_names(stations)),
    )


def requirement_table(tracks: Sequence[Track]) -> dict[str, np.ndarray]:
    """Each track's requirements as arrays (tracks × `REQUIREMENTS`).

    Returns ``applies`` (bool) and ``value`` (float: the minimum, 1 for a flag, the ISO
    class; NaN where the requirement does not apply).
    """
    applies = np.zeros((len(tracks), len(REQUIREMENTS)), dtype=bool)
    value = np.full(applies.shape, np.nan)
    for k, t in enumerate(tracks):
        for r, name in enumerate(REQUIREMENTS):
            need = getattr(t, name)
            if isinstance(need, bool):
                on = need
            elif name == "max_clean_room_iso":
                on = need is not None
            else:
                on = need is not None and need > 0
            applies[k, r] = on
            if on:
                value[k, r] = float(need)
    return {"applies": applies, "value": value}


def _spec(c: pd.DataFrame, tracks: tuple[Track, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Per carrier, track and requirement: met (bool) and the share met in [0, 1]."""
    n, k = len(c), len(tracks)
    table = requirement_table(tracks)
    req, applies = table["value"], table["applies"]
    is_plot = c["tier"].eq("plot").to_numpy(bool)
    met = np.ones((n, k, len(REQUIREMENTS)), dtype=bool)
    share = np.ones(met.shape)
    below_one = np.nextafter(1.0, 0.0)
    for r, name in enumerate(REQUIREMENTS):
        column = c[_SPEC_COLUMNS[name]]
        need = req[None, :, r]
        if name in ("exhaust", "wet_lab_drainage"):
            have = column.to_numpy(dtype=bool, na_value=False)[:, None]
            ok = np.broadcast_to(have, (n, k))
            part = ok.astype(float)
        elif name == "max_clean_room_iso":
            have = column.to_numpy(dtype=float, na_value=np.nan)[:, None]
            with np.errstate(invalid="ignore"):
                ok = have <= need
            part = ok.astype(float)
        else:
            have = column.to_numpy(dtype=float, na_value=np.nan)[:, None]
            with np.errstate(invalid="ignore", divide="ignore"):
                ok = have >= need
                ratio = np.nan_to_num(have / need, nan=0.0, posinf=0.0, neginf=0.0)
            part = np.where(ok, 1.0, np.clip(ratio, 0.0, below_one))
        free = is_plot[:, None] | ~applies[None, :, r]  # built to suit, or not required
        met[:, :, r] = ok | free
        share[:, :, r] = np.where(free, 1.0, part)
    return met, share


def _check(carriers: pd.DataFrame, layers: pd.DataFrame, access: AccessSettings) -> None:
    check_columns(carriers, REQUIRED_COLUMNS, error=FactsError, what=BUILD_IT)
    if not carriers.index.is_unique:
        dupes = carriers.index[carriers.index.duplicated()].unique()[:5]
        raise FactsError(f"carrier ids repeat: {', '.join(map(str, dupes))}")
    lon = carriers["lon"].to_numpy(float, na_value=np.nan)
    lat = carriers["lat"].to_numpy(float, na_value=np.nan)
    bad = ~(np.isfinite(lon) & np.isfinite(lat))
    if bad.any():
        ids = ", ".join(map(str, carriers.index[bad][:5]))
        raise FactsError(f"carriers without a location (lon/lat): {ids}")
    if "geometry" not in layers.columns or access.hub_feature not in layers.index:
        raise FactsError(
            f"the base layers have no feature {access.hub_feature!r} (access.hub_feature): "
            "name a point of the base layers"
        )


@functools.lru_cache(maxsize=1)
def _to_projected() -> Transformer:
    """WGS84 lon/lat to EPSG:4549 metres (building a transformer takes ~50 ms: reuse it)."""
    return Transformer.from_crs(WGS84, PROJECTED, always_xy=True)


def _locations(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Codes of distinct points (carriers of one building share one) and their x, y in metres."""
    key = (np.round((lon + 180.0) * 1e7).astype(np.uint64) << np.uint64(32)) | np.round(
        (lat + 90.0) * 1e7
    ).astype(np.uint64)
    codes, uniques = pd.factorize(key)
    uniques = np.asarray(uniques, dtype=np.uint64)
    ulon = (uniques >> np.uint64(32)).astype(float) / 1e7 - 180.0
    ulat = (uniques & np.uint64(0xFFFFFFFF)).astype(float) / 1e7 - 90.0
    x, y = _to_projected().transform(ulon, ulat)
    return codes, np.asarray(x, float), np.asarray(y, float)


def _neighbours(
    loc: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    own: np.ndarray,
    held: np.ndarray,
    k: int,
    rule: NeighbourRule,
) -> np.ndarray:
    """carriers × tracks: held carriers of each track within the radius, self excluded, capped."""
    n_loc = len(x)
    weights = np.bincount(loc[held] * k + own[held], minlength=n_loc * k).reshape(n_loc, k)
    counts = np.zeros((n_loc, k), dtype=np.int64)
    sources = np.flatnonzero(weights.any(axis=1))
    if len(sources) and k:
        tree = shapely.STRtree(shapely.points(x[sources], y[sources]))
        points = shapely.points(x, y)
        for start in range(0, n_loc, _QUERY_CHUNK):
            chunk = points[start : start + _QUERY_CHUNK]
            here, there = tree.query(chunk, predicate="dwithin", distance=rule.radius_m)
            there = sources[there]
            for t in range(k):
                counts[start : start + len(chunk), t] = np.bincount(
                    here, weights=weights[there, t], minlength=len(chunk)
                )
    out = counts[loc]
    self_counted = np.flatnonzero(held)
    out[self_counted, own[self_counted]] -= 1
    return np.minimum(out, rule.cap)


def _hub_point(layers: pd.DataFrame, feature: str) -> tuple[float, float]:
    geom = layers.geometry.loc[feature]
    point = geom if geom.geom_type == "Point" else geom.representative_point()
    x, y = _to_projected().transform(point.x, point.y)
    return float(x), float(y)


def _nearest_station(
    x: np.ndarray, y: np.ndarray, stations: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Per location: distance to the nearest station (inf: none) and its position (-1)."""
    if not len(stations) or not len(x):
        return np.full(len(x), np.inf), np.full(len(x), -1, dtype=np.int64)
    pts = stations.geometry.representative_point()
    sx, sy = _to_projected().transform(pts.x.to_numpy(), pts.y.to_numpy())
    tree = shapely.STRtree(shapely.points(sx, sy))
    here, there = tree.query_nearest(shapely.points(x, y), all_matches=False)
    nearest = np.full(len(x), -1, dtype=np.int64)
    nearest[here] = there
    distance = np.hypot(x - np.asarray(sx)[nearest], y - np.asarray(sy)[nearest])
    return distance, nearest


def _names(features: pd.DataFrame) -> list[tuple[str, str]]:
    """(Chinese, English) names of features (the feature id where a name is missing)."""
    out = []
    for fid, row in zip(features.index, features.itertuples(index=False), strict=True):
        pair = []
        for column in ("name_zh", "name_en"):
            value = getattr(row, column, None)
            pair.append(str(value) if isinstance(value, str) and value else str(fid))
        out.append((pair[0], pair[1]))
    return out
