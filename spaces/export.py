"""Spreadsheet exports as bytes: Excel workbooks and CSV that Chinese Excel opens correctly."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"


def excel_bytes(
    sheets: Mapping[str, pd.DataFrame], *, notes: Mapping[str, Sequence[str]] | None = None
) -> bytes:
    """An .xlsx workbook with one sheet per frame: bold frozen header, fitted column widths.

    Parameters
    ----------
    sheets
        Sheet name (at most 31 characters) -> frame; the frame's columns are the headers,
        its index is not written.
    notes
        Sheet name -> lines written below the table (e.g. the source and date of the list).
    """
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            sheet = name[:31]
            out = frame.copy()
            for column in out.columns:  # Excel has no missing value: leave the cell empty
                out[column] = out[column].astype("object").where(out[column].notna(), None)
            out.to_excel(writer, sheet_name=sheet, index=False)
            ws = writer.sheets[sheet]
            _as_text(ws)
            ws.freeze_panes = "A2"
            for cell in ws[1]:
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor="DCE6F1")
                cell.alignment = Alignment(vertical="center", wrap_text=True)
            for i, column in enumerate(frame.columns, start=1):
                values = [str(column), *(str(v) for v in frame[column].head(200) if v is not None)]
                width = max(_display_width(v) for v in values)
                ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 48)
            for offset, line in enumerate((notes or {}).get(name, ()), start=2):
                ws.cell(row=len(frame) + offset + 1, column=1, value=line).font = Font(italic=True)
    return buf.getvalue()


def _as_text(ws: Worksheet) -> None:
    """Keep text as text: openpyxl makes "=…" a formula and "#N/A" an error cell."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type in ("f", "e"):
                cell.data_type = "s"


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as UTF-8 with a byte-order mark, so that Chinese Excel reads the headers right."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def _display_width(text: str) -> int:
    """Columns the text takes in a spreadsheet: CJK characters count twice."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
