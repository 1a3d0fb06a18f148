"""The planning rules as typed settings: readiness model, release windows, matching, access.

Each table is a frozen dataclass with defaults; ``validate(where)`` raises ValueError naming
the key (``where`` is its place in the settings, e.g. "readiness.weights"). The settings
loader (`settings.from_table`) builds them from TOML and checks them; a policy kept with an
approval is rebuilt the same way.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, fields
from datetime import date

GATES = ("team_in_place", "min_facilities")
"""Gates settings may add to the built-in ones (acceptance for rooms, floors and buildings; land
readiness for plots): the carrier's service team in place, a minimum facilities progress."""

MATCH_COMPONENTS = ("area", "rent", "date", "technical", "track", "access")
"""The components of a supply–demand match score, in display order."""

_SUM_TOLERANCE = 1e-6


@dataclass(frozen=True)
class AccessSettings:
    """The hub and the metro stations that readiness and matching measure distances to.

    Nearness scores 1 at the feature and falls linearly to 0 at the distance given; distances
    are straight lines in EPSG:4549. Used by the industry fit of readiness and by the access
    component of matching alike.
    """

    hub_feature: str = "landmark.hongqiao-railway-station"
    hub_distance_m: float = 8000.0
    metro_distance_m: float = 2000.0

    def validate(self, where: str) -> None:
        if not self.hub_feature.strip():
            raise ValueError(f"{where}.hub_feature is empty: name a point of the base layers")
        for key in ("hub_distance_m", "metro_distance_m"):
            if not getattr(self, key) > 0:
                raise ValueError(f"{where}.{key} = {getattr(self, key):g} must be above 0")


@dataclass(frozen=True)
class ReadinessWeights:
    """Weights of the four readiness components; they must sum to 1."""

    construction: float = 0.35
    facilities: float = 0.20
    service_team: float = 0.20
    industry_fit: float = 0.25

    def validate(self, where: str) -> None:
        _shares(self, _names(ReadinessWeights), where)


@dataclass(frozen=True)
class ConstructionParts:
    """Shares of the construction score: build progress, completion, acceptance (sum to 1)."""

    progress: float = 0.5
    completion: float = 0.25
    acceptance: float = 0.25

    def validate(self, where: str) -> None:
        _shares(self, _names(ConstructionParts), where)


@dataclass(frozen=True)
class TeamScores:
    """Service-team score by status, and the cut for a team serving beyond its capacity.

    The score is ``status score × (1 − overload_penalty × share of its carriers beyond
    capacity)``; a forming team counts as in place from its ready date.
    """

    in_place: float = 1.0
    forming: float = 0.5
    none: float = 0.0
    overload_penalty: float = 0.5

    def validate(self, where: str) -> None:
        for key in _names(TeamScores):
            _between(getattr(self, key), 0.0, 1.0, f"{where}.{key}")
        if not self.in_place >= self.forming >= self.none:
            raise ValueError(
                f"{where}: in_place >= forming >= none must hold "
                f"(got {self.in_place:g}, {self.forming:g}, {self.none:g})"
            )


FIT_PARTS = ("specs", "priority", "neighbours", "hub", "metro")
"""The parts of the industry-fit score, in the order they are reported."""


@dataclass(frozen=True)
class FitParts:
    """Shares of the industry-fit score (specs … metro, sum to 1) and their scales.

    The distances behind ``hub`` and ``metro`` are measured and scaled by `AccessSettings`.
    """

    specs: float = 0.35
    priority: float = 0.25
    neighbours: float = 0.15
    hub: float = 0.15
    metro: float = 0.10
    priority_scores: tuple[float, ...] = (1.0, 0.5, 0.25)
    neighbour_radius_m: float = 1000.0
    neighbours_full: int = 5

    def validate(self, where: str) -> None:
        _shares(self, FIT_PARTS, where)
        if not self.priority_scores:
            raise ValueError(f"{where}.priority_scores is empty: give one per priority")
        for i, value in enumerate(self.priority_scores):
            _between(value, 0.0, 1.0, f"{where}.priority_scores[{i}]")
        scores = self.priority_scores
        if any(b > a for a, b in itertools.pairwise(scores)):
            raise ValueError(
                f"{where}.priority_scores must not increase from priority 1 on (got {list(scores)})"
            )
        if not self.neighbour_radius_m > 0:
            raise ValueError(
                f"{where}.neighbour_radius_m = {self.neighbour_radius_m:g} must be > 0"
            )
        if self.neighbours_full < 1:
            raise ValueError(f"{where}.neighbours_full = {self.neighbours_full} must be at least 1")


