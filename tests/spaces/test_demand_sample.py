"""The sample demand list: valid, deterministic, scaled, and clearly fictional."""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import pytest

from settings import load_settings
from spaces.demand_sample import SOURCE, generate_demands


@pytest.fixture(scope="module")
def settings():
    return load_settings(env={})


def _make(settings, **kw):
    return generate_demands(
        tracks=[t.id for t in settings.tracks],
        track_requirements={t.id: asdict(t) for t in settings.tracks},
        **kw,
    )


def test_deterministic_and_labelled(settings):
    a, b = _make(settings), _make(settings)
    pd.testing.assert_frame_equal(a, b)
    assert 30 <= len(a) <= 50
    assert (a.source == SOURCE).all()
    assert a.enterprise.str.endswith("（示例）").all()
    assert set(a.tier.dropna()) == {"room", "floor", "building", "plot"}
    assert (a.status == "open").mean() > 0.5


def test_scales_and_seed_changes_it(settings):
    assert 300 <= len(_make(settings, scale=10)) <= 500
    assert not _make(settings, seed=1).enterprise.equals(_make(settings).enterprise)


def test_bad_scale(settings):
    with pytest.raises(ValueError, match="scale"):
        _make(settings, scale=0)
