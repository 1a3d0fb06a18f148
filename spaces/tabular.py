"""Reading spreadsheets as stewards write them: Excel or CSV, Chinese or English headers.

`read_table` finds the header row (skipping titles and merged group rows above it), maps each
header to a schema field by its name or its Chinese or English label, and cleans real-world
values ("1,200㎡", full-width digits, "2026年6月", "30%", "是/否", blank cells) into values that
`spaces.validation.coerce` can type. It never raises on bad content: what cannot be read becomes
an `Issue` carrying the spreadsheet row and column, so a steward can fix the file.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import openpyxl
import pandas as pd

from spaces.export import CELL_ERRORS, csv_unquote
from spaces.schema import Field, Table, table_named
from spaces.validation import Issue

ROW = "_row"  # column added to every read frame: the 1-based row number in the file
_MAX_HEADER_SCAN = 12
_ENCODINGS = ("utf-8-sig", "gb18030")  # UTF-8 (with or without BOM), then GBK's superset


class UnreadableFileError(ValueError):
    """The file itself cannot be read (not a spreadsheet, wrong encoding, no header row)."""


class CellError(str):
    """A spreadsheet error value (#N/A, #REF! ...) in a cell: a formula failed, not a value.

    An .xlsx error cell reads as one; in a CSV (which has no cell types) so does text that is
    exactly an error value, as Excel writes failed formulas there. Text in other formats, and
    an .xlsx text cell that happens to read "#N/A", stays text.
    """


@dataclass(frozen=True)
class ReadResult:
    """What `read_table` found: the frame (schema field names + `ROW`), issues and headers."""

    frame: pd.DataFrame
    issues: list[Issue]
    columns: dict[str, str]  # field name -> header as written in the file
    header_row: int  # 1-based row of the header in the file
    ignored: list[str]  # headers that matched no field, of columns holding data


def read_table(
    source: str | Path | bytes | BinaryIO,
    *,
    table: Table,
    filename: str | None = None,
    sheet: str | int | None = None,
    aliases: Mapping[str, Iterable[str]] | None = None,
) -> ReadResult:
    """Read one table of ``table``'s fields from an .xlsx or .csv file.

    Parameters
    ----------
    source
        A path, the file's bytes, or a binary file object (e.g. a Streamlit upload).
    table
        The schema table whose fields the columns are matched against.
    filename
        The file's name, for its extension when ``source`` is bytes or a file object.
    sheet
        For Excel, the sheet name or index; by default the sheet whose header matches best.
    aliases
        Extra header spellings per field name, e.g. ``{"usable_area_m2": ["建筑面积"]}``.

    Raises
    ------
    UnreadableFileError
        If the file is not a readable .xlsx/.csv or has no row that looks like a header.
    """
    name = filename or (str(source) if isinstance(source, str | Path) else "")
    grids = read_grids(source, filename=name, sheet=sheet)
    lookup = _header_lookup(table, aliases or {})
    best = max(
        ((sheet_name, *_find_header(grid, lookup)) for sheet_name, grid in grids.items()),
        key=lambda found: len(found[2]),
    )
    sheet_name, header_index, columns, ignored = best
    if not columns:
        raise _no_header(name, table)
    grid = grids[sheet_name]
    return _frame(grid, header_index, columns, ignored, table)


def read_grids(
    source: str | Path | bytes | BinaryIO,
    *,
    filename: str | None = None,
    sheet: str | int | None = None,
) -> dict[str, pd.DataFrame]:
    """The raw cells of an .xlsx workbook (every sheet, or ``sheet``) or of a .csv file.

    Cells are kept as written (objects, no header): pass a grid to `read_grid`. A CSV file
    gives one grid named ""; its cells lose the ``'`` that a spreadsheet-safe CSV puts before
    text such as ``=1+1`` (`spaces.export.csv_unquote`), so that our CSV reads back as written.

    Raises
    ------
    UnreadableFileError
        If the file is not a readable .xlsx/.csv.
    """
    name = filename or (str(source) if isinstance(source, str | Path) else "")
    data = _bytes(source)
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _excel_grids(data, name, sheet)
    if suffix in (".csv", ".txt"):
        return {"": _csv_grid(data, name)}
    raise UnreadableFileError(
        f"{name or 'the file'}: unsupported file type {suffix or '(none)'}; use .xlsx or .csv"
    )


def read_grid(
    grid: pd.DataFrame,
    *,
    table: Table,
    aliases: Mapping[str, Iterable[str]] | None = None,
    name: str = "",
    row_base: int = 1,
) -> ReadResult:
    """Read one table from a grid of cells (see `read_grids`), like `read_table`.

    ``row_base`` is the number given to the grid's first row in reports: 1 for spreadsheet
    rows, 0 for attribute tables whose header is not a row (features count from 1).

    Raises
    ------
    UnreadableFileError
        If no row in the first rows looks like a header of ``table``.
    """
    header_index, columns, ignored = _find_header(grid, _header_lookup(table, aliases or {}))
    if not columns:
        raise _no_header(name, table)
    return _frame(grid, header_index, columns, ignored, table, row_base=row_base)


def _no_header(name: str, table: Table) -> UnreadableFileError:
    wanted = "、".join(f.label_zh for f in table.fields if f.required and f.kind != "geometry")
    return UnreadableFileError(
        f"{name or 'the file'}: no header row found in the first {_MAX_HEADER_SCAN} rows; "
        f"expected columns such as {wanted}"
    )


def normalize_text(value: Any) -> str:
    """NFKC-normalised, stripped text: full-width digits and letters become ASCII."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def _bytes(source: str | Path | bytes | BinaryIO) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | Path):
        try:
            return Path(source).read_bytes()
        except OSError as e:
            raise UnreadableFileError(f"{source}: cannot be read ({e.strerror})") from None
    return source.read()


def _excel_grids(data: bytes, name: str, sheet: str | int | None) -> dict[str, pd.DataFrame]:
    """Every sheet (or the one asked for) as a grid of cell values, error cells as their text.

    Read with openpyxl rather than `pandas.read_excel`, which turns error cells (#N/A, #REF!
    ...) into blanks: a formula that failed must be reported, not read as an empty value.
    """
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl/zipfile raise many types on a non-xlsx file
        raise UnreadableFileError(f"{name}: not a readable .xlsx workbook ({e})") from None
    try:
        names = book.sheetnames
        if sheet is None:
            chosen = {n: n for n in names}
        elif isinstance(sheet, int) and 0 <= sheet < len(names):
            chosen = {str(sheet): names[sheet]}
        elif isinstance(sheet, str) and sheet in names:
            chosen = {sheet: sheet}
        else:
            raise UnreadableFileError(
                f"{name}: there is no sheet {sheet!r}; its sheets are {', '.join(names)}"
            )
        return {key: _sheet_grid(book[title]) for key, title in chosen.items()}
    except UnreadableFileError:
        raise
    except Exception as e:  # a damaged sheet inside a readable zip
        raise UnreadableFileError(f"{name}: not a readable .xlsx workbook ({e})") from None
    finally:
        book.close()


def _sheet_grid(ws: Any) -> pd.DataFrame:
    ws.reset_dimensions()  # the stored dimensions may be wrong; read what is there
    rows = [
        [CellError(c.value) if c.data_type == "e" else c.value for c in r] for r in ws.iter_rows()
    ]
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype=object)


