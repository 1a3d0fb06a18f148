"""Typed, frozen settings loaded from TOML files and the environment."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
DEFAULT_FILE = ROOT / "config" / "settings.toml"

LANGUAGES = ("zh", "en")
ROLES = ("public", "planner", "steward", "leader")
BASEMAPS = ("none", "osm", "tianditu", "amap", "custom")


class SettingsError(ValueError):
    """A settings file or environment variable holds a value the app cannot use."""


@dataclass(frozen=True)
class Unit:
    """A responsible unit (责任单位) that keeps carriers and serves their enterprises."""

    id: str
    name_zh: str
    name_en: str


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
class Settings:
    """Everything configurable, passed explicitly to the code that needs it."""

    database_url: str
    language: str = "zh"
    role: str = "planner"
    sample_seed: int = 20260601
    sample_scale: int = 1
    map: MapSettings = field(default_factory=MapSettings)
    matching: MatchingSettings = field(default_factory=MatchingSettings)
    units: tuple[Unit, ...] = ()
    tracks: tuple[Track, ...] = ()
    source: tuple[str, ...] = ()

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
        ``HQ_LANGUAGE``, ``HQ_ROLE``, ``HQ_BASEMAP``, ``HQ_TIANDITU_KEY``, ``HQ_SAMPLE_SCALE``.
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
    "HQ_BASEMAP": ("map", "basemap"),
    "HQ_TIANDITU_KEY": ("map", "tianditu_key"),
    "HQ_SAMPLE_SCALE": ("sample", "scale"),
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
        units=tuple(_record(Unit, u, f"units[{i}]") for i, u in enumerate(data.get("units", []))),
        tracks=tuple(
            _record(Track, t, f"tracks[{i}]") for i, t in enumerate(data.get("tracks", []))
        ),
        source=sources,
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
    if settings.map.basemap == "tianditu" and not settings.map.tianditu_key:
        raise SettingsError("map.basemap = 'tianditu' needs map.tianditu_key (or HQ_TIANDITU_KEY)")
    if settings.map.basemap == "custom" and not settings.map.custom_tiles:
        raise SettingsError("map.basemap = 'custom' needs map.custom_tiles")
