"""The app's settings: one typed, frozen object loaded from TOML files and the environment.

Every table goes through one loader, `from_table`: it reads a table into a frozen dataclass,
takes each value in the type its field declares (TOML values must already have that type;
environment variables are text and are converted), refuses unknown keys, and runs the
dataclass's own ``validate(where)``. Errors name the key, the value and what to do.

The domain's entities (responsible units, industry tracks) live in `spaces.entities`, the
planning rules (readiness, release, matching, access) in `planning.rules`; this module
assembles them with the app's own options.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta, timezone
from pathlib import Path
from typing import Any

from access.permissions import ROLES
from planning.rules import (
    AccessSettings,
    MatchingSettings,
    ReadinessSettings,
    ReleaseSettings,
)
from spaces.entities import Track, Unit
from spaces.limits import ImportLimits

ROOT = Path(__file__).resolve().parent
DEFAULT_FILE = ROOT / "config" / "settings.toml"

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
"""China Standard Time (UTC+8): the time zone of the dates and times users see."""

LANGUAGES = ("zh", "en")
BASEMAPS = ("none", "osm", "tianditu", "amap", "custom")
MAP_DATUMS = ("WGS84", "GCJ-02")
SAMPLE_FILLS = ("sqlite", "always", "never")  # new stores given the sample: SQLite only, all, none
AUTH_MODES = ("local", "oidc")  # accounts with passwords in the store, or the organisation's OIDC

_MOVED = {
    "readiness.industry_fit.hub_feature": "access.hub_feature",
    "readiness.industry_fit.hub_distance_m": "access.hub_distance_m",
    "readiness.industry_fit.metro_distance_m": "access.metro_distance_m",
    "matching.hub_feature": "access.hub_feature",
    "matching.hub_distance_m": "access.hub_distance_m",
    "matching.metro_distance_m": "access.metro_distance_m",
}
"""Keys that moved, so that an older settings file is refused with where the key went."""


class SettingsError(ValueError):
    """A settings file or environment variable holds a value the app cannot use."""


@dataclass(frozen=True)
class MapSettings:
    """Basemap and tile options of the map."""

    basemap: str = "none"
    tianditu_key: str = ""
    custom_tiles: str = ""
    custom_attribution: str = ""
    custom_datum: str = "WGS84"

    def validate(self, where: str) -> None:
        _choice(self.basemap, BASEMAPS, f"{where}.basemap")
        _choice(self.custom_datum, MAP_DATUMS, f"{where}.custom_datum")
        if self.basemap == "tianditu" and not self.tianditu_key:
            raise ValueError(f"{where}.basemap = 'tianditu' needs {where}.tianditu_key")
        if self.basemap == "custom" and not self.custom_tiles:
            raise ValueError(f"{where}.basemap = 'custom' needs {where}.custom_tiles")


@dataclass(frozen=True)
class AuthSettings:
    """How people sign in (``[auth]``): the mode, session expiry, lockout, password length.

    Attributes
    ----------
    mode
        "local": accounts with passwords kept in the store (argon2id hashes); "oidc": the
        organisation's OpenID Connect provider, the account found by its subject or e-mail.
    idle_minutes
        A session with no activity for this long is signed out.
    lockout_attempts, lockout_minutes
        After this many failed sign-ins in a row an account is locked for this long (a correct
        password is refused while it is locked).
    min_password_length
        The shortest password an account may be given.
    """

    mode: str = "local"
    idle_minutes: int = 30
    lockout_attempts: int = 5
    lockout_minutes: int = 15
    min_password_length: int = 10

    def validate(self, where: str) -> None:
        _choice(self.mode, AUTH_MODES, f"{where}.mode")
        for key, low, high in (
            ("idle_minutes", 1, 24 * 60),
            ("lockout_attempts", 1, 100),
            ("lockout_minutes", 1, 24 * 60),
            ("min_password_length", 8, 128),
        ):
            value = getattr(self, key)
            if not low <= value <= high:
                raise ValueError(f"{where}.{key} = {value} must be from {low} to {high}")


@dataclass(frozen=True)
class _App:
    language: str = "zh"
    role: str = "planner"
    user: str = ""
    unit: str = ""

    def validate(self, where: str) -> None:
        _choice(self.language, LANGUAGES, f"{where}.language")
        _choice(self.role, ROLES, f"{where}.role")
        if len(self.user) > 64 or any(not ch.isprintable() for ch in self.user):
            raise ValueError(
                f"{where}.user = {self.user!r} must be a name of at most 64 printable characters"
            )


@dataclass(frozen=True)
class _Store:
    database_url: str = ""

    def validate(self, where: str) -> None:
        if not self.database_url:
            raise ValueError(f"{where}.database_url is empty: set it or DATABASE_URL")


@dataclass(frozen=True)
class _Sample:
    seed: int = 20260601
    scale: int = 1
    fill_empty_store: str = "sqlite"

    def validate(self, where: str) -> None:
        _choice(self.fill_empty_store, SAMPLE_FILLS, f"{where}.fill_empty_store")
        if self.scale < 1:
            raise ValueError(f"{where}.scale = {self.scale} must be at least 1")


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
    sample_fill: str = "sqlite"  # sample.fill_empty_store: which new stores get the sample
    map: MapSettings = field(default_factory=MapSettings)
    units: tuple[Unit, ...] = ()
    tracks: tuple[Track, ...] = ()
    readiness: ReadinessSettings = field(default_factory=ReadinessSettings)
    release: ReleaseSettings = field(default_factory=ReleaseSettings)
    matching: MatchingSettings = field(default_factory=MatchingSettings)
    access: AccessSettings = field(default_factory=AccessSettings)
    auth: AuthSettings = field(default_factory=AuthSettings)
    limits: ImportLimits = field(default_factory=ImportLimits)  # [import]: what a file may hold
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
        ``HQ_TIANDITU_KEY``, ``HQ_SAMPLE_SCALE``, ``HQ_SAMPLE``, ``HQ_AS_OF``,
        ``HQ_AUTH_MODE``.

    Raises
    ------
    SettingsError
        Naming the file or variable, the key, the value and what to do.
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


def from_table(cls: type, values: Any, *, where: str) -> Any:
    """A frozen dataclass ``cls`` from a settings table, typed and validated.

    Parameters
    ----------
    cls
        The dataclass; its fields' annotations say each value's type: str, int, float, bool,
        date, another such dataclass, a tuple of either, or any of these or None.
    values
        The table (a mapping). Keys left out take their defaults.
    where
        The table's place in the settings, for messages ("readiness.weights", "tracks[2]").

    Raises
    ------
    SettingsError
        For a value that is not a table, an unknown or moved key, a missing required key, a
        value of the wrong type, or one the dataclass's ``validate(where)`` refuses.
    """
    if not isinstance(values, Mapping):
        raise SettingsError(f"{where} must be a table, got {values!r}")
    hints = typing.get_type_hints(cls)
    known = [f.name for f in dataclasses.fields(cls) if f.init]
    unknown = sorted(set(values) - set(known))
    if unknown:
        moved = [
            f"{where}.{k} is now {_MOVED[f'{where}.{k}']}"
            for k in unknown
            if f"{where}.{k}" in _MOVED
        ]
        hint = f" ({'; '.join(moved)})" if moved else f"; known: {', '.join(known)}"
        raise SettingsError(f"{where}: unknown key(s) {', '.join(unknown)}{hint}")
    out = {}
    for f in dataclasses.fields(cls):
        if f.name in values:
            out[f.name] = _typed(values[f.name], hints[f.name], f"{where}.{f.name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise SettingsError(f"{where}.{f.name} is missing")
    obj = cls(**out)
    validate = getattr(obj, "validate", None)
    if validate is not None:
        try:
            validate(where)
        except SettingsError:
            raise
        except ValueError as e:
            raise SettingsError(str(e)) from None
    return obj


class _Text(str):
    """A value from an environment variable: text, to be converted to the field's type."""


