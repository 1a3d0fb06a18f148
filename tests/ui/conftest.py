"""Fixtures of the page tests."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.delta_generator import DeltaGenerator


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """Label -> data of every download button the pages draw (the real buttons still draw)."""
    seen: dict[str, bytes] = {}
    original = DeltaGenerator.download_button

    def record(self, label, data, *args, **kwargs):
        seen[label] = data
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    monkeypatch.setattr(st, "download_button", lambda *a, **k: record(st._main, *a, **k))
    return seen
