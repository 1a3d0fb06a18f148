"""Spreadsheet exports: text stays text in Excel."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from spaces.export import excel_bytes


def test_text_that_looks_like_a_formula_or_an_error_is_written_as_text():
    frame = pd.DataFrame({"备注": ['=HYPERLINK("http://x","点我")', "#N/A", "普通文字"]})
    ws = openpyxl.load_workbook(io.BytesIO(excel_bytes({"清单": frame}))).active
    cells = [ws.cell(row=r, column=1) for r in (2, 3, 4)]
    assert [c.data_type for c in cells] == ["s", "s", "s"]
    assert [c.value for c in cells] == frame["备注"].tolist()
