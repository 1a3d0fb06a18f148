"""Spreadsheets out: the project's one CSV writer and one Excel writer, writing text as text."""

# Every spreadsheet the project writes (exports, the import template and reports, the audit
# log, shortlists, the supply list, briefings) is written here, so that text from users, files
# and links is data in all of them, never a formula. Excel: text cells are text cells
# (`excel_cell`). CSV: text a spreadsheet would run gets a leading ' (`csv_text`, OWASP's rule
# against CSV injection), which `csv_unquote` takes off again when `spaces.tabular` reads a CSV.

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"

MAX_CELL_CHARS = 32_767
"""The most characters an Excel cell holds."""
CUT_MARK = "…〔已截断：原文 {n:,} 字 / cut: {n:,} characters in full〕"
"""Ends text cut to `MAX_CELL_CHARS`; ``{n}`` is the length of the whole text."""

CELL_ERRORS = frozenset(
    ["#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"]
)
"""Spreadsheet error values, as Excel and WPS show them and write them to CSV."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read CSV text as a formula (OWASP)."""
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

_BOLD = Font(bold=True)
_ITALIC = Font(italic=True)
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True)


# --- CSV ---------------------------------------------------------------------------------------


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A frame as CSV in UTF-8 with a byte-order mark, so that Chinese Excel reads it right.

    The index is not written. Text cells and headers that a spreadsheet would take for a
    formula or an error value get a leading ``'`` (`csv_text`); numbers stay numbers.
    """
    out = frame.copy()
    out.columns = [csv_text(str(c)) for c in frame.columns]
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
            out.isetitem(i, column.map(lambda v: csv_text(v) if isinstance(v, str) else v))
    return out.to_csv(index=False).encode("utf-8-sig")


def csv_text(text: str) -> str:
    """Text as written to a CSV cell: with a leading ``'`` when a spreadsheet would not show it.

    That is text starting (after any ``'``) with ``= + - @``, a tab or a carriage return,
    except a plain number such as ``-5`` or ``+1.5``; and text that is exactly a spreadsheet
    error value (``#N/A`` …). Any other text is written as it is.
    """
    return "'" + text if _needs_quote(text) else text


def csv_unquote(text: str) -> str:
    """The inverse of `csv_text`: a CSV cell read back as the text that was written.

    The first ``'`` goes only where `csv_text` would have put one, so ``'quoted'`` or
    ``'s-Hertogenbosch`` read as written, while ``'=1+1`` reads as ``=1+1``.
    """
    if text.startswith("'") and _needs_quote(text[1:]):
        return text[1:]
    return text


def _needs_quote(text: str) -> bool:
    rest = text.lstrip("'")
    if rest.strip() in CELL_ERRORS:
        return True
    return rest.startswith(FORMULA_START) and not _NUMBER.fullmatch(rest)


# --- Excel -------------------------------------------------------------------------------------


def excel_bytes(
    sheets: Mapping[str, pd.DataFrame],
    *,
    notes: Mapping[str, Sequence[str]] | None = None,
    widths: Mapping[str, Sequence[float]] | None = None,
    freeze: Mapping[str, str] | None = None,
) -> bytes:
    """An .xlsx workbook with one sheet per frame: a bold header row, then the frame's rows.

    Parameters
    ----------
    sheets
        Sheet name (at most 31 characters) -> frame; the frame's columns are the headers,
        its index is not written.
    notes
        Sheet name -> lines written below the table, after a blank row (e.g. the source and
        date of the list).
    widths
        Sheet name -> column widths in characters; by default fitted to the first 200 rows.
    freeze
        Sheet name -> the top-left cell that scrolls (default "A2": the header stays).
    """
    wb = workbook()
    for name, frame in sheets.items():
        ws = wb.create_sheet(name[:31])
        ws.freeze_panes = (freeze or {}).get(name, "A2")
        fitted = (widths or {}).get(name) or [
            _fitted_width(frame, i) for i in range(frame.shape[1])
        ]
        for i, width in enumerate(fitted, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        append_row(
            ws,
            [str(c) for c in frame.columns],
            font=_BOLD,
            fill=_HEADER_FILL,
            alignment=_HEADER_ALIGNMENT,
        )
        for values in frame.itertuples(index=False, name=None):
            append_row(ws, values)
        lines = (notes or {}).get(name, ())
        if lines:
            ws.append([])
        for line in lines:
            append_row(ws, [line], font=_ITALIC)
    return workbook_bytes(wb)


def workbook(*, write_only: bool = True) -> openpyxl.Workbook:
    """A new, empty workbook to fill with `append_row`; save it with `workbook_bytes`.

    Write-only workbooks are fast and small; ``write_only=False`` gives one with a first
    sheet (``wb.active``) that allows merged cells and data validation.
    """
    return openpyxl.Workbook(write_only=write_only)


def append_row(
    ws: Any,
    values: Iterable[Any],
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    alignment: Alignment | None = None,
) -> None:
    """Append a row of values (or cells made by `excel_cell`) to a worksheet.

    Values become cells with `excel_cell` and the given style; cells keep their own.
    """
    ws.append(
        [
            v
            if isinstance(v, Cell)
            else excel_cell(ws, v, font=font, fill=fill, alignment=alignment)
            for v in values
        ]
    )


def excel_cell(
    ws: Any,
    value: Any,
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    alignment: Alignment | None = None,
    comment: Comment | None = None,
) -> Cell:
    """One cell for `append_row`: text as text, numbers, booleans and dates as themselves.

    Missing values (None, NaN, NA, NaT) leave the cell empty; dates get the format
    yyyy-mm-dd; text loses the characters a workbook cannot hold and is cut to
    `MAX_CELL_CHARS` with `CUT_MARK`; other objects are written as their text.
    """
    value = excel_value(value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula ("=…") nor an error cell ("#N/A")
    elif isinstance(value, date) and not isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd"
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    if comment is not None:
        cell.comment = comment
    return cell


def excel_value(value: Any) -> Any:
    """A value as an Excel cell holds it (see `excel_cell`); None for a missing value."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.datetime64):
        value = None if np.isnat(value) else pd.Timestamp(value)
    elif isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.date() if value.time() == time() else value
    if isinstance(value, bool | int | float | Decimal | date | time):
        return value
    return _bounded(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def workbook_bytes(wb: openpyxl.Workbook) -> bytes:
    """A workbook saved as .xlsx bytes."""
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _bounded(text: str) -> str:
    if len(text) <= MAX_CELL_CHARS:
        return text
    mark = CUT_MARK.format(n=len(text))
    return text[: MAX_CELL_CHARS - len(mark)] + mark


def _fitted_width(frame: pd.DataFrame, i: int) -> float:
    values = [str(frame.columns[i])]
    values += [str(v) for v in frame.iloc[:200, i] if excel_value(v) is not None]
    width = max(_display_width(v) for v in values)
    return min(max(width + 2, 8), 48)


def _display_width(text: str) -> int:
    """Columns the text takes in a spreadsheet: CJK characters count twice."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
