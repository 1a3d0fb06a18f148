"""Streaming the cells of an .xlsx workbook, row by row, within the import limits.

An .xlsx file is a zip of XML parts. This reads them with the standard library's expat parser
as they are unzipped (`spaces.limits.ZipBudget`), counting rows and cells as it goes
(`spaces.limits.Counter`), so that a workbook past a limit is refused at the first row past
it, before the rest is unzipped or parsed. It is also about five times faster than openpyxl's
read-only mode, which builds an object per cell.

Cells come back as Python values the way openpyxl gives them: text, int or float, bool,
datetime for numbers in a date format, None for blank cells, and error cells (``#N/A`` ...)
through the ``error`` factory the caller passes.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from spaces.limits import Counter, ImportLimits, ZipBudget

Progress = Callable[[str, int, int | None], None]
"""A progress report: (stage, done, total or None when unknown)."""

_REF = re.compile(r"([A-Za-z]{1,3})(\d*)")
_DIMENSION = re.compile(r"^[A-Za-z]{1,3}\d+:[A-Za-z]{1,3}(\d+)$")
_EVERY = 2000  # rows between progress reports


class NotAWorkbook(ValueError):
    """The zip is not an .xlsx workbook (a part is missing or is not XML)."""


@dataclass(frozen=True)
class Sheet:
    name: str
    part: str  # path of its XML inside the zip


def sheets(book: ZipBudget) -> tuple[list[Sheet], bool]:
    """The workbook's sheets in order, and whether it counts dates from 1904."""
    names: list[tuple[str, str]] = []
    date1904 = False

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal date1904
        tag = tag.rsplit(":", 1)[-1]
        if tag == "sheet":
            rid = next((v for k, v in attrs.items() if k.rsplit(":", 1)[-1] == "id"), "")
            names.append((attrs.get("name", ""), rid))
        elif tag == "workbookPr":
            date1904 = attrs.get("date1904", "0").lower() in ("1", "true")

    _parse(book, "xl/workbook.xml", start)
    targets: dict[str, str] = {}

    def rel(tag: str, attrs: dict[str, str]) -> None:
        if tag.rsplit(":", 1)[-1] == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    _parse(book, "xl/_rels/workbook.xml.rels", rel)
    out = []
    for name, rid in names:
        target = targets.get(rid, "")
        if not target:
            raise NotAWorkbook(f"sheet {name!r} has no part")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        out.append(Sheet(name, posixpath.normpath(part)))
    return out, date1904


def shared_strings(book: ZipBudget) -> list[str]:
    """The workbook's shared strings (phonetic runs left out), [] when it has none."""
    if "xl/sharedStrings.xml" not in book.archive.namelist():
        return []
    out: list[str] = []
    parts: list[str] = []
    depth = {"t": False, "rPh": 0}

    def start(tag: str, attrs: dict[str, str]) -> None:
        tag = tag.rsplit(":", 1)[-1]
        if tag == "si":
            parts.clear()
        elif tag == "t" and not depth["rPh"]:
            depth["t"] = True
        elif tag == "rPh":
            depth["rPh"] += 1

    def end(tag: str) -> None:
        tag = tag.rsplit(":", 1)[-1]
        if tag == "si":
            out.append("".join(parts))
        elif tag == "t":
            depth["t"] = False
        elif tag == "rPh":
            depth["rPh"] -= 1

    def text(data: str) -> None:
        if depth["t"]:
            parts.append(data)

    _parse(book, "xl/sharedStrings.xml", start, end, text)
    return out


def date_styles(book: ZipBudget) -> set[int]:
    """Indexes of the cell formats (``s`` of a cell) whose number format is a date."""
    if "xl/styles.xml" not in book.archive.namelist():
        return set()
    custom: dict[int, str] = {}
    xfs: list[int] = []
    where = {"cellXfs": False}

    def start(tag: str, attrs: dict[str, str]) -> None:
        tag = tag.rsplit(":", 1)[-1]
        if tag == "numFmt":
            custom[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            where["cellXfs"] = True
        elif tag == "xf" and where["cellXfs"]:
            xfs.append(int(attrs.get("numFmtId", "0")))

    def end(tag: str) -> None:
        if tag.rsplit(":", 1)[-1] == "cellXfs":
            where["cellXfs"] = False

    _parse(book, "xl/styles.xml", start, end)
    out = set()
    for i, fmt_id in enumerate(xfs):
        code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id, ""))
        if code and is_date_format(code):
            out.add(i)
    return out


