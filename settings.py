"""Typed, frozen settings loaded from TOML files and the environment."""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
DEFAULT_FILE = ROOT / "config" / "settings.toml"

LANGUAGES = ("zh", "en")
ROLES = ("public", "planner", "steward", "leader")
BASEMAPS = ("none", "osm", "tianditu", "amap", "custom")
GATES = ("team_in_place", "min_facilities")
"""Gates settings may add to the built-in ones (acceptance for rooms, floors and buildings; land
readiness for plots): the carrier's service team in place, a minimum facilities progress."""


class SettingsError(ValueError):
    """A settings file or environment variable holds a value the app cannot use."""


@dataclass(frozen=True)
class Unit:
    """A responsible unit (责任单位) that keeps carriers and serves their enterprises."""

    id: str
    name_zh: str
    name_en: str
    capacity_per_window: int | None = None
    """Carriers the unit can serve when released in one window; None: no limit."""


@dataclass(frozen=True)
class Track:
    """An industry track (赛道) and the specifications its R&D carriers need."""

    id: str
    name_zh: str
    name_en: str
    priority: int
    min_floor_load_kn_m2: float | None = None
    min_clear_height_m: float | None = None
    exhaust: bool = False
    wet_lab_drainage: bool = False
    min_power_kva: float | None = None
    max_clean_room_iso: int | None = None


@dataclass(frozen=True)
class MapSettings:
    """Basemap and static-asset options of the map."""

    basemap: str = "none"
    tianditu_key: str = ""
    custom_tiles: str = ""
    custom_attribution: str = ""
    custom_datum: str = "WGS84"


@dataclass(frozen=True)
class MatchingSettings:
    """Weights and scales of supply–demand matching (`planning.matching`).

    The score of a carrier for a demand is 100 × the weighted mean of six component scores in
    [0, 1]; the weights need not sum to 1. Distances are in metres, measured in EPSG:4549.
    """

    weight_area: float = 0.25
    weight_rent: float = 0.15
    weight_date: float = 0.15
    weight_technical: float = 0.15
    weight_track: float = 0.15
    weight_access: float = 0.15
    rent_low: float = 2.5
    rent_high: float = 10.0
    metro_distance_m: float = 2000.0
    hub_distance_m: float = 8000.0
    hub_feature: str = "landmark.hongqiao-railway-station"
    horizon_days: int = 365
    growth_radius_m: float = 3000.0

    def weights(self) -> dict[str, float]:
        """The component weights by component name, in display order."""
        return {name: getattr(self, f"weight_{name}") for name in MATCH_COMPONENTS}


MATCH_COMPONENTS = ("area", "rent", "date", "technical", "track", "access")


@dataclass(frozen=True)
class ReadinessWeights:
    """Weights of the four readiness components; they must sum to 1."""

    construction: float = 0.35
    facilities: float = 0.20
    service_team: float = 0.20
    industry_fit: float = 0.25


@dataclass(frozen=True)
class ConstructionParts:
    """Shares of the construction score: build progress, completion, acceptance (sum to 1)."""

    progress: float = 0.5
    completion: float = 0.25
    acceptance: float = 0.25


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


@dataclass(frozen=True)
class FitParts:
    """Shares of the industry-fit score (specs … metro, sum to 1) and their scales."""

    specs: float = 0.35
    priority: float = 0.25
    neighbours: float = 0.15
    hub: float = 0.15
    metro: float = 0.10
    priority_scores: tuple[float, ...] = (1.0, 0.5, 0.25)
    neighbour_radius_m: float = 1000.0
    neighbours_full: int = 5
    hub_feature: str = "landmark.hongqiao-railway-station"
    hub_distance_m: float = 6000.0
    metro_distance_m: float = 2000.0


@dataclass(frozen=True)
class ReadinessSettings:
    """The readiness model: threshold, component weights and the parts of each component."""

    threshold: float = 60.0
    weights: ReadinessWeights = field(default_factory=ReadinessWeights)
    construction: ConstructionParts = field(default_factory=ConstructionParts)
    service_team: TeamScores = field(default_factory=TeamScores)
    industry_fit: FitParts = field(default_factory=FitParts)


