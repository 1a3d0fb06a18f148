"""Readiness of each carrier: four component scores, a weighted score 0–100 and hard gates.

Everything is computed as of a date passed in, vectorised over carriers (no Python loop over
them). Dates are *projected*: the actual date if known, else the planned one. A planned date on
or before the as-of date with no actual date has not been confirmed: it is overdue and projected
to the day after the as-of date. The projection never moves a date earlier than a later
planned date would, so bringing a planned date forward never delays anything. The facts the
industry fit rests on (spec fit per track, neighbours, distances) come from `planning.facts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from planning.arrays import check_columns, codes, labelled
from planning.days import EARLIEST, NEVER, DateError, dates_of, day, days, to_date
from planning.facts import BUILD_IT, CarrierFacts
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
    "construction_progress",
    "planned_completion",
    "actual_completion",
    "planned_acceptance",
    "actual_acceptance",
    "facilities_progress",
    "land_ready_planned",
    "land_ready_actual",
    "tenant",
)
"""Columns of `spaces.rollup.carrier_table` that scoring reads (besides the carrier facts)."""

TEAM_COLUMNS = ("name", "status", "ready_date", "capacity")

_NONE, _FORMING, _IN_PLACE = 0, 1, 2


class ReadinessError(ValueError):
    """Input the readiness model cannot score; the message says what is missing and where."""


@dataclass(frozen=True)
class Readiness:
    """The readiness of every carrier on one date.

    Attributes
    ----------
    as_of
        The date the plan is made on: later dates are projected from it.
    on
        The date evaluated (the as-of date, or a later one a release window is scored on).
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
        Whether each gate passes on that date (gates that do not apply pass); one column per
        gate in force.
    gate_dates
        When each gate passes: its projected date (NaT: no date can be given).
    ready_from
        The first date on which all gates pass (NaT: not foreseeable).
    carrier_facts
        The carriers' facts the industry fit was scored from (`planning.facts`).
    """

    as_of: date
    on: date
    policy: Policy
    score: pd.Series
    components: pd.DataFrame
    parts: pd.DataFrame
    facts: pd.DataFrame
    gates: pd.DataFrame
    gate_dates: pd.DataFrame
    ready_from: pd.Series
    carrier_facts: CarrierFacts

    @property
    def ready(self) -> pd.Series:
        """True where every gate passes on `on`."""
        return self.gates.all(axis=1).rename("ready")


def score(
    carriers: pd.DataFrame,
    teams: pd.DataFrame,
    facts: CarrierFacts,
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
    facts
        The carriers' facts, built for this policy (`Policy.carrier_facts`).
    policy
        Weights, parts, gates and tracks (`planning.policy.Policy`).
    as_of
        The date to evaluate; dates after it are projected.

    Returns
    -------
    Readiness
    """
    model = prepare(carriers, teams, facts, policy=policy, as_of=as_of)
    return model.readiness(model.as_of)


def prepare(
    carriers: pd.DataFrame,
    teams: pd.DataFrame,
    facts: CarrierFacts,
    *,
    policy: Policy,
    as_of: date | str | np.datetime64,
) -> Model:
    """Validate the input and compute everything that does not depend on the date evaluated.

    The release plan evaluates the returned model on each window's dates (`Model.score_at`).
    """
    _check(carriers, teams, facts, policy)
    try:
        a = day(as_of)
    except DateError as e:
        raise ReadinessError(str(e)) from None
    r = policy.readiness
    c = carriers

    is_plot = c["tier"].eq("plot").to_numpy(bool)
    status = c["status"]
    leased = status.eq("leased").to_numpy(bool)
    reserved = status.eq("reserved").to_numpy(bool)

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
    fit = _industry_fit(c, facts, policy)

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
        carrier_facts=facts,
        as_of=a,
        is_plot=is_plot,
        leased=leased,
        reserved=reserved,
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
            "tenant": c["tenant"].astype(object).where(c["tenant"].notna(), None).to_numpy(),
            **{k: v for k, v in fit.items() if k != "score" and not k.startswith("part_")},
        },
        parts_static={k.removeprefix("part_"): v for k, v in fit.items() if k.startswith("part_")},
    )