def rows(
    book: ZipBudget,
    sheet: Sheet,
    *,
    strings: list[str],
    dates: set[int],
    date1904: bool,
    limits: ImportLimits,
    error: Callable[[str], Any],
    progress: Progress | None = None,
) -> Iterator[list[Any]]:
    """The sheet's rows as lists of values, blank rows included, trailing blanks not.

    Each row is as long as its last cell; a row missing from the XML (Excel leaves out empty
    rows) comes back as ``[]``, so that row numbers stay the sheet's.

    Raises
    ------
    LimitError
        At the first row, column or cell past ``limits``, or past the unzipped size.
    """
    counter = Counter(limits, book.filename, sheet.name)
    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    done: list[list[Any]] = []
    row: list[Any] = []
    state = {
        "row": 0,
        "col": 0,
        "t": "n",
        "s": -1,
        "in": False,
        "is": False,
        "rPh": 0,
        "has": False,
    }
    text: list[str] = []
    total: list[int | None] = [None]

    def start(tag: str, attrs: dict[str, str]) -> None:
        tag = tag.rsplit(":", 1)[-1]
        if tag == "c":
            ref = attrs.get("r")
            col = _column(ref) if ref else state["col"] + 1
            counter.column(col)
            state["col"] = col
            state["t"] = attrs.get("t", "n")
            state["s"] = int(attrs.get("s", "-1"))
            state["has"] = False
            text.clear()
        elif tag == "v":
            state["in"] = state["has"] = True
        elif tag == "row":
            r = attrs.get("r")
            number = int(r) if r and r.isdigit() else state["row"] + 1
            while state["row"] + 1 < number:  # rows the XML leaves out are blank
                state["row"] += 1
                counter.row(0)
                done.append([])
            state["row"] = number
            state["col"] = 0
            row.clear()
        elif tag == "is":
            state["is"] = state["has"] = True
        elif tag == "t" and state["is"] and not state["rPh"]:
            state["in"] = True
        elif tag == "rPh":
            state["rPh"] += 1
        elif tag == "dimension":
            m = _DIMENSION.match(attrs.get("ref", ""))
            total[0] = int(m.group(1)) if m else None

    def end(tag: str) -> None:
        tag = tag.rsplit(":", 1)[-1]
        if tag == "c":
            col = state["col"]
            if len(row) < col - 1:
                row.extend([None] * (col - 1 - len(row)))
            value = (
                _value(state["t"], "".join(text), state["s"], strings, dates, epoch, error)
                if state["has"]
                else None
            )
            if len(row) == col - 1:
                row.append(value)
            else:  # a cell given twice: the last one wins
                row[col - 1] = value
        elif tag in ("v", "t"):
            state["in"] = False
        elif tag == "is":
            state["is"] = False
        elif tag == "rPh":
            state["rPh"] -= 1
        elif tag == "row":
            while row and row[-1] is None:
                row.pop()
            counter.row(len(row))
            done.append(list(row))

    def chars(data: str) -> None:
        if state["in"]:
            text.append(data)

    parser = _parser(start, end, chars)
    pending = 0
    try:
        for chunk in book.stream(sheet.part):
            parser.Parse(chunk, False)
            if done:
                pending += len(done)
                yield from _pop_all(done)
                if progress is not None and pending >= _EVERY:
                    progress("read", counter.rows, total[0])
                    pending = 0
        parser.Parse(b"", True)
    except KeyError:
        raise NotAWorkbook(f"{sheet.part} is missing") from None
    except expat.ExpatError as e:
        raise NotAWorkbook(f"{sheet.part} is not XML ({e})") from None
    yield from _pop_all(done)
    if progress is not None:
        progress("read", counter.rows, counter.rows)


def _pop_all(done: list[list[Any]]) -> list[list[Any]]:
    out = done[:]
    done.clear()
    return out


def _value(
    kind: str,
    raw: str,
    style: int,
    strings: list[str],
    dates: set[int],
    epoch: datetime,
    error: Callable[[str], Any],
) -> Any:
    if kind == "s":
        if not raw:
            return None
        try:
            return strings[int(raw)]
        except (ValueError, IndexError):
            raise NotAWorkbook(
                f"a cell points to shared string {raw!r}, which is not there"
            ) from None
    if kind in ("inlineStr", "str"):
        return raw
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "e":
        return error(raw)
    if kind == "d":
        try:
            return datetime.fromisoformat(raw.strip())
        except ValueError:
            return raw
    raw = raw.strip()
    if not raw:
        return None
    try:
        number: int | float = float(raw) if any(c in raw for c in ".eEnN") else int(raw)
    except ValueError:
        return raw
    if style in dates:
        try:
            return from_excel(number, epoch)
        except (ValueError, OverflowError):
            return number
    return number


def _column(ref: str) -> int:
    m = _REF.match(ref)
    if not m:
        raise NotAWorkbook(f"a cell has the reference {ref!r}")
    n = 0
    for ch in m.group(1).upper():
        n = n * 26 + ord(ch) - 64
    return n


def _parser(
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None = None,
    chars: Callable[[str], None] | None = None,
) -> Any:
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if chars is not None:
        parser.CharacterDataHandler = chars
    # No DTDs or entities beyond XML's own: a workbook has none, and they can explode.
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _no_entities
    return parser


def _no_entities(*_: Any) -> None:
    raise NotAWorkbook("the workbook declares XML entities")


def _parse(
    book: ZipBudget,
    part: str,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None = None,
    chars: Callable[[str], None] | None = None,
) -> None:
    parser = _parser(start, end, chars)
    try:
        for chunk in book.stream(part):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except KeyError:
        raise NotAWorkbook(f"{part} is missing") from None
    except expat.ExpatError as e:
        raise NotAWorkbook(f"{part} is not XML ({e})") from None
