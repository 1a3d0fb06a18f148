"""Readiness of each carrier: four component scores, a weighted score 0–100 and hard gates.

Everything is computed as of a date passed in, vectorised over carriers (no Python loop over
them). Dates are *projected*: the actual date if known, else the planned one. A planned date on
or before the as-of date with no actual date has not been confirmed: it is overdue and projected
to the day after the as-of date. The projection never moves a date earlier than a later
planned date would, so bringing a planned date forward never delays anything. Distances are
measured between projected points in EPSG:4549.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from pyproj import Transformer

from geodata.crs import PROJECTED, WGS84
from planning.policy import COMPONENTS, Policy

GATES = ("acceptance", "land", "team_in_place", "min_facilities")
"""Gate names: the two built in (acceptance for rooms, floors and buildings; land readiness for
plots) and those settings may add (`settings.GATES`)."""

PARTS = (
    "progress",
    "completion",
    "acceptance",
    "team_status",
    "team_load",
    "specs",
    "priority",
    "neighbours",
    "hub",
    "metro",
)
"""Sub-scores in [0, 1] behind the components (team_load is the multiplier for overload)."""

REQUIRED_COLUMNS = (
    "tier",
    "status",
    "track",
    "service_team_id",
    "responsible_unit",
    "usable_area_m2",
    "floor_load_kn_m2",
    "clear_height_m",
    "exhaust",
    "wet_lab_drainage",
    "power_kva",
    "clean_room_iso",
    "construction_progress",
    "planned_completion",
    "actual_completion",
    "planned_acceptance",
    "actual_acceptance",
    "facilities_progress",
    "land_ready_planned",
    "land_ready_actual",
    "lon",
    "lat",
)
"""Columns of `spaces.rollup.carrier_table` that scoring reads."""

TEAM_COLUMNS = ("name", "status", "ready_date", "capacity")

NEVER = np.int64(1) << 40
"""A day number that never comes: the expected date of a gate nobody can say when it passes."""
EARLIEST = -NEVER
_NONE, _FORMING, _IN_PLACE = 0, 1, 2
_LET = ("leased", "reserved")


class ReadinessError(ValueError):
    """Input the readiness model cannot score; the message says what is missing and where."""


@dataclass(frozen=True)
class Readiness:
    """The readiness of every carrier on one date.

    Attributes
    ----------
    as_of
        The date evaluated.
    policy
        The policy used.
    score
        Weighted readiness 0–100, indexed like the carriers, named "readiness".
    components
        The four component scores in [0, 1] (`planning.policy.COMPONENTS`).
    parts
        The sub-scores behind them (`PARTS`).
    facts
        The facts the scores rest on, for explanations: projected dates and whether they are
        actual or overdue, the team and its load, the track used and why, neighbours, the
        distances to the hub and the nearest metro station.
    gates
        Whether each gate passes on this date (gates that do not apply pass); one column per
        gate in force.
    gate_dates
        When each gate passes: its projected date (NaT: no date can be given).
    ready_from
        The first date on which all gates pass (NaT: not foreseeable).
    """

    as_of: date
    policy: Policy
    score: pd.Series
    components: pd.DataFrame
    parts: pd.DataFrame
    facts: pd.DataFrame
    gates: pd.DataFrame
    gate_dates: pd.DataFrame
    ready_from: pd.Series

    @property
    def ready(self) -> pd.Series:
        """True where every gate passes on `as_of`."""
        return self.gates.all(axis=1).rename("ready")


def score(
    carriers: pd.DataFrame,
    teams: pd.DataFrame,
    layers: pd.DataFrame,
    *,
    policy: Policy,
    as_of: date | str | np.datetime64,
) -> Readiness:
    """Score every carrier's readiness as of a date.

    Parameters
    ----------
    carriers
        `spaces.rollup.carrier_table` output (or any frame with `REQUIRED_COLUMNS`), indexed
        by carrier id. Not modified.
    teams
        The service teams (`Inventory.service_teams`), indexed by team id.
    layers
        Base layers with the hub feature (``policy.readiness.industry_fit.hub_feature``) and
        the metro stations (``layer == "station"``), in EPSG:4326.
    policy
        Weights, parts, gates and tracks (`planning.policy.Policy`).
    as_of
        The date to evaluate; dates after it are projected.

    Returns
    -------
    Readiness
    """
    model = prepare(carriers, teams, layers, policy=policy, as_of=as_of)
    return model.readiness(model.as_of)


def day(value: date | str | np.datetime64 | pd.Timestamp) -> np.int64:
    """A date as a day number (days since 1970-01-01)."""
    try:
        d = np.datetime64(pd.Timestamp(value).date(), "D")
    except (TypeError, ValueError):
        raise ReadinessError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    return np.int64(d.astype(np.int64))


def to_date(day_number: int | np.integer) -> date:
    """The date of a day number."""
    return np.datetime64(int(day_number), "D").astype(date)


def prepare(
    carriers: pd.DataFrame,
    teams: pd.DataFrame,
    layers: pd.DataFrame,
    *,
    policy: Policy,
    as_of: date | str | np.datetime64,
) -> Model:
    """Validate the input and compute everything that does not depend on the date evaluated.

    The release plan evaluates the returned model at each window's date (`Model.at`).
    """
    _check(carriers, teams, layers, policy)
    a = day(as_of)
    r = policy.readiness
    c = carriers

    is_plot = c["tier"].eq("plot").to_numpy(bool)
    status = c["status"]
    leased = status.eq("leased").to_numpy(bool)
    let = status.isin(_LET).to_numpy(bool)

    completion, completion_actual, completion_overdue = _projected(
        c["actual_completion"], c["planned_completion"], a
    )
    acceptance, acceptance_actual, acceptance_overdue = _projected(
        c["actual_acceptance"], c["planned_acceptance"], a
    )
    land, land_actual, land_overdue = _projected(c["land_ready_actual"], c["land_ready_planned"], a)
    progress = np.nan_to_num(c["construction_progress"].to_numpy(float), nan=0.0).clip(0, 1)
    facilities = np.nan_to_num(c["facilities_progress"].to_numpy(float), nan=0.0).clip(0, 1)

    team = _teams(c, teams, a, r.service_team.overload_penalty)
    fit = _industry_fit(c, layers, policy, let)

    gates = ("acceptance", "land", *policy.release.gates)
    gate_days = {
        "acceptance": np.where(is_plot, EARLIEST, acceptance),
        "land": np.where(is_plot, land, EARLIEST),
    }
    if "team_in_place" in gates:
        gate_days["team_in_place"] = team["in_place_from"]
    if "min_facilities" in gates:
        ok = facilities >= policy.release.min_facilities - 1e-12
        gate_days["min_facilities"] = np.where(ok, EARLIEST, NEVER)
    ready_from = np.maximum.reduce([gate_days[g] for g in gates])

    return Model(
        index=c.index,
        policy=policy,
        as_of=a,
        is_plot=is_plot,
        leased=leased,
        area=np.nan_to_num(c["usable_area_m2"].to_numpy(float), nan=0.0),
        units=codes(c["responsible_unit"], [u.id for u in policy.units]),
        progress=progress,
        facilities=facilities,
        completion=completion,
        acceptance=acceptance,
        land=land,
        team_status=team["status"],
        team_from=team["in_place_from"],
        team_load=team["multiplier"],
        fit=fit["score"],
        gate_days=gate_days,
        ready_from=ready_from,
        facts_static={
            "is_plot": is_plot,
            "construction_progress": progress,
            "completion_date": completion,
            "completion_actual": completion_actual,
            "completion_overdue": completion_overdue,
            "acceptance_date": acceptance,
            "acceptance_actual": acceptance_actual,
            "acceptance_overdue": acceptance_overdue,
            "land_date": land,
            "land_actual": land_actual,
            "land_overdue": land_overdue,
            "facilities_progress": facilities,
            "team_id": team["id"],
            "team_name": team["name"],
            "team_recorded_status": team["recorded"],
            "team_assigned": team["assigned"],
            "team_capacity": team["capacity"],
            **{k: v for k, v in fit.items() if k != "score" and not k.startswith("part_")},
        },
        parts_static={k.removeprefix("part_"): v for k, v in fit.items() if k.startswith("part_")},
    )


@dataclass(frozen=True, eq=False)
class Model:
    """The date-independent part of the readiness of a set of carriers (see `prepare`)."""

    index: pd.Index
    policy: Policy
    as_of: np.int64
    is_plot: np.ndarray
    leased: np.ndarray
    area: np.ndarray
    units: np.ndarray
    """Code of each carrier's responsible unit: its position in ``policy.units``."""
    progress: np.ndarray
    facilities: np.ndarray
    completion: np.ndarray
    acceptance: np.ndarray
    land: np.ndarray
    team_status: np.ndarray
    team_from: np.ndarray
    team_load: np.ndarray
    fit: np.ndarray
    gate_days: dict[str, np.ndarray]
    ready_from: np.ndarray
    facts_static: dict[str, np.ndarray]
    parts_static: dict[str, np.ndarray]

    def _dated(self, on: int | np.integer) -> dict[str, np.ndarray]:
        """The date-dependent facts and components on day ``on``."""
        r = self.policy.readiness
        cp, tp = r.construction, r.service_team
        completed = self.completion <= on
        accepted = self.acceptance <= on
        land_ready = (self.land <= on).astype(float)
        progress = np.where(completed, 1.0, self.progress)
        construction = np.where(
            self.is_plot,
            land_ready,
            cp.progress * progress + cp.completion * completed + cp.acceptance * accepted,
        )
        status_score = np.where(
            self.team_from <= on,
            tp.in_place,
            np.where(self.team_status == _FORMING, tp.forming, tp.none),
        )
        return {
            "completed": completed,
            "accepted": accepted,
            "land_ready": land_ready,
            "progress": progress,
            "construction": construction,
            "status_score": status_score,
            "service": status_score * self.team_load,
        }

    def _total(self, construction: np.ndarray, service: np.ndarray) -> np.ndarray:
        """The weighted score 0–100 (rounded to 1e-6, the same way on every path)."""
        w = self.policy.weights
        static = w["facilities"] * self.facilities + w["industry_fit"] * self.fit
        dated = w["construction"] * construction + w["service_team"] * service
        return np.round(100.0 * (dated + static), 6)

    def score_at(self, on: int | np.integer) -> np.ndarray:
        """The readiness score (0–100) of every carrier on day ``on``."""
        d = self._dated(on)
        return self._total(d["construction"], d["service"])

    def at(self, on: int | np.integer) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """Components (n × 4), score (n, 0–100) and the date-dependent parts on day ``on``."""
        d = self._dated(on)
        components = np.column_stack([d["construction"], self.facilities, d["service"], self.fit])
        parts = {
            "progress": np.where(self.is_plot, d["land_ready"], d["progress"]),
            "completion": np.where(self.is_plot, d["land_ready"], d["completed"].astype(float)),
            "acceptance": np.where(self.is_plot, d["land_ready"], d["accepted"].astype(float)),
            "team_status": d["status_score"],
        }
        return components, self._total(d["construction"], d["service"]), parts

    def readiness(self, on: int | np.integer) -> Readiness:
        """The full, explained `Readiness` on day ``on``."""
        components, total, parts = self.at(on)
        idx = self.index
        facts = pd.DataFrame(
            {k: _as_column(k, v) for k, v in self.facts_static.items()},
            index=idx,
        )
        facts["team_in_place_from"] = dates_of(self.team_from)
        facts["team_in_place"] = self.team_from <= on
        parts_frame = pd.DataFrame(
            {
                **parts,
                "team_load": self.team_load,
                **self.parts_static,
            },
            index=idx,
        )[list(PARTS)]
        gate_names = list(self.gate_days)
        return Readiness(
            as_of=to_date(on),
            policy=self.policy,
            score=pd.Series(total, index=idx, name="readiness"),
            components=pd.DataFrame(components, index=idx, columns=list(COMPONENTS)),
            parts=parts_frame,
            facts=facts,
            gates=pd.DataFrame({g: self.gate_days[g] <= on for g in gate_names}, index=idx),
            gate_dates=pd.DataFrame(
                {g: dates_of(self.gate_days[g]) for g in gate_names}, index=idx
            ),
            ready_from=pd.Series(dates_of(self.ready_from), index=idx, name="ready_from"),
        )


