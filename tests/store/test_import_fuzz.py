"""Fuzzing imports: malformed files and values give a clear error, never a partial write."""

from __future__ import annotations

import hashlib
import io

import openpyxl
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geodata.layers import base_layers
from services.context import actor_for, vocabs_for
from services.transfer import commit_import, prepare_import
from settings import load_settings
from spaces.io import KINDS, export_gpkg, export_xlsx
from store import records, schema
from store.repository import SYSTEM
from words.imports import import_report, sheet_words

SETTINGS = load_settings(env={})
ACTOR = actor_for(SETTINGS)
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def digest(repo) -> str:
    """A hash of every row of every table, to tell that nothing at all was written."""
    h = hashlib.sha256()
    with repo.engine.connect() as conn:
        for table in schema.metadata.sorted_tables:
            rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
            h.update(repr((table.name, rows)).encode())
    return h.hexdigest()


def attempt(repo, data: bytes, name: str) -> bool:
    """Check and, if clean, commit a file as the app does; True when it was written.

    Anything but a ValueError (the user-facing errors) fails the test.
    """
    try:
        plan = prepare_import(repo, SETTINGS, data, name, actor=ACTOR, datum="WGS84")
    except ValueError as e:
        assert str(e)  # a message for the user
        return False
    report = import_report(plan, "zh")
    assert report["问题"].notna().all() and report["修改建议"].notna().all()
    if not plan.ok or plan.diff.is_empty():
        with pytest.raises(ValueError):
            if not plan.ok:
                commit_import(repo, plan, ACTOR)
            else:
                raise ValueError("nothing to write")
        return False
    commit_import(repo, plan, ACTOR)
    return True


@pytest.fixture
def stored(repo, inv):
    repo.replace_inventory(inv, actor=SYSTEM)
    return repo


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(sorted(KINDS)))
def test_random_bytes(stored, data, suffix):
    before = digest(stored)
    assert attempt(stored, data, f"upload{suffix}") is False
    assert digest(stored) == before


@FUZZ
@given(
    cells=st.lists(
        st.tuples(
            st.sampled_from(["楼层", "房间", "载体", "楼栋"]),
            st.integers(4, 8),
            st.integers(1, 12),
            st.one_of(
                st.text(max_size=15),
                st.floats(allow_nan=True, allow_infinity=True),
                st.integers(-(10**12), 10**12),
                st.booleans(),
                st.none(),
                st.sampled_from(["", "1,200㎡", "２０２６年６月", "30%", "是", "B1", "P2"]),
            ),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_mutated_workbook_is_all_or_nothing(stored, inv, cells):
    wb = openpyxl.load_workbook(
        io.BytesIO(export_xlsx(inv, sheet_words(vocabs_for(SETTINGS), "zh")))
    )
    for sheet, row, col, value in cells:
        if isinstance(value, str):  # what a workbook can hold at all
            value = openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.sub("", value)
        wb[sheet].cell(row=row, column=col).value = value
    buf = io.BytesIO()
    wb.save(buf)
    before = digest(stored)
    if not attempt(stored, buf.getvalue(), "mutated.xlsx"):
        assert digest(stored) == before
    else:  # written whole: the store holds a valid inventory, every change audited
        stored.load_inventory()
        assert digest(stored) != before


@FUZZ
@given(cut=st.integers(0, 10**6), flips=st.lists(st.integers(0, 10**6), max_size=8))
def test_damaged_geopackage(stored, inv, cut, flips):
    data = bytearray(export_gpkg(inv, base_layers()))
    for pos in flips:
        data[pos % len(data)] ^= 0xFF
    data = bytes(data[: max(1, cut % (len(data) + 1))])
    before = digest(stored)
    if not attempt(stored, data, "damaged.gpkg"):
        assert digest(stored) == before


@FUZZ
@given(
    rows=st.lists(
        st.lists(st.text(st.characters(exclude_categories=("Cs",)), max_size=12), max_size=9),
        max_size=6,
    ),
    encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]),
)
def test_malformed_csv_values(stored, rows, encoding):
    header = "楼层编号,所在楼栋,楼层,使用面积,楼面荷载,净高,实验排风,湿实验排水,供电容量"
    lines = [header, *(",".join(r).replace("\n", " ") for r in rows)]
    data = "\n".join(lines).encode(encoding, errors="replace")
    before = digest(stored)
    if not attempt(stored, data, "floors.csv"):
        assert digest(stored) == before


def test_a_failure_during_the_commit_writes_nothing(stored, monkeypatch):
    """The database refuses mid-way: the transaction rolls back every table."""
    rows = ["楼层编号,供电容量", "B1-1,111", "B1-2,222"]
    plan = prepare_import(stored, SETTINGS, "\n".join(rows).encode(), "f.csv", actor=ACTOR)
    real = records.update_rows
    calls = []

    def failing(conn, table, df, id_name, expected):
        calls.append(table.name)
        real(conn, table, df, id_name, expected)
        raise OSError("connection lost")

    monkeypatch.setattr(records, "update_rows", failing)
    before = digest(stored)
    with pytest.raises(OSError, match="connection lost"):
        commit_import(stored, plan, ACTOR)
    assert calls == ["floors"] and digest(stored) == before
