"""No field the schema keeps from the public reaches anything an enterprise sees or downloads."""

# A tiny inventory holds distinctive values in every non-public field (tenants, notes, service
# teams, sources, readiness dates); the finder's table, shortlist CSV and Excel, the supply
# list, the cards, the map and the whole finder page for the public role must show none of them.

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geodata.layers import base_layers
from planning.supply import PUBLIC_FIELDS
from settings import load_settings
from spaces.export import csv_bytes, excel_bytes
from spaces.rollup import carrier_table, stacking_plan
from spaces.schema import CARRIER_LIST, TABLES
from spaces.validation import build_inventory
from store.bootstrap import open_store
from store.repository import SYSTEM
from tests.factories import TRACKS, UNITS, tiny_frames
from tests.ui.apps import APP
from ui import cards
from ui.mapview import carrier_features, carrier_map
from words.tables import public_table, supply_list

SETTINGS = load_settings(env={})
# Readiness dates no public output has any reason to show.
SECRET_DATES = {
    ("buildings", "planned_completion"): "2024-11-23",
    ("buildings", "actual_completion"): "2024-12-07",
    ("buildings", "planned_acceptance"): "2025-01-19",
    ("buildings", "actual_acceptance"): "2025-02-03",
    ("plots", "land_ready_actual"): "2019-10-29",
    ("plots", "land_ready_planned"): "2027-05-17",
    ("service_teams", "ready_date"): "2027-03-11",
}


def _secret_frames() -> dict[str, pd.DataFrame]:
    frames = tiny_frames()
    for name, frame in frames.items():
        for f in TABLES[name].fields:
            if f.public or f.name not in frame.columns or f.ref or f.vocabulary:
                continue
            if f.kind == "str" and f.name != TABLES[name].id:
                frame[f.name] = [f"SECRET-{name}-{f.name}-{i}" for i in range(len(frame))]
            elif (name, f.name) in SECRET_DATES:
                frame[f.name] = SECRET_DATES[name, f.name]
    teams = frames["service_teams"]
    ids = {old: f"SECRET-TEAM-{i}" for i, old in enumerate(teams.team_id)}
    teams["team_id"] = teams.team_id.map(ids)
    frames["carriers"]["service_team_id"] = frames["carriers"].service_team_id.map(ids)
    return frames


SECRETS = [
    *SECRET_DATES.values(),
    "SECRET-",
    # labels of fields only non-public fields carry
    *(
        {f.label_zh for t in TABLES.values() for f in t.fields if not f.public}
        | {f.label_en for t in TABLES.values() for f in t.fields if not f.public}
    )
    - {f.label_zh for t in (*TABLES.values(), CARRIER_LIST) for f in t.fields if f.public}
    - {f.label_en for t in (*TABLES.values(), CARRIER_LIST) for f in t.fields if f.public},
]


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def _cells(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(
        str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
    )


@pytest.fixture(scope="module")
def inv():
    return build_inventory(_secret_frames(), units=UNITS, tracks=TRACKS)


@pytest.fixture(scope="module")
def carriers(inv):
    return carrier_table(inv, layers=base_layers())


def test_the_inventory_holds_the_secrets(inv, carriers):
    shown = "\n".join([frame.to_csv() for frame in inv.tables().values()] + [carriers.to_csv()])
    assert "SECRET-carriers-tenant" in shown and "SECRET-TEAM-0" in shown
    assert all(date in shown for date in SECRET_DATES.values())
    assert all(f.public for f in PUBLIC_FIELDS)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_public_tables_and_their_files_hold_no_private_field(carriers, lang):
    table = public_table(carriers, lang=lang, settings=SETTINGS)
    supply = supply_list(carriers, lang=lang, settings=SETTINGS)
    assert len(table) == len(carriers) and len(supply)
    for frame in (table, supply):
        assert _leaks(frame.to_csv()) == []
        assert _leaks(csv_bytes(frame).decode("utf-8-sig")) == []
        assert _leaks(_cells(excel_bytes({"s": frame}))) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_public_cards_and_map_hold_no_private_field(inv, carriers, lang):
    for building in inv.buildings.index:
        pairs = cards.building_attributes(inv, building, lang=lang, settings=SETTINGS, public=True)
        assert _leaks(repr(pairs)) == []
        assert _leaks(cards.stacking_plan_html(inv, building, lang=lang)) == []
        assert not stacking_plan(inv, building).empty
    for plot in inv.plots.index:
        pairs = cards.plot_attributes(inv, plot, lang=lang, settings=SETTINGS, public=True)
        assert _leaks(repr(pairs)) == []
    rows = cards.carrier_rows(carriers, lang=lang, settings=SETTINGS, public=True)
    assert _leaks(rows.to_csv()) == []
    features = carrier_features(inv, carriers, color_by="match")
    html = carrier_map(features, base_layers(), lang=lang, map_settings=SETTINGS.map)
    assert _leaks(html.get_root().render()) == []


def _everything(at: AppTest) -> str:
    """Every element of the page as text: protos (map arguments, HTML) and table values."""
    parts, stack = [], [at._tree]
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", {}).values())
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
    parts += [e.value.to_csv() for e in at.dataframe]
    return "\n".join(parts)


def test_the_finder_page_shows_and_exports_no_private_field(inv, tmp_path, monkeypatch, downloads):
    url = f"sqlite:///{tmp_path}/secret.sqlite"
    repo = open_store(load_settings(env={"DATABASE_URL": url}))
    repo.replace_inventory(inv, actor=SYSTEM)
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=120)
        at.session_state["hq_shortlist"] = list(inv.carriers.index)
        at.query_params["status"] = "any"  # leased and reserved carriers too
        for place in ("B1", "P2"):
            at.session_state["hq_finder_selected"] = place
            at.run()
            assert not at.exception, at.exception
            tables = [d.value for d in at.dataframe if "载体编号" in d.value.columns]
            assert [len(t) for t in tables] == [len(inv.carriers) - 1, len(inv.carriers)]
            assert _leaks(_everything(at)) == []
        assert set(downloads) == {"下载 Excel", "下载 CSV"}
        assert _leaks(downloads["下载 CSV"].decode("utf-8-sig")) == []
        assert _leaks(_cells(downloads["下载 Excel"])) == []
    finally:
        st.cache_resource.clear()
        repo.engine.dispose()