# --- input -------------------------------------------------------------------------------


def codes(values: pd.Series, labels: Any) -> np.ndarray:
    """Position of each value in ``labels`` (-1: missing or not among them), fast on strings."""
    found, uniques = pd.factorize(values)
    where = pd.Index(labels).get_indexer(uniques) if len(uniques) else np.zeros(0, np.int64)
    return np.where(found >= 0, where[np.maximum(found, 0)] if len(where) else -1, -1)


def labelled(index: np.ndarray, labels: Any) -> pd.Categorical:
    """A categorical of ``labels[index]`` (missing where index is -1), without copying text."""
    label_codes, uniques = pd.factorize(pd.Index(labels))
    label_codes = np.append(label_codes, -1)
    return pd.Categorical.from_codes(
        label_codes[np.where(index >= 0, index, -1)], uniques, validate=False
    )


def _check(carriers: pd.DataFrame, teams: pd.DataFrame, layers: pd.DataFrame, policy: Policy):
    missing = [col for col in REQUIRED_COLUMNS if col not in carriers.columns]
    if missing:
        raise ReadinessError(
            f"the carrier table lacks the column(s) {', '.join(missing)}: "
            "build it with spaces.rollup.carrier_table(inventory)"
        )
    if not carriers.index.is_unique:
        dupes = carriers.index[carriers.index.duplicated()].unique()[:5]
        raise ReadinessError(f"carrier ids repeat: {', '.join(map(str, dupes))}")
    missing = [col for col in TEAM_COLUMNS if col not in teams.columns]
    if missing:
        raise ReadinessError(
            f"the service teams lack the column(s) {', '.join(missing)}: "
            "pass Inventory.service_teams"
        )
    bad = ~(
        np.isfinite(carriers["lon"].to_numpy(float)) & np.isfinite(carriers["lat"].to_numpy(float))
    )
    if bad.any():
        ids = ", ".join(map(str, carriers.index[bad][:5]))
        raise ReadinessError(f"carriers without a location (lon/lat): {ids}")
    known = set(policy.capacity_of())
    units = set(carriers["responsible_unit"].dropna().unique())
    if units - known:
        raise ReadinessError(
            f"responsible unit(s) {', '.join(sorted(map(str, units - known)))} are not in the "
            "policy: add them to [[units]] in the settings"
        )
    hub = policy.readiness.industry_fit.hub_feature
    if "geometry" not in layers.columns or hub not in layers.index:
        raise ReadinessError(
            f"the base layers have no feature {hub!r} "
            "(readiness.industry_fit.hub_feature): name a point of the base layers"
        )


