"""The release policy: readiness model, windows, gates, capacities and tracks a plan uses."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from settings import (
    ConstructionParts,
    FitParts,
    ReadinessSettings,
    ReadinessWeights,
    ReleaseSettings,
    Settings,
    SettingsError,
    TeamScores,
    Track,
    Unit,
    check_planning,
)

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
        The readiness model and release settings (see `settings.ReadinessSettings`,
        `settings.ReleaseSettings`); ``release.as_of`` is not part of a policy and is None.
    units
        The responsible units, each with its capacity per window (None: no limit).
    tracks
        The industry tracks with their requirements and priorities.
    """

    readiness: ReadinessSettings
    release: ReleaseSettings
    units: tuple[Unit, ...]
    tracks: tuple[Track, ...]

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        """The current policy, as configured."""
        return cls(
            readiness=settings.readiness,
            release=dataclasses.replace(settings.release, as_of=None),
            units=settings.units,
            tracks=settings.tracks,
        )

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

    def unit_name(self, unit_id: str, lang: str) -> str:
        """The unit's name in ``lang`` ("zh" or "en"); the id if unknown."""
        for u in self.units:
            if u.id == unit_id:
                return u.name_zh if lang == "zh" else u.name_en
        return str(unit_id)

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
            check_planning(readiness, release)
        except SettingsError as e:
            raise PolicyError(str(e)) from None
        return Policy(readiness, release, tuple(units.values()), self.tracks)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description (dates as ISO text)."""
        return {
            "readiness": _plain(self.readiness),
            "release": _plain(self.release),
            "units": [_plain(u) for u in self.units],
            "tracks": [_plain(t) for t in self.tracks],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Policy:
        """Rebuild a policy from `to_dict` output (e.g. one kept with an approval)."""
        try:
            r = data["readiness"]
            readiness = ReadinessSettings(
                threshold=float(r["threshold"]),
                weights=ReadinessWeights(**r["weights"]),
                construction=ConstructionParts(**r["construction"]),
                service_team=TeamScores(**r["service_team"]),
                industry_fit=FitParts(
                    **{
                        **r["industry_fit"],
                        "priority_scores": tuple(r["industry_fit"]["priority_scores"]),
                    }
                ),
            )
            rel = data["release"]
            release = ReleaseSettings(
                trial_start=date.fromisoformat(rel["trial_start"]),
                trial_months=int(rel["trial_months"]),
                cadence_months=int(rel["cadence_months"]),
                gates=tuple(rel["gates"]),
                min_facilities=float(rel["min_facilities"]),
            )
            units = tuple(Unit(**u) for u in data["units"])
            tracks = tuple(Track(**t) for t in data["tracks"])
        except (KeyError, TypeError, ValueError) as e:
            raise PolicyError(f"not a stored policy: {e!r}") from None
        check_planning(readiness, release)
        return cls(readiness, release, units, tracks)

    def key(self) -> str:
        """Canonical JSON text: equal for equal policies (a cache key and fingerprint input)."""
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)


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
