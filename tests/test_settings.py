"""Settings: defaults, user files, environment overrides and clear errors."""

from __future__ import annotations

import re

import pytest

from settings import ROOT, SettingsError, load_settings


def test_defaults():
    s = load_settings(env={})
    assert s.language == "zh"
    assert s.map.basemap == "none"
    assert s.database_url == f"sqlite:///{ROOT}/data/carriers.sqlite"
    assert [u.id for u in s.units] == ["nanhongqiao", "huacao", "xinhong"]
    assert s.track("biomedicine").wet_lab_drainage is True
    assert {t.priority for t in s.tracks} == {1, 2}


def test_user_file_replaces_only_its_keys(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text('[map]\nbasemap = "osm"\n[sample]\nscale = 10\n', encoding="utf-8")
    s = load_settings(env={"HQ_SETTINGS": str(f)})
    assert s.map.basemap == "osm"
    assert s.sample_scale == 10
    assert s.language == "zh"
    assert str(f) in s.source


def test_environment_wins():
    s = load_settings(
        env={"DATABASE_URL": "postgresql://u@h/db", "HQ_LANGUAGE": "en", "HQ_ROLE": "leader"}
    )
    assert s.database_url == "postgresql://u@h/db"
    assert (s.language, s.role) == ("en", "leader")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"HQ_LANGUAGE": "fr"}, "app.language = 'fr' is not one of zh, en"),
        ({"HQ_BASEMAP": "tianditu"}, "needs map.tianditu_key"),
        ({"HQ_SAMPLE_SCALE": "many"}, "sample.scale = 'many' is not an integer"),
        ({"HQ_SETTINGS": "/nonexistent.toml"}, "does not exist"),
    ],
)
def test_bad_values_say_what_and_where(env, message):
    with pytest.raises(SettingsError, match=message.replace("(", r"\(")):
        load_settings(env=env)


def test_unknown_track_is_named():
    with pytest.raises(SettingsError, match="unknown track 'aerospace'"):
        load_settings(env={}).track("aerospace")


def test_invalid_toml(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text("[map\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(f, env={})


def test_matching_defaults_and_overrides(tmp_path):
    s = load_settings(env={})
    assert s.matching.weights() == {
        "area": 0.25,
        "rent": 0.15,
        "date": 0.15,
        "technical": 0.15,
        "track": 0.15,
        "access": 0.15,
    }
    assert s.access.metro_distance_m == 2000.0
    f = tmp_path / "m.toml"
    f.write_text("[matching]\nweight_rent = 0.5\n", encoding="utf-8")
    assert load_settings(env={"HQ_SETTINGS": str(f)}).matching.weight_rent == 0.5


@pytest.mark.parametrize(
    ("table", "text", "message"),
    [
        ("matching", "weight_area = -1", "must be zero or more"),
        ("matching", "weight_area = 'x'", "is not a number"),
        ("matching", "rent_low = 20", "rent_high must be above"),
        ("matching", "speed = 1", "unknown key"),
        ("auth", 'mode = "ldap"', "auth.mode = 'ldap' is not one of local, oidc"),
        ("auth", "idle_minutes = 0", "auth.idle_minutes = 0 must be from 1 to 1440"),
        ("auth", 'lockout_attempts = "5"', "auth.lockout_attempts = '5' is not an integer"),
        ("auth", "lockout_minutes = 2000", "auth.lockout_minutes = 2000 must be from 1 to 1440"),
        ("auth", "min_password_length = 4", "auth.min_password_length = 4 must be from 8 to 128"),
        ("auth", "sessions = 2", "auth: unknown key"),
    ],
)
def test_bad_matching_and_auth_settings(tmp_path, table, text, message):
    f = tmp_path / "m.toml"
    f.write_text(f"[{table}]\n{text}\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=message):
        load_settings(env={"HQ_SETTINGS": str(f)})


def test_user_and_unit():
    s = load_settings(env={"HQ_ROLE": "steward", "HQ_USER": " 王五 ", "HQ_UNIT": "huacao"})
    assert (s.role, s.user, s.user_unit) == ("steward", "王五", "huacao")
    assert s.unit("huacao").name_zh == "华漕镇"  # the unit look-up is unchanged
    assert load_settings(env={}).user == "" and load_settings(env={}).user_unit == ""


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"HQ_UNIT": "pudong"}, "app.unit = 'pudong' is not a configured unit"),
        ({"HQ_ROLE": "steward", "HQ_USER": "wang"}, "needs app.user and app.unit"),
        ({"HQ_ROLE": "steward", "HQ_UNIT": "huacao"}, "needs app.user and app.unit"),
        ({"HQ_USER": "a\x00b"}, "at most 64 printable characters"),
    ],
)
def test_bad_user_settings(env, message):
    with pytest.raises(SettingsError, match=message):
        load_settings(env=env)


def test_auth_defaults_and_overrides(tmp_path):
    auth = load_settings(env={}).auth
    assert (auth.mode, auth.idle_minutes) == ("local", 30)
    assert (auth.lockout_attempts, auth.lockout_minutes, auth.min_password_length) == (5, 15, 10)
    f = tmp_path / "a.toml"
    f.write_text('[auth]\nmode = "oidc"\nidle_minutes = 60\nlockout_attempts = 3\n', "utf-8")
    auth = load_settings(env={"HQ_SETTINGS": str(f)}).auth
    assert (auth.mode, auth.idle_minutes, auth.lockout_attempts) == ("oidc", 60, 3)
    assert auth.lockout_minutes == 15  # the keys left out keep their defaults


def test_the_sign_in_mode_comes_from_the_environment_and_is_checked():
    assert load_settings(env={}).auth.mode == "local"
    assert load_settings(env={"HQ_AUTH_MODE": "oidc"}).auth.mode == "oidc"
    with pytest.raises(SettingsError, match=r"auth\.mode"):
        load_settings(env={"HQ_AUTH_MODE": "ldap"})


def test_import_limits_defaults_match_the_code_and_can_be_overridden(tmp_path):
    from spaces.limits import ImportLimits

    limits = load_settings(env={}).limits
    assert limits == ImportLimits()  # config/settings.toml documents the code's defaults
    assert (limits.upload_mb, limits.rows, limits.columns) == (50, 200_000, 200)
    assert (limits.cells, limits.unzipped_mb, limits.zip_entries) == (5_000_000, 200, 1_000)
    assert limits.outline_vertices == 10_000
    f = tmp_path / "s.toml"
    f.write_text("[import]\nrows = 500\nupload_mb = 5\n", "utf-8")
    limits = load_settings(env={"HQ_SETTINGS": str(f)}).limits
    assert (limits.rows, limits.upload_mb, limits.columns) == (500, 5, 200)
    assert limits.upload_bytes == 5 * 2**20


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rows = 0", "import.rows = 0 must be from 10 to 10,000,000"),
        ("upload_mb = 4096", "import.upload_mb = 4096 must be from 1 to 2,048"),
        ('cells = "many"', "import.cells = 'many' is not an integer"),
        ("outline_vertices = 2", "import.outline_vertices = 2 must be from 4 to"),
        ("files = 3", "import: unknown key"),
    ],
)
def test_bad_import_limits_say_what_and_where(tmp_path, text, message):
    f = tmp_path / "s.toml"
    f.write_text(f"[import]\n{text}\n", "utf-8")
    with pytest.raises(SettingsError, match=re.escape(message)):
        load_settings(env={"HQ_SETTINGS": str(f)})