def _days(s: pd.Series) -> np.ndarray:
    """Day numbers of a date column; missing dates become NEVER."""
    values = s.to_numpy(dtype="datetime64[ns]", na_value=np.datetime64("NaT")).astype(
        "datetime64[D]"
    )
    out = values.astype(np.int64)
    return np.where(np.isnat(values), NEVER, out)


def _projected(actual: pd.Series, planned: pd.Series, a: np.int64):
    """Projected day numbers: actual if known, else planned (overdue ones: the next day)."""
    act = _days(actual)
    plan = _days(planned)
    known = act != NEVER
    has_plan = plan != NEVER
    overdue = ~known & has_plan & (plan <= a)
    out = np.where(known, act, np.where(has_plan, np.maximum(plan, a + 1), NEVER))
    return out, known, overdue


def dates_of(days: np.ndarray) -> np.ndarray:
    """Day numbers as datetime64[s]; NEVER and EARLIEST become NaT."""
    d = np.asarray(days, dtype=np.int64)
    out = d.astype("datetime64[D]")
    out[(d >= NEVER) | (d <= EARLIEST)] = np.datetime64("NaT")
    return out.astype("datetime64[s]")


def _as_column(name: str, values: np.ndarray) -> Any:
    if name.endswith("_date"):
        return dates_of(values)
    return values


