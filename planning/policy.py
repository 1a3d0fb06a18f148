"""The release policy: readiness model, windows, gates, capacities and tracks a plan uses."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

import pandas as pd

from planning.facts import CarrierFacts, NeighbourRule, facts_key
from planning.facts import build as build_facts
from planning.rules import AccessSettings, ReadinessSettings, ReadinessWeights, ReleaseSettings
from settings import Settings, SettingsError, from_table
from spaces.entities import Track, Unit

COMPONENTS = ("construction", "facilities", "service_team", "industry_fit")
"""The readiness components, in the order they are reported."""


class PolicyError(ValueError):
    """A policy (or a scenario's change to one) cannot be used; the message says which value."""


@dataclass(frozen=True)
class Policy:
    """Everything a readiness score and a release plan depend on besides the data and the date.

    The settings' policy is the current one (`Policy.from_settings`); a scenario is a copy
    with some values changed (`Policy.with_changes`). Policies are frozen, comparable and
    serialise to JSON (`to_dict`, `from_dict`, `key`) so that an approval can keep the one
    it used.

    Attributes
    ----------
    readiness, release
        The readiness model and release settings (see `planning.rules`); ``release.as_of``
        is not part of a policy and is None.
    units
        The responsible units, each with its capacity per window (None: no limit).
    tracks
        The industry tracks with their requirements and priorities.
    access
        The hub and the distance scales of industry fit.
    """

    readiness: ReadinessSettings
    release: ReleaseSettings
    units: tuple[Unit, ...]
    tracks: tuple[Track, ...]
    access: AccessSettings = field(default_factory=AccessSettings)

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        """The current policy, as configured."""
        return cls(
            readiness=settings.readiness,
            release=dataclasses.replace(settings.release, as_of=None),
            units=settings.units,
            tracks=settings.tracks,
            access=settings.access,
        )

    @property
    def neighbour_rule(self) -> NeighbourRule:
        """How industry fit counts neighbours (radius and the count giving the full score)."""
        fit = self.readiness.industry_fit
        return NeighbourRule(radius_m=fit.neighbour_radius_m, cap=fit.neighbours_full)

    def carrier_facts(self, carriers: pd.DataFrame, layers: pd.DataFrame) -> CarrierFacts:
        """The carriers' facts as this policy judges them (`planning.facts.build`)."""
        return build_facts(
            carriers,
            layers,
            tracks=self.tracks,
            access=self.access,
            neighbour_rule=self.neighbour_rule,
        )

    def facts_key(self) -> str:
        """What carrier facts built for this policy depend on (`planning.facts.facts_key`)."""
        return facts_key(self.tracks, self.access, self.neighbour_rule)

    @property
    def weights(self) -> dict[str, float]:
        """The component weights by component name (they sum to 1)."""
        return {c: getattr(self.readiness.weights, c) for c in COMPONENTS}

    @property
    def threshold(self) -> float:
        """The readiness score a carrier must reach to be released."""
        return self.readiness.threshold

    def capacity_of(self) -> dict[str, int | None]:
        """Carriers per window by unit id (None: no limit), in settings order."""
        return {u.id: u.capacity_per_window for u in self.units}

    def with_changes(
        self,
        *,
        weights: Mapping[str, float] | None = None,
        threshold: float | None = None,
        cadence_months: int | None = None,
        gates: tuple[str, ...] | None = None,
        capacity: Mapping[str, int | None] | None = None,
    ) -> Policy:
        """A scenario: this policy with some values changed, validated.

        Parameters
        ----------
        weights
            Relative weights by component (any non-negative numbers, not all zero); they are
            normalised to sum to 1. Components left out keep their current share before
            normalising.
        threshold, cadence_months, gates
            New values for the readiness threshold, the window length and the extra gates.
        capacity
            Carriers per window for some units (None: no limit).

        Raises
        ------
        PolicyError
            Naming the value that cannot be used and why.
        """
        readiness, release = self.readiness, self.release
        if weights is not None:
            readiness = dataclasses.replace(readiness, weights=_normalised(self.weights, weights))
        if threshold is not None:
            readiness = dataclasses.replace(readiness, threshold=float(threshold))
        if cadence_months is not None:
            release = dataclasses.replace(release, cadence_months=int(cadence_months))
        if gates is not None:
            release = dataclasses.replace(release, gates=tuple(dict.fromkeys(gates)))
        units = {u.id: u for u in self.units}
        for unit, value in (capacity or {}).items():
            if unit not in units:
                raise PolicyError(f"capacity: unknown unit {unit!r}; known: {', '.join(units)}")
            if value is not None and (int(value) != value or value < 0):
                raise PolicyError(f"capacity of {unit} = {value!r} must be a whole number >= 0")
            units[unit] = dataclasses.replace(
                units[unit], capacity_per_window=None if value is None else int(value)
            )
        try:
            readiness.validate("readiness")
            release.validate("release")
        except ValueError as e:
            raise PolicyError(str(e)) from None
        return Policy(readiness, release, tuple(units.values()), self.tracks, self.access)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description (dates as ISO text)."""
        return {
            "readiness": _plain(self.readiness),
            "release": _plain(dataclasses.replace(self.release, as_of=None)),
            "units": [_plain(u) for u in self.units],
            "tracks": [_plain(t) for t in self.tracks],
            "access": _plain(self.access),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Policy:
        """Rebuild a policy from `to_dict` output (e.g. one kept with an approval).

        The settings' own loader reads it, so a kept policy is typed and checked like the
        settings. A policy kept before the hub and distance scales moved to ``access`` takes
        them from its industry fit.
        """
        try:
            data = _upgraded(data)
            return cls(
                readiness=from_table(ReadinessSettings, data["readiness"], where="readiness"),
                release=from_table(ReleaseSettings, data["release"], where="release"),
                units=tuple(
                    from_table(Unit, u, where=f"units[{i}]") for i, u in enumerate(data["units"])
                ),
                tracks=tuple(
                    from_table(Track, t, where=f"tracks[{i}]") for i, t in enumerate(data["tracks"])
                ),
                access=from_table(AccessSettings, data["access"], where="access"),
            )
        except (KeyError, TypeError, SettingsError) as e:
            raise PolicyError(f"not a stored policy: {e}") from None

    def key(self) -> str:
        """Canonical JSON text: equal for equal policies (a cache key and fingerprint input)."""
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)


def _upgraded(data: Mapping[str, Any]) -> dict[str, Any]:
    """A stored policy in today's layout (older ones kept the hub in the industry fit)."""
    out = json.loads(json.dumps(data))
    fit = out.get("readiness", {}).get("industry_fit", {})
    moved = {
        k: fit.pop(k) for k in ("hub_feature", "hub_distance_m", "metro_distance_m") if k in fit
    }
    out.setdefault("access", moved)
    out.get("release", {}).pop("as_of", None)
    return out


def _normalised(current: Mapping[str, float], given: Mapping[str, float]) -> ReadinessWeights:
    unknown = sorted(set(given) - set(COMPONENTS))
    if unknown:
        raise PolicyError(f"weights: unknown component(s) {', '.join(unknown)}")
    raw = {c: float(given.get(c, current[c])) for c in COMPONENTS}
    bad = {c: w for c, w in raw.items() if not w >= 0}
    if bad:
        raise PolicyError(f"weights must not be negative: {bad}")
    total = sum(raw.values())
    if total <= 0:
        raise PolicyError("weights are all zero: give at least one component a weight")
    return ReadinessWeights(**{c: w / total for c, w in raw.items()})


def _plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj):
        return {f.name: _plain(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, tuple | list):
        return [_plain(v) for v in obj]
    if isinstance(obj, date):
        return obj.isoformat()
    return obj
