"""Settings of the readiness model and the release plan: defaults, overrides, clear errors."""

from __future__ import annotations

from datetime import date

import pytest

from settings import SettingsError, load_settings


def _with(tmp_path, text: str) -> dict[str, str]:
    f = tmp_path / "mine.toml"
    f.write_text(text, encoding="utf-8")
    return {"HQ_SETTINGS": str(f)}


def test_defaults():
    s = load_settings(env={})
    r = s.readiness
    assert r.threshold == 60.0
    assert (
        r.weights.construction
        + r.weights.facilities
        + r.weights.service_team
        + r.weights.industry_fit
    ) == pytest.approx(1.0)
    assert s.access.hub_feature == "landmark.hongqiao-railway-station"
    assert (s.access.hub_distance_m, s.access.metro_distance_m) == (8000.0, 2000.0)
    assert s.release.release_reserved is False
    assert s.release.trial_start == date(2026, 6, 1)
    assert (s.release.trial_months, s.release.cadence_months) == (36, 6)
    assert s.release.gates == ()
    assert s.release.as_of is None
    assert {u.id: u.capacity_per_window for u in s.units} == {
        "nanhongqiao": 40,
        "huacao": 40,
        "xinhong": 100,
    }


def test_user_file_and_environment(tmp_path):
    env = _with(
        tmp_path,
        '[readiness]\nthreshold = 70\n[release]\ncadence_months = 3\ngates = ["team_in_place"]\n',
    )
    s = load_settings(env={**env, "HQ_AS_OF": "2027-01-15"})
    assert s.readiness.threshold == 70.0
    assert s.readiness.weights.construction == 0.35  # untouched keys keep their defaults
    assert s.release.cadence_months == 3
    assert s.release.gates == ("team_in_place",)
    assert s.release.as_of == date(2027, 1, 15)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[readiness.weights]\nconstruction = 0.5\n", r"readiness.weights sum to 1.15, not 1"),
        (
            "[readiness]\nthreshold = 120\n",
            r"readiness.threshold = 120.0 must be between 0 and 100",
        ),
        ("[readiness.industry_fit]\nhub = 0.2\n", r"readiness.industry_fit sum to 1.05"),
        (
            "[readiness.service_team]\nforming = 1.5\n",
            r"service_team.forming = 1.5 must be between",
        ),
        ("[readiness.service_team]\nnone = 0.8\n", r"in_place >= forming >= none"),
        ("[readiness.industry_fit]\npriority_scores = [0.5, 1.0]\n", r"must not increase"),
        ("[readiness.weights]\nspeed = 0.1\n", r"readiness.weights: unknown key\(s\) speed"),
        ("[readiness.weights]\nfacilities = 'lots'\n", r"facilities = 'lots' is not a number"),
        ("[release]\ncadence_months = 48\n", r"cadence_months = 48 must be between 1 and"),
        ("[release]\ngates = ['fire_approval']\n", r"unknown gate\(s\) 'fire_approval'"),
        ("[release]\ntrial_start = 'June'\n", r"trial_start = 'June' is not a date"),
        (
            '[[units]]\nid = "x"\nname_zh = "x"\nname_en = "x"\ncapacity_per_window = -1\n',
            r"units\[0\].capacity_per_window = -1 must be at least 0",
        ),
    ],
)
def test_bad_planning_values_say_what_and_where(tmp_path, text, message):
    with pytest.raises(SettingsError, match=message):
        load_settings(env=_with(tmp_path, text))


def test_bad_as_of_from_environment():
    with pytest.raises(SettingsError, match=r"release.as_of = 'tomorrow' is not a date"):
        load_settings(env={"HQ_AS_OF": "tomorrow"})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[tracks]]\nid = "x"\nname_zh = "x"\nname_en = "x"\npriority = "1"\n',
            r"tracks\[0\]\.priority = '1' is not an integer: write it without quotes",
        ),
        (
            '[[tracks]]\nid = "x"\nname_zh = "x"\nname_en = "x"\npriority = 1\n'
            'min_floor_load_kn_m2 = "5"\n',
            r"tracks\[0\]\.min_floor_load_kn_m2 = '5' is not a number: write it without quotes",
        ),
        (
            '[[tracks]]\nid = "x"\nname_zh = "x"\nname_en = "x"\npriority = 1\nexhaust = "yes"\n',
            r"tracks\[0\]\.exhaust = 'yes' is not true or false",
        ),
        (
            '[[tracks]]\nid = "x"\nname_zh = "x"\nname_en = "x"\npriority = 1.5\n',
            r"tracks\[0\]\.priority = 1\.5 is not an integer",
        ),
        (
            '[[tracks]]\nid = "x"\nname_zh = "x"\nname_en = "x"\n',
            r"tracks\[0\]\.priority is missing",
        ),
        (
            '[[units]]\nid = "x"\nname_zh = "x"\nname_en = "x"\ncapacity_per_window = "40"\n',
            r"units\[0\]\.capacity_per_window = '40' is not an integer: write it without quotes",
        ),
        ("[readiness]\nthreshold = true\n", r"readiness\.threshold = True is not a number"),
        ('[release]\ncadence_months = "6"\n', r"cadence_months = '6' is not an integer"),
        ("[release]\nrelease_reserved = 1\n", r"release_reserved = 1 is not true or false"),
        ("[map]\nbasemap = 1\n", r"map\.basemap = 1 is not text: write it in quotes"),
        ("[sample]\nscale = 0\n", r"sample\.scale = 0 must be at least 1"),
        ("[colours]\nred = 1\n", r"unknown settings section\(s\) colours"),
    ],
)
def test_values_of_the_wrong_type_are_refused(tmp_path, text, message):
    """Regression: ``priority = "1"`` and ``min_floor_load_kn_m2 = "5"`` loaded silently."""
    with pytest.raises(SettingsError, match=message):
        load_settings(env=_with(tmp_path, text))


def test_environment_text_is_converted(tmp_path):
    s = load_settings(env={"HQ_SAMPLE_SCALE": "10", "HQ_AS_OF": "2027-01-15"})
    assert s.sample_scale == 10 and s.release.as_of == date(2027, 1, 15)


def test_one_hub_setting_for_readiness_and_matching(tmp_path):
    """Regression: readiness measured the hub on a 6 km scale, matching on an 8 km one."""
    s = load_settings(env=_with(tmp_path, "[access]\nhub_distance_m = 5000\n"))
    assert s.access.hub_distance_m == 5000.0
    for old in (
        "[readiness.industry_fit]\nhub_distance_m = 6000\n",
        "[matching]\nhub_distance_m = 8000\n",
        "[matching]\nmetro_distance_m = 2000\n",
    ):
        with pytest.raises(SettingsError, match=r"is now access\.(hub|metro)_distance_m"):
            load_settings(env=_with(tmp_path, old))