# --- service teams -----------------------------------------------------------------------


def _teams(c: pd.DataFrame, teams: pd.DataFrame, a: np.int64, penalty: float) -> dict:
    """Per carrier: its team, the team's status, when it is in place, its load multiplier."""
    m = len(teams)
    ti = codes(c["service_team_id"], teams.index)
    has = ti >= 0
    at = np.where(has, ti, m)  # row m: the "no team" sentinel appended below
    code = (
        teams["status"]
        .map({"none": _NONE, "forming": _FORMING, "in_place": _IN_PLACE})
        .fillna(_NONE)
        .to_numpy(np.int64)
    )
    planned = _days(teams["ready_date"])
    ready = np.maximum(planned, a + 1)  # still forming on its ready date: not yet in place
    in_place_from = np.select([code == _IN_PLACE, code == _FORMING], [EARLIEST, ready], NEVER)
    capacity = teams["capacity"].to_numpy(dtype=float, na_value=0.0)
    assigned = np.bincount(ti[has], minlength=m).astype(float)
    beyond = np.where(assigned > 0, np.clip(1.0 - capacity / np.maximum(assigned, 1), 0, 1), 0)
    return {
        "id": labelled(ti, teams.index),
        "name": labelled(ti, teams["name"]),
        "recorded": labelled(ti, teams["status"]),
        "status": np.append(code, _NONE)[at],
        "in_place_from": np.append(in_place_from, NEVER)[at],
        "assigned": np.append(assigned, 0.0)[at].astype(np.int64),
        "capacity": np.append(capacity, 0.0)[at].astype(np.int64),
        "multiplier": np.append(1.0 - penalty * beyond, 1.0)[at],
    }