@dataclass(frozen=True, eq=False)
class Model:
    """The date-independent part of the readiness of a set of carriers (see `prepare`).

    The score never falls as time passes: completion, acceptance, land readiness and a team
    coming into place only add to it, and nothing else depends on the date. So the first day
    a carrier is ready within a period is one of `change_days` (or the period's first day).
    """

    index: pd.Index
    policy: Policy
    carrier_facts: CarrierFacts
    as_of: np.int64
    is_plot: np.ndarray
    leased: np.ndarray
    reserved: np.ndarray
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

    @property
    def held(self) -> np.ndarray:
        """Carriers whose space is held and not released: leased, and reserved unless the
        policy releases reserved carriers (``release.release_reserved``)."""
        if self.policy.release.release_reserved:
            return self.leased
        return self.leased | self.reserved

    def change_days(self) -> np.ndarray:
        """Per carrier (rows), the days its score or gates may change on (4 columns)."""
        return np.column_stack([self.completion, self.acceptance, self.land, self.team_from])

    def _dated(self, on: np.integer | np.ndarray) -> dict[str, np.ndarray]:
        """The date-dependent facts and components on day ``on`` (one, or one per carrier)."""
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

    def score_at(self, on: np.integer | np.ndarray) -> np.ndarray:
        """The readiness score (0–100) of every carrier on day ``on`` (one, or per carrier)."""
        d = self._dated(on)
        return self._total(d["construction"], d["service"])

    def readiness(self, on: int | np.integer) -> Readiness:
        """The full, explained `Readiness` on day ``on``."""
        d = self._dated(on)
        idx = self.index
        facts = pd.DataFrame(
            {k: _as_column(k, v) for k, v in self.facts_static.items()},
            index=idx,
        )
        facts["team_in_place_from"] = dates_of(self.team_from)
        facts["team_in_place"] = self.team_from <= on
        parts = {
            "progress": np.where(self.is_plot, d["land_ready"], d["progress"]),
            "completion": np.where(self.is_plot, d["land_ready"], d["completed"].astype(float)),
            "acceptance": np.where(self.is_plot, d["land_ready"], d["accepted"].astype(float)),
            "team_status": d["status_score"],
            "team_load": self.team_load,
            **self.parts_static,
        }
        components = np.column_stack([d["construction"], self.facilities, d["service"], self.fit])
        gate_names = list(self.gate_days)
        return Readiness(
            as_of=to_date(self.as_of),
            on=to_date(on),
            policy=self.policy,
            score=pd.Series(
                self._total(d["construction"], d["service"]), index=idx, name="readiness"
            ),
            components=pd.DataFrame(components, index=idx, columns=list(COMPONENTS)),
            parts=pd.DataFrame(parts, index=idx)[list(PARTS)],
            facts=facts,
            gates=pd.DataFrame({g: self.gate_days[g] <= on for g in gate_names}, index=idx),
            gate_dates=pd.DataFrame(
                {g: dates_of(self.gate_days[g]) for g in gate_names}, index=idx
            ),
            ready_from=pd.Series(dates_of(self.ready_from), index=idx, name="ready_from"),
            carrier_facts=self.carrier_facts,
        )


def blocking_gates(readiness: Readiness, ids: pd.Index) -> pd.DataFrame:
    """Which failing gates of each carrier pass last: carriers × gates, True for those.

    A gate with no expected date passes last of all; a carrier whose gates all pass has none.
    """
    dates = readiness.gate_dates.loc[ids]
    passes = readiness.gates.loc[ids]
    filled = dates.fillna(pd.Timestamp("2262-01-01")).where(~passes, pd.Timestamp("1970-01-01"))
    latest = filled.max(axis=1)
    return filled.eq(latest, axis=0) & ~passes


# --- input -------------------------------------------------------------------------------


