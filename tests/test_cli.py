"""The command-line interface on a fresh store."""

from __future__ import annotations

import json

import pytest

from cli import main


@pytest.fixture
def store_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/cli.sqlite"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def test_info_json_seeds_and_counts(store_url, capsys):
    assert main(["info", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["sample"] is True
    assert out["counts"]["carriers"] > 500
    assert out["layers"] > 20


def test_bad_settings_exit_2(store_url, monkeypatch, capsys):
    monkeypatch.setenv("HQ_LANGUAGE", "fr")
    assert main(["info"]) == 2
    assert "app.language = 'fr'" in capsys.readouterr().err
