"""The space finder: filters over the carrier index, and their form in a page URL."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from planning.days import NEVER, day
from planning.supply import (
    AREA_CODES,
    OFFERED_STATUSES,
    STATUS_CODES,
    TIER_CODES,
    CarrierIndex,
)
from spaces.schema import FLOORS

# URL keys of each filter (short, stable: shared links depend on them).
_KEYS = {
    "area_min": "amin",
    "area_max": "amax",
    "tiers": "tier",
    "areas": "zone",
    "track": "track",
    "min_floor_load": "load",
    "min_clear_height": "height",
    "exhaust": "exhaust",
    "wet_lab_drainage": "wet",
    "min_power_kva": "power",
    "max_clean_room_iso": "clean",
    "rent_min": "rmin",
    "rent_max": "rmax",
    "available_by": "by",
    "statuses": "status",
    "released_only": "released",
}
QUERY_KEYS = frozenset(_KEYS.values())
_ANY = "any"

AVAILABLE_BY_RANGE = (date(2020, 1, 1), date(2099, 12, 31))
"""The first and last day a search (its link, the finder's date picker) may ask for."""
CLEAN_ROOM_CLASSES = tuple(
    range(int(FLOORS.field("clean_room_iso").min), int(FLOORS.field("clean_room_iso").max) + 1)
)
"""The ISO classes a search (its link, the finder's choice) may ask for: those of the schema."""


@dataclass(frozen=True)
class Filters:
    """What an enterprise searches for; a field left at its default does not filter.

    Ranges include their ends. A carrier without a value for an active filter is left out,
    with two exceptions: a plot is built to suit, so the lab filters (floor load, clear
    height, exhaust, wet-lab drainage, power, clean room) and track fit pass it; and a
    carrier available now passes ``available_by`` without a date. Whatever ``statuses``
    says, a carrier that is not available now is shown only with an available-from date.

    Parameters
    ----------
    area_min, area_max
        Usable area in m².
    tiers, areas, statuses
        Codes of `spaces.schema.TIERS`, `AREAS` (hub, qianwan) and `STATUSES`; empty: any.
        ``statuses`` defaults to `planning.supply.OFFERED_STATUSES`.
    track
        A track id: the carrier meets that track's requirements from settings.
    min_floor_load, min_clear_height, min_power_kva
        kN/m², m, kVA.
    exhaust, wet_lab_drainage
        True: the carrier must have it.
    max_clean_room_iso
        The carrier has a clean room of this ISO class or cleaner (a lower number).
    rent_min, rent_max
        Rent in yuan/m²/day.
    available_by
        The carrier is available on or before this day.
    released_only
        Only carriers in an approved release batch.
    """

    area_min: float | None = None
    area_max: float | None = None
    tiers: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    track: str | None = None
    min_floor_load: float | None = None
    min_clear_height: float | None = None
    exhaust: bool = False
    wet_lab_drainage: bool = False
    min_power_kva: float | None = None
    max_clean_room_iso: int | None = None
    rent_min: float | None = None
    rent_max: float | None = None
    available_by: date | None = None
    statuses: tuple[str, ...] = OFFERED_STATUSES
    released_only: bool = False

    def __post_init__(self) -> None:
        # Canonical order so that equal searches compare (and link) equal.
        for name, codes in (
            ("tiers", TIER_CODES),
            ("areas", AREA_CODES),
            ("statuses", STATUS_CODES),
        ):
            value = tuple(getattr(self, name))
            unknown = [v for v in value if v not in codes]
            if unknown:
                raise ValueError(
                    f"Filters.{name}: unknown code(s) {', '.join(map(str, unknown))}; "
                    f"use {', '.join(codes)}"
                )
            object.__setattr__(self, name, tuple(c for c in codes if c in value))

    def active(self) -> list[str]:
        """Names of the fields that filter (differ from their defaults)."""
        default = Filters()
        return [f.name for f in fields(self) if getattr(self, f.name) != getattr(default, f.name)]

    def to_query(self) -> dict[str, str]:
        """The filters as URL query parameters; defaults are left out."""
        out: dict[str, str] = {}
        for name in self.active():
            value = getattr(self, name)
            key = _KEYS[name]
            if isinstance(value, bool):
                out[key] = "1" if value else "0"
            elif isinstance(value, tuple):
                out[key] = ",".join(value) if value else _ANY
            elif isinstance(value, date):
                out[key] = value.isoformat()
            elif isinstance(value, int | float) and not isinstance(value, bool):
                out[key] = _number_text(value)
            else:
                out[key] = str(value)
        return out

    @classmethod
    def from_query(
        cls, params: Mapping[str, str | Sequence[str]], *, tracks: Iterable[str] = ()
    ) -> tuple[Filters, list[QueryProblem]]:
        """Filters from URL query parameters, and the problems of values that were ignored.

        Never raises on bad input: an unreadable value, an unknown code, a value out of range
        (a date outside `AVAILABLE_BY_RANGE`, a clean-room class not in `CLEAN_ROOM_CLASSES`,
        a negative or infinite number) or a reversed range is reported as a `QueryProblem`
        and that filter keeps its default. Keys that are not
        filters are ignored silently (they belong to someone else).

        Parameters
        ----------
        params
            Query parameters, e.g. ``st.query_params.to_dict()``; a list takes its last value.
        tracks
            The configured track ids, to check ``track``.
        """
        known_tracks = tuple(tracks)
        values: dict[str, object] = {}
        problems: list[QueryProblem] = []
        for name, key in _KEYS.items():
            if key not in params:
                continue
            raw = params[key]
            if not isinstance(raw, str):
                raw = raw[-1] if len(raw) else ""
            raw = raw.strip()
            try:
                values[name] = _parse(name, raw, known_tracks)
            except _Bad as e:
                problems.append(QueryProblem(key, raw, e.problem, e.params))
        for low, high, key in (
            ("area_min", "area_max", "amin/amax"),
            ("rent_min", "rent_max", "rmin/rmax"),
        ):
            lo, hi = values.get(low), values.get(high)
            if lo is not None and hi is not None and lo > hi:
                problems.append(QueryProblem(key, f"{lo}–{hi}", "reversed"))
                values.pop(low)
                values.pop(high)
        return cls(**values), problems

    def loosened(self, name: str) -> Filters:
        """A copy without filter ``name``: back at its default, or any status for statuses."""
        return replace(self, **{name: () if name == "statuses" else getattr(Filters(), name)})


QUERY_PROBLEMS = (
    "flag",
    "unknown_codes",
    "unknown_track",
    "not_a_date",
    "date_range",
    "not_a_number",
    "negative",
    "iso_range",
    "reversed",
)
"""Why a link value was ignored (`words.finder` words them)."""


@dataclass(frozen=True)
class QueryProblem:
    """A URL parameter that was ignored: which, its value, why (`QUERY_PROBLEMS`) and the
    values that would do (``params``: e.g. ``codes``, ``first``/``last``)."""

    key: str
    value: str
    problem: str
    params: Mapping[str, Any] = field(default_factory=dict)


class _Bad(Exception):
    def __init__(self, problem: str, **params: Any):
        super().__init__(problem)
        self.problem, self.params = problem, params


def _number_text(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _parse(name: str, raw: str, tracks: tuple[str, ...]) -> object:
    if name in ("exhaust", "wet_lab_drainage", "released_only"):
        if raw in ("1", "true", "yes"):
            return True
        if raw in ("0", "false", "no", ""):
            return False
        raise _Bad("flag")
    if name in ("tiers", "areas", "statuses"):
        codes = {"tiers": TIER_CODES, "areas": AREA_CODES, "statuses": STATUS_CODES}[name]
        if raw == _ANY or (raw == "" and name == "statuses"):
            return ()
        parts = [p.strip() for p in raw.split(",") if p.strip()]
        unknown = [p for p in parts if p not in codes]
        if unknown or not parts:
            raise _Bad("unknown_codes", unknown=tuple(unknown), codes=codes)
        return tuple(parts)
    if name == "track":
        if raw not in tracks:
            raise _Bad("unknown_track", codes=tracks)
        return raw
    if name == "available_by":
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            raise _Bad("not_a_date") from None
        first, last = AVAILABLE_BY_RANGE
        if not first <= day <= last:
            raise _Bad("date_range", first=first, last=last)
        return day
    try:
        number = float(raw)
    except ValueError:
        raise _Bad("not_a_number") from None
    if not math.isfinite(number) or number < 0:
        raise _Bad("negative") from None
    if name == "max_clean_room_iso":
        lo, hi = CLEAN_ROOM_CLASSES[0], CLEAN_ROOM_CLASSES[-1]
        if not number.is_integer() or int(number) not in CLEAN_ROOM_CLASSES:
            raise _Bad("iso_range", first=lo, last=hi)
        return int(number)
    return number


# --- searching --------------------------------------------------------------------------------


def mask(index: CarrierIndex, filters: Filters, *, released: pd.Series | None = None) -> np.ndarray:
    """Which carriers meet every active filter: a boolean array aligned with ``index.ids``.

    Parameters
    ----------
    index
        `planning.supply.CarrierIndex` of the carrier table.
    filters
        The search.
    released
        The approved release batches: carrier id -> batch label. With
        ``filters.released_only``, only carriers with a label pass; None means no batch
        has been approved, so nothing passes.
    """
    f = filters
    ok = _takeable(index, f.statuses)
    suit = index.built_to_suit
    if f.area_min is not None:
        ok &= index.usable_area >= f.area_min
    if f.area_max is not None:
        ok &= index.usable_area <= f.area_max
    if f.tiers:
        ok &= np.isin(index.tier, [TIER_CODES.index(t) for t in f.tiers])
    if f.areas:
        ok &= np.isin(index.zone, [AREA_CODES.index(a) for a in f.areas])
    if f.track is not None:
        if f.track in index.tracks:
            ok &= index.track_ok[index.tracks.index(f.track)]
        else:
            ok &= False
    if f.min_floor_load is not None:
        ok &= suit | (index.floor_load >= f.min_floor_load)
    if f.min_clear_height is not None:
        ok &= suit | (index.clear_height >= f.min_clear_height)
    if f.exhaust:
        ok &= suit | index.exhaust
    if f.wet_lab_drainage:
        ok &= suit | index.wet_lab
    if f.min_power_kva is not None:
        ok &= suit | (index.power >= f.min_power_kva)
    if f.max_clean_room_iso is not None:
        ok &= suit | (index.clean_iso <= f.max_clean_room_iso)
    if f.rent_min is not None:
        ok &= index.rent >= f.rent_min
    if f.rent_max is not None:
        ok &= index.rent <= f.rent_max
    if f.available_by is not None:
        by = day(f.available_by)
        now = (index.available_day == NEVER) & (index.status == STATUS_CODES.index("available"))
        ok &= now | (index.available_day <= by)
    if f.released_only:
        if released is None or released.empty:
            ok &= False
        else:
            labelled = released[released.notna()].index
            ok &= index.ids.isin(labelled)
    return ok


def find(index: CarrierIndex, filters: Filters, *, released: pd.Series | None = None) -> np.ndarray:
    """Positions (into ``index.ids``) of the carriers meeting the filters, in index order."""
    return np.flatnonzero(mask(index, filters, released=released))


def _takeable(index: CarrierIndex, statuses: tuple[str, ...]) -> np.ndarray:
    available = index.status == STATUS_CODES.index("available")
    ok = available | (index.available_day != NEVER)
    if statuses:
        ok = ok & np.isin(index.status, [STATUS_CODES.index(s) for s in statuses])
    return ok


def matched_places(index: CarrierIndex, positions: np.ndarray) -> pd.Series:
    """Per building or plot holding matching carriers, how many match (map highlighting)."""
    places = pd.Series(index.place[positions], dtype="object")
    return places.value_counts().rename("matches")