def _check(carriers: pd.DataFrame, teams: pd.DataFrame, facts: CarrierFacts, policy: Policy):
    check_columns(carriers, REQUIRED_COLUMNS, error=ReadinessError, what=BUILD_IT)
    if not facts.ids.equals(pd.Index(carriers.index.astype("str"))):
        raise ReadinessError(
            "the carrier facts were built from another carrier table: build them from this one "
            "(Policy.carrier_facts)"
        )
    if facts.key != policy.facts_key():
        raise ReadinessError(
            "the carrier facts were built with other tracks, access or neighbour settings than "
            "the policy's: build them with this policy (Policy.carrier_facts)"
        )
    missing = [col for col in TEAM_COLUMNS if col not in teams.columns]
    if missing:
        raise ReadinessError(
            f"the service teams lack the column(s) {', '.join(missing)}: "
            "pass Inventory.service_teams"
        )
    known = set(policy.capacity_of())
    units = set(carriers["responsible_unit"].dropna().unique())
    if units - known:
        raise ReadinessError(
            f"responsible unit(s) {', '.join(sorted(map(str, units - known)))} are not in the "
            "policy: add them to [[units]] in the settings"
        )


def _projected(actual: pd.Series, planned: pd.Series, a: np.int64):
    """Projected day numbers: actual if known, else planned (overdue ones: the next day)."""
    act = days(actual)
    plan = days(planned)
    known = act != NEVER
    has_plan = plan != NEVER
    overdue = ~known & has_plan & (plan <= a)
    out = np.where(known, act, np.where(has_plan, np.maximum(plan, a + 1), NEVER))
    return out, known, overdue


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
    planned = days(teams["ready_date"])
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


# --- industry fit ------------------------------------------------------------------------


def priority_scores(policy: Policy) -> np.ndarray:
    """The priority score of each track, in the policy's track order."""
    ps = policy.readiness.industry_fit.priority_scores
    return np.array([ps[min(max(t.priority, 1), len(ps)) - 1] for t in policy.tracks], float)


def _industry_fit(c: pd.DataFrame, facts: CarrierFacts, policy: Policy) -> dict:
    """The industry fit of each carrier from its facts: the track used and the five parts."""
    f = policy.readiness.industry_fit
    n, k = len(c), len(policy.tracks)
    prio = priority_scores(policy)
    own = codes(c["track"], facts.track_ids)
    has_own = own >= 0
    nb_score = facts.neighbours / f.neighbours_full
    # The carrier's own track, else the track that fits it best (ties: settings order).
    by_track = f.specs * facts.spec + f.priority * prio[None, :] + f.neighbours * nb_score
    best = np.argmax(by_track, axis=1) if k else np.zeros(n, np.int64)
    chosen = np.where(has_own, own, best)
    rows = np.arange(n)
    if k:
        part_specs = facts.spec[rows, chosen]
        part_prio = prio[chosen]
        part_nb = nb_score[rows, chosen]
        neighbours = facts.neighbours[rows, chosen]
    else:
        part_specs = part_prio = part_nb = np.zeros(n)
        neighbours = np.zeros(n, np.int64)
        chosen = np.full(n, -1)
    hub_score = facts.hub_near
    metro_score = facts.metro_near
    score = (
        f.specs * part_specs
        + f.priority * part_prio
        + f.neighbours * part_nb
        + f.hub * hub_score
        + f.metro * metro_score
    )
    stations = facts.station_names
    return {
        "score": score,
        "part_specs": part_specs,
        "part_priority": part_prio,
        "part_neighbours": part_nb,
        "part_hub": hub_score,
        "part_metro": metro_score,
        "track_used": labelled(chosen, facts.track_ids),
        "track_source": pd.Categorical.from_codes(
            has_own.astype(np.int8), ["best", "own"], validate=False
        ),
        "neighbours": neighbours.astype(np.int64),
        "hub_m": facts.hub_m,
        "hub_zh": labelled(np.zeros(n, np.int64), [facts.hub_name[0]]),
        "hub_en": labelled(np.zeros(n, np.int64), [facts.hub_name[1]]),
        "metro_m": facts.metro_m,
        "station_zh": labelled(facts.station, [s[0] for s in stations]),
        "station_en": labelled(facts.station, [s[1] for s in stations]),
    }