@dataclass(frozen=True)
class ReleaseSettings:
    """Release windows over the trial, extra gates, and the date plans are made as of."""

    trial_start: date = date(2026, 6, 1)
    trial_months: int = 36
    cadence_months: int = 6
    gates: tuple[str, ...] = ()
    min_facilities: float = 0.6
    as_of: date | None = None
    """Fixed as-of date for the app and CLI (None: today)."""


@dataclass(frozen=True)
class Settings:
    """Everything configurable, passed explicitly to the code that needs it."""

    database_url: str
    language: str = "zh"
    role: str = "planner"
    user: str = ""
    user_unit: str = ""  # app.unit: the responsible unit of the user (a steward edits only it)
    sample_seed: int = 20260601
    sample_scale: int = 1
    map: MapSettings = field(default_factory=MapSettings)
    matching: MatchingSettings = field(default_factory=MatchingSettings)
    units: tuple[Unit, ...] = ()
    tracks: tuple[Track, ...] = ()
    source: tuple[str, ...] = ()
    readiness: ReadinessSettings = field(default_factory=ReadinessSettings)
    release: ReleaseSettings = field(default_factory=ReleaseSettings)

    def unit(self, unit_id: str) -> Unit:
        """Return the unit with this id, raising `SettingsError` if unknown."""
        return _by_id(self.units, unit_id, "unit")

    def track(self, track_id: str) -> Track:
        """Return the track with this id, raising `SettingsError` if unknown."""
        return _by_id(self.tracks, track_id, "track")


def load_settings(
    path: str | os.PathLike[str] | None = None, *, env: Mapping[str, str] | None = None
) -> Settings:
    """Load the default settings, then a user file, then environment overrides.

    Parameters
    ----------
    path
        A TOML file whose keys replace the defaults; by default the file named by the
        ``HQ_SETTINGS`` environment variable, if set.
    env
        The environment to read overrides from (``os.environ`` by default): ``DATABASE_URL``,
        ``HQ_LANGUAGE``, ``HQ_ROLE``, ``HQ_USER``, ``HQ_UNIT``, ``HQ_BASEMAP``,
        ``HQ_TIANDITU_KEY``, ``HQ_SAMPLE_SCALE``, ``HQ_AS_OF``.
    """
    env = os.environ if env is None else env
    data = _read_toml(DEFAULT_FILE)
    sources = [str(DEFAULT_FILE)]
    user_file = path if path is not None else env.get("HQ_SETTINGS")
    if user_file:
        data = _merge(data, _read_toml(Path(user_file)))
        sources.append(str(user_file))
    data = _merge(data, _env_overrides(env))
    return _build(data, tuple(sources))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise SettingsError(f"settings file {path} does not exist") from None
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(f"settings file {path} is not valid TOML: {e}") from None


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


_ENV = {
    "DATABASE_URL": ("store", "database_url"),
    "HQ_LANGUAGE": ("app", "language"),
    "HQ_ROLE": ("app", "role"),
    "HQ_USER": ("app", "user"),
    "HQ_UNIT": ("app", "unit"),
    "HQ_BASEMAP": ("map", "basemap"),
    "HQ_TIANDITU_KEY": ("map", "tianditu_key"),
    "HQ_SAMPLE_SCALE": ("sample", "scale"),
    "HQ_AS_OF": ("release", "as_of"),
}


