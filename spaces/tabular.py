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
import pandas as pd

from spaces import xlsx
from spaces.export import CELL_ERRORS, csv_unquote
from spaces.limits import Counter, ImportLimits, LimitError, ZipBudget
from spaces.schema import Field, Table, table_named
from spaces.validation import Issue

ROW = "_row"  # column added to every read frame: the 1-based row number in the file
_MAX_HEADER_SCAN = 12
_ENCODINGS = ("utf-8-sig", "gb18030")  # UTF-8 (with or without BOM), then GBK's superset


class UnreadableFileError(ValueError):
    """The file itself cannot be read (not a spreadsheet, wrong encoding, no header row).

    Like an `Issue` it carries a ``code`` and the ``params`` its message needs
    (`words.imports.file_error_text` words it): ``file``, and for a file whose table was
    not found ``recognised`` ((table, field) pairs) and ``unrecognised`` (headers as
    written). ``detail`` is a library's own text, shown as it is. A message passed instead
    of a code is kept as the ``detail`` of the code ``unreadable``.
    """

    def __init__(self, code: str, /, **params: Any) -> None:
        if not re.fullmatch(r"[a-z_]+", code):  # a message written out, not a code
            code, params = "unreadable", {"detail": code, **params}
        self.code = code
        self.params = params
        shown = ", ".join(f"{k}={v!r}" for k, v in params.items() if k != "file")
        super().__init__(
            f"{params.get('file') or 'the file'}: {code}" + (f" ({shown})" if shown else "")
        )


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
    skipped: tuple[Issue, ...] = ()  # rows that are not records: totals, notes, blank rows


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
    limits: ImportLimits | None = None,
    progress: xlsx.Progress | None = None,
) -> dict[str, pd.DataFrame]:
    """The raw cells of an .xlsx workbook (every sheet, or ``sheet``) or of a .csv file.

    Cells are kept as written (objects, no header): pass a grid to `read_grid`. A CSV file
    gives one grid named ""; its cells lose the ``'`` that a spreadsheet-safe CSV puts before
    text such as ``=1+1`` (`spaces.export.csv_unquote`), so that our CSV reads back as written.
    Rows, columns, cells and unzipped bytes are counted as they are read, against ``limits``
    (the defaults of `ImportLimits` when not given); ``progress`` hears of rows read.

    Raises
    ------
    UnreadableFileError
        If the file is not a readable .xlsx/.csv.
    LimitError
        At the first row, column, cell or unzipped byte past ``limits``.
    """
    name = filename or (str(source) if isinstance(source, str | Path) else "")
    data = _bytes(source)
    suffix = Path(name).suffix.lower()
    limits = limits or ImportLimits()
    if suffix in (".xlsx", ".xlsm"):
        return _excel_grids(data, name, sheet, limits, progress)
    if suffix in (".csv", ".txt"):
        return {"": _csv_grid(data, name, limits, progress)}
    raise UnreadableFileError("unsupported_type", file=name, suffix=suffix, known=(".xlsx", ".csv"))


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
    wanted = [f.name for f in table.fields if f.required and f.kind != "geometry"]
    return UnreadableFileError(
        "no_header", file=name, table=table.name, rows=_MAX_HEADER_SCAN, expected=wanted
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
            raise UnreadableFileError("cannot_open", file=str(source), detail=e.strerror) from None
    return source.read()


def _excel_grids(
    data: bytes,
    name: str,
    sheet: str | int | None,
    limits: ImportLimits,
    progress: xlsx.Progress | None = None,
) -> dict[str, pd.DataFrame]:
    """Every sheet (or the one asked for) as a grid of cell values, error cells as their text.

    Streamed by `spaces.xlsx` within ``limits`` rather than read by `pandas.read_excel`, which
    turns error cells (#N/A, #REF! ...) into blanks: a formula that failed must be reported,
    not read as an empty value.
    """
    try:
        with ZipBudget(data, name, limits) as book:
            found, date1904 = xlsx.sheets(book)
            names = [s.name for s in found]
            if sheet is None:
                chosen = {s.name: s for s in found}
            elif isinstance(sheet, int) and 0 <= sheet < len(names):
                chosen = {str(sheet): found[sheet]}
            elif isinstance(sheet, str) and sheet in names:
                chosen = {sheet: found[names.index(sheet)]}
            else:
                raise UnreadableFileError("no_sheet", file=name, sheet=sheet, sheets=names)
            strings = xlsx.shared_strings(book)
            dates = xlsx.date_styles(book)
            out = {}
            for key, part in chosen.items():
                rows = xlsx.rows(
                    book,
                    part,
                    strings=strings,
                    dates=dates,
                    date1904=date1904,
                    limits=limits,
                    error=CellError,
                    progress=progress,
                )
                out[key] = _grid(list(rows))
            return out
    except (UnreadableFileError, LimitError):
        raise
    except Exception as e:  # zipfile, expat and bad values raise many types on a non-xlsx file
        raise UnreadableFileError("not_xlsx", file=name, detail=str(e)) from None


def _grid(rows: list[list[Any]]) -> pd.DataFrame:
    """Rows of cells as a frame of objects, padded to the widest, trailing blank rows dropped."""
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    width = max((len(r) for r in rows), default=0)
    for r in rows:
        if len(r) < width:
            r.extend([None] * (width - len(r)))
    return pd.DataFrame(rows, dtype=object)


def _csv_grid(
    data: bytes, name: str, limits: ImportLimits, progress: xlsx.Progress | None = None
) -> pd.DataFrame:
    """The CSV's rows, read one at a time and counted against ``limits`` as they come."""
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFileError("not_text", file=name)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    counter = Counter(limits, name)
    rows: list[list[Any]] = []
    try:  # newline="": bare \r line ends (old Mac Excel) are lines, not errors
        for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            counter.row(len(r))
            rows.append([_csv_cell(v) for v in r])
            if progress is not None and not counter.rows % 5000:
                progress("read", counter.rows, None)
    except csv.Error as e:
        raise UnreadableFileError("not_csv", file=name, detail=str(e)) from None
    del text
    if not rows:
        raise UnreadableFileError("empty", file=name)
    width = max(len(r) for r in rows)
    for r in rows:
        if len(r) < width:
            r.extend([""] * (width - len(r)))
    return pd.DataFrame(rows, dtype=object)


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
            field = (
                lookup.get(_canonical(text, brackets=True))
                or lookup.get(_canonical(text))
                or _by_prefix(text, lookup)
            )
            if field and field not in matched.values():
                matched[c] = field
            else:
                ignored.append((c, text))
        if len(matched) > len(best[1]):
            best = (r, matched, ignored)
    return best


def _by_prefix(text: str, lookup: Mapping[str, str]) -> str | None:
    """The field a header cut to a Shapefile's 10 bytes begins, when only one begins so.

    A .dbf keeps 10 bytes of a field name: 5 Chinese characters in GBK (计划竣工日 for
    计划竣工日期), 3 in UTF-8. Only headers of that length are taken as cut.
    """
    if not (len(text.encode("gb18030")) in (9, 10) or len(text.encode("utf-8")) in (8, 9, 10)):
        return None
    key = _canonical(text)
    if len(key) < 2:
        return None
    fields = {field for spelling, field in lookup.items() if spelling.startswith(key)}
    return fields.pop() if len(fields) == 1 else None


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
    skipped = _not_records(body, columns, table, row_base)
    body = body.drop(index=[i for i, _ in skipped])
    body = body[~body.map(lambda v: _cell_text(v) == "").all(axis=1)]  # trailing blank rows
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
    return ReadResult(out, issues, headers, header + 1, ignored, tuple(i for _, i in skipped))


_TOTALS = {"合计", "小计", "总计", "共计", "总合计", "累计", "total", "subtotal", "grandtotal"}
_NOTE = re.compile(
    r"^(备注|注|说明|附注|填表说明|填表人|填报人|制表人|制表|制表日期|填表日期|填报日期|填报单位|"
    r"审核人|审核|负责人|联系人|联系电话|数据来源|资料来源|数据截至|截至日期|"
    r"note|notes|remark|remarks|source|prepared by)\s*[:：]",
    flags=re.IGNORECASE,
)
_NOTE_ALONE = {"备注", "注", "说明", "note", "notes", "remark", "remarks"}
_LONG_NOTE = 20  # characters of a lone text cell that is a sentence, not a value
_SENTENCE = re.compile(r"[。;!?,]")  # after NFKC: ，；！？ are ,;!?


def _not_records(
    body: pd.DataFrame, columns: Mapping[int, str], table: Table, row_base: int
) -> list[tuple[Any, Issue]]:
    """Rows under the header that are not records, each with why it is passed over.

    A totals row (合计, 小计, 总计, Total, Subtotal in any cell, the sums beside it), a note
    under the table (备注：…, 注：, 说明, 填表人：, 制表日期：, or a lone cell of running
    text) and a blank row with records after it. A row whose id cell holds an id is a
    record whatever else it says.
    """
    id_cols = [c for c, f in columns.items() if f == table.id]
    out: list[tuple[Any, Issue]] = []
    pending_blank: list[Any] = []
    for index, values in zip(body.index, body.itertuples(index=False), strict=True):
        texts = [_cell_text(v) for v in values]
        filled = [(c, text) for c, text in enumerate(texts) if text]
        row = int(index) + row_base
        if not filled:
            pending_blank.append(index)
            continue
        for blank in pending_blank:  # a blank row with records (or notes) after it
            where = {"row": int(blank) + row_base}
            out.append((blank, Issue(table.name, None, None, "skipped_blank", None, where)))
        pending_blank = []
        ids = [texts[c] for c in id_cols if texts[c]]
        reason = _not_a_record(filled, ids)
        if reason:
            value = str(values[filled[0][0]]).strip()
            out.append((index, Issue(table.name, None, None, reason, value, {"row": row})))
    return out


def _not_a_record(filled: list[tuple[int, str]], ids: list[str]) -> str | None:
    first = filled[0][1]
    lone = len(filled) == 1
    total = any(_is_total(text) for _, text in filled)
    note = bool(_NOTE.match(first)) or (lone and _canonical(first, brackets=True) in _NOTE_ALONE)
    sentence = lone and bool(_SENTENCE.search(first))
    if any(not (_is_total(i) or (i == first and (note or sentence))) for i in ids):
        return None  # an id: a record, whatever else the row says
    if total:
        return "skipped_total"
    if note or sentence or (lone and not ids and len(first) >= _LONG_NOTE):
        return "skipped_note"
    return None


def _is_total(text: str) -> bool:
    return _canonical(text) in _TOTALS


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