def _csv_grid(data: bytes, name: str) -> pd.DataFrame:
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFileError(
            f"{name}: not UTF-8 or GBK/GB18030 text; save it as CSV UTF-8 or use .xlsx"
        )
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:  # newline="": bare \r line ends (old Mac Excel) are lines, not errors
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as e:
        raise UnreadableFileError(f"{name}: not a readable CSV file ({e})") from None
    if not rows:
        raise UnreadableFileError(f"{name}: the file is empty")
    width = max(len(r) for r in rows)
    return pd.DataFrame(
        [[_csv_cell(v) for v in r] + [""] * (width - len(r)) for r in rows],
        dtype=object,
    )


def _csv_cell(text: str) -> str:
    """A CSV cell: an error value (#N/A …) as one; text quoted by our CSV writer unquoted."""
    return CellError(text) if text.strip() in CELL_ERRORS else csv_unquote(text)


def _canonical(text: Any, *, brackets: bool = False) -> str:
    """A header reduced for matching: no markers, spaces or case; no text in brackets.

    With ``brackets`` the bracketed text is kept, so that labels that differ only there
    ("Land ready (planned)", "Land ready (actual)") stay apart.
    """
    s = normalize_text(text).lower()
    if not brackets:
        s = re.sub(r"[(\[（【].*?[)\]）】]", "", s)  # units or notes in brackets
    s = re.sub(r"[\s*_:：/\\-]+", "", s)
    return s


