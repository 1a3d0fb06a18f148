"""The store test suite runs on SQLite and on PostGIS (``store_url`` from tests/conftest.py)."""

from __future__ import annotations

import pytest

from spaces.validation import build_inventory
from store.repository import Repository
from tests.factories import TRACKS, UNITS, tiny_frames


@pytest.fixture
def repo(store_url):
    """An empty repository on the backend under test."""
    repo = Repository.connect(store_url, units=UNITS, tracks=TRACKS)
    yield repo
    repo.engine.dispose()


@pytest.fixture
def inv():
    """The tiny valid inventory of tests/factories.py."""
    return build_inventory(tiny_frames(), units=UNITS, tracks=TRACKS)