def _typed(value: Any, hint: Any, where: str) -> Any:
    """``value`` as the type ``hint``, or a `SettingsError` saying what was expected."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if value is None or value == "":
            return None
        return _typed(value, inner[0], where)
    if typing.get_origin(hint) is tuple:
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise SettingsError(f"{where} must be a list, got {value!r}")
        return tuple(_typed(v, args[0], f"{where}[{i}]") for i, v in enumerate(value))
    if dataclasses.is_dataclass(hint):
        return from_table(hint, value, where=where)
    return _scalar(value, hint, where)


def _scalar(value: Any, kind: type, where: str) -> Any:
    text = isinstance(value, _Text)
    if kind is str:
        if not isinstance(value, str):
            raise SettingsError(f"{where} = {value!r} is not text: write it in quotes")
        return str(value).strip()
    if kind is bool:
        if isinstance(value, bool):
            return value
        if text and value.lower() in ("1", "true", "yes", "0", "false", "no"):
            return value.lower() in ("1", "true", "yes")
        raise SettingsError(f"{where} = {value!r} is not true or false")
    if kind is int:
        return _number(value, where, text=text, whole=True)
    if kind is float:
        return _number(value, where, text=text, whole=False)
    if kind is date:
        if isinstance(value, date) and not hasattr(value, "hour"):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise SettingsError(f"{where} = {value!r} is not a date (YYYY-MM-DD)")
    raise TypeError(f"{where}: settings cannot hold a {kind!r}")  # a programming error


def _number(value: Any, where: str, *, text: bool, whole: bool) -> int | float:
    what = "an integer" if whole else "a number"
    number: Any = value
    if text:
        try:
            number = int(value) if whole else float(value)
        except ValueError:
            raise SettingsError(f"{where} = {str(value)!r} is not {what}") from None
    elif isinstance(value, bool) or not isinstance(value, int | float):
        quoted = isinstance(value, str) and _parses(value, whole)
        hint = ": write it without quotes" if quoted else ""
        raise SettingsError(f"{where} = {value!r} is not {what}{hint}")
    if whole and isinstance(number, float):
        if not number.is_integer():
            raise SettingsError(f"{where} = {value!r} is not {what}")
        number = int(number)
    if not whole:
        number = float(number)
        if not math.isfinite(number):
            raise SettingsError(f"{where} = {value!r} is not a finite number")
    return number


def _parses(text: str, whole: bool) -> bool:
    try:
        int(text) if whole else float(text)
    except ValueError:
        return False
    return True


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
    "HQ_SAMPLE": ("sample", "fill_empty_store"),
    "HQ_AS_OF": ("release", "as_of"),
    "HQ_AUTH_MODE": ("auth", "mode"),
}


def _env_overrides(env: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for var, (section, key) in _ENV.items():
        if env.get(var):
            out.setdefault(section, {})[key] = _Text(env[var])
    return out


_SECTIONS = (
    "app",
    "store",
    "sample",
    "map",
    "units",
    "tracks",
    "readiness",
    "release",
    "matching",
    "access",
    "auth",
    "import",
)


def _build(data: Mapping[str, Any], sources: tuple[str, ...]) -> Settings:
    unknown = sorted(set(data) - set(_SECTIONS))
    if unknown:
        raise SettingsError(
            f"unknown settings section(s) {', '.join(unknown)}; known: {', '.join(_SECTIONS)}"
        )
    app = from_table(_App, data.get("app", {}), where="app")
    store = from_table(_Store, data.get("store", {}), where="store")
    sample = from_table(_Sample, data.get("sample", {}), where="sample")
    units = _typed(data.get("units", []), tuple[Unit, ...], "units")
    tracks = _typed(data.get("tracks", []), tuple[Track, ...], "tracks")
    settings = Settings(
        database_url=_database_url(store.database_url),
        language=app.language,
        role=app.role,
        user=app.user,
        user_unit=app.unit,
        sample_seed=sample.seed,
        sample_scale=sample.scale,
        sample_fill=sample.fill_empty_store,
        map=from_table(MapSettings, data.get("map", {}), where="map"),
        units=units,
        tracks=tracks,
        readiness=from_table(ReadinessSettings, data.get("readiness", {}), where="readiness"),
        release=from_table(ReleaseSettings, data.get("release", {}), where="release"),
        matching=from_table(MatchingSettings, data.get("matching", {}), where="matching"),
        access=from_table(AccessSettings, data.get("access", {}), where="access"),
        auth=from_table(AuthSettings, data.get("auth", {}), where="auth"),
        limits=from_table(ImportLimits, data.get("import", {}), where="import"),
        source=sources,
    )
    _check(settings)
    return settings


def _database_url(url: str) -> str:
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != prefix + ":memory:":
        return prefix + str(ROOT / url[len(prefix) :])
    return url


def _choice(value: str, choices: tuple[str, ...], where: str) -> None:
    if value not in choices:
        raise ValueError(f"{where} = {value!r} is not one of {', '.join(choices)}")


def _by_id(items: tuple, item_id: str, what: str) -> Any:
    for item in items:
        if item.id == item_id:
            return item
    known = ", ".join(i.id for i in items)
    raise SettingsError(f"unknown {what} {item_id!r}; known: {known}")


def _check(settings: Settings) -> None:
    """Checks across tables: ids unique, the user's unit configured, a steward's identity."""
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
