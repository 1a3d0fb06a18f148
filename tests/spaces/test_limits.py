"""Import limits: files that explode are refused at the limit they pass, in little memory.

Memory is measured with tracemalloc's peak (Python and numpy allocations), not with time.
"""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
from dataclasses import replace

import geopandas as gpd
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon

from services.context import vocabs_for
from settings import load_settings
from spaces.imports import plan_import
from spaces.io import read_inventory_file, read_vector
from spaces.limits import ImportLimits, LimitError
from spaces.model import Inventory
from spaces.tabular import UnreadableFileError, read_grids
from words.imports import limit_message

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SMALL = ImportLimits(rows=50, columns=20, cells=600, unzipped_mb=1, zip_entries=20)


def peak(fn):
    """Run ``fn``; return (what it raised or returned, tracemalloc's peak in bytes)."""
    tracemalloc.start()
    try:
        try:
            out = fn()
        except ValueError as e:
            out = e
        return out, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def refused(outcome, limit: str) -> LimitError:
    assert isinstance(outcome, LimitError), outcome
    assert outcome.code == "limit"
    assert outcome.params["limit"] == limit, outcome.params
    assert outcome.params["value"] > outcome.params["max"]
    for lang in ("zh", "en"):  # worded, naming the limit, in both languages
        text = limit_message(outcome, lang)
        assert f"{outcome.params['max']:,}" in text and limit in text
    return outcome


@FUZZ
@given(
    width=st.integers(SMALL.columns + 1, 20_000),
    rows=st.integers(0, 2_000),
    filler=st.sampled_from(["", "x", "长"]),
)
def test_a_csv_whose_first_row_is_too_wide_is_refused_at_that_row(width, rows, filler):
    data = (",".join([filler] * width) + "\n" + "a,1\n" * rows).encode()
    out, used = peak(lambda: read_grids(data, filename="wide.csv", limits=SMALL))
    e = refused(out, "columns")
    assert e.params["value"] == width and e.params["row"] == 1
    assert used < 3 * len(data) + 2 * 2**20  # nothing padded to the width


@FUZZ
@given(rows=st.integers(1, 400), width=st.integers(1, 12))
def test_csv_rows_and_cells_are_counted_as_they_are_read(rows, width):
    data = "\n".join(",".join(["x"] * width) for _ in range(rows)).encode()
    out, _ = peak(lambda: read_grids(data, filename="many.csv", limits=SMALL))
    if expected(rows, width):
        refused(out, expected(rows, width))
    else:
        assert out[""].shape == (rows, width)


def expected(rows: int, width: int) -> str | None:
    """The limit a table of ``rows`` × ``width`` passes first under SMALL (rows checked first)."""
    at_rows = SMALL.rows + 1
    at_cells = SMALL.cells // width + 1
    if rows >= at_rows and at_rows <= at_cells:
        return "rows"
    if rows >= at_cells:
        return "cells"
    return None


def test_one_wide_row_among_short_ones_counts_as_the_table_it_would_make():
    data = ("a\n" * 40 + ",".join(["b"] * 20) + "\n").encode()
    e = refused(read_or_error(data, "late.csv", SMALL), "cells")
    assert e.params["value"] == 41 * 20


def read_or_error(data: bytes, name: str, limits: ImportLimits):
    try:
        return read_grids(data, filename=name, limits=limits)
    except ValueError as e:
        return e


def workbook(rows: int, width: int, *, far: str | None = None) -> bytes:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("楼层")
    for i in range(rows):
        ws.append([f"r{i}"] + [i] * (width - 1))
    buf = io.BytesIO()
    wb.save(buf)
    if far is None:
        return buf.getvalue()
    book = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
    book["楼层"][far] = "far away"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@FUZZ
@given(rows=st.integers(1, 300), width=st.integers(1, 10))
def test_xlsx_rows_and_cells_are_counted_as_they_are_streamed(rows, width):
    data = workbook(rows, width)
    out, _ = peak(lambda: read_grids(data, filename="w.xlsx", limits=SMALL))
    if expected(rows, width):
        e = refused(out, expected(rows, width))
        assert e.params["where"] == "楼层"
    else:
        assert out["楼层"].shape == (rows, width)


def test_a_cell_in_column_xfd_is_refused_before_the_row_is_padded():
    out, used = peak(lambda: read_grids(workbook(3, 2, far="XFD2"), filename="f.xlsx"))
    e = refused(out, "columns")
    assert e.params["value"] == 16384 and e.params["row"] == 2
    assert used < 2 * 2**20