def _header_lookup(table: Table, aliases: Mapping[str, Iterable[str]]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for f in table.fields:
        if f.kind == "geometry":
            continue
        for spelling in (f.name, f.label_zh, f.label_en, *aliases.get(f.name, ())):
            lookup.setdefault(_canonical(spelling, brackets=True), f.name)
    for f in table.fields:
        if f.kind == "geometry":
            continue
        for spelling in (f.name, f.label_zh, f.label_en, *aliases.get(f.name, ())):
            lookup.setdefault(_canonical(spelling), f.name)
    return lookup


def _find_header(
    grid: pd.DataFrame, lookup: Mapping[str, str]
) -> tuple[int, dict[int, str], list[tuple[int, str]]]:
    """The row that names most fields: (row index, {column index: field}, ignored headers
    with their column index).

    A blank header cell takes the text of the cell above it, so that two-row headers whose
    group titles are merged cells still match on the lower row.
    """
    best: tuple[int, dict[int, str], list[tuple[int, str]]] = (0, {}, [])
    for r in range(min(_MAX_HEADER_SCAN, len(grid))):
        cells = [_cell_text(v) for v in grid.iloc[r]]
        above = [_cell_text(v) for v in grid.iloc[r - 1]] if r else [""] * len(cells)
        matched: dict[int, str] = {}
        ignored = []
        for c, text in enumerate(cells):
            text = text or above[c]
            if not text:
                continue
            field = lookup.get(_canonical(text, brackets=True)) or lookup.get(_canonical(text))
            if field and field not in matched.values():
                matched[c] = field
            else:
                ignored.append((c, text))
        if len(matched) > len(best[1]):
            best = (r, matched, ignored)
    return best


def _raw_text(value: Any) -> str:
    """A header as written in the file, for messages."""
    return _cell_text(value) and str(value).strip()


def _cell_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return normalize_text(value)


def _frame(
    grid: pd.DataFrame,
    header: int,
    columns: dict[int, str],
    ignored: list[tuple[int, str]],
    table: Table,
    *,
    row_base: int = 1,
) -> ReadResult:
    body = grid.iloc[header + 1 :]
    body = body[~body.map(lambda v: _cell_text(v) == "").all(axis=1)]  # drop blank rows
    ignored = [text for c, text in ignored if (body.iloc[:, c].map(_cell_text) != "").any()]
    issues: list[Issue] = []
    out = pd.DataFrame(index=range(len(body)))
    out[ROW] = (body.index + row_base).to_numpy()  # grid index 0 is row `row_base`
    headers = {
        field: _raw_text(grid.iat[header, c])
        or (_raw_text(grid.iat[header - 1, c]) if header else "")
        for c, field in columns.items()
    }
    for c, field_name in columns.items():
        f = table.field(field_name)
        cleaned = []
        for row, raw in zip(out[ROW], body.iloc[:, c], strict=True):
            if isinstance(raw, CellError):
                cleaned.append(None)
                where = {"row": int(row), "column": headers[field_name]}
                issues.append(Issue(table.name, None, f.name, "cell_error", raw.strip(), where))
                continue
            value, problem = clean_value(raw, f)
            cleaned.append(value)
            if problem:
                issues.append(
                    Issue(
                        table.name,
                        None,
                        f.name,
                        "bad_type",
                        raw,
                        {
                            "kind": f.kind,
                            "expected_kind": problem,
                            "row": int(row),
                            "column": headers[field_name],
                        },
                    )
                )
        out[field_name] = pd.Series(cleaned, index=out.index, dtype=object)
    return ReadResult(out, issues, headers, header + 1, ignored)


_UNITS = re.compile(
    r"(平方米|平米|㎡|m²|m2|元/m²/天|元/平方米/天|元/㎡/天|元/m2/天|元|kn/m²|kn/m2|kva|千伏安|米|m)$",
    flags=re.IGNORECASE,
)
_YM = re.compile(r"^(\d{4})\s*[年./-]\s*(\d{1,2})\s*月?$")
_YMD = re.compile(r"^(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$")
_TRUE = {"true", "yes", "y", "1", "是", "有", "√", "✓", "t"}
_FALSE = {"false", "no", "n", "0", "否", "无", "×", "✗", "f"}


def clean_value(raw: Any, f: Field) -> tuple[Any, str | None]:
    """One cell cleaned for field ``f``: (value or None, None) or (None, what was expected).

    What was expected is a kind (``bool``, ``float``, ``int``) or one of ``float_no_percent``
    (a percentage where the field is not a share) and ``date_written`` (a date written in a
    way this does not read).

    Codes (ids, references, vocabularies) are NFKC-normalised, free text only stripped.
    Numbers lose thousands separators and units; progress fields (0–1) accept "30%";
    dates accept Excel dates, "2026-06-01", "2026/6/1", "2026年6月1日" and "2026年6月"
    (the first of the month); booleans accept 是/否, 有/无, yes/no, 1/0, √/×.
    """
    if raw is None or (isinstance(raw, float) and np.isnan(raw)):
        return None, None
    if isinstance(raw, str) and not raw.strip():
        return None, None
    if f.kind == "str":
        if isinstance(raw, int | float):
            return _plain(raw), None
        # Codes (ids, references, room numbers, vocabularies) lose full-width forms; free text
        # such as names keeps its Chinese punctuation (（）、：) as written.
        return (normalize_text(raw) if _is_code(f) else str(raw).strip()), None
    if f.kind in ("int", "float"):
        return _number(raw, f)
    if f.kind == "bool":
        if isinstance(raw, bool | np.bool_):
            return bool(raw), None
        if isinstance(raw, int | float | np.integer | np.floating) and raw in (0, 1):
            return bool(raw), None  # GIS formats keep booleans as 0/1
        text = normalize_text(raw).lower()
        if text in _TRUE:
            return True, None
        if text in _FALSE:
            return False, None
        return None, "bool"
    if f.kind == "date":
        return _date(raw)
    return raw, None


def _is_code(f: Field) -> bool:
    return bool(f.ref or f.vocabulary or f.name.endswith("_id") or f.name == "number")


def _plain(v: int | float) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def _number(raw: Any, f: Field) -> tuple[Any, str | None]:
    if isinstance(raw, bool):
        return None, "float"
    if isinstance(raw, int | float | np.integer | np.floating):
        value = float(raw)
    else:
        text = normalize_text(raw).replace(",", "").replace("，", "").replace(" ", "")
        percent = text.endswith("%")
        text = _UNITS.sub("", text.rstrip("%"))
        try:
            value = float(text)
        except ValueError:
            return None, "float"
        if percent:
            if f.unit != "0–1":
                return None, "float_no_percent"
            value /= 100.0
    if f.kind == "int":
        if not value.is_integer():
            return None, "int"
        return int(value), None
    return value, None


def _date(raw: Any) -> tuple[Any, str | None]:
    if isinstance(raw, datetime | date | pd.Timestamp):
        return pd.Timestamp(raw).normalize(), None
    text = normalize_text(raw)
    if m := _YMD.match(text):
        y, mo, d = (int(g) for g in m.groups())
    elif m := _YM.match(text):
        y, mo, d = int(m.group(1)), int(m.group(2)), 1
    else:
        try:
            return pd.Timestamp(text).normalize(), None
        except (ValueError, OverflowError):
            return None, "date_written"
    try:
        return pd.Timestamp(year=y, month=mo, day=d), None
    except ValueError:
        return None, "date_written"


def locate(issue: Issue, reads: Mapping[str, ReadResult]) -> tuple[int | None, str | None]:
    """The file row and column an issue is about, None where the file does not have them.

    ``reads`` maps table names to what `read_table` returned for them. An issue found while
    reading carries its row and column; one found by validation is placed on the row that
    holds its record's id, in the column that holds its field.
    """
    row = issue.params.get("row")
    column = issue.params.get("column")
    read = reads.get(issue.table)
    if read is None:
        return row, column
    spec = table_named(issue.table)
    ids = read.frame.get(spec.id) if spec is not None else None
    if row is None and issue.record_id is not None and ids is not None:
        hit = read.frame.loc[ids.astype(str) == str(issue.record_id), ROW]
        row = int(hit.iloc[0]) if len(hit) else None
    if column is None and issue.field:
        column = read.columns.get(issue.field)
    return row, column
