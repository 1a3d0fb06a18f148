"""Every spreadsheet a page offers keeps text from users and files as text, never a formula."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from spaces.changes import Edit
from store.repository import Actor
from tests.ui.apps import open_page

LINK = '=HYPERLINK("https://evil.example/","点我")'
CMD = "+cmd|' /C calc'!A0"
AT = "@SUM(1+1)*cmd|' /C calc'!A0"


def _csv_cells(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return [*frame.columns, *frame.to_numpy().ravel().tolist()]


def _xlsx_cells(data: bytes) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [c for ws in book.worksheets for row in ws.iter_rows() for c in row]


def _assert_text_cells(data: bytes, texts: list[str]) -> None:
    cells = [c for c in _xlsx_cells(data) if isinstance(c.value, str)]
    for text in texts:
        hits = [c for c in cells if text in c.value]
        assert hits, f"{text!r} not in the workbook"
        assert all(c.data_type == "s" for c in hits)
    assert not [c for c in _xlsx_cells(data) if c.data_type in ("f", "e")]


def _rename_first_building(repo, name: str) -> str:
    inv = repo.load_inventory()
    building = inv.buildings.index[0]
    version = int(inv.buildings.at[building, "version"])
    repo.apply_edits([Edit("buildings", building, {"name": name}, version)], actor=Actor("test"))
    return building


def test_shortlist_csv_and_excel_keep_a_name_that_looks_like_a_formula(make_app, downloads):
    at, repo = make_app(None)
    building = _rename_first_building(repo, LINK)
    carriers = repo.load_inventory().carriers
    on_it = [c for c in carriers.index if c.startswith(building)] or list(carriers.index[:1])
    at.session_state["hq_shortlist"] = on_it
    at.run()
    assert not at.exception, at.exception
    csv_cells = _csv_cells(downloads["下载 CSV"])
    assert any(c.startswith("'" + LINK) for c in csv_cells)
    assert not any(c.startswith(LINK) for c in csv_cells)
    _assert_text_cells(downloads["下载 Excel"], [LINK])


def test_audit_csv_quotes_a_user_name_and_note_that_look_like_formulas(make_app, downloads):
    at, repo = make_app()
    inv = repo.load_inventory()
    floor = inv.floors.index[0]
    version = int(inv.floors.at[floor, "version"])
    repo.apply_edits(
        [Edit("floors", floor, {"power_kva": 123.0}, version)], actor=Actor(CMD), note=AT
    )
    open_page(at, "audit_page")
    cells = _csv_cells(downloads["下载 CSV"])
    assert "'" + CMD in cells and "'" + AT in cells
    assert CMD not in cells and AT not in cells
    assert at.dataframe[0].value.iloc[0]["修改人"] == CMD  # the page shows it as written


def test_import_report_csv_and_excel_keep_bad_values_as_text(make_app, downloads):
    at, repo = make_app()
    open_page(at, "import_page")
    floor = repo.load_inventory().floors.index[0]
    bad = f'楼层编号,供电容量(kVA),净高(m)\n{floor},"{LINK.replace(chr(34), chr(34) * 2)}",-3\n'
    at.file_uploader[0].set_value(("楼层.csv", bad.encode("utf-8"), "text/csv")).run()
    assert not at.exception, at.exception
    cells = _csv_cells(downloads["下载问题清单（CSV）"])
    assert "'" + LINK in cells and LINK not in cells
    assert "-3" in cells or "-3.0" in cells  # a negative number is not quoted
    _assert_text_cells(downloads["下载问题清单（Excel）"], [LINK])
