"""Export then import gives back the same inventory (a property over mutated tiny inventories)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geodata.layers import base_layers
from services.context import vocabs_for
from settings import load_settings
from spaces.export import csv_bytes
from spaces.imports import plan_import
from spaces.io import Upload, export_geojson, export_gpkg, export_xlsx, read_inventory_file
from spaces.model import Inventory
from spaces.outline import format_outline
from spaces.schema import TABLES
from spaces.sheets import to_labels
from spaces.validation import build_inventory
from tests.factories import TRACKS, UNITS, tiny_frames
from words.imports import import_report, sheet_words
from words.inventory import vocabulary_labels

VOCABS = vocabs_for(load_settings(env={}))
LAYERS = base_layers()
FORMATS = {
    "xlsx": lambda inv: export_xlsx(inv, sheet_words(VOCABS, "zh")),
    "xlsx-en": lambda inv: export_xlsx(inv, sheet_words(VOCABS, "en")),
    "gpkg": lambda inv: export_gpkg(inv, LAYERS),
    "zip": lambda inv: export_geojson(inv, LAYERS),
}

# Free text as stewards type it: Chinese, letters, digits and punctuation, no control
# characters, no surrounding blanks (an import strips them); and text that a spreadsheet
# would take for something else: a formula, an error value, a missing-value word, a number,
# text that starts with the quote a spreadsheet-safe CSV adds.
risky = ["=1+1", "#N/A", "#REF!", "NA", "null", "1,200", "-5", "+86 21 5555", "@SUM(1)"]
risky += ["'=1+1", "''=x", "'quoted'", "-x", '=HYPERLINK("https://evil.example/","x")']
text = st.sampled_from(risky) | st.text(
    st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=20
).filter(lambda s: s == s.strip())
maybe_text = st.none() | text
days = st.dates(date(2000, 1, 1), date(2040, 12, 31))


def _range(lo: float, hi: float):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@st.composite
def inventories(draw) -> Inventory:
    frames = tiny_frames()
    b, f, c, t, p = (
        frames["buildings"],
        frames["floors"],
        frames["carriers"],
        frames["service_teams"],
        frames["plots"],
    )
    b.loc[0, "name"] = draw(text)
    b.loc[0, "address"] = draw(maybe_text)
    b.loc[0, "height_m"] = draw(st.none() | _range(3, 400))
    b.loc[0, "construction_progress"] = draw(_range(0, 1))
    dx, dy = draw(_range(-0.0004, 0.0004)), draw(_range(-0.0004, 0.0004))
    b["geometry"] = [shapely.affinity.translate(b.geometry.iloc[0], dx, dy)]
    b.loc[0, "approximate"] = draw(st.booleans())
    p.loc[1, "far"] = draw(st.none() | _range(0.1, 10))
    ready = draw(st.none() | days)
    p.loc[1, "land_ready_planned"] = None if ready is None else ready.isoformat()
    f["usable_area_m2"] = [draw(_range(10, 200_000)), draw(_range(900, 200_000)), 1000.0]
    f["floor_load_kn_m2"] = [draw(_range(1.5, 60)) for _ in range(3)]
    f["clear_height_m"] = [draw(_range(2.2, 30)) for _ in range(3)]
    f["exhaust"] = [draw(st.booleans()) for _ in range(3)]
    f["power_kva"] = [draw(_range(0, 20_000)) for _ in range(3)]
    f["clean_room_iso"] = [draw(st.none() | st.integers(1, 9)) for _ in range(3)]
    c["rent_yuan_m2_day"] = [draw(st.none() | _range(0.5, 50)) for _ in range(5)]
    c["tenant"] = [draw(maybe_text) for _ in range(5)]
    c["note"] = [draw(maybe_text) for _ in range(5)]
    c["available_from"] = [draw(st.none() | days) for _ in range(5)]
    c.loc[2, "track"] = draw(st.none() | st.sampled_from(TRACKS))
    t.loc[0, "lead"] = draw(maybe_text)
    t.loc[1, "capacity"] = draw(st.integers(0, 100_000))
    return build_inventory(frames, units=UNITS, tracks=TRACKS)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inv=inventories(), fmt=st.sampled_from(sorted(FORMATS)))
def test_export_then_import_is_the_same_inventory(inv, fmt):
    data = FORMATS[fmt](inv)
    name = f"export.{fmt.split('-')[0]}"
    upload = read_inventory_file(data, name)
    plan = plan_import(upload, stored=Inventory.empty(), revision=0, vocabs=VOCABS)
    assert plan.ok, import_report(plan, "en").to_dict("records")
    for table, df in inv.tables().items():
        got = plan.inventory.tables()[table].drop(columns=["version"], errors="ignore")
        if "geometry" in df.columns:  # the same to 1e-9° (0.1 mm); text formats may round
            assert got.geometry.geom_equals_exact(df.geometry.reindex(got.index), 1e-9).all()
            got, df = got.drop(columns="geometry"), df.drop(columns="geometry")
        pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(df), check_like=True)


def _csv_upload(inv: Inventory) -> Upload:
    """Each table written by the project's CSV writer (one file each) and read back."""
    tables = {}
    for name, t in TABLES.items():
        frame = to_labels(getattr(inv, name), t, vocabulary_labels(VOCABS, "zh")).drop(
            columns="version", errors="ignore"
        )
        if t.geometry:
            outline = [format_outline(g) for g in frame.geometry]
            frame = pd.DataFrame(frame.drop(columns="geometry"))
            frame["outline(WGS84)"] = outline  # the datum in the header, as our Excel export
        data = csv_bytes(frame.reset_index(names=t.id))
        tables |= read_inventory_file(data, f"{name}.csv", table=name).tables
    return Upload("inventory.csv", "csv", tables)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inv=inventories())
def test_csv_export_then_import_is_the_same_inventory(inv):
    plan = plan_import(_csv_upload(inv), stored=Inventory.empty(), revision=0, vocabs=VOCABS)
    assert plan.ok, import_report(plan, "en").to_dict("records")
    for table, df in inv.tables().items():
        got = plan.inventory.tables()[table].drop(columns=["version"], errors="ignore")
        if "geometry" in df.columns:
            assert got.geometry.geom_equals_exact(df.geometry.reindex(got.index), 1e-9).all()
            got, df = got.drop(columns="geometry"), df.drop(columns="geometry")
        pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(df), check_like=True)
