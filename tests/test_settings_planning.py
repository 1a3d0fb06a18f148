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
    assert r.industry_fit.hub_feature == "landmark.hongqiao-railway-station"
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