def _env_overrides(env: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for var, (section, key) in _ENV.items():
        if env.get(var):
            out.setdefault(section, {})[key] = env[var]
    return out


def _build(data: Mapping[str, Any], sources: tuple[str, ...]) -> Settings:
    app = data.get("app", {})
    sample = data.get("sample", {})
    map_ = data.get("map", {})
    settings = Settings(
        database_url=_database_url(str(data.get("store", {}).get("database_url", ""))),
        language=_choice(app.get("language", "zh"), LANGUAGES, "app.language"),
        role=_choice(app.get("role", "planner"), ROLES, "app.role"),
        user=_user(app.get("user", "")),
        user_unit=str(app.get("unit", "")).strip(),
        sample_seed=_int(sample.get("seed", 20260601), "sample.seed"),
        sample_scale=_int(sample.get("scale", 1), "sample.scale", minimum=1),
        map=MapSettings(
            basemap=_choice(map_.get("basemap", "none"), BASEMAPS, "map.basemap"),
            tianditu_key=str(map_.get("tianditu_key", "")),
            custom_tiles=str(map_.get("custom_tiles", "")),
            custom_attribution=str(map_.get("custom_attribution", "")),
            custom_datum=_choice(
                map_.get("custom_datum", "WGS84"), ("WGS84", "GCJ-02"), "map.custom_datum"
            ),
        ),
        matching=_matching(data.get("matching", {})),
        units=tuple(_unit(u, f"units[{i}]") for i, u in enumerate(data.get("units", []))),
        tracks=tuple(
            _record(Track, t, f"tracks[{i}]") for i, t in enumerate(data.get("tracks", []))
        ),
        source=sources,
        readiness=_readiness(data.get("readiness", {})),
        release=_release(data.get("release", {})),
    )
    _check(settings)
    return settings


def _database_url(url: str) -> str:
    if not url:
        raise SettingsError("store.database_url is empty: set it or DATABASE_URL")
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != prefix + ":memory:":
        return prefix + str(ROOT / url[len(prefix) :])
    return url


def _user(value: Any) -> str:
    text = str(value).strip()
    if len(text) > 64 or any(not ch.isprintable() for ch in text):
        raise SettingsError(
            f"app.user = {value!r} must be a name of at most 64 printable characters"
        )
    return text


def _choice(value: Any, choices: tuple[str, ...], where: str) -> str:
    if value not in choices:
        raise SettingsError(f"{where} = {value!r} is not one of {', '.join(choices)}")
    return value


def _int(value: Any, where: str, *, minimum: int | None = None) -> int:
    try:
        out = int(value)
    except (TypeError, ValueError):
        raise SettingsError(f"{where} = {value!r} is not an integer") from None
    if minimum is not None and out < minimum:
        raise SettingsError(f"{where} = {out} must be at least {minimum}")
    return out


def _record(cls: type, values: Any, where: str) -> Any:
    if not isinstance(values, Mapping):
        raise SettingsError(f"{where} must be a table, got {values!r}")
    try:
        return cls(**values)
    except TypeError as e:
        raise SettingsError(f"{where}: {e}") from None


def _matching(values: Any) -> MatchingSettings:
    if not isinstance(values, Mapping):
        raise SettingsError(f"matching must be a table, got {values!r}")
    known = MatchingSettings.__dataclass_fields__
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise SettingsError(f"matching: unknown key(s) {', '.join(unknown)}")
    typed: dict[str, Any] = {}
    for name, value in values.items():
        if name == "hub_feature":
            typed[name] = str(value)
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise SettingsError(f"matching.{name} = {value!r} is not a number") from None
        if not number >= 0:
            raise SettingsError(f"matching.{name} = {value!r} must be zero or more")
        typed[name] = int(number) if name == "horizon_days" else number
    out = MatchingSettings(**typed)
    if sum(out.weights().values()) <= 0:
        raise SettingsError("matching: at least one weight_* must be above zero")
    if out.rent_high <= out.rent_low:
        raise SettingsError("matching.rent_high must be above matching.rent_low")
    if out.horizon_days < 1:
        raise SettingsError("matching.horizon_days must be at least 1")
    return out


def _by_id(items: tuple, item_id: str, what: str) -> Any:
    for item in items:
        if item.id == item_id:
            return item
    known = ", ".join(i.id for i in items)
    raise SettingsError(f"unknown {what} {item_id!r}; known: {known}")


def _check(settings: Settings) -> None:
    for what, items in (("units", settings.units), ("tracks", settings.tracks)):
        ids = [i.id for i in items]
        if not ids:
            raise SettingsError(f"no {what} are configured")
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise SettingsError(f"{what} ids repeat: {', '.join(dupes)}")
    if settings.user_unit and settings.user_unit not in {u.id for u in settings.units}:
        known = ", ".join(u.id for u in settings.units)
        raise SettingsError(f"app.unit = {settings.user_unit!r} is not a configured unit ({known})")
    if settings.role == "steward" and not (settings.user_unit and settings.user):
        raise SettingsError(
            "app.role = 'steward' needs app.user and app.unit (HQ_USER, HQ_UNIT): who edits, "
            "and the responsible unit whose records they may change"
        )
    if settings.map.basemap == "tianditu" and not settings.map.tianditu_key:
        raise SettingsError("map.basemap = 'tianditu' needs map.tianditu_key (or HQ_TIANDITU_KEY)")
    if settings.map.basemap == "custom" and not settings.map.custom_tiles:
        raise SettingsError("map.basemap = 'custom' needs map.custom_tiles")
    check_planning(settings.readiness, settings.release)


# --- readiness and release ----------------------------------------------------------------

_SUM_TOLERANCE = 1e-6


def check_planning(readiness: ReadinessSettings, release: ReleaseSettings) -> None:
    """Raise `SettingsError` if the readiness model or the release settings cannot be used.

    Weights and shares must each sum to 1 (they are not normalised: a file that does not add
    up is refused, naming the sum), scores lie in [0, 1], and the team scores and priority
    scores must not rise as the status or priority worsens, so that improving a fact never
    lowers a score.
    """
    _between(readiness.threshold, 0.0, 100.0, "readiness.threshold")
    for name, parts, keys in (
        ("readiness.weights", readiness.weights, _field_names(ReadinessWeights)),
        ("readiness.construction", readiness.construction, _field_names(ConstructionParts)),
        (
            "readiness.industry_fit",
            readiness.industry_fit,
            ("specs", "priority", "neighbours", "hub", "metro"),
        ),
    ):
        values = [getattr(parts, k) for k in keys]
        for key, value in zip(keys, values, strict=True):
            _between(value, 0.0, 1.0, f"{name}.{key}")
        total = math.fsum(values)
        if abs(total - 1.0) > _SUM_TOLERANCE:
            listed = ", ".join(f"{k} = {v:g}" for k, v in zip(keys, values, strict=True))
            raise SettingsError(
                f"{name} sum to {total:g}, not 1 ({listed}): change them so that they add up to 1"
            )
    team = readiness.service_team
    for key in ("in_place", "forming", "none", "overload_penalty"):
        _between(getattr(team, key), 0.0, 1.0, f"readiness.service_team.{key}")
    if not team.in_place >= team.forming >= team.none:
        raise SettingsError(
            "readiness.service_team: in_place >= forming >= none must hold "
            f"(got {team.in_place:g}, {team.forming:g}, {team.none:g})"
        )
    fit = readiness.industry_fit
    if not fit.priority_scores:
        raise SettingsError(
            "readiness.industry_fit.priority_scores is empty: give one per priority"
        )
    for i, value in enumerate(fit.priority_scores):
        _between(value, 0.0, 1.0, f"readiness.industry_fit.priority_scores[{i}]")
    if any(b > a for a, b in zip(fit.priority_scores, fit.priority_scores[1:], strict=False)):
        raise SettingsError(
            "readiness.industry_fit.priority_scores must not increase from priority 1 on "
            f"(got {list(fit.priority_scores)})"
        )
    for key in ("neighbour_radius_m", "hub_distance_m", "metro_distance_m"):
        if not getattr(fit, key) > 0:
            raise SettingsError(f"readiness.industry_fit.{key} = {getattr(fit, key)} must be > 0")
    if fit.neighbours_full < 1:
        raise SettingsError(
            f"readiness.industry_fit.neighbours_full = {fit.neighbours_full} must be at least 1"
        )
    if not fit.hub_feature:
        raise SettingsError("readiness.industry_fit.hub_feature is empty: name a base-layer point")
    if release.trial_months < 1:
        raise SettingsError(f"release.trial_months = {release.trial_months} must be at least 1")
    if not 1 <= release.cadence_months <= release.trial_months:
        raise SettingsError(
            f"release.cadence_months = {release.cadence_months} must be between 1 and "
            f"release.trial_months ({release.trial_months})"
        )
    unknown = [g for g in release.gates if g not in GATES]
    if unknown:
        raise SettingsError(
            f"release.gates: unknown gate(s) {', '.join(map(repr, unknown))}; "
            f"known: {', '.join(GATES)}"
        )
    _between(release.min_facilities, 0.0, 1.0, "release.min_facilities")


def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _between(value: float, low: float, high: float, where: str) -> None:
    if not low <= value <= high:
        raise SettingsError(f"{where} = {value!r} must be between {low:g} and {high:g}")


def _unit(values: Any, where: str) -> Unit:
    unit = _record(Unit, values, where)
    if unit.capacity_per_window is not None:
        cap = _int(unit.capacity_per_window, f"{where}.capacity_per_window", minimum=0)
        unit = Unit(unit.id, unit.name_zh, unit.name_en, cap)
    return unit


def _typed(cls: type, values: Any, where: str) -> Any:
    """A dataclass of numbers from a TOML table, each value coerced to its default's type."""
    if not isinstance(values, Mapping):
        raise SettingsError(f"{where} must be a table, got {values!r}")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise SettingsError(
            f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(known)}"
        )
    out = {}
    for key, value in values.items():
        default = cls.__dataclass_fields__[key].default
        name = f"{where}.{key}"
        if isinstance(default, str):
            out[key] = str(value)
        elif isinstance(default, int):
            out[key] = _int(value, name)
        elif isinstance(default, float):
            out[key] = _float(value, name)
        elif isinstance(default, tuple):
            if not isinstance(value, list | tuple):
                raise SettingsError(f"{name} must be a list, got {value!r}")
            out[key] = tuple(_float(v, f"{name}[{i}]") for i, v in enumerate(value))
        else:
            out[key] = value
    return cls(**out)


