"""The one CSV writer and the one Excel writer: text stays text, numbers stay numbers."""

from __future__ import annotations

import ast
import io
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spaces.export import (
    CUT_MARK,
    MAX_CELL_CHARS,
    csv_bytes,
    csv_text,
    csv_unquote,
    excel_bytes,
)
from spaces.tabular import CellError, read_grids

REPO_ROOT = Path(__file__).resolve().parents[2]
RISKY = [
    '=HYPERLINK("https://evil.example/","点我")',
    "=1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "#N/A",
    "'=1+1",
]
SAFE = ["普通文字", "'quoted'", "'s-Hertogenbosch", "-5", "+1.5", "-0.25e3", "a=b", ""]


def test_text_that_looks_like_a_formula_or_an_error_is_written_as_text():
    frame = pd.DataFrame({"备注": ['=HYPERLINK("http://x","点我")', "#N/A", "普通文字"]})
    ws = openpyxl.load_workbook(io.BytesIO(excel_bytes({"清单": frame}))).active
    cells = [ws.cell(row=r, column=1) for r in (2, 3, 4)]
    assert [c.data_type for c in cells] == ["s", "s", "s"]
    assert [c.value for c in cells] == frame["备注"].tolist()


def test_excel_keeps_numbers_booleans_dates_and_blanks():
    frame = pd.DataFrame(
        {
            "n": [-3.5, 2.0, None],
            "i": pd.array([-1, 2, None], dtype="Int64"),
            "b": [True, False, None],
            "d": [date(2026, 6, 1), pd.Timestamp("2026-07-01"), pd.NaT],
        }
    )
    ws = openpyxl.load_workbook(io.BytesIO(excel_bytes({"s": frame}))).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert rows[0][:3] == (-3.5, -1, True)
    assert rows[0][3].date() == date(2026, 6, 1) and rows[1][3].date() == date(2026, 7, 1)
    assert [ws.cell(row=4, column=i).value for i in range(1, 5)] == [None] * 4
    assert ws.cell(row=2, column=4).number_format == "yyyy-mm-dd"


def test_excel_cuts_text_longer_than_a_cell_holds_and_says_so():
    long = "长" * (MAX_CELL_CHARS + 10)
    ws = openpyxl.load_workbook(io.BytesIO(excel_bytes({"s": pd.DataFrame({"t": [long]})}))).active
    value = ws.cell(row=2, column=1).value
    assert len(value) == MAX_CELL_CHARS
    assert value.endswith(CUT_MARK.format(n=len(long)))


@pytest.mark.parametrize("text", RISKY)
def test_csv_quotes_text_a_spreadsheet_would_run(text):
    assert csv_text(text) == "'" + text
    assert csv_unquote(csv_text(text)) == text


@pytest.mark.parametrize("text", SAFE)
def test_csv_leaves_other_text_and_numbers_alone(text):
    assert csv_text(text) == text
    assert csv_unquote(text) == text


def test_csv_writes_numbers_as_numbers_and_quotes_headers_too():
    frame = pd.DataFrame({"=x": ["=1+1", "-5", None], "n": [-3.5, 1.0, None]})
    lines = csv_bytes(frame).decode("utf-8-sig").splitlines()
    assert lines == ["'=x,n", "'=1+1,-3.5", "-5,1.0", ","]


@given(st.text(max_size=30))
def test_csv_unquote_inverts_csv_text(text):
    assert csv_unquote(csv_text(text)) == text


def test_a_csv_we_wrote_reads_back_as_written():
    texts = [t for t in RISKY + SAFE if t == t.strip() and t]
    data = csv_bytes(pd.DataFrame({"备注": texts, "n": range(len(texts))}))
    grid = read_grids(data, filename="x.csv")[""]
    got = grid.iloc[1:, 0].tolist()
    assert got == texts
    assert not any(isinstance(v, CellError) for v in got)
    # a cell that is exactly an error value is still one (a formula failed in Excel)
    failed = read_grids("备注\n#N/A\n".encode(), filename="y.csv")[""]
    assert isinstance(failed.iat[1, 0], CellError)


# Writing a spreadsheet anywhere but spaces/export.py bypasses its text-as-text rules.
_WRITERS = {"Workbook", "WriteOnlyCell", "ExcelWriter", "to_excel", "to_csv", "DictWriter"}


def _writer_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
        owner = getattr(f.value, "id", "") if isinstance(f, ast.Attribute) else ""
        is_csv_writer = name == "writer" and owner == "csv"
        sets_value = name == "cell" and any(k.arg == "value" for k in node.keywords)
        if name in _WRITERS or is_csv_writer or sets_value:
            found.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno} {name}")
    return found


def test_every_spreadsheet_is_written_by_spaces_export():
    sources = [
        p
        for p in REPO_ROOT.rglob("*.py")
        if not {"tests", ".venv", "static"} & set(p.relative_to(REPO_ROOT).parts)
        and p != REPO_ROOT / "spaces" / "export.py"
    ]
    assert sources
    assert [hit for p in sorted(sources) for hit in _writer_calls(p)] == []