# --- industry fit ------------------------------------------------------------------------


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


def _spec_matrix(c: pd.DataFrame, policy: Policy) -> np.ndarray:
    """How far each carrier meets each track's requirements, in [0, 1] (carriers × tracks).

    Each requirement scores 1 when met; floor load, clear height and power score their share
    of the requirement when short; exhaust, wet-lab drainage and the clean room are met or
    not. A track's fit is the mean over its requirements (1 with none). A plot has no specs
    yet: it is built to the track's needs and fits every track. A value not recorded is not
    met.
    """
    is_plot = c["tier"].eq("plot").to_numpy(bool)
    load = c["floor_load_kn_m2"].to_numpy(float, na_value=np.nan)
    height = c["clear_height_m"].to_numpy(float, na_value=np.nan)
    power = c["power_kva"].to_numpy(float, na_value=np.nan)
    exhaust = c["exhaust"].to_numpy(dtype=bool, na_value=False).astype(float)
    wet = c["wet_lab_drainage"].to_numpy(dtype=bool, na_value=False).astype(float)
    iso = c["clean_room_iso"].to_numpy(dtype=float, na_value=np.nan)
    out = np.ones((len(c), len(policy.tracks)))
    for k, t in enumerate(policy.tracks):
        total, count = np.zeros(len(c)), 0
        for value, need in (
            (load, t.min_floor_load_kn_m2),
            (height, t.min_clear_height_m),
            (power, t.min_power_kva),
        ):
            if need:
                total += np.nan_to_num(value / need, nan=0.0).clip(0, 1)
                count += 1
        for flag, needed in ((exhaust, t.exhaust), (wet, t.wet_lab_drainage)):
            if needed:
                total += flag
                count += 1
        if t.max_clean_room_iso is not None:
            total += np.nan_to_num(iso, nan=99) <= t.max_clean_room_iso
            count += 1
        if count:
            out[:, k] = np.where(is_plot, 1.0, total / count)
    return out