def _float(value: Any, where: str) -> float:
    if isinstance(value, bool):
        raise SettingsError(f"{where} = {value!r} is not a number")
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise SettingsError(f"{where} = {value!r} is not a number") from None
    if not math.isfinite(out):
        raise SettingsError(f"{where} = {value!r} is not a finite number")
    return out


def _readiness(data: Any) -> ReadinessSettings:
    if not isinstance(data, Mapping):
        raise SettingsError(f"readiness must be a table, got {data!r}")
    parts = {
        "weights": ReadinessWeights,
        "construction": ConstructionParts,
        "service_team": TeamScores,
        "industry_fit": FitParts,
    }
    unknown = sorted(set(data) - {"threshold", *parts})
    if unknown:
        raise SettingsError(f"readiness: unknown key(s) {', '.join(unknown)}")
    return ReadinessSettings(
        threshold=_float(data.get("threshold", 60.0), "readiness.threshold"),
        **{key: _typed(cls, data.get(key, {}), f"readiness.{key}") for key, cls in parts.items()},
    )


def _release(data: Any) -> ReleaseSettings:
    if not isinstance(data, Mapping):
        raise SettingsError(f"release must be a table, got {data!r}")
    known = _field_names(ReleaseSettings)
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise SettingsError(
            f"release: unknown key(s) {', '.join(unknown)}; known: {', '.join(known)}"
        )
    gates = data.get("gates", [])
    if isinstance(gates, str) or not isinstance(gates, list | tuple):
        raise SettingsError(f"release.gates must be a list of gate names, got {gates!r}")
    as_of = data.get("as_of")
    return ReleaseSettings(
        trial_start=_date(data.get("trial_start", date(2026, 6, 1)), "release.trial_start"),
        trial_months=_int(data.get("trial_months", 36), "release.trial_months"),
        cadence_months=_int(data.get("cadence_months", 6), "release.cadence_months"),
        gates=tuple(dict.fromkeys(str(g) for g in gates)),
        min_facilities=_float(data.get("min_facilities", 0.6), "release.min_facilities"),
        as_of=None if as_of in (None, "") else _date(as_of, "release.as_of"),
    )


def _date(value: Any, where: str) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise SettingsError(f"{where} = {value!r} is not a date (YYYY-MM-DD)") from None