@dataclass(frozen=True)
class ReadinessSettings:
    """The readiness model: threshold, component weights and the parts of each component."""

    threshold: float = 60.0
    weights: ReadinessWeights = field(default_factory=ReadinessWeights)
    construction: ConstructionParts = field(default_factory=ConstructionParts)
    service_team: TeamScores = field(default_factory=TeamScores)
    industry_fit: FitParts = field(default_factory=FitParts)

    def validate(self, where: str) -> None:
        _between(self.threshold, 0.0, 100.0, f"{where}.threshold")
        for key in ("weights", "construction", "service_team", "industry_fit"):
            getattr(self, key).validate(f"{where}.{key}")


@dataclass(frozen=True)
class ReleaseSettings:
    """Release windows over the trial, extra gates, held space, and the date plans are made as of.

    Attributes
    ----------
    release_reserved
        False (the default): a carrier reserved for a prospect is held space, like a leased
        one, and goes in no batch. True: reserved carriers are released like available ones.
    as_of
        Fixed as-of date for the app and CLI (None: today). Not part of a policy.
    """

    trial_start: date = date(2026, 6, 1)
    trial_months: int = 36
    cadence_months: int = 6
    gates: tuple[str, ...] = ()
    min_facilities: float = 0.6
    release_reserved: bool = False
    as_of: date | None = None

    def validate(self, where: str) -> None:
        if self.trial_months < 1:
            raise ValueError(f"{where}.trial_months = {self.trial_months} must be at least 1")
        if not 1 <= self.cadence_months <= self.trial_months:
            raise ValueError(
                f"{where}.cadence_months = {self.cadence_months} must be between 1 and "
                f"{where}.trial_months ({self.trial_months})"
            )
        unknown = [g for g in self.gates if g not in GATES]
        if unknown:
            raise ValueError(
                f"{where}.gates: unknown gate(s) {', '.join(map(repr, unknown))}; "
                f"known: {', '.join(GATES)}"
            )
        if len(set(self.gates)) != len(self.gates):
            raise ValueError(f"{where}.gates: a gate is named twice ({', '.join(self.gates)})")
        _between(self.min_facilities, 0.0, 1.0, f"{where}.min_facilities")


@dataclass(frozen=True)
class MatchingSettings:
    """Weights and scales of supply–demand matching (`planning.matching`).

    The score of a carrier for a demand is 100 × the weighted mean of six component scores in
    [0, 1]; the weights need not sum to 1. The access component's distances are those of
    `AccessSettings`.
    """

    weight_area: float = 0.25
    weight_rent: float = 0.15
    weight_date: float = 0.15
    weight_technical: float = 0.15
    weight_track: float = 0.15
    weight_access: float = 0.15
    rent_low: float = 2.5
    rent_high: float = 10.0
    horizon_days: int = 365
    growth_radius_m: float = 3000.0

    def weights(self) -> dict[str, float]:
        """The component weights by component name, in display order."""
        return {name: getattr(self, f"weight_{name}") for name in MATCH_COMPONENTS}

    def validate(self, where: str) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not value >= 0:
                raise ValueError(f"{where}.{f.name} = {value!r} must be zero or more")
        if sum(self.weights().values()) <= 0:
            raise ValueError(f"{where}: at least one weight_* must be above zero")
        if self.rent_high <= self.rent_low:
            raise ValueError(f"{where}.rent_high must be above {where}.rent_low")
        if self.horizon_days < 1:
            raise ValueError(f"{where}.horizon_days must be at least 1")


def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _between(value: float, low: float, high: float, where: str) -> None:
    if not low <= value <= high:
        raise ValueError(f"{where} = {value!r} must be between {low:g} and {high:g}")


def _shares(obj: object, keys: tuple[str, ...], where: str) -> None:
    """Each share in [0, 1] and all summing to 1 (not normalised: the sum is named)."""
    values = [getattr(obj, k) for k in keys]
    for key, value in zip(keys, values, strict=True):
        _between(value, 0.0, 1.0, f"{where}.{key}")
    total = math.fsum(values)
    if abs(total - 1.0) > _SUM_TOLERANCE:
        listed = ", ".join(f"{k} = {v:g}" for k, v in zip(keys, values, strict=True))
        raise ValueError(
            f"{where} sum to {total:g}, not 1 ({listed}): change them so that they add up to 1"
        )