def priority_scores(policy: Policy) -> np.ndarray:
    """The priority score of each track, in the policy's track order."""
    ps = policy.readiness.industry_fit.priority_scores
    return np.array([ps[min(max(t.priority, 1), len(ps)) - 1] for t in policy.tracks], float)


def _industry_fit(c: pd.DataFrame, layers: pd.DataFrame, policy: Policy, let: np.ndarray):
    f = policy.readiness.industry_fit
    tracks = [t.id for t in policy.tracks]
    n, k = len(c), len(tracks)
    spec = _spec_matrix(c, policy)
    prio = priority_scores(policy)
    own = codes(c["track"], tracks)
    has_own = own >= 0

    loc, x, y = _locations(c["lon"].to_numpy(float), c["lat"].to_numpy(float))
    n_loc = len(x)
    full = f.neighbours_full
    # Same-track neighbours: leased or reserved carriers with a track, counted per location.
    is_point = let & has_own
    weights = np.bincount(loc[is_point] * k + own[is_point], minlength=n_loc * k).reshape(n_loc, k)
    needed = np.zeros((n_loc, k), dtype=bool)
    needed[loc[has_own], own[has_own]] = True
    needed[loc[~has_own]] = True
    counts = _neighbour_counts(x, y, weights, needed, f.neighbour_radius_m, full + 1)

    # The carrier's own track, else the track that fits it best (ties: settings order).
    nb_all = np.minimum(counts[loc], full)  # n × k, a carrier without a track is no neighbour
    self_point = is_point.astype(np.int64)
    rows = np.arange(n)
    own_safe = np.where(has_own, own, 0)
    if k:
        nb_all[rows[has_own], own_safe[has_own]] = np.minimum(
            counts[loc[has_own], own_safe[has_own]] - self_point[has_own], full
        )
    nb_score = nb_all / full
    by_track = f.specs * spec + f.priority * prio[None, :] + f.neighbours * nb_score
    best = np.argmax(by_track, axis=1) if k else np.zeros(n, np.int64)
    chosen = np.where(has_own, own_safe, best)
    pick = (rows, chosen)

    hub_point = layers.geometry.loc[f.hub_feature]
    hub_point = hub_point if hub_point.geom_type == "Point" else hub_point.representative_point()
    hx, hy = _to_projected().transform(hub_point.x, hub_point.y)
    hub_m = np.hypot(x - hx, y - hy)[loc]
    hub_names = layers.loc[[f.hub_feature]]
    stations = layers[layers["layer"] == "station"] if "layer" in layers.columns else layers[:0]
    if len(stations):
        pts = stations.geometry.representative_point()
        sx, sy = _to_projected().transform(pts.x.to_numpy(), pts.y.to_numpy())
        d = np.hypot(x[:, None] - np.asarray(sx)[None, :], y[:, None] - np.asarray(sy)[None, :])
        nearest = np.argmin(d, axis=1)
        metro_m = d[np.arange(n_loc), nearest][loc]
        station = nearest[loc]
    else:
        metro_m = np.full(n, np.inf)
        station = np.full(n, -1)
    hub_score = np.clip(1.0 - hub_m / f.hub_distance_m, 0.0, 1.0)
    metro_score = np.clip(1.0 - metro_m / f.metro_distance_m, 0.0, 1.0)
    if k:
        part_specs, part_prio, part_nb = spec[pick], prio[chosen], nb_score[pick]
        neighbours = nb_all[pick]
        track_used = labelled(chosen, tracks)
    else:
        part_specs = part_prio = part_nb = np.zeros(n)
        neighbours = np.zeros(n, np.int64)
        track_used = labelled(np.full(n, -1), tracks)
    score = (
        f.specs * part_specs
        + f.priority * part_prio
        + f.neighbours * part_nb
        + f.hub * hub_score
        + f.metro * metro_score
    )
    return {
        "score": score,
        "part_specs": part_specs,
        "part_priority": part_prio,
        "part_neighbours": part_nb,
        "part_hub": hub_score,
        "part_metro": metro_score,
        "track_used": track_used,
        "track_source": pd.Categorical.from_codes(
            has_own.astype(np.int8), ["best", "own"], validate=False
        ),
        "neighbours": neighbours.astype(np.int64),
        "hub_m": hub_m,
        "hub_zh": labelled(np.zeros(n, np.int64), _names(hub_names, "name_zh")),
        "hub_en": labelled(np.zeros(n, np.int64), _names(hub_names, "name_en")),
        "metro_m": metro_m,
        "station_zh": labelled(station, _names(stations, "name_zh")),
        "station_en": labelled(station, _names(stations, "name_en")),
    }