def test_a_million_row_sheet_in_a_small_xlsx_stops_at_the_row_limit():
    # A sheet that jumps to row 1,000,000: the rows Excel leaves out count too.
    data = workbook(2, 2, far="A1000000")
    assert len(data) < 20_000
    out, used = peak(lambda: read_grids(data, filename="jump.xlsx"))
    e = refused(out, "rows")
    assert e.params["value"] == ImportLimits().rows + 1
    assert used < 40 * 2**20


def zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def forge_sizes(data: bytes, size: int) -> bytes:
    """The zip with every member's uncompressed size in both headers set to ``size``."""
    out = bytearray(data)
    i = 0
    while (i := out.find(b"PK\x03\x04", i)) >= 0:  # local headers: size at +22
        out[i + 22 : i + 26] = struct.pack("<I", size)
        i += 4
    i = 0
    while (i := out.find(b"PK\x01\x02", i)) >= 0:  # central directory: size at +24
        out[i + 24 : i + 28] = struct.pack("<I", size)
        i += 4
    return bytes(out)


@pytest.mark.parametrize("name", ["bomb.zip", "bomb.xlsx"])
@pytest.mark.parametrize("forged", [None, 100])
def test_a_zip_bomb_is_refused_by_what_is_really_unzipped(name, forged):
    member = "xl/worksheets/sheet1.xml" if name.endswith("xlsx") else "a.geojson"
    data = zip_of({member: b"\0" * (8 * 2**20)})  # 8 MB of zeros in a few KB
    if forged is not None:
        data = forge_sizes(data, forged)  # the header says 100 bytes
    reader = read_vector if name.endswith("zip") else read_inventory_file
    out, used = peak(lambda: reader(data, name, limits=SMALL))
    assert isinstance(out, ValueError), out
    if forged is None:
        refused(out, "unzipped_mb")
    else:  # either past the limit as it unzips, or a size that does not match the data
        assert isinstance(out, LimitError | UnreadableFileError)
    assert used < 4 * 2**20


@FUZZ
@given(entries=st.integers(1, 60), nested=st.booleans())
def test_zip_entries_are_counted_before_anything_is_unzipped(entries, nested):
    members = {f"f{i}.txt": b"x" for i in range(entries)}
    data = zip_of(members)
    if nested:  # a zip in a zip in a zip: the inner ones are not opened
        data = zip_of({"inner.zip": zip_of({"deeper.zip": data})})
    out, used = peak(lambda: read_vector(data, "n.zip", limits=SMALL))
    assert isinstance(out, ValueError)
    if entries > SMALL.zip_entries and not nested:
        refused(out, "zip_entries")
    else:
        assert getattr(out, "code", None) == "zip_empty", out
    assert used < 2 * 2**20


def test_a_gis_layer_past_the_row_limit_is_refused_before_it_is_read():
    squares = [Polygon([(0, 0), (1, 0), (1, 1)]).buffer(i) for i in range(60)]
    frame = gpd.GeoDataFrame({"plot_id": range(60)}, geometry=squares, crs=4326)
    data = frame.to_json().encode()
    refused(read_or_vector(data, "p.geojson", SMALL), "rows")
    assert len(read_vector(data, "p.geojson", limits=replace(SMALL, rows=60))) == 1


def read_or_vector(data, name, limits):
    try:
        return read_vector(data, name, limits=limits)
    except ValueError as e:
        return e


def test_a_file_larger_than_the_upload_limit_is_refused_with_its_size():
    data = b"a" * (2 * 2**20 + 1)
    try:
        read_inventory_file(data, "x.csv", limits=replace(SMALL, upload_mb=2))
    except LimitError as e:
        refused(e, "upload_mb")
        assert e.params["value"] == 3
    else:
        raise AssertionError("not refused")


def test_an_outline_past_the_vertex_limit_is_an_error_on_its_row():
    ring = ";".join(f"{121.3 + 0.001 * (i % 7)},{31.19 + 0.0001 * i}" for i in range(30))
    csv = f'楼栋编号,楼栋名称,地块编号,责任单位,轮廓\nB1,一号楼,P1,huacao,"{ring}"\n'
    s = load_settings(env={})
    upload = read_inventory_file(csv.encode(), "b.csv", table="buildings")
    plan = plan_import(
        upload,
        stored=Inventory.empty(),
        revision=0,
        vocabs=vocabs_for(s),
        datum="WGS84",
        limits=replace(SMALL, outline_vertices=10),
    )
    hit = [i for i in plan.errors if i.code == "too_many_vertices"]
    assert len(hit) == 1 and hit[0].params["row"] == 2 and hit[0].params["max"] == 10
    assert hit[0].params["count"] > 10
    assert not plan.ok
