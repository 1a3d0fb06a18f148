"""The `score` and `plan` commands on a fresh sample store."""

from __future__ import annotations

import json

import pytest

from cli import main
from commands.planning import as_of_date
from settings import load_settings


@pytest.fixture
def store_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/cli.sqlite"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def test_plan_json(store_url, capsys):
    assert main(["plan", "--as-of", "2026-11-30", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["as_of"] == "2026-11-30"
    assert [w["batch"] for w in out["windows"]] == [1, 2, 3, 4, 5, 6]
    assert out["windows"][0]["start"] == "2026-06-01"
    assert out["policy"]["release"]["cadence_months"] == 6
    placed = {p["carrier_id"]: p for p in out["placements"]}
    assert len(placed) > 500
    in_windows = [c for w in out["windows"] for c in w["carriers"]]
    assert len(in_windows) == len(set(in_windows))  # each carrier in one batch at most
    released = [p for p in placed.values() if p["outcome"] == "released"]
    assert len(released) == len(in_windows)
    assert all(p["reason_zh"] and p["reason_en"] for p in placed.values())
    assert all(isinstance(p["batch"], int) for p in released)
    assert len(out["fingerprint"]) == 12


def test_plan_text(store_url, capsys):
    assert main(["plan", "--as-of", "2026-11-30"]) == 0
    out = capsys.readouterr().out
    assert "release plan as of 2026-11-30" in out
    assert "2026-06-01 – 2026-11-30" in out
    assert "已出租，不再释放" in out


def test_score_json_and_text(store_url, capsys):
    assert main(["score", "--as-of", "2026-11-30", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    first = out["carriers"][0]
    assert set(first) >= {"carrier_id", "score", "construction", "gates", "ready", "track"}
    assert 0 <= first["score"] <= 100
    assert out["threshold"] == 60.0
    assert main(["score", "--as-of", "2026-11-30"]) == 0
    assert "readiness as of 2026-11-30" in capsys.readouterr().out


def test_bad_date_exits_2(store_url, capsys):
    with pytest.raises(SystemExit) as e:
        main(["plan", "--as-of", "soon"])
    assert e.value.code == 2
    assert "'soon' is not a date" in capsys.readouterr().err


def test_as_of_defaults_to_settings_then_today():
    from datetime import date

    assert as_of_date(load_settings(env={})) == date.today()
    fixed = load_settings(env={"HQ_AS_OF": "2027-03-01"})
    assert as_of_date(fixed) == date(2027, 3, 1)
    assert as_of_date(fixed, date(2026, 7, 1)) == date(2026, 7, 1)
