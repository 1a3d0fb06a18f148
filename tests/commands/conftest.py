"""The commands run on a new SQLite store of their own (``DATABASE_URL`` set for the test)."""

from __future__ import annotations

import pytest


@pytest.fixture
def sqlite_store(tmp_path, monkeypatch) -> str:
    """The URL of a new SQLite store, set as ``DATABASE_URL``."""
    url = f"sqlite:///{tmp_path}/cli.sqlite"
    monkeypatch.setenv("DATABASE_URL", url)
    return url
