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
        ``HQ_LANGUAGE``, ``HQ_ROLE``, ``HQ_USER``, ``HQ_UNIT``, ``HQ_BASEMAP``,
        ``HQ_TIANDITU_KEY``, ``HQ_SAMPLE_SCALE``.
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
