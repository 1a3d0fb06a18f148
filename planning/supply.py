"""The supply side: carriers as arrays for vectorised search, their public view, the supply list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.crs import PROJECTED
from settings import Settings, Track
from spaces.schema import AREAS, CARRIER_LIST, STATUSES, TIERS, Field, label

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
_EPOCH = np.datetime64("1970-01-01", "D")

# Columns an enterprise may see: those of a carrier list whose field the schema marks public.
PUBLIC_FIELDS: tuple[Field, ...] = tuple(f for f in CARRIER_LIST.fields if f.public)
PUBLIC_COLUMNS = tuple(f.name for f in PUBLIC_FIELDS)
BATCH_LABEL = ("发布批次", "Release batch")


@dataclass(frozen=True, eq=False)
class CarrierIndex:
    """The carrier table as aligned numpy arrays, precomputed once for fast searches.

    Build it with `CarrierIndex.build`; every array has one entry per carrier, in the order
    of ``ids``. Codes index into `TIER_CODES`, `STATUS_CODES`, `AREA_CODES` and ``tracks``
    (-1: none). Dates are days since 1970-01-01 (NaN: none). Lab specifications are NaN
    (or False) for plots, which are built to suit (``built_to_suit``).
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
    track_ok: np.ndarray
    tracks: tuple[str, ...]
    place: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(
        cls,
        carriers: pd.DataFrame,
        *,
        tracks: Sequence[Track],
        layers: gpd.GeoDataFrame | None = None,
        hub_feature: str = "landmark.hongqiao-railway-station",
    ) -> CarrierIndex:
        """Precompute the arrays of a carrier table (`spaces.rollup.carrier_table`).

        Parameters
        ----------
        carriers
            The carrier table, with ``lon``/``lat`` (WGS84) and ``area`` columns.
        tracks
            The configured tracks, whose requirements ``track_ok`` evaluates.
        layers
            Base layers; with them, ``metro_m`` is the distance to the nearest metro station
            and ``hub_m`` to the ``hub_feature``, in metres in EPSG:4549 (else NaN).
        """
        c = carriers
        n = len(c)
        tier = _codes(c["tier"], TIER_CODES)
        status = _codes(c["status"], STATUS_CODES)
        zone = _codes(c["area"], AREA_CODES) if "area" in c else np.full(n, -1, np.int8)
        track_ids = tuple(t.id for t in tracks)
        built_to_suit = tier == TIER_CODES.index("plot")
        floor_load = _floats(c["floor_load_kn_m2"])
        clear_height = _floats(c["clear_height_m"])
        exhaust = _bools(c["exhaust"])
        wet_lab = _bools(c["wet_lab_drainage"])
        power = _floats(c["power_kva"])
        clean_iso = _floats(c["clean_room_iso"])
        available_day = days(c["available_from"])
        available = status == STATUS_CODES.index("available")
        offered = np.isin(status, [STATUS_CODES.index(s) for s in OFFERED_STATUSES]) & (
            available | ~np.isnan(available_day)
        )
        track_ok = (
            np.stack(
                [
                    meets(
                        t,
                        floor_load=floor_load,
                        clear_height=clear_height,
                        exhaust=exhaust,
                        wet_lab=wet_lab,
                        power=power,
                        clean_iso=clean_iso,
                    )
                    | built_to_suit
                    for t in tracks
                ]
            )
            if tracks
            else np.zeros((0, n), bool)
        )
        x, y = _projected(c)
        metro_m, hub_m = _distances(x, y, layers, hub_feature)
        on_plot = built_to_suit | c["building_id"].isna().to_numpy()
        place = np.where(on_plot, c["plot_id"].to_numpy(object), c["building_id"].to_numpy(object))
        return cls(
            ids=pd.Index(c.index.astype("str"), name="carrier_id"),
            tier=tier,
            status=status,
            zone=zone,
            usable_area=_floats(c["usable_area_m2"]),
            floor_load=floor_load,
            clear_height=clear_height,
            exhaust=exhaust,
            wet_lab=wet_lab,
            power=power,
            clean_iso=clean_iso,
            rent=_floats(c["rent_yuan_m2_day"]),
            available_day=available_day,
            track=_codes(c["track"], track_ids).astype(np.int16),
            built_to_suit=built_to_suit,
            offered=offered,
            x=x,
            y=y,
            metro_m=metro_m,
            hub_m=hub_m,
            track_ok=track_ok,
            tracks=track_ids,
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
            elif name == "ids":
                values[name] = value[pos]
            elif name == "track_ok":
                values[name] = value[:, pos]
            else:
                values[name] = value[pos]
        return CarrierIndex(**values)


def meets(
    track: Track,
    *,
    floor_load: np.ndarray,
    clear_height: np.ndarray,
    exhaust: np.ndarray,
    wet_lab: np.ndarray,
    power: np.ndarray,
    clean_iso: np.ndarray,
) -> np.ndarray:
    """Whether specifications meet a track's requirements (NaN never meets a requirement)."""
    ok = np.ones(np.broadcast(floor_load, power).shape, dtype=bool)
    if track.min_floor_load_kn_m2 is not None:
        ok &= floor_load >= track.min_floor_load_kn_m2
    if track.min_clear_height_m is not None:
        ok &= clear_height >= track.min_clear_height_m
    if track.exhaust:
        ok &= exhaust
    if track.wet_lab_drainage:
        ok &= wet_lab
    if track.min_power_kva is not None:
        ok &= power >= track.min_power_kva
    if track.max_clean_room_iso is not None:
        ok &= clean_iso <= track.max_clean_room_iso
    return ok


def days(s: pd.Series) -> np.ndarray:
    """Dates as float days since 1970-01-01, NaN where missing."""
    d = pd.to_datetime(s).to_numpy(dtype="datetime64[D]")
    out = (d - _EPOCH).astype("int64").astype("float64")
    out[np.isnat(d)] = np.nan
    return out


def day_number(value: object) -> float:
    """One date (date, Timestamp, ISO text) as days since 1970-01-01; NaN for none."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or pd.isna(value):
        return np.nan
    return float((np.datetime64(pd.Timestamp(value).date(), "D") - _EPOCH).astype("int64"))


def from_day(day: float) -> pd.Timestamp | None:
    """The inverse of `day_number`."""
    if np.isnan(day):
        return None
    return pd.Timestamp(_EPOCH + np.timedelta64(int(day), "D"))


def _codes(s: pd.Series, codes: Sequence[str]) -> np.ndarray:
    mapping = {c: i for i, c in enumerate(codes)}
    out = s.map(mapping).fillna(-1).to_numpy(dtype=np.int16)
    return out.astype(np.int8) if len(codes) < 127 else out


def _floats(s: pd.Series) -> np.ndarray:
    return pd.to_numeric(s, errors="coerce").astype("float64").to_numpy(na_value=np.nan)


def _bools(s: pd.Series) -> np.ndarray:
    return s.astype("boolean").fillna(False).to_numpy(dtype=bool)


def _projected(c: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    if "lon" not in c or "lat" not in c or not len(c):
        return np.full(len(c), np.nan), np.full(len(c), np.nan)
    points = gpd.GeoSeries(gpd.points_from_xy(c["lon"], c["lat"]), crs="EPSG:4326")
    p = points.to_crs(PROJECTED)
    return p.x.to_numpy(dtype=float), p.y.to_numpy(dtype=float)


def _distances(
    x: np.ndarray, y: np.ndarray, layers: gpd.GeoDataFrame | None, hub_feature: str
) -> tuple[np.ndarray, np.ndarray]:
    nan = np.full(len(x), np.nan)
    if layers is None or not len(x):
        return nan, nan.copy()
    stations = layers[layers["layer"] == "station"].geometry.to_crs(PROJECTED)
    metro = nan
    if len(stations):
        sx, sy = stations.x.to_numpy(), stations.y.to_numpy()
        metro = np.full(len(x), np.inf)
        for i in range(len(sx)):  # a loop over the ~24 stations, vectorised over carriers
            metro = np.minimum(metro, np.hypot(x - sx[i], y - sy[i]))
    hub = nan.copy()
    if hub_feature in layers.index:
        point = layers.loc[[hub_feature]].geometry.to_crs(PROJECTED).iloc[0].centroid
        hub = np.hypot(x - point.x, y - point.y)
    return metro, hub


# --- the public view --------------------------------------------------------------------------


def public_table(
    carriers: pd.DataFrame,
    *,
    lang: str,
    settings: Settings,
    batches: pd.Series | None = None,
    with_batch: bool = False,
) -> pd.DataFrame:
    """Carriers with their public fields only, labelled and translated for display or export.

    Headers carry units ("使用面积 (m²)"); codes become labels (一层楼, 可招商, 生物医药);
    booleans 是/否; numbers stay numbers and dates become dates. With ``with_batch``, a
    last column holds each carrier's release batch from ``batches`` (carrier id -> label),
    empty where none or when ``batches`` is None.
    """
    track_names = {t.id: (t.name_zh if lang == "zh" else t.name_en) for t in settings.tracks}
    out = pd.DataFrame(index=carriers.index)
    for f in PUBLIC_FIELDS:
        head = header(f, lang)
        if f.name == "carrier_id":
            out[head] = carriers.index.astype("str")
            continue
        if f.name not in carriers.columns:
            out[head] = None
            continue
        s = carriers[f.name]
        if f.vocabulary == "tracks":
            out[head] = s.map(track_names).astype("object").where(s.notna(), None)
        elif f.vocabulary:
            out[head] = [label(f.vocabulary, v, lang) or None for v in s]
        elif f.kind == "bool":
            yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
            out[head] = [None if pd.isna(v) else (yes if v else no) for v in s]
        elif f.kind == "date":
            out[head] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in s]
        elif f.kind == "float":
            out[head] = pd.to_numeric(s).round(2)
        else:
            out[head] = s
    if with_batch:
        batch = (
            pd.Series(index=carriers.index, dtype="object")
            if batches is None
            else batches.reindex(carriers.index).astype("object")
        )
        out[BATCH_LABEL[0] if lang == "zh" else BATCH_LABEL[1]] = batch.where(batch.notna(), None)
    return out.reset_index(drop=True)


def header(f: Field, lang: str) -> str:
    """A column header: the field's label with its unit, e.g. "使用面积 (m²)"."""
    text = f.label_zh if lang == "zh" else f.label_en
    return f"{text} ({f.unit})" if f.unit else text


def supply_list(
    carriers: pd.DataFrame,
    *,
    lang: str,
    settings: Settings,
    batches: pd.Series | None = None,
) -> pd.DataFrame:
    """The supply list (供给清单): offered carriers with their public fields and release batch.

    Offered means one of `OFFERED_STATUSES` and, unless available now, with a date. Rows
    are ordered by area of the zone, tier (room to plot) and name.
    """
    status = carriers["status"]
    offered = status.isin(OFFERED_STATUSES) & (
        (status == "available") | carriers["available_from"].notna()
    )
    c = carriers[offered]
    order = pd.DataFrame(
        {
            "area": c["area"].fillna("~") if "area" in c else "",
            "tier": c["tier"].map({t: i for i, t in enumerate(TIER_CODES)}),
            "name": c["name"],
        },
        index=c.index,
    ).sort_values(["area", "tier", "name"])
    return public_table(
        c.loc[order.index], lang=lang, settings=settings, batches=batches, with_batch=True
    )