def _names(features: pd.DataFrame, column: str) -> list[str]:
    """Feature names (the feature id where a name is missing)."""
    if column not in features.columns:
        return [str(i) for i in features.index]
    names = features[column].astype(object)
    return [
        str(n) if pd.notna(n) and n else str(i) for i, n in zip(features.index, names, strict=True)
    ]


def _neighbour_counts(
    x: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray,
    needed: np.ndarray,
    radius: float,
    cap: int,
) -> np.ndarray:
    """For each needed (location, track): points of that track within ``radius``, up to ``cap``.

    Exact, without a pair for every two locations: on a grid of cells ``radius / √2`` wide
    every two points of one cell are within the radius, so a cell already holding ``cap``
    points saturates every location in it; only the other locations compare distances, with
    the points of the 21 cells around them that can lie within the radius.
    """
    n_loc, k = weights.shape
    out = np.zeros((n_loc, k), dtype=np.int64)
    if n_loc == 0 or k == 0 or not needed.any() or not weights.any():
        return out
    size = radius / np.sqrt(2.0)
    ix = np.floor(x / size).astype(np.int64)
    iy = np.floor(y / size).astype(np.int64)
    ix += 2 - ix.min()
    iy += 2 - iy.min()
    ny = int(iy.max()) + 3
    n_cells = (int(ix.max()) + 3) * ny
    cell = ix * ny + iy

    pl, pt = np.nonzero(weights)
    pkey = pt * n_cells + cell[pl]
    order = np.argsort(pkey, kind="stable")
    pkey, pl = pkey[order], pl[order]
    pw = weights[pl, pt[order]].astype(np.int64)
    cum = np.concatenate([[0], np.cumsum(pw)])

    ql, qt = np.nonzero(needed)
    qkey = qt * n_cells + cell[ql]
    own = cum[np.searchsorted(pkey, qkey, "right")] - cum[np.searchsorted(pkey, qkey, "left")]
    saturated = own >= cap
    out[ql[saturated], qt[saturated]] = cap
    ql, qt, qkey = ql[~saturated], qt[~saturated], qkey[~saturated]
    if len(ql) == 0:
        return out

    offsets = np.array(
        [dx * ny + dy for dx in range(-2, 3) for dy in range(-2, 3) if abs(dx) + abs(dy) < 4]
    )
    keys = (qkey[:, None] + offsets[None, :]).ravel()
    lo = np.searchsorted(pkey, keys, "left")
    hi = np.searchsorted(pkey, keys, "right")
    lengths = hi - lo
    total = int(lengths.sum())
    query = np.repeat(np.arange(len(keys)) // len(offsets), lengths)
    starts = np.repeat(lo - (np.cumsum(lengths) - lengths), lengths)
    point = starts + np.arange(total)
    other, here = pl[point], ql[query]
    within = (x[other] - x[here]) ** 2 + (y[other] - y[here]) ** 2 <= radius * radius
    counts = np.bincount(query[within], weights=pw[point][within], minlength=len(ql))
    out[ql, qt] = np.minimum(counts.astype(np.int64), cap)
    return out
